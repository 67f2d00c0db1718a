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
from unionstats.contract.registry import registered
from unionstats.figures.typed import Figures
from unionstats.writing.chinese import in_unit, money_text, money_unit

FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
PALETTE = ("#C0392B", "#2E86C1", "#28B463", "#D68910", "#8E44AD", "#17A589", "#7F8C8D", "#E84393", "#34495E",
           "#B7950B")
SHARED = {schema.OTHER: PALETTE[7], schema.UNSPECIFIED: "#95A5A6"}  # 其他 and 未注明 alike in every chart
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
        setattr(build, "help", help_text)  # noqa: B010  (a function's attribute, read by help_of)
        return build
    return mark


def not_additive(build: Callable) -> Callable:
    """Marks a chart whose values make no total (rates, or 参与 entries beside awards won)."""
    setattr(build, "additive", False)  # noqa: B010  (read by additive)
    return build


def additive(build: Callable) -> bool:
    """Whether a total of the chart's values means something (the deck writes it under the title)."""
    return getattr(build, "additive", True)


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


def palette(categories: tuple[str, ...], start: int = 0) -> dict[str, str]:
    """A kind's categories with their colours, the same on every page: the palette in the contract's order."""
    return dict(zip(categories, PALETTE[start:]))


def bars(title: str, labels: list[str], values: list[float], unit: str, large: bool = False,
         horizontal: bool = False, colours: dict[str, str] | None = None) -> go.Figure:
    """Bars of `values` in `unit`, each category in its colour (`colours`, a kind's `palette`); money (元) is drawn
    in the chart's one money unit."""
    given = colours or {}
    painted = [SHARED.get(label) or given.get(label) or PALETTE[i % len(PALETTE)] for i, label in enumerate(labels)]
    labels = [safe(label) for label in labels]
    label_axis, value_axis = ("y", "x") if horizontal else ("x", "y")
    hover: dict[str, object] = {"hovertemplate": f"%{{{label_axis}}}：%{{{value_axis}:,}} {unit}<extra></extra>"}
    if unit == "元":
        unit, values, exact = money_trace(values)
        hover = {"customdata": exact, "hovertemplate": f"%{{{label_axis}}}：%{{customdata}}<extra></extra>"}
    text = [value_text(v, unit) for v in values]
    trace = go.Bar(
        x=values if horizontal else labels, y=labels if horizontal else values, marker_color=painted,
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


def over_time(result: Figures, sheet: str, key: str, what: str, unit: str, scope: str,
              large: bool = False) -> go.Figure:
    title = heading(result, what, scope)
    by = result.sheet(sheet).by_month
    if not by:
        return empty(title, "本期没有记录", large)
    labels = [f"{k[:4]}年{int(k[5:])}月" for k in by]
    values = [getattr(v, key) for v in by.values()]
    hover: dict[str, object] = {"hovertemplate": f"%{{x}}：%{{y:,}} {unit}<extra></extra>"}
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


def worth(predicate: Callable[[Figures], bool]) -> Callable:
    """Marks a "各单位…" chart with when it is worth drawing: `predicate(figures)`, several units to set side by
    side."""
    def mark(build: Callable) -> Callable:
        setattr(build, "worth", predicate)  # noqa: B010  (read by for_view)
        return build
    return mark


def per_unit(build: Callable) -> bool:
    """Whether a chart sets units side by side (it is marked with `worth`)."""
    return hasattr(build, "worth")


def for_view(result: Figures, builders: list) -> list:
    """The charts worth drawing for the view: a "各单位…" chart only when it has several units to set side by side."""
    return [build for build in builders if not per_unit(build) or getattr(build, "worth")(result)]  # noqa: B009


def several_units(result: Figures) -> bool:
    """Whether some "各单位…" chart of a kind is worth drawing for the view."""
    return any(per_unit(build) and getattr(build, "worth")(result) for build in registered_charts())  # noqa: B009


def registered_charts() -> list:
    return list(dict.fromkeys(build for kind in registered() for build in kind.charts))


def every_chart(result: Figures) -> list:
    """Every chart of every sheet kind (the pages' charts), in page order, for the view: the deck's and the PNGs'."""
    return for_view(result, registered_charts())
