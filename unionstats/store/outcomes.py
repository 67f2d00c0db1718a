"""What the store did, as data: each front end words it in its own terms (see `wording`).

The store never writes a sentence. An import, a delete or a restore returns
one of these records, and a refusal that stops an action is raised as a
`StoreError` carrying the batches involved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from unionstats.intake.report import LoadReport
from unionstats.store.database import ACTIVE, DELETED, REPLACED, STATE_LABELS  # noqa: F401  (a batch's states)

if TYPE_CHECKING:
    from unionstats.intake.naming import Title
    from unionstats.store.replacing import Part, Scope

IMPORTED, UNCHANGED, REFUSED, INVALID = "imported", "unchanged", "refused", "invalid"
UNREADABLE, HAS_ERRORS, NO_ROWS, NO_UNIT = "unreadable", "has_errors", "no_rows", "no_unit"


@dataclass(frozen=True)
class BatchInfo:
    """A stored batch as a message names it: number, file, dates and state."""
    id: int
    file_name: str
    period_start: dt.date | None
    period_end: dt.date | None
    state: str
    replaced_by: int | None = None

    @classmethod
    def of(cls, row) -> BatchInfo:
        return cls(row.id, row.file_name, row.period_start, row.period_end, row.state, row.replaced_by)


@dataclass
class ImportResult:
    """One file's import.

    `scope`: the units and period the file replaces (replacing.py); `parts`: the stored rows within it, per batch
    and unit, that it replaced (IMPORTED) or would replace (REFUSED).
    IMPORTED: stored as `batch_id`, setting aside rows of the `replaced` batches, and the sample's batches
    (`sample_set_aside`) when it was still active.
    UNCHANGED: the same records are already stored, as `same_as`.
    REFUSED: the active `overlapping` batches hold rows within the scope and replacing was not asked for.
    INVALID: nothing stored, for the `problem` given (UNREADABLE with `detail`, HAS_ERRORS, NO_ROWS, NO_UNIT:
    rows without a unit and no name given for them, with `unit_title` suggesting one, or `detail` when the name
    given cannot be a unit's).
    `unit_name`: the name given for rows without a unit, when it was applied.
    """
    status: str
    file_name: str
    batch_id: int | None = None
    replaced: list[int] = field(default_factory=list)
    same_as: BatchInfo | None = None
    overlapping: list[BatchInfo] = field(default_factory=list)
    problem: str | None = None
    detail: str = ""
    row_counts: dict[str, int] = field(default_factory=dict)
    report: LoadReport = field(default_factory=LoadReport)
    sample_set_aside: tuple[int, ...] = ()
    unit_title: Title | None = None
    unit_name: str = ""
    scope: Scope | None = None
    parts: list[Part] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status in (IMPORTED, UNCHANGED)


@dataclass(frozen=True)
class Deleted:
    """A batch deleted; `replaced`: the batches whose rows it had replaced, which stay set aside until restored."""
    batch: BatchInfo
    already: bool = False
    replaced: tuple[int, ...] = ()


@dataclass(frozen=True)
class Restored:
    """A batch counted again: the batches it replaced as a whole (`set_aside`), the rows it replaced in batches that
    stay active (`parts`), and the sample's batches set aside."""
    batch: BatchInfo
    already: bool = False
    set_aside: tuple[int, ...] = ()
    sample_set_aside: tuple[int, ...] = ()
    parts: tuple[Part, ...] = ()


class StoreError(Exception):
    """An action on the store that cannot be done; `str()` says why, without front-end words."""


class NoSuchBatch(StoreError):
    def __init__(self, batch_id: int):
        super().__init__(f"没有第{batch_id}批")
        self.batch_id = batch_id


class RestoreConflict(StoreError):
    """A batch to restore overlaps active batches other than the one that replaced it."""

    def __init__(self, batch_id: int, overlapping: list[BatchInfo]):
        listed = "、".join(f"第{b.id}批" for b in overlapping)
        super().__init__(f"第{batch_id}批与{listed}的单位和日期重叠")
        self.batch_id = batch_id
        self.overlapping = overlapping


class SampleBesideRealData(StoreError):
    """The sample's batch `batch_id` (None: the sample workbook being imported) may not count while real data
    (`real`, active batches) does: its figures would mix with theirs."""

    def __init__(self, batch_id: int | None, real: list[int]):
        what = f"第{batch_id}批是示例数据，" if batch_id is not None else "示例数据"
        super().__init__(f"{what}不能与导入的数据同时有效")
        self.batch_id = batch_id
        self.real = real
