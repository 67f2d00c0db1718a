"""The 工作总结 as a Word document in the format of Chinese official documents (GB/T 9704-2012).

Leadership passes the summary upward as it is, so it follows the national standard rather than Word's
defaults: A4 with a 156 x 225 mm text area (margins 37, 35, 28, 26 mm); the title in 2号 方正小标宋简体,
centred; the body in 3号 仿宋_GB2312, 22 lines of 28 characters a page, first lines indented two
characters; 一、 headings in 黑体 and （一） headings in 楷体_GB2312, as Word's own "Heading 1" and
"Heading 2" restyled, so the navigation pane and a table of contents find them; page numbers "— 1 —" in
4号 宋体, odd pages right and even pages left; the key figures in a table kept in one piece with its
caption, right after the opening, so that a reader meets the figures before the sections that tell them; the
落款 (organisation and date) at the end.

22 lines come from a line grid (w:docGrid type "lines", pitch 225 mm / 22) and the same pitch as exact
line spacing, which Word, WPS and LibreOffice all honour. 28 characters come from condensing the
characters by the difference between 16 pt and 156 mm / 28 (w:spacing, -0.25 pt), not from a character
grid: with a "linesAndChars" grid narrower than the glyphs, LibreOffice gives each character two cells
and sets 14 to a line, while Word squeezes them to 28.

Fonts are named once, below, and set as East Asian names (w:eastAsia) on the styles and on every run,
which is the name Word and WPS on a Chinese Windows machine look up; Latin letters and digits take
Times New Roman. Where a face is missing, Word tries the font table's alternative (w:altName: 华文中宋
for 方正小标宋简体, 仿宋 and 楷体 for the _GB2312 faces) and then any GB2312 face, which is 宋体;
LibreOffice on Linux falls back through fontconfig to Noto CJK. Either way no text turns into boxes.
Every text goes in through `text.printable`: the summary carries unit, activity and award names from the
workbooks, and python-docx refuses a control character in any of them.
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import BinaryIO

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Length, Mm, Pt, Twips

from unionstats.exports.text import printable
from unionstats.writing.summary import HEADING1, HEADING2, Summary

TITLE_FONT, BODY_FONT, HEADING1_FONT, HEADING2_FONT, PAGE_NUMBER_FONT = (
    "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体")
LATIN_FONT = "Times New Roman"
FALLBACKS = {TITLE_FONT: "华文中宋", BODY_FONT: "仿宋", HEADING1_FONT: "SimHei", HEADING2_FONT: "楷体",
             PAGE_NUMBER_FONT: "SimSun"}
TITLE_SIZE, BODY_SIZE, TABLE_SIZE, PAGE_NUMBER_SIZE = Pt(22), Pt(16), Pt(14), Pt(14)

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
TOP, BOTTOM, LEFT, RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
CHARS_PER_LINE, LINES_PER_PAGE = 28, 22
CHAR_PITCH = Emu((PAGE_WIDTH - LEFT - RIGHT) // CHARS_PER_LINE)
LINE_PITCH = Twips(Emu(PAGE_HEIGHT - TOP - BOTTOM).twips // LINES_PER_PAGE)
CONDENSED = Twips(math.floor((CHAR_PITCH - BODY_SIZE) / Twips(1)))
CHAR_ADVANCE = Emu(BODY_SIZE + CONDENSED)
FOOTER_DISTANCE = Mm(22)
TABLE_LINE = Pt(24)
TABLE_COLUMNS = (Cm(4.4), Cm(3.3)) * 2  # two figures a row: the table stands on the first page, after the opening
CAPTION, TABLE_HEADER = "主要数据", ("指标", "数值") * 2

STYLE_FONTS = {"Normal": (BODY_FONT, BODY_SIZE), "Title": (TITLE_FONT, TITLE_SIZE),
               "Heading 1": (HEADING1_FONT, BODY_SIZE), "Heading 2": (HEADING2_FONT, BODY_SIZE),
               "Footer": (PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)}
BLOCK_STYLES = {HEADING1: "Heading 1", HEADING2: "Heading 2"}
P_PR_ORDER = ("w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
              "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
              "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
              "w:pPrChange")


def set_fonts(r_pr, east_asian: str) -> None:
    """Plain font names on a style's or a run's w:rPr, replacing the template's theme fonts, which win otherwise."""
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, r_fonts)
    r_fonts.attrib.clear()
    for attribute, name in (("w:ascii", LATIN_FONT), ("w:hAnsi", LATIN_FONT), ("w:eastAsia", east_asian),
                            ("w:cs", LATIN_FONT), ("w:hint", "eastAsia")):
        r_fonts.set(qn(attribute), name)


