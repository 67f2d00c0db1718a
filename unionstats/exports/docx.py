"""The 工作总结 as a Word document that opens cleanly in Word, WPS and LibreOffice.

A4 with the margins of Chinese official documents (GB/T 9704), title in 黑体,
body in 宋体 with two-character first-line indents, numbered headings, and a
table of the key figures. 宋体 and 黑体 (SimSun, SimHei) are on every Chinese
Windows and WPS install; elsewhere the renderer substitutes its own CJK font
(LibreOffice on Linux takes Noto CJK through fontconfig), so the text never
falls back to boxes. Every text goes in through `text.printable`: the summary
carries unit, activity and award names from the workbooks, and python-docx
refuses a control character in any of them.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from ..summary import Summary
from .text import printable

BODY_FONT, HEADING_FONT, LATIN_FONT = "宋体", "黑体", "Times New Roman"
BODY_SIZE, HEADING_SIZE, TITLE_SIZE = Pt(14), Pt(15), Pt(18)


def set_fonts(target, east_asian: str, size: Pt, bold: bool = False) -> None:
    """Latin and East Asian font on a run or a style; Word reads the East Asian name from w:eastAsia."""
    font = target.font
    font.name, font.size, font.bold = LATIN_FONT, size, bold
    r_pr = target.element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.append(r_fonts)
    for attribute in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        r_fonts.set(qn(attribute), east_asian if attribute == "w:eastAsia" else LATIN_FONT)


def setup_page(document: Document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = document.styles["Normal"]
    set_fonts(normal, BODY_FONT, BODY_SIZE)
    normal.paragraph_format.line_spacing = Pt(26)
    normal.paragraph_format.space_after = Pt(0)


def add_run(paragraph, text: str, font: str, size: Pt, bold: bool = False) -> None:
    set_fonts(paragraph.add_run(printable(text)), font, size, bold)


def add_paragraph(document: Document, text: str, font: str = BODY_FONT, size: Pt = BODY_SIZE,
                  bold: bool = False, indent: bool = True, center: bool = False):
    paragraph = document.add_paragraph()
    add_run(paragraph, text, font, size, bold)
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size.pt * 2)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def add_key_figures(document: Document, rows: list[tuple[str, str]]) -> None:
    add_paragraph(document, "主要数据", HEADING_FONT, HEADING_SIZE, indent=False)
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, ("指标", "数值")):
        add_run(cell.paragraphs[0], text, HEADING_FONT, BODY_SIZE, bold=True)
    for label, value in rows:
        cells = table.add_row().cells
        add_run(cells[0].paragraphs[0], label, BODY_FONT, BODY_SIZE)
        add_run(cells[1].paragraphs[0], value, BODY_FONT, BODY_SIZE)
        cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def write_docx(summary: Summary, target: str | Path | BinaryIO) -> None:
    document = Document()
    setup_page(document)
    document.core_properties.title = printable(summary.title)
    title = add_paragraph(document, summary.title, HEADING_FONT, TITLE_SIZE, indent=False, center=True)
    title.paragraph_format.space_after = Pt(18)
    add_paragraph(document, summary.opening)
    for heading, paragraphs in summary.numbered():
        add_paragraph(document, heading, HEADING_FONT, HEADING_SIZE, indent=True)
        for text in paragraphs:
            add_paragraph(document, text)
    if summary.key_figures:
        document.add_paragraph()
        add_key_figures(document, summary.key_figures)
    document.save(target)


def docx_bytes(summary: Summary) -> bytes:
    """The Word file as bytes, for a download button that builds it only when pressed."""
    buffer = io.BytesIO()
    write_docx(summary, buffer)
    return buffer.getvalue()
