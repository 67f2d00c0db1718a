"""Put the project root on sys.path so tests and AppTest pages import `unionstats`."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
for path in (ROOT, ROOT / "tests"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))


@pytest.fixture(autouse=True)
def keep_main_module():
    """Streamlit's AppTest runs a page as ``__main__`` and leaves it there; a process started
    with "spawn" would then re-run that page (or a deleted temporary script) before its target."""
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main


def data_folder() -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in (ROOT / "data").iterdir()}


def pytest_sessionstart(session):
    session.config.stash[DATA_BEFORE] = data_folder()


def pytest_sessionfinish(session, exitstatus):
    """No test may write into data/ (the real store and the sample live there): fail the run if one did."""
    before, after = session.config.stash[DATA_BEFORE], data_folder()
    changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
    if changed:
        session.config.get_terminal_writer().line(f"tests changed data/: {', '.join(changed)}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


DATA_BEFORE = pytest.StashKey[dict]()
