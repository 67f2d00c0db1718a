"""Figures for the dashboard, built from `stats.figures` (plotly only, no streamlit).

Every chart names its period and unit in the title, keeps one colour per
category on every page, says 人次 or 元 above its value axis (单位：人次,
written across: Chinese turned on its side reads badly, and 个 turned looks
like an arrow) and in its hover, and when there is nothing to draw shows a
short sentence instead of empty axes. Each trace carries its unit in
`meta`, for the deck to read. Money is in one unit per chart, for its axis,
labels and hover alike: 万元 for every value when the largest reaches
10,000, else 元 (`chinese.money_unit`); the trace holds the values in that
unit. A month without rows is on the axis as a zero (the figures hold every
month of the period), and a zero has no label. Each chart states how it is
counted in one line, given where the chart is defined (`explained`), which
the dashboard shows beneath it and the deck puts in the slide's notes
(`help_of`). Fit for a projector: a long title wraps to fit a half-width
chart, the value axis leaves room for the label above the largest value, a
line's labels sit where the line is not, money labels have no stray
decimals, and a "各单位…" chart is drawn only when the view has several
units to set side by side.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import plotly.graph_objects as go

from unionstats.charts.chart import HEADROOM, HOVER_PLACES, headroom, label_sides, value_text
from unionstats.charts.chart import whole_ticks as counted_ticks
from unionstats.contract import schema
from unionstats.figures.typed import Figures
from unionstats.writing.chinese import in_unit, money_text, money_unit

FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
PALETTE = ("#C0392B", "#2E86C1", "#28B463", "#D68910", "#8E44AD", "#17A589", "#7F8C8D", "#E84393", "#34495E",
           "#B7950B")
COLOURS = {
    **dict(zip(schema.EVENT_CATEGORIES, PALETTE)),
    **dict(zip(schema.VISIT_REASONS, PALETTE)),
    **dict(zip(schema.VISIT_GROUPS + (schema.UNSPECIFIED,), PALETTE[3:])),
    **dict(zip(reversed(schema.LEVELS), PALETTE)),
    schema.UNSPECIFIED: "#95A5A6",
}
CASH, GOODS, LINE = "#C0392B", "#2E86C1", "#C0392B"
GRID = "#E5E5E5"
TITLE_WIDTH = {False: 18, True: 40}  # characters a title line holds: a half-width chart on a 1280 px screen, a full one
UNIT_NOTE = "unit"  # the name of the annotation that says a chart's unit
NOTE_ROOM = 1.6  # the unit note's height, in font sizes, added to the top margin under the title
MUTED = "#7F8C8D"
BREAK_AFTER = {" ": 0, "、": 1, "）": 2, "年": 3, "度": 3, "月": 3, "日": 3}  # where a title line may end, best first


def explained(help_text: str) -> Callable:
    """Gives a chart builder its one-line help: what it counts and how (`help_of`)."""
    def mark(build: Callable) -> Callable:
        build.help = help_text
        return build
    return mark


def help_of(build: Callable) -> str:
    """A chart's help line, or "" for a builder without one."""
    return getattr(build, "help", "")


def money_trace(values: list[float]) -> tuple[str, list[float], list[str]]:
    """Yuan for one chart: its unit, the values in that unit, and each value's exact hover text."""
    unit = money_unit(values)
    shown = [in_unit(v, unit) for v in values]
    return unit, shown, [money_text(v, unit, HOVER_PLACES[unit]) for v in shown]


def safe(text: str) -> str:
    """Plotly renders a few HTML tags in labels; text from spreadsheets must show as typed."""
    return html.escape(str(text), quote=False)


def text_width(text: str) -> float:
    """A line's width in CJK characters: a Latin letter or digit takes about half of one."""
    return sum(0.55 if ord(c) < 0x2E80 else 1 for c in text)


