"""Whose name a view carries, and a workbook that names no unit.

The store holds the sample (江城市农业科学研究所工会, 2024-2025) beside the seed workbooks of tests/seeds.py: a
research institute's 2008 (单位信息), a county bureau's 2013 second quarter (a 单位 column) and a school's 2004
that names no unit, its title row (A1 of the 活动 sheet) reading 三山学校工会2004年工作情况统计表. Every name
expected below is read from the cells the test wrote.
"""

import json
from pathlib import Path

import docx
import pytest
from pptx import Presentation
from seeds import BUREAU, INSTITUTE, SCHOOL, write_all
from streamlit.testing.v1 import AppTest
from workbooks import write_workbook

from conftest import ROOT
from unionstats.cli import main as cli
from unionstats.store.access import operator
from unionstats.ui import signin
from unionstats.ui.markdown import literal

SAMPLE = ROOT / "data" / "sample.xlsx"
MANAGE = "pages/7_数据管理.py"
SUMMARY = "pages/6_工作总结.py"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

INSTITUTE_UNIT = dict(INSTITUTE["单位信息"])["单位名称"]  # 某研究所
BUREAU_UNIT = BUREAU["活动"][1][BUREAU["活动"][0].index("单位")]  # 某县水利局
SAMPLE_UNIT = "江城市农业科学研究所工会"  # the sample's 单位信息


def union(unit: str) -> str:
    """How a unit's name reads as its union's: 某研究所 is 某研究所工会."""
    return unit if unit.endswith("工会") else f"{unit}工会"


@pytest.fixture
def seeds(tmp_path) -> dict[str, Path]:
    return {path.name: path for path in write_all(tmp_path / "seeds")}


@pytest.fixture
def run(capsys):
    def run(*args):
        capsys.readouterr()
        code = cli.main([str(a) for a in args])
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return code, out, err

    return run


@pytest.fixture
def db(tmp_path, seeds, run) -> list[str]:
    """A store of several units: the sample, the institute's 2008 and the bureau's 2013 second quarter."""
    where = ["--db", f"sqlite:///{tmp_path / 'store.db'}"]
    for path in (SAMPLE, seeds["institute_2008.xlsx"], seeds["bureau_2013q2.xlsx"]):
        code, _, err = run("import", path, *where)
        assert code == 0, err
    return where


def slide_texts(slide) -> list[str]:
    return [s.text_frame.text for s in slide.shapes if s.has_text_frame and s.text_frame.text]


# A view whose rows all come from one unit carries that unit's union name; a view of several units the setting.

def test_a_view_of_one_units_rows_is_that_units_summary_deck_and_word_file(run, db, tmp_path):
    name = union(INSTITUTE_UNIT)
    code, out, err = run("summary", "--period", "2008", "--docx", tmp_path / "总结.docx", *db)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == f"{name}2008年工作总结"
    assert lines[2].startswith(f"2008年，{name}在上级工会")
    assert lines[-2] == name
    paragraphs = [p.text for p in docx.Document(tmp_path / "总结.docx").paragraphs if p.text.strip()]
    assert paragraphs[0] == f"{name}2008年工作总结" and paragraphs[-2] == name
    assert "工会" not in {p.strip() for p in paragraphs}

    code, _, err = run("deck", "--period", "2008", *db, tmp_path / "汇报.pptx")
    assert code == 0, err
    assert slide_texts(Presentation(tmp_path / "汇报.pptx").slides[0])[:2] == [name, "2008年工作汇报"]

    code, out, _ = run("summary", "--period", "2013Q2", *db)
    assert out.splitlines()[0] == f"{union(BUREAU_UNIT)}2013年第二季度工作总结"


def test_the_setting_names_views_of_several_units_and_never_a_view_of_one(run, db):
    code, out, _ = run("summary", *db)  # every row: three units
    assert out.splitlines()[0].startswith("工会2008年1月15日至")  # nothing names the three together
    empty = run("summary", "--period", "2010", *db)  # an empty year: no title at all, the nearest year named
    assert (empty[0], empty[1]) == (1, "") and empty[2].startswith("2010年，所有单位都没有数据；最近有数据的年度是2008年")
    assert run("settings", "--unit-name", "江城市农业工会", *db)[0] == 0
    assert run("summary", *db)[1].splitlines()[0].startswith("江城市农业工会2008年1月15日至")
    assert run("summary", "--period", "2008", *db)[1].splitlines()[0] == f"{union(INSTITUTE_UNIT)}2008年工作总结"
    assert run("summary", "--period", "2025", *db)[1].splitlines()[0] == f"{union(SAMPLE_UNIT)}2025年工作总结"
    two = run("summary", "--unit", INSTITUTE_UNIT, "--unit", BUREAU_UNIT, *db)[1]
    assert two.splitlines()[0].startswith("江城市农业工会")  # two units chosen: the setting


