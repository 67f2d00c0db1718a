"""A batch's rows in the database: writing a workbook's rows as one batch, changing batches' states, finding a
batch, and reading rows back as the model's typed frames, each batch read once per process (`BatchRows`).

`Store` (batches.py) decides what is imported, replaced, deleted or restored and who may; these helpers only
move rows between a Dataset and the tables.
"""

from __future__ import annotations

import datetime as dt
import threading

import pandas as pd
import sqlalchemy as sa

from unionstats.contract import registry, schema
from unionstats.intake import model
from unionstats.intake.model import Dataset
from unionstats.store import database, importing, replacing
from unionstats.store.outcomes import BatchInfo, NoSuchBatch
from unionstats.store.snapshot import Snapshot


class BatchRows:
    """The rows of every batch read so far, one frame per sheet kind with its batch's id beside each row.

    Thread-safe: the app's sessions share one Store. A batch whose content hash differs from the one read
    (its store was replaced by another at the same address) is read again. With a `snapshot`, a process's first
    read takes what it can from the columnar copy on disk, and the copy is written again once the rows it lacks
    pass SNAPSHOT_AFTER (in the background: nobody waits for it).
    """

    SNAPSHOT_AFTER = 20_000

    def __init__(self, snapshot: Snapshot | None = None) -> None:
        self.lock = threading.Lock()
        self.snapshot = snapshot
        self.held: dict[str, dict[int, str]] = {}  # per kind: the batches its frame holds, by content hash
        self.saved: dict[str, set[int]] = {}  # per kind: the batches the copy on disk holds
        self.frames: dict[str, pd.DataFrame] = {}
        self.saving: threading.Thread | None = None  # the copy being written, if any

    def add(self, connection: sa.Connection, hashes: dict[int, str], sources: dict[int, str]) -> None:
        with self.lock:
            for sheet in registry.sheets():
                self._add(connection, sheet, hashes, sources)
            unsaved = sum(int((~f["batch_id"].isin(self.saved.get(k, ()))).sum()) for k, f in self.frames.items())
            if self.snapshot is not None and unsaved >= self.SNAPSHOT_AFTER:
                self._save_in_background()

    def _add(self, connection: sa.Connection, sheet: schema.Sheet, hashes: dict[int, str],
             sources: dict[int, str]) -> None:
        held, known = self.held.setdefault(sheet.key, {}), self.frames.get(sheet.key)
        stale = {i for i, digest in hashes.items() if i in held and held[i] != digest}
        if stale:
            for i in stale:
                del held[i]
            known = None if known is None else known[~known["batch_id"].isin(stale)]
        if known is None and self.snapshot is not None:  # this process's first read of the kind
            copied, found = self.snapshot.load(sheet, hashes)
            if copied is not None:
                copied["source"] = copied["batch_id"].map(sources).astype("str")
                known = copied[[*model.frame_dtypes(sheet), "batch_id"]]
                held.update(found)
                self.saved[sheet.key] = set(found)
        wanted = {i: sources[i] for i in hashes if i not in held}
        if wanted or known is None:
            fresh = read_frame(connection, sheet, wanted)
            known = fresh if known is None or not len(known) else pd.concat([known, fresh], ignore_index=True)
            held.update({i: hashes[i] for i in wanted})
        self.frames[sheet.key] = known

    def _save_in_background(self) -> None:
        """Write the copy of what is held now: the frames are never changed in place, so the thread reads them
        unlocked."""
        snapshot, frames = self.snapshot, dict(self.frames)
        held = {k: dict(h) for k, h in self.held.items()}
        self.saved = {k: set(h) for k, h in held.items()}

        def save() -> None:
            assert snapshot is not None
            for sheet in registry.sheets():
                if sheet.key in frames:
                    snapshot.save(sheet, frames[sheet.key].sort_values("batch_id", kind="stable"), held[sheet.key])

        self.saving = threading.Thread(target=save, name="unionstats-snapshot", daemon=True)
        self.saving.start()

    def frame(self, sheet: schema.Sheet, batch_ids: list[int], aside: pd.DataFrame | None = None,
              located: bool = False) -> pd.DataFrame:
        """The rows of these batches, but those a later batch replaced (`aside`: replacing.active_records);
        `located` keeps each row's `batch_id`."""
        with self.lock:
            known = self.frames.get(sheet.key)
            every = set(batch_ids) == set(self.held.get(sheet.key, {}))
        if known is None or not len(known):
            return model.empty_frame(sheet)
        chosen = known if every else known[known["batch_id"].isin(batch_ids)]  # (no copy when all are active)
        if sheet.yearly:
            chosen = replacing.newest(chosen)
        elif aside is not None:
            chosen = replacing.without(chosen, aside)
        if not chosen["batch_id"].is_monotonic_increasing:  # a restored batch was read after later ones
            chosen = chosen.sort_values("batch_id", kind="stable")
        return (chosen if located else chosen.drop(columns="batch_id")).reset_index(drop=True)


def batch_units(connection: sa.Connection, batch_ids: list[int]) -> set[str]:
    if not batch_ids:
        return set()
    units = database.batch_units
    return set(connection.scalars(sa.select(units.c.unit).where(units.c.batch_id.in_(batch_ids))))


