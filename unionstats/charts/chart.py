"""A chart, described once: what it shows, in which unit, and how its labels read.

A kind's module describes its charts as `Chart`s; the dashboard draws them with plotly and the deck with
python-pptx, and neither reads the other's drawing. Values are in their series' own unit (money in yuan); the
one money rule (`shown`) picks 万元 or 元 for a whole series, or for all the series of a chart drawn `together`,
so that the page, the PNG and the slide agree.

The label rules are here too, so that no drawer lets two texts meet: how the bars' names stand (`Chart.names`:
upright, turned, or the bars lie down), how far a value axis reaches past its bars for their labels (`reach`),
and which points of a line carry a label and on which side (`Chart.point_labels`). A drawer says how wide its
plot is, in type sizes of its labels (`across`: the narrowest it is drawn), and honours the answer.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from unionstats.contract.periods import Period
from unionstats.contract.registry import registered
from unionstats.contract.schema import OTHER, UNSPECIFIED
from unionstats.figures.typed import Figures
from unionstats.writing.chinese import in_unit, money_label, money_text, money_unit, number

BAR, LINE = "bar", "line"
MONEY = ("元", "万元")
COUNTED = ("人次", "个", "件", "人", "次", "项")
HEADROOM = 1.18  # the value axis reaches this far past the largest value, so that labels above it stay inside
LOW = 0.1  # a valley this near the axis (as a share of the top value) keeps its label above: below it meets the ticks
HOVER_PLACES = {"元": 2, "万元": 6}  # a hover is exact, to the fen
PALETTE = ("#C0392B", "#2E86C1", "#28B463", "#D68910", "#8E44AD", "#17A589", "#7F8C8D", "#E84393", "#34495E",
           "#B7950B")
SHARED = {OTHER: PALETTE[7], UNSPECIFIED: "#95A5A6"}  # 其他 and 未注明 alike in every chart
LINE_COLOUR, CASH, GOODS = "#C0392B", "#C0392B", "#2E86C1"

# Measures in type sizes (a CJK character is one wide; `text_width`):
GAP = 0.4  # kept clear between two labels side by side, and between a label and the edge of the plot
NAME_GAP = 0.6  # between two names under their bars
LINE_BOX = 1.45  # a line of text's height: the font's ascent and descent (Noto Sans CJK, 微软雅黑), not its size
BESIDE = 0.6  # how far a label beside its point starts from it (past the marker)
SPACED = 0.25  # the space LibreOffice (and Office) set between Chinese and Latin text, as in 0.47 万元
TURN = 30  # degrees a turned name leans (plotly turns category names when they do not fit upright)
UPRIGHT, TURNED, LYING = "upright", "turned", "lying"
STEPS = (1, 2, 3, 4, 6, 12, 24, 36, 48, 60, 120)  # months from one named on a line's axis to the next: a year's
# divisors, then whole years


def palette(categories: tuple[str, ...], start: int = 0) -> dict[str, str]:
    """A kind's categories with their colours, the same on every page: the palette in the contract's order."""
    return dict(zip(categories, PALETTE[start:]))


def painted(labels: list[str] | tuple[str, ...], colours: dict[str, str] | None = None) -> tuple[str, ...]:
    """Each label's colour: 其他 and 未注明 as everywhere, a kind's category as its `palette` has it, any other
    (a unit, a campaign) the palette in turn."""
    given = colours or {}
    return tuple(SHARED.get(label) or given.get(label) or PALETTE[i % len(PALETTE)] for i, label in enumerate(labels))


@dataclass(frozen=True)
class Series:
    """One set of values over the chart's categories: its name (for a legend; "" for a chart's only series), its
    unit (元 for money, in yuan), and one colour per category or one for all. A `reference` is a level to measure
    the other series against (the year's budget across the months, each 科目's budget), not a thing counted: on a
    line chart drawn together, a dashed line without markers, labelled once, at its first point (where the other
    lines are lowest); its bars are the first to lose their labels when there is no room for them all
    (`Chart.labelled`)."""

    values: tuple[float, ...]
    unit: str
    name: str = ""
    colours: tuple[str, ...] = ()
    reference: bool = False

    def shown(self, money: str | None = None) -> tuple[str, tuple[float, ...]]:
        """The unit the series is drawn in and its values in that unit: money in `money` (元 or 万元) when the
        chart chose one for all its series, else in 万元 when its own largest value reaches 10,000, else 元; every
        other unit as it is."""
        if self.unit != "元":
            return self.unit, self.values
        unit = money or money_unit(list(self.values))
        return unit, tuple(in_unit(v, unit) for v in self.values)

    def labels(self) -> list[str]:
        """Each value's label as drawn (`value_text`)."""
        unit, values = self.shown()
        return [value_text(v, unit) for v in values]

    def exact(self) -> list[str]:
        """Each value written exactly, for a hover: money to the fen."""
        unit, values = self.shown()
        if unit in MONEY:
            return [money_text(v, unit, HOVER_PLACES[unit]) for v in values]
        return [f"{number(v)} {unit}" for v in values]


