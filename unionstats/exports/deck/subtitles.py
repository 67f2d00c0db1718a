"""The line under a chart slide's title, as a sentence a union chairman can read out.

A name, 最多 and a bare figure (参与最多，1个) tell a listener nothing: the line names what is counted, its total where a total means something, and
the largest part with its share (参与人次合计518人次，最多的是文体活动（269人次，占51.9%）); where parts tie it names
them all, where one part holds everything it says so, and where nothing was counted it says nothing. Charts whose
values do not add up (rates, amounts per head) say the highest and the lowest; a count of results (名次/奖项) lists
them, entries without a place (参与) said as 参赛未获奖. Figures are the chart's own values, written by the house
rules (`chinese.yuan`, `chinese.number`), so the line agrees with the labels on the bars.
"""

from __future__ import annotations

import re

from unionstats.charts.chart import COUNTED, LINE, Chart
from unionstats.contract.schema import PARTICIPATION
from unionstats.exports.deck.shapes import NOTE_EMS, ems
from unionstats.writing.chinese import first_few, number, percent, yuan

GROUPS = ("各类活动", "各单位", "各项目", "各科目", "各类", "各月")  # 各类活动参与人次: the parts a chart is split into


def chart_subtitle(chart: Chart, period_label: str) -> str:
    """The sentence under `chart`'s title ("" when it has nothing to say); `period_label` is how its title opens.
    One too long for its line (long unit names) says less: the largest part without its share, the highest
    without the lowest, the first results."""
    if not chart.drawn or not any(v for s in chart.series for v in s.values):
        return ""
    if chart.together and chart.shape == LINE:
        return latest(chart)
    if len(chart.series) > 1 or chart.together:
        return "合计" + "、".join(f"{s.name}{amount(sum(s.values), s.unit)}" for s in chart.series if any(s.values))
    noun = measure(chart.title, period_label)
    write = parts if chart.additive else results if chart.series[0].unit in COUNTED else extremes
    said = write(chart, noun, False)
    return said if ems(said) <= NOTE_EMS else write(chart, noun, True)


def measure(title: str, period_label: str) -> str:
    """What a chart counts, from its title: 2025年第二季度各类活动参与人次 counts 参与人次, 慰问人次（按事由）
    counts 慰问人次."""
    what = title.removeprefix(period_label).split("（")[0].strip()
    group = next((g for g in GROUPS if what.startswith(g)), "各" + what[1:2] if what.startswith("各") else "")
    return what.removeprefix(group)


def amount(value: float, unit: str) -> str:
    """A figure in a sentence: money by the house rule (万元 from 10,000 up), a rate with %, a count with its unit."""
    if unit == "元":
        return yuan(value)
    return f"{number(value)}{unit}"


def named(chart: Chart) -> list[tuple[str, float]]:
    """The chart's parts as the axis names them (4月 rather than 2025年4月) with their values."""
    return list(zip(chart.ticks or chart.categories, chart.series[0].values))


def parts(chart: Chart, noun: str, short: bool) -> str:
    """合计 and the largest part (with its share, for bars): 慰问人次合计36人次，最多的是节日慰问（24人次，占66.7%）."""
    pairs, unit = named(chart), chart.series[0].unit
    total = sum(v for _, v in pairs)
    said = f"{noun}合计{amount(total, unit)}"
    counted = [(name, v) for name, v in pairs if v]
    if len(counted) == 1 and chart.shape == LINE:  # a month's line is its one point; a year's, one month of twelve
        return said if len(pairs) == 1 else f"{said}，全部在{counted[0][0]}"
    if len(counted) == 1:
        return f"{said}，全部为{counted[0][0]}"
    top = max(v for _, v in pairs)
    tied = [name for name, v in pairs if v == top]
    if len(tied) == len(counted):
        return f"{said}，{first_few(tied)}各{amount(top, unit)}"
    if len(tied) > 1:
        return f"{said}，{first_few(tied)}最多，各{amount(top, unit)}"
    share = "" if chart.shape == LINE or short else f"，占{percent(top / total)}"
    return f"{said}，最多的是{tied[0]}（{amount(top, unit)}{share}）"


def results(chart: Chart, noun: str, short: bool) -> str:
    """Counts that are not parts of one whole (名次 beside 参与): each listed, entries without a place last:
    第一名3个、二等奖1个，另有2项参赛未获奖."""
    pairs, unit = named(chart), chart.series[0].unit
    placed = [f"{name}{amount(v, unit)}" for name, v in pairs if v and name != PARTICIPATION]
    entered = sum(v for name, v in pairs if name == PARTICIPATION)
    if not placed:
        return f"参赛{number(entered)}项，均未获奖"
    said = "获得" + first_few(placed, 3 if short else 6)
    return f"{said}，另有{number(entered)}项参赛未获奖" if entered else said


def extremes(chart: Chart, noun: str, short: bool) -> str:
    """Values that do not add up (a rate, an amount per head): the highest and the lowest, or the one value all
    share."""
    pairs, unit = named(chart), chart.series[0].unit
    if len(pairs) == 1:
        return f"{pairs[0][0]}{noun}为{amount(pairs[0][1], unit)}"
    high, low = max(v for _, v in pairs), min(v for _, v in pairs)
    if high == low:
        return f"{noun}均为{amount(high, unit)}"
    highest = first_few([name for name, v in pairs if v == high])
    lowest = first_few([name for name, v in pairs if v == low])
    said = f"{noun}最高的是{highest}（{amount(high, unit)}）"
    return said if short else f"{said}，最低的是{lowest}（{amount(low, unit)}）"


def latest(chart: Chart) -> str:
    """Lines drawn together over the months, at the last: 截至12月，累计支出13.6万元，全年预算14.3万元."""
    last = (chart.ticks or chart.categories)[-1]
    said = "，".join(f"{s.name}{amount(s.values[-1], s.unit)}" for s in chart.series)
    return f"截至{re.sub(r'^.*年', '', last)}，{said}"
