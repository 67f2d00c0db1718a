"""The deck's chart slides: each chart description as native PowerPoint charts, whose numbers a secretary can
still edit (编辑数据 in PowerPoint and WPS).

Values, units, colours and data labels follow the dashboard's own rules (`charts.chart`), and so do the rules
that keep two texts apart, told the slide's width: whether bars stand or lie down, how far a value axis reaches for
its labels, which points of a line carry one and which months its axis names, and whose bars are labelled when
they are too many for every label. The line above each chart says its total and its largest part (for series drawn
together, each one's total or latest value), and the speaker notes how it is counted.
"""

from __future__ import annotations

import dataclasses
from contextlib import contextmanager
from dataclasses import dataclass

from lxml import etree
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_MARKER_STYLE,
    XL_TICK_LABEL_POSITION,
)
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as Deck
from pptx.util import Inches, Pt, lazyproperty
from xlsxwriter import Workbook

from unionstats.charts import chart as chart_rules
from unionstats.charts.chart import LINE, LINE_BOX, LYING, Chart
from unionstats.exports.deck.shapes import (
    BODY_TOP,
    HEIGHT,
    MARGIN,
    MUTED,
    WIDTH,
    content_slide,
    rgb,
    set_font,
    speaker_notes,
)
from unionstats.exports.plotting import GRID
from unionstats.exports.text import printable
from unionstats.writing.chinese import WAN, number, percent, yuan

LABEL_SIZE, SMALLEST = 14, 10  # the labels' type size, and the least a lying bar's label may shrink to
AXIS = Inches(1.1)  # the value axis's tick labels and title beside a plot, and the plot's inner margins


@dataclass(frozen=True)
class Series:
    """One trace of a dashboard figure, as its labels, values, colours and unit read; `sides`, each point's label
    side as the rules give it ("" for none; "outside" on bars)."""

    name: str
    categories: list[str]
    values: list[float]
    colours: list[str]
    unit: str
    line: bool = False
    horizontal: bool = False
    reference: bool = False
    sides: tuple[str, ...] = ()
    named: tuple[int, ...] = ()


def series_of(chart: Chart, across: float) -> list[Series]:
    """The description's series as the deck draws them on a plot `across` type sizes of its labels wide: values in
    the unit the page shows them in, the axis's short month names, a colour per point, each point's label side
    (bars lie down where the rule lays them), and the months the axis names."""
    categories = list(chart.ticks or chart.categories)
    lines = chart.shape == LINE
    sides = chart.point_labels(across, units=True) if lines else [("outside",) * len(values)
                                                                  for _, values in chart.shown()]
    lying = not lines and chart.names(across, turning=False, units=True) == LYING
    named = tuple(chart.named(across)) if lines else ()
    found = []
    for series, (unit, values), side in zip(chart.series, chart.shown(), sides):
        colours = list(series.colours) if len(series.colours) == len(values) else [series.colours[0]] * len(values)
        found.append(Series(series.name, categories, [float(v) for v in values], colours, unit, lines, lying,
                            series.reference, tuple(side), named))
    return found


def across(width) -> float:
    """A plot's width in its labels' type sizes, in a chart `width` wide (the value axis beside it)."""
    return (width - AXIS) / Pt(LABEL_SIZE)


def label_format(value: float, unit: str) -> str:
    """A data label's number format that writes `value` (in the chart's `unit`) as the dashboard's label,
    `chart_rules.value_text`, does: 2375元, 0.4元, 0.47万元, 31.4%, and 2046人次 (the dashboard's counts name their unit
    above the axis only). Excel formats cannot drop trailing zeros by themselves, so each point has its own. A
    zero has no label: its bar is not there to carry one (a campaign that gave goods only, no money), and a month
    without rows is the line on the axis."""
    text = chart_rules.value_text(value, unit)
    if not text:
        return '""'
    shown = text.removesuffix(unit if unit in chart_rules.MONEY else "%")
    if not shown.replace(".", "", 1).lstrip("-").isdigit():  # <0.01万元: written as it is
        return f'"{text}"'
    places = len(shown.partition(".")[2])
    return ("0." + "0" * places if places else "0") + f'"{unit}"'


def axis_format(unit: str) -> str:
    """The value axis's tick labels: 万元 ticks fall on halves and tenths (0.5, 1.5), the rest are whole."""
    return {"万元": "0.0", "%": '0"%"'}.get(unit, "#,##0")