@dataclass(frozen=True)
class Chart:
    """What one chart shows.

    `title` is plain text (the renderers escape and wrap it). `categories` label the bars or the line's points,
    `ticks` (when given) are their shorter labels on the axis (1月 for 2024年1月 under a title that names the
    year). Several series stand side by side, each on its own value axis in its own unit (捐款 元 beside 物资 件),
    unless they are drawn `together`: then they share one unit and one value axis (预算 beside 实际支出), and a
    legend names them. `empty` says why there is nothing to draw when there are no categories. `help` is how the
    chart is counted, in a line, shown beneath it and put in the slide's notes. `additive`: a total of the values
    means something (not of rates, nor of 参与 beside awards). `per_unit`: it sets units side by side; `worth`:
    whether it is worth drawing for the view (a "各单位…" chart only when the view has several units).
    """

    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    shape: str = BAR
    horizontal: bool = False
    empty: str = ""
    help: str = ""
    additive: bool = True
    per_unit: bool = False
    worth: bool = True
    ticks: tuple[str, ...] = ()
    together: bool = False

    def __post_init__(self) -> None:
        if self.together and len({series.unit for series in self.series}) > 1:
            raise ValueError(f"series drawn together share one unit: {[s.unit for s in self.series]}")

    @property
    def drawn(self) -> bool:
        """Whether there is anything to draw: else the renderers show `empty` instead of axes."""
        return bool(self.categories)

    def shown(self) -> tuple[tuple[str, tuple[float, ...]], ...]:
        """Each series' unit and values as drawn, for both renderers: series drawn together in one unit (money in
        万元 when the largest value of any of them reaches 10,000, so that 0.8万元 stands beside 12.5万元), else
        each series in its own."""
        if not self.together:
            return tuple(series.shown() for series in self.series)
        money = money_unit([v for series in self.series for v in series.values])
        return tuple(series.shown(money) for series in self.series)

    def value_labels(self, units: bool = False) -> tuple[tuple[str, ...], ...]:
        """Each series' value labels as drawn (`value_text`, in the unit `shown` picks). A count names its unit
        after it where two units stand side by side (500件 beside 1.31万元), or for a drawer that always names it
        (`units`: the slide's 2046人次); else the unit stands once, by the value axis."""
        named = units or (len(self.series) > 1 and not self.together)
        return tuple(tuple(f"{text}{unit}" if named and text and unit not in MONEY and unit != "%" else text
                           for text in (value_text(v, unit) for v in values)) for unit, values in self.shown())

    def label_widths(self, units: bool = False) -> tuple[tuple[float, ...], ...]:
        """Each value label's width (`label_width`; 0 for none)."""
        return tuple(tuple(label_width(text) if text else 0 for text in texts) for texts in self.value_labels(units))

    def names(self, across: float, turning: bool = True, units: bool = False) -> str:
        """How the bars' names stand on a plot `across` type sizes wide: UPRIGHT under their bars when each fits
        its bar's share of the plot; else TURNED (for a drawer `turning` them by `TURN` degrees) when turned names
        keep a line apart; else the bars lie down, names on the left, one a line (LYING). Bars lie down also when
        the kind says so, and when a value label is wider than its bar's share (it would shrink to a speck or run
        into the next one's; `units`: as `value_labels`). Turned on its side, Chinese reads badly."""
        if self.horizontal:
            return LYING
        share = across / max(len(self.categories), 1)
        widest = max((width for widths in self.label_widths(units) for width in widths), default=0)
        if widest + GAP > share / max(len(self.series), 1):
            return LYING
        if max((label_width(name) for name in self.categories), default=0) + NAME_GAP <= share:
            return UPRIGHT
        if turning and share * math.sin(math.radians(TURN)) >= LINE_BOX + GAP:
            return TURNED
        return LYING

    def reach(self, across: float, alone: int | None = None, units: bool = False) -> float:
        """How far the value axis of bars lying down reaches past the longest, as a share of it, on a plot
        `across` type sizes wide standing (lying, the names on the left take their part): far enough for every
        bar's label to fit after it, and never less than `HEADROOM` + 0.1. `alone`: the one series measured, on
        an axis of its own in its share of the width (series side by side)."""
        room = across - max((label_width(name) for name in self.categories), default=0) - NAME_GAP
        pairs = list(zip(self.shown(), self.label_widths(units)))
        if alone is not None:
            room, pairs = room / len(pairs), [pairs[alone]]
        every = [(v, width) for (_, values), widths in pairs for v, width in zip(values, widths)]
        top = max((v for v, _ in every), default=0)
        if top <= 0:
            return HEADROOM + 0.1
        needed = max(v / top / max(1 - (width + GAP) / room, 0.2) for v, width in every)
        return max(HEADROOM + 0.1, needed)

    def labelled(self, lines: float) -> tuple[bool, ...]:
        """Which series' bars carry their labels when they lie down in a plot `lines` label lines high: every
        series' when each bar has a line; else all but a reference level's (预算 beside 实际支出), whose figures
        the hover, the slide's note and the table give."""
        if lines >= len(self.categories) * len(self.series) * LINE_BOX:
            return (True,) * len(self.series)
        return tuple(not series.reference for series in self.series)

    def named(self, across: float) -> list[int]:
        """The points a line's axis names (by its `ticks`, else its categories) on a plot `across` type sizes wide,
        never turned: every one when the names fit upright side by side, else every second, third... month, or
        every year or few (`STEPS`); from the first whose name, centred under it, stays inside the plot, to the last
        that does."""
        names = self.ticks or self.categories
        pitch = across / max(len(names), 1)
        widths = [label_width(name) for name in names]
        need = max(widths, default=0) + NAME_GAP
        step = next((step for step in STEPS if step * pitch >= need), math.ceil(need / pitch))
        inside = [i for i, width in enumerate(widths) if width / 2 <= (i + 0.5) * pitch
                  and (i + 0.5) * pitch + width / 2 <= across]
        return list(range(inside[0], inside[-1] + 1, step)) if inside else []

    def point_labels(self, across: float, units: bool = False) -> tuple[tuple[str, ...], ...]:
        """For a line chart on a plot `across` type sizes wide, each series' points' label sides (`label_sides`,
        those at the ends turned inwards), "" for a point without a label. When every label fits beside its neighbours
        they all stay; where they are dense, the telling ones are kept (a reference level's, at its first point,
        where the other lines are lowest; then each line's highest, last, lowest and first point, then the rest
        from the left), and any that would meet a kept one, or leave the plot, go (the hover still gives every
        value). Two labels meet when their spans across the plot come within `GAP`, unless one stands above a
        point no lower than the point the other hangs below. `units`: as `value_labels`."""
        pitch = across / max(len(self.categories), 1)
        shown = self.shown()
        sides = [list(label_sides(values)) if not series.reference else
                 ["above right" if i == 0 else "" for i in range(len(values))]
                 for series, (_, values) in zip(self.series, shown)]
        texts, widths = self.value_labels(units), self.label_widths(units)
        kept: list[tuple[float, float, bool, float]] = []  # (left, right, above, value) of each label kept
        chosen = [["" for _ in values] for _, values in shown]
        for s, i in label_order(self.series, shown):
            text, side = texts[s][i], sides[s][i]
            if not text or not side:
                continue
            value, width = shown[s][1][i], widths[s][i]
            side = inwards(side, (i + 0.5) * pitch, width, across)
            left, right = span(side, (i + 0.5) * pitch, width)
            above = side.startswith("above")
            if left < 0 or right > across:
                continue
            if any(left < end + GAP and start < right + GAP and not apart(above, value, up, at)
                   for start, end, up, at in kept):
                continue
            kept.append((left, right, above, value))
            chosen[s][i] = side
        return tuple(tuple(points) for points in chosen)


