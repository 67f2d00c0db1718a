"""活动: the activities a union holds (festivals, sports, trips, trainings), with head-counts and spending.

The kind behind 活动参与 and 经费支出: its sheet, its figures (totals, per member and per participant, by
category, month, quarter and unit, the largest, the festivals), its cards, its charts and its summary section.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from unionstats.charts.chart import (
    Chart,
    Grid,
    bar_chart,
    heading,
    monthly_chart,
    palette,
)
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
    by_quarter,
    day,
    leading,
    money,
    monthly,
    rate,
    regrouped,
    tally,
    text,
    totals,
)
from unionstats.figures.typed import Figures
from unionstats.kinds.kind import Kind, Page, Table
from unionstats.writing.chinese import listing, month_day, percent, quoted, yuan
from unionstats.writing.summary import Section, Writer, headcount
from unionstats.writing.tables import category_table, rows

CATEGORIES = ("文体活动", "节日活动", "参观旅游", "学习培训", "民主管理", "志愿公益", OTHER)

COLOURS = palette(CATEGORIES)
SHEET = Sheet(
    "events", "活动", ("活动记录", "活动统计", "events"),
    "每行一次活动：节日、文体、参观、培训等，填写参与人次与支出。",
    (
        _date("活动日期"),
        Column("name", "活动名称", ("活动内容", "名称", "活动", "name"), TEXT,
               "如：三八妇女节趣味运动会", required=True, width=30),
        Column("category", "类别", ("活动类别", "类型", "category"), CATEGORY,
               "从下拉列表选择；不填或无法识别时记为「其他」",
               default=OTHER, choices=CATEGORIES,
               synonyms={
                   "文体": "文体活动", "体育": "文体活动", "文艺": "文体活动", "运动": "文体活动",
                   "节日": "节日活动", "节庆": "节日活动",
                   "参观": "参观旅游", "旅游": "参观旅游", "疗休养": "参观旅游", "春游": "参观旅游",
                   "秋游": "参观旅游",
                   "学习": "学习培训", "培训": "学习培训", "讲座": "学习培训", "读书": "学习培训",
                   "民主": "民主管理", "职代会": "民主管理", "教代会": "民主管理",
                   "志愿": "志愿公益", "公益": "志愿公益", "献血": "志愿公益",
               }, width=12),
        Column("participants", "参与人次", ("参加人次", "参与人数", "参加人数", "人次", "人数", "participants"),
               INT, "整数，不小于 0", required=True, width=11),
        Column("spending", "支出", ("经费", "费用", "金额", "支出金额", "spending"), MONEY,
               "单位：元；可写 1500、1,500、¥1500、1500元 或 0.15万元；不填记为 0", default=0.0, width=12),
        UNIT,
        NOTES,
    ),
    example={"date": dt.date(2024, 3, 8), "name": "三八妇女节趣味运动会", "category": "节日活动",
             "participants": 86, "spending": 4326.5},
)


@dataclass(frozen=True)
class EventGroup:
    """Activities of one category, month or quarter."""

    count: int
    participants: int
    spending: float

@dataclass(frozen=True)
class UnitEvents:
    """One unit's activities; members and rate are None where 单位信息 gave no member count."""

    count: int
    participants: int
    spending: float
    members: int | None
    participation_rate: float | None

@dataclass(frozen=True)
class EventRecord:
    date: dt.date
    name: str
    category: str
    participants: int
    spending: float

@dataclass(frozen=True)
class Festival:
    """节日活动 of one name: how often, how many took part, what it cost, when it was first held."""

    name: str
    count: int
    participants: int
    spending: float
    date: dt.date

@dataclass(frozen=True)
class EventFigures:
    count: int = 0
    participants: int = 0
    spending: float = 0.0
    members: int | None = None
    participation_rate: float | None = None
    spending_per_member: float | None = None
    spending_per_participant: float | None = None
    by_category: dict[str, EventGroup] = field(default_factory=dict)
    by_month: dict[str, EventGroup] = field(default_factory=dict)
    by_quarter: dict[str, EventGroup] = field(default_factory=dict)
    by_unit: dict[str, UnitEvents] = field(default_factory=dict)
    top: list[EventRecord] = field(default_factory=list)
    festivals: list[Festival] = field(default_factory=list)


FESTIVALS = 10

FESTIVAL = "节日活动"

def event_record(row) -> EventRecord:
    return EventRecord(day(row.date), text(row.name), text(row.category), int(row.participants), money(row.spending))

