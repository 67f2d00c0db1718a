import multiprocessing
import os
import threading

import pytest
import sqlalchemy as sa
from workbooks import workbook_bytes

from unionstats import store as store_module
from unionstats import tables
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
        tables.metadata.drop_all(connection)
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
    assert states(store)[2] == tables.REPLACED

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
        assert tables.current_version(connection) == tables.SCHEMA_VERSION


def test_a_later_version_migrates_an_earlier_store_keeping_its_data(url, monkeypatch):
    Store(url).import_bytes(quarter(1), "q1.xlsx")

    def add_note_column(connection):
        connection.execute(sa.text("ALTER TABLE batches ADD COLUMN note VARCHAR(200)"))

    monkeypatch.setattr(tables, "SCHEMA_VERSION", tables.SCHEMA_VERSION + 1)
    monkeypatch.setitem(tables.MIGRATIONS, tables.SCHEMA_VERSION - 1, add_note_column)
    upgraded = Store(url)
    with upgraded.engine.connect() as connection:
        assert tables.current_version(connection) == tables.SCHEMA_VERSION
        assert "note" in {c["name"] for c in sa.inspect(connection).get_columns("batches")}
    assert participants(upgraded) == expected_participants((1, 10))


def test_a_store_from_a_newer_version_is_refused_in_chinese(url, monkeypatch):
    Store(url)
    monkeypatch.setattr(tables, "SCHEMA_VERSION", 0)
    with pytest.raises(RuntimeError, match="请升级 unionstats"):
        Store(url)


def test_the_default_store_lives_in_data_and_the_environment_can_move_it(monkeypatch):
    monkeypatch.delenv("UNIONSTATS_DB", raising=False)
    assert store_module.resolve_url().endswith("data/unionstats.db")
    monkeypatch.setenv("UNIONSTATS_DB", "sqlite:////tmp/elsewhere.db")
    assert store_module.resolve_url() == "sqlite:////tmp/elsewhere.db"
    assert store_module.resolve_url("postgresql://x/y") == "postgresql://x/y"
