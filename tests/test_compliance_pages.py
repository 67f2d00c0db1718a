"""经费合规 on the pages (AppTest): the page's findings, cards and places; who sees which units; the count on 总览;
the rule versions on 数据管理 and a save by 管理; the warning on an uploaded workbook before import.

The rows are written here, and what each page must show is worked out here from them and from the one cap the
安徽 document sets for 生病住院 (1000元 per person and event): no statistics of unionstats are used for it.
"""

from __future__ import annotations

import datetime as dt
import math
import os

import pytest
from streamlit.testing.v1 import AppTest
from workbooks import workbook_bytes, write_workbook

from conftest import ROOT
from unionstats.compliance.check import check
from unionstats.compliance.rules import Version, builtin, loads
from unionstats.intake.loading import load_bytes
from unionstats.store.access import ADMIN, REPORTER, VIEWER, Actor, operator
from unionstats.store.batches import Store
from unionstats.ui import signin
from unionstats.writing import findings

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE = "pages/9_经费合规.py"
DATA = "pages/7_数据管理.py"
PASSWORD = "a-good-password"
ILLNESS_CAP = 1000  # 安徽：会员生病住院，可给予不超过1000元的慰问品（慰问金）
VISITS_HEAD = ["日期", "事由", "对象", "人次", "金额", "单位"]
SOUTH, NORTH = "城南小学工会", "城北中学工会"
# (date, reason, person, 人次, amount, unit) as written in each workbook, from its row 2
SOUTH_ROWS = [(dt.date(2031, 5, 10), "生病住院", "欧阳晓岚", 1, 1001, SOUTH),
              (dt.date(2031, 5, 12), "生病住院", "司马青松", 1, 1000, SOUTH),
              (dt.date(2031, 6, 3), "困难帮扶", "上官云舒", 1, 5000, SOUTH)]
NORTH_ROWS = [(dt.date(2031, 6, 20), "生病住院", "诸葛明月", 1, 1500, NORTH)]
NAMES = {row[2] for row in SOUTH_ROWS + NORTH_ROWS}


def workbook(rows, sheet: str = "慰问") -> dict[str, list[list]]:
    return {sheet: [VISITS_HEAD, *map(list, rows)]}


def over_cap(rows, batch: int | None, sheet: str = "慰问") -> list[tuple]:
    """The rows over the 生病住院 cap, as the page's table says where they are: (批次, 工作表, 行, 单位, 金额, 超出)."""
    return [(batch, sheet, number, unit, amount / people, amount / people - ILLNESS_CAP)
            for number, (_, reason, _, people, amount, unit) in enumerate(rows, start=2)
            if reason == "生病住院" and amount / people > ILLNESS_CAP]


@pytest.fixture
def store(tmp_path, monkeypatch) -> Store:
    """A store holding the two units' workbooks (batches 1 and 2); pages are opened from the server itself."""
    monkeypatch.setattr(signin, "client_address", lambda: "127.0.0.1")
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("UNIONSTATS_DB", url)
    store = Store(url)
    store.import_path(write_workbook(tmp_path / "城南.xlsx", workbook(SOUTH_ROWS)), user="张会计")
    store.import_path(write_workbook(tmp_path / "城北.xlsx", workbook(NORTH_ROWS)), user="张会计")
    return store


@pytest.fixture
def accounts(store, monkeypatch) -> Store:
    monkeypatch.setattr(signin, "client_address", lambda: "10.0.0.8")
    root = operator("root")
    store.accounts.add(root, "张科长", ADMIN, password=PASSWORD)
    store.accounts.add(root, "李主席", VIEWER, password=PASSWORD)
    store.accounts.add(root, "王老师", REPORTER, units=[SOUTH], password=PASSWORD)
    return store


ACTORS = {ADMIN: Actor("张科长", ADMIN), VIEWER: Actor("李主席", VIEWER), REPORTER: Actor("王老师", REPORTER, (SOUTH,))}


