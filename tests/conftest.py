"""Fixtures every test module shares."""
import sys

import pytest


@pytest.fixture(autouse=True)
def keep_main_module():
    """Streamlit's AppTest runs a page as ``__main__`` and leaves it there; a process started
    with "spawn" would then re-run that page (or a deleted temporary script) before its target."""
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main