@dataclass(frozen=True)
class Grid:
    """A table for a slide: its title, a line under it, the headers and the rows as written (the first column
    names the row)."""

    title: str
    note: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def value_text(value: float, unit: str) -> str:
    """A bar's or point's label, `value` being in the chart's `unit`: money by `chinese.money_label` (0.47万元,
    4908元, 0.4元), other numbers as they are; a zero has none (no bar carries it; a month without rows is the
    line on the axis)."""
    if not value:
        return ""
    if unit in MONEY:
        return money_label(value, unit)
    return f"{number(value)}{'%' if unit == '%' else ''}"


def text_width(text: str) -> float:
    """A text's width in type sizes: a CJK character is one, a Latin letter, digit or point about half of one."""
    return sum(0.55 if ord(c) < 0x2E80 else 1 for c in text)


def label_width(text: str) -> float:
    """A label's or a name's width in type sizes as the widest drawer sets it: with `SPACED` wherever Chinese and
    Latin text meet."""
    meeting = sum(1 for a, b in zip(text, text[1:]) if (ord(a) < 0x2E80) != (ord(b) < 0x2E80))
    return text_width(text) + SPACED * meeting


def span(side: str, x: float, width: float) -> tuple[float, float]:
    """Where a label of `width` on that side of a point at `x` reaches across the plot."""
    if side.endswith("left"):
        return x - BESIDE - width, x
    if side.endswith("right"):
        return x, x + BESIDE + width
    return x - width / 2, x + width / 2


