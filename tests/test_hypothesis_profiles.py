"""The hypothesis settings every test starts from, as the root conftest.py sets them.

With CI=true (.ci/run) the examples are the same on every run and nothing is read from or saved to an
example database; everywhere the time an example takes fails nothing, because on a shared two-core machine
it measures the machine, not the code.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHOW = ("import conftest, hypothesis; s = hypothesis.settings(); print(s.derandomize, s.database is None, "
        "s.deadline, hypothesis.HealthCheck.too_slow in s.suppress_health_check)")


def settings_with(ci: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci is not None:
        env["CI"] = ci
    return subprocess.run([sys.executable, "-c", SHOW], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=True).stdout.strip()


def test_ci_runs_the_same_examples_every_time_without_a_database_or_a_deadline():
    assert settings_with("true") == "True True None True"


def test_a_developer_run_stays_random_and_has_no_deadline():
    assert settings_with(None) == "False False None True"
