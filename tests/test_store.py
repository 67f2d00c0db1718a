import datetime as dt
import multiprocessing
import re
import shutil
import threading
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from workbooks import workbook_bytes

from unionstats.contract import registry, schema
from unionstats.contract.periods import parse_period
from unionstats.figures import engine as stats
from unionstats.figures.cache import figures_key
from unionstats.kinds import events as events_kind
from unionstats.store import batches as store_module
from unionstats.store import database, importing
from unionstats.store import rows as rows_module
from unionstats.store.batches import IMPORTED, INVALID, REFUSED, UNCHANGED, ImportResult, Store, StoreError
from unionstats.writing import wording

REPLACE_HINT = "如果这是更正后的文件，请加 --replace 重新导入，替换这些批次；被替换的批次保留在历史中，可随时恢复"


def said(outcome) -> str:
    """An outcome as the command line words it."""
    return wording.outcome_text(outcome, wording.COMMAND_LINE)

HEAD = ["日期", "活动名称", "类别", "参与人次", "支出"]
INFO = {"单位信息": [["单位名称", "机关工会"], ["会员人数", 120]]}


def quarter(q: int, participants: int = 10, unit_info: dict = INFO) -> bytes:
    month = 3 * q - 2
    rows = [[f"2024-{month:02d}-0{d}", f"活动{q}-{d}", "文体活动", participants * d, 100.5 * d] for d in (1, 2, 3)]
    visits = [["日期", "事由", "人次", "金额"], [f"2024-{month:02d}-15", "住院", q, 500]]
    return workbook_bytes({"活动": [HEAD, *rows], "慰问": visits, **unit_info})


def expected_participants(*quarters: tuple[int, int]) -> int:
    return sum(p * d for _, p in quarters for d in (1, 2, 3))


@pytest.fixture
def store(url) -> Store:
    return Store(url)


def participants(store: Store) -> int:
    return int(store.dataset().events["participants"].sum())


def states(store: Store) -> dict[int, str]:
    return dict(zip(store.batches()["id"], store.batches()["state"]))


def test_a_year_of_quarters_with_a_mistake_a_correction_and_an_undo(store):
    for q in (1, 2, 3, 4):
        assert store.import_bytes(quarter(q), f"2024Q{q}.xlsx").status == IMPORTED
    year = expected_participants((1, 10), (2, 10), (3, 10), (4, 10))
    assert participants(store) == year

    again = store.import_bytes(quarter(2), "二季度（副本）.xlsx")
    assert again.status == UNCHANGED and "第2批" in said(again)
    assert participants(store) == year

    corrected = quarter(2, participants=11)
    refused = store.import_bytes(corrected, "2024Q2更正.xlsx")
    assert refused.status == REFUSED and "第2批" in said(refused) and "--replace" in said(refused)
    assert participants(store) == year

    replaced = store.import_bytes(corrected, "2024Q2更正.xlsx", replace=True)
    assert replaced.status == IMPORTED and replaced.replaced == [2]
    assert participants(store) == expected_participants((1, 10), (2, 11), (3, 10), (4, 10))
    assert states(store)[2] == database.REPLACED

    store.restore(2)
    assert participants(store) == year
    assert states(store) == {1: "active", 2: "active", 3: "active", 4: "active", 5: "replaced"}


def test_delete_and_restore_keep_history(store):
    store.import_bytes(quarter(1), "q1.xlsx")
    store.import_bytes(quarter(2), "q2.xlsx")
    assert "restore 1" in said(store.delete(1))
    assert participants(store) == expected_participants((2, 10))
    assert states(store) == {1: "deleted", 2: "active"}
    again = store.import_bytes(quarter(1), "q1.xlsx")
    assert again.status == UNCHANGED and "恢复第1批" in said(again)
    store.restore(1)
    assert participants(store) == expected_participants((1, 10), (2, 10))


def test_active_batches_by_importer_and_an_empty_store(store):
    assert store.is_empty() and store.active_batch_ids() == []
    store.import_bytes(quarter(1), "q1.xlsx", user="示例数据")
    store.import_bytes(quarter(3), "q3.xlsx", user="示例数据")
    store.delete(2)
    assert store.active_batch_ids() == [1] and store.active_batch_ids(imported_by="示例数据") == [1]
    store.import_bytes(quarter(2), "q2.xlsx", user="李会计")  # sets the sample aside
    assert store.active_batch_ids() == [3] and store.active_batch_ids(imported_by="示例数据") == []
    assert not store.is_empty()
    store.delete(3)
    assert not store.is_empty() and store.active_batch_ids() == []


def view_state(store: Store, period: str, units: list[str] | None) -> tuple[str, dict]:
    dataset = store.dataset()
    key = figures_key(store.coverage(), dataset.members(), [parse_period(period)], units)
    return key, stats.period_figures(dataset, parse_period(period), units).to_json()


def test_the_figures_key_moves_exactly_when_a_change_touches_the_view(store):
    youth = {"单位信息": [["单位名称", "团委"], ["会员人数", 30]]}
    more_members = {"单位信息": [["单位名称", "机关工会"], ["会员人数", 150]]}
    store.import_bytes(quarter(1), "q1.xlsx")
    store.import_bytes(quarter(2), "q2.xlsx")
    views = {"Q1": ("2024Q1", None), "Q2": ("2024Q2", None), "Q1 机关": ("2024Q1", ["机关工会"]),
             "Q2 团委": ("2024Q2", ["团委"]), "year": ("2024", None)}
    steps = [  # (the change, the views it touches)
        (lambda: store.import_bytes(quarter(2, unit_info=youth), "团委q2.xlsx"), {"Q2", "Q2 团委", "year"}),
        (lambda: store.import_bytes(quarter(1, 99), "q1改.xlsx", replace=True), {"Q1", "Q1 机关", "year"}),
        (lambda: store.delete(4), {"Q1", "Q1 机关", "year"}),
        (lambda: store.restore(1), {"Q1", "Q1 机关", "year"}),
        (lambda: store.import_bytes(quarter(3, unit_info=more_members), "q3.xlsx"), {"Q1", "Q2", "Q1 机关", "year"}),
    ]
    before = {name: view_state(store, *view) for name, view in views.items()}
    for change, touched in steps:
        change()
        after = {name: view_state(store, *view) for name, view in views.items()}
        assert {name for name in views if after[name][0] != before[name][0]} == touched
        assert all(after[name][1] == before[name][1] for name in views if name not in touched)
        before = after


def test_restoring_over_another_batch_needs_replace(store):
    store.import_bytes(quarter(1), "q1.xlsx")
    store.delete(1)
    store.import_bytes(quarter(1, participants=7), "q1-new.xlsx")
    with pytest.raises(StoreError, match="第2批"):
        store.restore(1)
    store.restore(1, replace=True)
    assert participants(store) == expected_participants((1, 10))


def test_unknown_batches_are_named_in_the_message(store):
    with pytest.raises(StoreError, match="没有第9批"):
        store.delete(9)


