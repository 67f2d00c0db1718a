"""The store's schema: Alembic migrations that match the tables, and stores of earlier versions kept intact."""

import datetime as dt
import shutil
import sqlite3
import textwrap
from decimal import Decimal

import numpy as np
import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from conftest import ROOT
from unionstats.contract import registry, schema
from unionstats.store import database
from unionstats.store.access import ADMIN, Actor, operator
from unionstats.store.batches import Store

LEGACY = ROOT / "tests" / "stores" / "store-v1.db"  # written by tests/stores/make_store_v1.py before the migrations


def drift(connection: sa.Connection, metadata: sa.MetaData) -> list:
    context = MigrationContext.configure(connection, opts={"include_object": database.include_in_migrations,
                                                           "compare_type": True})
    return compare_metadata(context, metadata)


NEWEST = "0009"


def test_the_migrations_build_exactly_the_tables_the_code_uses(url):
    store = Store(url)
    with store.engine.connect() as connection:
        assert database.current_revision(connection) == NEWEST
        assert drift(connection, database.metadata) == []


def test_a_table_change_without_a_migration_is_caught(url):
    changed = sa.MetaData()
    for table in database.metadata.tables.values():
        table.to_metadata(changed)
    changed.tables["batches"].append_column(sa.Column("note", sa.String(200)))
    store = Store(url)
    with store.engine.connect() as connection:
        [(action, table)] = [(d[0], d[2]) for d in drift(connection, changed)]
    assert (action, table) == ("add_column", "batches")


def sample_participants() -> int:
    book = openpyxl.load_workbook(ROOT / "data" / "sample.xlsx", read_only=True)
    return sum(r[3] for r in book["活动"].iter_rows(min_row=2, values_only=True) if r[0])


def test_a_store_written_before_the_migrations_opens_with_every_batch_and_figure(tmp_path):
    """It held the sample beside real data (batches 3 and 4): the sample is set aside when it opens, recorded,
    and its rows are all there when it is restored."""
    path = tmp_path / "old.db"
    shutil.copy(LEGACY, path)
    store = Store(f"sqlite:///{path}")
    with store.engine.connect() as connection:
        assert database.current_revision(connection) == NEWEST
        assert drift(connection, database.metadata) == []
    batches = store.batches()
    assert list(zip(batches["id"], batches["state"], batches["skipped_rows"], batches["file_name"])) == [
        (1, "deleted", 0, "sample.xlsx"), (2, "replaced", 0, "城南一季度.xlsx"),
        (3, "active", 0, "城南一季度更正.xlsx"), (4, "active", 1, "城南二季度.xlsx"), (5, "deleted", 0, "作废.xlsx")]
    assert batches.loc[1, "replaced_by"] == 3
    data = store.dataset()
    events = data.events
    chengnan = events[events["unit"] == "城南小学工会"].sort_values("date")
    assert chengnan[["name", "participants", "spending"]].values.tolist() == [
        ["迎新春联欢", 62, 1234.56], ["读书会", 12, 0.0], ["春游", 40, 3000.0]]
    assert set(events["unit"]) == {"城南小学工会"}
    assert "试验站工会" not in set(events["unit"])
    donations = data.donations
    [donation] = donations.loc[donations["unit"] == "城南小学工会", ["date", "cash", "goods"]].values.tolist()
    assert (donation[0].date(), Decimal(str(donation[1])), donation[2]) == (dt.date(2025, 5, 20), Decimal("5600.5"), 3)
    assert len(data.visits[data.visits["unit"] == "城南小学工会"]) == 0  # its visit was in the replaced batch
    [skipped] = store.batch_issues(4).query("level == 'error'").itertuples()
    assert (skipped.sheet, skipped.row, skipped.column) == ("活动", 3, "参与人次")
    [set_aside] = store.audit_trail(operator("管理员"), action="delete").itertuples()
    assert (set_aside.batch_id, set_aside.file_name) == (1, "sample.xlsx") and "示例数据" in set_aside.detail
    for batch in (3, 4):
        store.delete(batch)
    store.restore(1)
    assert int(store.dataset().events["participants"].sum()) == sample_participants()


def test_a_store_written_before_the_directory_gets_an_empty_one_that_keeps_what_is_saved(tmp_path):
    path = tmp_path / "old.db"
    shutil.copy(LEGACY, path)
    store = Store(f"sqlite:///{path}")
    assert store.directory().empty
    members = store.dataset().members()
    admin = Actor("张科长", ADMIN)
    store.replace_directory(admin, pd.DataFrame({"unit": ["城南小学工会", "城北小学工会"], "members": [70, None],
                                                 "due": [True, False]}))
    reopened = Store(f"sqlite:///{path}")
    stored = reopened.directory()
    assert list(zip(stored["unit"], stored["members"].astype(object).where(stored["members"].notna(), None),
                    stored["due"])) == [("城南小学工会", 70, True), ("城北小学工会", None, False)]
    assert reopened.dataset().members() == {**members, "城南小学工会": 70}
    assert reopened.batches()["id"].tolist() == [1, 2, 3, 4, 5]


NEXT = '''
    """A column added after the first release."""
    import sqlalchemy as sa
    from alembic import op

    revision = "0099"
    down_revision = "{newest}"
    branch_labels = None
    depends_on = None


    def upgrade():
        with op.batch_alter_table("batches") as batch:
            batch.add_column(sa.Column("note", sa.String(200), nullable=True))


    def downgrade():
        with op.batch_alter_table("batches") as batch:
            batch.drop_column("note")
'''