def event_figures(events: pd.DataFrame, members: dict[str, int]) -> EventFigures:
    """活动: totals, per member and participant, by category, month, quarter and unit, the largest."""
    sums = {"participants": "participants", "spending": "spending"}
    participants, spending = int(events["participants"].sum()), money(events["spending"].sum())
    months = monthly(events, sums.values())
    units = tally(events, "unit", sums.values())
    known = units[units.index.isin(list(members))]
    member_count = sum(members.values()) if members else None
    member_spending = known["spending"].sum()
    top = leading(events, ["participants", "date", "name"], [False, True, True])
    return EventFigures(
        count=len(events),
        participants=participants,
        spending=spending,
        members=member_count,
        participation_rate=participation(known, members),
        spending_per_member=money(member_spending / member_count) if member_count else None,
        spending_per_participant=money(spending / participants) if participants else None,
        by_category=totals(events, "category", EventGroup, sums, CATEGORIES),
        by_month=by_month(months, EventGroup, {"count": "rows", **sums}),
        by_quarter=by_quarter(months, EventGroup, {"count": "rows", **sums}),
        by_unit=unit_figures(units, members),
        top=[event_record(r) for r in top.itertuples()],
        festivals=festival_figures(events),
    )

def participation(known: pd.DataFrame, members: dict[str, int]) -> float | None:
    """Participants over (activities x members), both summed over the units (a tally by unit) whose members
    are known."""
    if known.empty:
        return None
    sizes = known.index.map(members).to_numpy(dtype=float)
    return rate(known["participants"].sum(), (known["rows"].to_numpy() * sizes).sum())

def unit_figures(units: pd.DataFrame, members: dict[str, int]) -> dict[str, UnitEvents]:
    """Per unit (from a tally by unit), with each unit's participation rate where its members are known."""
    if units.empty:
        return {}
    by_unit = regrouped(units, EventGroup, {"participants": "participants", "spending": "spending"})
    return {unit: UnitEvents(g.count, g.participants, g.spending, members.get(unit),
                             rate(g.participants, g.count * members.get(unit, 0)))
            for unit, g in by_unit.items()}

def festival_figures(events: pd.DataFrame) -> list[Festival]:
    """节日活动 grouped by name, the largest first: the festivals a summary names."""
    festivals = events[events["category"] == FESTIVAL]
    grouped = festivals.groupby("name", sort=False)
    table = grouped[["participants", "spending"]].sum().assign(count=grouped.size(), first=grouped["date"].min())
    table = table.reset_index().sort_values(["participants", "first", "name"], ascending=[False, True, True])
    return [Festival(text(r.name), int(r.count), int(r.participants), money(r.spending), day(r.first))
            for r in table.head(FESTIVALS).itertuples()]


COUNT: Card[Figures] = Card("活动次数", lambda f: f.of(KIND).count, "次", help="活动表的行数：每行一次活动")

PARTICIPANTS: Card[Figures] = Card("参与人次", lambda f: f.of(KIND).participants, "人次",
                    help="各次活动“参与人次”之和；同一职工参加几次活动按几人次计")

RATE: Card[Figures] = Card("平均参与率", lambda f: f.of(KIND).participation_rate, rate=True,
            help="参与人次 ÷（活动次数 × 会员人数），只计填写了会员人数（单位信息或单位名录）的单位")

SPENDING: Card[Figures] = Card("活动经费支出", lambda f: f.of(KIND).spending, money=True, help="各次活动“支出”之和")

PER_MEMBER: Card[Figures] = Card("人均（按会员）", lambda f: f.of(KIND).spending_per_member, money=True,
                  help="填写了会员人数的单位的活动经费支出 ÷ 这些单位的会员人数之和")

PER_PARTICIPANT: Card[Figures] = Card("每人次", lambda f: f.of(KIND).spending_per_participant, money=True,
                       help="活动经费支出 ÷ 参与人次")



def participation_by_category(result: Figures, scope: str) -> Chart:
    by = result.of(KIND).by_category
    return bar_chart(heading(result.period, "各类活动参与人次", scope), list(by), [v.participants for v in by.values()],
                     "人次", colours=COLOURS, empty="本期没有活动记录",
                     help="参与人次：各类别活动的“参与人次”之和（一人参加多次计多次）")