def remove(parent, *tags: str) -> None:
    for tag in tags:
        for child in parent.findall(qn(tag)):
            parent.remove(child)


def switch_off(p_pr, tag: str) -> None:
    """A paragraph property set to false, in the place the schema orders it."""
    p_pr.insert_element_before(OxmlElement(tag, {qn("w:val"): "0"}), *P_PR_ORDER[P_PR_ORDER.index(tag) + 1:])


def set_defaults(document: WordDocument) -> None:
    """Document defaults in Chinese: plain fonts and zh-CN as the East Asian language, so “” take the CJK face."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(f'{qn("w:rPrDefault")}/{qn("w:rPr")}')
    set_fonts(r_pr, BODY_FONT)
    r_pr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    defaults.find(f'{qn("w:pPrDefault")}/{qn("w:pPr")}/{qn("w:spacing")}').set(qn("w:after"), "0")


def restyle(document: WordDocument) -> None:
    """The styles in the fonts and sizes of the standard: plain black faces on whole grid lines."""
    for name, (east_asian, size) in STYLE_FONTS.items():
        style = document.styles[name]
        set_fonts(style.element.get_or_add_rPr(), east_asian)
        remove(style.element.rPr, "w:b", "w:bCs", "w:color", "w:spacing", "w:kern", "w:szCs")
        style.font.size = size
        style.paragraph_format.space_before = style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.line_spacing = LINE_PITCH
    normal = document.styles["Normal"]
    normal.element.rPr.insert_element_before(
        OxmlElement("w:spacing", {qn("w:val"): str(CONDENSED.twips)}), "w:w", "w:kern", "w:position", "w:sz")
    normal.paragraph_format.first_line_indent = Emu(CHAR_ADVANCE * 2)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    restyle_title(document.styles["Title"])
    footer = document.styles["Footer"].paragraph_format
    footer.first_line_indent = Pt(0)
    footer.line_spacing_rule = WD_LINE_SPACING.SINGLE


def restyle_title(title) -> None:
    """Centred, without the template's rule below, one blank line after; off the grid, where LibreOffice
    would give the 22 pt line two grid lines."""
    remove(title.element.pPr, "w:pBdr")
    switch_off(title.element.pPr, "w:snapToGrid")
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.first_line_indent = Pt(0)
    title.paragraph_format.space_after = LINE_PITCH


def add_font_alternatives(document: WordDocument) -> None:
    """w:font entries naming the face Word substitutes when the preferred one is not installed."""
    fonts = next(part for part in document.part.package.iter_parts() if part.partname == "/word/fontTable.xml")
    entries = "".join(f'<w:font w:name="{name}"><w:altName w:val="{alternative}"/><w:charset w:val="86"/>'
                      f'<w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
                      for name, alternative in FALLBACKS.items())
    fonts._blob = fonts.blob.replace(b"</w:fonts>", entries.encode() + b"</w:fonts>")


def set_up_page(document: WordDocument) -> None:
    """A4, the GB/T 9704 margins and the line grid; the footer placed so the page number's top is 7 mm
    below the text area."""
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = TOP, BOTTOM
    section.left_margin, section.right_margin = LEFT, RIGHT
    section.footer_distance = FOOTER_DISTANCE
    grid = section._sectPr.find(qn("w:docGrid"))
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH.twips))


def add_run(paragraph, text: str, east_asian: str):
    run = paragraph.add_run(printable(text))
    set_fonts(run._r.get_or_add_rPr(), east_asian)
    return run


def add_paragraph(document: WordDocument, text: str, style: str = "Normal", font: str | None = None):
    paragraph = document.add_paragraph(style=style)
    add_run(paragraph, text, font or STYLE_FONTS[style][0])
    return paragraph


def field_part(paragraph, tag: str, **attributes: str):
    element = OxmlElement(tag, {qn(k.replace("_", ":", 1)): v for k, v in attributes.items()})
    add_run(paragraph, "", PAGE_NUMBER_FONT)._r.append(element)
    return element


def add_page_field(paragraph) -> None:
    """The PAGE field, which Word and LibreOffice fill in with each page's number; "1" until they do."""
    field_part(paragraph, "w:fldChar", w_fldCharType="begin")
    field_part(paragraph, "w:instrText", xml_space="preserve").text = " PAGE "
    field_part(paragraph, "w:fldChar", w_fldCharType="separate")
    add_run(paragraph, "1", PAGE_NUMBER_FONT)
    field_part(paragraph, "w:fldChar", w_fldCharType="end")


