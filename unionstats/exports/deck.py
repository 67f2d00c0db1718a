"""The 汇报PPT: one period's figures as a 16:9 deck to take to a meeting.

A title slide; 主要数据, the 总览 page's KPI cards with their 环比 and 同比
changes; one slide per dashboard chart, each a native PowerPoint chart whose
numbers a secretary can still edit (编辑数据 in PowerPoint and WPS); the
units side by side when the view holds several; and the 工作总结's headings,
with its full text in the speaker notes.

The charts are read from the dashboard's own plotly figures (`charts.py`),
so their order, values, units and category colours are the pages', and
their data labels are written by the dashboard's own `chart_rules.value_text`;
each chart slide's notes say how the chart is counted (`charts.help_of`). Every run names
an East Asian font (a:ea) beside its Latin one: Office and WPS on Windows
take 微软雅黑, and the GB2312 charset on the element, with the theme's
Chinese font, lets a machine without it substitute its own (LibreOffice on
Linux takes Noto Sans CJK), never boxes. No name from the 对象 column can
appear: the figures never carry one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_MARKER_STYLE, XL_TICK_LABEL_POSITION
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as Deck
from pptx.util import Emu, Inches, Pt, lazyproperty
from xlsxwriter import Workbook

from unionstats.charts import chart as chart_rules
from unionstats.charts.chart import LINE, PALETTE, Chart, Grid, every_chart
from unionstats.contract.numerals import int_to_chinese
from unionstats.contract.periods import YEAR
from unionstats.contract.registry import Card, registered
from unionstats.exports.plotting import GRID, text_width
from unionstats.exports.text import printable
from unionstats.figures.typed import Comparison, Figures
from unionstats.writing import cards as kpi
from unionstats.writing.chinese import WAN, number, percent, yuan
from unionstats.writing.summary import Summary, previous_name, write_summary

EAST_ASIAN, LATIN = "微软雅黑", "Arial"
EAST_ASIAN_ATTRIBUTES = {"panose": "020B0503020204020204", "pitchFamily": "34", "charset": "-122"}  # GB2312
ACCENT, UP, DOWN = PALETTE[0], PALETTE[2], PALETTE[0]
INK, MUTED, CARD_FILL, CARD_LINE = "#1F2D3D", "#7F8C8D", "#F7F8FA", "#DDE1E6"
BODY = "#3D4B5C"  # sentences under a heading: darker than MUTED, which washes out on a projector
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.6)
BODY_TOP = Inches(1.75)


def overview_cards() -> list[Card]:
    """Every kind's cards for 总览 and the 主要数据 slide, in the kinds' order."""
    return [card for kind in registered() for card in kind.overview_cards]


def write_deck(result: Figures, organisation: str | None, target: str | Path | BinaryIO,
               summary: Summary | None = None, today: dt.date | None = None) -> None:
    """The deck of `result` (stats.figures) for `organisation` (default: the view's one unit, else 工会),
    saved to a path or a binary file. `summary` is the 工作总结 as edited, else written from the figures."""
    name = organisation or (result.units[0] if len(result.units) == 1 else "工会")
    summary = summary or write_summary(result, organisation)
    period = result.period.label if result.period else ""
    deck = new_deck()
    deck.core_properties.title = printable(f"{name}{period}工作汇报")
    footer = f"{name}　{period}"
    title_slide(deck, name, period, today or dt.date.today())
    if result.period is None or result.empty:
        message_slide(deck, "主要数据", footer, "所选范围内没有活动、慰问、捐款或比赛记录。")
    else:
        key_figures_slide(deck, result, footer)
        every = every_chart(result)
        for chart in every:
            if not chart.per_unit:
                chart_slide(deck, chart, footer)
        for kind in registered():
            for grid in kind.slides(result) if kind.slides else ():
                grid_slide(deck, grid, footer)
        for chart in every:
            if chart.per_unit:
                chart_slide(deck, chart, footer)
    summary_slide(deck, summary, footer)
    number_slides(deck)
    deck.save(str(target) if isinstance(target, Path) else target)


def deck_bytes(result: Figures, organisation: str | None, summary: Summary | None = None) -> bytes:
    """The .pptx as bytes, for a download button that builds it only when pressed."""
    buffer = io.BytesIO()
    write_deck(result, organisation, buffer, summary)
    return buffer.getvalue()


# The deck, its fonts and its text.

def new_deck() -> Deck:
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    chinese_theme_fonts(deck)
    return deck


def chinese_theme_fonts(deck: Deck) -> None:
    """The theme's East Asian fonts, 微软雅黑: what a chart's or a table's text falls back to.

    python-pptx keeps the theme as a plain part (bytes), so its XML is rewritten in place.
    """
    theme = deck.slide_master.part.part_related_by(RELATIONSHIP_TYPE.THEME)
    root = etree.fromstring(theme.blob)
    for scheme in root.iter(qn("a:majorFont"), qn("a:minorFont")):
        scheme.find(qn("a:ea")).set("typeface", EAST_ASIAN)
        for font in scheme.iter(qn("a:font")):
            if font.get("script") == "Hans":
                font.set("typeface", EAST_ASIAN)
    theme._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def set_font(font, size: float, bold: bool = False, colour: str = INK) -> None:
    """Size, weight, colour and both typefaces; PowerPoint and WPS read Chinese text's font from a:ea."""
    font.size, font.bold = Pt(size), bold
    font.color.rgb = rgb(colour)
    font.name = LATIN
    font.language_id = MSO_LANGUAGE_ID.SIMPLIFIED_CHINESE  # a renderer picks Chinese glyph forms, not Japanese
    properties = font._element  # python-pptx sets a:latin only; a:ea must follow it
    east_asian = properties.find(qn("a:ea"))
    if east_asian is None:
        east_asian = properties.makeelement(qn("a:ea"), {})
        properties.find(qn("a:latin")).addnext(east_asian)
    east_asian.set("typeface", EAST_ASIAN)
    for key, value in EAST_ASIAN_ATTRIBUTES.items():
        east_asian.set(key, value)


def rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#"))


@dataclass(frozen=True)
class Line:
    text: str
    size: float
    bold: bool = False
    colour: str = INK
    space_after: float = 0


def text_box(slide, left, top, width, height, lines: list[Line], align=PP_ALIGN.LEFT,
             anchor=MSO_ANCHOR.TOP):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = 0
    for index, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.alignment = align
        paragraph.space_after = Pt(line.space_after)
        run = paragraph.add_run()
        run.text = printable(line.text)
        set_font(run.font, line.size, line.bold, line.colour)
    return box


def rectangle(slide, left, top, width, height, fill: str, line: str | None = None, rounded: bool = False):
    shape = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE if rounded else MSO_SHAPE.RECTANGLE,
                                   left, top, width, height)
    if rounded:
        shape.adjustments[0] = 0.08
    shape.fill.solid()
    shape.fill.fore_color.rgb = rgb(fill)
    if line:
        shape.line.color.rgb = rgb(line)
        shape.line.width = Pt(1)
    else:
        shape.line.fill.background()
    shape.shadow.inherit = False
    return shape