def inwards(side: str, x: float, width: float, plot: float) -> str:
    """A label above or below its point, turned to the side away from the plot's edge when it would cross it."""
    if side not in ("above", "below"):
        return side
    left, right = span(side, x, width)
    if left < GAP / 2:
        return f"{side} right"
    if right > plot - GAP / 2:
        return f"{side} left"
    return side


def apart(above: bool, value: float, other_above: bool, other: float) -> bool:
    """Whether two labels are kept apart by their points: one above a point no lower than the one the other hangs
    below."""
    if above == other_above:
        return False
    return value >= other if above else other >= value


def label_order(series: Sequence[Series], shown: Sequence[tuple[str, tuple[float, ...]]]) -> list[tuple[int, int]]:
    """The points of a line chart's series, the most telling first: a reference level's one label, then each
    line's highest, last, lowest and first point, then the rest from the left."""
    order: list[tuple[int, int]] = [(s, 0) for s, line in enumerate(series) if line.reference and shown[s][1]]
    lines = [(s, values) for s, ((_, values), line) in enumerate(zip(shown, series)) if values and not line.reference]
    for pick in (lambda v: max(range(len(v)), key=v.__getitem__), lambda v: len(v) - 1,
                 lambda v: min((i for i in range(len(v)) if v[i]), key=v.__getitem__, default=0), lambda v: 0):
        order += [(s, pick(values)) for s, values in lines]
    order += [(s, i) for s, values in lines for i in range(len(values))]
    return list(dict.fromkeys(order))


