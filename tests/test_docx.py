import docx
from docx.oxml.ns import qn

from conftest import ROOT
from unionstats.exports.docx import write_docx
from unionstats.loading import load_path
from unionstats.periods import parse_period
from unionstats.stats import figures
from unionstats.summary import write_summary


def test_the_word_document_carries_the_whole_summary(tmp_path):
    summary = write_summary(figures(load_path(ROOT / "data" / "sample.xlsx"), parse_period("2024Q2")))
    path = tmp_path / "总结.docx"
    write_docx(summary, path)
    document = docx.Document(path)
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[0] == summary.title
    assert texts[1] == summary.opening
    headings = [h for h, _ in summary.numbered()]
    assert [t for t in texts if t.startswith("（")] == headings
    body = [p for _, paragraphs in summary.numbered() for p in paragraphs]
    assert all(p in texts for p in body)
    [table] = document.tables
    assert [(r.cells[0].text, r.cells[1].text) for r in table.rows[1:]] == summary.key_figures

    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert (round(section.left_margin.cm, 1), round(section.top_margin.cm, 1)) == (2.8, 3.7)
    fonts = {r.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) for p in document.paragraphs for r in p.runs}
    assert fonts == {"宋体", "黑体"}
