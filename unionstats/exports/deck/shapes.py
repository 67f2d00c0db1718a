"""The deck's frame: a 16:9 deck with Chinese theme fonts, its colours, text boxes, rectangles, the frame of a
content slide (accent bar, title, footer), page numbers and speaker notes.

Every slide module draws through these, so each run names an East Asian font (a:ea) beside its Latin one and
every slide has the same frame.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as Deck
from pptx.util import Inches, Pt

from unionstats.charts.chart import PALETTE
from unionstats.exports.text import printable

EAST_ASIAN, LATIN = "微软雅黑", "Arial"
EAST_ASIAN_ATTRIBUTES = {"panose": "020B0503020204020204", "pitchFamily": "34", "charset": "-122"}  # GB2312
ACCENT, UP, DOWN = PALETTE[0], PALETTE[2], PALETTE[0]
INK, MUTED, CARD_FILL, CARD_LINE = "#1F2D3D", "#7F8C8D", "#F7F8FA", "#DDE1E6"
BODY = "#3D4B5C"  # sentences under a heading: darker than MUTED, which washes out on a projector
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.6)
BODY_TOP = Inches(1.75)


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


def ems(text: str) -> float:
    """A line's width in CJK characters: Latin letters and digits about half of one, CJK punctuation (“，”) one."""
    return sum(0.55 if ord(c) < 0x2000 else 1 for c in text)


def rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#"))


@dataclass(frozen=True)
class Line:
    """A paragraph of a text box; `leading` (a multiple of the size) makes its line spacing exact, so that the
    height a slide reserves for it is the height PowerPoint, WPS and LibreOffice give it, whatever the font."""

    text: str
    size: float
    bold: bool = False
    colour: str = INK
    space_after: float = 0
    leading: float | None = None


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
        if line.leading:
            paragraph.line_spacing = Pt(line.size * line.leading)
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


NOTE = "副标题"  # the name of the line under a slide's title, by which `set_note` finds it
NOTE_EMS = 52  # CJK characters of 16 pt that the line under a title holds: more would run into the chart below


def content_slide(deck: Deck, title: str, footer: str, note: str = ""):
    """A slide with the accent bar, its title, an optional line under it, and the footer."""
    slide = blank_slide(deck)
    rectangle(slide, 0, 0, WIDTH, Inches(0.12), ACCENT)
    text_box(slide, MARGIN, Inches(0.4), WIDTH - 2 * MARGIN, Inches(0.8), [Line(title, 30, bold=True)],
             anchor=MSO_ANCHOR.MIDDLE)
    if note:
        add_note(slide, note)
    text_box(slide, MARGIN, HEIGHT - Inches(0.55), Inches(9), Inches(0.35), [Line(footer, 12, colour=MUTED)])
    return slide


def add_note(slide, note: str):
    box = text_box(slide, MARGIN, Inches(1.15), WIDTH - 2 * MARGIN, Inches(0.5), [Line(note, 16, colour=MUTED)])
    box.name = NOTE
    return box


def set_note(slide, note: str) -> None:
    """The line under the slide's title made `note` (none for ""), whether the slide was made with one or not; it
    stands where `content_slide` puts it, next after the title, for a reader that takes the shapes in order."""
    for shape in [s for s in slide.shapes if s.name == NOTE]:
        shape._element.getparent().remove(shape._element)
    if note:
        title = next(s for s in slide.shapes if s.has_text_frame and s.text_frame.text)
        title._element.addnext(add_note(slide, note)._element)


def number_slides(deck: Deck) -> None:
    """Page numbers bottom right, on every slide but the title slide."""
    total = len(deck.slides)
    for index, slide in enumerate(deck.slides):
        if index:
            text_box(slide, WIDTH - MARGIN - Inches(2), HEIGHT - Inches(0.55), Inches(2), Inches(0.35),
                     [Line(f"{index + 1} / {total}", 12, colour=MUTED)], align=PP_ALIGN.RIGHT)


def speaker_notes(slide, text: str) -> None:
    notes = slide.notes_slide.notes_text_frame
    notes.text = printable(text)
    for paragraph in notes.paragraphs:
        for run in paragraph.runs:
            set_font(run.font, 12)