def participation_over_time(result: Figures, scope: str) -> Chart:
    months = {month: v.participants for month, v in result.of(KIND).by_month.items()}
    return monthly_chart(heading(result.period, "各月参与人次", scope), months, "人次",
                         help="参与人次：按活动日期归月，每月活动的“参与人次”之和；没有活动的月份为0")


def spending_over_time(result: Figures, scope: str) -> Chart:
    months = {month: v.spending for month, v in result.of(KIND).by_month.items()}
    return monthly_chart(heading(result.period, "各月活动经费支出", scope), months, "元",
                         help="经费支出：按活动日期归月，每月活动的“支出”之和；没有支出的月份为0")


def participation_rate_by_unit(result: Figures, scope: str) -> Chart:
    rates = {u: v.participation_rate for u, v in result.of(KIND).by_unit.items()
             if v.participation_rate is not None}
    return bar_chart(heading(result.period, "各单位平均参与率", scope), list(rates),
                     [round(r * 100, 1) for r in rates.values()], "%", horizontal=len(rates) > 4,
                     empty="未填写会员人数，无法计算参与率（请在「单位信息」表填写会员人数）",
                     help="平均参与率：参与人次 ÷（活动次数 × 会员人数），各单位分别计算；会员人数取自「单位信息」表，"
                          "未填写的单位不列出",
                     additive=False, per_unit=True, worth=several_units(result))


def spending_by_category(result: Figures, scope: str) -> Chart:
    by = {k: v for k, v in result.of(KIND).by_category.items() if v.spending}
    return bar_chart(heading(result.period, "各类活动经费支出", scope), list(by), [v.spending for v in by.values()],
                     "元", colours=COLOURS, empty="本期没有经费支出记录",
                     help="经费支出：各类别活动的“支出”之和；没有支出的类别不列出")


def spending_per_head(result: Figures, scope: str) -> Chart:
    units = {u: v.spending / v.members for u, v in result.of(KIND).by_unit.items() if v.members}
    return bar_chart(heading(result.period, "各单位人均活动经费", scope), list(units),
                     [round(v, 2) for v in units.values()], "元", horizontal=len(units) > 4,
                     empty="未填写会员人数，无法计算人均经费",
                     help="人均活动经费：各单位活动“支出”之和 ÷ 该单位会员人数（「单位信息」表）；未填写会员人数的单位不列出",
                     additive=False, per_unit=True, worth=several_units(result))


def unit_comparison(result: Figures, scope: str) -> Chart:
    by = result.of(KIND).by_unit
    ranked = sorted(by.items(), key=lambda kv: -kv[1].participants)[:20] if len(by) > 1 else []
    return bar_chart(heading(result.period, "各单位活动参与人次", scope), [u for u, _ in ranked],
                     [v.participants for _, v in ranked], "人次", horizontal=True, empty="只有一个单位，无需比较",
                     help="参与人次：各单位活动的“参与人次”之和，从多到少排列（最多列出20个单位）",
                     per_unit=True, worth=several_units(result))

def several_units(result: Figures) -> bool:
    """Whether the view has several units with activities to set side by side."""
    return len(result.of(KIND).by_unit) > 1


def section(writer: Writer) -> Section | None:
    """（一）活动: how many, who took part, by category, the largest, the festivals."""
    events = writer.result.of(KIND)
    if not events.count:
        return None
    categories = [f"{name}{v.count}次" + (f"、参与{v.participants}人次" if v.participants else "")
                  for name, v in events.by_category.items()]
    joined = (f"，参与职工{events.participants}人次{writer.compare(lambda f: f.of(KIND).participants, headcount)}"
              if events.participants else "")
    paragraphs = [f"{writer.when}共组织开展各类活动{events.count}次{joined}。"
                  + (f"按类别分，{'；'.join(categories)}。" if len(categories) > 1 else "")]
    top = events.top[0]
    if events.count > 1 and top.participants:
        paragraphs.append(f"其中参与人数最多的是{month_day(top.date)}举办的{quoted(top.name)}，"
                          f"参与职工{top.participants}人次。")
    festivals = events.festivals
    if festivals:
        names = [quoted(f.name) for f in festivals[:4]]
        total = events.by_category["节日活动"]
        joined = f"，共{total.participants}人次参加" if total.participants else ""
        mood = "，营造了温馨和谐的节日氛围" if any(festive(f.name) for f in festivals) else ""
        paragraphs.append(f"围绕传统节日和重要节点，组织开展了{listing(names, more=len(festivals) > 4)}节日活动"
                          f"{total.count}次{joined}{mood}。")
    return Section(activities_heading(events.by_category), paragraphs)



