"""A chart description drawn with plotly: for the pages, and for the PNGs.

Fit for a projector: the title names the period and unit and wraps to fit a half-width chart, the unit stands
above the value axis written across (单位：人次: Chinese turned on its side reads badly, and 个 turned looks like
an arrow), the value axis leaves room for the label above the largest value, a line's labels sit where the line
is not, and a chart with nothing to draw says why instead of showing empty axes. Every number, label and colour
comes from the description (`charts.chart`), and so do the rules that keep two texts apart: whether bars stand
or lie down and how their names read, how far a value axis reaches for its labels, which points of a line carry
one; this module tells them how wide its plots are (`ACROSS`). The deck draws the same description with
python-pptx.
"""

from __future__ import annotations

import html

import plotly.graph_objects as go

from unionstats.charts.chart import (
    BAR,
    HEADROOM,
    HOVER_PLACES,
    LINE,
    LYING,
    MONEY,
    TURN,
    UPRIGHT,
    Chart,
    Series,
    headroom,
    text_width,
    whole_ticks,
)
from unionstats.writing.chinese import money_text

FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
GRID = "#E5E5E5"
MUTED = "#7F8C8D"
TITLE_WIDTH = {False: 18, True: 40}  # characters a title line holds: a half-width chart on a 1280 px screen, a full one
TYPE = {False: 15, True: 22}  # the charts' type size in px: on the page, and in 演示模式 and the PNGs
ACROSS = {False: 24, True: 46}  # the plot's width in type sizes there: about 360 px at 15 px, 1020 px at 22 px
CAP_SHIFT = 0.7  # plotly sets a one-line title's top at its pad by this many font sizes; a wrapped one's baseline
UNIT_NOTE = "unit"  # the name of the annotation that says a chart's unit
NOTE_ROOM = 1.6  # the unit note's height, in font sizes, added to the top margin under the title
BREAK_AFTER = {" ": 0, "、": 1, "）": 2, "年": 3, "度": 3, "月": 3, "日": 3}  # where a title line may end, best first
LEGEND_ABOVE = {"orientation": "h", "x": 1, "xanchor": "right", "y": 1, "yanchor": "bottom"}  # over the plot, right
BAR_LINES = 1.6  # a lying bar's thickness with its share of the gap, in lines of the chart's type
PLOTLY_SIDES = {"above": "top center", "below": "bottom center", "above left": "top left",
                "above right": "top right", "below left": "bottom left", "below right": "bottom right"}


def figure(chart: Chart, large: bool = False) -> go.Figure:
    """The chart as a plotly figure; `large` for 演示模式 and the PNGs (bigger type, taller)."""
    if not chart.drawn:
        return empty(chart.title, chart.empty, large)
    if chart.together:
        return together(chart, large)
    if chart.shape == LINE:
        return line(chart, large)
    if len(chart.series) > 1:
        return side_by_side(chart, large)
    return bars(chart, large)


def safe(text: str) -> str:
    """Plotly renders a few HTML tags in labels; text from spreadsheets must show as typed."""
    return html.escape(str(text), quote=False)


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


# 演示模式's charts: large type, yet short enough that 总览's cards and its first chart share a 1080 px screen.
PRESENTING_HEIGHT = 460


def style(drawn: go.Figure, title: str, large: bool = False) -> go.Figure:
    size = TYPE[large]
    lines = title_lines(title, TITLE_WIDTH[large])
    title_size = size + (3 if large else 1)
    noted = any(note.name == UNIT_NOTE for note in drawn.layout.annotations)
    # A wrapped title's first baseline stands at its pad whatever its yanchor (plotly.js sets the cap shift on the
    # text, and each line's own position overrides it): moved down as far as a one-line title's, so that the top of
    # its first line is not cut off.
    pad = 12 + (round(CAP_SHIFT * title_size) if len(lines) > 1 else 0)
    drawn.update_layout(
        title={"text": "<br>".join(safe(line) for line in lines), "x": 0.01, "xanchor": "left", "y": 1,
               "yanchor": "top", "yref": "container", "pad": {"t": pad}, "font": {"size": title_size}},
        font={"family": FONT, "size": size},
        margin={"l": 10, "r": 10, "b": 10,
                "t": 30 + round(len(lines) * title_size * 1.35) + (round(size * NOTE_ROOM) if noted else 0)},
        plot_bgcolor="white",
        legend={"orientation": "h", "y": -0.15},
        hoverlabel={"font": {"family": FONT}},
        height=PRESENTING_HEIGHT if large else 400,
    )
    drawn.update_xaxes(showgrid=False, automargin=True)
    drawn.update_yaxes(gridcolor=GRID, automargin=True, rangemode="tozero", tickformat=",")
    return drawn


