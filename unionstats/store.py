"""Keep every imported workbook: batches with history, never counted twice.

An import is a batch. It stores all of its rows or none (one transaction),
the same content twice is a no-op, and a file that covers the same unit and
dates as a stored batch is refused unless replacement is asked for. Replaced
and deleted batches stay in history and can be restored. Writers take a
store-wide lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock), so
two imports at the same moment are serialised rather than double counted.

Figures are computed on DataFrames read from the store, not in SQL: the
dashboard caches those frames (invalidated by `revision()`), and pandas
filters and groups a million cached rows well inside 300 ms on every
database, while SQL aggregates would cost a round trip per chart and per
filter change (bench/bench_store.py measures both).
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from . import database, model, schema
from .loading import load_bytes
from .model import Dataset
from .reading import WorkbookError, read_bytes
from .report import LoadReport

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "unionstats.db"
ADVISORY_LOCK = 72_617_301
IMPORTED, UNCHANGED, REFUSED, INVALID = "imported", "unchanged", "refused", "invalid"
REPLACE_HINT = "如果这是更正后的文件，请选择替换（命令行加 --replace）；被替换的批次保留在历史中，可随时恢复"


class StoreError(Exception):
    """An action on the store that cannot be done; the message says why in Chinese."""


def resolve_url(url: str | None = None) -> str:
    return url or os.environ.get("UNIONSTATS_DB") or f"sqlite:///{DEFAULT_PATH}"


def make_engine(url: str) -> sa.Engine:
    if not url.startswith("sqlite"):
        return sa.create_engine(url, pool_pre_ping=True)
    file = sa.engine.make_url(url).database
    if file and file != ":memory:":
        Path(file).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": 60})

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        for pragma in ("foreign_keys=ON", "busy_timeout=60000", "journal_mode=WAL", "synchronous=NORMAL"):
            dbapi_connection.execute(f"PRAGMA {pragma}")

    @sa.event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


@dataclass
class ImportResult:
    status: str
    message: str
    batch_id: int | None = None
    replaced: list[int] = field(default_factory=list)
    report: LoadReport = field(default_factory=LoadReport)

    @property
    def ok(self) -> bool:
        return self.status in (IMPORTED, UNCHANGED)


def describe_batch(row) -> str:
    period = f"{row.period_start}至{row.period_end}" if row.period_start else "无日期"
    return f"第{row.id}批（{row.file_name}，{period}，{database.STATE_LABELS[row.state]}）"


class Store:
    def __init__(self, url: str | None = None):
        self.url = resolve_url(url)
        self.engine = make_engine(self.url)
        with self.engine.begin() as connection:
            self._lock(connection)
            database.migrate(connection)
            database.add_kinds(connection)

    def _lock(self, connection: sa.Connection) -> None:
        if self.engine.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK})

    def import_path(self, path: str | Path, **options) -> ImportResult:
        try:
            data = read_bytes(path)
        except WorkbookError as exc:
            return ImportResult(INVALID, f"{Path(path).name}：{exc}")
        return self.import_bytes(data, Path(path).name, **options)

    def import_bytes(self, data: bytes, name: str, *, replace: bool = False, skip_bad_rows: bool = False,
                     user: str | None = None) -> ImportResult:
        return self.import_dataset(load_bytes(data, name), name, replace=replace, skip_bad_rows=skip_bad_rows,
                                   user=user)

    def import_dataset(self, dataset: Dataset, name: str, *, replace: bool = False, skip_bad_rows: bool = False,
                       user: str | None = None) -> ImportResult:
        """Store a loaded workbook as one batch, all of it or nothing."""
        refusal = self._refusal(dataset, name, skip_bad_rows)
        if refusal:
            return refusal
        digest = content_hash(dataset)
        with self.engine.begin() as connection:
            self._lock(connection)
            same = sa.select(database.batches).where(database.batches.c.content_hash == digest)
            earlier = connection.execute(same).first()
            if earlier:
                hint = "" if earlier.state == database.ACTIVE else f"；如需重新启用，请恢复第{earlier.id}批"
                return ImportResult(UNCHANGED, f"{name}：内容与已导入的{describe_batch(earlier)}相同，未重复导入{hint}",
                                    earlier.id, report=dataset.report)
            ranges = unit_ranges(dataset)
            overlapping = self._overlapping(connection, ranges)
            if overlapping and not replace:
                listed = "、".join(describe_batch(b) for b in overlapping)
                return ImportResult(REFUSED, f"{name}：单位和日期与{listed}重叠，未导入。{REPLACE_HINT}",
                                    report=dataset.report)
            batch_id = self._insert(connection, dataset, name, digest, ranges, user)
            replaced = [b.id for b in overlapping]
            self._set_state(connection, replaced, database.REPLACED, replaced_by=batch_id)
        done = f"{name}：已导入为第{batch_id}批，{rows_text(dataset)}"
        if replaced:
            done += f"；替换了第{'、'.join(map(str, replaced))}批"
        if dataset.report.skipped_rows:
            done += f"；跳过有错误的 {dataset.report.skipped_rows} 行（已记录）"
        return ImportResult(IMPORTED, done, batch_id, replaced, dataset.report)

    def _refusal(self, dataset: Dataset, name: str, skip_bad_rows: bool) -> ImportResult | None:
        report = dataset.report
        if report.errors and (not skip_bad_rows or not dataset.row_count):
            first = report.errors[0]
            more = f"等 {len(report.errors)} 处错误" if len(report.errors) > 1 else ""
            hint = "" if not dataset.row_count else "；改正后重新导入，或选择跳过有错误的行（--skip-bad-rows）"
            return ImportResult(INVALID, f"{name}：{first.where()}{'：' if first.where() else ''}{first.message}"
                                         f"{more}，未导入{hint}", report=report)
        if not dataset.row_count:
            return ImportResult(INVALID, f"{name}：文件中没有数据行，未导入", report=report)
        return None

    def _overlapping(self, connection: sa.Connection, ranges: pd.DataFrame) -> list:
        units, batches = database.batch_units, database.batches
        found: dict[int, object] = {}
        for unit, first, last in ranges.itertuples(index=False):
            query = (
                sa.select(batches).join(units, units.c.batch_id == batches.c.id)
                .where(batches.c.state == database.ACTIVE, units.c.unit == unit,
                       units.c.first_date <= last, units.c.last_date >= first)
            )
            for row in connection.execute(query):
                found[row.id] = row
        return [found[k] for k in sorted(found)]

    def _insert(self, connection: sa.Connection, dataset: Dataset, name: str, digest: str, ranges: pd.DataFrame,
                user: str | None) -> int:
        now = dt.datetime.now(dt.UTC)
        batch_id = connection.execute(sa.insert(database.batches).values(
            file_name=name, content_hash=digest,
            period_start=ranges["first_date"].min(), period_end=ranges["last_date"].max(),
            row_counts={k: len(f) for k, f in dataset.frames().items()},
            skipped_rows=dataset.report.skipped_rows, imported_by=user or current_user(),
            imported_at=now, state=database.ACTIVE, changed_at=now,
        )).inserted_primary_key[0]
        connection.execute(sa.insert(database.batch_units), unit_records(dataset, ranges, batch_id))
        issues = [issue_record(i, batch_id) for i in dataset.report.issues if i.level != "notice"]
        if issues:
            connection.execute(sa.insert(database.batch_issues), issues)
        for sheet in schema.DATA_SHEETS:
            frame = dataset.frame(sheet.key)
            if len(frame):
                connection.execute(sa.insert(database.data_table(sheet)), frame_records(sheet, frame, batch_id))
        return batch_id

    def _set_state(self, connection: sa.Connection, ids: list[int], state: str, replaced_by: int | None = None):
        if ids:
            connection.execute(sa.update(database.batches).where(database.batches.c.id.in_(ids)).values(
                state=state, replaced_by=replaced_by, changed_at=dt.datetime.now(dt.UTC)))

    def _batch(self, connection: sa.Connection, batch_id: int):
        row = connection.execute(sa.select(database.batches).where(database.batches.c.id == batch_id)).first()
        if row is None:
            raise StoreError(f"没有第{batch_id}批，请用 batches 命令查看现有批次")
        return row

    def delete(self, batch_id: int) -> str:
        with self.engine.begin() as connection:
            self._lock(connection)
            row = self._batch(connection, batch_id)
            if row.state == database.DELETED:
                return f"{describe_batch(row)}已经删除，无需再删"
            self._set_state(connection, [batch_id], database.DELETED)
        return f"已删除第{batch_id}批（{row.file_name}）；它保留在历史中，可用 restore {batch_id} 恢复"

    def restore(self, batch_id: int, replace: bool = False) -> str:
        """Make a batch active again; restoring a replaced batch sets aside the batch that replaced it."""
        with self.engine.begin() as connection:
            self._lock(connection)
            row = self._batch(connection, batch_id)
            if row.state == database.ACTIVE:
                return f"{describe_batch(row)}本来就有效，无需恢复"
            ranges = pd.read_sql(sa.select(database.batch_units.c.unit, database.batch_units.c.first_date,
                                           database.batch_units.c.last_date)
                                 .where(database.batch_units.c.batch_id == batch_id), connection)
            overlapping = self._overlapping(connection, ranges)
            undo = all(b.id == row.replaced_by for b in overlapping)
            if overlapping and not (replace or undo):
                listed = "、".join(describe_batch(b) for b in overlapping)
                raise StoreError(f"第{batch_id}批与{listed}的单位和日期重叠；如要恢复它并替换这些批次，请加 --replace")
            aside = [b.id for b in overlapping]
            self._set_state(connection, aside, database.REPLACED, replaced_by=batch_id)
            self._set_state(connection, [batch_id], database.ACTIVE)
        note = f"；第{'、'.join(map(str, aside))}批改为“已被替换”" if aside else ""
        return f"已恢复第{batch_id}批（{row.file_name}）{note}"

    def batches(self) -> pd.DataFrame:
        units = (
            sa.select(database.batch_units.c.batch_id, database.batch_units.c.unit)
            .order_by(database.batch_units.c.batch_id, database.batch_units.c.unit)
        )
        with self.engine.connect() as connection:
            frame = pd.read_sql(sa.select(database.batches).order_by(database.batches.c.id), connection)
            unit_rows = pd.read_sql(units, connection)
        names = unit_rows.groupby("batch_id")["unit"].agg("、".join)
        frame["units"] = frame["id"].map(names).fillna("")
        frame["rows"] = [sum(counts.values()) for counts in frame["row_counts"]]
        return frame

    def batch_issues(self, batch_id: int) -> pd.DataFrame:
        query = sa.select(database.batch_issues).where(database.batch_issues.c.batch_id == batch_id)
        with self.engine.connect() as connection:
            return pd.read_sql(query, connection)

    def revision(self) -> str:
        """Changes whenever any import, delete or restore commits: a cache key for readers."""
        batches = database.batches
        query = sa.select(sa.func.count(), sa.func.max(batches.c.changed_at), sa.func.max(batches.c.id))
        with self.engine.connect() as connection:
            return "/".join(map(str, connection.execute(query).one()))

    def dataset(self) -> Dataset:
        """Every row of the active batches, as the model's typed frames."""
        active = sa.select(database.batches.c.id, database.batches.c.file_name).where(
            database.batches.c.state == database.ACTIVE)
        with self.engine.connect() as connection:
            sources = dict(connection.execute(active).all())
            dataset = Dataset(sources=list(sources.values()))
            if not sources:
                return dataset
            for sheet in schema.DATA_SHEETS:
                dataset.tables[sheet.key] = read_frame(connection, sheet, sources)
            dataset.units = read_units(connection, sources)
        return dataset