FESTIVE = ("节", "春", "元宵", "元旦", "新年", "除夕", "端午", "中秋", "重阳", "国庆", "三八", "五一", "五四",
           "六一", "七一", "八一", "腊八", "冬至", "清明", "七夕")

def festive(name: str) -> bool:
    """Whether an activity's name says it marks a festival (中秋节游园, 迎新春联欢), so that 节日氛围 is true of it."""
    return any(word in name for word in FESTIVE)

def activities_heading(by_category: dict) -> str:
    """The heading says what was held: 文体活动 only when some were."""
    if "文体活动" in by_category:
        return "组织开展文体活动，丰富职工精神文化生活"
    if set(by_category) <= {"学习培训"}:
        return "加强学习培训，提升职工素质"
    return "组织开展职工活动，增强职工队伍凝聚力"

def spending_table(result: Figures) -> pd.DataFrame:
    labels = {"count": "活动次数", "participants": "参与人次", "spending": "支出（元）"}
    return category_table(result.of(KIND).by_category, labels, "类别")


def opening(writer: Writer) -> str | None:
    events = writer.result.of(KIND)
    if not events.count:
        return None
    rate = events.participation_rate if events.participants else None
    return (f"组织开展各类活动{events.count}次"
            + (f"，参与职工{events.participants}人次" if events.participants else "")
            + (f"，平均每次活动参与率{percent(rate)}" if rate is not None else "")
            + (f"，活动经费支出{yuan(events.spending)}" if events.spending else ""))


def funds(writer: Writer) -> str:
    """What the activities cost: in total, per member and per participant, and by category."""
    events = writer.result.of(KIND)
    if not events.spending:
        return ""
    per_head = []
    if events.spending_per_member:
        per_head.append(f"按会员人数计算人均{yuan(events.spending_per_member)}")
    if events.spending_per_participant:
        per_head.append(f"每人次{yuan(events.spending_per_participant)}")
    shares = sorted(((v.spending, name) for name, v in events.by_category.items() if v.spending), reverse=True)
    structure = "；".join(f"{name}{yuan(amount)}，占{percent(amount / events.spending)}" for amount, name in shares)
    return (f"{writer.when}活动经费支出{yuan(events.spending)}"
            f"{writer.compare(lambda f: f.of(KIND).spending, yuan)}"
            + (f"，{'，'.join(per_head)}" if per_head else "") + "。"
            + (f"从支出结构看，{structure}。" if len(shares) > 1 else ""))


def units(writer: Writer) -> list[Section]:
    """The units side by side: who took part most and least, and who spent what share."""
    events, parts = writer.result.of(KIND), []
    rated = sorted(((u.participation_rate, name) for name, u in events.by_unit.items()
                    if u.participation_rate is not None and u.count), key=lambda pair: (-pair[0], pair[1]))
    counted = sorted(((u.participants, name) for name, u in events.by_unit.items() if u.participants),
                     key=lambda pair: (-pair[0], pair[1]))
    if len(rated) > 1 and rated[0][0] != rated[-1][0]:
        (high, most), (low, least) = rated[0], rated[-1]
        parts.append(Section("职工参与情况", [
            f"按平均每次活动参与率计，{len(rated)}个单位中{most}最高，为{percent(high)}；"
            f"{least}最低，为{percent(low)}。"]))
    elif len(counted) > 1 and counted[0][0] != counted[-1][0]:
        (high, most), (low, least) = counted[0], counted[-1]
        parts.append(Section("职工参与情况", [
            f"按参与人次计，{len(counted)}个单位中{most}最多，为{high}人次；{least}最少，为{low}人次。"]))
    spent = sorted(((u.spending, name) for name, u in events.by_unit.items() if u.spending),
                   key=lambda pair: (-pair[0], pair[1]))
    if len(spent) > 1:
        shown = [f"{name}{yuan(amount)}，占{percent(amount / events.spending)}" for amount, name in spent[:5]]
        rest = spent[5:]
        if rest:
            others = sum(amount for amount, _ in rest)
            shown.append(f"其余{len(rest)}个单位合计{yuan(others)}，占{percent(others / events.spending)}")
        parts.append(Section("经费使用情况", [f"各单位活动经费支出中，{'；'.join(shown)}。"]))
    return parts


MAIN_CATEGORIES = CATEGORIES[:-1]  # (but 其他)