def opened(page: str | None, role: str | None = None, **params) -> AppTest:
    """The page, as `role` sees it in a tab that signed in (None: 单机模式 on the server itself, as 管理)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    if role is not None:
        at.session_state[signin.TOKEN] = Store(os.environ["UNIONSTATS_DB"]).accounts.open_session(ACTORS[role])
    for key, value in {"year": "2031", **params}.items():
        at.query_params[key] = value
    if page is not None:
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def every_text(at: AppTest) -> str:
    """Everything the page writes: texts, notices, cards, tables, the sidebar."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "success", "info", "warning",
                 "error", "expander", "page_link"):
        parts += [str(getattr(el, "value", "")) + str(getattr(el, "label", "")) for el in at.get(kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [el.value.to_string() for el in at.table] + [el.value.to_string() for el in at.dataframe]
    return "\n".join(parts)


def findings_shown(at: AppTest) -> list[tuple]:
    """The findings' table; when they are all of one unit, it leaves out the 单位 column, and 按单位 names it."""
    [table] = [d.value for d in at.dataframe if "超出（元）" in d.value.columns]
    if "单位" not in table.columns:
        [by_unit] = [d.value for d in at.dataframe if "单位" in d.value.columns and "超标记录" in d.value.columns]
        [unit] = by_unit["单位"]
        table = table.assign(单位=unit)
    return [(r["批次"], r["工作表"], r["行"], r["单位"], r["金额（元）"], r["超出（元）"]) for _, r in table.iterrows()]


def cards(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def yuan_text(amount: float) -> str:
    return f"{amount:g}元"


def test_the_page_lists_each_row_over_a_cap_with_its_place_and_never_a_name(store):
    at = opened(PAGE)
    expected = over_cap(SOUTH_ROWS, 1) + over_cap(NORTH_ROWS, 2)
    assert [row[2] for row in expected] == [2, 2]  # 1001元 is over; 1000元 and the 5000元 困难帮扶 are not
    assert findings_shown(at) == expected
    shown = cards(at)
    assert shown["超标记录"] == f"{len(expected)}条"
    assert shown["超出金额合计"] == yuan_text(sum(row[-1] for row in expected))
    assert shown["已核对记录"] == f"{len(SOUTH_ROWS) + len(NORTH_ROWS)}条"
    assert "只能按人均核对" not in shown and "未核对" not in shown  # every row names its 对象, all after 2018
    text = every_text(at)
    assert "安徽省标准（2018年3月12日起执行）" in text and builtin("anhui").cited in text
    [by_unit] = [d.value for d in at.dataframe if "单位" in d.value.columns and "超标记录" in d.value.columns]
    assert dict(zip(by_unit["单位"], by_unit["超标记录"])) == {SOUTH: 1, NORTH: 1}
    assert not [name for name in NAMES if name in text]
    [report] = [b.proto for b in at.get("download_button") if "审计自查" in b.proto.label]
    assert report.label == "下载审计自查报告（Word）"


def test_a_period_with_nothing_over_says_so_and_which_rules_were_checked(store, tmp_path):
    at = opened(PAGE, period="M", month="5")
    assert findings_shown(at) == over_cap(SOUTH_ROWS[:2], 1)  # May: the 1001元 row
    july = [(dt.date(2031, 7, 1), "生病住院", "欧阳晓岚", 2, 2000, SOUTH)]  # 1000元 a head: at the cap, not over
    store.import_path(write_workbook(tmp_path / "七月.xlsx", workbook(july)))
    at = opened(PAGE, period="Q3")
    assert [s.value for s in at.success] == [f"2031年第三季度已核对的 {len(july)} 条慰问和活动记录均未超出经费标准。"]
    [rules] = [t.value for t in at.table if "依据条文" in t.value.columns]
    assert "生病住院慰问" in list(rules["标准"])
    assert not [d for d in at.dataframe if "超出（元）" in d.value.columns]
    assert "超标记录" in cards(at) and cards(at)["超标记录"] == "0条"


def test_a_reporter_sees_only_the_findings_of_its_own_unit(accounts):
    at = opened(PAGE, REPORTER)
    assert findings_shown(at) == over_cap(SOUTH_ROWS, 1)
    assert cards(at)["已核对记录"] == f"{len(SOUTH_ROWS)}条"
    assert NORTH not in every_text(at)
    at = opened(PAGE, REPORTER, unit=NORTH)  # another unit chosen in the sidebar: still nothing of it
    assert not at.dataframe and not at.metric
    assert any("没有您负责的单位" in i.value for i in at.info)


def test_a_viewer_sees_every_unit(accounts):
    at = opened(PAGE, VIEWER)
    assert findings_shown(at) == over_cap(SOUTH_ROWS, 1) + over_cap(NORTH_ROWS, 2)


def notices(at: AppTest) -> list[str]:
    return [link.proto.label for link in at.get("page_link") if "经费" in link.proto.label and "超出" in link.proto.label]


def test_the_overview_counts_the_findings_for_an_admin_only(accounts):
    count = len(over_cap(SOUTH_ROWS, 1) + over_cap(NORTH_ROWS, 2))
    at = opened(None, ADMIN)
    [link] = [link.proto for link in at.get("page_link") if "超出经费标准" in link.proto.label]
    assert link.label == f"经费合规：本期有 {count} 条记录超出经费标准" and link.page == "经费合规"
    for role in (VIEWER, REPORTER):
        at = opened(None, role)
        assert not notices(at)
    at = opened(None, ADMIN, present="1")
    assert not notices(at)
    at = opened(None, ADMIN, period="M", month="6", unit=SOUTH)  # its June: a 困难帮扶, which no cap covers
    assert [m.label for m in at.metric if m.label == "慰问人次"] and not notices(at)


def rules_editor(at: AppTest):
    [editor] = [e for e in at.data_editor if e.key.startswith("rules_editor_")]
    return editor


def test_an_admin_saves_an_edited_cap_as_a_new_version_and_the_page_checks_by_it(store):
    at = opened(DATA)
    editor = rules_editor(at)
    assert list(editor.value.columns) == ["标准", "口径", "适用", "上限（元）"]
    illness = list(editor.value["标准"]).index("生病住院慰问")
    assert editor.value.loc[illness, "上限（元）"] == ILLNESS_CAP
    raised = 1200
    at.session_state[editor.key] = {"edited_rows": {illness: {"上限（元）": raised}}, "added_rows": [],
                                    "deleted_rows": []}
    [start] = [d for d in at.date_input if d.label == "执行日期"]
    start.set_value(dt.date(2031, 1, 1))
    [note] = [t for t in at.text_input if t.label.startswith("说明")]
    note.input("按新文件调整")
    [save] = [b for b in at.button if b.label == "保存为新版本"]
    save.click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == ["已保存经费标准安徽省标准第1版（2031年1月1日起执行）；此后的核对按新版本进行，旧版本仍保留"]
    [saved] = store.rules.saved()
    assert (saved.number, saved.start, saved.note) == (1, dt.date(2031, 1, 1), "按新文件调整")
    assert {r.key: r.cap for r in saved.rules.rules}["illness"] == raised
    [versions] = [d.value for d in at.dataframe if "版本" in d.value.columns]
    assert list(versions["版本"]) == ["安徽省标准（2018年3月12日起执行）", "安徽省标准第1版（2031年1月1日起执行）"]
    assert list(versions["状态"]) == (["已被替代", "现行"] if dt.date.today() >= dt.date(2031, 1, 1)
                                     else ["现行", "尚未执行"])

    at = opened(PAGE)
    expected = [row for row in over_cap(SOUTH_ROWS, 1) + over_cap(NORTH_ROWS, 2) if row[4] > raised]
    assert findings_shown(at) == [(*row[:5], row[4] - raised) for row in expected]
    assert "安徽省标准第1版（2031年1月1日起执行）" in every_text(at)


def test_a_cap_left_empty_is_refused_in_chinese_and_nothing_is_saved(store):
    at = opened(DATA)
    editor = rules_editor(at)
    at.session_state[editor.key] = {"edited_rows": {0: {"上限（元）": None}}, "added_rows": [], "deleted_rows": []}
    [save] = [b for b in at.button if b.label == "保存为新版本"]
    save.click().run()
    [error] = [e.value for e in at.error]
    assert error == f"{editor.value.loc[0, '标准']}的上限应为大于 0 的金额（元）"
    assert store.rules.saved() == []


def test_only_an_admin_may_change_the_rules(accounts):
    for role in (VIEWER, REPORTER):
        at = opened(DATA, role)
        assert "经费标准" in [s.value for s in at.subheader]
        assert not [b for b in at.button if b.label == "保存为新版本"]
        assert not [e for e in at.data_editor if e.key.startswith("rules_editor_")]
        [rules] = [t.value for t in at.table if "依据条文" in t.value.columns]
        assert "生病住院慰问" in list(rules["标准"])
    at = opened(DATA, ADMIN)
    assert [b for b in at.button if b.label == "保存为新版本"]


def test_the_import_check_names_the_rows_over_a_cap_and_does_not_block_the_import(store):
    at = opened(DATA)
    rows = [(dt.date(2032, 3, 2), "生病住院", "欧阳晓岚", 1, 1300, SOUTH),
            (dt.date(2032, 3, 9), "生病住院", "司马青松", 2, 1800, SOUTH)]  # 900元 a head: within the cap
    at.file_uploader(key="upload").set_value(("三月慰问.xlsx", workbook_bytes(workbook(rows)), XLSX)).run()
    expected = over_cap(rows, None)
    assert any(f"以下 {len(expected)} 行超出经费标准，可在导入前更正：" == w.value for w in at.warning)
    [table] = [d.value for d in at.dataframe if "列" in d.value.columns and "标准" in d.value.columns]
    shown = table[["工作表", "行", "列", "日期", "单位", "金额（元）", "上限（元）"]]
    assert shown.values.tolist() == [["慰问", row[2], "金额", dt.date(2032, 3, 2), SOUTH, row[4], ILLNESS_CAP]
                                     for row in expected]
    assert not [name for name in NAMES if name in every_text(at)]
    [button] = [b for b in at.button if b.label == "导入"]
    assert not button.disabled
    button.click().run()
    assert not at.exception and store.compliance().findings[-1].date == dt.date(2032, 3, 2)


PER_HEAD = """
key = "test"
province = "测试省"
title = "测试办法"
date = 2000-01-01
[[rules]]
key = "sports"
name = "文体活动人均"
sheet = "events"
categories = ["文体活动"]
per = "activity-head"
cap = 300
[[rules]]
key = "wedding"
name = "结婚慰问"
sheet = "visits"
categories = ["结婚"]
per = "person-event"
cap = 600
"""


def test_the_import_table_names_the_amount_column_of_each_sheet():
    spent, people = 5000, 10
    data = workbook_bytes({"慰问": [VISITS_HEAD, [dt.date(2031, 5, 10), "结婚", "欧阳晓岚", 1, 601, SOUTH]],
                           "活动": [["日期", "活动名称", "类别", "参与人次", "支出"],
                                  [dt.date(2031, 5, 1), "春游", "文体活动", people, spent]]})
    dataset = load_bytes(data, "两表.xlsx")
    rules = loads(PER_HEAD)
    table = findings.import_table(check(dataset.tables, [Version(rules, rules.date)]))
    assert table[["工作表", "行", "列", "单位", "金额（元）", "上限（元）", "标准"]].values.tolist() == [
        ["活动", 2, "支出", "（未填单位）", spent / people, 300, "文体活动人均（活动人均）"],
        ["慰问", 2, "金额", SOUTH, 601, 600, "结婚慰问（每人每次）"]]
    assert "欧阳晓岚" not in table.to_string()


def test_the_summaries_add_each_rows_money_above_the_cap_as_the_card_does():
    people, spent = 2, 2400  # 1200元 a head: 200元 over the cap each, 400元 in all
    data = workbook_bytes(workbook([(dt.date(2031, 5, 10), "生病住院", "", people, spent, SOUTH)]))
    result = check(load_bytes(data, "两人.xlsx").tables, Store("sqlite://").rules.versions())
    above = (spent / people - ILLNESS_CAP) * people
    assert findings.findings_table(result)["超出（元）"].tolist() == [spent / people - ILLNESS_CAP]
    assert findings.by_rule(result)["超出金额（元）"].tolist() == [above] == [result.over]
    assert findings.by_unit(result)["超出金额（元）"].tolist() == [above]


def test_a_cap_problem_names_the_rule_and_accepts_amounts_above_zero():
    rules = builtin("anhui")
    assert findings.cap_problem(rules, {"illness": 1200, "birthday": 300.5}) == ""
    assert findings.cap_problem(rules, {"illness": 0, "birthday": math.nan, "festival": 1}) == (
        "生病住院慰问、生日慰问的上限应为大于 0 的金额（元）")