def read_frame(connection: sa.Connection, sheet: schema.Sheet, sources: dict[int, str]) -> pd.DataFrame:
    table = database.data_table(sheet)
    query = sa.select(table).where(table.c.batch_id.in_(list(sources))).order_by(table.c.batch_id, table.c.id)
    frame = pd.read_sql(query, connection)
    if not len(frame):
        return model.empty_frame(sheet)
    for key in database.money_columns(sheet):
        frame[key] = frame[key] / 100
    frame["source"] = frame["batch_id"].map(sources)
    dtypes = model.frame_dtypes(sheet)
    for key, dtype in dtypes.items():
        if dtype.startswith("datetime64"):
            frame[key] = pd.to_datetime(frame[key])
        elif dtype == "str":
            frame[key] = frame[key].fillna("")
    return frame[list(dtypes)].astype(dtypes)


def read_units(connection: sa.Connection, sources: dict[int, str]) -> pd.DataFrame:
    units = database.batch_units
    query = sa.select(units).where(units.c.batch_id.in_(list(sources))).order_by(units.c.last_date, units.c.batch_id)
    frame = pd.read_sql(query, connection)
    frame["source"] = frame["batch_id"].map(sources)
    frame = frame.drop_duplicates("unit", keep="last")
    return frame[list(model.UNIT_COLUMNS)].astype({"unit": "str", "members": "Int64", "period_text": "str",
                                                   "source": "str"}).reset_index(drop=True)