def unit_note(drawn: go.Figure, unit: str) -> None:
    """The unit written across, above the top left of the plot, where a value axis title would stand turned."""
    drawn.add_annotation(name=UNIT_NOTE, text=f"单位：{unit}", showarrow=False, xref="paper", yref="paper", x=0,
                         xanchor="left", y=1, yanchor="bottom", yshift=4, font={"color": MUTED})


def empty(title: str, message: str, large: bool = False) -> go.Figure:
    drawn = go.Figure()
    drawn.add_annotation(text=message, showarrow=False, font={"size": 18, "color": MUTED},
                         xref="paper", yref="paper", x=0.5, y=0.5)
    drawn.update_xaxes(visible=False)
    drawn.update_yaxes(visible=False)
    return style(drawn, title, large)


def hover(series: Series, unit: str, values: tuple[float, ...], label: str, value: str) -> dict[str, object]:
    """A trace's hover: money exact to the fen (each point's text), other numbers with thousands separators."""
    if unit in MONEY:
        return {"customdata": [money_text(v, unit, HOVER_PLACES[unit]) for v in values],
                "hovertemplate": f"%{{{label}}}：{series.name} %{{customdata}}<extra></extra>"
                if series.name else f"%{{{label}}}：%{{customdata}}<extra></extra>"}
    named = f"{series.name} " if series.name else ""
    return {"hovertemplate": f"%{{{label}}}：{named}%{{{value}:,}} {unit}<extra></extra>"}


def ticks(values: tuple[float, ...], unit: str) -> dict[str, object]:
    return {"dtick": 1} if whole_ticks(values, unit) else {}


def bars(chart: Chart, large: bool) -> go.Figure:
    """One series of bars, each category in its colour: standing, names upright or turned, or lying down with the
    value axis along the foot, as the description's rule has it for this chart's width."""
    [series] = chart.series
    unit, values = series.shown()
    labels = [safe(label) for label in chart.categories]
    names = chart.names(ACROSS[large])
    lying = names == LYING
    label_axis, value_axis = ("y", "x") if lying else ("x", "y")
    trace = go.Bar(
        x=values if lying else labels, y=labels if lying else values,
        marker_color=list(series.colours), orientation="h" if lying else "v",
        text=chart.value_labels()[0], textposition="outside", cliponaxis=False, constraintext="none",
        meta={"unit": unit}, **hover(series, unit, values, label_axis, value_axis))
    drawn = go.Figure(trace)
    axis = {"range": headroom(values, chart.reach(ACROSS[large]) if lying else HEADROOM), "tickformat": ",",
            **ticks(values, unit)}
    if lying:  # the value axis lies along the foot: its title reads across as it is
        drawn.update_xaxes(title=foot_title(f"单位：{unit}", MUTED, large), **axis)
        drawn.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=labels)
    else:
        drawn.update_yaxes(**axis)
        drawn.update_xaxes(categoryorder="array", categoryarray=labels, **standing(names))
        unit_note(drawn, unit)
    drawn = style(drawn, chart.title, large)
    if lying:
        tall_enough(drawn, len(chart.categories), large)
    return drawn


def foot_title(text: str, colour: str, large: bool) -> dict[str, object]:
    """The title of a value axis along the foot, read across, kept clear of the tick labels above it: plotly's own
    distance reckons with a Latin font's height, and a Chinese one's is taller."""
    return {"text": text, "font": {"color": colour}, "standoff": round(0.6 * TYPE[large])}


def standing(names: str) -> dict[str, object]:
    """The category axis of standing bars: names upright, or turned by the rule's angle when they need it (plotly
    turns them only when they do not fit upright, and never further)."""
    return {"tickangle": 0} if names == UPRIGHT else {"autotickangles": [0, TURN]}


def line(chart: Chart, large: bool) -> go.Figure:
    """A line over time, each label where the line is not, as many as fit; short month names when the title names
    the year. Each point stands in the middle of its month, as on the slide."""
    [series] = chart.series
    unit, values = series.shown()
    [sides] = chart.point_labels(ACROSS[large])
    labels = list(chart.categories)
    drawn = go.Figure(go.Scatter(
        x=labels, y=values, mode="lines+markers+text", line={"color": series.colours[0], "width": 3},
        **point_text(chart.value_labels()[0], sides), cliponaxis=False, meta={"unit": unit},
        **hover(series, unit, values, "x", "y")))
    drawn.update_yaxes(range=headroom(values), **ticks(values, unit))
    drawn.update_xaxes(**months(chart, large))
    unit_note(drawn, unit)
    return style(drawn, chart.title, large)