# The dashboard: the summary page and the file names of the downloads.


@pytest.fixture
def page_store(tmp_path, monkeypatch, seeds):
    """The app's store: the sample's workbook, the institute's and the bureau's files, all of an office's own."""
    from unionstats.store.batches import Store

    monkeypatch.setattr(signin, "client_address", lambda: "127.0.0.1")
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("UNIONSTATS_DB", url)
    store = Store(url)  # the sample's union as an office's own data (imported as 示例数据, real data sets it aside)
    for path in (SAMPLE, seeds["institute_2008.xlsx"], seeds["bureau_2013q2.xlsx"]):
        assert store.import_path(path, user="张会计").status == "imported"
    page()
    return store


def page(path: str | None = None, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    if path is not None:
        at.switch_page(path)
    return at.run()


def test_the_dashboard_names_a_view_of_one_units_rows_after_that_union(page_store, downloads):
    name = union(INSTITUTE_UNIT)
    at = page(year="2008")
    assert not at.exception
    assert downloads[-2:] == [f"{name}2008年工作汇报.pptx", f"{name}2008年图表.zip"]
    at = page(SUMMARY, year="2008")
    text = at.text_area[0].value
    assert text.startswith(f"{name}2008年工作总结\n") and text.rstrip().splitlines()[-2] == name
    assert f"{name}2008年工作总结.docx" in downloads
    page_store.set_organisation(operator("测试"), "江城市农业工会")
    assert page(SUMMARY, year="2008").text_area[0].value.startswith(f"{name}2008年工作总结\n")
    assert page(SUMMARY, year="2025").text_area[0].value.startswith(f"{union(SAMPLE_UNIT)}2025年工作总结\n")


# A workbook that names no unit: never its file's name.

TITLE = "三山学校工会2004年工作情况统计表"
SUGGESTED = TITLE.split("工会")[0]  # 三山学校: the unit the title names
SCHOOL_ROWS = {sheet: len(rows) - 1 for sheet, rows in SCHOOL.items()}


@pytest.fixture
def school(tmp_path) -> Path:
    """The seed school's workbook with its title row above the 活动 header, named as the office saved it."""
    return write_workbook(tmp_path / "school_2004.xlsx", {**SCHOOL, "活动": [[TITLE], *SCHOOL["活动"]]})


@pytest.fixture
def untitled(tmp_path) -> Path:
    (tmp_path / "untitled").mkdir()
    return write_workbook(tmp_path / "untitled" / "school_2004.xlsx", SCHOOL)


def stored_units(db: list[str]) -> set[str]:
    from unionstats.store.batches import Store

    data = Store(db[1]).dataset()
    return set(data.units["unit"]).union(*(set(f["unit"]) for f in data.frames().values()))


def test_check_warns_that_no_unit_is_named_and_suggests_the_titles(run, school, untitled):
    code, out, _ = run("check", school)
    assert code == 0
    counts = "，".join(f"{sheet} {SCHOOL_ROWS[sheet]} 行" for sheet in ("活动", "慰问", "捐款", "比赛"))
    lines = out.splitlines()
    assert lines[0] == f"school_2004.xlsx：通过：{counts}；1 个警告"
    [warning] = [line for line in lines if "[警告]" in line]
    assert warning.startswith("  [警告] 「活动」表第1行（A1）：")
    assert "「单位信息」表" in warning and "「单位名称」" in warning and "「单位」列" in warning
    assert f"“{SUGGESTED}”" in warning and TITLE in warning
    [issue] = json.loads(run("check", school, "--json")[1])[0]["issues"]
    assert (issue["level"], issue["sheet"], issue["row"], issue["cell"], issue["value"]) == (
        "warning", "活动", 1, "A1", TITLE)
    [plain] = [line for line in run("check", untitled)[1].splitlines() if "[警告]" in line]
    assert "「单位信息」表" in plain and "“" not in plain.split("：", 1)[1].split("可用作")[0] and "可用作" not in plain
    assert "school_2004" not in warning + plain


def test_import_asks_for_the_unit_and_stores_nothing_without_it(run, db, school):
    before = run("batches", *db)[1]
    code, out, err = run("import", school, *db)
    assert code == 1 and out == ""
    assert err.startswith("school_2004.xlsx：") and "未导入" in err and f"--unit-name {SUGGESTED}" in err
    assert run("batches", *db)[1] == before
    code, out, err = run("import", school, "--unit-name", SUGGESTED, *db)
    assert code == 0, err
    assert out.startswith("school_2004.xlsx：已导入为第4批，活动 7 行") and SUGGESTED in stored_units(db)
    assert "school_2004" not in stored_units(db)


def test_a_unit_given_at_import_names_the_union_everywhere(run, db, school, tmp_path):
    assert run("import", school, "--unit-name", SUGGESTED, *db)[0] == 0
    name = union(SUGGESTED)
    summary = run("summary", "--period", "2004", *db)[1]
    assert summary.splitlines()[0] == f"{name}2004年工作总结" and summary.splitlines()[-2] == name
    assert json.loads(run("stats", "--period", "2004", "--json", *db)[1])["units"] == [SUGGESTED]
    assert run("deck", "--period", "2004", *db, tmp_path / "d.pptx")[0] == 0
    deck = Presentation(tmp_path / "d.pptx")
    assert slide_texts(deck.slides[0])[:2] == [name, "2004年工作汇报"]
    everything = run("summary", *db)[1] + run("summary", "--unit", SUGGESTED, "--unit", INSTITUTE_UNIT, *db)[1]
    texts = [t for slide in deck.slides for t in slide_texts(slide)]
    assert "school_2004" not in everything + "".join(texts)


def test_files_read_without_a_store_take_the_given_name_else_the_titles_else_none(run, school, untitled, tmp_path):
    assert run("summary", school)[1].splitlines()[0] == f"{union(SUGGESTED)}2004年工作总结"
    assert json.loads(run("stats", school, "--json")[1])["units"] == [SUGGESTED]
    assert json.loads(run("stats", school, "--unit-name", "三山小学", "--json")[1])["units"] == ["三山小学"]
    assert run("summary", untitled, "--unit-name", "三山小学")[1].splitlines()[0] == "三山小学工会2004年工作总结"
    plain = run("summary", untitled)[1]
    assert plain.splitlines()[0] == "工会2004年工作总结" and plain.splitlines()[-2] == "工会"
    assert "school_2004" not in plain + run("stats", untitled, "--json")[1]
    assert run("deck", school, tmp_path / "d.pptx")[0] == 0
    assert slide_texts(Presentation(tmp_path / "d.pptx").slides[0])[0] == union(SUGGESTED)


def test_data_management_asks_for_the_unit_prefilled_with_the_titles(page_store, school):
    at = page(MANAGE)
    at.file_uploader(key="upload").set_value((school.name, school.read_bytes(), XLSX)).run()
    [report] = [t.value for t in at.table if {"级别", "单元格", "说明"} <= set(t.value.columns)]
    [warned] = report.loc[report["级别"] == "警告"].to_dict("records")  # (each cell escaped for st.table)
    assert (warned["工作表"], warned["行"], warned["单元格"]) == ("活动", "1", "A1")
    assert literal(SUGGESTED) in warned["说明"]
    [box] = [t for t in at.text_input if t.label.startswith("单位名称")]
    assert box.value == SUGGESTED
    box.set_value("   ").run()
    [b for b in at.button if b.label == "导入"][0].click().run()
    [refusal] = [e.value.replace("\\", "") for e in at.error]
    assert refusal.startswith("school_2004.xlsx：") and "“单位名称”" in refusal and "未导入" in refusal
    assert "--" not in refusal
    assert "school_2004" not in stored_units(["--db", page_store.url]) and len(page_store.batches()) == 3
    [box] = [t for t in at.text_input if t.label.startswith("单位名称")]
    box.set_value(SUGGESTED).run()
    [b for b in at.button if b.label == "导入"][0].click().run()
    assert not at.error and len(page_store.batches()) == 4
    assert SUGGESTED in stored_units(["--db", page_store.url])
    assert page(SUMMARY, year="2004").text_area[0].value.startswith(f"{union(SUGGESTED)}2004年工作总结\n")


def test_a_unit_stored_under_its_file_name_is_never_the_unions_and_is_replaced_by_a_named_import(run, db, school,
                                                                                                  monkeypatch):
    """A store that holds the school's rows under school_2004, marked as not named (as stores did before a name
    was asked for)."""
    import sqlalchemy as sa

    from unionstats.store import database
    from unionstats.store.batches import Store

    store = Store(db[1])
    legacy = store.import_path(school, unit_name="school_2004")
    with store.engine.begin() as connection:
        connection.execute(sa.update(database.batch_units).values(named=False).where(
            database.batch_units.c.batch_id == legacy.batch_id))
    assert run("summary", "--period", "2004", *db)[1].splitlines()[0] == "工会2004年工作总结"
    monkeypatch.setattr(signin, "client_address", lambda: "127.0.0.1")
    monkeypatch.setenv("UNIONSTATS_DB", db[1])
    [notice] = [w.value.replace("\\", "") for w in page(MANAGE).warning]
    assert "单位“school_2004”（school_2004.xlsx）是按文件名记入的" in notice and "勾选“用本文件替换”" in notice
    code, _, err = run("import", school, "--unit-name", SUGGESTED, *db)
    assert code == 1 and f"第{legacy.batch_id}批（school_2004.xlsx" in err and "--replace" in err
    code, out, err = run("import", school, "--unit-name", SUGGESTED, "--replace", *db)
    assert code == 0 and f"替换了第{legacy.batch_id}批" in out, err
    assert run("summary", "--period", "2004", *db)[1].splitlines()[0] == f"{union(SUGGESTED)}2004年工作总结"
    assert "school_2004" not in stored_units(db)
    assert not page(MANAGE).warning


def test_a_given_name_fills_only_the_rows_without_a_unit_and_must_fit_a_units_name(run, db, tmp_path):
    from unionstats.store.batches import Store

    head = ["日期", "活动名称", "参与人次", "单位"]
    rows = [["2030-04-01", "春游", 30, "一分会"], ["2030-04-02", "讲座", 12, None]]
    path = write_workbook(tmp_path / "汇总.xlsx", {"活动": [head, *rows]})
    [warning] = [line for line in run("check", path)[1].splitlines() if "[警告]" in line]
    assert warning.startswith("  [警告] 「活动」表第3行「单位」列（D3）：没有写明单位名称：1 行数据")
    too_long = run("import", path, "--unit-name", "某" * 201, *db)
    assert too_long[0] == 2 and "单位名称最多 200 个字，现有 201 个" in too_long[2]
    refused = Store(db[1]).import_path(path, unit_name="某" * 201)
    assert refused.status == "invalid" and refused.problem == "no_unit" and refused.batch_id is None
    code, out, err = run("import", path, "--unit-name", "二分会", *db)
    assert code == 0 and out.rstrip().endswith("；没有写明单位的行记入“二分会”"), err
    events = Store(db[1]).dataset().events
    stored = events.loc[events["date"].dt.year == 2030]
    assert dict(zip(stored["name"], stored["unit"])) == {rows[0][1]: rows[0][3], rows[1][1]: "二分会"}


@pytest.mark.parametrize("text, name", [
    ("三山学校工会2004年工作情况统计表", "三山学校"), ("红星小学工会委员会二〇〇四年度工作统计", "红星小学"),
    ("某县总工会2013年第二季度活动统计", "某县总工会"), ("机关一分会活动统计表", "机关一分会"),
    ("ＡＢ中学2024年活动", "AB中学"), ("填表单位：三山学校工会", "三山学校"),
    ("单位：三山学校  日期：2004年", "三山学校"),
    ("2024年第二季度工会活动统计表", ""), ("工会活动统计表", ""), ("填表日期：2004年12月31日", ""), ("备注", ""),
    ("统计表", ""),
], ids=["title", "committee", "federation", "branch", "full-width", "label", "label-and-date", "year-first",
        "union-only", "date-label", "no-title", "bare"])
def test_a_title_names_the_unit_before_its_year_or_what_it_counts(text, name):
    from unionstats.intake.naming import title_name

    assert title_name(text) == name


def test_a_unit_label_above_the_header_names_the_unit_in_the_next_cell(run, tmp_path):
    rows = [["填表单位：", "红星小学工会"], ["日期", "活动名称", "参与人次"], ["2024-04-01", "春游", 30]]
    path = write_workbook(tmp_path / "q.xlsx", {"活动": rows})
    [issue] = json.loads(run("check", path, "--json")[1])[0]["issues"]
    assert (issue["row"], issue["cell"], issue["value"]) == (1, "B1", rows[0][1]) and "“红星小学”" in issue["message"]
    assert json.loads(run("stats", path, "--json")[1])["units"] == ["红星小学"]