def blank_slide(deck: Deck):
    return deck.slides.add_slide(deck.slide_layouts[6])


def content_slide(deck: Deck, title: str, footer: str, note: str = ""):
    """A slide with the accent bar, its title, an optional line under it, and the footer."""
    slide = blank_slide(deck)
    rectangle(slide, 0, 0, WIDTH, Inches(0.12), ACCENT)
    text_box(slide, MARGIN, Inches(0.4), WIDTH - 2 * MARGIN, Inches(0.8), [Line(title, 30, bold=True)],
             anchor=MSO_ANCHOR.MIDDLE)
    if note:
        text_box(slide, MARGIN, Inches(1.15), WIDTH - 2 * MARGIN, Inches(0.5), [Line(note, 16, colour=MUTED)])
    text_box(slide, MARGIN, HEIGHT - Inches(0.55), Inches(9), Inches(0.35), [Line(footer, 12, colour=MUTED)])
    return slide


def number_slides(deck: Deck) -> None:
    """Page numbers bottom right, on every slide but the title slide."""
    total = len(deck.slides)
    for index, slide in enumerate(deck.slides):
        if index:
            text_box(slide, WIDTH - MARGIN - Inches(2), HEIGHT - Inches(0.55), Inches(2), Inches(0.35),
                     [Line(f"{index + 1} / {total}", 12, colour=MUTED)], align=PP_ALIGN.RIGHT)


# The slides.

def title_slide(deck: Deck, organisation: str, period: str, today: dt.date) -> None:
    slide = blank_slide(deck)
    rectangle(slide, 0, 0, WIDTH, Inches(0.35), ACCENT)
    rectangle(slide, MARGIN, Inches(4.55), Inches(1.6), Inches(0.08), ACCENT)
    text_box(slide, MARGIN, Inches(1.7), WIDTH - 2 * MARGIN, Inches(1.6), [Line(organisation, 40, bold=True)],
             anchor=MSO_ANCHOR.BOTTOM)
    text_box(slide, MARGIN, Inches(3.45), WIDTH - 2 * MARGIN, Inches(0.9), [Line(f"{period}工作汇报", 32)])
    text_box(slide, MARGIN, Inches(4.9), WIDTH - 2 * MARGIN, Inches(0.6),
             [Line(f"{today.year}年{today.month}月{today.day}日", 20, colour=MUTED)])


