"""慰问: the visits a union pays (the sick, weddings, births, funerals, retirees, families in hardship), with
people visited and money given.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from unionstats.charts.chart import (
    Chart,
    bar_chart,
    heading,
    palette,
)
from unionstats.contract import schema
from unionstats.contract.registry import Card
from unionstats.contract.schema import (
    CATEGORY,
    INT,
    MONEY,
    NOTES,
    OTHER,
    TEXT,
    UNIT,
    Column,
    Sheet,
    _date,
)
from unionstats.figures import analysis
from unionstats.figures.engine import (
    by_month,
    money,
    monthly,
    totals,
)
from unionstats.figures.typed import Figures
from unionstats.kinds.kind import Kind, Page, Table
from unionstats.writing.chinese import listing, trend, yuan
from unionstats.writing.summary import Section, Writer, headcount
from unionstats.writing.tables import category_table

REASONS = (
    "生病住院", "结婚", "生育", "丧事", "困难帮扶", "离退休慰问",
    "生日祝寿", "节日慰问", "谈心谈话", OTHER,
)

GROUPS = ("在职职工", "离退休人员", "女职工", "学生", OTHER)

SHEET = Sheet(
    "visits", "慰问", ("看望慰问", "慰问记录", "帮扶", "visits"),
    "每行一次慰问（或同一事由的一组慰问），填写人次与金额。",
    (
        _date("慰问日期"),
        Column("reason", "事由", ("慰问事由", "原因", "类型", "reason"), CATEGORY,
               "从下拉列表选择；住院、生病→生病住院，新婚→结婚，去世、办丧→丧事等会自动归类",
               required=True, choices=REASONS,
               synonyms={
                   "住院": "生病住院", "生病": "生病住院", "病": "生病住院", "看病": "生病住院",
                   "新婚": "结婚", "婚": "结婚",
                   "生孩子": "生育", "产假": "生育", "分娩": "生育", "生产": "生育",
                   "去世": "丧事", "丧葬": "丧事", "办丧": "丧事", "丧": "丧事", "病故": "丧事",
                   "困难": "困难帮扶", "帮扶": "困难帮扶", "救助": "困难帮扶",
                   "退休": "离退休慰问", "离休": "离退休慰问", "老干部": "离退休慰问",
                   "生日": "生日祝寿", "祝寿": "生日祝寿", "寿": "生日祝寿",
                   "节日": "节日慰问", "春节": "节日慰问", "中秋": "节日慰问", "端午": "节日慰问",
                   "谈心": "谈心谈话", "谈话": "谈心谈话",
               }, width=12),
        Column("group", "对象类别", ("人员类别", "group"), CATEGORY,
               "从下拉列表选择；可不填", choices=GROUPS,
               synonyms={"职工": "在职职工", "在职": "在职职工", "员工": "在职职工", "教职工": "在职职工",
                         "退休": "离退休人员", "离休": "离退休人员", "离退休": "离退休人员",
                         "女工": "女职工", "困难学生": "学生"}, width=12),
        Column("person", "对象", ("姓名", "慰问对象", "person"), TEXT,
               "个人信息：只保存，不在图表、总结和导出中显示", width=12, personal=True),
        Column("count", "人次", ("次数", "人数", "count"), INT,
               "整数，不小于 1；不填记为 1", default=1, minimum=1, width=8),
        Column("amount", "金额", ("慰问金", "慰问金额", "费用", "amount"), MONEY,
               "慰问金与慰问品价值合计，单位：元；不填记为 0", default=0.0, width=12),
        UNIT,
        NOTES,
    ),
    example={"date": dt.date(2024, 4, 12), "reason": "生病住院", "group": "在职职工", "person": "王某某",
             "count": 1, "amount": 500.0},
)


@dataclass(frozen=True)
class VisitGroup:
    """Visits of one reason, group or month: rows, people visited (the sum of 人次) and money."""

    records: int
    people: int
    amount: float

@dataclass(frozen=True)
class VisitFigures:
    count: int = 0
    amount: float = 0.0
    records: int = 0
    by_reason: dict[str, VisitGroup] = field(default_factory=dict)
    by_group: dict[str, VisitGroup] = field(default_factory=dict)
    by_month: dict[str, VisitGroup] = field(default_factory=dict)


def visit_figures(visits: pd.DataFrame) -> VisitFigures:
    """慰问: people visited (the sum of 人次, not rows) and money, by reason, group and month."""
    sums = {"people": "count", "amount": "amount"}
    return VisitFigures(
        count=int(visits["count"].sum()),
        amount=money(visits["amount"].sum()),
        records=len(visits),
        by_reason=totals(visits, "reason", VisitGroup, sums, REASONS, rows="records"),
        by_group=totals(visits, "group", VisitGroup, sums, GROUPS + (schema.UNSPECIFIED,),
                        rows="records"),
        by_month=by_month(monthly(visits, ["count", "amount"]), VisitGroup, {"records": "rows", **sums}),
    )


COUNT: Card[Figures] = Card("慰问人次", lambda f: f.of(KIND).count, "人次", help="慰问表“人次”之和；一行可记多人次")

AMOUNT: Card[Figures] = Card("慰问金额", lambda f: f.of(KIND).amount, money=True,
                             help="慰问表“金额”之和（慰问金及慰问品）")


REASON_COLOURS, GROUP_COLOURS = palette(REASONS), palette(GROUPS, 3)


def visits_by_reason(result: Figures, scope: str) -> Chart:
    by = result.of(KIND).by_reason
    return bar_chart(heading(result.period, "慰问人次（按事由）", scope), list(by), [v.people for v in by.values()],
                     "人次", colours=REASON_COLOURS, empty="本期没有慰问记录",
                     help="慰问人次：各事由慰问记录的“人次”之和（未填人次的记录计1人次）")


def visits_by_group(result: Figures, scope: str) -> Chart:
    by = result.of(KIND).by_group
    return bar_chart(heading(result.period, "慰问人次（按对象类别）", scope), list(by), [v.people for v in by.values()],
                     "人次", colours=GROUP_COLOURS, empty="本期没有慰问记录",
                     help="慰问人次：各对象类别慰问记录的“人次”之和（未填人次的记录计1人次）；未填对象类别的计入“未注明”")

def section(writer: Writer) -> Section | None:
        visits = writer.result.of(KIND)
        if not visits.count:
            return None
        reasons = list(visits.by_reason)
        largest = sorted((r for r in reasons if r != schema.OTHER), key=lambda r: -visits.by_reason[r].people)[:4]
        named = [r for r in reasons if r in largest]
        head = f"{writer.when}对职工{listing(named, more=len(reasons) > len(named))}" if named else writer.when
        amount = (f"，发放慰问金及慰问品{yuan(visits.amount)}{writer.compare(lambda f: f.of(KIND).amount, yuan)}"
                  if visits.amount else "")
        paragraphs = [f"工会时刻把职工的冷暖放在心上。{head}共看望慰问{visits.count}人次"
                      f"{writer.compare(lambda f: f.of(KIND).count, headcount)}{amount}。"]
        if len(reasons) > 1:
            detail = "、".join(f"{r}{g.people}人次" for r, g in visits.by_reason.items() if g.people)
            paragraphs.append(f"其中，{detail}。")
        groups = {g: v.people for g, v in visits.by_group.items() if g != schema.UNSPECIFIED and v.people}
        if groups:
            paragraphs[-1] += f"从慰问对象看，{'、'.join(f'{g}{n}人次' for g, n in groups.items())}。"
        return Section("坚持走访慰问，把组织关怀送到职工心坎上", paragraphs)





def visit_reasons(result: Figures) -> pd.DataFrame:
    return category_table(result.of(KIND).by_reason, {"people": "人次", "amount": "金额（元）"}, "事由")


def opening(writer: Writer) -> str | None:
    visits = writer.result.of(KIND)
    return f"看望慰问职工{visits.count}人次" if visits.count else None


def visits_drop(result: Figures) -> analysis.Drop | None:
    """People visited fell by a third or so against the period before, like for like (analysis.sharp_drop)."""
    if result.previous is None:
        return None
    return analysis.sharp_drop(*result.previous.pair(lambda f: f.of(KIND).count))


def observations(writer: Writer) -> list[tuple[int, str]]:
    """Fewer people visited than in the period before (ranked second)."""
    dropped = visits_drop(writer.result)
    if not dropped:
        return []
    now, before = dropped.now, dropped.before
    return [(2, f"{writer.comparable}看望慰问{now}人次，{writer.before}为{before}人次，"
                f"{trend(now, before, writer.before)}，慰问工作的覆盖面值得关注。")]


def key_figures(result: Figures) -> list[tuple[str, str]]:
    visits = result.of(KIND)
    rows = [("看望慰问", f"{visits.count}人次", visits.count), ("慰问金额", yuan(visits.amount), visits.amount)]
    return [(label, value) for label, value, shown in rows if shown]


def line(result: Figures) -> str:
    visits = result.of(KIND)
    return f"慰问 {visits.count} 人次，金额 {yuan(visits.amount)}"


KIND: Kind[VisitFigures] = Kind(
    SHEET, lambda rows, members, view: visit_figures(rows), 20,
    (visits_by_reason, visits_by_group), (COUNT, AMOUNT), section, migrated=True,
    pages=(Page("慰问帮扶", "pages/3_慰问帮扶.py", ":material/volunteer_activism:", (COUNT, AMOUNT),
                (visits_by_reason, visits_by_group),
                table=Table("按事由统计（不显示慰问对象姓名）",
                            lambda dataset, period, units, result: visit_reasons(result))),),
    overview_cards=(COUNT, AMOUNT),
    overview_charts=(visits_by_reason,),
    opening=opening, observations=observations, key_figures=key_figures, line=line,
)