def chart_slide(deck: Deck, chart: Chart, footer: str) -> None:
    """The chart's series as native charts, side by side when they have different units (捐款 元, 物资 件), in
    one chart when they are drawn together (预算 beside 实际支出); how it is counted in the speaker notes. A chart
    with nothing to draw has no slide."""
    if not chart.drawn:
        return
    gap = Inches(0.3)
    count = 1 if chart.together else len(chart.series)
    width = (WIDTH - 2 * MARGIN - gap * (count - 1)) // count
    found = series_of(chart, across(width))  # (series apart each have a chart: a name stands under one bar)
    if chart.together:
        note = latest(found) if chart.shape == LINE else totals(found) if chart.additive else ""
    else:
        note = takeaway(found[0], chart.additive) if len(found) == 1 else totals(found)
    slide = content_slide(deck, chart.title, footer, note)
    if chart.help:
        speaker_notes(slide, chart.help)
    height = HEIGHT - BODY_TOP - Inches(0.7)
    if chart.together:
        add_together(slide, chart, found, MARGIN, BODY_TOP, width, height)
        return
    for index, series in enumerate(found):
        left = MARGIN + (width + gap) * index
        add_chart(slide, series, left, BODY_TOP, width, height, titled=len(found) > 1)


class TextWorkbookWriter(CategoryWorkbookWriter):
    """The chart's embedded workbook with every text written as text. python-pptx writes it with XlsxWriter, which
    by default stores a string that starts with "=" as a live formula (HYPERLINK(…), a DDE call) and one that looks
    like a URL as a link; a unit or project name may be either."""

    @contextmanager
    def _open_worksheet(self, xlsx_file):
        workbook = Workbook(xlsx_file, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
        yield workbook, workbook.add_worksheet()
        workbook.close()


class TextChartData(CategoryChartData):
    """CategoryChartData whose embedded workbook keeps text as text (TextWorkbookWriter)."""

    @lazyproperty
    def _workbook_writer(self):
        return TextWorkbookWriter(self)


def native_chart(slide, found: list[Series], names: list[str], left, top, width, height):
    """A native chart of the series (their values in the unit the dashboard shows them in: 元 or 万元, 人次…), its
    embedded workbook keeping text as text, its type size 14."""
    first = found[0]
    data = TextChartData(number_format={"元": "#,##0.00", "万元": "0.00##"}.get(first.unit, "General"))
    data.categories = [printable(c) for c in first.categories]
    for series, name in zip(found, names):
        data.add_series(printable(name), series.values)
    kind = XL_CHART_TYPE.LINE_MARKERS if first.line else (
        XL_CHART_TYPE.BAR_CLUSTERED if first.horizontal else XL_CHART_TYPE.COLUMN_CLUSTERED)
    chart = slide.shapes.add_chart(kind, left, top, width, height, data).chart
    set_font(chart.font, 14)
    return chart


def add_chart(slide, series: Series, left, top, width, height, titled: bool):
    values = series.values
    chart = native_chart(slide, [series], [series.name or series.unit], left, top, width, height)
    chart.has_legend = False
    chart.has_title = titled
    if titled:
        chart.chart_title.text_frame.text = printable(f"{series.name.split('（')[0]}（{series.unit}）")
        set_font(chart.chart_title.text_frame.paragraphs[0].runs[0].font, 18, bold=True)
    plot = chart.plots[0]
    plot.vary_by_categories = False
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format, labels.number_format_is_linked = label_format(max(values, default=0), series.unit), False
    labels.position = XL_LABEL_POSITION.ABOVE if series.line else XL_LABEL_POSITION.OUTSIDE_END
    set_font(labels.font, LABEL_SIZE)
    drawn = plot.series[0]
    for point, value, side in zip(drawn.points, values, series.sides):
        label_point(point.data_label, label_format(value, series.unit) if side else '""', side or "above")
    if series.line:
        drawn.format.line.color.rgb = rgb(series.colours[0])
        drawn.format.line.width = Pt(3)
        drawn.smooth = False
        drawn.marker.style, drawn.marker.size = XL_MARKER_STYLE.CIRCLE, 8
        drawn.marker.format.fill.solid()
        drawn.marker.format.fill.fore_color.rgb = rgb(series.colours[0])
        drawn.marker.format.line.color.rgb = rgb(series.colours[0])
    else:
        plot.gap_width = 60
        for point, colour in zip(drawn.points, series.colours):
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = rgb(colour)
    style_axes(chart, values, series.unit, series.horizontal, series.named)
    return chart


def add_together(slide, described: Chart, found: list[Series], left, top, width, height):
    """One chart holding every series in their one unit, a legend naming them: clustered columns (or bars lying
    down), or lines; a reference level dashed, without markers, labelled once. Bars lying down too many for every
    label to stand a line high lose a reference level's labels (预算 beside 实际支出: the note above and the
    预算执行情况 slide give it) before their labels shrink below `SMALLEST`."""
    first = found[0]
    chart = native_chart(slide, found, [series.name for series in found], left, top, width, height)
    chart.has_title = False
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.TOP
    chart.legend.include_in_layout = False
    set_font(chart.legend.font, 14)
    every = [v for series in found for v in series.values]
    plot = chart.plots[0]
    plot.vary_by_categories = False
    plot.has_data_labels = True
    plot.data_labels.number_format = label_format(max(every, default=0), first.unit)
    plot.data_labels.number_format_is_linked = False
    set_font(plot.data_labels.font, 14)
    if not first.line:
        plot.gap_width, plot.overlap = 60, 0
    labelled, size = lying_labels(described, found, height)
    for drawn, series, shown in zip(plot.series, found, labelled):
        paint(drawn, series if shown else dataclasses.replace(series, sides=("",) * len(series.values)), size)
    style_axes(chart, every, first.unit, first.horizontal, first.named)
    if first.horizontal:  # every category named, however many (PowerPoint would skip every other one)
        set_font(chart.category_axis.tick_labels.font, min(LABEL_SIZE, name_size(found, height)))
        skip(chart, 1)
    return chart


PLOT_SHARE = 0.65  # of a lying chart's height, what its bars have (the legend and the value axis take the rest)


def lying_labels(described: Chart, found: list[Series], height) -> tuple[tuple[bool, ...], int]:
    """Which series' bars carry labels, and the labels' type size: for bars lying down, as tall as a label line
    fits a bar, every series' when that is `SMALLEST` or more, else all but a reference level's (`Chart.labelled`)
    at the size one label a category allows; columns and lines keep all theirs at `LABEL_SIZE`."""
    if not found[0].horizontal or found[0].line:
        return (True,) * len(found), LABEL_SIZE
    labelled = described.labelled(height * PLOT_SHARE / Pt(SMALLEST))
    bars = len(found[0].categories) * max(sum(labelled), 1)
    return labelled, max(SMALLEST, min(LABEL_SIZE, int(height * PLOT_SHARE / Pt(1) / LINE_BOX / max(bars, 1))))


def name_size(found: list[Series], height) -> int:
    """The names' type size beside bars lying down: a line for each category."""
    return max(SMALLEST - 2, int(height * PLOT_SHARE / Pt(1) / LINE_BOX / max(len(found[0].categories), 1)))


def skip(chart, step: int) -> None:
    """The category axis names every `step`th category (PowerPoint would choose its own)."""
    offset = chart.category_axis._element.get_or_add_lblOffset()
    offset.addnext(offset.makeelement(qn("c:tickLblSkip"), {"val": str(step)}))  # (CT_CatAx: lblOffset, tickLblSkip)


def paint(drawn, series: Series, size: int = LABEL_SIZE) -> None:
    """One series of a chart drawn together: its colour, and each point's label where the rules give it one."""
    colour = rgb(series.colours[0])
    for point, value, side in zip(drawn.points, series.values, series.sides):
        label_point(point.data_label, label_format(value, series.unit) if side else '""', side or "above", size)
    if not series.line:
        drawn.format.fill.solid()
        drawn.format.fill.fore_color.rgb = colour
        return
    drawn.smooth = False
    drawn.format.line.color.rgb = colour
    drawn.format.line.width = Pt(2.5 if series.reference else 3)
    if series.reference:
        drawn.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
        drawn.marker.style = XL_MARKER_STYLE.NONE
        return
    drawn.marker.style, drawn.marker.size = XL_MARKER_STYLE.CIRCLE, 8
    drawn.marker.format.fill.solid()
    drawn.marker.format.fill.fore_color.rgb = colour
    drawn.marker.format.line.color.rgb = colour


LABEL_SIDES = {"above": XL_LABEL_POSITION.ABOVE, "below": XL_LABEL_POSITION.BELOW,
               "above left": XL_LABEL_POSITION.LEFT, "above right": XL_LABEL_POSITION.RIGHT,
               "below left": XL_LABEL_POSITION.LEFT, "below right": XL_LABEL_POSITION.RIGHT,
               "outside": XL_LABEL_POSITION.OUTSIDE_END}
RAISED = 0.03  # how far a label beside its point is moved up or down, as a share of the chart's height: half a label


def label_point(label, number_format: str, side: str, size: int = LABEL_SIZE) -> None:
    """One point's label with its own number format (c:numFmt follows c:idx; python-pptx has no setter). A label
    beside its point is raised (or lowered) by half its height, into the quarter the line leaves free (PowerPoint
    has no diagonal position; a manual layout moves a label from where its position puts it)."""
    label.position = LABEL_SIDES[side]
    set_font(label.font, size)
    element = label._get_or_add_dLbl()
    element.find(qn("c:idx")).addnext(
        element.makeelement(qn("c:numFmt"), {"formatCode": number_format, "sourceLinked": "0"}))
    if side.startswith(("above ", "below ")):
        layout = element.makeelement(qn("c:layout"), {})
        manual = etree.SubElement(layout, qn("c:manualLayout"))
        etree.SubElement(manual, qn("c:x"), {"val": "0"})
        etree.SubElement(manual, qn("c:y"), {"val": str(-RAISED if side.startswith("above") else RAISED)})
        element.find(qn("c:idx")).addnext(layout)  # CT_DLbl's order: idx, layout, tx, numFmt, spPr, txPr...


def style_axes(chart, drawn: list[float], unit: str, horizontal: bool, named: tuple[int, ...] = ()) -> None:
    """The value axis from 0 to past the largest of the `drawn` values (in `unit`), its unit written across; a
    line's months named as far apart as the rule spaces them (`named`; PowerPoint counts from the first)."""
    values = chart.value_axis
    values.minimum_scale = 0
    top = max(drawn, default=0)
    if top > 0:
        values.maximum_scale = top * chart_rules.HEADROOM  # room for the label above the largest value
    values.has_major_gridlines = True
    values.major_gridlines.format.line.color.rgb = rgb(GRID)
    values.format.line.fill.background()
    values.tick_labels.number_format, values.tick_labels.number_format_is_linked = axis_format(unit), False
    if chart_rules.whole_ticks(drawn, unit):
        values.major_unit = 1
    set_font(values.tick_labels.font, 13, colour=MUTED)
    values.has_title = True
    values.axis_title.text_frame.text = unit
    set_font(values.axis_title.text_frame.paragraphs[0].runs[0].font, 13, colour=MUTED)
    written_across(values.axis_title)
    categories = chart.category_axis
    categories.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    categories.format.line.color.rgb = rgb(GRID)
    set_font(categories.tick_labels.font, 14)
    if horizontal:
        categories.reverse_order = True  # the largest on top, as the dashboard ranks them
    if len(named) > 1:
        skip(chart, named[1] - named[0])


def written_across(title) -> None:
    """An axis title unturned: 人次 on its side reads badly, and 个 turned looks like an arrow."""
    body = title.text_frame._txBody.find(qn("a:bodyPr"))
    body.set("rot", "0")
    body.set("vert", "horz")


def totals(found: list[Series]) -> str:
    """The totals of side-by-side charts in one line: 合计捐款4.46万元、物资500件."""
    parts = [f"{s.name.split('（')[0]}{amount(sum(s.values), s.unit)}" for s in found if any(s.values)]
    return f"合计{'、'.join(parts)}" if parts else ""


def latest(found: list[Series]) -> str:
    """Lines over time in one line, at their last point: 12月：累计支出4.5万元，全年预算12万元."""
    if not found[0].categories:
        return ""
    parts = [f"{s.name}{amount(s.values[-1], s.unit)}" for s in found]
    return f"{found[0].categories[-1]}：{'，'.join(parts)}"


def takeaway(series: Series, additive: bool) -> str:
    """One line a chairman can read out: the total and the largest part, or the highest; nothing when every value
    is zero (no month is the highest of twelve empty ones)."""
    if not any(series.values):
        return ""
    top = max(range(len(series.values)), key=lambda i: series.values[i])
    best = f"{series.categories[top]}{'最高' if series.line else '最多'}，" \
           f"{amount(series.values[top], series.unit)}"
    if not additive:
        return best
    total = sum(series.values)
    share = f"（占{percent(series.values[top] / total)}）" if total and not series.line else ""
    return f"合计{amount(total, series.unit)}；{best}{share}"


def amount(value: float, unit: str) -> str:
    """A chart's figure in a sentence: money by the house rule (`chinese.yuan`), whichever unit the chart is
    drawn in; other figures with their unit."""
    if unit in chart_rules.MONEY:
        return yuan(value * WAN if unit == "万元" else value)
    return f"{number(value)}{unit}"
