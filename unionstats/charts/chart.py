"""A chart, described once: what it shows, in which unit, and how its labels read.

A kind's module describes its charts as `Chart`s; the dashboard draws them with plotly and the deck with
python-pptx, and neither reads the other's drawing. Values are in their series' own unit (money in yuan); the
one money rule (`shown`) picks 万元 or 元 for a whole series, so that the page, the PNG and the slide agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from unionstats.writing.chinese import in_unit, money_label, money_text, money_unit, number

BAR, LINE = "bar", "line"
MONEY = ("元", "万元")
COUNTED = ("人次", "个", "件", "人", "次", "项")
HEADROOM = 1.18  # the value axis reaches this far past the largest value, so that labels above it stay inside
LOW = 0.1  # a valley this near the axis (as a share of the top value) keeps its label above: below it meets the ticks
HOVER_PLACES = {"元": 2, "万元": 6}  # a hover is exact, to the fen


@dataclass(frozen=True)
class Series:
    """One set of values over the chart's categories: its name (for a legend; "" for a chart's only series), its
    unit (元 for money, in yuan), and one colour per category or one for all."""

    values: tuple[float, ...]
    unit: str
    name: str = ""
    colours: tuple[str, ...] = ()

    def shown(self) -> tuple[str, tuple[float, ...]]:
        """The unit the series is drawn in and its values in that unit: money in 万元 when its largest value reaches
        10,000, else 元; every other unit as it is."""
        if self.unit != "元":
            return self.unit, self.values
        unit = money_unit(list(self.values))
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
    year). Several series stand side by side, each on its own value axis. `empty` says why there is nothing to
    draw when there are no categories. `help` is how the chart is counted, in a line, shown beneath it and put
    in the slide's notes. `additive`: a total of the values means something (not of rates, nor of 参与 beside
    awards). `per_unit`: it sets units side by side, worth drawing only when the view has several.
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
    ticks: tuple[str, ...] = ()
    colours: dict[str, str] = field(default_factory=dict)

    @property
    def drawn(self) -> bool:
        """Whether there is anything to draw: else the renderers show `empty` instead of axes."""
        return bool(self.categories)


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