def test_a_file_with_errors_is_not_stored_unless_bad_rows_are_skipped(store):
    rows = [HEAD, ["2024-01-01", "好", "文体活动", 5, 0], ["2024-01-02", "坏", "文体活动", -1, 0]]
    bad = workbook_bytes({"活动": rows, **INFO})
    refused = store.import_bytes(bad, "bad.xlsx")
    assert refused.status == INVALID and "第3行" in said(refused) and "参与人次" in said(refused)
    assert store.batches().empty
    result = store.import_bytes(bad, "bad.xlsx", skip_bad_rows=True)
    assert result.status == IMPORTED and "跳过有错误的 1 行" in said(result)
    assert participants(store) == 5
    [issue] = store.batch_issues(result.batch_id).to_dict("records")
    assert (issue["level"], issue["row"], issue["column"], issue["value"]) == ("error", 3, "参与人次", "-1")


def test_an_unreadable_file_stores_nothing(store):
    result = store.import_bytes(b"not a workbook", "x.xlsx")
    assert result.status == INVALID and "另存为 .xlsx" in said(result)
    assert store.batches().empty


def test_a_failure_in_the_middle_of_an_import_leaves_the_store_as_it_was(store, monkeypatch):
    store.import_bytes(quarter(1), "q1.xlsx")
    before = (store.batches().to_dict("records"), store.dataset().events.to_dict("records"))
    real = rows_module.frame_records

    def fail_on_visits(sheet, frame, batch_id):
        if sheet.key == "visits":
            raise RuntimeError("disk full")
        return real(sheet, frame, batch_id)

    monkeypatch.setattr(rows_module, "frame_records", fail_on_visits)
    with pytest.raises(RuntimeError):
        store.import_bytes(quarter(2), "q2.xlsx")
    monkeypatch.undo()
    assert (store.batches().to_dict("records"), store.dataset().events.to_dict("records")) == before
    assert store.import_bytes(quarter(2), "q2.xlsx").status == IMPORTED


def test_stored_rows_come_back_as_the_file_gave_them(store):
    from unionstats.intake.loading import load_bytes

    data = quarter(3)
    store.import_bytes(data, "q3.xlsx")
    loaded, stored = load_bytes(data, "q3.xlsx"), store.dataset()
    for key in ("events", "visits", "donations", "competitions"):
        assert stored.frame(key).to_dict("records") == loaded.frame(key).to_dict("records"), key
        assert stored.frame(key).dtypes.to_dict() == loaded.frame(key).dtypes.to_dict(), key
    assert stored.members() == {"机关工会": 120}


def test_threads_importing_at_once_never_double_count(url):
    stores = [Store(url) for _ in range(6)]
    data = [quarter(1), quarter(1), quarter(1, participants=9), quarter(2), quarter(2), quarter(1)]
    results = [None] * len(stores)

    def run(index):
        results[index] = stores[index].import_bytes(data[index], f"f{index}.xlsx")

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(stores))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = sorted(r.status for r in results)
    assert statuses.count(IMPORTED) == 2, [said(r) for r in results]
    batches = stores[0].batches()
    assert (batches["state"] == "active").sum() == 2
    total = participants(stores[0])
    assert total in (expected_participants((1, 10), (2, 10)), expected_participants((1, 9), (2, 10)))


def import_in_process(url: str, data: bytes, name: str, queue) -> None:
    queue.put(Store(url).import_bytes(data, name).status)


