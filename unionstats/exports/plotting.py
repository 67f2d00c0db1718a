"""A chart description drawn with plotly: for the pages, and for the PNGs.

Fit for a projector: the title names the period and unit and wraps to fit a half-width chart, the unit stands
above the value axis written across (单位：人次: Chinese turned on its side reads badly, and 个 turned looks like
an arrow), the value axis leaves room for the label above the largest value, a line's labels sit where the line
is not, and a chart with nothing to draw says why instead of showing empty axes. Every number, label and colour
comes from the description (`charts.chart`); the deck draws the same description with python-pptx.
"""

from __future__ import annotations

import html

import plotly.graph_objects as go

from unionstats.charts.chart import (
    BAR,
    HEADROOM,
    HOVER_PLACES,
    LINE,
    MONEY,
    Chart,
    Series,
    headroom,
    label_sides,
    value_text,
    whole_ticks,
)
from unionstats.writing.chinese import money_text

FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
GRID = "#E5E5E5"
MUTED = "#7F8C8D"
TITLE_WIDTH = {False: 18, True: 40}  # characters a title line holds: a half-width chart on a 1280 px screen, a full one
UNIT_NOTE = "unit"  # the name of the annotation that says a chart's unit
NOTE_ROOM = 1.6  # the unit note's height, in font sizes, added to the top margin under the title
BREAK_AFTER = {" ": 0, "、": 1, "）": 2, "年": 3, "度": 3, "月": 3, "日": 3}  # where a title line may end, best first
LEGEND_ABOVE = {"orientation": "h", "x": 1, "xanchor": "right", "y": 1, "yanchor": "bottom"}  # over the plot, right
BAR_LINES = 1.6  # a lying bar's thickness with its share of the gap, in lines of the chart's type
PLOTLY_SIDES = {"above": "top center", "below": "bottom center", "above left": "top left",
                "above right": "top right"}


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


# 演示模式's charts: large type, yet short enough that 总览's cards and its first chart share a 1080 px screen.
PRESENTING_HEIGHT = 460


def style(drawn: go.Figure, title: str, large: bool = False) -> go.Figure:
    size = 22 if large else 15
    lines = title_lines(title, TITLE_WIDTH[large])
    title_size = size + (3 if large else 1)
    noted = any(note.name == UNIT_NOTE for note in drawn.layout.annotations)
    drawn.update_layout(
        title={"text": "<br>".join(safe(line) for line in lines), "x": 0.01, "xanchor": "left", "y": 1,
               "yanchor": "top", "yref": "container", "pad": {"t": 12}, "font": {"size": title_size}},
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
    """One series of bars, each category in its colour; lying down with the value axis along the foot."""
    [series] = chart.series
    unit, values = series.shown()
    labels = [safe(label) for label in chart.categories]
    label_axis, value_axis = ("y", "x") if chart.horizontal else ("x", "y")
    trace = go.Bar(
        x=values if chart.horizontal else labels, y=labels if chart.horizontal else values,
        marker_color=list(series.colours), orientation="h" if chart.horizontal else "v",
        text=[value_text(v, unit) for v in values], textposition="outside", cliponaxis=False,
        meta={"unit": unit}, **hover(series, unit, values, label_axis, value_axis))
    drawn = go.Figure(trace)
    axis = {"range": headroom(values, HEADROOM + 0.1 if chart.horizontal else HEADROOM), "tickformat": ",",
            **ticks(values, unit)}
    if chart.horizontal:  # the value axis lies along the foot: its title reads across as it is
        drawn.update_xaxes(title={"text": f"单位：{unit}", "font": {"color": MUTED}}, **axis)
        drawn.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=labels)
    else:
        drawn.update_yaxes(**axis)
        drawn.update_xaxes(categoryorder="array", categoryarray=labels)
        unit_note(drawn, unit)
    return style(drawn, chart.title, large)


def line(chart: Chart, large: bool) -> go.Figure:
    """A line over time, each label where the line is not; short month names when the title names the year."""
    [series] = chart.series
    unit, values = series.shown()
    labels = list(chart.categories)
    drawn = go.Figure(go.Scatter(
        x=labels, y=values, mode="lines+markers+text", line={"color": series.colours[0], "width": 3},
        text=[value_text(v, unit) for v in values], textposition=[PLOTLY_SIDES[s] for s in label_sides(values)],
        cliponaxis=False, meta={"unit": unit}, **hover(series, unit, values, "x", "y")))
    drawn.update_yaxes(range=headroom(values), **ticks(values, unit))
    unit_note(drawn, unit)
    if chart.ticks:
        drawn.update_xaxes(tickvals=labels, ticktext=list(chart.ticks))
    return style(drawn, chart.title, large)


