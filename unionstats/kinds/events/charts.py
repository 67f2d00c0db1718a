"""活动's cards, its charts as descriptions (the ui draws them with plotly, the deck with python-pptx), and the
table of units the deck shows when several units took part."""

from __future__ import annotations

from unionstats.charts.chart import Chart, Grid, bar_chart, heading, monthly_chart
from unionstats.contract.registry import Card
from unionstats.figures.typed import Figures
from unionstats.kinds.events.figures import events_of
from unionstats.kinds.events.sheet import COLOURS
from unionstats.writing.chinese import percent, yuan

COUNT: Card[Figures] = Card("活动次数", lambda f: events_of(f).count, "次", help="活动表的行数：每行一次活动")

PARTICIPANTS: Card[Figures] = Card("参与人次", lambda f: events_of(f).participants, "人次",
                    help="各次活动“参与人次”之和；同一职工参加几次活动按几人次计")

RATE: Card[Figures] = Card("平均参与率", lambda f: events_of(f).participation_rate, rate=True,
            help="参与人次 ÷（活动次数 × 会员人数），只计填写了会员人数（单位信息或单位名录）的单位")

SPENDING: Card[Figures] = Card("活动经费支出", lambda f: events_of(f).spending, money=True, help="各次活动“支出”之和")

PER_MEMBER: Card[Figures] = Card("人均（按会员）", lambda f: events_of(f).spending_per_member, money=True,
                  help="填写了会员人数的单位的活动经费支出 ÷ 这些单位的会员人数之和")

PER_PARTICIPANT: Card[Figures] = Card("每人次", lambda f: events_of(f).spending_per_participant, money=True,
                       help="活动经费支出 ÷ 参与人次")



def participation_by_category(result: Figures, scope: str) -> Chart:
    by = events_of(result).by_category
    return bar_chart(heading(result.period, "各类活动参与人次", scope), list(by), [v.participants for v in by.values()],
                     "人次", colours=COLOURS, empty="本期没有活动记录",
                     help="参与人次：各类别活动的“参与人次”之和（一人参加多次计多次）")


def participation_over_time(result: Figures, scope: str) -> Chart:
    months = {month: v.participants for month, v in events_of(result).by_month.items()}
    return monthly_chart(heading(result.period, "各月参与人次", scope), months, "人次",
                         help="参与人次：按活动日期归月，每月活动的“参与人次”之和；没有活动的月份为0")


def spending_over_time(result: Figures, scope: str) -> Chart:
    months = {month: v.spending for month, v in events_of(result).by_month.items()}
    return monthly_chart(heading(result.period, "各月活动经费支出", scope), months, "元",
                         help="经费支出：按活动日期归月，每月活动的“支出”之和；没有支出的月份为0")


def participation_rate_by_unit(result: Figures, scope: str) -> Chart:
    rates = {u: v.participation_rate for u, v in events_of(result).by_unit.items()
             if v.participation_rate is not None}
    return bar_chart(heading(result.period, "各单位平均参与率", scope), list(rates),
                     [round(r * 100, 1) for r in rates.values()], "%", horizontal=len(rates) > 4,
                     empty="未填写会员人数，无法计算参与率（请在「单位信息」表填写会员人数）",
                     help="平均参与率：参与人次 ÷（活动次数 × 会员人数），各单位分别计算；会员人数取自「单位信息」表，"
                          "未填写的单位不列出",
                     additive=False, per_unit=True, worth=several_units(result))


def spending_by_category(result: Figures, scope: str) -> Chart:
    by = {k: v for k, v in events_of(result).by_category.items() if v.spending}
    return bar_chart(heading(result.period, "各类活动经费支出", scope), list(by), [v.spending for v in by.values()],
                     "元", colours=COLOURS, empty="本期没有经费支出记录",
                     help="经费支出：各类别活动的“支出”之和；没有支出的类别不列出")


def spending_per_head(result: Figures, scope: str) -> Chart:
    units = {u: v.spending / v.members for u, v in events_of(result).by_unit.items() if v.members}
    return bar_chart(heading(result.period, "各单位人均活动经费", scope), list(units),
                     [round(v, 2) for v in units.values()], "元", horizontal=len(units) > 4,
                     empty="未填写会员人数，无法计算人均经费",
                     help="人均活动经费：各单位活动“支出”之和 ÷ 该单位会员人数（「单位信息」表）；未填写会员人数的单位不列出",
                     additive=False, per_unit=True, worth=several_units(result))


def unit_comparison(result: Figures, scope: str) -> Chart:
    by = events_of(result).by_unit
    ranked = sorted(by.items(), key=lambda kv: -kv[1].participants)[:20] if len(by) > 1 else []
    return bar_chart(heading(result.period, "各单位活动参与人次", scope), [u for u, _ in ranked],
                     [v.participants for _, v in ranked], "人次", horizontal=True, empty="只有一个单位，无需比较",
                     help="参与人次：各单位活动的“参与人次”之和，从多到少排列（最多列出20个单位）",
                     per_unit=True, worth=several_units(result))

def several_units(result: Figures) -> bool:
    """Whether the view has several units with activities to set side by side."""
    return len(events_of(result).by_unit) > 1


MOST_UNITS = 12  # rows the unit comparison slide holds at a size readable from the back of a room


def slides(result: Figures) -> list[Grid]:
    """各单位比较, when several units took part: the units by participants, the most first."""
    if not several_units(result):
        return []
    ranked = sorted(events_of(result).by_unit.items(), key=lambda kv: -kv[1].participants)
    shown = ranked[:MOST_UNITS]
    note = "按参与人次排序" + (f"；另有{len(ranked) - len(shown)}个单位未列出" if len(ranked) > len(shown) else "")
    rows = tuple((unit, f"{v.count}次", f"{v.participants}人次", "—" if v.members is None else f"{v.members}人",
                  "—" if v.participation_rate is None else percent(v.participation_rate), yuan(v.spending))
                 for unit, v in shown)
    return [Grid("各单位比较", note, ("单位", "活动次数", "参与人次", "会员人数", "平均参与率", "活动经费"), rows)]
