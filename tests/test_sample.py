"""The bundled sample must load clean, span two full years and feed every chart."""

import importlib.util

import openpyxl
import pytest

from conftest import ROOT
from unionstats.contract import registry, schema
from unionstats.contract.periods import parse_period
from unionstats.figures.engine import figures
from unionstats.intake.loading import load_path
from unionstats.kinds import competitions as competitions_kind
from unionstats.kinds import events as events_kind

SAMPLE = ROOT / "data" / "sample.xlsx"


@pytest.fixture(scope="module")
def dataset():
    return load_path(SAMPLE)


def test_the_sample_loads_without_errors_or_warnings(dataset):
    assert dataset.report.errors == [] and dataset.report.warnings == []


def test_every_row_of_the_file_is_loaded(dataset):
    book = openpyxl.load_workbook(SAMPLE, read_only=True)
    for sheet in registry.sheets():
        rows = [r for r in book[sheet.name].iter_rows(min_row=2, values_only=True) if any(r)]
        assert len(dataset.frame(sheet.key)) == len(rows), sheet.name


@pytest.mark.parametrize("quarter", [f"{y}Q{q}" for y in (2024, 2025) for q in (1, 2, 3, 4)])
def test_every_quarter_of_both_years_has_activities_and_visits(dataset, quarter):
    result = figures(dataset, parse_period(quarter))
    assert result.events.count > 0 and result.visits.count > 0


def test_every_category_reason_and_level_appears(dataset):
    assert set(dataset.events["category"]) >= set(events_kind.CATEGORIES) - {schema.OTHER}
    assert set(dataset.visits["reason"]) >= {"生病住院", "结婚", "生育", "丧事", "困难帮扶", "节日慰问"}
    assert set(dataset.competitions["level"]) == set(competitions_kind.LEVELS)
    assert dataset.members() == {"江城市农业科学研究所工会": 186}


def cell_values(path) -> dict:
    book = openpyxl.load_workbook(path, read_only=True)
    return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}


def test_the_script_rebuilds_the_same_workbook(tmp_path):
    """Same sheets and cells; the bytes may differ with the XML writer openpyxl finds (lxml or not)."""
    spec = importlib.util.spec_from_file_location("make_sample", ROOT / "data" / "make_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rebuilt = tmp_path / "sample.xlsx"
    module.write_sample(rebuilt)
    assert cell_values(rebuilt) == cell_values(SAMPLE)
