"""A correction replaces only what it corrects: a school sends its year, then a corrected second quarter.

Every expected figure is computed here from the rows the test writes: the year's 活动 and 慰问 rows month by
month, the corrected quarter's rows, and which of them fall in which quarter.
"""

import datetime as dt
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from workbooks import workbook_bytes, write_workbook

from unionstats.cli import main as cli
from unionstats.contract.periods import Period, parse_period
from unionstats.exports import tables
from unionstats.figures import engine as stats
from unionstats.figures.cache import figures_key
from unionstats.store.access import operator
from unionstats.store.batches import IMPORTED, REFUSED, Store
from unionstats.store.replacing import written_period
from unionstats.ui import signin
from unionstats.writing import wording

ROOT = Path(__file__).resolve().parents[1]
SCHOOL, OTHER = "红星小学", "蓝天中学"
EVENT_HEAD = ["日期", "活动名称", "类别", "参与人次", "支出", "单位"]
VISIT_HEAD = ["日期", "事由", "对象类别", "对象", "人次", "金额", "单位"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def year_rows(unit: str, base: int) -> tuple[list[list], list[list]]:
    """A unit's year: an activity on the 10th and a visit on the 12th of every month but February."""
    events = [[dt.date(2024, m, 10), f"{unit}活动{m}", "文体活动", base + 5 * m, 100 * m, unit]
              for m in range(1, 13) if m != 2]
    visits = [[dt.date(2024, m, 12), "生病住院", "在职职工", "某", 1 + m % 3, 50 * m, unit]
              for m in range(1, 13) if m != 2]
    return events, visits


def corrected_q2(unit: str) -> tuple[list[list], list[list]]:
    events = [[dt.date(2024, m, 20), f"{unit}更正活动{m}", "文体活动", 7 * m, 30 * m, unit] for m in (4, 5, 6)]
    visits = [[dt.date(2024, 5, 22), "结婚", "在职职工", "某", 2, 800, unit]]
    return events, visits


def book(events: list[list], visits: list[list], period_text: str = "") -> bytes:
    """活动 and 慰问 sheets; with a 报告期, a 单位信息 sheet naming the first row's unit and the period."""
    info = {"单位信息": [["单位名称", events[0][5]], ["报告期", period_text]]} if period_text else {}
    return workbook_bytes({"活动": [EVENT_HEAD, *events], "慰问": [VISIT_HEAD, *visits], **info})


def inside(rows: list[list], period: Period) -> list[list]:
    return [r for r in rows if period.start <= r[0] <= period.end]


def outside(rows: list[list], period: Period) -> list[list]:
    return [r for r in rows if not period.start <= r[0] <= period.end]


def counted(events: list[list], visits: list[list]) -> tuple[int, int, int]:
    """人次 of the activities, rows of 慰问, and 人次 of the visits."""
    return sum(r[3] for r in events), len(visits), sum(r[4] for r in visits)


def shown(store: Store, period: str, units: list[str] | None = None) -> tuple[int, int, int]:
    figures = stats.period_figures(store.dataset(), parse_period(period), units)
    return figures.events.participants, figures.visits.records, figures.visits.count


Q1, Q2, YEAR = parse_period("2024Q1"), parse_period("2024Q2"), parse_period("2024")


@pytest.fixture
def store(url) -> Store:
    return Store(url)


def test_a_corrected_quarter_replaces_that_quarter_only_and_restore_brings_the_year_back(store):
    events, visits = year_rows(SCHOOL, 20)
    new_events, new_visits = corrected_q2(SCHOOL)
    assert store.import_bytes(book(events, visits), "2024年.xlsx").status == IMPORTED
    refused = store.import_bytes(book(new_events, new_visits), "二季度更正.xlsx")
    assert refused.status == REFUSED
    assert [(p.batch_id, p.unit, p.rows) for p in refused.parts] == [
        (1, SCHOOL, len(inside(events, Q2)) + len(inside(visits, Q2)))]
    assert shown(store, "2024") == counted(events, visits)

    result = store.import_bytes(book(new_events, new_visits), "二季度更正.xlsx", replace=True)
    assert result.status == IMPORTED and result.replaced == [1]
    corrected_year = (outside(events, Q2) + new_events, outside(visits, Q2) + new_visits)
    assert shown(store, "2024") == counted(*corrected_year)
    assert shown(store, "2024Q1") == counted(inside(events, Q1), inside(visits, Q1))
    assert shown(store, "2024Q2") == counted(new_events, new_visits)
    batches = store.batches().set_index("id")
    assert batches.loc[1, "state"] == "active" and batches.loc[1, "set_aside"] == "2024年第二季度已被第2批替换"
    listed = tables.batch_table(store.batches()).set_index("批次")
    assert listed.loc[1, "状态"] == "部分替换：2024年第二季度已被第2批替换" and listed.loc[2, "状态"] == "有效"

    restored = store.restore(1)
    assert restored.set_aside == (2,)
    assert shown(store, "2024") == counted(events, visits)
    assert dict(zip(store.batches()["id"], store.batches()["state"])) == {1: "active", 2: "replaced"}
    assert store.batches().set_index("id").loc[1, "set_aside"] == ""

    store.restore(2)  # batch 1 set it aside: an undo, the correction counts again
    assert shown(store, "2024") == counted(*corrected_year)


def test_replacing_one_units_quarter_never_sets_aside_another_units_rows(store):
    school, other = year_rows(SCHOOL, 20), year_rows(OTHER, 40)
    assert store.import_bytes(book(school[0] + other[0], school[1] + other[1]), "区汇总2024.xlsx").ok
    new_events, new_visits = corrected_q2(SCHOOL)
    result = store.import_bytes(book(new_events, new_visits), "红星二季度更正.xlsx", replace=True)
    assert result.status == IMPORTED and {p.unit for p in result.parts} == {SCHOOL}
    assert shown(store, "2024", [OTHER]) == counted(*other)
    assert shown(store, "2024", [SCHOOL]) == counted(outside(school[0], Q2) + new_events,
                                                     outside(school[1], Q2) + new_visits)
    assert store.batches().set_index("id").loc[1, "set_aside"] == f"{SCHOOL}2024年第二季度已被第2批替换"


@pytest.mark.parametrize("period_text, file_name, replaced", [
    ("2024年第二季度", "更正.xlsx", Q2), ("", "更正.xlsx", parse_period("2024-04")), ("2024年二季度", "更正.xlsx", Q2),
    ("2024Q2", "更正.xlsx", Q2), ("2024年第一季度", "更正.xlsx", parse_period("2024-04")),
    ("", "红星小学2024年二季度（更正）.xlsx", Q2),
    ("2024年4月", "红星小学2024年二季度（更正）.xlsx", parse_period("2024-04")),
    ("", "红星小学2024年一季度（更正）.xlsx", parse_period("2024-04")),
], ids=["declared", "natural", "short", "code", "declared-not-holding-its-dates", "file-name", "declared-first",
        "file-name-not-holding-its-dates"])
def test_a_file_covers_the_period_it_names_when_that_holds_its_dates_else_its_natural_one(store, period_text, file_name,
                                                                                          replaced):
    events, visits = year_rows(SCHOOL, 20)
    store.import_bytes(book(events, visits), "2024年.xlsx")
    april = [[dt.date(2024, 4, 25), "四月更正", "文体活动", 3, 0, SCHOOL]]
    store.import_bytes(book(april, [], period_text), file_name, replace=True)
    assert shown(store, "2024") == counted(outside(events, replaced) + april, outside(visits, replaced))


def test_the_figures_key_of_a_period_changes_when_its_rows_are_set_aside_or_brought_back(store):
    events, visits = year_rows(SCHOOL, 20)
    store.import_bytes(book(events, visits), "2024年.xlsx")
    keys = []

    def key() -> str:
        return figures_key(store.coverage(), {}, [YEAR], None)

    keys.append(key())
    store.import_bytes(book(*corrected_q2(SCHOOL)), "二季度更正.xlsx", replace=True)
    keys.append(key())
    store.restore(1)
    keys.append(key())
    store.restore(2)
    keys.append(key())
    assert keys[0] != keys[1] != keys[2]
    assert keys[2] == keys[0] and keys[3] == keys[1]  # the same rows counted: the same figures


def test_the_correction_story_through_the_command_line(url, tmp_path, capsys):
    events, visits = year_rows(SCHOOL, 20)
    new_events, new_visits = corrected_q2(SCHOOL)
    year_file = tmp_path / "2024年.xlsx"
    year_file.write_bytes(book(events, visits))
    q2_file = tmp_path / "二季度更正.xlsx"
    q2_file.write_bytes(book(new_events, new_visits))

    def run(*args) -> tuple[int, str, str]:
        code = cli.main([*map(str, args), "--db", url])
        out, err = capsys.readouterr()
        return code, out, err

    def year_figures() -> tuple[int, int, int]:
        figures = json.loads(run("stats", "--period", "2024", "--json")[1])
        return figures["events"]["participants"], figures["visits"]["records"], figures["visits"]["count"]

    assert run("import", year_file)[0] == 0
    rows = len(inside(events, Q2)) + len(inside(visits, Q2))
    code, _, err = run("import", q2_file)
    assert code == 1 and f"只替换第1批中{SCHOOL}2024年第二季度的{rows}行，其余照常计入" in err
    code, out, _ = run("import", q2_file, "--replace")
    assert code == 0 and f"替换了第1批中{SCHOOL}2024年第二季度的{rows}行" in out
    assert year_figures() == counted(outside(events, Q2) + new_events, outside(visits, Q2) + new_visits)
    listing = run("batches")[1].splitlines()
    assert listing[1].startswith("1  2024年.xlsx") and listing[1].endswith("部分替换：2024年第二季度已被第2批替换")
    assert run("restore", 1)[0] == 0
    assert year_figures() == counted(events, visits)
    assert run("batches")[1].splitlines()[2].endswith("已被替换（被第1批替换）")


def test_the_correction_story_on_data_management(url, tmp_path, monkeypatch):
    """Said beforehand, imported, shown as a partial replacement, restored: the figures right at each step."""
    monkeypatch.setenv("UNIONSTATS_DB", url)
    monkeypatch.setattr(signin, "client_address", lambda: "127.0.0.1")
    store = Store(url)
    assert store.import_path(ROOT / "data" / "sample.xlsx", actor=operator("示例数据")).ok
    events, visits = year_rows(SCHOOL, 20)
    assert store.import_bytes(book(events, visits), "2024年.xlsx").ok
    new_events, new_visits = corrected_q2(SCHOOL)
    upload = write_workbook(tmp_path / "二季度更正.xlsx",
                            {"活动": [EVENT_HEAD, *new_events], "慰问": [VISIT_HEAD, *new_visits]})

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.switch_page("pages/7_数据管理.py")
    at.run()
    at.file_uploader(key="upload").set_value((upload.name, upload.read_bytes(), XLSX)).run()
    rows = len(inside(events, Q2)) + len(inside(visits, Q2))
    [notice] = [w.value.replace("\\", "") for w in at.warning if "本文件覆盖" in w.value]
    assert notice.startswith(f"本文件覆盖{SCHOOL}2024年第二季度，已导入的数据中这一期间已有{rows}行")
    assert f"只替换第2批中{SCHOOL}2024年第二季度的{rows}行" in notice
    [figures] = [d.value for d in at.dataframe if "替换后" in d.value.columns]
    before, after = counted(inside(events, Q2), inside(visits, Q2)), counted(new_events, new_visits)
    shown_figures = figures.set_index("指标")
    assert shown_figures.loc["参与人次", "现在"] == f"{before[0]}人次"
    assert shown_figures.loc["参与人次", "替换后"] == f"{after[0]}人次"
    assert shown_figures.loc["慰问人次", ["现在", "替换后"]].tolist() == [f"{before[2]}人次", f"{after[2]}人次"]
    assert len(store.batches()) == 2  # only said, nothing stored

    [box] = [c for c in at.checkbox if c.label.startswith("如与已导入的批次重叠")]
    box.check().run()
    [b for b in at.button if b.label == "导入"][0].click().run()
    assert shown(store, "2024", [SCHOOL]) == counted(outside(events, Q2) + new_events,
                                                     outside(visits, Q2) + new_visits)
    at.switch_page("pages/7_数据管理.py").run()
    assert listed(at)[2] == "部分替换：2024年第二季度已被第3批替换" and listed(at)[3] == "有效"

    at.selectbox[0].select(2).run()
    [b for b in at.button if b.label == "恢复该批次"][0].click().run()
    assert not at.error
    assert shown(store, "2024", [SCHOOL]) == counted(events, visits)
    at.switch_page("pages/7_数据管理.py").run()
    assert listed(at)[2] == "有效" and listed(at)[3] == "已被替换（被第2批替换）"


def listed(at: AppTest) -> dict[int, str]:
    """The batch list's 状态 by batch."""
    [listing] = [d.value for d in at.dataframe if "状态" in d.value.columns and "批次" in d.value.columns]
    return dict(zip(listing["批次"], listing["状态"]))


@pytest.mark.parametrize("text, code", [
    ("2024年第二季度", "2024Q2"), ("2024年二季度", "2024Q2"), (" 2024 年 第 三 季度 ", "2024Q3"),
    ("2024年第4季度", "2024Q4"), ("2024年度", "2024"), ("2024全年", "2024"), ("2024", "2024"),
    ("2024年上半年", "2024H1"), ("2024年下半年", "2024H2"),
    ("2024年5月", "2024-05"), ("2024年十二月份", "2024-12"), ("2024Q2", "2024Q2"), ("2024-01-01..2024-03-31", "2024Q1"),
    ("2024年第5季度", None), ("2024年13月", None), ("二季度", None), ("2024年—2025年", None), ("", None),
])
def test_a_declared_period_is_read_as_offices_write_it(text, code):
    assert written_period(text) == (parse_period(code) if code else None)


@pytest.mark.parametrize("name, code", [
    ("试验站2025年二季度（更正）", "2025Q2"), ("红星小学2024年第二季度更正", "2024Q2"), ("2024Q1", "2024Q1"),
    ("某局2024年上半年", "2024H1"), ("2024H2汇总", "2024H2"), ("2024年4-6月", "2024Q2"), ("2024年1至6月", "2024H1"),
    ("2024年5月慰问", "2024-05"), ("2024年度总结", "2024"), ("红星小学2024年全年", "2024"),
    ("红星小学2024年", None), ("2024", None), ("更正", None), ("2024年6-4月", None),
])
def test_a_period_is_found_in_a_file_name_as_offices_write_it(name, code):
    assert written_period(name, whole=False) == (parse_period(code) if code else None)


def test_deleting_a_correction_says_which_batch_to_restore_to_count_its_rows_again(store):
    events, visits = year_rows(SCHOOL, 20)
    store.import_bytes(book(events, visits), "2024年.xlsx")
    store.import_bytes(book(*corrected_q2(SCHOOL)), "二季度更正.xlsx", replace=True)
    deleted = store.delete(2)
    assert deleted.replaced == (1,)
    assert wording.outcome_text(deleted, wording.COMMAND_LINE) == (
        "已删除第2批（二季度更正.xlsx）；它保留在历史中，可用 restore 2 恢复。"
        "被它替换的第1批中的数据仍不计入；如需重新计入，可用 restore 1 恢复")
    assert shown(store, "2024") == counted(outside(events, Q2), outside(visits, Q2))
    store.restore(1)
    assert shown(store, "2024") == counted(events, visits)
    assert store.delete(1).replaced == ()


def test_rows_on_the_first_and_last_day_of_the_replaced_period_are_replaced(store):
    events, visits = year_rows(SCHOOL, 20)
    edges = [[dt.date(2024, 3, 31), "三月末", "文体活动", 1, 0, SCHOOL],
             [dt.date(2024, 4, 1), "四月初", "文体活动", 2, 0, SCHOOL],
             [dt.date(2024, 6, 30), "六月末", "文体活动", 4, 0, SCHOOL],
             [dt.date(2024, 7, 1), "七月初", "文体活动", 8, 0, SCHOOL]]
    store.import_bytes(book(events + edges, visits), "2024年.xlsx")
    new_events, new_visits = corrected_q2(SCHOOL)
    store.import_bytes(book(new_events, new_visits), "红星小学2024年二季度（更正）.xlsx", replace=True)
    assert shown(store, "2024") == counted(outside(events + edges, Q2) + new_events, outside(visits, Q2) + new_visits)
    assert shown(store, "2024Q2") == counted(new_events, new_visits)


def test_the_batch_list_names_each_replacement_of_a_batch_of_several_units(store):
    store.import_bytes(book(*year_rows("先导单位", 5)), "先导单位2024年.xlsx")  # so the district batch is not batch 1
    school, other = year_rows(SCHOOL, 20), year_rows(OTHER, 40)
    store.import_bytes(book(school[0] + other[0], school[1] + other[1]), "区汇总2024年.xlsx")
    both_q2 = corrected_q2(SCHOOL), corrected_q2(OTHER)
    store.import_bytes(book(both_q2[0][0] + both_q2[1][0], both_q2[0][1] + both_q2[1][1]), "区汇总2024年二季度.xlsx",
                       replace=True)
    q3 = [[dt.date(2024, 8, 1), "八月更正", "文体活动", 9, 0, SCHOOL]]
    store.import_bytes(book(q3, []), "红星小学2024年三季度.xlsx", replace=True)
    said = store.batches().set_index("id")["set_aside"].to_dict()
    assert said == {1: "", 2: f"{SCHOOL}、{OTHER}2024年第二季度已被第3批替换；{SCHOOL}2024年第三季度已被第4批替换",
                    3: "", 4: ""}
    q3_period = parse_period("2024Q3")
    assert shown(store, "2024", [OTHER]) == counted(outside(other[0], Q2) + both_q2[1][0],
                                                    outside(other[1], Q2) + both_q2[1][1])
    assert shown(store, "2024", [SCHOOL]) == counted(
        [r for r in outside(school[0], Q2) if not q3_period.start <= r[0] <= q3_period.end] + both_q2[0][0] + q3,
        [r for r in outside(school[1], Q2) if not q3_period.start <= r[0] <= q3_period.end] + both_q2[0][1])


def test_deleting_a_correction_names_only_the_batches_it_replaced(store):
    store.import_bytes(book(*year_rows(SCHOOL, 20)), "红星小学2024年.xlsx")
    store.import_bytes(book(*year_rows(OTHER, 40)), "蓝天中学2024年.xlsx")
    store.import_bytes(book(*corrected_q2(SCHOOL)), "红星小学2024年二季度.xlsx", replace=True)
    store.import_bytes(book(*corrected_q2(OTHER)), "蓝天中学2024年二季度.xlsx", replace=True)
    whole = [[dt.date(2024, m, 3), "全年重报", "文体活动", 1, 0, OTHER] for m in (1, 12)]
    store.import_bytes(book(whole, []), "蓝天中学2024年度重报.xlsx", replace=True)  # replaces batches 2 and 4 whole
    assert dict(zip(store.batches()["id"], store.batches()["state"])) == {
        1: "active", 2: "replaced", 3: "active", 4: "replaced", 5: "active"}
    assert store.delete(3).replaced == (1,)
    assert store.delete(5).replaced == (2, 4)
