"""`python -m unionstats compliance`: rows the tests write, checked against the caps, with the expected findings
worked out here from those rows and the caps the rule documents state (never from what the library says).

Run in-process through `cli.main` (coverage sees it), and once in a fresh process for the exit codes and the
absence of a traceback. UNIONSTATS_DB points at a trap: a command that forgot --db fails the test.
"""

import datetime as dt
import json
import subprocess
import sys
from collections import defaultdict
from typing import NamedTuple

import docx
import pytest
from workbooks import workbook_bytes

from conftest import ROOT

VISIT_HEAD = ["日期", "事由", "对象", "人次", "金额", "单位"]
UNIT = "机关工会"
NAMES = ("张晓燕", "李建国", "王淑芬")
ANHUI_ILLNESS = 1000  # 安徽: 会员生病住院，不超过1000元 (per person per event)


class Visit(NamedTuple):
    day: dt.date
    reason: str
    person: str
    people: int
    amount: float
    unit: str = UNIT


def visit_sheets(visits: list[Visit]) -> dict[str, list[list]]:
    return {"慰问": [VISIT_HEAD, *[[v.day.isoformat(), v.reason, v.person, v.people, v.amount, v.unit]
                                 for v in visits]]}


def excel_row(index: int) -> int:
    """The row Excel shows for the index-th visit: the header is row 1."""
    return index + 2


pytestmark = pytest.mark.usefixtures("trap_default_store")  # (conftest.py: the command line's fixtures)


def write(tmp_path, visits: list[Visit], name: str = "慰问.xlsx"):
    path = tmp_path / name
    path.write_bytes(workbook_bytes(visit_sheets(visits)))
    return path


ILLNESS = [Visit(dt.date(2024, 4, 9), "生病住院", NAMES[0], 1, 1000),
           Visit(dt.date(2024, 5, 20), "生病住院", NAMES[1], 1, 1001)]


def test_one_yuan_over_the_illness_cap_is_one_finding_at_its_row_and_exit_1(run, tmp_path):
    path = write(tmp_path, ILLNESS)
    over = [(i, v) for i, v in enumerate(ILLNESS) if v.amount / v.people > ANHUI_ILLNESS]
    assert len(over) == 1
    result = run("compliance", path, "--rules", "anhui", "--json")
    assert result.code == 1, result.err
    data = json.loads(result.out)
    assert data["checked"] == len(ILLNESS) and data["found"] == 1
    [finding] = data["findings"]
    index, visit = over[0]
    assert (finding["file"], finding["sheet"], finding["row"], finding["batch"]) == ("慰问.xlsx", "慰问",
                                                                                   excel_row(index), None)
    assert (finding["date"], finding["unit"], finding["rule"]) == (visit.day.isoformat(), UNIT, "illness")
    assert (finding["amount"], finding["cap"], finding["over"]) == (1001, 1000, 1)
    assert data["over"] == 1
    [version] = data["versions"]
    assert version["document"] == "《安徽省基层工会经费收支管理实施办法（试行）》（2018年3月12日）"
    assert version["label"] == "安徽省标准（2018年3月12日起执行）"


def test_plain_output_names_the_version_the_counts_and_each_findings_place(run, tmp_path):
    path = write(tmp_path, ILLNESS)
    result = run("compliance", path, "--rules", "anhui")
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0] == "经费合规核对：全部数据"
    assert lines[1] == ("依据：安徽省标准（2018年3月12日起执行），"
                        "《安徽省基层工会经费收支管理实施办法（试行）》（2018年3月12日）")
    assert lines[2] == "核对 2 条记录，超标 1 条，超出合计 1元"
    [finding] = [line for line in lines if line.startswith("  ")]
    assert finding.split() == ["慰问.xlsx", "慰问", "第3行", "2024-05-20", UNIT, "生病住院慰问（每人每次）",
                               "人均", "1001.00元，上限", "1000.00元，超出", "1.00元"]


def test_the_cap_itself_is_not_over_and_exits_0(run, tmp_path):
    path = write(tmp_path, ILLNESS[:1])
    result = run("compliance", path, "--rules", "anhui")
    assert result.code == 0, result.out + result.err
    assert "核对 1 条记录，超标 0 条" in result.out and "未发现超出标准的记录" in result.out
    data = json.loads(run("compliance", path, "--rules", "anhui", "--json").out)
    assert (data["checked"], data["found"], data["findings"]) == (1, 0, [])


