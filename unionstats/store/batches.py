"""Keep every imported workbook: batches with history, never counted twice.

An import is a batch. It stores all of its rows or none (one transaction),
the same content twice is a no-op, and a file whose units already have rows
within the period it covers is refused unless replacement is asked for; a
replacement sets aside exactly those rows (`replacing`). Replaced rows and
deleted batches stay in history and can be restored. Writers take a store-wide lock (`database.writing`), so
two imports at the same moment are serialised rather than double counted.
Every action returns an outcome record (`outcomes`); the front ends word it
(`wording`).

This module holds `Store`, which decides what is kept and who may change it; moving rows between a
Dataset and the tables is `rows`.

Figures are computed on DataFrames read from the store, not in SQL: the
dashboard caches those frames (invalidated by `revision()`), and pandas
filters and groups a million cached rows well inside 300 ms on every
database, while SQL aggregates would cost a round trip per chart and per
filter change (bench/bench_store.py measures both).
"""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from unionstats.compliance.check import Check, check
from unionstats.contract import registry
from unionstats.contract.periods import Period
from unionstats.intake import naming
from unionstats.intake.loading import load_bytes
from unionstats.intake.model import Dataset
from unionstats.intake.reading import WorkbookError, read_bytes
from unionstats.store import access, audit, database, directory, importing, replacing, sample, snapshot
from unionstats.store.access import Actor, Forbidden
from unionstats.store.accounts import Accounts
from unionstats.store.database import resolve_url
from unionstats.store.directory import DirectoryChange  # (inside Store, `directory` is its method)
from unionstats.store.outcomes import (
    IMPORTED,
    INVALID,
    NO_UNIT,
    REFUSED,
    UNCHANGED,
    UNREADABLE,
    BatchInfo,
    Deleted,
    ImportResult,
    RestoreConflict,
    Restored,
    SampleBesideRealData,
    StoreError,
)
from unionstats.store.rows import BatchRows, batch_units, find_batch, insert, read_units, set_state
from unionstats.store.rulebook import Rulebook

__all__ = ["IMPORTED", "INVALID", "REFUSED", "UNCHANGED", "ImportResult", "Store", "StoreError", "resolve_url"]


ORGANISATION = "organisation_name"  # the meta key of the organisation's own name