def test_a_later_migration_upgrades_a_store_when_it_opens_keeping_its_data(url, tmp_path, monkeypatch):
    store = Store(url)
    rows = [["日期", "活动名称", "参与人次", "支出"], [dt.date(2025, 4, 3), "春游", 30, 1234.5]]
    from workbooks import workbook_bytes

    assert store.import_bytes(workbook_bytes({"活动": rows}), "q2.xlsx", unit_name="机关工会").status == "imported"
    later = tmp_path / "versions"
    later.mkdir()
    (later / "0099_note.py").write_text(textwrap.dedent(NEXT).replace("{newest}", NEWEST), encoding="utf-8")
    monkeypatch.setattr(database, "VERSION_LOCATIONS", [*database.VERSION_LOCATIONS, later])
    upgraded = Store(url)
    with upgraded.engine.connect() as connection:
        assert database.current_revision(connection) == "0099"
        assert "note" in {c["name"] for c in sa.inspect(connection).get_columns("batches")}
    events = upgraded.dataset().events
    assert events[["name", "participants", "spending"]].values.tolist() == [["春游", 30, 1234.5]]
    assert upgraded.batches()["file_name"].tolist() == ["q2.xlsx"]


@pytest.mark.parametrize("newer", ["alembic", "meta"])
def test_a_store_from_a_newer_unionstats_is_refused_in_chinese(url, newer):
    store = Store(url)
    with store.engine.begin() as connection:
        if newer == "alembic":
            connection.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
        else:
            connection.execute(sa.text("DROP TABLE alembic_version"))
            connection.execute(sa.update(database.meta).values(value="2"))
    with pytest.raises(RuntimeError, match="^数据库由更新版本的 unionstats 创建.*请升级 unionstats$"):
        Store(url)


def test_wal_is_set_even_when_another_opener_holds_the_lock_at_first(tmp_path):
    from unittest import mock

    real = sqlite3.connect(tmp_path / "new.db", isolation_level=None)
    refusals = iter([sqlite3.OperationalError("database is locked")] * 3)

    class Refusing:
        def execute(self, sql):
            if sql.startswith("PRAGMA journal_mode=") and (error := next(refusals, None)):
                raise error
            return real.execute(sql)

    with mock.patch.object(database.time, "sleep") as slept:
        database.use_wal(Refusing())
    assert real.execute("PRAGMA journal_mode").fetchone()[0] == "wal" and slept.call_count == 3
    with pytest.raises(sqlite3.OperationalError, match="disk I/O"):
        database.use_wal(mock.Mock(execute=mock.Mock(side_effect=sqlite3.OperationalError("disk I/O error"))))


# The lengths of the store's text columns are schema's: the loader holds every value to the same numbers.

def test_the_string_columns_the_loader_fills_are_as_long_as_schema_says():
    lengths = {
        ("batches", "file_name"): schema.FILE_NAME_LENGTH,
        ("batch_units", "unit"): schema.UNIT_LENGTH, ("batch_units", "period_text"): schema.PERIOD_TEXT_LENGTH,
        ("batch_issues", "sheet"): schema.SHEET_LENGTH, ("batch_issues", "column"): schema.COLUMN_LENGTH,
        ("batch_issues", "cell"): schema.CELL_LENGTH,
        **{(sheet.key, "sheet"): schema.SHEET_LENGTH for sheet in registry.sheets()},
        **{(sheet.key, c.key): schema.CHOICE_LENGTH for sheet in registry.sheets() for c in sheet.columns
           if c.kind in (schema.CATEGORY, schema.RESULT)},
    }
    assert {key: database.metadata.tables[key[0]].c[key[1]].type.length for key in lengths} == lengths
    assert (schema.UNIT_LENGTH, schema.PERIOD_TEXT_LENGTH, schema.SHEET_LENGTH, schema.COLUMN_LENGTH,
            schema.CELL_LENGTH, schema.CHOICE_LENGTH) == (200, 100, 100, 100, 20, 20), "as migration 0001 made them"


def test_a_choice_longer_than_the_stored_column_is_refused_where_the_column_is_defined():
    with pytest.raises(ValueError, match="longer than 20 characters"):
        schema.Column("kind", "方式", (), schema.CATEGORY, "", choices=("甲" * 21,))
    with pytest.raises(ValueError, match="longer than 20 characters"):
        schema.Column("kind", "方式", (), schema.CATEGORY, "", choices=("甲",), synonyms={"乙": "丙" * 21})
    schema.Column("kind", "方式", (), schema.CATEGORY, "", choices=("甲" * 20,))


def test_a_million_rows_at_the_limits_still_add_up_exactly():
    rows = 1_000_000
    assert schema.MAX_YUAN * 100 * rows < 2**63 / 10, "int64 fen, with room to spare"
    assert schema.MAX_YUAN * 100 < 2**53, "one amount exact to the fen as a float64"
    assert schema.MAX_COUNT * rows < 2**53, "counts exact in int64 and float64"
    assert schema.MAX_MEMBERS < 2**31, "batch_units.members is an Integer"
    fen = np.full(rows, schema.MAX_YUAN * 100, dtype=np.int64)
    assert int(fen.sum()) == schema.MAX_YUAN * 100 * rows