def side_by_side(chart: Chart, large: bool) -> go.Figure:
    """Two series in different units side by side, each on its own value axis (捐款 in 元, 物资 in 件)."""
    names = [safe(name) for name in chart.categories]
    traces, axes = [], {}
    for index, series in enumerate(chart.series):
        unit, values = series.shown()
        axis = "y" if index == 0 else f"y{index + 1}"
        traces.append(go.Bar(
            name=f"{series.name}（{unit}）", x=names, y=values, marker_color=series.colours[0], yaxis=axis,
            offsetgroup=str(index), text=[value_text(v, unit) if unit in MONEY else (f"{v:g}{unit}" if v else "")
                                          for v in values],
            textposition="outside", cliponaxis=False, meta={"unit": unit}, **hover(series, unit, values, "x", "y")))
        layout: dict[str, object] = {"range": headroom(values), "color": series.colours[0]}
        if index:
            layout.update({"overlaying": "y", "side": "right", "showgrid": False, "tickmode": "auto",
                           "tickformat": ",", "rangemode": "tozero"})
        axes["yaxis" if index == 0 else f"yaxis{index + 1}"] = layout
    drawn = go.Figure(traces)  # (the offset groups set the bars side by side: barmode "group" alone stacks them)
    drawn.update_layout(barmode="group", **axes)
    drawn = style(drawn, chart.title, large)
    drawn.update_layout(legend=LEGEND_ABOVE)
    return drawn


def together(chart: Chart, large: bool) -> go.Figure:
    """Several series in one unit on one value axis, a legend naming them: bars grouped by category (预算 beside
    实际支出), or lines over time, a reference level (全年预算) dashed and labelled once, at its end."""
    shown = chart.shown()
    unit = shown[0][0]
    every = [v for _, values in shown for v in values]
    draw = together_line if chart.shape == LINE else together_bar
    drawn = go.Figure([draw(chart, index, series, values, unit)
                       for index, (series, (_, values)) in enumerate(zip(chart.series, shown))])
    axis = {"range": headroom(every, HEADROOM + 0.1 if chart.horizontal else HEADROOM), "tickformat": ",",
            **ticks(tuple(every), unit)}
    labels = [safe(label) for label in chart.categories]
    if chart.horizontal and chart.shape != LINE:
        drawn.update_xaxes(title={"text": f"单位：{unit}", "font": {"color": MUTED}}, **axis)
        drawn.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=labels)
    else:
        drawn.update_yaxes(**axis)
        unit_note(drawn, unit)
        if chart.ticks:
            drawn.update_xaxes(tickvals=labels, ticktext=list(chart.ticks))
    drawn.update_layout(barmode="group", showlegend=True)  # (the offset groups set the bars side by side)
    drawn = style(drawn, chart.title, large)
    drawn.update_layout(legend=LEGEND_ABOVE)
    if chart.horizontal and chart.shape != LINE:
        tall_enough(drawn, len(chart.categories) * len(chart.series), large)
    return drawn


def tall_enough(drawn: go.Figure, bars: int, large: bool) -> None:
    """A lying-down chart as tall as its bars need: each thick enough to carry its label at the chart's type size,
    and every category named on the axis (a fixed height thins 15 groups of two into slivers with every other name
    dropped)."""
    size = 22 if large else 15
    drawn.update_yaxes(tickmode="linear", dtick=1)
    drawn.update_traces(constraintext="none", textfont={"size": size - 2})
    margin = drawn.layout.margin.t + drawn.layout.margin.b + 4 * size
    drawn.update_layout(height=max(drawn.layout.height, round(margin + bars * size * BAR_LINES)))


def together_bar(chart: Chart, index: int, series: Series, values: tuple[float, ...], unit: str) -> go.Bar:
    labels = [safe(label) for label in chart.categories]
    label_axis, value_axis = ("y", "x") if chart.horizontal else ("x", "y")
    return go.Bar(
        name=safe(series.name), x=values if chart.horizontal else labels, y=labels if chart.horizontal else values,
        orientation="h" if chart.horizontal else "v", marker_color=series.colours[0], offsetgroup=str(index),
        text=[value_text(v, unit) for v in values], textposition="outside", cliponaxis=False, meta={"unit": unit},
        **hover(series, unit, values, label_axis, value_axis))


def together_line(chart: Chart, index: int, series: Series, values: tuple[float, ...], unit: str) -> go.Scatter:
    """A line of the chart; a reference dashed, without markers, its label at its last point only (to the left of
    it, inside the plot)."""
    if series.reference:
        text = ["" for _ in values[:-1]] + [value_text(values[-1], unit)] if values else []
        look = {"mode": "lines+text", "line": {"color": series.colours[0], "width": 2.5, "dash": "dash"},
                "textposition": "top left"}
    else:
        text = [value_text(v, unit) for v in values]
        look = {"mode": "lines+markers+text", "line": {"color": series.colours[0], "width": 3},
                "textposition": [PLOTLY_SIDES[s] for s in label_sides(values)]}
    return go.Scatter(name=safe(series.name), x=[safe(label) for label in chart.categories], y=values, text=text,
                      cliponaxis=False, textfont={"color": series.colours[0]}, meta={"unit": unit},
                      **look, **hover(series, unit, values, "x", "y"))


def unit_of(trace) -> str:
    """The unit a trace is drawn in (人次, 元 or 万元, 件, %), as its `meta` records it."""
    return (trace.meta or {}).get("unit", "")


def plain_title(text: str) -> str:
    """A drawn figure's title as it reads, on one line: for a PNG's file name."""
    return html.unescape(text.replace("<br>", ""))


__all__ = ["BAR", "LINE", "figure", "plain_title"]