class Store:
    def __init__(self, url: str | None = None):
        self.url = resolve_url(url)
        self.engine = database.make_engine(self.url)  # (first: it says in Chinese what is wrong with the URL)
        folder = snapshot.folder_for(self.url)
        self._rows = BatchRows(None if folder is None else snapshot.Snapshot(folder))
        with self.engine.connect() as connection:  # reads only, so opening never waits for an import
            ready = database.up_to_date(connection) and not sample.unsettled(connection)
        if not ready:
            with database.writing(self.engine) as connection:  # checked again: another process may have done it
                if not database.schema_current(connection):
                    database.migrate(connection)
                database.add_kinds(connection)
                sample.settle(connection, access.operator(current_user()))
        self.accounts = Accounts(self.engine)
        self.rules = Rulebook(self.engine, self._require)

    def import_path(self, path: str | Path, **options) -> ImportResult:
        try:
            data = read_bytes(path)
        except WorkbookError as exc:
            return ImportResult(INVALID, Path(path).name, problem=UNREADABLE, detail=str(exc))
        return self.import_bytes(data, Path(path).name, **options)

    def import_bytes(self, data: bytes, name: str, **options) -> ImportResult:
        return self.import_dataset(load_bytes(data, name), name, **options)

    def import_dataset(self, dataset: Dataset, name: str, *, replace: bool = False, skip_bad_rows: bool = False,
                       actor: Actor | None = None, user: str | None = None, unit_name: str = "") -> ImportResult:
        """Store a loaded workbook as one batch, all of it or nothing, if `actor` may.

        Without an actor the machine's operator imports (the command line, under `user` or the login name).
        A 填报 actor may bring in and replace only its own units' rows (in a batch of several units too).
        The first real import sets the sample aside (`sample`); the sample may not be imported beside real data.
        `unit_name` is the unit of rows whose workbook names none (naming.py); without one they are refused.
        """
        actor = actor or access.operator(user or current_user())
        counts = {registry.sheet(key).name: len(frame) for key, frame in dataset.present_frames().items()}
        result = ImportResult(INVALID, name, row_counts=counts, report=dataset.report, unit_title=dataset.unit_title)
        try:
            given = naming.clean_name(unit_name)
        except ValueError as exc:
            result.problem, result.detail = NO_UNIT, str(exc)
            return result
        if given and naming.unnamed_rows(dataset):
            dataset, result.unit_name = naming.named(dataset, given), given
            result.report = dataset.report
        units = {unit for frame in dataset.frames().values() for unit in frame["unit"].unique()} - {""}
        self._require(actor, access.REPLACE if replace else access.IMPORT, units, file_name=name)
        result.problem = importing.problem(dataset, skip_bad_rows)
        if result.problem:
            return result
        ranges = importing.unit_ranges(dataset)
        digest = importing.content_hash(dataset)
        result.scope = replacing.scope_of(dataset, name)
        with database.writing(self.engine) as connection:
            same = sa.select(database.batches).where(database.batches.c.content_hash == digest)
            earlier = connection.execute(same).first()
            if earlier:
                result.status, result.batch_id, result.same_as = UNCHANGED, earlier.id, BatchInfo.of(earlier)
                return result
            samples, real = sample.active(connection)
            if sample.is_sample(actor) and real:
                raise SampleBesideRealData(None, real)
            result.parts = [p for p in replacing.parts(connection, result.scope)
                            if sample.is_sample(actor) or p.batch_id not in samples]
            result.overlapping = [find_batch(connection, i) for i in sorted({p.batch_id for p in result.parts})]
            if result.overlapping and not replace:
                result.status = REFUSED
                return result
            others = {p.unit for p in result.parts}
            if access.refusal(actor, access.REPLACE, others):
                result.status = REFUSED
            else:
                result.batch_id = insert(connection, dataset, name, digest, ranges, actor.label)
                result.replaced, _ = replacing.set_aside(connection, result.parts, result.batch_id)
                audit.record(connection, actor, access.REPLACE if result.replaced else access.IMPORT,
                             batch_id=result.batch_id, file_name=name, units=ranges["unit"],
                             detail=f"{sum(counts.values())}行" + (
                                 f"，替换{replacing.replaced_detail(result.parts)}" if result.parts else ""))
                if not sample.is_sample(actor):
                    result.sample_set_aside = sample.set_aside(connection, actor, samples,
                                                               f"导入第{result.batch_id}批时")
        if result.status == REFUSED:  # the batches to replace hold another unit's rows: recorded, then raised
            self._require(actor, access.REPLACE, others, file_name=name)
        result.status = IMPORTED
        return result

    def replacing(self, dataset: Dataset, name: str, unit_name: str = "") -> Replacing | None:
        """What importing `dataset` with replacing would set aside: the workbook as it would be stored (named
        `unit_name` where it names no unit), its scope, and the stored parts in that scope; None when it would
        replace nothing or could not be imported. Reads only."""
        try:
            given = naming.clean_name(unit_name)
        except ValueError:
            return None
        if given and naming.unnamed_rows(dataset):
            dataset = naming.named(dataset, given)
        if importing.problem(dataset, skip_bad_rows=True):
            return None
        scope = replacing.scope_of(dataset, name)
        with self.engine.connect() as connection:
            samples, _ = sample.active(connection)
            found = [p for p in replacing.parts(connection, scope) if p.batch_id not in samples]
        return Replacing(dataset, scope, found) if found else None

    def ensure_sample(self) -> None:
        """A new store (no batch in any state) gets the sample workbook (sample.py)."""
        if sample.SAMPLE.exists() and self.is_empty():
            self.import_path(sample.SAMPLE, actor=access.operator(sample.SAMPLE_USER))

    def sample_batches(self) -> list[int]:
        """The sample's active batches: while there are any, they are all the store counts."""
        return self.active_batch_ids(imported_by=sample.SAMPLE_USER)

    def delete(self, batch_id: int, actor: Actor | None = None) -> Deleted:
        actor = actor or access.operator(current_user())
        self._require(actor, access.DELETE, batch_id=batch_id)
        with database.writing(self.engine) as connection:
            batch = find_batch(connection, batch_id)
            if batch.state == database.DELETED:
                return Deleted(batch, already=True)
            set_state(connection, [batch_id], database.DELETED)
            audit.record(connection, actor, access.DELETE, batch_id=batch_id, file_name=batch.file_name,
                         units=batch_units(connection, [batch_id]))
            replaced = replacing.replaced_by(connection, batch_id)
        return Deleted(batch, replaced=replaced)

    def restore(self, batch_id: int, replace: bool = False, actor: Actor | None = None) -> Restored:
        """Count a replaced, partly replaced or deleted batch's rows again, setting aside in other batches the rows of
        its units within its period (replacing.py); without `replace` only when those batches replaced its rows.

        A real batch restored sets the sample aside; the sample is not restored while real data is active.
        """
        actor = actor or access.operator(current_user())
        self._require(actor, access.RESTORE, batch_id=batch_id)
        with database.writing(self.engine) as connection:
            batch = find_batch(connection, batch_id)
            replacers = replacing.replacers(connection, batch_id)
            if batch.state == database.ACTIVE and not replacers:
                return Restored(batch, already=True)
            samples, real = sample.active(connection)
            restoring_sample = sample.is_sample_batch(connection, batch_id)
            if restoring_sample and real:
                raise SampleBesideRealData(batch_id, real)
            scope = replacing.stored_scope(connection, batch_id)
            found = [p for p in (replacing.parts(connection, scope, skip_batch=batch_id) if scope else [])
                     if restoring_sample or p.batch_id not in samples]
            covering = sorted({p.batch_id for p in found})
            if covering and not (replace or set(covering) <= replacers | {batch.replaced_by}):
                raise RestoreConflict(batch_id, [find_batch(connection, i) for i in covering])
            replacing.bring_back(connection, batch_id)
            set_state(connection, [batch_id], database.ACTIVE)
            aside, whole = replacing.set_aside(connection, found, batch_id)
            setting_aside = f"替换{replacing.replaced_detail(found)}" if aside else ""
            audit.record(connection, actor, access.RESTORE, batch_id=batch_id, file_name=batch.file_name,
                         units=scope.units if scope else (), detail=setting_aside)
            sample_aside = () if restoring_sample else sample.set_aside(connection, actor, samples,
                                                                          f"恢复第{batch_id}批时")
        return Restored(batch, set_aside=tuple(whole), sample_set_aside=sample_aside,
                        parts=tuple(p for p in found if p.batch_id not in whole))

    def exported(self, actor: Actor, full: bool, file_name: str = "", units: list[str] | None = None) -> None:
        """An export is about to be written: refused unless `actor` may, and recorded."""
        action = access.EXPORT_FULL if full else access.EXPORT
        self._require(actor, action, file_name=file_name)
        with database.writing(self.engine) as connection:
            audit.record(connection, actor, action, file_name=file_name, units=units or ())

    def organisation(self) -> str:
        """The organisation's own name (数据管理's setting), for views over all its units; '' when unset."""
        with self.engine.connect() as connection:
            value = connection.execute(sa.select(database.meta.c.value).where(
                database.meta.c.key == ORGANISATION)).scalar()
        return value or ""

    def set_organisation(self, actor: Actor, name: str) -> str:
        """Store the organisation's name (管理 only, recorded); '' clears it. Returns the name as stored."""
        from unionstats.intake.naming import checked_setting

        self._require(actor, access.SETTINGS)
        name = checked_setting(name)
        meta = database.meta
        with database.writing(self.engine) as connection:
            connection.execute(meta.delete().where(meta.c.key == ORGANISATION))
            if name:
                connection.execute(meta.insert().values(key=ORGANISATION, value=name))
            audit.record(connection, actor, access.SETTINGS, detail=f"单位名称改为“{name}”" if name else "清除单位名称")
        return name

    def directory(self) -> pd.DataFrame:
        """The 单位名录 (directory.py): unit, members (Int64, NA where not given) and due, in the order entered;
        no rows when there is none."""
        with self.engine.connect() as connection:
            return directory.read(connection)

    def replace_directory(self, actor: Actor, frame: pd.DataFrame, first_row: int = 1) -> DirectoryChange:
        """Store `frame` (unit, members, due) as the whole 单位名录, if `actor` may (管理), and record the change.

        Every row is checked first (directory.checked: DirectoryError names each bad row, counted from
        `first_row`, and column); nothing is stored unless all of them are good.
        """
        self._require(actor, access.SETTINGS)
        rows = directory.checked(frame, first_row)
        return self._write_directory(actor, lambda _: rows)

    def import_directory(self, actor: Actor) -> DirectoryChange:
        """Fill the 单位名录 from the 单位信息 of the active batches (directory.filled), if `actor` may (管理)."""
        self._require(actor, access.SETTINGS)
        return self._write_directory(
            actor, lambda connection: directory.filled(directory.read(connection), directory.unit_info(connection)),
            imported=True)

    def _write_directory(self, actor: Actor, rows, imported: bool = False) -> DirectoryChange:
        with database.writing(self.engine) as connection:
            before = directory.read(connection)
            after = rows(connection)
            done = directory.change(before, after, imported)
            if done.any:
                directory.write(connection, after, actor.label)
                audit.record(connection, actor, access.SETTINGS, units=[*done.added, *done.changed, *done.removed],
                             detail=done.detail())
        return done

    def audit_trail(self, actor: Actor, since: dt.datetime | None = None, user: str | None = None,
                    action: str | None = None) -> pd.DataFrame:
        access.require(actor, access.AUDIT)
        with self.engine.connect() as connection:
            return audit.entries(connection, since, user, action)

    def _require(self, actor: Actor, action: str, units=(), *, batch_id: int | None = None,
                 file_name: str = "") -> None:
        """access.require, with a refusal recorded in the audit trail before it is raised."""
        try:
            access.require(actor, action, units)
        except Forbidden as exc:
            with database.writing(self.engine) as connection:
                audit.record(connection, actor, action, ok=False, batch_id=batch_id, file_name=file_name,
                             units=units, detail=f"被拒绝：{exc}")
            raise

    def batches(self) -> pd.DataFrame:
        units = (
            sa.select(database.batch_units.c.batch_id, database.batch_units.c.unit)
            .order_by(database.batch_units.c.batch_id, database.batch_units.c.unit)
        )
        with self.engine.connect() as connection:
            frame = pd.read_sql(sa.select(database.batches).order_by(database.batches.c.id), connection)
            unit_rows = pd.read_sql(units, connection)
            aside = replacing.active_records(connection)
        names = unit_rows.groupby("batch_id")["unit"].agg("、".join)
        frame["units"] = frame["id"].map(names).fillna("")
        said = replacing.described(aside, unit_rows["batch_id"].value_counts().to_dict())
        frame["set_aside"] = pd.Series([said.get(i, "") for i in frame["id"]], index=frame.index, dtype="str")
        frame["rows"] = [sum(counts.values()) for counts in frame["row_counts"]]
        return frame

    def active_batch_ids(self, imported_by: str | None = None) -> list[int]:
        """The active batches (of one importer): one small query, cheap enough for every page view."""
        batches = database.batches
        query = sa.select(batches.c.id).where(batches.c.state == database.ACTIVE).order_by(batches.c.id)
        if imported_by is not None:
            query = query.where(batches.c.imported_by == imported_by)
        with self.engine.connect() as connection:
            return list(connection.scalars(query))

    def coverage(self) -> pd.DataFrame:
        """Each active batch's units with their first and last dates, the batch's content hash and the unit's rows
        a later batch replaced (`set_aside`: (first day, last day, replacing batch) each; and, `sheet` naming a
        yearly sheet, the years of its rows: a budget's): what `figures_key` (figures/cache.py) reads to tell which
        views a change touched."""
        units, batches = database.batch_units, database.batches
        query = (
            sa.select(units.c.batch_id, batches.c.content_hash, units.c.unit, units.c.first_date, units.c.last_date)
            .join(batches, batches.c.id == units.c.batch_id).where(batches.c.state == database.ACTIVE)
            .order_by(units.c.batch_id, units.c.unit)
        )
        with self.engine.connect() as connection:
            frame = pd.read_sql(query, connection)
            aside = replacing.active_records(connection)
        windows: dict[tuple[int, str], tuple] = {}  # rows set aside change what a batch's unit counts
        for record in aside.itertuples(index=False):
            key = (record.batch_id, record.unit)
            windows[key] = (*windows.get(key, ()), (record.first_date, record.last_date, record.replaced_by))
        frame["set_aside"] = [windows.get(key, ()) for key in zip(frame["batch_id"], frame["unit"])]
        frame = pd.concat([frame.assign(sheet=""), *self._years()], ignore_index=True)
        return frame.astype({"first_date": "datetime64[us]", "last_date": "datetime64[us]"})

    def _years(self) -> list[pd.DataFrame]:
        """Each active batch's units with rows of a yearly sheet (a budget), over the years those rows hold: what
        batch_units, which records only dated rows, leaves out."""
        found = []
        for sheet in registry.sheets():
            if not sheet.yearly:
                continue
            table, batches = database.data_table(sheet), database.batches
            query = (sa.select(table.c.batch_id, batches.c.content_hash, table.c.unit,
                               sa.func.min(table.c.date).label("first_date"),
                               sa.func.max(table.c.date).label("last_date"))
                     .join(batches, batches.c.id == table.c.batch_id).where(batches.c.state == database.ACTIVE)
                     .group_by(table.c.batch_id, batches.c.content_hash, table.c.unit))
            with self.engine.connect() as connection:
                years = pd.read_sql(query, connection)
            found.append(years.assign(set_aside=[()] * len(years), sheet=sheet.key))
        return found

    def is_empty(self) -> bool:
        """No batch at all, in any state: a new store."""
        with self.engine.connect() as connection:
            return connection.execute(sa.select(database.batches.c.id).limit(1)).first() is None

    def batch_issues(self, batch_id: int) -> pd.DataFrame:
        query = sa.select(database.batch_issues).where(database.batch_issues.c.batch_id == batch_id)
        with self.engine.connect() as connection:
            return pd.read_sql(query, connection)

    def revision(self) -> str:
        """Changes whenever any import, delete, restore or change of the 单位名录 commits: a cache key for readers.

        The latest change time alone would miss a delete or restore made by a process whose clock is behind the
        one that made the change before (another machine of a deployment, docs/deploy.md), so the active batches
        (their count and the sum of their ids) and the replacements recorded (their count and newest id) are part
        of it too: neither depends on any clock."""
        batches, aside = database.batches, database.set_aside
        active = batches.c.state == database.ACTIVE
        query = sa.select(sa.func.count(), sa.func.max(batches.c.changed_at), sa.func.max(batches.c.id),
                          sa.func.sum(sa.case((active, 1), else_=0)), sa.func.sum(sa.case((active, batches.c.id),
                                                                                          else_=0)))
        with self.engine.connect() as connection:
            count, changed, last, active_count, active_ids = connection.execute(query).one()
            aside_count, aside_last = connection.execute(sa.select(sa.func.count(), sa.func.max(aside.c.id))).one()
            return "/".join([str(count), str(changed), str(last), directory.stamp(connection),
                             f"{active_count or 0}:{active_ids or 0}", f"{aside_count}:{aside_last}"])

    def dataset(self, located: bool = False) -> Dataset:
        """Every row of the active batches, as the model's typed frames (`located`: with each row's batch_id).

        A stored batch's rows never change (delete and restore change only its state), so each batch is read
        from the database once per process and kept: after an import only the new batch is read. A unit's members
        are the 单位名录's where it gives them, else those of its latest 单位信息.
        """
        batches = database.batches
        active = sa.select(batches.c.id, batches.c.file_name, batches.c.content_hash).where(
            batches.c.state == database.ACTIVE).order_by(batches.c.id)
        with self.engine.connect() as connection:
            rows = connection.execute(active).all()
            sources = {row.id: row.file_name for row in rows}
            dataset = Dataset(sources=list(sources.values()))
            if not sources:
                return dataset
            self._rows.add(connection, {row.id: row.content_hash for row in rows}, sources)
            dataset.units = directory.with_members(read_units(connection, sources), directory.read(connection))
            aside = replacing.active_records(connection)
        for sheet in registry.sheets():
            dataset.tables[sheet.key] = self._rows.frame(sheet, list(sources), aside, located)
        return dataset

    def compliance(self, period: Period | None = None, units: Iterable[str] | None = None) -> Check:
        """The stored rows of `period` and `units` (all when None) checked against the rules in force on each
        row's date (`rules`); each finding names its batch."""
        return check(self.dataset(located=True).tables, self.rules.versions(), period, units)


@dataclass(frozen=True)
class Replacing:
    """A workbook, the units and period it covers, and the stored rows it would set aside (`Store.replacing`)."""

    dataset: Dataset
    scope: replacing.Scope
    parts: list[replacing.Part]



def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "未知"