def find_batch(connection: sa.Connection, batch_id: int) -> BatchInfo:
    row = connection.execute(sa.select(database.batches).where(database.batches.c.id == batch_id)).first()
    if row is None:
        raise NoSuchBatch(batch_id)
    return BatchInfo.of(row)


def clipped(text: str, length: int) -> str:
    """A name as long as its column keeps: the start and the end (a file's extension) survive."""
    if len(text) <= length:
        return text
    keep = length - 1
    return text[: keep - keep // 4] + "…" + text[len(text) - keep // 4:]


def insert(connection: sa.Connection, dataset: Dataset, name: str, digest: str, ranges: pd.DataFrame,
           user: str) -> int:
    now = dt.datetime.now(dt.UTC)
    first, last = importing.span(dataset, ranges)
    key = connection.execute(sa.insert(database.batches).values(
        file_name=clipped(name, schema.FILE_NAME_LENGTH), content_hash=digest, period_start=first, period_end=last,
        row_counts={k: len(f) for k, f in dataset.present_frames().items()},
        skipped_rows=dataset.report.skipped_rows, imported_by=clipped(user, 100),
        imported_at=now, state=database.ACTIVE, changed_at=now,
    )).inserted_primary_key
    assert key is not None, "a one-row insert into a table with an autoincrement key has its key"
    batch_id = key[0]
    connection.execute(sa.insert(database.batch_units), unit_records(dataset, ranges, batch_id))
    issues = [issue_record(i, batch_id) for i in dataset.report.issues if i.level != "notice"]
    if issues:
        connection.execute(sa.insert(database.batch_issues), issues)
    for sheet in registry.sheets():
        frame = dataset.frame(sheet.key)
        if len(frame):
            connection.execute(sa.insert(database.data_table(sheet)), frame_records(sheet, frame, batch_id))
    return batch_id


def set_state(connection: sa.Connection, ids: list[int], state: str, replaced_by: int | None = None) -> None:
    if ids:
        connection.execute(sa.update(database.batches).where(database.batches.c.id.in_(ids)).values(
            state=state, replaced_by=replaced_by, changed_at=dt.datetime.now(dt.UTC)))


def read_frame(connection: sa.Connection, sheet: schema.Sheet, sources: dict[int, str]) -> pd.DataFrame:
    """One sheet kind's rows of the given batches, typed as the model's frames, with their batch's id."""
    table = database.data_table(sheet)
    query = sa.select(table).where(table.c.batch_id.in_(list(sources))).order_by(table.c.batch_id, table.c.id)
    frame = pd.read_sql(query, connection)
    if not len(frame):
        return model.empty_frame(sheet).assign(batch_id=pd.Series(dtype="int64"))
    for key in database.money_columns(sheet):
        frame[key] = frame[key] / 100
    frame["source"] = frame["batch_id"].map(sources)
    dtypes = model.frame_dtypes(sheet)
    for key, dtype in dtypes.items():
        if dtype.startswith("datetime64"):
            frame[key] = pd.to_datetime(frame[key])
        elif dtype == "str":
            frame[key] = frame[key].fillna("")
    return frame[[*dtypes, "batch_id"]].astype(dtypes)


def read_units(connection: sa.Connection, sources: dict[int, str]) -> pd.DataFrame:
    units = database.batch_units
    query = sa.select(units).where(units.c.batch_id.in_(list(sources))).order_by(units.c.last_date, units.c.batch_id)
    frame = pd.read_sql(query, connection)
    frame["source"] = frame["batch_id"].map(sources)
    frame = frame.drop_duplicates("unit", keep="last")
    frame["named"] = frame["named"].astype(object).fillna(True).astype(bool)
    return frame[list(model.UNIT_COLUMNS)].astype({"unit": "str", "members": "Int64", "period_text": "str",
                                                   "source": "str"}).reset_index(drop=True)


def unit_records(dataset: Dataset, ranges: pd.DataFrame, batch_id: int) -> list[dict]:
    members = dataset.members()
    info = dict(zip(dataset.units["unit"], dataset.units["period_text"]))
    named = dataset.named_units()
    return [dict(batch_id=batch_id, unit=unit, first_date=first, last_date=last, members=members.get(unit),
                 period_text=info.get(unit, ""), named=unit in named)
            for unit, first, last in ranges.itertuples(index=False)]


def frame_records(sheet: schema.Sheet, frame: pd.DataFrame, batch_id: int) -> list[dict]:
    table = database.data_table(sheet)
    names = [c.name for c in table.columns if c.name not in ("id", "batch_id")]
    money = set(database.money_columns(sheet))
    columns = [(frame[n] * 100).round().astype("int64").tolist() if n in money else importing.column_values(frame, n)
               for n in names]
    return [dict(zip(names, row), batch_id=batch_id) for row in zip(*columns)]


def issue_record(issue, batch_id: int) -> dict:
    return dict(batch_id=batch_id, level=issue.level, sheet=issue.sheet, row=issue.row, column=issue.column,
                cell=issue.cell, value=issue.value, message=issue.message)