# 节日慰问 under two provinces' documents.

FESTIVAL = [
    Visit(dt.date(2024, 1, 25), "节日慰问", NAMES[0], 1, 600),   # 春节
    Visit(dt.date(2024, 2, 5), "节日慰问", NAMES[1], 1, 400),    # 春节
    Visit(dt.date(2024, 2, 6), "节日慰问", "", 10, 3000),        # 春节, ten people, no name: 300 a head
    Visit(dt.date(2024, 5, 1), "节日慰问", NAMES[0], 1, 250),    # 劳动节
    Visit(dt.date(2024, 9, 17), "节日慰问", NAMES[0], 1, 700),   # 中秋
    Visit(dt.date(2024, 10, 1), "节日慰问", NAMES[1], 1, 200),   # 国庆
    Visit(dt.date(2024, 10, 1), "节日慰问", NAMES[0], 1, 100, "一分会"),  # the same name in another unit
]


def guizhou_expected(visits: list[Visit]) -> list[tuple[int, float, float]]:
    """贵州: 春节 (January, February) 500 a person an event, other festivals 200: (row, per head, cap)."""
    found = []
    for i, v in enumerate(visits):
        cap = 500 if v.day.month in (1, 2) else 200
        if v.amount / v.people > cap:
            found.append((excel_row(i), v.amount / v.people, cap))
    return found


def anhui_expected(visits: list[Visit]) -> list[tuple[int, float, float]]:
    """安徽: 1500 a member a year, summed in date order over the rows that name one person; a row without a name
    or of several people is checked per head."""
    totals: dict[tuple, float] = defaultdict(float)
    found = []
    for i, v in sorted(enumerate(visits), key=lambda iv: (iv[1].day, iv[0])):
        if v.person and v.people == 1:
            totals[v.unit, v.person, v.day.year] += v.amount
            value = totals[v.unit, v.person, v.day.year]
        else:
            value = v.amount / v.people
        if value > 1500:
            found.append((excel_row(i), value, 1500))
    return found


def test_guizhou_and_anhui_find_different_rows_among_the_same_festival_visits(run, tmp_path):
    path = write(tmp_path, FESTIVAL)
    by = {}
    for rules in ("guizhou", "anhui"):
        result = run("compliance", path, "--rules", rules, "--json")
        data = json.loads(result.out)
        by[rules] = [(f["row"], f["amount"], f["cap"]) for f in data["findings"]]
        assert result.code == (1 if by[rules] else 0)
        assert data["checked"] == len(FESTIVAL)
    assert sorted(by["guizhou"]) == sorted(guizhou_expected(FESTIVAL))
    assert sorted(by["anhui"]) == sorted(anhui_expected(FESTIVAL))
    assert by["guizhou"] != by["anhui"]
    assert len(by["guizhou"]) == 3 and len(by["anhui"]) == 1  # the rows above were chosen so
    unnamed = sum(1 for v in FESTIVAL if not v.person or v.people != 1)
    assert json.loads(run("compliance", path, "--rules", "anhui", "--json").out)["unnamed"] == unnamed
    assert json.loads(run("compliance", path, "--rules", "guizhou", "--json").out)["unnamed"] == 0


def test_no_output_holds_a_name_written_in_the_rows(run, tmp_path):
    path = write(tmp_path, FESTIVAL + ILLNESS)
    for rules in ("anhui", "guizhou"):
        for extra in ([], ["--json"]):
            result = run("compliance", path, "--rules", rules, *extra)
            assert result.code == 1
            assert not any(name in result.out + result.err for name in NAMES)
    data = json.loads(run("compliance", path, "--rules", "anhui", "--json").out)
    assert all("person" not in f and "name" not in f for f in data["findings"])


