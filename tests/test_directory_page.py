"""The 单位名录 on 数据管理, rendered by AppTest on a store of several units beside the sample: 管理 fills it from
单位信息, edits and saves it (a bad cell named by its row and column), and the figures follow its member counts;
a viewer reads it and changes nothing."""

import datetime as dt
from fractions import Fraction

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from workbooks import workbook_bytes

from conftest import ROOT
from unionstats.store.access import operator
from unionstats.store.batches import Store
from unionstats.store.sample import SAMPLE_USER
from unionstats.ui import signin
from unionstats.ui.directory import EDITOR

DATA_MANAGEMENT = "pages/7_数据管理.py"
ACTIVITIES = "pages/1_活动参与.py"
HEAD = ["日期", "活动名称", "类别", "参与人次"]
WRITTEN = {  # unit: (activities as (day, participants), 单位信息's members); 2031, a year the sample does not reach
    "第一中学": ([(dt.date(2031, 4, 3), 30), (dt.date(2031, 5, 8), 45)], 50),
    "第二中学": ([(dt.date(2031, 4, 12), 12)], None),
}


@pytest.fixture
def store(tmp_path, monkeypatch) -> Store:
    """The sample beside two units' workbooks."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("UNIONSTATS_DB", url)
    store = Store(url)
    assert store.import_path(ROOT / "data" / "sample.xlsx", actor=operator(SAMPLE_USER)).ok
    for unit, (rows, members) in WRITTEN.items():
        sheets = {"活动": [HEAD, *[[day, "活动", "文体活动", people] for day, people in rows]],
                  "单位信息": [["单位名称", unit]] + ([["会员人数", members]] if members else [])}
        assert store.import_bytes(workbook_bytes(sheets), f"{unit}.xlsx").ok
    return store


def open_page(path: str, address: str, monkeypatch, **params) -> AppTest:
    monkeypatch.setattr(signin, "client_address", lambda: address)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(path)
    return at.run()


def click(at: AppTest, label: str) -> AppTest:
    [button] = [b for b in at.button if b.label == label]
    return button.click().run()


def listing(frame: pd.DataFrame) -> list[tuple]:
    return [(u, None if pd.isna(m) else int(m), bool(d)) for u, m, d in zip(frame["unit"], frame["members"],
                                                                              frame["due"])]


def directory_editors(at: AppTest) -> list:
    """The 单位名录's editor (数据管理 has another, the 经费标准's caps)."""
    return [editor for editor in at.data_editor if editor.key.startswith(EDITOR)]


def shown_rows(frame: pd.DataFrame) -> list[list]:
    return [[None if pd.isna(v) else v for v in row] for row in frame.astype(object).values.tolist()]


def rate_text(participants: int, places: int) -> str:
    """平均参与率 as a card writes it: a percentage to one place, rounded half up, trailing zero dropped."""
    tenths = Fraction(participants * 1000, places)
    whole = int(tenths) + (1 if tenths - int(tenths) >= Fraction(1, 2) else 0)
    text = f"{whole // 10}.{whole % 10}"
    return f"{text.removesuffix('.0')}%"


def test_an_admin_fills_the_directory_from_unit_information_edits_it_and_the_figures_follow(store, monkeypatch):
    at = open_page(DATA_MANAGEMENT, "127.0.0.1", monkeypatch)
    assert not at.exception and "单位名录" in [s.value for s in at.subheader]
    at = click(at, "从单位信息导入")
    assert [s.value for s in at.success] == ["单位名录已保存：新增2个单位（第一中学、第二中学）；现共2个单位"]
    assert listing(store.directory()) == [("第一中学", 50, True), ("第二中学", None, True)]
    [editor] = directory_editors(at)
    assert shown_rows(editor.value) == [["第一中学", 50, True], ["第二中学", None, True]]

    at.session_state[editor.key] = {"edited_rows": {1: {"会员人数": 0}},
                                    "added_rows": [{"单位": "第一中学", "会员人数": 9}], "deleted_rows": []}
    at = click(at, "保存单位名录")
    [error] = at.error
    assert "第2行「会员人数」：会员人数“0”小于 1" in error.value
    assert "第3行「单位」：“第一中学”与第1行重复" in error.value
    assert listing(store.directory()) == [("第一中学", 50, True), ("第二中学", None, True)], "nothing stored"

    counts = {"第一中学": 80, "第二中学": 20}
    at.session_state[editor.key] = {"edited_rows": {0: {"会员人数": 80}, 1: {"会员人数": 20, "应报送": False}},
                                    "added_rows": [{"单位": "第三中学"}], "deleted_rows": []}
    at = click(at, "保存单位名录")
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == [
        "单位名录已保存：新增1个单位（第三中学），修改2个单位（第一中学、第二中学）；现共3个单位"]
    assert listing(store.directory()) == [("第一中学", 80, True), ("第二中学", 20, False), ("第三中学", None, True)]
    assert shown_rows(directory_editors(at)[0].value)[:2] == [["第一中学", 80, True], ["第二中学", 20, False]]
    trail = store.audit_trail(operator("root"), action="settings")
    assert trail["actor"].tolist() == ["本机", "本机"]

    people = sum(p for rows, _ in WRITTEN.values() for _, p in rows)
    places = sum(len(rows) * counts[u] for u, (rows, _) in WRITTEN.items())
    shown = {m.label: m.value for m in open_page(ACTIVITIES, "127.0.0.1", monkeypatch, year="2031", period="Q2").metric}
    assert shown["平均参与率"] == rate_text(people, places)


def test_the_rate_text_helper_rounds_as_a_person_would():
    assert [rate_text(*pair) for pair in ((87, 200), (1, 3), (2, 3), (1, 8), (1, 1))] == [
        "43.5%", "33.3%", "66.7%", "12.5%", "100%"]


def test_a_viewer_reads_the_directory_and_cannot_change_it(store, monkeypatch):
    at = open_page(DATA_MANAGEMENT, "10.0.0.9", monkeypatch)
    assert not at.exception
    assert "还没有单位名录。" in [i.value for i in at.info]
    store.import_directory(operator("root"))
    at = open_page(DATA_MANAGEMENT, "10.0.0.9", monkeypatch)
    assert not at.exception and not at.data_editor
    assert not [b for b in at.button if b.label in ("保存单位名录", "从单位信息导入")]
    [listed] = [d.value for d in at.dataframe if "应报送" in d.value.columns]
    assert shown_rows(listed) == [["第一中学", 50, True], ["第二中学", None, True]]
