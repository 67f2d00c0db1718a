"""The bundled sample workbook, and the rule that keeps its invented figures apart from an office's own.

A new store gets data/sample.xlsx, imported as SAMPLE_USER, so a first visit never meets an empty app. Its
figures are fictional: added to real ones they would be wrong with nothing on the page to show it. So the
sample counts only while nothing else does. The store deletes it (restorably, recorded in the audit trail)
in the same transaction as the first real import, and when a real batch is restored; restoring the sample
while real data is active is refused (`SampleBesideRealData`); and a store that already holds both, made
before this rule, has the sample set aside when it is opened.

The web page and the command line share this: both import through the store.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa

from unionstats.store import access, audit, database
from unionstats.store.access import Actor

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample.xlsx"
SAMPLE_USER = "示例数据"  # who the sample's batches are imported by: what marks them as the sample
SET_ASIDE = "示例数据不与导入的数据同时计入统计：已移出统计，保留在历史中"


def is_sample(actor: Actor) -> bool:
    return actor.label == SAMPLE_USER


def active(connection: sa.Connection) -> tuple[list[int], list[int]]:
    """The active batches: the sample's, and every other (real data)."""
    batches = database.batches
    rows = connection.execute(sa.select(batches.c.id, batches.c.imported_by)
                              .where(batches.c.state == database.ACTIVE).order_by(batches.c.id)).all()
    return [r.id for r in rows if r.imported_by == SAMPLE_USER], [r.id for r in rows if r.imported_by != SAMPLE_USER]


def is_sample_batch(connection: sa.Connection, batch_id: int) -> bool:
    batches = database.batches
    return connection.execute(sa.select(batches.c.imported_by).where(batches.c.id == batch_id)).scalar() == SAMPLE_USER


def set_aside(connection: sa.Connection, actor: Actor, ids: list[int], reason: str) -> tuple[int, ...]:
    """Delete the sample's batches `ids` in the caller's transaction, each recorded under `actor` with `reason`."""
    if not ids:
        return ()
    batches, units = database.batches, database.batch_units
    names = dict(connection.execute(sa.select(batches.c.id, batches.c.file_name).where(batches.c.id.in_(ids))).all())
    connection.execute(sa.update(batches).where(batches.c.id.in_(ids)).values(
        state=database.DELETED, replaced_by=None, changed_at=dt.datetime.now(dt.UTC)))
    for batch_id in ids:
        held = connection.scalars(sa.select(units.c.unit).where(units.c.batch_id == batch_id))
        audit.record(connection, actor, access.DELETE, batch_id=batch_id, file_name=names.get(batch_id, ""),
                     units=held, detail=f"{reason}（{SET_ASIDE}）")
    return tuple(ids)


def unsettled(connection: sa.Connection) -> bool:
    """Whether the sample is active beside real data, by reading only: what `settle` would set aside."""
    sample, real = active(connection)
    return bool(sample and real)


def settle(connection: sa.Connection, actor: Actor) -> tuple[int, ...]:
    """A store holding the sample beside real data (written before the sample was set aside on import): the
    sample set aside, under `actor`."""
    sample, real = active(connection)
    return set_aside(connection, actor, sample, "打开数据库时发现示例数据与导入的数据同时有效") if real else ()
