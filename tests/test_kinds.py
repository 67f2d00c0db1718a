"""A fifth sheet kind, 职工培训, defined here as a plug-in would be: its sheet and one module's worth of code.

Registered, it is loaded, checked, stored, counted, charted, summarised, templated and exported, with no
change anywhere else.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

import openpyxl
import pandas as pd
import pytest
from workbooks import workbook_bytes

from unionstats.charts import chart as chart_rules
from unionstats.contract import registry, schema
from unionstats.contract.periods import parse_period
from unionstats.exports.template import write_template
from unionstats.exports.workbook import write_dataset
from unionstats.figures.engine import figures, money, totals
from unionstats.intake.loading import load_bytes
from unionstats.kinds.kind import Kind
from unionstats.store.batches import Store
from unionstats.store.database import forget_table
from unionstats.writing.summary import Section, write_summary

TRAININGS = schema.Sheet(
    "trainings", "职工培训", ("培训记录", "trainings"), "每行一期培训，填写参训人次与学时。",
    (
        schema.Column("date", "日期", ("开班日期",), schema.DATE, "Excel 日期", required=True),
        schema.Column("name", "培训名称", ("名称",), schema.TEXT, "如：安全生产培训", required=True),
        schema.Column("trainees", "参训人次", ("人次",), schema.INT, "整数，不小于 0", required=True),
        schema.Column("hours", "学时", (), schema.INT, "整数；不填记为 0", default=0),
        schema.Column("cost", "培训费", ("费用",), schema.MONEY, "单位：元；不填记为 0", default=0.0),
        schema.UNIT,
    ),
    example={"date": dt.date(2024, 3, 1), "name": "安全生产培训", "trainees": 40, "hours": 8, "cost": 1200.0},
)


@dataclass(frozen=True)
class Group:
    count: int
    trainees: int


@dataclass(frozen=True)
class TrainingFigures:
    count: int = 0
    trainees: int = 0
    hours: int = 0
    cost: float = 0.0
    by_unit: dict[str, Group] = field(default_factory=dict)


def training_figures(rows: pd.DataFrame, members: dict[str, int]) -> TrainingFigures:
    return TrainingFigures(len(rows), int(rows["trainees"].sum()), int(rows["hours"].sum()),
                           money(rows["cost"].sum()), totals(rows, "unit", Group, {"trainees": "trainees"}))


def trainees_by_unit(result, scope: str) -> chart_rules.Chart:
    by = result.sheet("trainings").by_unit
    return chart_rules.bar_chart(chart_rules.heading(result.period, "各单位参训人次", scope), list(by),
                                 [g.trainees for g in by.values()], "人次", empty="本期没有培训记录",
                                 help="参训人次：各单位培训记录的“参训人次”之和")


def training_section(writer) -> Section | None:
    found = writer.result.sheet("trainings")
    if not found.count:
        return None
    return Section("加强职工培训，提升职工素质",
                   [f"{writer.when}举办职工培训{found.count}期，参训{found.trainees}人次"
                    f"{writer.compare(lambda f: f.sheet('trainings').trainees, lambda n: f'{n}人次')}。"])


KIND = Kind(TRAININGS, training_figures, 90, (trainees_by_unit,),
            (registry.Card("参训人次", lambda f: f.sheet("trainings").trainees, "人次"),), training_section)
HEAD = ["日期", "培训名称", "参训人次", "学时", "培训费（万元）", "单位"]


@pytest.fixture
def registered():
    registry.register(KIND)
    yield KIND
    registry.unregister(KIND.key)
    forget_table(KIND.key)


def workbook(rows: list[list]) -> bytes:
    return workbook_bytes({"活动": [["日期", "活动名称", "参与人次", "单位"], ["2024-04-03", "健步走", 50, "机关工会"]],
                           "2024年二季度职工培训": [HEAD, *rows]})


ROWS = [["2024-04-10", "安全生产培训", 40, 8, 0.12, "机关工会"],
        ["2024-05-20", "急救知识培训", 25, 4, "0.36", "机关工会"],
        ["2024-06-30", "工会干部培训", 6, 16, 1, "一分会"],
        ["2024-01-15", "新春技能培训", 30, 2, 0.05, "机关工会"]]


def test_a_registered_kind_is_loaded_with_its_columns_and_units(registered):
    dataset = load_bytes(workbook(ROWS), "q2.xlsx")
    assert dataset.report.errors == [] and dataset.report.warnings == []
    frame = dataset.frame("trainings")
    assert frame["trainees"].tolist() == [40, 25, 6, 30]
    assert frame["cost"].tolist() == [1200.0, 3600.0, 10000.0, 500.0], "万元 in the header, text or number"
    assert frame["row"].tolist() == [2, 3, 4, 5] and set(frame["sheet"]) == {"2024年二季度职工培训"}


def test_a_registered_kind_is_checked_cell_by_cell(registered):
    dataset = load_bytes(workbook([*ROWS[:2], ["2024-06-01", "", "十几", None, None, None]]), "bad.xlsx")
    places = {(i.sheet, i.row, i.column) for i in dataset.report.errors}
    assert places == {("2024年二季度职工培训", 4, "培训名称"), ("2024年二季度职工培训", 4, "参训人次")}


def test_a_registered_kind_is_counted_compared_charted_and_summarised(registered):
    dataset = load_bytes(workbook(ROWS), "q2.xlsx")
    result = figures(dataset, parse_period("2024Q2"))
    found = result.sheet("trainings")
    assert (found.count, found.trainees, found.hours, found.cost) == (3, 71, 28, 14800.0)
    assert found.by_unit == {"一分会": Group(1, 6), "机关工会": Group(2, 65)}
    # Only 机关工会 trained in Q1: the change is its own, 40 + 25 against 30.
    assert result.previous.pair(lambda f: f.sheet("trainings").trainees) == (65, 30)
    assert result.to_json()["trainings"]["cost"] == 14800.0
    chart = KIND.charts[0](result, "全部单位")
    assert dict(zip(chart.categories, chart.series[0].values)) == {"一分会": 6, "机关工会": 65}
    text = write_summary(result).text()
    assert ("加强职工培训，提升职工素质\n本季度举办职工培训3期，参训71人次，"
            f"其中与上季度可比的单位65人次，较上季度增长{(65 - 30) / 30 * 100:.1f}%。") in text


def test_a_registered_kind_is_stored_and_read_back(registered, tmp_path):
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    assert store.import_bytes(workbook(ROWS), "q2.xlsx").ok
    stored = figures(store.dataset(), parse_period("2024Q2")).sheet("trainings")
    assert (stored.count, stored.trainees, stored.cost) == (3, 71, 14800.0)


def test_a_registered_kind_is_in_the_template_and_the_export(registered, tmp_path):
    template = io.BytesIO()
    write_template(template)
    book = openpyxl.load_workbook(template)
    assert [c.value for c in book["职工培训"][1]] == ["日期", "培训名称", "参训人次", "学时", "培训费（元）", "单位"]
    exported = io.BytesIO()
    write_dataset(load_bytes(workbook(ROWS), "q2.xlsx"), exported)
    back = load_bytes(exported.getvalue(), "export.xlsx")
    assert back.report.errors == []
    assert back.frame("trainings")["cost"].tolist() == [1200.0, 3600.0, 10000.0, 500.0]


def test_unregistered_the_sheet_is_not_read():
    assert "trainings" not in registry.sheets_by_key()
    dataset = load_bytes(workbook(ROWS), "q2.xlsx")
    assert "trainings" not in dataset.frames() and len(dataset.events) == 1


def test_unregistered_its_table_is_gone_from_new_stores(tmp_path):
    import sqlalchemy as sa

    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    assert "trainings" not in sa.inspect(store.engine).get_table_names()