def test_period_and_unit_choose_the_rows_checked(run, tmp_path):
    path = write(tmp_path, FESTIVAL)
    q1 = json.loads(run("compliance", path, "--rules", "guizhou", "--period", "2024Q1", "--json").out)
    in_q1 = [v for v in FESTIVAL if v.day.month <= 3]
    assert q1["checked"] == len(in_q1) and q1["period"] == "2024年第一季度"
    assert sorted(f["row"] for f in q1["findings"]) == [r for r, *_ in guizhou_expected(FESTIVAL) if r - 2 < 3]
    branch = json.loads(run("compliance", path, "--rules", "guizhou", "--unit", "一分会", "--json").out)
    assert branch["checked"] == sum(v.unit == "一分会" for v in FESTIVAL) and branch["findings"] == []
    assert run("compliance", path, "--rules", "guizhou", "--unit", "一分会").code == 0


# Rule files.

RULE_FILE = """key = "ours"
province = "某市"
title = "某市总工会基层工会经费使用办法"
number = "某工发〔2023〕5号"
date = 2023-06-01

[[rules]]
key = "illness"
name = "住院慰问"
sheet = "visits"
categories = ["生病住院"]
per = "person-event"
cap = 800
"""


def test_a_rule_file_of_our_own_is_used_and_cited(run, tmp_path):
    path = write(tmp_path, ILLNESS)
    rules = tmp_path / "ours.toml"
    rules.write_text(RULE_FILE, encoding="utf-8")
    result = run("compliance", path, "--rules", rules)
    assert result.code == 1
    assert ("依据：某市标准（2023年6月1日起执行），"
            "《某市总工会基层工会经费使用办法》（某工发〔2023〕5号，2023年6月1日）") in result.out
    data = json.loads(run("compliance", path, "--rules", rules, "--json").out)
    want = [(excel_row(i), v.amount, 800) for i, v in enumerate(ILLNESS) if v.amount > 800]
    assert [(f["row"], f["amount"], f["cap"]) for f in data["findings"]] == want


@pytest.mark.parametrize("text, says", [
    ("key = \"x\"\nprovince = ", "不是有效的 TOML 文件"),
    (RULE_FILE.replace('title = "某市总工会基层工会经费使用办法"\n', ""), "缺少“title”"),
    (RULE_FILE.replace("cap = 800", "cap = -5"), "上限应为大于 0 的金额"),
    (RULE_FILE.replace("cap = 800", "cap = 800\nmonths = 5"), "第1条标准的“months”应为列表"),
    (RULE_FILE.replace('sheet = "visits"', 'sheet = ["visits"]'), "第1条标准的“sheet”应为文字"),
    (RULE_FILE.replace('categories = ["生病住院"]', 'categories = ["住院"]'), "不是慰问表的类别"),
    ("\ufffe\x00\xff".encode("utf-16").decode("latin-1"), "标准文件"),
])
def test_a_bad_rule_file_is_a_chinese_message_and_exit_1(run, tmp_path, text, says):
    path = write(tmp_path, ILLNESS)
    rules = tmp_path / "bad.toml"
    rules.write_text(text, encoding="utf-8")
    result = run("compliance", path, "--rules", rules)
    assert result.code == 1 and result.out == ""
    assert result.err.startswith("经费标准不能使用：") and says in result.err, result.err


def test_an_unknown_rule_name_lists_the_built_in_sets(run, tmp_path):
    result = run("compliance", write(tmp_path, ILLNESS), "--rules", "hunan")
    assert result.code == 1 and "没有名为“hunan”的内置经费标准" in result.err and "anhui、guizhou" in result.err


# The store.

def test_the_store_is_checked_by_its_own_versions_and_names_the_batch(run, tmp_path, db):
    assert run("import", write(tmp_path, ILLNESS), *db).code == 0
    result = run("compliance", *db, "--json")
    assert result.code == 1
    data = json.loads(result.out)
    [finding] = data["findings"]
    assert (finding["batch"], finding["file"], finding["sheet"], finding["row"]) == (1, "慰问.xlsx", "慰问", 3)
    assert [v["label"] for v in data["versions"]] == ["安徽省标准（2018年3月12日起执行）"]
    plain = run("compliance", *db).out
    assert "  第1批 慰问 第3行  2024-05-20" in plain
    assert run("compliance", *db, "--rules", "guizhou").code == 0  # 贵州 sets no cap on 生病住院
    assert run("compliance", *db, "--period", "2024-04").code == 0