def message_slide(deck: Deck, title: str, footer: str, message: str) -> None:
    slide = content_slide(deck, title, footer)
    text_box(slide, MARGIN, BODY_TOP, WIDTH - 2 * MARGIN, Inches(3), [Line(message, 24, colour=MUTED)])


@dataclass(frozen=True)
class Against:
    """An earlier period the cards compare with: its short name on a card (环比), in a sentence (上季度), and the
    like-for-like comparison (stats.figures)."""

    short: str
    against: str
    comparison: Comparison


def comparisons(result: Figures) -> list[Against]:
    """环比 with the period before and 同比 with the same period a year earlier; a year has only 上年."""
    period = result.period
    if period is None:
        return []
    if period.kind == YEAR:
        found = [("", previous_name(period), result.previous)]
    else:
        found = [("环比", previous_name(period), result.previous), ("同比", "去年同期", result.year_ago)]
    return [Against(short, against, comparison) for short, against, comparison in found if comparison is not None]


def comparison_note(compared: list[Against]) -> str:
    if not compared:
        return "没有可比的往期数据"
    said = "；".join(f"{c.short}：与{c.against}相比" if c.short else f"与{c.against}相比" for c in compared)
    left_out = kpi.left_out_units([(c.comparison, c.against) for c in compared])
    return f"{said}；按可比口径，不含{left_out}" if left_out else said


