"""The store's tables, derived from `schema`, and the migrations between versions.

Data tables mirror the model's frames: one row per workbook row, tagged with
its batch. Money is stored as whole fen (BigInteger), so sums in SQL and in
pandas are exact on every database.

Migrations: Alembic scripts in `migrations/versions/` (the first one frozen
as released), run when a store is opened that is not at the newest one, so a
store written by any earlier unionstats upgrades with its data. Opening first
checks by reading only (`up_to_date`), so it takes the write lock, and waits
for an import in progress, only when something must change. SQLite gets
batch mode (a table rebuilt, since it cannot alter a column in place).
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from unionstats.contract import registry, schema

# A batch's states.
ACTIVE, REPLACED, DELETED = "active", "replaced", "deleted"
STATE_LABELS = {ACTIVE: "有效", REPLACED: "已被替换", DELETED: "已删除"}

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "unionstats.db"
ADVISORY_LOCK = 72_617_301
USER_NAME_LENGTH = 100

metadata = sa.MetaData()

meta = sa.Table(
    "meta", metadata,
    sa.Column("key", sa.String(50), primary_key=True),
    sa.Column("value", sa.String(200), nullable=False),
)

batches = sa.Table(
    "batches", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("file_name", sa.String(schema.FILE_NAME_LENGTH), nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("period_start", sa.Date),
    sa.Column("period_end", sa.Date),
    sa.Column("row_counts", sa.JSON, nullable=False),
    sa.Column("skipped_rows", sa.Integer, nullable=False, default=0),
    sa.Column("imported_by", sa.String(100), nullable=False),
    sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("state", sa.String(10), nullable=False, index=True),
    sa.Column("replaced_by", sa.Integer),
    sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
)

batch_units = sa.Table(
    "batch_units", metadata,
    sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id"), nullable=False, index=True),
    sa.Column("unit", sa.String(schema.UNIT_LENGTH), nullable=False, index=True),
    sa.Column("first_date", sa.Date),
    sa.Column("last_date", sa.Date),
    sa.Column("members", sa.Integer),
    sa.Column("period_text", sa.String(schema.PERIOD_TEXT_LENGTH), nullable=False, default=""),
    sa.Column("named", sa.Boolean),  # False: the workbook gave no name, so the file name stands in (NULL: before 0003)
)

batch_issues = sa.Table(
    "batch_issues", metadata,
    sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id"), nullable=False, index=True),
    sa.Column("level", sa.String(10), nullable=False),
    sa.Column("sheet", sa.String(schema.SHEET_LENGTH), nullable=False),
    sa.Column("row", sa.Integer),
    sa.Column("column", sa.String(schema.COLUMN_LENGTH), nullable=False),
    sa.Column("cell", sa.String(schema.CELL_LENGTH), nullable=False),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("message", sa.Text, nullable=False),
)

users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(USER_NAME_LENGTH), nullable=False, unique=True),
    sa.Column("role", sa.String(10), nullable=False),
    sa.Column("units", sa.JSON, nullable=False),
    sa.Column("password_hash", sa.String(200)),
    sa.Column("email", sa.String(200), index=True),
    sa.Column("subject", sa.String(200), index=True),
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
)

sessions = sa.Table(
    "sessions", metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("user_name", sa.String(USER_NAME_LENGTH), nullable=False, index=True),
    sa.Column("address", sa.String(100), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
    sa.Column("ended", sa.Boolean, nullable=False, default=False),
)

audit_log = sa.Table(
    "audit_log", metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("actor", sa.String(USER_NAME_LENGTH), nullable=False, index=True),
    sa.Column("role", sa.String(10), nullable=False),
    sa.Column("how", sa.String(10), nullable=False),
    sa.Column("action", sa.String(30), nullable=False),
    sa.Column("ok", sa.Boolean, nullable=False),
    sa.Column("batch_id", sa.Integer),
    sa.Column("file_name", sa.String(schema.FILE_NAME_LENGTH), nullable=False),
    sa.Column("units", sa.Text, nullable=False),
    sa.Column("address", sa.String(100), nullable=False),
    sa.Column("detail", sa.Text, nullable=False),
)

rule_versions = sa.Table(  # the spending rules' versions (rulebook.py), each a whole set in force from `start`
    "rule_versions", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("set_key", sa.String(50), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("start", sa.Date, nullable=False),
    sa.Column("saved_by", sa.String(USER_NAME_LENGTH), nullable=False),
    sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
)

unit_directory = sa.Table(  # the 单位名录 (directory.py): one row per unit, in the order it was entered
    "unit_directory", metadata,
    sa.Column("unit", sa.String(schema.UNIT_LENGTH), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("members", sa.Integer),  # NULL: the directory gives no count, so 单位信息's counts
    sa.Column("due", sa.Boolean, nullable=False),  # 应报送
    sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("changed_by", sa.String(USER_NAME_LENGTH), nullable=False),
)

set_aside = sa.Table(  # rows of a batch replaced by a later one (replacing.py): one unit's, from first to last day
    "set_aside", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id"), nullable=False, index=True),
    sa.Column("unit", sa.String(schema.UNIT_LENGTH), nullable=False),
    sa.Column("first_date", sa.Date, nullable=False),
    sa.Column("last_date", sa.Date, nullable=False),
    sa.Column("replaced_by", sa.Integer, sa.ForeignKey("batches.id"), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
)

_TYPES: dict[str, type[sa.types.TypeEngine[Any]] | sa.types.TypeEngine[Any]] = {
    schema.DATE: sa.Date,
    schema.YEAR: sa.Date,
    schema.TEXT: sa.Text,
    schema.CATEGORY: sa.String(schema.CHOICE_LENGTH),
    schema.RESULT: sa.String(schema.CHOICE_LENGTH),
    schema.INT: sa.BigInteger,
    schema.MONEY: sa.BigInteger,
}


def money_columns(sheet: schema.Sheet) -> list[str]:
    return [c.key for c in sheet.columns if c.kind == schema.MONEY]


def _data_table(sheet: schema.Sheet) -> sa.Table:
    columns: list[sa.Column[Any]] = [sa.Column(c.key, _TYPES[c.kind], nullable=not c.required) for c in sheet.columns]
    if any(c.kind == schema.RESULT for c in sheet.columns):
        columns.append(sa.Column("award_name", sa.Text))
    table = sa.Table(
        sheet.key, metadata,
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id"), nullable=False),
        sa.Column("sheet", sa.String(schema.SHEET_LENGTH), nullable=False),
        sa.Column("row", sa.Integer, nullable=False),
        *columns,
    )
    sa.Index(f"ix_{sheet.key}_batch", table.c.batch_id)
    sa.Index(f"ix_{sheet.key}_date", table.c.date)
    sa.Index(f"ix_{sheet.key}_unit_date", table.c.unit, table.c.date)  # (an import's look-up of its units' rows)
    return table


CORE_TABLES = {"meta", "batches", "batch_units", "batch_issues", "users", "sessions", "audit_log", "unit_directory",
               "set_aside"}
DATA_TABLES: dict[str, sa.Table] = {}


def add_kinds(connection: sa.Connection) -> None:
    """Create the tables of sheet kinds that no migration makes (a union's own kind, registered beside ours)."""
    tables = [data_table(sheet) for sheet in registry.sheets()]
    metadata.create_all(connection, tables=tables, checkfirst=True)
    for table in tables:  # an index added since such a table was made
        for index in table.indexes:
            index.create(connection, checkfirst=True)


def kinds_missing(connection: sa.Connection) -> list[str]:
    """The tables of registered sheet kinds that the store does not have yet (what add_kinds would create)."""
    present = set(sa.inspect(connection).get_table_names())
    return [sheet.key for sheet in registry.sheets() if data_table(sheet).name not in present]


def forget_table(key: str) -> None:
    """Drop an unregistered kind's table from the metadata (its rows stay in any store that has them)."""
    table = DATA_TABLES.pop(key, None)
    if table is not None:
        metadata.remove(table)


def data_table(sheet: schema.Sheet) -> sa.Table:
    """The table of a sheet kind, made in the metadata on first use."""
    if sheet.key not in DATA_TABLES:
        DATA_TABLES[sheet.key] = _data_table(sheet)
    return DATA_TABLES[sheet.key]


def migrated_tables() -> set[str]:
    """The tables Alembic manages: the store's own and those of the kinds the migrations make."""
    kinds = [kind for kind in registry.registered() if kind.migrated]
    return CORE_TABLES | {data_table(kind.sheet).name for kind in kinds}


MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_LOCATIONS = [MIGRATIONS / "versions"]


def include_in_migrations(obj, name, kind, reflected, compare_to) -> bool:
    """Alembic manages the contract's tables; a kind registered at run time keeps its own (see add_kinds)."""
    if kind == "table":
        return name in migrated_tables()
    table = getattr(obj, "table", None)
    return table is None or table.name in migrated_tables()


def alembic_config(connection: sa.Connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("version_locations", " ".join(str(p) for p in VERSION_LOCATIONS))
    config.set_main_option("path_separator", "space")
    config.attributes["connection"] = connection
    return config


def current_revision(connection: sa.Connection) -> str | None:
    from alembic.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def migrate(connection: sa.Connection) -> str:
    """Bring the store to the newest migration, keeping its data; refuse a store written by a newer unionstats.

    A store from before the migrations (its `meta` table at schema version 1) holds exactly the first
    migration's tables, so it is marked as being there and upgraded from it.
    """
    from alembic import command
    from alembic.script import ScriptDirectory

    config = alembic_config(connection)
    script = ScriptDirectory.from_config(config)
    newer = "数据库由更新版本的 unionstats 创建（{}），本程序无法读取，请升级 unionstats"
    revision = current_revision(connection)
    if revision is None and sa.inspect(connection).has_table("meta"):
        version = connection.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
        if int(version or 0) > 1:
            raise RuntimeError(newer.format(f"结构版本 {version}"))
        command.stamp(config, FIRST_REVISION)
    elif revision is not None and revision not in {r.revision for r in script.walk_revisions()}:
        raise RuntimeError(newer.format(f"迁移版本 {revision}"))
    command.upgrade(config, "head")
    upgraded = current_revision(connection)
    assert upgraded is not None, "an upgrade to head leaves the store at a revision"
    return upgraded


FIRST_REVISION = "0001"


def schema_current(connection: sa.Connection) -> bool:
    """Whether the store is at the newest migration, by reading only; any other version (older, unknown, none)
    is for `migrate`, which upgrades it or refuses it."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(connection))
    return current_revision(connection) in set(script.get_heads())


def up_to_date(connection: sa.Connection) -> bool:
    """Whether opening has nothing to change in the schema: the newest migration and every kind's table."""
    return schema_current(connection) and not kinds_missing(connection)


def resolve_url(url: str | None = None) -> str:
    """The store's URL: the one given, else UNIONSTATS_DB, else the SQLite file in data/."""
    return url or os.environ.get("UNIONSTATS_DB") or f"sqlite:///{DEFAULT_PATH}"


class StoreSettingError(RuntimeError):
    """The store's URL cannot be used as written; the message says what to write instead, in Chinese, and the caller
    names the setting it came from."""


URL_FORMS = "sqlite:///文件夹/文件名.db 或 postgresql+psycopg://用户名:密码@主机:端口/数据库名"


def checked_url(url: str) -> sa.URL:
    """The URL parsed, or StoreSettingError: not a URL, a dialect we do not ship, or a SQLite file in a folder that
    does not exist (made silently, a typo would start an empty store somewhere unexpected; only data/ is made)."""
    try:
        parsed = sa.engine.make_url(url)
    except (sa.exc.ArgumentError, ValueError):
        raise StoreSettingError(f"“{masked(url)}”不是数据库地址，应写成 {URL_FORMS}") from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreSettingError(f"不支持“{parsed.get_backend_name()}”数据库，地址应写成 {URL_FORMS}")
    file = parsed.database if parsed.get_backend_name() == "sqlite" else None
    if file and file != ":memory:" and not file.startswith("file:"):
        folder = Path(file).parent
        if folder.resolve() == DEFAULT_PATH.parent.resolve():
            folder.mkdir(parents=True, exist_ok=True)
        elif not folder.is_dir():
            raise StoreSettingError(f"SQLite 数据库文件所在的文件夹 {folder} 不存在。"
                                    "请先创建这个文件夹，或改用已有文件夹中的文件")
    return parsed


def masked(url: str) -> str:
    """A URL as a message may show it: no password."""
    return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", url)


def make_engine(url: str) -> sa.Engine:
    parsed = checked_url(url)
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True)
    engine = sa.create_engine(url, connect_args={"timeout": 60})

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        for pragma in ("foreign_keys=ON", "busy_timeout=60000", "synchronous=NORMAL"):
            dbapi_connection.execute(f"PRAGMA {pragma}")
        use_wal(dbapi_connection)

    @sa.event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        # A writer takes the write lock when it begins, so it never fails to upgrade a read snapshot later;
        # a reader begins deferred and, under WAL, reads its snapshot while a writer works.
        connection.exec_driver_sql("BEGIN IMMEDIATE" if connection.get_execution_options().get(WRITER) else "BEGIN")

    return engine


WRITER = "unionstats_writer"


def use_wal(connection: sqlite3.Connection, seconds: float = 60) -> None:
    """Put the file in WAL mode (a property of the file, so set once, by whichever connection comes first).

    While processes open a new store at the same moment, SQLite can refuse the change at once ("database is
    locked") rather than wait its busy timeout, to avoid a deadlock between them: so try again until it holds.
    """
    deadline = time.monotonic() + seconds
    while True:
        try:
            if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@contextmanager
def writing(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A transaction that writes: writers run one at a time, readers never wait for them."""
    with engine.connect() as connection:
        connection.execution_options(**{WRITER: True})
        with connection.begin():
            lock_for_writing(connection)
            yield connection


def lock_for_writing(connection: sa.Connection) -> None:
    """Serialise writers: on SQLite BEGIN IMMEDIATE (see `writing`) already does; PostgreSQL takes an advisory lock."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK})
