"""Put the project root on sys.path so tests and AppTest pages import `unionstats`; fixtures tests share."""

import gc
import os
import sys
from pathlib import Path
from typing import NamedTuple

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent
for path in (ROOT, ROOT / "tests"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

# Hypothesis. An example's time measures the shared machine as much as the code, so no profile fails on it (no
# deadline, no too_slow health check). CI (CI=true, .ci/run) runs the same examples every time and keeps none:
# its checkout starts empty, so a database would only be written, and a failure found once belongs in a test as
# an explicit reproducer (see test_fuzz.py's test_regression_*), not in a directory of opaque examples; hypothesis
# refuses a database beside derandomize anyway. A developer's run stays random and replays its own failures
# from .hypothesis/.
settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", settings.get_profile("dev"), derandomize=True, database=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")


@pytest.fixture(autouse=True)
def keep_main_module():
    """Streamlit's AppTest runs a page as ``__main__`` and leaves it there; a process started
    with "spawn" would then re-run that page (or a deleted temporary script) before its target."""
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main


@pytest.fixture(autouse=True)
def no_measuring_ahead(monkeypatch):
    """The app measures likely periods in a background thread after every store change; in tests that thread
    would only compete for the CPU and muddle counts, so it is on only where a test asks for it."""
    monkeypatch.setattr("unionstats.ui.caches.MEASURE_AHEAD", False)
    yield
    gc.unfreeze()  # (a test that turned it on may have frozen the whole test process: ui/caches.freeze_once)


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


def postgres_url() -> str | None:
    url = os.environ.get("UNIONSTATS_TEST_PG")
    if url:
        return url
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but UNIONSTATS_TEST_PG is not set: .ci/run must start PostgreSQL")
    pytest.skip("PostgreSQL not available: set UNIONSTATS_TEST_PG=postgresql+psycopg://... to run the store on it")


def drop_all(url: str) -> None:
    """Every table of the test database, Alembic's version table included."""
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        tables = sa.MetaData()
        tables.reflect(connection)
        tables.drop_all(connection)
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path) -> str:
    """An empty store's URL, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    url = postgres_url()
    drop_all(url)
    return url


@pytest.fixture
def downloads(monkeypatch) -> list[str]:
    """The file names of every download button a page draws (the page's tests read them from here)."""
    from streamlit.delta_generator import DeltaGenerator

    names = []
    real = DeltaGenerator.download_button

    def recording(self, label, data, file_name=None, *args, **kwargs):
        names.append(file_name)
        return real(self, label, data, file_name, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", recording)
    return names


# The command line run in-process (tests/test_cli.py, tests/test_compliance_cli.py).

class Run(NamedTuple):
    code: int
    out: str
    err: str


@pytest.fixture
def run(capsys):
    from unionstats.cli import main as cli

    def run(*args) -> Run:
        capsys.readouterr()
        try:
            code = cli.main([str(a) for a in args])
        except SystemExit as exc:  # argparse's own errors exit
            code = exc.code
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return Run(code, out, err)

    return run


@pytest.fixture
def trap_default_store(tmp_path, monkeypatch):
    """A command without --db would open this file; no test may."""
    trap = tmp_path / "trap" / "default.db"
    monkeypatch.setenv("UNIONSTATS_DB", f"sqlite:///{trap}")
    yield
    assert not trap.exists(), "a command used the default store instead of --db"


@pytest.fixture
def db(tmp_path) -> list[str]:
    return ["--db", f"sqlite:///{tmp_path}/s.db"]
