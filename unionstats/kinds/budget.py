"""预算: the year's budget per 科目, and how much of it the activities and visits have spent.

An office is asked how much of this year's budget has been spent, and on what. Each row of the 预算 sheet is one
科目's budget for one year and unit: an activity category, a 慰问 reason, or a line that sums several of them.
Spending is read from the 活动 and 慰问 sheets of the same unit, from the first day of the year to the last day
of the view, and set against the share of the year gone by. Each 科目 falls under a subject of the 工会会计制度
(职工活动支出, 维权支出, 业务支出), as `LINES` maps it; docs/workbook-format.md says the same to the clerk.

A 科目 whose spending no sheet records (业务支出: cadre training, meetings; an unrecognised 科目) keeps its budget in
the 全年预算 but is never counted in a 执行率. Where a unit writes a sum line and the lines it sums, the sum line is
its budget for them and the detail lines are shown on their own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from unionstats.charts.chart import LINE, Chart, Grid, Series, month_axis
from unionstats.contract.periods import RANGE, YEAR, Period
from unionstats.contract.registry import Card
from unionstats.contract.schema import CATEGORY, MONEY, NOTES, OTHER, UNIT, Column, Sheet, _year
from unionstats.figures.engine import View, money, rate
from unionstats.figures.typed import Figures
from unionstats.intake.model import Dataset
from unionstats.kinds import events, visits
from unionstats.kinds.kind import Kind, Page, Table
from unionstats.writing.chinese import listing, percent, yuan
from unionstats.writing.summary import Writer

ACTIVITIES, RIGHTS, BUSINESS = "职工活动支出", "维权支出", "业务支出"  # the 工会会计制度's subjects
MARGIN = 0.1  # a 科目 whose 执行率 is this far ahead of or behind the share of the year gone by is named
SPENT = {"events": ("category", "spending"), "visits": ("reason", "amount")}  # where each sheet's money is


@dataclass(frozen=True)
class Line:
    """A 科目: its name, the subject it falls under, and the (sheet, category) pairs whose spending it counts
    (none: no sheet records it)."""

    name: str
    subject: str
    covers: frozenset[tuple[str, str]]


EVENT_LINES = tuple(Line("其他活动" if c == OTHER else c, RIGHTS if c == "民主管理" else ACTIVITIES,
                         frozenset({("events", c)})) for c in events.CATEGORIES)
VISIT_LINES = tuple(Line("其他慰问" if r == OTHER else r, RIGHTS if r == "困难帮扶" else ACTIVITIES,
                         frozenset({("visits", r)})) for r in visits.REASONS)
DETAIL = EVENT_LINES + VISIT_LINES
LINES = (
    *DETAIL,
    Line("活动经费", f"{ACTIVITIES}、{RIGHTS}", frozenset().union(*(d.covers for d in EVENT_LINES))),
    Line("慰问经费", f"{ACTIVITIES}、{RIGHTS}", frozenset().union(*(d.covers for d in VISIT_LINES))),
    Line(ACTIVITIES, ACTIVITIES, frozenset().union(*(d.covers for d in DETAIL if d.subject == ACTIVITIES))),
    Line(RIGHTS, RIGHTS, frozenset().union(*(d.covers for d in DETAIL if d.subject == RIGHTS))),
    Line(BUSINESS, BUSINESS, frozenset()),
    Line(OTHER, "未对应科目", frozenset()),
)
BY_NAME = {line.name: line for line in LINES}

SHEET = Sheet(
    "budget", "预算", ("预算执行", "年度预算", "经费预算", "budget"),
    "每行一个科目的全年预算；科目为活动类别、慰问事由或其合计。",
    (
        _year("预算年度"),
        Column("subject", "科目", ("预算科目", "支出科目", "项目", "subject"), CATEGORY,
               "从下拉列表选择：活动类别、慰问事由，或活动经费、慰问经费、职工活动支出、维权支出、业务支出",
               required=True, choices=tuple(line.name for line in LINES if line.name != OTHER),
               synonyms={"活动支出": "活动经费", "慰问支出": "慰问经费", "慰问金": "慰问经费", "维权": RIGHTS, "帮扶": "困难帮扶",
                         "会议": BUSINESS, "干部培训": BUSINESS, "专项业务": BUSINESS},
               width=16),
        Column("amount", "预算金额", ("预算", "金额", "全年预算", "amount"), MONEY,
               "单位：元；表头写“预算金额（万元）”时按万元读", required=True, width=14),
        UNIT,
        NOTES,
    ),
    example={"date": 2024, "subject": "文体活动", "amount": 60000.0, "unit": "机关工会"},
    rules=("同一单位同一年度，每个科目填一行；填了合计行（如“活动经费”）时，它就是这些支出的预算，其下的明细行只单独显示执行情况。",
           "同一单位同一年度的预算再次导入时，以最后导入的为准。"),
    optional=True,
)


@dataclass(frozen=True)
class BudgetLine:
    """One 科目 of the view: its budget, what its units spent on it in the year so far (None: no sheet records
    it), and the 执行率 (None likewise)."""

    subject: str
    budget: float
    spent: float | None
    rate: float | None


@dataclass(frozen=True)
class BudgetFigures:
    """The budget of the view's year (that of its last day) and its execution up to the view's last day, over the
    units with a budget that year. Without a budget, `budget` (and so every card) is None: nothing about budgets is
    shown.

    `budget` is the whole 全年预算, `counted` the part whose spending the sheets record (the 执行率's base),
    `elapsed` the share of the year gone by, `cumulative` the spending month by month from January
    ({"2024-05": yuan}), and `over`, `ahead` and `behind` name the 科目 that spent more than their budget, or ran
    ahead of or behind the year's share by more than `MARGIN`."""

    count: int = 0
    year: int | None = None
    budget: float | None = None
    counted: float = 0.0
    spent: float = 0.0
    rate: float | None = None
    elapsed: float = 0.0
    by_line: dict[str, BudgetLine] = field(default_factory=dict)
    cumulative: dict[str, float] = field(default_factory=dict)
    over: list[str] = field(default_factory=list)
    ahead: list[str] = field(default_factory=list)
    behind: list[str] = field(default_factory=list)


def year_to_date(period: Period) -> Period:
    """The days a budget's execution reads for a view: from the first day of its last day's year to that day."""
    return Period(dt.date(period.end.year, 1, 1), period.end, RANGE)


def elapsed(day: dt.date) -> float:
    """The share of the year gone by at the end of `day`: in whole months at a month's end (第二季度末 is 50%),
    else in days."""
    if month_end(day):
        return day.month / 12
    first = dt.date(day.year, 1, 1)
    return ((day - first).days + 1) / (dt.date(day.year + 1, 1, 1) - first).days


def month_end(day: dt.date) -> bool:
    return (day + dt.timedelta(days=1)).day == 1


def top_lines(names: set[str]) -> set[str]:
    """Of one unit's 科目, those no other of them sums: its budget is theirs."""
    return {n for n in names if not any(BY_NAME[n].covers < BY_NAME[m].covers for m in names if m != n)}


def budget_figures(rows: pd.DataFrame, view: View) -> BudgetFigures:
    """预算: the budget of the view's year and what its units spent against it, year to date."""
    if view.period is None or rows.empty:
        return BudgetFigures()
    year = view.period.end.year
    rows = rows[rows["date"].dt.year == year]
    if rows.empty:
        return BudgetFigures()
    known = rows["subject"].map(lambda name: name if name in BY_NAME else OTHER)
    budgets = rows.assign(subject=known).groupby(["unit", "subject"], sort=False)["amount"].sum()
    lines_of = {unit: set(group.index.get_level_values("subject"))
                for unit, group in budgets.groupby(level="unit", sort=False)}
    spent = spending(view, year_to_date(view.period), set(lines_of))
    covered = [(unit, *pair) for unit, names in lines_of.items() for name in names for pair in BY_NAME[name].covers]
    counted_rows = spent[pd.MultiIndex.from_frame(spent[["unit", "sheet", "category"]]).isin(covered)]
    by_pair = counted_rows.groupby(["unit", "sheet", "category"])["money"].sum().to_dict()
    by_line = {}
    for line in LINES:
        units = [unit for unit, names in lines_of.items() if line.name in names]
        if units:
            budget = money(sum(budgets[unit, line.name] for unit in units))
            used = money(sum(by_pair.get((unit, *pair), 0.0) for unit in units for pair in line.covers)) \
                if line.covers else None
            by_line[line.name] = BudgetLine(line.subject, budget, used, rate(used, budget) if used is not None
                                            else None)
    counted = money(sum(budgets[unit, name] for unit, names in lines_of.items() for name in top_lines(names)
                        if BY_NAME[name].covers))
    total_spent = money(counted_rows["money"].sum())
    share = elapsed(view.period.end)
    over = [n for n, line in by_line.items() if line.spent is not None and line.spent > line.budget]
    rated = {name: line.rate for name, line in by_line.items() if line.rate is not None and name not in over}
    return BudgetFigures(
        count=len(rows), year=year, budget=money(budgets.sum()), counted=counted, spent=total_spent,
        rate=rate(total_spent, counted), elapsed=share, by_line=by_line,
        cumulative=cumulative(counted_rows, view.period.end),
        over=over,
        ahead=[n for n, r in rated.items() if r > share + MARGIN],
        behind=[n for n, r in rated.items() if r < share - MARGIN],
    )


def spending(view: View, days: Period, units: set[str]) -> pd.DataFrame:
    """Every activity's and visit's money in `days` of `units`: unit, sheet, category, date, money."""
    found = []
    for key, (category, amount) in SPENT.items():
        frame = view.rows(key, days)
        frame = frame[frame["unit"].isin(units)]
        found.append(pd.DataFrame({"unit": frame["unit"], "sheet": key, "category": frame[category],
                                   "date": frame["date"], "money": frame[amount].astype(float)}))
    return pd.concat(found, ignore_index=True)


def cumulative(rows: pd.DataFrame, end: dt.date) -> dict[str, float]:
    """The money spent from January to the end of each month up to `end`'s month, in time order."""
    months = rows.groupby(rows["date"].dt.month)["money"].sum()
    running, total = {}, 0.0
    for month in range(1, end.month + 1):
        total += float(months.get(month, 0.0))
        running[f"{end.year}-{month:02d}"] = money(total)
    return running


def figures_of(result: Figures) -> BudgetFigures:
    return result.of(KIND)


def spent_so_far(found: BudgetFigures) -> float | None:
    return None if found.budget is None else found.spent


BUDGET: Card[Figures] = Card("全年预算", lambda f: figures_of(f).budget, money=True, optional=True,
                             help="预算表本年度“预算金额”之和（含活动、慰问表不记录支出的科目）")
SPENT_CARD: Card[Figures] = Card("已支出", lambda f: spent_so_far(figures_of(f)), money=True, optional=True,
                                 help="有预算的单位自1月1日至期末，预算科目所含活动“支出”与慰问“金额”之和")
RATE: Card[Figures] = Card("预算执行率", lambda f: figures_of(f).rate, rate=True, optional=True,
                           help="已支出 ÷ 计入执行率的预算（不含业务支出等无支出记录的科目）")

BUDGET_COLOUR, SPENT_COLOUR, LEVEL_COLOUR = "#2E86C1", "#C0392B", "#7F8C8D"


def budget_by_line(result: Figures, scope: str) -> Chart:
    """Each 科目's budget beside what was spent on it (those whose spending the sheets record)."""
    found = figures_of(result)
    lines = {name: line for name, line in found.by_line.items() if line.spent is not None}
    series = (Series(tuple(line.budget for line in lines.values()), "元", "预算", (BUDGET_COLOUR,), reference=True),
              Series(tuple(line.spent for line in lines.values() if line.spent is not None), "元", "实际支出",
                     (SPENT_COLOUR,)))
    title = f"{scope} {months(result)}各科目预算与实际支出".strip()
    pace = f"时间进度{percent(found.elapsed)}；" if found.budget is not None else ""
    return Chart(title, tuple(lines), series if lines else (), horizontal=len(lines) > 6,
                 empty="没有可计算执行情况的预算科目", together=True, worth=found.budget is not None,
                 help=f"{pace}预算：预算表各科目“预算金额”之和；实际支出：有该科目预算的单位自1月1日至期末的活动支出、"
                      "慰问金额；业务支出等无支出记录的科目不在图中")


def spending_by_month(result: Figures, scope: str) -> Chart:
    """The money spent from January, month by month, against the year's budget as a level."""
    found = figures_of(result)
    labels, ticks = month_axis(found.cumulative)
    series = (Series(tuple(found.cumulative.values()), "元", "累计支出", (SPENT_COLOUR,)),
              Series(tuple(found.counted for _ in labels), "元", "全年预算", (LEVEL_COLOUR,),
                     reference=True)) if labels else ()
    return Chart(f"{scope} {months(result)}累计支出与全年预算".strip(), labels, series, LINE, empty="没有预算数据", together=True, additive=False,
                 ticks=ticks, worth=found.budget is not None,
                 help="累计支出：有预算的单位自1月1日起到各月底的预算科目支出；全年预算：计入执行率的预算（不含业务支出等）")


def months(result: Figures) -> str:
    """The months a budget's execution covers: 2025年1—9月, 2025年1月, or nothing without a budget."""
    year, end = figures_of(result).year, result.period.end if result.period else None
    if year is None or end is None:
        return ""
    return f"{year}年1月" if end.month == 1 else f"{year}年1—{end.month}月"


def progress(line: BudgetLine, share: float) -> str:
    """How a 科目 stands against the year's share: 超支, 偏快, 偏慢, 正常, or 无支出记录."""
    if line.spent is None:
        return "无支出记录"
    if line.spent > line.budget:
        return "超支"
    if line.rate is None:  # a budget of 0, nothing spent
        return "正常"
    return "偏快" if line.rate > share + MARGIN else "偏慢" if line.rate < share - MARGIN else "正常"


def line_rows(found: BudgetFigures) -> list[tuple[str, BudgetLine, str]]:
    return [(name, line, progress(line, found.elapsed)) for name, line in found.by_line.items()]


def line_table(result: Figures) -> pd.DataFrame:
    found = figures_of(result)
    records = [{"科目": name, "会计科目": line.subject, "预算（元）": line.budget,
                "已支出（元）": line.spent, "执行率": "" if line.rate is None else percent(line.rate), "进度": state}
               for name, line, state in line_rows(found)]
    return pd.DataFrame(records, columns=["科目", "会计科目", "预算（元）", "已支出（元）", "执行率", "进度"])


def slides(result: Figures) -> list[Grid]:
    found = figures_of(result)
    if found.budget is None:
        return []
    rows = tuple((name, line.subject, yuan(line.budget), "—" if line.spent is None else yuan(line.spent),
                  "—" if line.rate is None else percent(line.rate), state) for name, line, state in line_rows(found))
    return [Grid(f"{found.year}年预算执行情况", f"时间进度{percent(found.elapsed)}；执行率＝已支出÷预算",
                 ("科目", "会计科目", "预算", "已支出", "执行率", "进度"), rows)]


def absent(result: Figures) -> str | None:
    if figures_of(result).budget is not None:
        return None
    year = f"{result.period.end.year}年" if result.period else "所选期间"
    return f"{year}没有预算数据。在工作簿中加入“预算”表（预算年度、科目、预算金额、单位），导入后即可查看预算执行情况。"


def funds(writer: Writer) -> str:
    """The budget's sentence in 规范经费管理: the year's budget, spent so far, the 执行率 against the year's share,
    its change on the same point a year before, and the 科目 over, ahead of or behind it."""
    found = figures_of(writer.result)
    if found.budget is None or found.rate is None:
        return ""
    end, closed = writer.period.end, found.elapsed == 1  # (a year's summary: the year is over)
    until = "全年" if closed else f"截至{end.month}月底" if month_end(end) else f"截至{end.month}月{end.day}日"
    said = (f"{found.year}年全年经费预算{yuan(found.budget)}，{until}实际支出{yuan(found.spent)}，"
            f"预算执行率{percent(found.rate)}（时间进度{percent(found.elapsed)}）{points_moved(writer)}")
    notes = []
    if found.over:
        notes.append(f"{listing(found.over)}支出已超出预算，需从严控制")
    if found.ahead:
        notes.append(f"{listing(found.ahead)}执行快于时间进度")
    if found.behind:
        notes.append(f"{listing(found.behind)}执行率不足{percent(1 - MARGIN)}，结余较多" if closed
                     else f"{listing(found.behind)}执行慢于时间进度，需加快推进")
    if found.budget != found.counted:
        notes.append(f"另有业务支出等预算{yuan(found.budget - found.counted)}，活动、慰问表不记录其支出，未计入执行率")
    return said + ("；" + "；".join(notes) if notes else "") + "。"


def points_moved(writer: Writer) -> str:
    """The 执行率 against the same point of the year before, in percentage points: `，比去年同期提高3.2个百分点`."""
    comparison = writer.result.year_ago  # (for a year, the year before: its 上年)
    if comparison is None:
        return ""
    now, before = comparison.pair(lambda f: figures_of(f).rate)
    if now is None or before is None:
        return ""
    against = "去年同期" if writer.period.kind != YEAR else writer.before
    points = round((now - before) * 100, 1)
    if not points:
        return f"，与{against}持平"
    return f"，比{against}{'提高' if points > 0 else '下降'}{abs(points):g}个百分点"


def key_figures(result: Figures) -> list[tuple[str, str]]:
    found = figures_of(result)
    if found.rate is None:
        return []
    return [("预算执行率", percent(found.rate))]


def line(result: Figures) -> str:
    found = figures_of(result)
    if found.budget is None:
        return ""
    rated = f"，执行率 {percent(found.rate)}" if found.rate is not None else ""
    return (f"预算 {found.year}年 {yuan(found.budget)}，已支出 {yuan(found.spent)}{rated}"
            f"（时间进度 {percent(found.elapsed)}）")


def has_budget(dataset: Dataset) -> bool:
    return bool(len(dataset.frame(SHEET.key)))


KIND: Kind[BudgetFigures] = Kind(
    SHEET, lambda rows, members, view: budget_figures(rows, view), 50,
    (budget_by_line, spending_by_month), (BUDGET, SPENT_CARD, RATE), migrated=True,
    reach=year_to_date,
    pages=(Page("预算执行", "pages/8_预算执行.py", ":material/account_balance_wallet:",
                (BUDGET, SPENT_CARD, RATE), (budget_by_line, spending_by_month), columns=1,
                table=Table("各科目预算执行情况", lambda dataset, period, units, result: line_table(result)),
                listed=has_budget, absent=absent),),
    overview_cards=(BUDGET, RATE),
    funds=funds, key_figures=key_figures, line=line, slides=slides,
)
