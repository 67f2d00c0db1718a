"""A chart, described once: what it shows, in which unit, and how its labels read.

A kind's module describes its charts as `Chart`s; the dashboard draws them with plotly and the deck with
python-pptx, and neither reads the other's drawing. Values are in their series' own unit (money in yuan); the
one money rule (`shown`) picks 万元 or 元 for a whole series, or for all the series of a chart drawn `together`,
so that the page, the PNG and the slide agree.
"""

from __future__ import annotations

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
    the other series against (the year's budget across the months), not a thing counted: on a line chart drawn
    together, a dashed line without markers, labelled once, at its last point."""

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