def months(chart: Chart, large: bool) -> dict[str, object]:
    """A line's axis: each point in the middle of its month, as on the slide, and the months named upright, as many
    as fit (`Chart.named`): 1月, 3月, 5月…, or a few years apart over many."""
    labels = [safe(label) for label in chart.categories]
    names = [safe(name) for name in chart.ticks or chart.categories]
    named = chart.named(ACROSS[large])
    return {"range": [-0.5, len(labels) - 0.5], "tickvals": [labels[i] for i in named],
            "ticktext": [names[i] for i in named], "tickangle": 0}


def point_text(labels: tuple[str, ...], sides: tuple[str, ...]) -> dict[str, object]:
    """A line's labels on the sides the rule gives (`Chart.point_labels`), none where it gives none."""
    return {"text": [label if side else "" for label, side in zip(labels, sides)],
            "textposition": [PLOTLY_SIDES[side or "above"] for side in sides]}


def side_by_side(chart: Chart, large: bool) -> go.Figure:
    """Two series in different units side by side, each on its own value axis (捐款 in 元, 物资 in 件): grouped
    bars standing, or, when the rule lays them down, two plots side by side sharing the names on the left."""
    if chart.names(ACROSS[large]) == LYING:
        return side_by_side_lying(chart, large)
    names = [safe(name) for name in chart.categories]
    traces, axes = [], {}
    for index, series in enumerate(chart.series):
        unit, values = series.shown()
        axis = "y" if index == 0 else f"y{index + 1}"
        traces.append(go.Bar(
            name=f"{series.name}（{unit}）", x=names, y=values, marker_color=series.colours[0], yaxis=axis,
            offsetgroup=str(index), text=chart.value_labels()[index], textposition="outside", cliponaxis=False,
            constraintext="none", meta={"unit": unit}, **hover(series, unit, values, "x", "y")))
        layout: dict[str, object] = {"range": headroom(values), "color": series.colours[0]}
        if index:
            layout.update({"overlaying": "y", "side": "right", "showgrid": False, "tickmode": "auto",
                           "tickformat": ",", "rangemode": "tozero"})
        axes["yaxis" if index == 0 else f"yaxis{index + 1}"] = layout
    drawn = go.Figure(traces)  # (the offset groups set the bars side by side: barmode "group" alone stacks them)
    drawn.update_layout(barmode="group", **axes)
    drawn.update_xaxes(**standing(chart.names(ACROSS[large])))
    drawn = style(drawn, chart.title, large)
    legend_above(drawn, large)
    return drawn


def side_by_side_lying(chart: Chart, large: bool) -> go.Figure:
    """Series in different units lying down, each in a plot of its own, side by side, its unit along its foot; the
    names once, on the left."""
    count = len(chart.series)
    names = [safe(name) for name in chart.categories]
    drawn = go.Figure()
    layout: dict[str, object] = {}
    for index, series in enumerate(chart.series):
        unit, values = series.shown()
        axis = "" if index == 0 else str(index + 1)
        drawn.add_trace(go.Bar(
            name=f"{series.name}（{unit}）", x=values, y=names, orientation="h", marker_color=series.colours[0],
            xaxis=f"x{axis}", text=chart.value_labels()[index], textposition="outside", cliponaxis=False,
            constraintext="none", meta={"unit": unit}, **hover(series, unit, values, "y", "x")))
        step = 1 / count
        layout[f"xaxis{axis}"] = {
            "domain": [index * step + (0.04 if index else 0), (index + 1) * step - (0 if index + 1 == count else 0.04)],
            "range": headroom(values, chart.reach(ACROSS[large], alone=index)), "tickformat": ",",
            "title": foot_title(f"{safe(series.name)}（{unit}）", series.colours[0], large),  # (short: a phone)
            "anchor": "y", **ticks(values, unit)}
    drawn.update_layout(showlegend=False, **layout)
    drawn.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=names)
    drawn = style(drawn, chart.title, large)
    tall_enough(drawn, len(chart.categories), large)
    return drawn