def key_figures_slide(deck: Deck, result: Figures, footer: str) -> None:
    compared = comparisons(result)
    slide = content_slide(deck, "主要数据", footer, comparison_note(compared))
    columns, gap = 4, Inches(0.18)
    width = (WIDTH - 2 * MARGIN - gap * (columns - 1)) // columns
    height = Inches(2.35)
    for index, card in enumerate(overview_cards()):
        left = MARGIN + (width + gap) * (index % columns)
        top = BODY_TOP + (height + gap) * (index // columns)
        card_shape(slide, left, top, width, height, card, result, compared)


def card_shape(slide, left, top, width, height, card: Card, result: Figures, compared: list[Against]) -> None:
    rectangle(slide, left, top, width, height, CARD_FILL, CARD_LINE, rounded=True)
    value = kpi.card_value(card, result)
    moves = [kpi.card_comparison(card, against.comparison, against.against) for against in compared]
    crowded = len(compared) > 1 and any(moved and moved.comparable for moved in moves)
    label, shown, moved_size, earlier_size = (16, 34, 15, 13) if len(compared) < 2 else \
        (13, 26, 12, 10.5) if crowded else (14, 30, 14, 12)
    lines = [Line(card.label, label, colour=MUTED, space_after=4),
             Line(kpi.value_text(card, value), shown, bold=True, space_after=6)]
    for against, moved in zip(compared, moves):
        if moved:
            flat = "持平" in moved.text
            text = moved.text.removesuffix(f" 较{against.against}")  # the note names the period
            text = text.replace(f"与{against.against}持平", "持平").removeprefix("可比 ")  # the line below says 可比
            colour = MUTED if flat else UP if "+" in text else DOWN
            lines.append(Line(f"{against.short} {text}".strip(), moved_size, colour=colour))
            lines.append(Line(moved.earlier, earlier_size, colour=MUTED, space_after=4))
    inset = Inches(0.16)
    text_box(slide, left + inset, top + Inches(0.18), width - 2 * inset, height - Inches(0.3), lines)


@dataclass(frozen=True)
class Series:
    """One trace of a dashboard figure, as its labels, values, colours and unit read."""

    name: str
    categories: list[str]
    values: list[float]
    colours: list[str]
    unit: str
    line: bool = False
    horizontal: bool = False


def series_of(chart: Chart) -> list[Series]:
    """The description's series as the deck draws them: values in the unit the page shows them in, the axis's
    short month names, a colour per point."""
    categories = list(chart.ticks or chart.categories)
    found = []
    for series in chart.series:
        unit, values = series.shown()
        colours = list(series.colours) if len(series.colours) == len(values) else [series.colours[0]] * len(values)
        found.append(Series(series.name, categories, [float(v) for v in values], colours, unit,
                            chart.shape == LINE, chart.horizontal))
    return found


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
    """The chart's series as native charts, side by side when they have different units (捐款 元, 物资 件); how
    it is counted in the speaker notes. A chart with nothing to draw has no slide."""
    if not chart.drawn:
        return
    found = series_of(chart)
    note = takeaway(found[0], chart.additive) if len(found) == 1 else totals(found)
    slide = content_slide(deck, chart.title, footer, note)
    if chart.help:
        speaker_notes(slide, chart.help)
    gap = Inches(0.3)
    width = (WIDTH - 2 * MARGIN - gap * (len(found) - 1)) // len(found)
    for index, series in enumerate(found):
        if not series.line and not fits_below(series, width):
            series = dataclasses.replace(series, horizontal=True)
        left = MARGIN + (width + gap) * index
        add_chart(slide, series, left, BODY_TOP, width, HEIGHT - BODY_TOP - Inches(0.7), titled=len(found) > 1)


def fits_below(series: Series, width) -> bool:
    """Whether every category name fits under its column unturned; else the bars lie down, names on the left."""
    longest = max((text_width(c) for c in series.categories), default=0)
    return longest * Pt(14) <= width / max(len(series.categories), 1)


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


def add_chart(slide, series: Series, left, top, width, height, titled: bool):
    values = series.values  # in the unit the dashboard's chart shows them in (元 or 万元, 人次…)
    data = TextChartData(number_format={"元": "#,##0.00", "万元": "0.00##"}.get(series.unit, "General"))
    data.categories = [printable(c) for c in series.categories]
    data.add_series(printable(f"{series.name or series.unit}"), values)
    kind = XL_CHART_TYPE.LINE_MARKERS if series.line else (
        XL_CHART_TYPE.BAR_CLUSTERED if series.horizontal else XL_CHART_TYPE.COLUMN_CLUSTERED)
    chart = slide.shapes.add_chart(kind, left, top, width, height, data).chart
    set_font(chart.font, 14)
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
    set_font(labels.font, 14)
    drawn = plot.series[0]
    sides = chart_rules.label_sides(values) if series.line else ["outside"] * len(values)
    for point, value, side in zip(drawn.points, values, sides):
        label_point(point.data_label, label_format(value, series.unit), side)
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
    style_axes(chart, series)
    return chart


LABEL_SIDES = {"above": XL_LABEL_POSITION.ABOVE, "below": XL_LABEL_POSITION.BELOW,
               "above left": XL_LABEL_POSITION.LEFT, "above right": XL_LABEL_POSITION.RIGHT,
               "outside": XL_LABEL_POSITION.OUTSIDE_END}
RAISED = -0.03  # how far a label beside its point is moved up, as a share of the chart's height: half a label


def label_point(label, number_format: str, side: str) -> None:
    """One point's label with its own number format (c:numFmt follows c:idx; python-pptx has no setter). A label
    beside its point is raised by half its height, into the quarter the line leaves free (PowerPoint has no
    diagonal position; a manual layout moves a label from where its position puts it)."""
    label.position = LABEL_SIDES[side]
    set_font(label.font, 14)
    element = label._get_or_add_dLbl()
    element.find(qn("c:idx")).addnext(
        element.makeelement(qn("c:numFmt"), {"formatCode": number_format, "sourceLinked": "0"}))
    if side.startswith("above "):
        layout = element.makeelement(qn("c:layout"), {})
        manual = etree.SubElement(layout, qn("c:manualLayout"))
        etree.SubElement(manual, qn("c:x"), {"val": "0"})
        etree.SubElement(manual, qn("c:y"), {"val": str(RAISED)})
        element.find(qn("c:idx")).addnext(layout)  # CT_DLbl's order: idx, layout, tx, numFmt, spPr, txPr...


def style_axes(chart, series: Series) -> None:
    values = chart.value_axis
    values.minimum_scale = 0
    top = max(series.values, default=0)
    if top > 0:
        values.maximum_scale = top * chart_rules.HEADROOM  # room for the label above the largest value
    values.has_major_gridlines = True
    values.major_gridlines.format.line.color.rgb = rgb(GRID)
    values.format.line.fill.background()
    values.tick_labels.number_format, values.tick_labels.number_format_is_linked = axis_format(series.unit), False
    if chart_rules.whole_ticks(series.values, series.unit):
        values.major_unit = 1
    set_font(values.tick_labels.font, 13, colour=MUTED)
    values.has_title = True
    values.axis_title.text_frame.text = series.unit
    set_font(values.axis_title.text_frame.paragraphs[0].runs[0].font, 13, colour=MUTED)
    written_across(values.axis_title)
    categories = chart.category_axis
    categories.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    categories.format.line.color.rgb = rgb(GRID)
    set_font(categories.tick_labels.font, 14)
    if series.horizontal:
        categories.reverse_order = True  # the largest on top, as the dashboard ranks them


def written_across(title) -> None:
    """An axis title unturned: 人次 on its side reads badly, and 个 turned looks like an arrow."""
    body = title.text_frame._txBody.find(qn("a:bodyPr"))
    body.set("rot", "0")
    body.set("vert", "horz")


def totals(found: list[Series]) -> str:
    """The totals of side-by-side charts in one line: 合计捐款4.46万元、物资500件."""
    parts = [f"{s.name.split('（')[0]}{amount(sum(s.values), s.unit)}" for s in found if any(s.values)]
    return f"合计{'、'.join(parts)}" if parts else ""


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


def grid_slide(deck: Deck, grid: Grid, footer: str) -> None:
    """A table slide (a kind's `slides`): its rows as large as the room allows."""
    slide = content_slide(deck, grid.title, footer, grid.note)
    headers, rows = list(grid.headers), [list(row) for row in grid.rows]
    row_height = min(Inches(0.6), (HEIGHT - BODY_TOP - Inches(0.8)) // (len(rows) + 1))
    size = 18 if len(rows) <= 6 else 15  # a few rows: as large as the room allows
    frame = slide.shapes.add_table(len(rows) + 1, len(headers), MARGIN, BODY_TOP, WIDTH - 2 * MARGIN,
                                   row_height * (len(rows) + 1))
    table = frame.table
    table.columns[0].width = Inches(4.2)
    for index in range(1, len(headers)):
        table.columns[index].width = (WIDTH - 2 * MARGIN - Inches(4.2)) // (len(headers) - 1)
    for r, cells in enumerate([headers, *rows]):
        table.rows[r].height = row_height
        for c, text in enumerate(cells):
            cell = table.cell(r, c)
            cell.margin_top = cell.margin_bottom = Emu(0)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            cell.fill.solid()
            cell.fill.fore_color.rgb = rgb(ACCENT if r == 0 else CARD_FILL if r % 2 else "#FFFFFF")
            paragraph = cell.text_frame.paragraphs[0]
            paragraph.alignment = PP_ALIGN.LEFT if c == 0 else PP_ALIGN.RIGHT
            run = paragraph.add_run()
            run.text = printable(text)
            set_font(run.font, size, bold=r == 0, colour="#FFFFFF" if r == 0 else INK)


def summary_slide(deck: Deck, summary: Summary, footer: str) -> None:
    """The 工作总结's headings as the points to speak to; its whole text in the notes, to read from."""
    sections = summary.sections
    slide = content_slide(deck, "工作要点", footer, summary.title)
    heading_size, sentence_size, space = (24, 18, 14) if len(sections) <= 4 else (22, 16, 10)
    points = []
    for i, section in enumerate(sections, 1):
        heading = f"{int_to_chinese(i)}、{section.heading}"
        if len(sections) > 6:  # no room for a sentence under each: the headings alone, as large
            points.append(Line(heading, 22, bold=True, colour=ACCENT, space_after=12))
            continue
        points += [Line(heading, heading_size, bold=True, colour=ACCENT, space_after=2),
                   Line(first_sentence(section.paragraphs, 80), sentence_size, colour=BODY, space_after=space)]
    points = points or [Line(summary.opening, 20)]
    text_box(slide, MARGIN + Inches(0.2), BODY_TOP + Inches(0.1), WIDTH - 2 * MARGIN - Inches(0.4),
             HEIGHT - BODY_TOP - Inches(0.9), points)
    speaker_notes(slide, summary.text())


def speaker_notes(slide, text: str) -> None:
    notes = slide.notes_slide.notes_text_frame
    notes.text = printable(text)
    for paragraph in notes.paragraphs:
        for run in paragraph.runs:
            set_font(run.font, 12)


def first_sentence(paragraphs: list[str], most: int = 100) -> str:
    """A section's first sentence with a figure in it, what a speaker starts from; cut at a comma when long."""
    sentences = [s for p in paragraphs for s in p.split("。") if s.strip()]
    sentence = next((s for s in sentences if any(c.isdigit() for c in s)), sentences[0] if sentences else "")
    if len(sentence) <= most:
        return f"{sentence}。" if sentence else ""
    return sentence[:sentence.rfind("，", 0, most)] + "……" if "，" in sentence[:most] else sentence[:most] + "……"
