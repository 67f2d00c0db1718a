import os
import shutil
import subprocess

import docx
import pytest
from builders import dataset
from docx.oxml.ns import qn

from conftest import ROOT
from unionstats.exports.docx import docx_bytes, write_docx
from unionstats.loading import load_path
from unionstats.periods import parse_period
from unionstats.stats import figures
from unionstats.summary import write_summary

SHOTS = ROOT / "tests" / "screenshots"


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


def test_the_bytes_for_a_download_are_the_same_document(tmp_path):
    summary = write_summary(figures(load_path(ROOT / "data" / "sample.xlsx"), parse_period("2024Q3")))
    path = tmp_path / "总结.docx"
    path.write_bytes(docx_bytes(summary))
    texts = [p.text for p in docx.Document(path).paragraphs if p.text]
    assert texts[:2] == [summary.title, summary.opening]


def rendering_tools() -> tuple[str, str]:
    """LibreOffice and poppler, to see the document as a reader does; .ci/run installs both."""
    office, pdftoppm = shutil.which("soffice") or shutil.which("libreoffice"), shutil.which("pdftoppm")
    if not (office and pdftoppm):
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but LibreOffice or poppler is missing: .ci/run must install them")
        pytest.skip("LibreOffice (libreoffice-writer-nogui) and poppler-utils are needed to render the document")
    return office, pdftoppm


def test_the_word_document_renders_on_a4_with_chinese_text(tmp_path):
    office, pdftoppm = rendering_tools()
    summary = write_summary(figures(load_path(ROOT / "data" / "sample.xlsx"), parse_period("2025")))
    write_docx(summary, tmp_path / "summary.docx")
    subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(tmp_path / "summary.docx")],
                   check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "summary.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    flat = "".join(text.split())
    assert summary.title in flat and "".join(summary.sections[0].paragraphs[0].split()) in flat
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "pts (A4)" in info
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert 2 <= pages <= 6
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "CJK" in fonts or "Song" in fonts or "Hei" in fonts, fonts
    SHOTS.mkdir(exist_ok=True)
    subprocess.run([pdftoppm, "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(SHOTS / "工作总结")],
                   check=True, timeout=60)
    assert (SHOTS / "工作总结-1.png").stat().st_size > 10_000


CONTROLS = "\x00\x01\x08\x0b\x0c\x0e\x1b\x1f\x7f"


def test_control_characters_in_workbook_text_are_left_out_of_the_word_document(tmp_path):
    """The summary quotes unit, activity and award names; python-docx refuses a control character in any."""
    unit = f"机关{CONTROLS}工会"
    data = dataset(
        events=[dict(date="2024-05-01", name=f"春{CONTROLS}游", category="文体活动", participants=30, spending=100.0,
                     unit=unit),
                dict(date="2024-06-10", name=f"端午{CONTROLS}包粽子", category="节日活动", participants=20,
                     spending=50.0, unit=unit)],
        competitions=[dict(date="2024-05-02", name=f"羽毛球{CONTROLS}赛", level="市级", result="第一名", unit=unit)],
        members={unit: 40})
    summary = write_summary(figures(data, parse_period("2024Q2")))
    assert "\x01" in summary.title and "\x01" in summary.text()  # the summary itself keeps what it was given
    path = tmp_path / "总结.docx"
    path.write_bytes(docx_bytes(summary))
    document = docx.Document(path)
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[0] == "机关工会2024年第二季度工作总结" and document.core_properties.title == texts[0]
    body = "\n".join(texts)
    assert [name for name in ("春游", "端午包粽子", "羽毛球赛") if name in body] == ["春游", "端午包粽子", "羽毛球赛"]
    assert not set(body) & set(CONTROLS)