def together(chart: Chart, large: bool) -> go.Figure:
    """Several series in one unit on one value axis, a legend naming them: bars grouped by category (预算 beside
    实际支出), or lines over time, a reference level (全年预算) dashed and labelled once."""
    shown = chart.shown()
    unit = shown[0][0]
    every = [v for _, values in shown for v in values]
    lying = chart.shape != LINE and chart.names(ACROSS[large]) == LYING
    if chart.shape == LINE:
        sides = chart.point_labels(ACROSS[large])
        traces = [together_line(chart, series, values, unit, labels, side) for series, (_, values), labels, side
                  in zip(chart.series, shown, chart.value_labels(), sides)]
    else:
        traces = [together_bar(chart, index, series, values, unit, lying)
                  for index, (series, (_, values)) in enumerate(zip(chart.series, shown))]
    drawn = go.Figure(traces)
    axis = {"range": headroom(every, chart.reach(ACROSS[large]) if lying else HEADROOM), "tickformat": ",",
            **ticks(tuple(every), unit)}
    labels = [safe(label) for label in chart.categories]
    if lying:
        drawn.update_xaxes(title=foot_title(f"单位：{unit}", MUTED, large), **axis)
        drawn.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=labels)
    else:
        drawn.update_yaxes(**axis)
        unit_note(drawn, unit)
        if chart.shape == LINE:
            drawn.update_xaxes(**months(chart, large))
        else:
            drawn.update_xaxes(**standing(chart.names(ACROSS[large])))
    drawn.update_layout(barmode="group", showlegend=True)  # (the offset groups set the bars side by side)
    drawn = style(drawn, chart.title, large)
    legend_above(drawn, large)
    if lying:
        tall_enough(drawn, len(chart.categories) * len(chart.series), large)
    return drawn


def legend_above(drawn: go.Figure, large: bool) -> None:
    """The legend over the plot, on a line of its own under the title: beside a title's last line it meets it
    on a narrow screen (a phone's 360 px)."""
    drawn.update_layout(legend=LEGEND_ABOVE, margin={"t": drawn.layout.margin.t + round(TYPE[large] * 1.8)})


def tall_enough(drawn: go.Figure, bars: int, large: bool) -> None:
    """A lying-down chart as tall as its bars need: each thick enough to carry its label at the chart's type size,
    and every category named on the axis (a fixed height thins 15 groups of two into slivers with every other name
    dropped)."""
    size = TYPE[large]
    drawn.update_yaxes(tickmode="linear", dtick=1)
    drawn.update_traces(constraintext="none", textfont={"size": size - 2})
    margin = drawn.layout.margin.t + drawn.layout.margin.b + 4 * size
    drawn.update_layout(height=max(drawn.layout.height, round(margin + bars * size * BAR_LINES)))


def together_bar(chart: Chart, index: int, series: Series, values: tuple[float, ...], unit: str,
                 lying: bool) -> go.Bar:
    labels = [safe(label) for label in chart.categories]
    label_axis, value_axis = ("y", "x") if lying else ("x", "y")
    return go.Bar(
        name=safe(series.name), x=values if lying else labels, y=labels if lying else values,
        orientation="h" if lying else "v", marker_color=series.colours[0], offsetgroup=str(index),
        text=chart.value_labels()[index], textposition="outside", cliponaxis=False, constraintext="none",
        meta={"unit": unit}, **hover(series, unit, values, label_axis, value_axis))


def together_line(chart: Chart, series: Series, values: tuple[float, ...], unit: str, labels: tuple[str, ...],
                  sides: tuple[str, ...]) -> go.Scatter:
    """A line of the chart, its labels where the rule puts them; a reference dashed, without markers, labelled
    once (at its first point, where the other lines are lowest)."""
    if series.reference:
        look = {"mode": "lines+text", "line": {"color": series.colours[0], "width": 2.5, "dash": "dash"}}
    else:
        look = {"mode": "lines+markers+text", "line": {"color": series.colours[0], "width": 3}}
    return go.Scatter(name=safe(series.name), x=[safe(label) for label in chart.categories], y=values,
                      cliponaxis=False, textfont={"color": series.colours[0]}, meta={"unit": unit},
                      **point_text(labels, sides), **look, **hover(series, unit, values, "x", "y"))


def unit_of(trace) -> str:
    """The unit a trace is drawn in (人次, 元 or 万元, 件, %), as its `meta` records it."""
    return (trace.meta or {}).get("unit", "")


def plain_title(text: str) -> str:
    """A drawn figure's title as it reads, on one line: for a PNG's file name."""
    return html.unescape(text.replace("<br>", ""))


__all__ = ["BAR", "LINE", "figure", "plain_title"]
