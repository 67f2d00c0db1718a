"""The import policy: which loaded workbooks may be stored, and what makes two the same.

Pure functions over a loaded `Dataset`; the store applies them inside its
transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd

from unionstats.intake import model, naming
from unionstats.intake.model import Dataset
from unionstats.store.outcomes import HAS_ERRORS, NO_ROWS, NO_UNIT


def problem(dataset: Dataset, skip_bad_rows: bool) -> str | None:
    """Why a dataset may not be stored, or None. Rows with errors may be skipped only when others remain; every
    row needs a unit (naming.py)."""
    if dataset.report.errors and (not skip_bad_rows or not dataset.row_count):
        return HAS_ERRORS
    if not dataset.row_count:
        return NO_ROWS
    if naming.unnamed_rows(dataset):
        return NO_UNIT
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
    for key, frame in [*dataset.present_frames().items(), ("units", dataset.units)]:
        columns = [c for c in frame.columns if c not in model.ORIGIN_COLUMNS and c != "named"]  # (added in 0003)
        rows = sorted(map(repr, zip(*(column_values(frame, c) for c in columns))))
        digest.update(f"{key}:{len(rows)}\n".encode() + "\n".join(rows).encode())
    return digest.hexdigest()


def unit_ranges(dataset: Dataset) -> pd.DataFrame:
    """First and last date per unit over the dated sheets: what an import covers, and so what it overlaps. A unit
    with rows of a yearly sheet only (a budget) has none (None).

    Only for a dataset with rows (`problem` refuses one without), all of them dated (the date is required).
    """
    dated = dataset.dated_frames()
    rows = pd.concat([f[["unit", "date"]] if key in dated else f[["unit"]].assign(date=pd.NaT)
                      for key, f in dataset.frames().items()])
    days = rows.groupby("unit")["date"].agg(["min", "max"])
    return pd.DataFrame({"unit": days.index.tolist(), "first_date": [day(d) for d in days["min"]],
                         "last_date": [day(d) for d in days["max"]]})


def span(dataset: Dataset, ranges: pd.DataFrame) -> tuple[dt.date, dt.date]:
    """The days a batch covers: from its first dated row to its last, else (yearly rows alone, a budget) the
    years they hold."""
    first, last = ranges["first_date"].dropna(), ranges["last_date"].dropna()
    if len(first):
        return first.min(), last.max()
    years = pd.concat([f["date"] for f in dataset.frames().values() if len(f)])
    return dt.date(years.min().year, 1, 1), dt.date(years.max().year, 12, 31)


def day(value: pd.Timestamp) -> object:
    return None if pd.isna(value) else value.date()