def headroom(values: tuple[float, ...] | list[float], share: float = HEADROOM) -> list[float] | None:
    """A value axis range from 0 with room above the largest value for its label; None (autorange) when all are 0."""
    top = max(values, default=0)
    return [0, top * share] if top > 0 else None


def whole_ticks(values: tuple[float, ...] | list[float], unit: str) -> bool:
    """Whether the value axis ticks one apart: a few things counted (0, 1, 2, 3 个), not 0.5 of an award."""
    return unit in COUNTED and 0 < max(values, default=0) <= 6


def label_sides(values: tuple[float, ...] | list[float]) -> list[str]:
    """Where each point's label of a line goes so that the line does not run through it: above a peak, below a
    valley (unless it lies on the axis), and on a slope in the quarter the line leaves free, above and behind a
    rising point, above and ahead of a falling one. One of "above", "below", "above left", "above right"."""
    top = max(values, default=0)
    sides = []
    for i, value in enumerate(values):
        before = values[i - 1] if i else None
        after = values[i + 1] if i + 1 < len(values) else None
        neighbours = [v for v in (before, after) if v is not None]
        if all(value >= v for v in neighbours):
            side = "above"
        elif all(value <= v for v in neighbours):
            side = "below" if value > top * LOW else "above"
        else:
            side = "above left" if before is not None and after is not None and before < value < after \
                else "above right"
        sides.append(side)
    return sides


def heading(period: Period | None, what: str, scope: str) -> str:
    """A chart's title: its scope, its period and what it shows (全部单位 2024年各类活动参与人次)."""
    return f"{scope} {period.label if period else ''}{what}".strip()


def bar_chart(title: str, labels: list[str], values: Sequence[float], unit: str, *, help: str, empty: str,
              colours: dict[str, str] | None = None, horizontal: bool = False, additive: bool = True,
              per_unit: bool = False, worth: bool = True) -> Chart:
    """Bars of `values` in `unit` over `labels`, each in its colour; `empty` says why when there are none."""
    series = (Series(tuple(values), unit, colours=painted(labels, colours)),) if labels else ()
    return Chart(title, tuple(labels), series, BAR, horizontal, empty, help, additive, per_unit, worth)


def monthly_chart(title: str, months: Mapping[str, float], unit: str, *, help: str,
                  empty: str = "本期没有记录") -> Chart:
    """A line over the months ({"2024-05": value}): 1月…12月 under a title that names one year."""
    labels, ticks = month_axis(months)
    series = (Series(tuple(months.values()), unit, colours=(LINE_COLOUR,)),) if months else ()
    return Chart(title, labels, series, LINE, empty=empty, help=help, ticks=ticks)


def month_axis(keys: Iterable[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The labels of months ("2024-05" is 2024年5月) and their ticks on the axis: 5月 when they all fall in one year
    (the title names it), else none (the axis shows the labels, years and all)."""
    months = list(keys)
    labels = tuple(f"{k[:4]}年{int(k[5:])}月" for k in months)
    ticks = tuple(f"{int(k[5:])}月" for k in months) if len({k[:4] for k in months}) == 1 else ()
    return labels, ticks


def worth_drawing(charts: list[Chart]) -> list[Chart]:
    """The charts worth drawing for the view: a "各单位…" chart only when it has several units to set side by side."""
    return [chart for chart in charts if chart.worth]


def every_chart(result: Figures, scope: str = "") -> list[Chart]:
    """Every chart of every kind (the pages' charts, each once) worth drawing for the view: the deck's and the
    PNGs'."""
    builders = dict.fromkeys(build for kind in registered() for build in kind.charts)
    return worth_drawing([build(result, scope) for build in builders])
