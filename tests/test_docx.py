"""The Word 工作总结 in the format of GB/T 9704-2012: first as python-docx reads the file, then as LibreOffice
lays it out (tests/rendering.py), measured in millimetres on the PDF."""

import datetime as dt

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from rendering import pages, to_pdf, to_png

from conftest import ROOT
from unionstats.exports.docx import docx_bytes, write_docx
from unionstats.writing.summary import Section, Summary, as_edited, summary_from_text

SHOTS = ROOT / "tests" / "screenshots"
PHRASE = "工会组织开展职工文体活动丰富职工精神文化生活"
FIGURES = [("活动次数", "24次"), ("参与人次", "1,230人次"), ("平均参与率", "76.5%"), ("活动经费支出", "45,600.00元"),
           ("看望慰问", "36人次"), ("获得奖项", "5个")]
PITCH = 225 / 22  # mm: one line of the text area


def cjk(length: int) -> str:
    """A sentence of `length` characters without punctuation inside it, so lines break only at the margin."""
    return (PHRASE * (length // len(PHRASE) + 1))[:length - 1] + "。"


TWO_LINES = cjk(26 + 28)  # a first line indented two characters, then one full line


def summary(sections: list[Section], opening: str = "2008年，某研究所工会各项工作有序开展。现将全年工作总结如下：",
            key_figures=FIGURES) -> Summary:
    return Summary("某研究所工会2008年工作总结", opening, sections, key_figures,
                   closing="下一步，工会将继续围绕中心、服务大局，把工会工作做得更好。",
                   organisation="某研究所工会", dated=dt.date(2008, 12, 31))


def outlined() -> Summary:
    return summary([Section("组织开展文体活动", ["全年共组织开展各类活动24次。"],
                            parts=[Section("节日活动", ["围绕传统节日组织活动6次。"]),
                                   Section("体育比赛", ["参加市级比赛3项。"])]),
                    Section("坚持走访慰问", ["看望慰问职工36人次。"])])


def long_summary() -> Summary:
    """Page 1 ends in the first section's paragraphs, and page 2 is all of them: 22 lines of text."""
    return summary([Section("第1方面的工作", [TWO_LINES] * 16), Section("第2方面的工作", [TWO_LINES] * 8)])


def table_near_the_foot() -> Summary:
    """Title and blank line and an opening of eight two-line paragraphs (as an edited text has it) fill 18 of page
    1's 22 lines: the caption and the first rows would fit below them, the whole table would not."""
    return summary([Section("组织开展文体活动", [TWO_LINES] * 2)], opening="\n".join([TWO_LINES] * 8))


def short_summary() -> Summary:
    return summary([Section("组织开展文体活动", ["全年共组织开展各类活动24次。"]),
                    Section("坚持走访慰问", ["看望慰问职工36人次。"])], key_figures=FIGURES[:3])


def read(summary: Summary, tmp_path, name: str = "总结.docx") -> docx.Document:
    path = tmp_path / name
    write_docx(summary, path)
    return docx.Document(path)


def texts(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text]


def east_asian(element) -> str | None:
    fonts = element.find(f'{qn("w:rPr")}/{qn("w:rFonts")}')
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def test_the_word_document_carries_the_whole_summary_in_order(tmp_path):
    made = outlined()
    document = read(made, tmp_path)
    opening, *rest = (text for _, text in made.blocks())
    assert texts(document) == [made.title, opening, "主要数据", *rest, *made.signature()]
    [table] = document.tables
    cells = [[c.text for c in r.cells] for r in table.rows]
    assert cells[0] == ["指标", "数值", "指标", "数值"]
    read_across = [(row[i], row[i + 1]) for row in cells[1:] for i in (0, 2)]
    assert read_across == made.key_figures, "two figures a row, in the summary's order"
    assert document.core_properties.title == made.title


def body_texts(document) -> list[str]:
    """The body in order: each paragraph's text, and "<table>" where a table stands."""
    return ["<table>" if element.tag == qn("w:tbl") else element.xpath("string(.)")
            for element in document.element.body if element.tag in (qn("w:p"), qn("w:tbl"))]


def test_the_key_figures_follow_the_opening_before_the_first_heading(tmp_path):
    made = outlined()
    body = body_texts(read(made, tmp_path))
    assert body[:5] == [made.title, made.opening, "主要数据", "<table>", ""], "a blank line after the table"
    assert body[5] == "一、组织开展文体活动"
    assert body.index(made.closing) > body.index("<table>")


def test_an_opening_of_several_paragraphs_comes_whole_before_the_key_figures(tmp_path):
    first, second = "2008年，某研究所工会各项工作有序开展。", "全年共组织开展各类活动24次。现将全年工作总结如下："
    edited = outlined().text().replace(outlined().opening, f"{first}\n{second}")
    body = body_texts(read(as_edited(edited, outlined()), tmp_path))
    assert body[1:5] == [first, second, "主要数据", "<table>"]


def test_an_odd_number_of_key_figures_leaves_the_last_cells_empty(tmp_path):
    document = read(summary(outlined().sections, key_figures=FIGURES[:3]), tmp_path)
    [table] = document.tables
    assert [[c.text for c in r.cells] for r in table.rows][1:] == [
        [*FIGURES[0], *FIGURES[1]], [*FIGURES[2], "", ""]]


def test_the_page_is_a4_with_the_margins_and_the_22_line_grid_of_the_standard(tmp_path):
    document = read(outlined(), tmp_path)
    section = document.sections[0]
    assert [round(x.mm, 1) for x in (section.page_width, section.page_height)] == [210, 297]
    assert [round(x.mm, 1) for x in (section.top_margin, section.bottom_margin, section.left_margin,
                                     section.right_margin)] == [37, 35, 28, 26]
    grid = section._sectPr.find(qn("w:docGrid"))
    pitch = int(grid.get(qn("w:linePitch")))
    assert grid.get(qn("w:type")) == "lines" and 22 * pitch <= Mm(225).twips < 23 * pitch
    normal = document.styles["Normal"]
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert normal.paragraph_format.line_spacing.twips == pitch
    condensed = int(normal.element.rPr.find(qn("w:spacing")).get(qn("w:val")))
    advance = Pt(16).twips + condensed
    assert 28 * advance <= Mm(156).twips < 29 * advance, "28 characters of 3号 fit a line, 29 do not"
    assert round(normal.paragraph_format.first_line_indent.twips / advance) == 2


def test_title_body_and_headings_take_the_faces_and_sizes_of_the_standard(tmp_path):
    made = outlined()
    document = read(made, tmp_path)
    styles = {"Title": ("方正小标宋简体", 22), "Normal": ("仿宋_GB2312", 16), "Heading 1": ("黑体", 16),
              "Heading 2": ("楷体_GB2312", 16), "Footer": ("宋体", 14)}
    for name, (face, size) in styles.items():
        style = document.styles[name]
        assert (east_asian(style.element), style.font.size.pt) == (face, size), name
        assert not style.font.bold and style.font.color.rgb is None, name
    assert document.styles["Title"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    outline = {name: document.styles[name].element.pPr.find(qn("w:outlineLvl")).get(qn("w:val"))
               for name in ("Heading 1", "Heading 2")}
    assert outline == {"Heading 1": "0", "Heading 2": "1"}, "Word's navigation pane and a TOC find them"

    by_text = {p.text: p for p in document.paragraphs if p.text}
    assert by_text[made.title].style.name == "Title"
    expected = {"heading1": "Heading 1", "heading2": "Heading 2", "paragraph": "Normal"}
    assert [by_text[text].style.name for _, text in made.blocks()] == [expected[kind] for kind, _ in made.blocks()]
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == ["一、组织开展文体活动",
                                                                                   "二、坚持走访慰问"]
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 2"] == ["（一）节日活动", "（二）体育比赛"]


def test_every_run_names_its_east_asian_face(tmp_path):
    document = read(outlined(), tmp_path)
    section = document.sections[0]
    paragraphs = [*document.paragraphs, *(p for c in document.tables[0]._cells for p in c.paragraphs),
                  *section.footer.paragraphs, *section.even_page_footer.paragraphs]
    faces = {(p.style.name, east_asian(r.element)) for p in paragraphs for r in p.runs}
    assert faces == {("Title", "方正小标宋简体"), ("Normal", "仿宋_GB2312"), ("Normal", "黑体"),
                     ("Heading 1", "黑体"), ("Heading 2", "楷体_GB2312"), ("Footer", "宋体")}
    defaults = document.styles.element.find(f'{qn("w:docDefaults")}/{qn("w:rPrDefault")}')
    assert east_asian(defaults) == "仿宋_GB2312"
    assert defaults.find(f'{qn("w:rPr")}/{qn("w:lang")}').get(qn("w:eastAsia")) == "zh-CN"
    theme = [e for e in document.styles.element.iter(qn("w:rFonts")) if e.get(qn("w:eastAsiaTheme"))]
    assert all(e.getparent().getparent().get(qn("w:styleId")) not in
               ("Normal", "Title", "Heading1", "Heading2", "Footer") for e in theme)


def test_page_numbers_are_a_page_field_between_dashes_right_on_odd_pages_and_left_on_even(tmp_path):
    document = read(outlined(), tmp_path)
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, alignment, side in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right_indent"),
                                    (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left_indent")):
        [paragraph] = footer.paragraphs
        assert paragraph.text == "— 1 —" and paragraph.alignment == alignment
        assert getattr(paragraph.paragraph_format, side).pt == 14, "one character of 4号 in from the edge"
        marks = [e.get(qn("w:fldCharType")) for e in paragraph._p.iter(qn("w:fldChar"))]
        assert marks == ["begin", "separate", "end"]
        assert [e.text.strip() for e in paragraph._p.iter(qn("w:instrText"))] == ["PAGE"]


def test_the_key_figure_table_keeps_its_caption_and_header_and_never_splits_a_row(tmp_path):
    document = read(outlined(), tmp_path)
    [table] = document.tables
    body = list(document.element.body)
    caption = body[body.index(table._tbl) - 1]
    assert caption.xpath("string(.)") == "主要数据" and caption.find(f'{qn("w:pPr")}/{qn("w:keepNext")}') is not None
    rows = [row._tr.trPr for row in table.rows]
    assert all(r.find(qn("w:cantSplit")) is not None for r in rows)
    pairs = len(FIGURES) // 2
    assert [r.find(qn("w:tblHeader")) is not None for r in rows] == [True] + [False] * pairs
    keeps = [all(p.paragraph_format.keep_with_next for c in row.cells for p in c.paragraphs) for row in table.rows]
    assert keeps == [True] * pairs + [False]
    faces = [[east_asian(c.paragraphs[0].runs[0].element) for c in row.cells] for row in table.rows]
    assert faces == [["黑体"] * 4] + [["仿宋_GB2312"] * 4] * pairs


def test_the_signature_and_date_close_the_document_right_aligned_after_a_blank_line(tmp_path):
    made = outlined()
    document = read(made, tmp_path)
    *_, blank, organisation, date = document.paragraphs
    assert (blank.text, organisation.text, date.text) == ("", "某研究所工会", "2008年12月31日")
    assert organisation.alignment == date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert date.paragraph_format.right_indent < organisation.paragraph_format.right_indent, \
        "the date, longer than the name, keeps two characters from the edge and the name moves left"
    assert blank.paragraph_format.keep_with_next and organisation.paragraph_format.keep_with_next


def test_the_bytes_for_a_download_are_the_same_document(tmp_path):
    made = outlined()
    path = tmp_path / "下载.docx"
    path.write_bytes(docx_bytes(made))
    assert texts(docx.Document(path)) == texts(read(made, tmp_path))


def test_an_edited_text_is_exported_in_the_same_format(tmp_path):
    made = outlined()
    edited = made.text().replace("全年共组织开展各类活动24次。", "全年共组织开展各类活动24次，职工反响热烈。")
    document = read(summary_from_text(edited), tmp_path)
    styled = [(p.style.name, p.text) for p in document.paragraphs if p.text]
    assert styled[0] == ("Title", made.title)
    assert [t for s, t in styled if s == "Heading 1"] == ["一、组织开展文体活动", "二、坚持走访慰问"]
    assert [t for s, t in styled if s == "Heading 2"] == ["（一）节日活动", "（二）体育比赛"]
    assert ("Normal", "全年共组织开展各类活动24次，职工反响热烈。") in styled
    *_, blank, organisation, date = document.paragraphs
    assert (blank.text, organisation.text, date.text) == ("", "某研究所工会", "2008年12月31日")
    assert date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert document.sections[0].top_margin == read(made, tmp_path, "原文.docx").sections[0].top_margin


CONTROLS = "\x00\x01\x08\x0b\x0c\x0e\x1b\x1f\x7f"


def test_control_characters_in_workbook_text_are_left_out_of_the_word_document(tmp_path):
    """The summary quotes unit, activity and award names; python-docx refuses a control character in any."""
    made = Summary(f"机关{CONTROLS}工会2024年第二季度工作总结", f"开展“春{CONTROLS}游”活动。",
                   [Section(f"参加“羽毛球{CONTROLS}赛”", [f"获得“羽毛球{CONTROLS}赛”第一名。"])],
                   [(f"活动{CONTROLS}次数", f"2{CONTROLS}次")], organisation=f"机关{CONTROLS}工会",
                   dated=dt.date(2024, 6, 30))
    path = tmp_path / "总结.docx"
    path.write_bytes(docx_bytes(made))
    document = docx.Document(path)
    assert texts(document)[0] == "机关工会2024年第二季度工作总结" == document.core_properties.title
    body = "\n".join(texts(document) + [c.text for c in document.tables[0]._cells])
    assert all(name in body for name in ("春游", "一、参加“羽毛球赛”", "活动次数", "2次", "机关工会\n2024年6月30日"))
    assert not set(body) & set(CONTROLS)


# Rendering: LibreOffice lays the documents out; every position below is in millimetres from the top left.


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The PDFs of the three summaries, made in one LibreOffice run."""
    folder = tmp_path_factory.mktemp("rendered")
    made = {"long": long_summary(), "short": short_summary(), "foot": table_near_the_foot()}
    for name, one in made.items():
        write_docx(one, folder / f"{name}.docx")
    pdfs = to_pdf([folder / f"{name}.docx" for name in made], folder)
    return {name: (made[name], pdf, pages(pdf)) for name, pdf in zip(made, pdfs)}


TEXT_BOTTOM = 297 - 35


def test_rendered_pages_are_a4_with_the_text_area_of_the_standard(rendered):
    _, _, long = rendered["long"]
    assert len(long) >= 2
    assert all(abs(p.width - 595.3) <= 1 and abs(p.height - 841.9) <= 1 for p in long)
    for page in long[1:-1]:
        body = page.above(TEXT_BOTTOM)
        assert abs(min(line.left for line in body) - 28) <= 1.5, "the left text edge"
        assert abs(body[0].middle - PITCH / 2 - 37) <= 1.5, "the top of the first line's box is the top text edge"
        assert body[-1].middle + PITCH / 2 <= TEXT_BOTTOM + 0.5
        assert max(line.right for line in body) <= 184 + 0.5, "the right text edge"


def test_a_full_page_holds_22_lines_of_28_characters(rendered):
    _, _, long = rendered["long"]
    full = long[1].above(TEXT_BOTTOM)
    assert len(full) == 22, [line.text for line in full]
    widths = [len(line.text) for line in full if line.text in TWO_LINES * 2]
    assert max(widths) == 28 and widths.count(28) >= 8, widths
    first_lines = [line for line in full if len(line.text) == 26]
    assert first_lines and all(abs(line.left - 28 - 2 * 15.75 / 72 * 25.4) <= 1 for line in first_lines), \
        "first lines are indented two characters"


def test_a_long_summary_runs_to_several_pages_and_a_short_one_fits_on_one(rendered):
    assert len(rendered["long"][2]) == 4, "the opening, the table and 51 lines of text, then the 落款 on page 4"
    assert len(rendered["short"][2]) == 1


def test_the_title_is_centred_in_2hao_and_the_signature_closes_the_last_page(rendered):
    made, _, [page] = rendered["short"]
    title = page.lines[0]
    assert title.text == made.title and round(title.size) == 22 and abs(title.middle - 37 - PITCH / 2) <= 1.5
    assert abs((title.left + title.right) / 2 - (28 + 184) / 2) <= 1.5
    *_, organisation, date = page.above(TEXT_BOTTOM)
    assert (organisation.text, date.text) == ("某研究所工会", "2008年12月31日")
    assert abs(date.right - (184 - 2 * 5.56)) <= 1.5 and organisation.left < date.left


def test_the_key_figure_table_moves_whole_to_the_next_page_rather_than_split(rendered):
    made, _, foot = rendered["foot"]
    label = made.key_figures[-1][0]
    where = {word: [n for n, page in enumerate(foot) if word in page.text()] for word in ("主要数据", "指标", label)}
    assert where == {"主要数据": [1], "指标": [1], label: [1]}, where
    before = foot[0].above(TEXT_BOTTOM)
    assert before[-1].top > 190, "the table would have started in the last lines of page 1"
    assert foot[1].lines[0].text == "主要数据"


def test_page_numbers_sit_below_the_text_right_on_odd_pages_and_left_on_even(rendered):
    _, _, long = rendered["long"]
    for number, page in enumerate(long, 1):
        [footer] = page.below(TEXT_BOTTOM)
        assert footer.text == f"—{number}—"
        assert abs(footer.top - (TEXT_BOTTOM + 7)) <= 1.5, "7 mm below the text area"
        if number % 2:
            assert abs(footer.right - (184 - 14 / 72 * 25.4)) <= 1.5, "odd pages: one character in from the right"
        else:
            assert abs(footer.left - (28 + 14 / 72 * 25.4)) <= 1.5, "even pages: one character in from the left"


def test_the_rendered_pages_have_chinese_faces_and_pictures_to_look_at(rendered):
    import pdfplumber

    _, pdf, long = rendered["long"]
    with pdfplumber.open(pdf) as document:
        names = {c["fontname"] for c in document.pages[0].chars if ord(c["text"]) > 0x2E80}
    assert names and all(any(k in n for k in ("CJK", "Song", "Sun", "Hei", "Kai", "Fang")) for n in names), names
    SHOTS.mkdir(exist_ok=True)
    shots = [to_png(pdf, 1, SHOTS / "工作总结-1"), to_png(rendered["foot"][1], 2, SHOTS / "工作总结-主要数据")]
    assert all(shot.stat().st_size > 10_000 for shot in shots)