def column_values(frame: pd.DataFrame, column: str) -> list:
    """Plain Python values of a column, None where missing."""
    series = frame[column]
    if series.dtype.kind == "M":
        return [None if d is pd.NaT else d.date() for d in series.tolist()]
    return [None if v is pd.NA or v != v else v for v in series.tolist()]


def content_hash(dataset: Dataset) -> str:
    """The same records, in any order and whatever the file's bytes, give the same hash."""
    digest = hashlib.sha256()
    for key, frame in [*dataset.frames().items(), ("units", dataset.units)]:
        columns = [c for c in frame.columns if c not in model.ORIGIN_COLUMNS]
        rows = sorted(map(repr, zip(*(column_values(frame, c) for c in columns))))
        digest.update(f"{key}:{len(rows)}\n".encode() + "\n".join(rows).encode())
    return digest.hexdigest()


def unit_ranges(dataset: Dataset) -> pd.DataFrame:
    """First and last date per unit over every sheet of a dataset."""
    first: dict[str, dt.date] = {}
    last: dict[str, dt.date] = {}
    for frame in dataset.frames().values():
        for unit, day in zip(frame["unit"].tolist(), column_values(frame, "date")):
            if day < first.get(unit, dt.date.max):
                first[unit] = day
            if day > last.get(unit, dt.date.min):
                last[unit] = day
    units = sorted(first)
    return pd.DataFrame({"unit": units, "first_date": [first[u] for u in units], "last_date": [last[u] for u in units]})


