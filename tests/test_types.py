"""The library type-checks, and a misspelt figure is a type error, not a silent None on a page.

mypy runs over `unionstats/` with the settings in pyproject.toml. A kind's figures are reached by
`figures.of(kind)`, which returns that kind's own dataclass, so a figure read under a wrong name fails here.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def mypy(*arguments: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    pytest.importorskip("mypy", reason="mypy is not installed: python -m pip install -r requirements-dev.txt")
    return subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"), *arguments],
                          cwd=cwd, capture_output=True, text=True, timeout=900)


def test_the_library_type_checks():
    checked = mypy("-p", "unionstats")
    assert checked.returncode == 0, checked.stdout + checked.stderr


USES = """
    from unionstats.figures.typed import Figures
    from unionstats.kinds import events, visits


    def headcount(result: Figures) -> int:
        return result.of(events.KIND).{events_figure}


    def money(result: Figures) -> float:
        return result.of(visits.KIND).{visits_figure}
"""


def checked_use(tmp_path: Path, events_figure: str, visits_figure: str) -> list[str]:
    """mypy's errors in a module that reads two figures (mypy runs from the checkout, to read its unionstats)."""
    module = tmp_path / "use_figures.py"
    module.write_text(textwrap.dedent(USES.format(events_figure=events_figure, visits_figure=visits_figure)))
    checked = mypy(str(module))
    return [line for line in checked.stdout.splitlines() if line.startswith(str(module))]


def test_figures_read_by_their_names_type_check(tmp_path):
    assert checked_use(tmp_path, "participants", "amount") == []


def test_a_misspelt_figure_is_a_type_error(tmp_path):
    [error] = checked_use(tmp_path, "participant", "amount")
    assert 'use_figures.py:7: error: "EventFigures" has no attribute "participant"' in error


def test_a_figure_of_the_wrong_type_is_a_type_error(tmp_path):
    [error] = checked_use(tmp_path, "participants", "by_reason")
    assert "use_figures.py:11: error: Incompatible return value type" in error