def test_a_workbook_is_checked_by_the_stores_versions_when_no_rules_are_given(run, tmp_path, db):
    data = json.loads(run("compliance", write(tmp_path, ILLNESS), *db, "--json").out)
    assert [v["label"] for v in data["versions"]] == ["安徽省标准（2018年3月12日起执行）"]
    assert data["found"] == 1 and data["findings"][0]["batch"] is None


def test_report_writes_the_self_check_and_refuses_other_suffixes(run, tmp_path, db):
    assert run("import", write(tmp_path, ILLNESS), *db).code == 0
    report = tmp_path / "自查.docx"
    result = run("compliance", *db, "--period", "2024", "--report", report)
    assert result.code == 1 and f"已保存自查报告：{report}" in result.err
    document = docx.Document(report)
    assert document.paragraphs[0].text == f"{UNIT}2024年经费使用审计自查情况"  # 机关工会 is a union already
    finding_rows = [[c.text for c in row.cells] for row in document.tables[1].rows[1:]]
    assert finding_rows == [["第1批", "慰问", "3", "2024-05-20", UNIT, "生病住院慰问", "1,001.00", "1,000.00",
                             "1.00"]]
    refused = run("compliance", *db, "--report", tmp_path / "自查.txt")
    assert refused.code == 2 and "用法错误：自查报告文件名应以 .docx 结尾" in refused.err
    assert not (tmp_path / "自查.txt").exists()


def test_a_report_of_nothing_is_not_written(run, tmp_path, db):
    report = tmp_path / "空.docx"
    result = run("compliance", *db, "--report", report)
    assert result.code == 1 and "未生成自查报告" in result.err and not report.exists()


def test_a_workbook_with_errors_is_refused_as_stats_refuses_it(run, tmp_path):
    bad = ILLNESS + [Visit(dt.date(2024, 6, 1), "生病住院", NAMES[2], 1, "很多")]
    path = tmp_path / "bad.xlsx"
    path.write_bytes(workbook_bytes(visit_sheets(bad)))
    result = run("compliance", path, "--rules", "anhui")
    assert result.code == 1 and "未通过" in result.err and result.out == ""
    skipped = json.loads(run("compliance", path, "--rules", "anhui", "--skip-bad-rows", "--json").out)
    assert skipped["checked"] == len(ILLNESS) and skipped["found"] == 1


def test_python_m_compliance_exits_1_then_0_and_never_shows_a_traceback(tmp_path):
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "UNIONSTATS_DB": "sqlite:///:memory:"}

    def python_m(*args):
        return subprocess.run([sys.executable, "-m", "unionstats", *map(str, args)], capture_output=True,
                              text=True, cwd=tmp_path, env=env, timeout=120)

    over = python_m("compliance", write(tmp_path, ILLNESS), "--rules", "anhui")
    assert over.returncode == 1 and "超标 1 条" in over.stdout
    fine = python_m("compliance", write(tmp_path, ILLNESS[:1], "ok.xlsx"), "--rules", "anhui")
    assert fine.returncode == 0 and "超标 0 条" in fine.stdout
    (tmp_path / "bad.toml").write_text("[[rules]]\nmonths = 5\n", encoding="utf-8")
    bad = python_m("compliance", tmp_path / "ok.xlsx", "--rules", tmp_path / "bad.toml")
    assert bad.returncode == 1 and "经费标准不能使用" in bad.stderr
    assert "Traceback" not in over.stderr + fine.stderr + bad.stderr


def test_a_row_of_several_people_is_over_per_head_and_its_excess_counts_every_head(run, tmp_path):
    wedding = Visit(dt.date(2024, 5, 20), "结婚", "", 2, 2000)  # 安徽: 结婚 600 a person an event
    data = json.loads(run("compliance", write(tmp_path, [wedding]), "--rules", "anhui", "--json").out)
    [finding] = data["findings"]
    per_head = wedding.amount / wedding.people
    assert (finding["amount"], finding["over"], finding["people"]) == (per_head, per_head - 600, wedding.people)
    assert finding["excess"] == data["over"] == (per_head - 600) * wedding.people
