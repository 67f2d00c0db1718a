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
