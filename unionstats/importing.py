"""The import policy: which loaded workbooks may be stored, and what makes two the same.

Pure functions over a loaded `Dataset`; the store applies them inside its
transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd

from . import model
from .model import Dataset
from .outcomes import HAS_ERRORS, NO_ROWS


def problem(dataset: Dataset, skip_bad_rows: bool) -> str | None:
    """Why a dataset may not be stored, or None. Rows with errors may be skipped only when others remain."""
    if dataset.report.errors and (not skip_bad_rows or not dataset.row_count):
        return HAS_ERRORS
    if not dataset.row_count:
        return NO_ROWS
    return None


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
    """First and last date per unit over every sheet: what an import covers, and so what it overlaps."""
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
