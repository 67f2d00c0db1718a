"""The sample never counts beside real data: set aside by the first real import (in its transaction, recorded),
refused on restore while real data is active, set aside when a real batch comes back, and in a store that
already held both, set aside when it opens.

Stores: the bundled sample (as a new store gets it), then the seed workbooks (a research institute's 2008 with
单位信息, a school's 2004 that names no unit) and a primary school's quarter of 2024, a year the sample covers.
"""

import datetime as dt

import openpyxl
import pytest
import sqlalchemy as sa
from seeds import INSTITUTE, SCHOOL
from workbooks import workbook_bytes

from conftest import ROOT
from unionstats.contract.periods import parse_period
from unionstats.figures import engine as stats
from unionstats.store import audit, database
from unionstats.store.access import REPORTER, Actor, operator
from unionstats.store.batches import Store
from unionstats.store.outcomes import IMPORTED, INVALID, UNCHANGED, SampleBesideRealData
from unionstats.store.sample import SAMPLE, SAMPLE_USER
from unionstats.writing import wording

CLI_WORDS = wording.COMMAND_LINE
ADMIN = operator("李会计")
HONGXING = "红星小学"
# 红星小学's first quarter of 2024: (date, activity, participants, yuan)
HONGXING_Q1 = [(dt.date(2024, 1, 10), "新春联欢", 60, 1200), (dt.date(2024, 3, 8), "三八健步走", 35, 700),
               (dt.date(2024, 3, 20), "读书会", 12, 0)]


def hongxing_q1() -> bytes:
    rows = [["日期", "活动名称", "类别", "参与人次", "支出"], *[[d, n, "文体活动", p, y] for d, n, p, y in HONGXING_Q1]]
    return workbook_bytes({"活动": rows, "单位信息": [["单位名称", HONGXING], ["会员人数", 80]]})


def sample_events(year: int, months: range) -> list[tuple]:
    book = openpyxl.load_workbook(SAMPLE, read_only=True)
    return [r for r in book["活动"].iter_rows(min_row=2, values_only=True)
            if r[0] and r[0].year == year and r[0].month in months]


@pytest.fixture
def store(url) -> Store:
    """A new store as the app makes it: the sample, batch 1."""
    store = Store(url)
    store.ensure_sample()
    assert store.sample_batches() == [1]
    return store


def states(store: Store) -> dict[int, str]:
    batches = store.batches()
    return dict(zip(batches["id"], batches["state"]))


def test_the_first_real_import_sets_the_sample_aside_and_no_figure_mixes_them(store):
    assert sample_events(2024, range(1, 4))  # the sample holds activities in the quarter imported below
    result = store.import_bytes(hongxing_q1(), "红星一季度.xlsx", actor=ADMIN)
    assert result.status == IMPORTED and result.sample_set_aside == (1,)
    assert states(store) == {1: "deleted", 2: "active"} and store.sample_batches() == []
    shown = stats.figures(store.dataset(), parse_period("2024Q1"))
    assert shown.units == [HONGXING]
    assert (shown.events.count, shown.events.participants) == (len(HONGXING_Q1), sum(p for _, _, p, _ in HONGXING_Q1))
    trail = store.audit_trail(ADMIN)
    [aside] = trail[trail["action"] == "delete"].itertuples()
    assert (aside.actor, aside.batch_id, aside.file_name, aside.units) == ("李会计", 1, "sample.xlsx",
                                                                           "江城市农业科学研究所工会")
    assert "导入第2批时" in aside.detail and "示例数据" in aside.detail


def test_the_outcome_says_the_sample_was_set_aside_and_how_to_bring_it_back(store):
    result = store.import_bytes(hongxing_q1(), "红星一季度.xlsx", actor=ADMIN)
    typed = wording.import_text(result, wording.COMMAND_LINE)
    clicked = wording.import_text(result, wording.WEB)
    assert typed.startswith("红星一季度.xlsx：已导入为第2批，活动 3 行")
    assert typed.endswith("；示例数据（第1批）已移出统计，以免与导入的数据混在一起；它保留在历史中，"
                          "删除导入的全部批次后，可用 restore 1 恢复")
    assert clicked.endswith("删除导入的全部批次后，可在“已导入的批次”中选择第1批后点“恢复该批次”")
    assert "restore" not in clicked


def test_the_set_aside_is_part_of_the_import_transaction(store, monkeypatch):
    real = audit.record

    def failing(connection, actor, action, **fields):
        if action == "delete":
            raise RuntimeError("the database went away")
        real(connection, actor, action, **fields)

    monkeypatch.setattr(audit, "record", failing)
    with pytest.raises(RuntimeError):
        store.import_bytes(hongxing_q1(), "红星一季度.xlsx", actor=ADMIN)
    assert states(store) == {1: "active"}


def test_an_import_that_stores_nothing_leaves_the_sample(store, tmp_path):
    bad = workbook_bytes({"活动": [["日期", "活动名称", "参与人次"], ["下周三", "春游", 30]]})
    assert store.import_bytes(bad, "坏.xlsx", actor=ADMIN).status == INVALID
    again = store.import_path(SAMPLE, actor=ADMIN)
    assert again.status == UNCHANGED and again.sample_set_aside == ()
    assert states(store) == {1: "active"}


