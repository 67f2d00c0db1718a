"""A period's rows found without comparing every row's date: each frame's dates are sorted once, and a period is
then two binary searches; a period's rows of a few units, by two binary searches per unit in the frame's rows
sorted by unit and then date.

A view at a federation's scale asks for several periods of the same million rows (the period, 上期, 去年同期, and
which units reported in each); comparing every date for each costs more than the figures of the rows found.
The sorted order is kept per frame, beside a fingerprint of its dates (their count, sum and ends), so a frame
whose dates changed in place is sorted again rather than answered wrongly. One unit's year is a few hundred of a
million rows: found by unit first, it costs what those rows cost, not what the year's 200,000 rows cost.
"""

from __future__ import annotations

import threading
import weakref

import numpy as np
import pandas as pd

from unionstats.contract.periods import Period

_ONE_DAY = np.timedelta64(1, "D")


class _Order:
    def __init__(self, fingerprint: tuple, dates: np.ndarray, positions: np.ndarray):
        self.fingerprint, self.dates, self.positions = fingerprint, dates, positions


class _UnitOrder:
    """The rows sorted by unit and then date: unit `u`'s rows are positions[bounds[code[u]]:bounds[code[u] + 1]],
    their dates (as int64, a missing date last) in `dates` over the same range, ascending."""

    def __init__(self, fingerprint: tuple, codes: dict[object, int], bounds: np.ndarray, dates: np.ndarray,
                 positions: np.ndarray):
        self.fingerprint, self.codes, self.bounds = fingerprint, codes, bounds
        self.dates, self.positions = dates, positions


_orders: dict[tuple[int, str], tuple[weakref.ref, _Order | _UnitOrder]] = {}
_lock = threading.Lock()
_MISSING = np.iinfo(np.int64).max  # a missing date sorts after every day
_SAMPLED = 257  # unit cells read into a frame's fingerprint
SORTED_FROM = 10_000  # rows: sorting pays only on frames this large


def fingerprint(values: np.ndarray) -> tuple:
    as_int = values.view("int64")
    return (len(values), str(values.dtype), int(as_int.sum(dtype=np.int64)),
            int(as_int[0]) if len(as_int) else 0, int(as_int[-1]) if len(as_int) else 0)


def kept(frame: pd.DataFrame, what: str, mark: tuple) -> _Order | _UnitOrder | None:
    """The order `what` kept for this frame with this fingerprint, or None."""
    with _lock:
        held = _orders.get((id(frame), what))
    if held is not None and held[0]() is frame and held[1].fingerprint == mark:
        return held[1]
    return None


def keep(frame: pd.DataFrame, what: str, found: _Order | _UnitOrder) -> None:
    key = (id(frame), what)

    def forget(_: weakref.ref) -> None:
        _orders.pop(key, None)

    with _lock:
        _orders[key] = (weakref.ref(frame, forget), found)


def order(frame: pd.DataFrame) -> _Order:
    """The frame's dates sorted (NaT last) and the row positions in that order, made once per frame."""
    values = frame["date"].to_numpy()
    mark = fingerprint(values)
    found = kept(frame, "date", mark)
    if not isinstance(found, _Order):
        positions = np.argsort(values, kind="stable")
        found = _Order(mark, values[positions], positions)
        keep(frame, "date", found)
    return found


def unit_fingerprint(frame: pd.DataFrame, dates: np.ndarray) -> tuple:
    """The dates' fingerprint and the unit cells at a few hundred evenly spaced rows: a frame whose units were
    rewritten in place is sorted again."""
    sampled = frame["unit"].iloc[np.linspace(0, len(frame) - 1, min(len(frame), _SAMPLED)).astype(np.int64)]
    return fingerprint(dates), tuple(None if pd.isna(u) else str(u) for u in sampled)


def unit_order(frame: pd.DataFrame) -> _UnitOrder:
    """The frame's rows sorted by unit and then date, made once per frame."""
    values = frame["date"].to_numpy()
    mark = unit_fingerprint(frame, values)
    found = kept(frame, "unit", mark)
    if not isinstance(found, _UnitOrder):
        codes, names = pd.factorize(frame["unit"])  # a missing unit is -1, and no unit's name
        days = values.view("int64").copy()
        days[pd.isna(values)] = _MISSING
        positions = np.lexsort((days, codes))
        bounds = np.searchsorted(codes[positions], np.arange(len(names) + 1), side="left")
        found = _UnitOrder(mark, {name: code for code, name in enumerate(names)}, bounds, days[positions],
                           positions)
        keep(frame, "unit", found)
    return found


def rows(frame: pd.DataFrame, period: Period, units: list[str]) -> np.ndarray:
    """The positions, ascending, of the rows of `units` dated on one of the period's days: the rows that
    `mask(frame, period)` and `frame["unit"].isin(units)` find together."""
    if len(frame) < SORTED_FROM or frame["date"].dtype.kind != "M":
        inside = period.mask(frame["date"]).to_numpy() & frame["unit"].isin(list(units)).to_numpy()
        return np.flatnonzero(inside)
    found = unit_order(frame)
    dtype = frame["date"].to_numpy().dtype
    start = np.datetime64(period.start).astype(dtype).view("int64")
    end = (np.datetime64(period.end) + _ONE_DAY).astype(dtype).view("int64")
    parts = []
    for code in sorted({found.codes[u] for u in units if u in found.codes}):
        low, high = found.bounds[code], found.bounds[code + 1]
        first, last = np.searchsorted(found.dates[low:high], [start, end], side="left")
        parts.append(found.positions[low + first:low + last])
    return np.sort(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)


def mask(frame: pd.DataFrame, period: Period) -> np.ndarray:
    """Where the frame's rows fall on one of the period's days (Period.mask of its dates, as a numpy array)."""
    if len(frame) < SORTED_FROM:
        return period.mask(frame["date"]).to_numpy(copy=True)
    found = order(frame)
    start = np.datetime64(period.start).astype(found.dates.dtype)
    end = (np.datetime64(period.end) + _ONE_DAY).astype(found.dates.dtype)
    first, last = np.searchsorted(found.dates, [start, end], side="left")
    inside = np.zeros(len(frame), dtype=bool)
    inside[found.positions[first:last]] = True
    return inside