def title_lines(title: str, width: float) -> list[str]:
    """The title in lines that fit `width`: broken after the scope, else after a 、, a bracket or a date, in the
    second half of a line, else between any two characters (Chinese has no spaces to wrap at). Joined, they are
    the title."""
    lines, rest = [], title
    while text_width(rest) > width:
        fitting = next(i for i in range(len(rest), 0, -1) if text_width(rest[:i]) <= width)
        breaks = [i for i in range(fitting, fitting // 2, -1) if rest[i - 1] in BREAK_AFTER]
        cut = min(breaks, key=lambda i: (BREAK_AFTER[rest[i - 1]], -i)) if breaks else fitting
        lines.append(rest[:cut])
        rest = rest[cut:]
    return [*lines, rest]


def plain_title(text: str) -> str:
    """A figure's title as it reads, on one line: for file names and slide headings."""
    return html.unescape(text.replace("<br>", ""))


def style(figure: go.Figure, title: str, large: bool = False) -> go.Figure:
    size = 22 if large else 15
    lines = title_lines(title, TITLE_WIDTH[large])
    title_size = size + (3 if large else 1)
    noted = any(note.name == UNIT_NOTE for note in figure.layout.annotations)
    figure.update_layout(
        title={"text": "<br>".join(safe(line) for line in lines), "x": 0.01, "xanchor": "left", "y": 1,
               "yanchor": "top", "yref": "container", "pad": {"t": 12}, "font": {"size": title_size}},
        font={"family": FONT, "size": size},
        margin={"l": 10, "r": 10, "b": 10,
                "t": 30 + round(len(lines) * title_size * 1.35) + (round(size * NOTE_ROOM) if noted else 0)},
        plot_bgcolor="white",
        legend={"orientation": "h", "y": -0.15},
        hoverlabel={"font": {"family": FONT}},
        height=520 if large else 400,
    )
    figure.update_xaxes(showgrid=False, automargin=True)
    figure.update_yaxes(gridcolor=GRID, automargin=True, rangemode="tozero", tickformat=",")
    return figure


def unit_note(figure: go.Figure, unit: str) -> None:
    """The unit written across, above the top left of the plot, where a value axis title would stand turned."""
    figure.add_annotation(name=UNIT_NOTE, text=f"单位：{unit}", showarrow=False, xref="paper", yref="paper", x=0,
                          xanchor="left", y=1, yanchor="bottom", yshift=4, font={"color": MUTED})


def unit_of(trace) -> str:
    """A trace's unit as its chart states it (人次, 元, 件, %)."""
    return (trace.meta or {}).get("unit", "")


PLOTLY_SIDES = {"above": "top center", "below": "bottom center", "above left": "top left",
                "above right": "top right"}


def empty(title: str, message: str, large: bool = False) -> go.Figure:
    figure = go.Figure()
    figure.add_annotation(text=message, showarrow=False, font={"size": 18, "color": MUTED},
                          xref="paper", yref="paper", x=0.5, y=0.5)
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return style(figure, title, large)


def bars(title: str, labels: list[str], values: list[float], unit: str, large: bool = False,
         horizontal: bool = False) -> go.Figure:
    """Bars of `values` in `unit`; money (元) is drawn in the chart's one money unit."""
    colours = [COLOURS.get(label, PALETTE[i % len(PALETTE)]) for i, label in enumerate(labels)]
    labels = [safe(label) for label in labels]
    label_axis, value_axis = ("y", "x") if horizontal else ("x", "y")
    hover = {"hovertemplate": f"%{{{label_axis}}}：%{{{value_axis}:,}} {unit}<extra></extra>"}
    if unit == "元":
        unit, values, exact = money_trace(values)
        hover = {"customdata": exact, "hovertemplate": f"%{{{label_axis}}}：%{{customdata}}<extra></extra>"}
    text = [value_text(v, unit) for v in values]
    trace = go.Bar(
        x=values if horizontal else labels, y=labels if horizontal else values, marker_color=colours,
        orientation="h" if horizontal else "v", text=text, textposition="outside", cliponaxis=False,
        meta={"unit": unit}, **hover,
    )
    figure = go.Figure(trace)
    axis = {"range": headroom(values, HEADROOM + 0.1 if horizontal else HEADROOM), "tickformat": ",",
            **whole_ticks(values, unit)}
    if horizontal:  # the value axis lies along the foot: its title reads across as it is
        figure.update_xaxes(title={"text": f"单位：{unit}", "font": {"color": MUTED}}, **axis)
        figure.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=labels)
    else:
        figure.update_yaxes(**axis)
        figure.update_xaxes(categoryorder="array", categoryarray=labels)
        unit_note(figure, unit)
    return style(figure, title, large)


def whole_ticks(values: list[float], unit: str) -> dict:
    """Ticks one apart for a few things counted (0, 1, 2, 3 个), where plotly would tick at 0.5 of an award."""
    return {"dtick": 1} if counted_ticks(values, unit) else {}


def heading(result: Figures, what: str, scope: str) -> str:
    period = result.period.label if result.period else ""
    return f"{scope} {period}{what}".strip()


@explained("参与人次：各类别活动的“参与人次”之和（一人参加多次计多次）")
def participation_by_category(result: Figures, scope: str, large: bool = False) -> go.Figure:
    title = heading(result, "各类活动参与人次", scope)
    by = result.events.by_category
    if not by:
        return empty(title, "本期没有活动记录", large)
    return bars(title, list(by), [v.participants for v in by.values()], "人次", large)


def over_time(result: Figures, sheet: str, key: str, what: str, unit: str, scope: str,
              large: bool = False) -> go.Figure:
    title = heading(result, what, scope)
    by = result.sheet(sheet).by_month
    if not by:
        return empty(title, "本期没有记录", large)
    labels = [f"{k[:4]}年{int(k[5:])}月" for k in by]
    values = [getattr(v, key) for v in by.values()]
    hover = {"hovertemplate": f"%{{x}}：%{{y:,}} {unit}<extra></extra>"}
    if unit == "元":
        unit, values, exact = money_trace(values)
        hover = {"customdata": exact, "hovertemplate": "%{x}：%{customdata}<extra></extra>"}
    figure = go.Figure(go.Scatter(
        x=labels, y=values, mode="lines+markers+text", line={"color": LINE, "width": 3},
        text=[value_text(v, unit) for v in values], textposition=[PLOTLY_SIDES[s] for s in label_sides(values)],
        cliponaxis=False, meta={"unit": unit}, **hover))
    figure.update_yaxes(range=headroom(values), **whole_ticks(values, unit))
    unit_note(figure, unit)
    if len({k[:4] for k in by}) == 1:  # the title names the year: 1月…12月 fit a half-width chart unrotated
        figure.update_xaxes(tickvals=labels, ticktext=[f"{int(k[5:])}月" for k in by])
    return style(figure, title, large)


@explained("参与人次：按活动日期归月，每月活动的“参与人次”之和；没有活动的月份为0")
def participation_over_time(result: Figures, scope: str, large: bool = False) -> go.Figure:
    return over_time(result, "events", "participants", "各月参与人次", "人次", scope, large)


@explained("经费支出：按活动日期归月，每月活动的“支出”之和；没有支出的月份为0")
def spending_over_time(result: Figures, scope: str, large: bool = False) -> go.Figure:
    return over_time(result, "events", "spending", "各月活动经费支出", "元", scope, large)


@explained("平均参与率：参与人次 ÷（活动次数 × 会员人数），各单位分别计算；会员人数取自「单位信息」表，"
           "未填写的单位不列出")
def participation_rate_by_unit(result: Figures, scope: str, large: bool = False) -> go.Figure:
    title = heading(result, "各单位平均参与率", scope)
    rates = {u: v.participation_rate for u, v in result.events.by_unit.items()
             if v.participation_rate is not None}
    if not rates:
        return empty(title, "未填写会员人数，无法计算参与率（请在「单位信息」表填写会员人数）", large)
    return bars(title, list(rates), [round(r * 100, 1) for r in rates.values()], "%", large,
                horizontal=len(rates) > 4)


@explained("经费支出：各类别活动的“支出”之和；没有支出的类别不列出")
def spending_by_category(result: Figures, scope: str, large: bool = False) -> go.Figure:
    title = heading(result, "各类活动经费支出", scope)
    by = {k: v for k, v in result.events.by_category.items() if v.spending}
    if not by:
        return empty(title, "本期没有经费支出记录", large)
    return bars(title, list(by), [v.spending for v in by.values()], "元", large)


@explained("人均活动经费：各单位活动“支出”之和 ÷ 该单位会员人数（「单位信息」表）；未填写会员人数的单位不列出")
def spending_per_head(result: Figures, scope: str, large: bool = False) -> go.Figure:
    title = heading(result, "各单位人均活动经费", scope)
    units = {u: v.spending / v.members for u, v in result.events.by_unit.items() if v.members}
    if not units:
        return empty(title, "未填写会员人数，无法计算人均经费", large)
    return bars(title, list(units), [round(v, 2) for v in units.values()], "元", large, horizontal=len(units) > 4)


@explained("慰问人次：各事由慰问记录的“人次”之和（未填人次的记录计1人次）")
def visits_by_reason(result: Figures, scope: str, large: bool = False) -> go.Figure:
    title = heading(result, "慰问人次（按事由）", scope)
    by = result.visits.by_reason
    if not by:
        return empty(title, "本期没有慰问记录", large)
    return bars(title, list(by), [v.people for v in by.values()], "人次", large)


@explained("慰问人次：各对象类别慰问记录的“人次”之和（未填人次的记录计1人次）；未填对象类别的计入“未注明”")
def visits_by_group(result: Figures, scope: str, large: bool = False) -> go.Figure:
    title = heading(result, "慰问人次（按对象类别）", scope)
    by = result.visits.by_group
    if not by:
        return empty(title, "本期没有慰问记录", large)
    return bars(title, list(by), [v.people for v in by.values()], "人次", large)


@explained("捐款：各项目“捐款金额”之和；物资：各项目“物资件数”之和；项目按首次捐款日期排列")
def donations_by_campaign(result: Figures, scope: str, large: bool = False) -> go.Figure:
    title = heading(result, "各项目捐款与捐物", scope)
    by = result.donations.by_campaign
    if not by:
        return empty(title, "本期没有捐款捐物记录", large)
    names = [safe(name) for name in by]
    unit, cash, exact = money_trace([v.cash for v in by.values()])
    figure = go.Figure([
        go.Bar(name=f"捐款（{unit}）", x=names, y=cash, marker_color=CASH, offsetgroup="cash",
               text=[value_text(v, unit) for v in cash], textposition="outside", cliponaxis=False,
               customdata=exact, hovertemplate="%{x}：捐款 %{customdata}<extra></extra>", meta={"unit": unit}),
        go.Bar(name="物资（件）", x=names, y=[v.goods for v in by.values()], marker_color=GOODS, yaxis="y2",
               offsetgroup="goods", text=[f"{v.goods}件" if v.goods else "" for v in by.values()],
               textposition="outside", cliponaxis=False, hovertemplate="%{x}：物资 %{y:,} 件<extra></extra>",
               meta={"unit": "件"}),
    ])  # (the offset groups set the bars side by side: barmode "group" alone stacks bars of two y axes)
    figure.update_layout(barmode="group",
                         yaxis={"range": headroom(cash), "color": CASH},
                         yaxis2={"overlaying": "y", "side": "right", "showgrid": False, "color": GOODS,
                                 "tickmode": "auto", "tickformat": ",", "rangemode": "tozero",
                                 "range": headroom([v.goods for v in by.values()])})
    figure = style(figure, title, large)
    figure.update_layout(legend={"orientation": "h", "x": 1, "xanchor": "right", "y": 1, "yanchor": "bottom"})
    return figure


@explained("获奖数：各级别比赛记录的“获奖数”之和；名次为“参与”的不算获奖")
def awards_by_level(result: Figures, scope: str, large: bool = False) -> go.Figure:
    title = heading(result, "获奖数（按级别）", scope)
    by = {k: v.awards for k, v in result.competitions.by_level.items() if v.awards}
    if not by:
        return empty(title, "本期没有获奖记录", large)
    return bars(title, list(by), list(by.values()), "个", large)


@explained("成绩分布：各名次/奖项的“获奖数”之和；“参与”按比赛记录条数计")
def awards_by_result(result: Figures, scope: str, large: bool = False) -> go.Figure:
    title = heading(result, "成绩分布（按名次/奖项）", scope)
    by = result.competitions.by_result
    if not by:
        return empty(title, "本期没有比赛记录", large)
    return bars(title, list(by), list(by.values()), "个", large)


@explained("参与人次：各单位活动的“参与人次”之和，从多到少排列（最多列出20个单位）")
def unit_comparison(result: Figures, scope: str, large: bool = False) -> go.Figure:
    title = heading(result, "各单位活动参与人次", scope)
    by = result.events.by_unit
    if len(by) < 2:
        return empty(title, "只有一个单位，无需比较", large)
    ranked = sorted(by.items(), key=lambda kv: -kv[1].participants)[:20]
    return bars(title, [u for u, _ in ranked], [v.participants for _, v in ranked], "人次", large, horizontal=True)


PER_UNIT = (participation_rate_by_unit, spending_per_head, unit_comparison)


def several_units(result: Figures) -> bool:
    return len(result.events.by_unit) > 1


def for_view(result: Figures, builders: list) -> list:
    """The charts worth drawing for the view: a "各单位…" chart only when it has several units to set side by side."""
    return [build for build in builders if build not in PER_UNIT or several_units(result)]


def every_chart(result: Figures) -> list:
    """Every chart of every sheet kind (the pages' charts), in page order, for the view: the deck's and the PNGs'."""
    from unionstats.contract.registry import registered

    builders = dict.fromkeys(build for kind in registered() for build in kind.charts)
    return for_view(result, list(builders))
