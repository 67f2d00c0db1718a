"""The 审计自查 report: a check of rows the test writes, as python-docx reads the Word file and as LibreOffice lays
it out (tests/rendering.py), with every expected number worked out here from the rows and the documents' caps."""

import datetime as dt
import io
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from rendering import pages, to_pdf, to_png
from workbooks import load

from conftest import ROOT
from unionstats.compliance.check import check
from unionstats.compliance.rules import Version, builtin
from unionstats.exports.docx import docx_bytes
from unionstats.exports.selfcheck import selfcheck_docx
from unionstats.writing.summary import Summary

SHOTS = ROOT / "tests" / "screenshots"
NAMES = ("张晓燕", "李建国", "王淑芬", "赵志刚")
UNIT = "机关工会"
HEAD = ["日期", "事由", "对象", "人次", "金额", "单位"]
D = dt.date
# (date, reason, person, people, amount); 安徽: 生病住院 1000, 结婚、生育 600 a person an event, 节日 1500 a member a year
VISITS = [
    (D(2024, 1, 20), "节日慰问", NAMES[0], 1, 800),
    (D(2024, 3, 2), "生病住院", NAMES[1], 1, 1000),
    (D(2024, 4, 9), "生病住院", NAMES[2], 1, 1200),
    (D(2024, 5, 20), "结婚", NAMES[3], 1, 800),
    (D(2024, 6, 1), "节日慰问", "", 30, 9000),
    (D(2024, 9, 17), "节日慰问", NAMES[0], 1, 800),
    (D(2024, 10, 1), "生育", NAMES[1], 1, 600),
]
CAPS = {"生病住院": 1000, "结婚": 600, "生育": 600}


def expected() -> list[tuple[int, float, float]]:
    """(Excel row, amount checked, cap) of every row over 安徽's caps, worked out from VISITS."""
    found, years = [], {}
    for i, (day, reason, person, people, amount) in enumerate(VISITS):
        if reason == "节日慰问" and person and people == 1:
            years[person] = value = years.get(person, 0) + amount
            cap = 1500
        elif reason == "节日慰问":
            value, cap = amount / people, 1500
        else:
            value, cap = amount / people, CAPS[reason]
        if value > cap:
            found.append((i + 2, value, cap))
    return found


@pytest.fixture(scope="module")
def made():
    dataset = load({"慰问": [HEAD, *[[d.isoformat(), r, p, n, a, UNIT] for d, r, p, n, a in VISITS]]},
                   name="q")
    assert dataset.report.ok, dataset.report.records()
    rules = builtin("anhui")
    result = check(dataset.tables, [Version(rules, rules.date)])
    return result, selfcheck_docx(result, UNIT, "2024年", "本单位")


def test_the_check_found_what_the_rows_say(made):
    result, _ = made
    assert [(f.row, f.amount, f.cap) for f in result.findings] == expected()
    assert len(expected()) == 3 and result.checked == len(VISITS) and result.unnamed == 1


def test_the_title_the_opening_and_the_counts(made):
    result, data = made
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[0] == "机关工会2024年经费使用审计自查情况" and document.paragraphs[0].style.name == "Title"
    assert texts[1] == ("为进一步规范工会经费使用，根据《安徽省基层工会经费收支管理实施办法（试行）》（2018年3月12日），"
                        "机关工会对本单位2024年慰问和活动经费支出情况进行了自查。现将自查情况报告如下：")
    over = sum(f.excess for f in result.findings)
    assert over == (1200 - 1000) + (800 - 600) + (1600 - 1500)
    assert texts[3] == ("本次自查依据《安徽省基层工会经费收支管理实施办法（试行）》（2018年3月12日），按安徽省标准"
                        f"（2018年3月12日起执行），逐条核对慰问、活动记录{len(VISITS)}条，其中{len(expected())}条超出标准，"
                        f"超出金额合计{over:g}元。")
    assert "三、未能核对的情况" in texts and any(t.startswith("有1条记录适用按每人每年计算的限额") for t in texts)
    assert texts[-2:] == ["整改情况：", "机关工会"] or texts[-3:-1] == ["整改情况：", "机关工会"]


def test_the_rule_table_counts_each_rules_findings(made):
    _, data = made
    document = docx.Document(io.BytesIO(data))
    rules, findings = document.tables
    rows = [[c.text for c in row.cells] for row in rules.rows]
    assert rows[0] == ["标准", "口径", "上限", "超标记录数", "超出金额"]
    by_name = {row[0]: row[1:] for row in rows[1:]}
    assert list(by_name) == [rule.name for rule in builtin("anhui").rules]
    assert by_name["生病住院慰问"] == ["每人每次", "1,000.00", "1", "200.00"]
    assert by_name["结婚、生育慰问"] == ["每人每次", "600.00", "1", "200.00"]
    assert by_name["节日慰问品"] == ["每人每年", "1,500.00", "1", "100.00"]
    assert by_name["丧事慰问"] == ["每人每次", "2,000.00", "0", "0.00"]


def test_the_finding_table_gives_each_rows_place_and_no_name(made):
    _, data = made
    document = docx.Document(io.BytesIO(data))
    table = document.tables[1]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["批次/文件", "工作表", "行", "日期", "单位", "标准", "金额", "上限", "超出"]
    want = [["q.xlsx", "慰问", str(row), VISITS[row - 2][0].isoformat(), UNIT, name, f"{amount:,.2f}", f"{cap:,.2f}",
             f"{amount - cap:,.2f}"]
            for (row, amount, cap), name in zip(expected(), ["生病住院慰问", "结婚、生育慰问", "节日慰问品"])]
    assert rows[1:] == want
    header = table.rows[0]._tr.trPr
    assert header.find(qn("w:tblHeader")) is not None, "the header repeats on each page"
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xml = "".join(package.read(name).decode("utf-8") for name in package.namelist() if name.endswith(".xml"))
    assert not any(name in xml for name in NAMES)


