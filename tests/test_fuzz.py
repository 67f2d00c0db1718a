"""Hostile files of every kind end in a Dataset and a Chinese report, never an exception.

The hypothesis tests load generated files through `load_bytes` in this
process (the reader itself runs in the sandbox's child); one test runs the
real command line on fifty such files at once; the test_regression_* tests
hold the minimal reproducers of what the fuzzer found. The generators live
in fuzz_files.py; bench/bench_fuzz.py runs ten thousand of them.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import fuzz_files
import pytest
from hypothesis import HealthCheck, given, settings

from unionstats.intake.loading import load_bytes
from unionstats.intake.model import Dataset
from unionstats.intake.report import ERROR, LEVEL_LABELS

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u4e00-\u9fff]")
READ_SECONDS = "20"
READ_MEMORY_MB = "1024"


@pytest.fixture(scope="module", autouse=True)
def limits():
    """A server's limits, whatever the environment (mutation testing turns the sandbox off, and a hostile file
    read in this process would abort pytest); the seed workbooks are built before the first timed example."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("UNIONSTATS_SANDBOX", "1")
        patch.setenv("UNIONSTATS_READ_SECONDS", READ_SECONDS)
        patch.setenv("UNIONSTATS_READ_MEMORY_MB", READ_MEMORY_MB)
        fuzz_files.seeds()
        yield


def assert_sound(case: fuzz_files.Case, dataset) -> None:
    """What every load must give back: a Dataset for this file, issues that are one-line Chinese sentences, and
    rows that add up."""
    where = f"{case.name} ({case.how[:300]})"
    assert isinstance(dataset, Dataset), where
    assert dataset.sources == [case.name], where
    for issue in dataset.report.issues:
        assert issue.level in LEVEL_LABELS, where
        assert isinstance(issue.message, str) and issue.message.strip(), where
        assert CJK.search(issue.message), f"not Chinese: {issue.message!r} in {where}"
        text = issue.text() + issue.value
        assert "Traceback" not in text, f"{text!r} in {where}"
        assert not [ch for ch in text if unicodedata.category(ch) == "Cc"], f"control character in {text!r}: {where}"
    assert_rows_add_up(case, dataset, where)


def assert_rows_add_up(case: fuzz_files.Case, dataset, where: str) -> None:
    frames = dataset.frames()
    assert dataset.row_count == sum(len(f) for f in frames.values()), where
    for key, frame in frames.items():
        if len(frame):
            assert (frame["row"] >= 1).all() and (frame["source"] == case.name).all(), f"{key}: {where}"
            assert not frame.duplicated(["sheet", "row"]).any(), f"{key} rows counted twice: {where}"
    whole_file = [i for i in dataset.report.issues if i.level == ERROR and not i.sheet and i.row is None]
    if whole_file:
        assert dataset.row_count == 0 and len(dataset.report.issues) == 1, where


def check(case: fuzz_files.Case) -> None:
    assert len(case.data) < fuzz_files.MAX_FILE, case.how
    assert_sound(case, load_bytes(case.data, case.name))


def bounded(examples: int):
    return settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@bounded(100)
@given(fuzz_files.cases("zip"))
def test_hostile_zip_structures_end_in_a_message(case):
    check(case)


@bounded(130)
@given(fuzz_files.cases("sheet-xml"))
def test_hostile_sheet_xml_ends_in_a_message(case):
    check(case)


@bounded(90)
@given(fuzz_files.cases("ods"))
def test_hostile_ods_content_ends_in_a_message(case):
    check(case)


@bounded(70)
@given(fuzz_files.cases("xls"))
def test_mutated_biff_ends_in_a_message(case):
    check(case)


@bounded(25)
@given(fuzz_files.cases("not-workbook"))
def test_files_that_are_not_workbooks_end_in_a_message(case):
    check(case)


@bounded(120)
@given(fuzz_files.cases("mutated"))
def test_mutated_real_workbooks_end_in_a_message(case):
    check(case)


def test_every_seed_workbook_loads_cleanly():
    """The mutations start from valid files: if a seed were broken, every mutant would test only that."""
    for name, data in fuzz_files.seeds().items():
        dataset = load_bytes(data, name)
        assert dataset.report.ok, (name, [i.text() for i in dataset.report.issues])
        assert dataset.row_count or name == "template.xlsx", name


def test_the_command_line_checks_fifty_hostile_files_in_one_run(tmp_path):
    """The real entry point on one batch of every family: exit 0 or 1, a verdict line per file, nothing on
    stderr, within a wall-clock bound though any file may take up to the read time limit."""
    families = list(fuzz_files.FAMILIES)
    names = []
    for i in range(50):
        case = fuzz_files.generate(random.Random(f"cli:{i}"), families[i % len(families)])
        names.append(f"{i:02d}-{case.name}")
        (tmp_path / names[-1]).write_bytes(case.data)
    env = {"PYTHONPATH": str(ROOT), "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "UNIONSTATS_DB": "sqlite:///:memory:",
           "UNIONSTATS_READ_SECONDS": READ_SECONDS, "UNIONSTATS_READ_MEMORY_MB": READ_MEMORY_MB}
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "unionstats", "check", *names], capture_output=True, text=True,
                            cwd=tmp_path, env=env, timeout=300)
    elapsed = time.monotonic() - started
    assert result.returncode in (0, 1), result.stderr[-3000:]
    assert "Traceback" not in result.stdout + result.stderr and "Error" not in result.stderr, result.stderr[-3000:]
    verdicts = [line for line in result.stdout.splitlines() if not line.startswith("  ")]
    assert [line.split("：", 1)[0] for line in verdicts] == names
    assert all(re.search(r"：(通过|未通过)：", line) for line in verdicts), verdicts
    assert elapsed < 150, f"{elapsed:.0f} s"


# Regressions: minimal reproducers of what the fuzzer found (tests/fuzz_files.py), failing until fixed.

@pytest.mark.parametrize("make", [fuzz_files.negative_date_serial, fuzz_files.short_boundsheet_xls],
                         ids=["negative-date-serial", "short-boundsheet-xls"])
def test_regression_calamine_panic_is_a_message_without_the_sandbox(monkeypatch, make):
    """Where there is no fork server (Windows) or with UNIONSTATS_SANDBOX=0 the reader runs in the caller, and
    python-calamine's PanicException, a BaseException, passes `except Exception` and leaves load_bytes. (In the
    sandbox the child dies of it and the file is reported as "读取程序意外退出（代码 1）".)"""
    monkeypatch.setenv("UNIONSTATS_SANDBOX", "0")
    name = "损坏" + (".xls" if make is fuzz_files.short_boundsheet_xls else ".xlsx")
    case = fuzz_files.Case(name, make(), make.__name__)
    dataset = load_bytes(case.data, case.name)
    assert_sound(case, dataset)
    assert dataset.report.errors and dataset.row_count == 0
