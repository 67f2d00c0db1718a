"""职工培训: a sheet kind a union adds from its own package, the way unionstats registers its own.

Its sheet, its typed figures, the function that measures them, a card, a chart, a page, a summary section and a
key figure: one module, and one entry point (`trainings = outside.trainings:KIND` in the group
`unionstats.kinds`). Nothing of unionstats is changed for it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from unionstats.charts.chart import Chart, bar_chart, heading
from unionstats.contract import schema
from unionstats.contract.registry import Card
from unionstats.figures.engine import money, totals
from unionstats.figures.typed import Figures
from unionstats.kinds.kind import Kind, Page, Table
from unionstats.writing.chinese import yuan
from unionstats.writing.summary import Section, Writer
from unionstats.writing.tables import rows

SHEET = schema.Sheet(
    "trainings", "职工培训", ("培训记录", "trainings"), "每行一期培训，填写参训人次与学时。",
    (
        schema.Column("date", "日期", ("开班日期",), schema.DATE, "Excel 日期", required=True),
        schema.Column("name", "培训名称", ("名称",), schema.TEXT, "如：安全生产培训", required=True),
        schema.Column("trainees", "参训人次", ("人次",), schema.INT, "整数，不小于 0", required=True),
        schema.Column("hours", "学时", (), schema.INT, "整数；不填记为 0", default=0),
        schema.Column("cost", "培训费", ("费用",), schema.MONEY, "单位：元；不填记为 0", default=0.0),
        schema.Column("teacher", "授课人", (), schema.TEXT, "个人信息：只保存，不显示", personal=True),
        schema.UNIT,
    ),
    example={"date": dt.date(2024, 3, 1), "name": "安全生产培训", "trainees": 40, "hours": 8, "cost": 1200.0},
    rules=("职工培训：一期培训填一行，同一期分几天举办的也只填一行。",),
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


def measure(rows: pd.DataFrame, members: dict[str, int], view: object) -> TrainingFigures:
    return TrainingFigures(len(rows), int(rows["trainees"].sum()), int(rows["hours"].sum()),
                           money(rows["cost"].sum()), totals(rows, "unit", Group, {"trainees": "trainees"}))


def trainees_by_unit(result: Figures, scope: str) -> Chart:
    by = result.of(KIND).by_unit
    return bar_chart(heading(result.period, "各单位参训人次", scope), list(by), [g.trainees for g in by.values()],
                     "人次", empty="本期没有培训记录", help="参训人次：各单位培训记录的“参训人次”之和")


def section(writer: Writer) -> Section | None:
    found = writer.result.of(KIND)
    if not found.count:
        return None
    return Section("加强职工培训，提升职工素质",
                   [f"{writer.when}举办职工培训{found.count}期，参训{found.trainees}人次"
                    f"{writer.compare(lambda f: f.of(KIND).trainees, lambda n: f'{n:g}人次')}。"])


def key_figures(result: Figures) -> list[tuple[str, str]]:
    found = result.of(KIND)
    return [("职工培训", f"{found.count}期"), ("培训费", yuan(found.cost))] if found.count else []


TRAINEES: Card[Figures] = Card("参训人次", lambda f: f.of(KIND).trainees, "人次", help="培训表“参训人次”之和")

KIND: Kind[TrainingFigures] = Kind(
    SHEET, measure, 90, (trainees_by_unit,), (TRAINEES,), section,
    pages=(Page("职工培训", "pages/9_职工培训.py", ":material/school:", (TRAINEES,), (trainees_by_unit,),
                table=Table("培训明细", lambda dataset, period, units, result: rows(dataset, "trainings", period,
                                                                                    units))),),
    key_figures=key_figures,
)