def unit_records(dataset: Dataset, ranges: pd.DataFrame, batch_id: int) -> list[dict]:
    members = dataset.members()
    info = dict(zip(dataset.units["unit"], dataset.units["period_text"]))
    return [dict(batch_id=batch_id, unit=unit, first_date=first, last_date=last, members=members.get(unit),
                 period_text=info.get(unit, "")) for unit, first, last in ranges.itertuples(index=False)]


def frame_records(sheet: schema.Sheet, frame: pd.DataFrame, batch_id: int) -> list[dict]:
    table = database.data_table(sheet)
    names = [c.name for c in table.columns if c.name not in ("id", "batch_id")]
    money = set(database.money_columns(sheet))
    columns = [(frame[n] * 100).round().astype("int64").tolist() if n in money else column_values(frame, n)
               for n in names]
    return [dict(zip(names, row), batch_id=batch_id) for row in zip(*columns)]


def issue_record(issue, batch_id: int) -> dict:
    return dict(batch_id=batch_id, level=issue.level, sheet=issue.sheet, row=issue.row, column=issue.column,
                cell=issue.cell, value=issue.value, message=issue.message)


def rows_text(dataset: Dataset) -> str:
    return "，".join(f"{s.name} {len(dataset.frame(s.key))} 行" for s in schema.DATA_SHEETS)


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "未知"

