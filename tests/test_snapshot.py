"""The columnar copy of the stored rows: a new process reads from it what it holds, the database only for the
rest, and gets exactly the rows the database alone gives."""

import pandas as pd
import pytest
from workbooks import workbook_bytes

from unionstats.contract import registry
from unionstats.store import rows as rows_module
from unionstats.store import snapshot
from unionstats.store.batches import Store

HEAD = ["日期", "活动名称", "类别", "参与人次", "支出", "单位"]
VISITS = ["日期", "事由", "对象", "人次", "金额", "单位"]


def quarter(unit: str, q: int, base: int = 10) -> bytes:
    month = 3 * q - 2
    events = [[f"2024-{month:02d}-{d:02d}", f"{unit}活动{d}", "文体活动", base + d, 100.25 * d, unit] for d in (1, 2, 3)]
    visits = [[f"2024-{month:02d}-15", "生病住院", f"职工{q}", 1, 500 + q, unit]]
    return workbook_bytes({"活动": [HEAD, *events], "慰问": [VISITS, *visits]})


@pytest.fixture
def always(monkeypatch):
    """A copy is written after any read: these stores are small."""
    monkeypatch.setattr(rows_module.BatchRows, "SNAPSHOT_AFTER", 1)


def written(store: Store) -> None:
    """The copy the store's last read started writing, written."""
    if store._rows.saving is not None:
        store._rows.saving.join()


def batches_read(monkeypatch) -> list[int]:
    """The ids of the batches read from the database from now on (any kind)."""
    seen: list[int] = []
    original = rows_module.read_frame

    def counting(connection, sheet, sources):
        seen.extend(sources)
        return original(connection, sheet, sources)

    monkeypatch.setattr(rows_module, "read_frame", counting)
    return seen


def from_database(url: str, monkeypatch, located: bool = True):
    """The store's rows read with no copy at all: what every read must equal."""
    with monkeypatch.context() as patch:
        patch.setenv(snapshot.SETTING, "off")
        return Store(url).dataset(located=located)


def assert_same(left, right) -> None:
    for sheet in registry.sheets():
        pd.testing.assert_frame_equal(left.frame(sheet.key), right.frame(sheet.key))
    assert left.sources == right.sources


def test_a_new_process_reads_the_copy_and_gets_the_rows_the_database_gives(url, always, monkeypatch):
    first = Store(url)
    for q, unit in [(1, "机关工会"), (2, "机关工会"), (1, "后勤工会")]:
        assert first.import_bytes(quarter(unit, q), f"{unit}{q}.xlsx").status == "imported"
    first.dataset()
    written(first)
    assert {p.name for p in snapshot.folder_for(url).iterdir()} >= {"events.arrow", "visits.arrow"}

    seen = batches_read(monkeypatch)
    second = Store(url).dataset(located=True)
    assert seen == []  # every batch came from the copy
    assert_same(second, from_database(url, monkeypatch))
    assert second.events["participants"].sum() == 3 * (3 * 10 + 1 + 2 + 3)
    assert second.visits["amount"].sum() == 501 + 502 + 501


def test_batches_imported_deleted_or_restored_after_the_copy_are_read_as_the_database_has_them(url, always,
                                                                                               monkeypatch):
    first = Store(url)
    ids = [first.import_bytes(quarter("机关工会", q), f"q{q}.xlsx").batch_id for q in (1, 2)]
    first.dataset()
    written(first)
    monkeypatch.setattr(rows_module.BatchRows, "SNAPSHOT_AFTER", 10**9)  # the copy stays as it is
    later = first.import_bytes(quarter("机关工会", 3, base=50), "q3.xlsx").batch_id
    first.delete(ids[0])

    seen = batches_read(monkeypatch)
    second = Store(url).dataset(located=True)
    assert sorted(set(seen)) == [later]
    assert set(second.events["batch_id"]) == {ids[1], later}
    assert second.events["participants"].sum() == (3 * 10 + 6) + (3 * 50 + 6)
    assert_same(second, from_database(url, monkeypatch))

    first.restore(ids[0])
    assert_same(Store(url).dataset(located=True), from_database(url, monkeypatch))


def test_a_store_made_again_at_the_same_address_is_not_read_from_the_old_copy(tmp_path, always, monkeypatch):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    old = Store(url)
    old.import_bytes(quarter("机关工会", 1), "a.xlsx")
    old.dataset()
    written(old)
    old.engine.dispose()
    (tmp_path / "store.db").unlink()

    new = Store(url)  # the same first batch id, other rows
    new.import_bytes(quarter("后勤工会", 1, base=70), "a.xlsx")
    events = Store(url).dataset().events
    assert set(events["unit"]) == {"后勤工会"}
    assert events["participants"].sum() == 3 * 70 + 6


@pytest.mark.parametrize("damage", ["garbage", "empty", "other shape"])
def test_a_damaged_or_foreign_copy_is_passed_over(tmp_path, always, monkeypatch, damage):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    first = Store(url)
    first.import_bytes(quarter("机关工会", 1), "a.xlsx")
    first.dataset()
    written(first)
    path = snapshot.folder_for(url) / "events.arrow"
    if damage == "garbage":
        path.write_bytes(b"\x00not arrow" * 100)
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        monkeypatch.setattr(snapshot, "FORMAT", snapshot.FORMAT + 1)
    seen = batches_read(monkeypatch)
    events = Store(url).dataset().events
    assert seen  # read from the database instead
    assert events["participants"].sum() == 3 * 10 + 6


def test_a_folder_that_cannot_be_written_leaves_the_store_working(tmp_path, always, monkeypatch):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder would be")
    monkeypatch.setenv(snapshot.SETTING, str(blocked))
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    store.import_bytes(quarter("机关工会", 1), "a.xlsx")
    assert store.dataset().events["participants"].sum() == 3 * 10 + 6
    written(store)
    assert Store(store.url).dataset().events["participants"].sum() == 3 * 10 + 6


def test_a_small_store_writes_no_copy(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    store.import_bytes(quarter("机关工会", 1), "a.xlsx")
    store.dataset()
    assert store._rows.saving is None
    assert not snapshot.folder_for(store.url).exists()


def test_where_the_copy_lives(tmp_path, monkeypatch):
    monkeypatch.delenv(snapshot.SETTING, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert snapshot.folder_for(f"sqlite:///{tmp_path / 'x.db'}") == tmp_path / "x.db.snapshot"
    assert snapshot.folder_for("sqlite://") is None
    assert snapshot.folder_for("sqlite:///:memory:") is None
    one = snapshot.folder_for("postgresql+psycopg://app:secret@db:5432/union")
    other = snapshot.folder_for("postgresql+psycopg://app:other@db:5432/union")
    assert one == other  # named for the address, not the password
    assert one.parent == tmp_path / "cache" / "unionstats" and "secret" not in str(one)
    assert snapshot.folder_for("postgresql+psycopg://app@db:5432/another") != one
    monkeypatch.setenv(snapshot.SETTING, str(tmp_path / "copies"))
    assert snapshot.folder_for(f"sqlite:///{tmp_path / 'x.db'}").parent == tmp_path / "copies"
    monkeypatch.setenv(snapshot.SETTING, "off")
    assert snapshot.folder_for("postgresql+psycopg://app@db/union") is None