def test_processes_importing_the_same_file_store_it_once(url):
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    data = quarter(4)
    processes = [context.Process(target=import_in_process, args=(url, data, f"p{i}.xlsx", queue)) for i in range(4)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(120)
    statuses = sorted(queue.get(timeout=5) for _ in processes)
    assert statuses == [IMPORTED, UNCHANGED, UNCHANGED, UNCHANGED]
    assert participants(Store(url)) == expected_participants((4, 10))


def test_the_default_store_lives_in_data_and_the_environment_can_move_it(monkeypatch):
    monkeypatch.delenv("UNIONSTATS_DB", raising=False)
    assert store_module.resolve_url().endswith("data/unionstats.db")
    monkeypatch.setenv("UNIONSTATS_DB", "sqlite:////tmp/elsewhere.db")
    assert store_module.resolve_url() == "sqlite:////tmp/elsewhere.db"
    assert store_module.resolve_url("postgresql://x/y") == "postgresql://x/y"


# Several units, and periods that touch: the overlap check, replace and restore.

UNIT_HEAD = ["日期", "活动名称", "类别", "参与人次", "支出", "单位"]
JG, YF, EF = "机关工会", "一分会", "二分会"


def events(unit: str, first: str, last: str, *, participants: int = 10, tag: str = "") -> list[tuple]:
    """Event rows of one unit: one on the first day, one on the last day and one between, with awkward money."""
    middle = (dt.date.fromisoformat(first) + (dt.date.fromisoformat(last) - dt.date.fromisoformat(first)) / 2)
    days = [first, middle.isoformat(), last]
    money = ["0.1", "0.36", "12345.67"]
    return [(day, unit, participants + i, money[i], f"{unit}{tag}活动{i}") for i, day in enumerate(days)]


def book_rows(rows: list[tuple], wan: bool = False) -> list[list]:
    """An 活动 sheet of event rows (date, unit, participants, yuan as text, name); `wan` writes the money in 万元."""
    head = UNIT_HEAD[:4] + ["支出（万元）" if wan else "支出", "单位"]
    return [head] + [[day, name, "文体活动", people, float(Decimal(yuan) / 10_000) if wan else float(yuan), unit]
                     for day, unit, people, yuan, name in rows]


def book(rows: list[tuple], wan: bool = False) -> bytes:
    return workbook_bytes({"活动": book_rows(rows, wan)})


def stored_rows(store: Store) -> list[tuple]:
    """The active events as (date, unit, participants, yuan), sorted: a multiset a double count would change."""
    frame = store.dataset().events
    return sorted(zip((d.date() for d in frame["date"]), frame["unit"], frame["participants"].tolist(),
                      frame["spending"].tolist()))


def expected_rows(*batches: list[tuple]) -> list[tuple]:
    return sorted((dt.date.fromisoformat(day), unit, people, float(Decimal(yuan)))
                  for rows in batches for day, unit, people, yuan, _ in rows)


def fen(rows: list[tuple]) -> int:
    return sum(int(Decimal(yuan) * 100) for *_, yuan, _ in rows)


def assert_figures_are(store: Store, *batches: list[tuple]) -> None:
    """Rows, participants and spending of the store equal those of the input rows, computed here from the input."""
    rows = [r for b in batches for r in b]
    frame = store.dataset().events
    assert stored_rows(store) == expected_rows(*batches)
    assert len(frame) == len(rows)
    assert int(frame["participants"].sum()) == sum(r[2] for r in rows)
    assert sum(round(s * 100) for s in frame["spending"]) == fen(rows)
    by_day = frame.groupby(frame["date"].dt.date).size().to_dict()
    assert by_day == dict(Counter(dt.date.fromisoformat(r[0]) for r in rows))


def test_two_units_importing_the_same_quarter_do_not_overlap(store):
    jg, yf = events(JG, "2024-01-01", "2024-03-31"), events(YF, "2024-01-01", "2024-03-31")
    assert store.import_bytes(book(jg), "机关.xlsx").status == IMPORTED
    second = store.import_bytes(book(yf), "一分会.xlsx")
    assert second.status == IMPORTED and second.replaced == []
    assert states(store) == {1: "active", 2: "active"}
    assert_figures_are(store, jg, yf)


@pytest.mark.parametrize("first, second", [
    (("2024-01-01", "2024-03-31"), ("2024-03-31", "2024-06-30")),  # the new batch starts on the stored last day
    (("2024-03-31", "2024-06-30"), ("2024-01-01", "2024-03-31")),  # the new batch ends on the stored first day
    (("2024-03-31", "2024-03-31"), ("2024-03-31", "2024-03-31")),  # both are that one day
], ids=["starts-on-last-day", "ends-on-first-day", "one-day"])
def test_one_shared_boundary_day_is_an_overlap_and_is_refused_without_replace(store, first, second):
    a, b = events(JG, *first, tag="A"), events(JG, *second, tag="B")
    assert store.import_bytes(book(a), "a.xlsx").status == IMPORTED
    refused = store.import_bytes(book(b), "b.xlsx")
    assert refused.status == REFUSED and "第1批" in said(refused) and "--replace" in said(refused)
    assert states(store) == {1: "active"}
    assert_figures_are(store, a)


def test_the_boundary_day_may_come_from_any_sheet(store):
    a = events(JG, "2024-01-01", "2024-03-30", tag="A")
    visit = [["日期", "事由", "人次", "金额", "单位"], ["2024-03-31", "住院", 1, 0.36, JG]]
    store.import_bytes(workbook_bytes({"活动": book_rows(a), "慰问": visit}), "a.xlsx")
    refused = store.import_bytes(book(events(JG, "2024-03-31", "2024-06-30", tag="B")), "b.xlsx")
    assert refused.status == REFUSED and "第1批" in said(refused)


@pytest.mark.parametrize("order", ["earlier-first", "later-first"])
def test_adjacent_periods_that_share_no_day_do_not_overlap(store, order):
    q1, q2 = events(JG, "2024-01-01", "2024-03-31"), events(JG, "2024-04-01", "2024-06-30")
    for rows in ([q1, q2] if order == "earlier-first" else [q2, q1]):
        result = store.import_bytes(book(rows), f"{rows[0][0]}.xlsx")
        assert result.status == IMPORTED and result.replaced == [], said(result)
    assert states(store) == {1: "active", 2: "active"}
    assert_figures_are(store, q1, q2)


def test_replace_sets_aside_only_the_batches_of_the_overlapping_unit(store):
    jg_q1, yf_q1 = events(JG, "2024-01-01", "2024-03-31"), events(YF, "2024-01-01", "2024-03-31")
    jg_q2, ef_q2 = events(JG, "2024-04-01", "2024-06-30"), events(EF, "2024-03-31", "2024-06-30")
    for i, rows in enumerate((jg_q1, yf_q1, jg_q2, ef_q2)):
        assert store.import_bytes(book(rows), f"{i}.xlsx").status == IMPORTED
    corrected = events(JG, "2024-01-01", "2024-03-31", participants=20, tag="更正")
    refused = store.import_bytes(book(corrected), "机关更正.xlsx")
    assert refused.status == REFUSED and "第1批" in said(refused)
    assert not any(f"第{i}批" in said(refused) for i in (2, 3, 4))
    result = store.import_bytes(book(corrected), "机关更正.xlsx", replace=True)
    assert result.status == IMPORTED and result.replaced == [1]
    assert states(store) == {1: "replaced", 2: "active", 3: "active", 4: "active", 5: "active"}
    assert_figures_are(store, corrected, yf_q1, jg_q2, ef_q2)


@pytest.mark.parametrize("wan", [False, True], ids=["yuan", "wan-yuan"])
def test_after_replace_the_figures_are_the_new_batchs_and_the_boundary_day_counts_once(store, wan):
    a = events(JG, "2024-01-01", "2024-03-31", tag="A") + [("2024-03-31", JG, 7, "0.01", "A月末")]
    b = events(JG, "2024-03-31", "2024-06-30", participants=3, tag="B") + [("2024-03-31", JG, 5, "99999.99", "B月末")]
    other = events(YF, "2024-03-31", "2024-04-01", tag="Y")
    store.import_bytes(book(a, wan), "a.xlsx")
    store.import_bytes(book(other, wan), "y.xlsx")
    assert store.import_bytes(book(b, wan), "b.xlsx").status == REFUSED
    result = store.import_bytes(book(b, wan), "b.xlsx", replace=True)
    assert result.status == IMPORTED and result.replaced == [1]
    assert_figures_are(store, b, other)
    stored = store.dataset().events
    march_31 = stored[(stored["unit"] == JG) & (stored["date"] == pd.Timestamp("2024-03-31"))]
    assert sorted(march_31["participants"]) == sorted(r[2] for r in b if r[0] == "2024-03-31")
    figures = stats.figures(store.dataset(), units=[JG]).events
    assert (figures.count, figures.participants) == (len(b), sum(r[2] for r in b))
    assert round(figures.spending * 100) == fen(b)


def test_money_comes_back_to_the_fen_in_yuan_and_in_wan_yuan(store):
    amounts = ["0.1", "0.36", "12345.67", "0.01", "0.29", "1.15", "99999999.99"]
    rows = [(f"2024-01-{i + 1:02d}", JG, 1, a, f"元{i}") for i, a in enumerate(amounts)]
    wan = [(f"2024-04-{i + 1:02d}", JG, 1, a, f"万元{i}") for i, a in enumerate(amounts)]
    many = [(f"2024-07-{i % 28 + 1:02d}", YF, 1, "0.1", f"一角{i}") for i in range(1000)]
    store.import_bytes(book(rows), "yuan.xlsx")
    store.import_bytes(book(wan, wan=True), "wan.xlsx")
    store.import_bytes(book(many), "many.xlsx")
    assert_figures_are(store, rows, wan, many)
    by_unit = stats.figures(store.dataset()).events.by_unit
    assert by_unit[YF].spending == 100.0
    assert by_unit[JG].spending == float(2 * sum(Decimal(a) for a in amounts))


def test_a_batch_of_several_units_overlapping_one_of_them(store):
    jg_q1, yf_h1 = events(JG, "2024-01-01", "2024-03-31"), events(YF, "2024-01-01", "2024-06-30")
    store.import_bytes(book(jg_q1), "jg.xlsx")
    store.import_bytes(book(yf_h1), "yf.xlsx")
    # The new batch covers the second quarter of both units: 一分会's row of 06-30 in batch 2, none of batch 1's.
    jg_q2, yf_new = events(JG, "2024-04-01", "2024-06-30"), events(YF, "2024-04-01", "2024-04-30", tag="新")
    several = book(jg_q2 + yf_new)
    refused = store.import_bytes(several, "汇总.xlsx")
    assert refused.status == REFUSED and "第2批" in said(refused) and "第1批" not in said(refused)
    assert_figures_are(store, jg_q1, yf_h1)
    result = store.import_bytes(several, "汇总.xlsx", replace=True)
    assert result.status == IMPORTED and result.replaced == [2]
    assert states(store) == {1: "active", 2: "active", 3: "active"}
    assert [day for day, *_ in yf_h1] == ["2024-01-01", "2024-03-31", "2024-06-30"]
    assert_figures_are(store, jg_q1, yf_h1[:2], jg_q2, yf_new)


def test_a_stored_batch_of_several_units_is_found_through_any_of_them(store):
    both = events(JG, "2024-01-01", "2024-03-31") + events(YF, "2024-01-01", "2024-03-30")
    store.import_bytes(book(both), "两个单位.xlsx")
    assert store.import_bytes(book(events(YF, "2024-04-01", "2024-06-30")), "yf.xlsx").status == IMPORTED
    refused = store.import_bytes(book(events(JG, "2024-03-31", "2024-06-30")), "jg.xlsx")  # 上半年: batch 1's 一季度
    assert refused.status == REFUSED and "第1批" in said(refused) and "第2批" not in said(refused)


def test_restoring_a_replaced_batch_over_a_later_batch_that_touches_it_needs_replace(store):
    original = events(JG, "2024-01-01", "2024-03-31", tag="原")
    corrected = events(JG, "2024-01-01", "2024-03-30", tag="更正")
    march = events(JG, "2024-03-01", "2024-03-31", tag="三月")
    store.import_bytes(book(original), "原.xlsx")
    assert store.import_bytes(book(corrected), "更正.xlsx", replace=True).replaced == [1]
    # A March file replaces the corrected quarter's March rows (its last, on 03-30) and keeps the rest.
    assert store.import_bytes(book(march), "三月.xlsx", replace=True).replaced == [2]
    assert_figures_are(store, corrected[:2], march)
    # Batch 3 was not what replaced batch 1, so restoring batch 1 over it is no undo: refused.
    with pytest.raises(StoreError, match="第3批") as refused:
        store.restore(1)
    assert "--replace" in said(refused.value)
    assert states(store) == {1: "replaced", 2: "active", 3: "active"}
    assert_figures_are(store, corrected[:2], march)
    assert "第2、3批" in said(store.restore(1, replace=True))
    assert states(store) == {1: "active", 2: "replaced", 3: "replaced"}
    assert_figures_are(store, original)


def test_restoring_a_replaced_batch_undoes_its_replacement_and_leaves_other_units_alone(store):
    original, other = events(JG, "2024-01-01", "2024-03-31", tag="原"), events(YF, "2024-01-01", "2024-03-31")
    corrected = events(JG, "2024-03-31", "2024-06-30", tag="更正")
    store.import_bytes(book(original), "原.xlsx")
    store.import_bytes(book(other), "yf.xlsx")
    store.import_bytes(book(corrected), "更正.xlsx", replace=True)
    # Only its own replacement overlaps it, so this is an undo and needs no --replace. Batch 1 covers the first
    # quarter: batch 3's row of 03-31 is set aside again, its second quarter's rows stay counted.
    restored = said(store.restore(1))
    assert restored == "已恢复第1批（原.xlsx）；替换了第3批中机关工会2024年第一季度的1行，其余照常计入"
    assert states(store) == {1: "active", 2: "active", 3: "active"}
    assert_figures_are(store, original, other, corrected[1:])
    assert "第1批改为" in said(store.restore(3))  # restoring set batch 3 aside for batch 1, so this undoes that in turn
    assert states(store) == {1: "replaced", 2: "active", 3: "active"}
    assert_figures_are(store, corrected, other)


@pytest.mark.parametrize("start, refused", [("2024-03-31", True), ("2024-04-01", False)], ids=["touching", "adjacent"])
def test_restoring_a_deleted_batch_checks_the_boundary_day(store, start, refused):
    q1, later = events(JG, "2024-01-01", "2024-03-31"), events(JG, start, "2024-06-30")
    store.import_bytes(book(q1), "q1.xlsx")
    store.delete(1)
    store.import_bytes(book(later), "later.xlsx")
    if refused:
        with pytest.raises(StoreError, match="第2批"):
            store.restore(1)
        assert_figures_are(store, later)
    else:
        store.restore(1)
        assert_figures_are(store, q1, later)


# What each action says, exactly: the batch, its file, its dates and its state, and the rows.

def describe(batch_id: int, name: str, first: str, last: str, state: str = "有效") -> str:
    return f"第{batch_id}批（{name}，{first}至{last}，{state}）"


Q1, Q2 = ("2024-01-01", "2024-01-15"), ("2024-04-01", "2024-04-15")  # the days quarter(1) and quarter(2) cover


def test_the_import_messages_name_the_batch_its_rows_and_what_it_replaced(store):
    first = store.import_bytes(quarter(1), "2024Q1.xlsx")
    assert said(first) == "2024Q1.xlsx：已导入为第1批，活动 3 行，慰问 1 行，捐款 0 行，比赛 0 行"
    assert (first.status, first.ok, first.batch_id, first.replaced) == (IMPORTED, True, 1, [])
    again = store.import_bytes(quarter(1), "副本.xlsx")
    assert said(again) == f"副本.xlsx：内容与已导入的{describe(1, '2024Q1.xlsx', *Q1)}相同，未重复导入"
    assert (again.status, again.ok, again.batch_id) == (UNCHANGED, True, 1)
    refused = store.import_bytes(quarter(1, participants=9), "更正.xlsx")
    assert said(refused) == (f"更正.xlsx：机关工会2024年1月的数据已在{describe(1, '2024Q1.xlsx', *Q1)}中（4行），"
                               "未导入。如果这是更正后的文件，请加 --replace 重新导入："
                               "只替换第1批中机关工会2024年1月的4行，"
                               "其余照常计入；被替换的行保留在历史中，可随时恢复")
    assert (refused.status, refused.ok, refused.batch_id) == (REFUSED, False, None)
    store.delete(1)
    deleted = store.import_bytes(quarter(1), "副本.xlsx")
    assert said(deleted) == (f"副本.xlsx：内容与已导入的{describe(1, '2024Q1.xlsx', *Q1, '已删除')}相同，"
                               "未重复导入；如需重新启用，请恢复第1批")


def test_a_file_overlapping_two_batches_lists_both_and_replaces_both(store):
    jan = book(events(JG, "2024-01-01", "2024-01-31"))
    feb = book(events(JG, "2024-02-01", "2024-02-29"))
    store.import_bytes(jan, "一月.xlsx")
    store.import_bytes(feb, "二月.xlsx")
    both = book(events(JG, "2024-01-15", "2024-02-15", tag="合并"))
    refused = store.import_bytes(both, "合并.xlsx")
    listed = describe(1, "一月.xlsx", "2024-01-01", "2024-01-31") + "、" + describe(2, "二月.xlsx", "2024-02-01",
                                                                                  "2024-02-29")
    replacing = "第1批中机关工会2024年第一季度的3行、第2批中机关工会2024年第一季度的3行"
    assert said(refused) == (f"合并.xlsx：机关工会2024年第一季度的数据已在{listed}中（6行），未导入。如果这是更正后的"
                             f"文件，请加 --replace 重新导入：只替换{replacing}，其余照常计入；"
                             "被替换的行保留在历史中，可随时恢复")
    result = store.import_bytes(both, "合并.xlsx", replace=True)
    assert said(result) == ("合并.xlsx：已导入为第3批，活动 3 行，慰问 0 行，捐款 0 行，比赛 0 行；"
                            f"替换了{replacing}，其余照常计入")
    assert result.replaced == [1, 2]
    # An undo (no --replace needed) of January only: batch 3's February row stays counted.
    assert said(store.restore(1)) == "已恢复第1批（一月.xlsx）；替换了第3批中机关工会2024年1月的2行，其余照常计入"
    assert states(store) == {1: "active", 2: "replaced", 3: "active"}


def test_restoring_over_two_later_batches_lists_both(store):
    store.import_bytes(book(events(JG, "2024-01-01", "2024-01-31") + events(YF, "2024-01-01", "2024-01-31")),
                       "一月.xlsx")
    store.delete(1)
    store.import_bytes(book(events(JG, "2024-01-01", "2024-01-10", tag="上旬")), "上旬.xlsx")
    store.import_bytes(book(events(YF, "2024-01-20", "2024-01-31", tag="下旬")), "下旬.xlsx")
    with pytest.raises(StoreError) as raised:
        store.restore(1)
    listed = describe(2, "上旬.xlsx", "2024-01-01", "2024-01-10") + "、" + describe(3, "下旬.xlsx", "2024-01-20",
                                                                                  "2024-01-31")
    assert said(raised.value) == f"第1批与{listed}的单位和日期重叠；如要恢复它并替换这些批次，请加 --replace"
    assert said(store.restore(1, replace=True)) == "已恢复第1批（一月.xlsx）；第2、3批改为“已被替换”"


BAD_ROWS = [["日期", "活动名称", "类别", "参与人次", "支出", "经办人"],
            ["2024-01-05", "茶话会", "联谊", 5, 10, "王"],  # a warning (其他) and a notice (经办人 is no column)
            ["2024-01-06", "坏", "文体活动", -1, 0, "王"],
            ["2024-01-07", "坏2", "文体活动", "x", 0, "王"]]


def test_a_file_with_several_errors_names_the_first_and_counts_them(store):
    refused = store.import_bytes(workbook_bytes({"活动": BAD_ROWS, **INFO}), "三行.xlsx")
    assert said(refused) == ("三行.xlsx：「活动」表第3行「参与人次」列（D3）：“-1.0”小于 0，请填写不小于 0 的整数"
                               "等 2 处错误，未导入；改正后重新导入，或加 --skip-bad-rows 跳过有错误的行")
    assert (refused.status, refused.ok) == (INVALID, False)
    assert [i.row for i in refused.report.errors] == [3, 4] and len(refused.report.warnings) == 1
    skipped = store.import_bytes(workbook_bytes({"活动": BAD_ROWS, **INFO}), "三行.xlsx", skip_bad_rows=True)
    assert said(skipped) == ("三行.xlsx：已导入为第1批，活动 1 行，慰问 0 行，捐款 0 行，比赛 0 行；"
                               "跳过有错误的 2 行（已记录）")
    assert [i.row for i in skipped.report.errors] == [3, 4]
    stored = store.batch_issues(skipped.batch_id)
    assert sorted(zip(stored["level"], stored["row"])) == [("error", 3), ("error", 4), ("warning", 2)]  # no notices
    [batch] = store.batches().to_dict("records")
    assert (batch["skipped_rows"], batch["rows"], batch["row_counts"]) == (
        2, 1, {"events": 1, "visits": 0, "donations": 0, "competitions": 0})


def test_a_single_error_without_good_rows_offers_no_skipping(store):
    rows = [["日期", "活动名称", "类别", "参与人次", "支出"], ["2024-01-06", "坏", "文体活动", -1, 0]]
    refused = store.import_bytes(workbook_bytes({"活动": rows}), "一行.xlsx", skip_bad_rows=True)
    assert said(refused) == ("一行.xlsx：「活动」表第2行「参与人次」列（D2）：“-1.0”小于 0，请填写不小于 0 的整数"
                               "，未导入")
    assert refused.status == INVALID and store.batches().empty


def test_an_error_that_names_no_place_is_written_without_a_colon(store):
    refused = store.import_bytes(workbook_bytes({"杂项": [["a"], [1]]}), "杂项.xlsx")
    assert said(refused).startswith("杂项.xlsx：文件中没有可识别的数据表。")
    assert said(refused).endswith("现有工作表：杂项，未导入")
    assert "：：" not in said(refused) and refused.status == INVALID


def test_a_file_without_data_rows_is_refused_with_its_report(store):
    from unionstats.intake.loading import load_bytes

    header_only = load_bytes(workbook_bytes({"活动": [BAD_ROWS[0]]}), "空表.xlsx")
    assert header_only.report.notices  # 经办人 is no column
    result = store.import_dataset(header_only, "空表.xlsx")
    assert (result.status, result.ok, said(result)) == (INVALID, False, "空表.xlsx：文件中没有数据行，未导入")
    assert result.report.issues == header_only.report.issues
    assert store.batches().empty


def test_every_result_carries_the_files_report(store):
    from unionstats.intake.loading import load_bytes

    def loaded(participants: int):
        rows = [BAD_ROWS[0], ["2024-01-05", "茶话会", "联谊", participants, 10, "王"]]
        return load_bytes(workbook_bytes({"活动": rows, **INFO}), "联谊.xlsx")

    warning = loaded(5).report.warnings
    assert len(warning) == 1
    for expected_status, data, options in [(IMPORTED, loaded(5), {}), (UNCHANGED, loaded(5), {}),
                                           (REFUSED, loaded(6), {}), (IMPORTED, loaded(6), {"replace": True})]:
        result = store.import_dataset(data, "联谊.xlsx", **options)
        assert result.status == expected_status
        assert result.report.warnings == warning and result.report.notices == data.report.notices


def test_import_dataset_neither_replaces_nor_skips_unless_asked(store):
    from unionstats.intake.loading import load_bytes

    assert store.import_dataset(load_bytes(quarter(1), "q1.xlsx"), "q1.xlsx").status == IMPORTED
    assert store.import_dataset(load_bytes(quarter(1, 9), "q1b.xlsx"), "q1b.xlsx").status == REFUSED
    bad = load_bytes(workbook_bytes({"活动": BAD_ROWS}), "bad.xlsx")
    assert store.import_dataset(bad, "bad.xlsx").status == INVALID
    assert states(store) == {1: "active"}


def test_who_imported_a_batch_is_recorded(store, monkeypatch):
    from unionstats.intake.loading import load_bytes

    store.import_bytes(quarter(1), "q1.xlsx", user="张科长")
    store.import_dataset(load_bytes(quarter(2), "q2.xlsx"), "q2.xlsx", user="李干事")
    monkeypatch.setattr(store_module.getpass, "getuser", lambda: "clerk")
    store.import_bytes(quarter(3), "q3.xlsx")

    def no_user():
        raise KeyError("getpwuid(): uid not found: 1000")

    monkeypatch.setattr(store_module.getpass, "getuser", no_user)
    store.import_bytes(quarter(4), "q4.xlsx")
    assert store.batches()["imported_by"].tolist() == ["张科长", "李干事", "clerk", "未知"]


def test_import_path_names_the_batch_after_the_file(store, tmp_path):
    path = tmp_path / "二季度.xlsx"
    path.write_bytes(quarter(2))
    result = store.import_path(path, user="张科长")
    assert said(result) == "二季度.xlsx：已导入为第1批，活动 3 行，慰问 1 行，捐款 0 行，比赛 0 行"
    assert store.batches()[["file_name", "imported_by"]].values.tolist() == [["二季度.xlsx", "张科长"]]
    assert participants(store) == expected_participants((2, 10))
    corrected = tmp_path / "二季度更正.xlsx"
    corrected.write_bytes(quarter(2, participants=11))
    assert store.import_path(str(corrected)).status == REFUSED
    replaced = store.import_path(corrected, replace=True)
    assert replaced.status == IMPORTED and replaced.replaced == [1]
    assert participants(store) == expected_participants((2, 11))


def test_import_path_of_an_unreadable_file_says_which_file(store, tmp_path):
    path = tmp_path / "坏文件.xlsx"
    path.write_bytes(b"not a workbook")
    result = store.import_path(path)
    assert result.status == INVALID and not result.ok
    assert said(result).startswith("坏文件.xlsx：") and "另存为 .xlsx" in said(result)
    missing = store.import_path(tmp_path / "不存在.xlsx")
    assert missing.status == INVALID and said(missing) == "不存在.xlsx：找不到这个文件，请检查文件名和路径"
    assert said(ImportResult(**{**vars(missing), "file_name": "x"})) == "x：找不到这个文件，请检查文件名和路径"
    assert store.batches().empty


def test_deleting_twice_and_restoring_an_active_batch_say_so(store):
    store.import_bytes(quarter(1), "q1.xlsx")
    assert said(store.restore(1)) == f"{describe(1, 'q1.xlsx', *Q1)}本来就有效，无需恢复"
    assert said(store.delete(1)) == "已删除第1批（q1.xlsx）；它保留在历史中，可用 restore 1 恢复"
    assert said(store.delete(1)) == f"{describe(1, 'q1.xlsx', *Q1, '已删除')}已经删除，无需再删"
    assert said(store.restore(1)) == "已恢复第1批（q1.xlsx）"
    with pytest.raises(StoreError) as missing:
        store.restore(2)
    assert said(missing.value) == "没有第2批，请用 batches 命令查看现有批次"


def test_the_batch_list_shows_each_batchs_units_dates_and_rows(store):
    both = events(YF, "2024-01-01", "2024-03-31") + events(JG, "2024-02-01", "2024-02-10")
    store.import_bytes(book(both), "两个单位.xlsx")
    store.import_bytes(quarter(2), "q2.xlsx")
    listed = store.batches()
    assert listed["id"].tolist() == [1, 2]
    assert listed["units"].tolist() == [f"{YF}、{JG}", JG]  # sorted as text: 一 (U+4E00) before 机 (U+673A)
    assert listed["rows"].tolist() == [6, 4]
    assert [(str(a), str(b)) for a, b in zip(listed["period_start"], listed["period_end"])] == [
        ("2024-01-01", "2024-03-31"), Q2]


def test_a_batchs_dates_are_its_earliest_and_latest_day_whatever_the_row_order(store):
    rows = events(JG, "2024-01-01", "2024-03-31")
    store.import_bytes(book([rows[2], rows[0], rows[1]]), "乱序.xlsx")  # 03-31 first, then 01-01, then the middle
    [batch] = store.batches().to_dict("records")
    assert (str(batch["period_start"]), str(batch["period_end"])) == ("2024-01-01", "2024-03-31")
    refused = store.import_bytes(book(events(JG, "2024-03-31", "2024-06-30", tag="B")), "b.xlsx")
    assert refused.status == REFUSED, said(refused)


def test_the_dataset_names_its_active_sources(store):
    assert store.dataset().sources == []
    store.import_bytes(quarter(1), "q1.xlsx")
    store.import_bytes(quarter(2), "q2.xlsx")
    store.import_bytes(quarter(3), "q3.xlsx")
    store.delete(2)
    assert store.dataset().sources == ["q1.xlsx", "q3.xlsx"]


def test_unit_information_comes_back_with_its_report_period(store):
    from unionstats.intake.loading import load_bytes

    info = {"单位信息": [["单位名称", "机关工会"], ["会员人数", 120], ["报告期", "2024年第一季度"]]}
    data = quarter(1, unit_info=info)
    store.import_bytes(data, "q1.xlsx")
    loaded = load_bytes(data, "q1.xlsx").units
    assert loaded["period_text"].tolist() == ["2024年第一季度"]
    assert store.dataset().units.to_dict("records") == loaded.to_dict("records")


def test_missing_optional_numbers_are_stored_as_missing(store):
    from unionstats.intake.loading import load_bytes

    donations = [["日期", "项目", "捐款金额", "物资件数", "参与人数"], ["2024-01-20", "一日捐", 1000, 0, None],
                 ["2024-01-21", "冬衣", None, 3, 12]]
    contests = [["日期", "赛事名称", "参赛人数", "名次"], ["2024-01-25", "健步走", None, "第一名"]]
    data = workbook_bytes({"捐款": donations, "比赛": contests, **INFO})
    assert store.import_bytes(data, "可空.xlsx").status == IMPORTED
    loaded, stored = load_bytes(data, "可空.xlsx"), store.dataset()
    assert stored.donations["donors"].isna().tolist() == [True, False]
    assert stored.competitions["entrants"].isna().tolist() == [True]
    for key in ("donations", "competitions"):
        assert stored.frame(key).to_dict("records") == loaded.frame(key).to_dict("records"), key


def test_money_goes_to_the_database_as_whole_fen():
    from unionstats.intake.loading import load_bytes

    frame = load_bytes(book(events(JG, "2024-01-01", "2024-01-03")), "a.xlsx").events
    records = rows_module.frame_records(events_kind.SHEET, frame, 7)
    assert [r["spending"] for r in records] == [10, 36, 1234567]
    assert all(type(r["spending"]) is int for r in records)
    assert {r["batch_id"] for r in records} == {7}


def test_the_content_hash_is_stable_across_versions():
    """Stored batches keep the hash they were imported with: if it changed, an upgraded store would take a
    file it already holds as new (and refuse it as an overlap). This is the hash of quarter(1)."""
    from unionstats.intake.loading import load_bytes

    digest = "cac1cbb6204656294cd7e67181142c5c88c17b335fcbefc4c2ed667b27e8bacd"
    assert importing.content_hash(load_bytes(quarter(1), "q1.xlsx")) == digest
    assert importing.content_hash(load_bytes(quarter(1), "其他文件名.xlsx")) == digest


def test_the_revision_changes_with_every_committed_change_and_only_then(store):
    def parts():
        count, changed, last = store.revision().split("/")[:3]  # (then the 单位名录's, the active batches' and the
        return count, changed, last                             # replacements')

    assert parts() == ("0", "None", "None")
    seen = [store.revision()]
    store.import_bytes(quarter(1), "q1.xlsx")
    assert parts()[0] == "1" and parts()[2] == "1"
    seen.append(store.revision())
    store.import_bytes(quarter(1), "副本.xlsx")  # unchanged
    store.import_bytes(quarter(1, 9), "重叠.xlsx")  # refused
    assert store.revision() == seen[-1]
    store.import_bytes(quarter(2), "q2.xlsx")
    assert parts()[0] == "2" and parts()[2] == "2"
    seen.append(store.revision())
    store.delete(1)
    assert parts()[0] == "2" and parts()[2] == "2"
    seen.append(store.revision())
    store.restore(1)
    seen.append(store.revision())
    assert len(set(seen)) == len(seen), seen


def test_a_delete_or_restore_made_by_a_process_whose_clock_is_behind_still_changes_the_revision(store):
    """Processes on several machines share the store: one whose clock is an hour behind the one that imported last
    writes an older change time, which leaves the latest change time as it was. The revision moves all the same,
    so no process keeps showing a deleted batch's figures."""
    store.import_bytes(quarter(1), "q1.xlsx")
    store.import_bytes(quarter(2), "q2.xlsx")
    batches = database.batches

    def behind(batch_id: int) -> None:  # the change time the lagging clock wrote
        with store.engine.begin() as connection:
            latest = connection.execute(sa.select(sa.func.max(batches.c.changed_at))).scalar_one()
            connection.execute(sa.update(batches).where(batches.c.id == batch_id).values(
                changed_at=pd.Timestamp(latest).to_pydatetime() - dt.timedelta(hours=1)))

    behind(1)
    seen = [store.revision()]
    store.delete(1)
    behind(1)
    seen.append(store.revision())
    store.restore(1)
    behind(1)
    seen.append(store.revision())
    assert seen[1] != seen[0] and seen[2] != seen[1], seen  # (restored, the store is as it was: so is the key)


def as_utc(value) -> dt.datetime:
    stamp = pd.Timestamp(value)
    return (stamp.tz_convert("UTC").tz_localize(None) if stamp.tzinfo else stamp).to_pydatetime()


def test_times_are_recorded_in_utc_whatever_the_servers_time_zone(store, monkeypatch):
    import time

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        before = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        store.import_bytes(quarter(1), "q1.xlsx")
        [batch] = store.batches().to_dict("records")
        assert before - dt.timedelta(seconds=1) <= as_utc(batch["imported_at"]) <= before + dt.timedelta(minutes=1)
        store.delete(1)
        [batch] = store.batches().to_dict("records")
        changed = as_utc(batch["changed_at"])
        assert before - dt.timedelta(seconds=1) <= changed <= before + dt.timedelta(minutes=1)
        assert changed >= as_utc(batch["imported_at"])
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_store_file_in_a_folder_that_does_not_exist_is_refused_and_no_folder_is_made(tmp_path):
    """A typo in the folder would otherwise start an empty store somewhere unexpected, silently."""
    path = tmp_path / "2024年度" / "机关工会" / "store.db"
    with pytest.raises(database.StoreSettingError, match=f"文件夹 {re.escape(str(path.parent))} 不存在。请先创建"):
        Store(f"sqlite:///{path}")
    assert not (tmp_path / "2024年度").exists()
    path.parent.mkdir(parents=True)
    Store(f"sqlite:///{path}").import_bytes(quarter(1), "q1.xlsx")
    assert participants(Store(f"sqlite:///{path}")) == expected_participants((1, 10))


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"], ids=["no-file", "memory"])
def test_an_in_memory_store_needs_no_folder(url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    store = Store(url)
    assert store.import_bytes(quarter(1), "q1.xlsx").status == IMPORTED
    assert participants(store) == expected_participants((1, 10))
    assert list(tmp_path.iterdir()) == []


def test_readers_never_wait_for_a_writer(url):
    """While one connection holds the write lock mid-import, the dashboard's reads all return."""
    writer, reader = Store(url), Store(url)
    reader.import_bytes(quarter(1), "q1.xlsx")
    done, answers = threading.Event(), {}

    def read() -> None:
        answers["rows"] = len(reader.dataset().events)
        answers["batches"] = reader.batches()["id"].tolist()
        answers["revision"] = reader.revision()
        done.set()

    with writer.engine.begin() as connection:
        database.lock_for_writing(connection)
        connection.execute(sa.update(database.batches).values(imported_by="正在导入"))
        thread = threading.Thread(target=read, daemon=True)
        thread.start()
        finished = done.wait(15)
    assert finished, "a read waited for the open write transaction"
    assert answers["rows"] == 3 and answers["batches"] == [1]
    assert reader.batches()["imported_by"].tolist() == ["正在导入"]


# Reading: each batch once per process.

def frames_of(store: Store) -> dict[str, pd.DataFrame]:
    dataset = store.dataset()
    return {**dataset.frames(), "units": dataset.units}


def assert_same_rows(store: Store, url: str) -> None:
    """What a store that has read before returns equals what a store reading everything afresh returns."""
    kept, fresh = frames_of(store), frames_of(Store(url))
    assert kept.keys() == fresh.keys()
    for key in kept:
        pd.testing.assert_frame_equal(kept[key], fresh[key], check_like=False)


def test_after_imports_deletes_and_restores_the_rows_read_are_those_a_fresh_read_gives(url):
    store = Store(url)
    for q in (1, 2, 3):
        store.import_bytes(quarter(q), f"q{q}.xlsx")
        assert_same_rows(store, url)
    store.delete(1)
    assert_same_rows(store, url)
    assert participants(store) == expected_participants((2, 10), (3, 10))
    store.restore(1)  # read before the later batches this time: order by batch all the same
    assert_same_rows(store, url)
    store.import_bytes(quarter(1, participants=20), "q1-更正.xlsx", replace=True)
    assert_same_rows(store, url)
    assert participants(store) == expected_participants((1, 20), (2, 10), (3, 10))


def test_only_batches_not_read_before_are_read(store, monkeypatch):
    store.import_bytes(quarter(1), "q1.xlsx")
    store.dataset()
    read = []
    real = rows_module.read_frame
    monkeypatch.setattr(rows_module, "read_frame", lambda c, sheet, sources: read.append(sorted(sources)) or
                        real(c, sheet, sources))
    store.import_bytes(quarter(2), "q2.xlsx")
    store.dataset()
    assert read == [[2]] * len(registry.sheets())
    read.clear()
    store.delete(1)
    store.restore(1)
    assert participants(store) == expected_participants((1, 10), (2, 10)) and read == []


def test_a_store_replaced_at_the_same_address_is_read_afresh(tmp_path):
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    store = Store(f"sqlite:///{first}")
    store.import_bytes(quarter(1), "q1.xlsx")
    assert participants(store) == expected_participants((1, 10))
    other = Store(f"sqlite:///{second}")
    other.import_bytes(quarter(1, participants=30), "q1-other.xlsx")
    other.engine.dispose()  # the last connection closing writes the WAL back into the file
    store.engine.dispose()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{first}{suffix}").unlink(missing_ok=True)
    shutil.copy(second, first)
    assert participants(store) == expected_participants((1, 30))



def test_restoring_a_batch_this_process_never_read_keeps_batch_order(url):
    store = Store(url)
    store.import_bytes(quarter(1), "q1.xlsx")
    store.delete(1)
    store.import_bytes(quarter(2), "q2.xlsx")
    assert participants(store) == expected_participants((2, 10))  # batch 2 read first
    store.restore(1)
    assert store.dataset().events["source"].tolist() == ["q1.xlsx"] * 3 + ["q2.xlsx"] * 3
    assert_same_rows(store, url)


def test_a_unit_in_several_batches_has_the_members_of_its_latest_period(store):
    later = {"单位信息": [["单位名称", "机关工会"], ["会员人数", 130]]}
    store.import_bytes(quarter(2, unit_info=later), "q2.xlsx")
    store.import_bytes(quarter(1), "q1.xlsx")  # imported after, but an earlier quarter: 120 members then
    units = store.dataset().units
    assert units[["unit", "members", "source"]].values.tolist() == [["机关工会", 130, "q2.xlsx"]]
    assert units["period_text"].tolist() == [""]


# Hostile uploads: no loaded dataset makes the store raise. Without the loader's limits, each of these
# passed on SQLite and ended in a DataError (or an OverflowError, or a wrapped-round int64) on PostgreSQL.

GOOD_ROW = ["2024-01-05", "好", "文体活动", 5, 10]
LONG_UNIT = "某" * 201
REFUSED_FILES = {
    "unit-column": ({"活动": [HEAD + ["单位"], GOOD_ROW + ["机关工会"],
                             ["2024-01-06", "x", "文体活动", 1, 1, LONG_UNIT]]},
                    "「活动」表第3行「单位」列（F3）：「单位」超过 200 个字符（现为 201 个），请缩短"),
    "unit-info": ({"活动": [HEAD, GOOD_ROW], "单位信息": [["单位名称", LONG_UNIT], ["会员人数", 20]]},
                  "「单位信息」表第1行「单位名称」列（B1）：单位名称超过 200 个字符（现为 201 个），请缩短"),
    "members": ({"活动": [HEAD, GOOD_ROW], "单位信息": [["单位名称", "机关工会"], ["会员人数", 3e9]]},
                "「单位信息」表第2行「会员人数」列（B2）："
                "会员人数“3000000000”超出合理范围（不超过 100,000,000），请核对"),
    "place": ({"活动": [HEAD, GOOD_ROW],
               "比赛": [["日期", "赛事名称", "名次"], ["2024-01-07", "赛", "99999999999999999999"]]},
              "「比赛」表第2行「名次」列（C2）：名次“99999999999999999999”超出合理范围（不超过第9999名），请核对"),
    "count": ({"活动": [HEAD, GOOD_ROW, ["2024-01-06", "x", "文体活动", 1e19, 1]]},
              "「活动」表第3行「参与人次」列（D3）：“1E+19”超出合理范围（不超过 10,000,000），请核对"),
    "count-text": ({"活动": [HEAD, GOOD_ROW, ["2024-01-06", "x", "文体活动", "99999999999999999999", 1]]},
                   "「活动」表第3行「参与人次」列（D3）："
                   "“99999999999999999999”超出合理范围（不超过 10,000,000），请核对"),
    "money": ({"活动": [HEAD, GOOD_ROW, ["2024-01-06", "x", "文体活动", 1, 1e17]]},
              "「活动」表第3行「支出」列（E3）：金额“1E+17”超出合理范围（不超过 1,000,000,000 元），请核对"),
}


@pytest.mark.parametrize("case", list(REFUSED_FILES))
def test_an_over_long_or_absurd_value_is_refused_with_its_cell_and_stores_nothing(store, case):
    sheets, says = REFUSED_FILES[case]
    result = store.import_bytes(workbook_bytes(sheets), "hostile.xlsx")
    assert result.status == INVALID
    assert said(result).startswith(f"hostile.xlsx：{says}") and "未导入" in said(result)
    assert store.batches().empty and store.dataset().row_count == 0


@pytest.mark.parametrize("case", list(REFUSED_FILES))
def test_skipping_the_bad_rows_of_a_hostile_file_stores_the_rest_and_records_the_problem(store, case):
    sheets, says = REFUSED_FILES[case]
    result = store.import_bytes(workbook_bytes(sheets), "hostile.xlsx", skip_bad_rows=True, unit_name="机关工会")
    assert result.status == IMPORTED, said(result)
    assert participants(store) == 5
    stored = store.dataset()
    assert stored.units["unit"].str.len().max() <= schema.UNIT_LENGTH
    assert all(0 <= m <= schema.MAX_MEMBERS for m in stored.members().values())
    messages = [f"{i.message}" for i in store.batch_issues(result.batch_id).itertuples()]
    assert says.split("：", 1)[1] in messages


@pytest.mark.filterwarnings("ignore:Title is more than 31 characters")
def test_a_long_sheet_name_header_and_report_period_are_stored_shortened(store):
    sheet, header, period = "活动" + "名" * 150, "类别（" + "注" * 150 + "）", "2024年第一季度" + "说明" * 80
    rows = [HEAD[:2] + [header] + HEAD[3:], ["2024-01-05", "团建日", "团建", 5, 10]]
    data = workbook_bytes({sheet: rows, "单位信息": [["单位名称", "机关工会"], ["报告期", period]]})
    result = store.import_bytes(data, "long.xlsx")
    assert result.status == IMPORTED, said(result)
    stored = store.dataset()
    assert stored.events["sheet"].tolist() == [sheet[:99] + "…"]
    assert stored.units["period_text"].tolist() == [period[:99] + "…"]
    issues = store.batch_issues(result.batch_id)
    assert sorted(issues["message"].str[:3]) == sorted(["报告期", "“团建"])
    assert set(issues["sheet"]) == {sheet[:99] + "…", "单位信息"}
    assert header[:99] + "…" in set(issues["column"])
    assert issues["sheet"].str.len().max() == issues["column"].str.len().max() == 100


def test_control_characters_never_reach_the_store(store):
    rows = [HEAD + ["单位", "备注"], ["2024-01-05", "春游_x0001_", "文体_x0002_", 5, 10, "机关_x001F_工会", "_x0007_"]]
    info = [["单位名称", "机关_x001F_工会"], ["报告期", "一季度_x0003_"]]
    result = store.import_bytes(workbook_bytes({"活动": rows, "单位信息": info}), "ctl.xlsx")
    assert result.status == IMPORTED, said(result)
    stored = store.dataset()
    assert stored.events[["name", "category", "unit", "notes"]].values.tolist() == [
        ["春游", "文体活动", "机关工会", ""]]
    assert stored.units[["unit", "period_text"]].values.tolist() == [["机关工会", "一季度"]]
    issues = store.batch_issues(result.batch_id)
    assert issues["cell"].tolist() == ["B2", "C2", "F2", "G2", "B1", "B2"]
    assert set(issues["message"]) == {"单元格含有不可见的控制字符，已删除，请核对内容"}


def test_a_file_name_and_an_importer_too_long_for_their_columns_are_kept_shortened(store):
    name = "二季度" * 150 + ".xlsx"
    data = workbook_bytes({"活动": [["日期", "活动名称", "参与人次"], ["2024-04-01", "春游", 30]], **INFO})
    result = store.import_bytes(data, name, user="某" * 150)
    assert result.status == IMPORTED
    [batch] = store.batches().to_dict("records")
    assert len(batch["file_name"]) == schema.FILE_NAME_LENGTH and batch["file_name"].endswith("季度.xlsx")
    assert batch["file_name"].startswith("二季度二季度") and len(batch["imported_by"]) == 100
    assert rows_module.clipped("短名.xlsx", 300) == "短名.xlsx"