def test_a_reporter_sets_the_sample_aside_too(store):
    reporter = Actor("王填报", REPORTER, units=(HONGXING,))
    assert store.import_bytes(hongxing_q1(), "红星一季度.xlsx", actor=reporter).sample_set_aside == (1,)
    deletes = store.audit_trail(ADMIN, action="delete")
    assert list(zip(deletes["actor"], deletes["batch_id"])) == [("王填报", 1)]


def test_a_real_workbook_of_the_sample_unit_and_dates_is_not_refused_over_the_sample(store):
    [first] = sample_events(2025, range(5, 6))[:1]
    rows = [["日期", "活动名称", "参与人次"], [first[0], "更正后的活动", 7]]
    data = workbook_bytes({"活动": rows, "单位信息": [["单位名称", "江城市农业科学研究所工会"]]})
    result = store.import_bytes(data, "本所五月.xlsx", actor=ADMIN)
    assert (result.status, result.replaced, result.sample_set_aside) == (IMPORTED, [], (1,))
    assert store.dataset().events["participants"].tolist() == [7]


def test_the_sample_is_not_restored_beside_real_data(store):
    seeds = [("institute_2008.xlsx", INSTITUTE), ("school_2004.xlsx", SCHOOL)]
    for name, sheets in seeds:
        named = "三山学校" if name.startswith("school") else ""  # the school's workbook names no unit
        assert store.import_bytes(workbook_bytes(sheets), name, actor=ADMIN, unit_name=named).status == IMPORTED
    units = set(store.dataset().events["unit"])
    assert units == {"某研究所", "三山学校"}
    with pytest.raises(SampleBesideRealData) as refused:
        store.restore(1, actor=ADMIN)
    assert refused.value.real == [2, 3]
    assert wording.error_text(refused.value, CLI_WORDS) == (
        "第1批是示例数据，不能与导入的数据（第2、3批，有效）同时计入统计，否则数字会混在一起，未恢复。"
        "如要重新查看示例数据，请先删除这些批次，再恢复第1批")
    with pytest.raises(SampleBesideRealData):
        store.restore(1, replace=True, actor=ADMIN)
    assert states(store) == {1: "deleted", 2: "active", 3: "active"}
    assert set(store.dataset().events["unit"]) == units


def test_the_sample_comes_back_once_nothing_else_counts_and_steps_aside_for_a_real_batch(store):
    store.import_bytes(hongxing_q1(), "红星一季度.xlsx", actor=ADMIN)
    store.delete(2, actor=ADMIN)
    assert store.restore(1, actor=ADMIN).sample_set_aside == ()
    assert states(store) == {1: "active", 2: "deleted"}
    back = store.restore(2, actor=ADMIN)
    assert back.sample_set_aside == (1,) and states(store) == {1: "deleted", 2: "active"}
    assert "示例数据（第1批）已移出统计" in wording.outcome_text(back, wording.WEB)
    assert set(store.dataset().events["unit"]) == {HONGXING}
    deletes = store.audit_trail(ADMIN, action="delete")
    assert [d for d in deletes["detail"] if "恢复第2批时" in d]


def test_the_sample_is_not_imported_beside_real_data(store):
    store.import_bytes(hongxing_q1(), "红星一季度.xlsx", actor=ADMIN)
    more = workbook_bytes({"活动": [["日期", "活动名称", "参与人次"], [dt.date(2026, 1, 5), "示例活动", 9]],
                           "单位信息": [["单位名称", "江城市农业科学研究所工会"]]})
    with pytest.raises(SampleBesideRealData) as refused:
        store.import_bytes(more, "示例二.xlsx", user=SAMPLE_USER)
    said = wording.error_text(refused.value, CLI_WORDS)
    assert said.startswith("示例数据不能与导入的数据（第2批，有效）同时计入统计") and said.endswith("未导入")
    assert states(store) == {1: "deleted", 2: "active"}


def test_a_store_that_already_mixes_them_sets_the_sample_aside_when_it_opens(store):
    store.import_bytes(hongxing_q1(), "红星一季度.xlsx", actor=ADMIN)
    with store.engine.begin() as connection:  # as an earlier unionstats left it: the sample still active
        connection.execute(sa.update(database.batches).where(database.batches.c.id == 1).values(state="active"))
    opened = Store(store.url)
    assert states(opened) == {1: "deleted", 2: "active"}
    assert set(opened.dataset().events["unit"]) == {HONGXING}
    def set_aside_on_opening() -> list[int]:
        deletes = opened.audit_trail(ADMIN, action="delete")
        return deletes.loc[deletes["detail"].str.contains("打开数据库时"), "batch_id"].tolist()

    assert set_aside_on_opening() == [1]
    Store(store.url)
    assert set_aside_on_opening() == [1]  # once


def test_the_sample_file_is_the_bundled_one():
    assert SAMPLE == ROOT / "data" / "sample.xlsx" and SAMPLE.exists()