def add_page_numbers(document: WordDocument) -> None:
    """"— 1 —" one character in from the right edge on odd pages and from the left edge on even pages."""
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    for footer, alignment in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                              (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        paragraph = footer.paragraphs[0]
        paragraph.style = document.styles["Footer"]
        paragraph.alignment = alignment
        side = "right_indent" if alignment == WD_ALIGN_PARAGRAPH.RIGHT else "left_indent"
        setattr(paragraph.paragraph_format, side, PAGE_NUMBER_SIZE)
        add_run(paragraph, "— ", PAGE_NUMBER_FONT)
        add_page_field(paragraph)
        add_run(paragraph, " —", PAGE_NUMBER_FONT)


def add_cell_text(cell, text: str, east_asian: str, alignment: WD_ALIGN_PARAGRAPH, size: Pt = TABLE_SIZE) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = alignment
    paragraph.paragraph_format.first_line_indent = Pt(0)
    paragraph.paragraph_format.line_spacing = TABLE_LINE if size == TABLE_SIZE else Pt(round(size.pt * 12 / 7))
    paragraph.paragraph_format.keep_with_next = True
    add_run(paragraph, text, east_asian).font.size = size


def keep_row_whole(row, header: bool = False) -> None:
    """No page break inside the row; the header row repeats at the top of each page the table reaches."""
    tr_pr = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader") if header else ("w:cantSplit",):
        tr_pr.append(OxmlElement(tag))


def add_row(table, texts: tuple[str, ...], font: str, alignments, header: bool = False,
            widths: tuple = TABLE_COLUMNS, size: Pt = TABLE_SIZE) -> None:
    row = table.add_row()
    keep_row_whole(row, header)
    for cell, text, width, alignment in zip(row.cells, texts, widths, alignments):
        cell.width = width
        add_cell_text(cell, text, font, alignment, size)


def paired(rows: list[tuple[str, str]]) -> list[tuple[str, ...]]:
    """The figures two a row, read across: (label, value, label, value); an odd last one beside empty cells."""
    return [(*rows[i], *(rows[i + 1] if i + 1 < len(rows) else ("", ""))) for i in range(0, len(rows), 2)]


def add_caption(document: WordDocument, text: str):
    """A table's caption in 黑体, centred, one blank line above, kept with the table."""
    caption = add_paragraph(document, text, font=HEADING1_FONT)
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.first_line_indent = Pt(0)
    caption.paragraph_format.space_before = LINE_PITCH
    caption.paragraph_format.keep_with_next = True
    return caption


def set_cell_margins(table, side: Length) -> None:
    """The left and right padding of every cell (Word's default is 1.9 mm): narrower lets more columns fit."""
    tbl_pr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for edge in ("w:left", "w:right"):
        margins.append(OxmlElement(edge, {qn("w:w"): str(Emu(side).twips), qn("w:type"): "dxa"}))
    tbl_pr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")


def add_table(document: WordDocument, caption: str, header: tuple[str, ...], rows: list[tuple[str, ...]],
              widths: tuple, alignments: tuple, size: Pt = TABLE_SIZE, whole: bool = True,
              padding: Length | None = None):
    """A captioned table, centred, in fixed column widths, its header in 黑体 repeated on each page, no row
    split across pages, and one blank line below. `whole`: caption and every row on one page (each paragraph
    keeps with the next down to the last row); otherwise only the caption, the header and the first row stay
    together, so a long table runs on over pages."""
    add_caption(document, caption)
    table = document.add_table(rows=0, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    if padding is not None:
        set_cell_margins(table, padding)
    for column, width in zip(table.columns, widths):
        column.width = width
    add_row(table, header, HEADING1_FONT, (WD_ALIGN_PARAGRAPH.CENTER,) * len(widths), header=True, widths=widths,
            size=size)
    for texts in rows:
        add_row(table, texts, BODY_FONT, alignments, widths=widths, size=size)
    for row in table.rows[-1:] if whole else table.rows[1:]:
        for cell in row.cells:
            cell.paragraphs[0].paragraph_format.keep_with_next = None
    document.add_paragraph()
    return table


def add_key_figures(document: WordDocument, rows: list[tuple[str, str]]) -> None:
    """The caption and the table on one page (every paragraph down to the last row keeps with the next), one blank
    line above and below, between the opening and the first heading."""
    add_table(document, CAPTION, TABLE_HEADER, paired(rows), TABLE_COLUMNS,
              (WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT) * 2)


def width_in_chars(text: str) -> float:
    return sum(0.5 if ord(c) < 0x2E80 else 1 for c in text)


def signature_indents(organisation: str, date: str) -> tuple[float, float]:
    """Right indents in characters (GB/T 9704 7.3.5.2): the organisation 2 in from the right and the date
    starting 2 further right, unless the date is the longer, when the date keeps its 2 and the name moves left."""
    date_indent = width_in_chars(organisation) - width_in_chars(date)
    if date_indent >= 2:
        return 2, date_indent
    return width_in_chars(date) + 4 - width_in_chars(organisation), 2


def add_signature(document: WordDocument, lines: list[str]) -> None:
    """The 落款 one blank line below the text, right-aligned, kept on one page; the date without the
    automatic space between digits and 年月日 that would make it wider than `signature_indents` counts."""
    indents = signature_indents(*lines) if len(lines) == 2 else (2,)
    blank = document.add_paragraph()
    blank.paragraph_format.keep_with_next = True
    for text, indent in zip(lines, indents):
        paragraph = add_paragraph(document, text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.first_line_indent = Pt(0)
        paragraph.paragraph_format.right_indent = Emu(round(CHAR_ADVANCE * indent))
        paragraph.paragraph_format.keep_with_next = True if text != lines[-1] else None
        switch_off(paragraph._p.get_or_add_pPr(), "w:autoSpaceDN")


def new_document(title: str) -> WordDocument:
    document = Document()
    set_defaults(document)
    restyle(document)
    add_font_alternatives(document)
    set_up_page(document)
    add_page_numbers(document)
    document.core_properties.title = printable(title)
    return document


def add_blocks(document: WordDocument, blocks: list[tuple[str, str]]) -> None:
    """Headings and paragraphs in their styles; a block of several lines (an edited opening) is a paragraph a line."""
    for kind, text in blocks:
        for line in filter(str.strip, printable(text).split("\n")):
            add_paragraph(document, line.strip(), BLOCK_STYLES.get(kind, "Normal"))


def write_docx(summary: Summary, target: str | Path | BinaryIO) -> None:
    document = new_document(summary.title)
    add_paragraph(document, summary.title, "Title")
    blocks = summary.blocks()
    opening = 1 if summary.opening else 0  # the opening is the first block, its paragraphs one per line
    add_blocks(document, blocks[:opening])
    if summary.key_figures:
        add_key_figures(document, summary.key_figures)
    add_blocks(document, blocks[opening:])
    if summary.signature():
        add_signature(document, summary.signature())
    document.save(target)  # type: ignore[arg-type]  # python-docx annotates str | IO[bytes]; its zip writer takes a Path too


def docx_bytes(summary: Summary) -> bytes:
    """The Word file as bytes, for a download button that builds it only when pressed."""
    buffer = io.BytesIO()
    write_docx(summary, buffer)
    return buffer.getvalue()