def missing_categories(result: Figures) -> list[str]:
    """The main kinds of activity not held at all, when some activity was."""
    events = result.of(KIND)
    if not events.count:
        return []
    return [c for c in MAIN_CATEGORIES if c not in events.by_category]


def concentration(result: Figures) -> analysis.Concentration | None:
    """One category took more than half of the activity spending (with two or more categories)."""
    events = result.of(KIND)
    return analysis.concentration({name: g.spending for name, g in events.by_category.items()}, events.spending)


def rate_drop(result: Figures) -> analysis.Drop | None:
    """The participation rate fell against the period before, like for like."""
    if result.previous is None:
        return None
    return analysis.fell(*result.previous.pair(lambda f: f.of(KIND).participation_rate))


def observations(writer: Writer) -> list[tuple[int, str]]:
    """Categories never held (ranked first), spending in one category (third), a falling rate (fourth)."""
    notes = []
    missing = missing_categories(writer.result)
    if missing:
        notes.append((1, f"{writer.when}没有开展{listing(missing)}类活动，活动类型还不够全面。"))
    spent = concentration(writer.result)
    if spent:
        notes.append((3, f"经费支出较为集中，{spent.category}支出{yuan(spent.amount)}，"
                         f"占活动经费的{percent(spent.share)}。"))
    dropped = rate_drop(writer.result)
    if dropped:
        notes.append((4, f"{writer.comparable}平均每次活动参与率为{percent(dropped.now)}，低于{writer.before}的"
                         f"{percent(dropped.before)}，职工参与的积极性有待进一步调动。"))
    return notes


def key_figures(result: Figures) -> list[tuple[str, str]]:
    events = result.of(KIND)
    rows = [("活动次数", f"{events.count}次", events.count),
            ("参与人次", f"{events.participants}人次", events.participants),
            ("平均参与率", percent(events.participation_rate or 0),
             events.participation_rate is not None and events.participants),
            ("活动经费支出", yuan(events.spending), events.spending)]
    return [(label, value) for label, value, shown in rows if shown]


def line(result: Figures) -> str:
    events = result.of(KIND)
    return f"活动 {events.count} 次，参与 {events.participants} 人次，支出 {yuan(events.spending)}"


MOST_UNITS = 12  # rows the unit comparison slide holds at a size readable from the back of a room


def slides(result: Figures) -> list[Grid]:
    """各单位比较, when several units took part: the units by participants, the most first."""
    if not several_units(result):
        return []
    ranked = sorted(result.of(KIND).by_unit.items(), key=lambda kv: -kv[1].participants)
    shown = ranked[:MOST_UNITS]
    note = "按参与人次排序" + (f"；另有{len(ranked) - len(shown)}个单位未列出" if len(ranked) > len(shown) else "")
    rows = tuple((unit, f"{v.count}次", f"{v.participants}人次", "—" if v.members is None else f"{v.members}人",
                  "—" if v.participation_rate is None else percent(v.participation_rate), yuan(v.spending))
                 for unit, v in shown)
    return [Grid("各单位比较", note, ("单位", "活动次数", "参与人次", "会员人数", "平均参与率", "活动经费"), rows)]


KIND: Kind[EventFigures] = Kind(
    SHEET, lambda rows, members, view: event_figures(rows, members), 10,
    (participation_by_category, participation_over_time, participation_rate_by_unit,
     spending_by_category, spending_over_time, spending_per_head, unit_comparison),
    (COUNT, PARTICIPANTS, RATE, SPENDING, PER_MEMBER, PER_PARTICIPANT), section, migrated=True,
    pages=(Page("活动参与", "pages/1_活动参与.py", ":material/groups:", (COUNT, PARTICIPANTS, RATE),
                (participation_by_category, participation_over_time, participation_rate_by_unit, unit_comparison),
                table=Table("活动明细", lambda dataset, period, units, result: rows(dataset, "events", period, units))),
           Page("经费支出", "pages/2_经费支出.py", ":material/payments:", (SPENDING, PER_MEMBER, PER_PARTICIPANT),
                (spending_by_category, spending_over_time, spending_per_head),
                table=Table("各类活动经费", lambda dataset, period, units, result: spending_table(result)))),
    overview_cards=(COUNT, PARTICIPANTS, RATE, SPENDING),
    overview_charts=(participation_by_category, participation_over_time, spending_by_category),
    opening=opening, funds=funds, units=units, observations=observations, key_figures=key_figures, line=line,
    slides=slides,
)
