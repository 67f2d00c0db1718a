import datetime as dt
import multiprocessing
import os
import threading
from collections import Counter
from decimal import Decimal

import pandas as pd
import pytest
import sqlalchemy as sa
from workbooks import workbook_bytes

from unionstats import database, stats
from unionstats import store as store_module
from unionstats.store import IMPORTED, INVALID, REFUSED, UNCHANGED, Store, StoreError

HEAD = ["日期", "活动名称", "类别", "参与人次", "支出"]
INFO = {"单位信息": [["单位名称", "机关工会"], ["会员人数", 120]]}


def quarter(q: int, participants: int = 10, unit_info: dict = INFO) -> bytes:
    month = 3 * q - 2
    rows = [[f"2024-{month:02d}-0{d}", f"活动{q}-{d}", "文体活动", participants * d, 100.5 * d] for d in (1, 2, 3)]
    visits = [["日期", "事由", "人次", "金额"], [f"2024-{month:02d}-15", "住院", q, 500]]
    return workbook_bytes({"活动": [HEAD, *rows], "慰问": visits, **unit_info})


def expected_participants(*quarters: tuple[int, int]) -> int:
    return sum(p * d for _, p in quarters for d in (1, 2, 3))


def drop_all(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        database.metadata.drop_all(connection)
    engine.dispose()


def postgres_url() -> str | None:
    url = os.environ.get("UNIONSTATS_TEST_PG")
    if url:
        return url
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but UNIONSTATS_TEST_PG is not set: .ci/run must start PostgreSQL")
    pytest.skip("PostgreSQL not available: set UNIONSTATS_TEST_PG=postgresql+psycopg://... to run the store on it")


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    url = postgres_url()
    drop_all(url)
    return url


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
    assert again.status == UNCHANGED and "第2批" in again.message
    assert participants(store) == year

    corrected = quarter(2, participants=11)
    refused = store.import_bytes(corrected, "2024Q2更正.xlsx")
    assert refused.status == REFUSED and "第2批" in refused.message and "--replace" in refused.message
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
    assert "restore 1" in store.delete(1)
    assert participants(store) == expected_participants((2, 10))
    assert states(store) == {1: "deleted", 2: "active"}
    again = store.import_bytes(quarter(1), "q1.xlsx")
    assert again.status == UNCHANGED and "恢复第1批" in again.message
    store.restore(1)
    assert participants(store) == expected_participants((1, 10), (2, 10))


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
    bad = workbook_bytes({"活动": rows})
    refused = store.import_bytes(bad, "bad.xlsx")
    assert refused.status == INVALID and "第3行" in refused.message and "参与人次" in refused.message
    assert store.batches().empty
    result = store.import_bytes(bad, "bad.xlsx", skip_bad_rows=True)
    assert result.status == IMPORTED and "跳过有错误的 1 行" in result.message
    assert participants(store) == 5
    [issue] = store.batch_issues(result.batch_id).to_dict("records")
    assert (issue["level"], issue["row"], issue["column"], issue["value"]) == ("error", 3, "参与人次", "-1")


def test_an_unreadable_file_stores_nothing(store):
    result = store.import_bytes(b"not a workbook", "x.xlsx")
    assert result.status == INVALID and "无法读取" in result.message
    assert store.batches().empty


def test_a_failure_in_the_middle_of_an_import_leaves_the_store_as_it_was(store, monkeypatch):
    store.import_bytes(quarter(1), "q1.xlsx")
    before = (store.batches().to_dict("records"), store.dataset().events.to_dict("records"))
    real = store_module.frame_records

    def fail_on_visits(sheet, frame, batch_id):
        if sheet.key == "visits":
            raise RuntimeError("disk full")
        return real(sheet, frame, batch_id)

    monkeypatch.setattr(store_module, "frame_records", fail_on_visits)
    with pytest.raises(RuntimeError):
        store.import_bytes(quarter(2), "q2.xlsx")
    monkeypatch.undo()
    assert (store.batches().to_dict("records"), store.dataset().events.to_dict("records")) == before
    assert store.import_bytes(quarter(2), "q2.xlsx").status == IMPORTED


def test_stored_rows_come_back_as_the_file_gave_them(store):
    from unionstats.loading import load_bytes

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
    assert statuses.count(IMPORTED) == 2, [r.message for r in results]
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


def test_a_store_is_created_at_the_current_schema_version(store):
    with store.engine.connect() as connection:
        assert database.current_version(connection) == database.SCHEMA_VERSION


def test_a_later_version_migrates_an_earlier_store_keeping_its_data(url, monkeypatch):
    Store(url).import_bytes(quarter(1), "q1.xlsx")

    def add_note_column(connection):
        connection.execute(sa.text("ALTER TABLE batches ADD COLUMN note VARCHAR(200)"))

    monkeypatch.setattr(database, "SCHEMA_VERSION", database.SCHEMA_VERSION + 1)
    monkeypatch.setitem(database.MIGRATIONS, database.SCHEMA_VERSION - 1, add_note_column)
    upgraded = Store(url)
    with upgraded.engine.connect() as connection:
        assert database.current_version(connection) == database.SCHEMA_VERSION
        assert "note" in {c["name"] for c in sa.inspect(connection).get_columns("batches")}
    assert participants(upgraded) == expected_participants((1, 10))


def test_a_store_from_a_newer_version_is_refused_in_chinese(url, monkeypatch):
    Store(url)
    monkeypatch.setattr(database, "SCHEMA_VERSION", 0)
    with pytest.raises(RuntimeError, match="请升级 unionstats"):
        Store(url)


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
    assert refused.status == REFUSED and "第1批" in refused.message and "--replace" in refused.message
    assert states(store) == {1: "active"}
    assert_figures_are(store, a)


def test_the_boundary_day_may_come_from_any_sheet(store):
    a = events(JG, "2024-01-01", "2024-03-30", tag="A")
    visit = [["日期", "事由", "人次", "金额", "单位"], ["2024-03-31", "住院", 1, 0.36, JG]]
    store.import_bytes(workbook_bytes({"活动": book_rows(a), "慰问": visit}), "a.xlsx")
    refused = store.import_bytes(book(events(JG, "2024-03-31", "2024-06-30", tag="B")), "b.xlsx")
    assert refused.status == REFUSED and "第1批" in refused.message


@pytest.mark.parametrize("order", ["earlier-first", "later-first"])
def test_adjacent_periods_that_share_no_day_do_not_overlap(store, order):
    q1, q2 = events(JG, "2024-01-01", "2024-03-31"), events(JG, "2024-04-01", "2024-06-30")
    for rows in ([q1, q2] if order == "earlier-first" else [q2, q1]):
        result = store.import_bytes(book(rows), f"{rows[0][0]}.xlsx")
        assert result.status == IMPORTED and result.replaced == [], result.message
    assert states(store) == {1: "active", 2: "active"}
    assert_figures_are(store, q1, q2)


def test_replace_sets_aside_only_the_batches_of_the_overlapping_unit(store):
    jg_q1, yf_q1 = events(JG, "2024-01-01", "2024-03-31"), events(YF, "2024-01-01", "2024-03-31")
    jg_q2, ef_q2 = events(JG, "2024-04-01", "2024-06-30"), events(EF, "2024-03-31", "2024-06-30")
    for i, rows in enumerate((jg_q1, yf_q1, jg_q2, ef_q2)):
        assert store.import_bytes(book(rows), f"{i}.xlsx").status == IMPORTED
    corrected = events(JG, "2024-01-01", "2024-03-31", participants=20, tag="更正")
    refused = store.import_bytes(book(corrected), "机关更正.xlsx")
    assert refused.status == REFUSED and "第1批" in refused.message
    assert not any(f"第{i}批" in refused.message for i in (2, 3, 4))
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
    jg_q1, yf_q1 = events(JG, "2024-01-01", "2024-03-31"), events(YF, "2024-01-01", "2024-03-31")
    store.import_bytes(book(jg_q1), "jg.xlsx")
    store.import_bytes(book(yf_q1), "yf.xlsx")
    # As a whole the new batch runs 03-31..06-30 and so touches batch 1's period, but 机关工会's own rows start 04-01.
    jg_q2, yf_new = events(JG, "2024-04-01", "2024-06-30"), events(YF, "2024-03-31", "2024-04-30", tag="新")
    several = book(jg_q2 + yf_new)
    refused = store.import_bytes(several, "汇总.xlsx")
    assert refused.status == REFUSED and "第2批" in refused.message and "第1批" not in refused.message
    assert_figures_are(store, jg_q1, yf_q1)
    result = store.import_bytes(several, "汇总.xlsx", replace=True)
    assert result.status == IMPORTED and result.replaced == [2]
    assert states(store) == {1: "active", 2: "replaced", 3: "active"}
    assert_figures_are(store, jg_q1, jg_q2, yf_new)


def test_a_stored_batch_of_several_units_is_found_through_any_of_them(store):
    both = events(JG, "2024-01-01", "2024-03-31") + events(YF, "2024-01-01", "2024-03-30")
    store.import_bytes(book(both), "两个单位.xlsx")
    assert store.import_bytes(book(events(YF, "2024-03-31", "2024-06-30")), "yf.xlsx").status == IMPORTED
    refused = store.import_bytes(book(events(JG, "2024-03-31", "2024-06-30")), "jg.xlsx")
    assert refused.status == REFUSED and "第1批" in refused.message and "第2批" not in refused.message


def test_restoring_a_replaced_batch_over_a_later_batch_that_touches_it_needs_replace(store):
    original = events(JG, "2024-01-01", "2024-03-31", tag="原")
    corrected = events(JG, "2024-01-01", "2024-03-30", tag="更正")
    april = events(JG, "2024-03-31", "2024-06-30", tag="二季度")
    store.import_bytes(book(original), "原.xlsx")
    assert store.import_bytes(book(corrected), "更正.xlsx", replace=True).replaced == [1]
    assert store.import_bytes(book(april), "二季度.xlsx").status == IMPORTED  # 03-30 and 03-31 do not overlap
    # Batch 3 shares only 03-31 with batch 1, which is not an undo of the replacement: refused.
    with pytest.raises(StoreError, match="第3批") as refused:
        store.restore(1)
    assert "--replace" in str(refused.value)
    assert states(store) == {1: "replaced", 2: "active", 3: "active"}
    assert_figures_are(store, corrected, april)
    assert "第2、3批" in store.restore(1, replace=True)
    assert states(store) == {1: "active", 2: "replaced", 3: "replaced"}
    assert_figures_are(store, original)


def test_restoring_a_replaced_batch_undoes_its_replacement_and_leaves_other_units_alone(store):
    original, other = events(JG, "2024-01-01", "2024-03-31", tag="原"), events(YF, "2024-01-01", "2024-03-31")
    corrected = events(JG, "2024-03-31", "2024-06-30", tag="更正")
    store.import_bytes(book(original), "原.xlsx")
    store.import_bytes(book(other), "yf.xlsx")
    store.import_bytes(book(corrected), "更正.xlsx", replace=True)
    store.restore(1)  # only its own replacement overlaps it, so this is an undo and needs no --replace
    assert states(store) == {1: "active", 2: "active", 3: "replaced"}
    assert_figures_are(store, original, other)
    assert "第1批改为" in store.restore(3)  # restoring set batch 3 aside for batch 1, so this undoes that in turn
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