def test_the_page_and_styles_are_the_work_summarys(made):
    """The same page setup, grid, styles and font table as the 工作总结: one format, not a second."""
    _, data = made
    report = docx.Document(io.BytesIO(data))
    summary = docx.Document(io.BytesIO(docx_bytes(Summary("某工会2024年工作总结", "开头。", [], [],
                                                          organisation="某工会", dated=D(2024, 12, 31)))))
    section, other = report.sections[0], summary.sections[0]
    for name in ("page_width", "page_height", "top_margin", "bottom_margin", "left_margin", "right_margin",
                 "footer_distance"):
        assert getattr(section, name) == getattr(other, name), name
    assert section._sectPr.find(qn("w:docGrid")).attrib == other._sectPr.find(qn("w:docGrid")).attrib
    for style in ("Normal", "Title", "Heading 1"):
        assert report.styles[style].element.xml == summary.styles[style].element.xml, style


def test_a_clean_check_says_so_and_has_no_finding_table():
    dataset = load({"慰问": [HEAD, [D(2024, 3, 2).isoformat(), "生病住院", NAMES[1], 1, 1000, UNIT]]}, name="q")
    rules = builtin("anhui")
    result = check(dataset.tables, [Version(rules, rules.date)])
    document = docx.Document(io.BytesIO(selfcheck_docx(result, UNIT, "2024年", "本单位", dated=D(2025, 1, 10))))
    texts = [p.text for p in document.paragraphs if p.text]
    assert "经核对，未发现超出标准的记录。" in texts and len(document.tables) == 1
    assert "三、未能核对的情况" not in texts and texts[-1] == "2025年1月10日"


def test_two_versions_are_both_cited_and_a_changed_cap_is_two_rows():
    rules = builtin("anhui")
    edited = rules.with_caps({"illness": 800})
    versions = [Version(rules, rules.date), Version(edited, D(2024, 7, 1), 1)]
    dataset = load({"慰问": [HEAD, [D(2024, 3, 2).isoformat(), "生病住院", NAMES[1], 1, 900, UNIT],
                              [D(2024, 8, 2).isoformat(), "生病住院", NAMES[2], 1, 900, UNIT]]}, name="q")
    result = check(dataset.tables, versions)
    assert [(f.row, f.cap) for f in result.findings] == [(3, 800)]  # 900 is under 1000 in March, over 800 in August
    document = docx.Document(io.BytesIO(selfcheck_docx(result, UNIT, "2024年", "本单位")))
    texts = [p.text for p in document.paragraphs if p.text]
    assert "按安徽省标准（2018年3月12日起执行）和安徽省标准第1版（2024年7月1日起执行）" in texts[3]
    rows = {row.cells[0].text: [c.text for c in row.cells[1:]] for row in document.tables[0].rows[1:]}
    assert rows["生病住院慰问（安徽省标准（2018年3月12日起执行））"] == ["每人每次", "1,000.00", "0", "0.00"]
    assert rows["生病住院慰问（安徽省标准第1版（2024年7月1日起执行））"] == ["每人每次", "800.00", "1", "100.00"]


# Rendering: LibreOffice lays it out; pdfplumber reads it back.

@pytest.fixture(scope="module")
def rendered(made, tmp_path_factory):
    folder = tmp_path_factory.mktemp("selfcheck")
    path = folder / "自查.docx"
    path.write_bytes(made[1])
    [pdf] = to_pdf([path], folder)
    return pdf, pages(pdf)


def test_the_rendered_report_holds_the_title_the_counts_and_every_findings_row(rendered):
    _, laid_out = rendered
    text = "".join(page.text() for page in laid_out)
    assert "机关工会2024年经费使用审计自查情况" in text.replace(" ", "")
    assert f"逐条核对慰问、活动记录{len(VISITS)}条，其中{len(expected())}条超出标准" in text
    lines = [line.text for page in laid_out for line in page.lines]  # a cell's Chinese may sit a point lower
    for row, _amount, _cap in expected():
        assert any(f"q.xlsx{row}{VISITS[row - 2][0].isoformat()}" in line.replace("慰问", "") for line in lines), row
    assert not any(name in text for name in NAMES)
    assert "整改情况：" in text
    last = laid_out[-1].text()
    assert "整改情况：" in last and "机关工会" in last, "the line to fill in stays on the page that is signed"


def test_the_rendered_title_is_centred_in_2hao_and_the_page_is_a4(rendered):
    _, laid_out = rendered
    first = laid_out[0]
    assert abs(first.width - 595.3) <= 1 and abs(first.height - 841.9) <= 1
    title = first.lines[0]
    assert round(title.size) == 22 and abs((title.left + title.right) / 2 - (28 + 184) / 2) <= 1.5
    body = [line for page in laid_out for line in page.above(297 - 35)]
    hanging = "，。、；：）》”"  # Chinese typesetting lets a line's last comma or stop hang in the margin
    assert max(line.right - (6 if line.text.endswith(tuple(hanging)) else 0) for line in body) <= 184 + 0.5, \
        "the text and the tables stay inside the text area"
    assert min(line.left for line in body) >= 28 - 0.5


def test_the_first_page_as_a_picture_to_look_at(rendered):
    pdf, _ = rendered
    SHOTS.mkdir(exist_ok=True)
    shots = [to_png(pdf, 1, SHOTS / "审计自查-1", dpi=80), to_png(pdf, 2, SHOTS / "审计自查-2", dpi=80)]
    assert all(shot.stat().st_size > 10_000 for shot in shots)
