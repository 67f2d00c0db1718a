"""A period's rows found without comparing every row's date: each large frame is sorted once by date, and once by
unit and then day, and a period is then a few binary searches.

A view at a federation's scale asks for several periods of the same million rows (the period, 上期, 去年同期, and
which units reported in each); comparing every date for each costs more than the figures of the rows found. One
unit's year is a few hundred of a million rows: found by unit first, it costs what those rows cost, not what the
year's 200,000 rows cost. Both orders sort integer keys (a date's int64; a unit's code beside a day number), which
numpy sorts several times faster than dates or a sort on two keys.

The orders are kept per frame, beside a fingerprint: the dates' count, sum and ends, and for the unit order the
unit column's data (`unit_cells`). A frame whose dates or units were changed in place is sorted again rather than
answered wrongly.
"""

from __future__ import annotations

import threading
import weakref

import numpy as np
import pandas as pd

from unionstats.contract.periods import Period

SORTED_FROM = 10_000  # rows: sorting pays only on frames this large
_ONE_DAY = np.timedelta64(1, "D")
_DAY_BITS = 32  # a unit key: (the unit's code + 1) in the high bits, its day (offset to be positive) in these
_DAY_OFFSET = 1 << 31
_NO_DAY = (1 << _DAY_BITS) - 1  # a missing date: after every day of its unit


class _Order:
    """The rows by date: `keys` (each date's int64; a missing one is the least int64, before any period)
    ascending, `positions` the rows."""

    def __init__(self, fingerprint: tuple, keys: np.ndarray, positions: np.ndarray):
        self.fingerprint, self.keys, self.positions = fingerprint, keys, positions


class _UnitOrder:
    """The rows by unit and then day: `keys` ascending, `positions` the rows, `codes` each unit's code (a missing
    unit has none) and `names` the units by code."""

    def __init__(self, fingerprint: tuple, cells: object, codes: dict[object, int], names: list,
                 keys: np.ndarray, positions: np.ndarray):
        self.fingerprint, self.cells, self.codes, self.names = fingerprint, cells, codes, names
        self.keys, self.positions = keys, positions


_orders: dict[tuple[int, str], tuple[weakref.ref, _Order | _UnitOrder]] = {}
_lock = threading.Lock()


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
    """The frame's rows sorted by date, made once per frame."""
    values = frame["date"].to_numpy()
    mark = fingerprint(values)
    found = kept(frame, "date", mark)
    if not isinstance(found, _Order):
        keys = values.view("int64")
        positions = np.argsort(keys)  # (the order among equal dates is never read)
        found = _Order(mark, keys[positions], positions)
        keep(frame, "date", found)
    return found


def unit_cells(frame: pd.DataFrame) -> object:
    """What tells the frame's unit cells from any others: an Arrow column's data, which no write changes (a
    write replaces it, so it is compared by identity); else a hash of every cell."""
    units = frame["unit"].array
    to_arrow = getattr(units, "__arrow_array__", None)
    if to_arrow is not None:
        return to_arrow()
    return int(pd.util.hash_array(np.asarray(units, dtype=object)).sum(dtype=np.uint64))


def same_cells(held: object, now: object) -> bool:
    return held is now or (isinstance(now, int) and held == now)


def unit_order(frame: pd.DataFrame) -> _UnitOrder:
    """The frame's rows sorted by unit and then day, made once per frame (again when its units or dates
    changed)."""
    values = frame["date"].to_numpy()
    mark, cells = fingerprint(values), unit_cells(frame)
    found = kept(frame, "unit", mark)
    if not isinstance(found, _UnitOrder) or not same_cells(found.cells, cells):
        codes, names = pd.factorize(frame["unit"])  # a missing unit is -1, and no unit's name
        days = values.astype("datetime64[D]").view("int64")
        day_field = np.where(pd.isna(values), _NO_DAY, days + _DAY_OFFSET)
        keys = ((codes.astype(np.int64) + 1) << _DAY_BITS) | day_field
        positions = np.argsort(keys)
        found = _UnitOrder(mark, cells, {name: code for code, name in enumerate(names)},
                           list(names), keys[positions], positions)
        keep(frame, "unit", found)
    return found


def day_keys(period: Period) -> tuple[int, int]:
    """The period's first day and the day after its last, as a unit key's day field."""
    first = np.datetime64(period.start, "D").view("int64") + _DAY_OFFSET
    return int(first), int(np.datetime64(period.end, "D").view("int64") + 1 + _DAY_OFFSET)


def codes_of(found: _UnitOrder, units: list[str]) -> np.ndarray:
    """The codes of those of `units` the frame holds, ascending."""
    return np.array(sorted({found.codes[u] for u in units if u in found.codes}), dtype=np.int64)


def unit_ranges(found: _UnitOrder, codes: np.ndarray, period: Period) -> tuple[np.ndarray, np.ndarray]:
    """Where each unit's rows of the period start and end in the unit order (one binary search for all)."""
    first, after = day_keys(period)
    high = (codes.astype(np.int64) + 1) << _DAY_BITS
    return np.searchsorted(found.keys, high | first), np.searchsorted(found.keys, high | after)


def sortable(frame: pd.DataFrame) -> bool:
    """Whether the frame is large enough for its orders to pay, and dated as numpy dates."""
    return len(frame) >= SORTED_FROM and frame["date"].dtype.kind == "M"


def mask(frame: pd.DataFrame, period: Period) -> np.ndarray:
    """Where the frame's rows fall on one of the period's days (Period.mask of its dates, as a numpy array)."""
    if not sortable(frame):
        return period.mask(frame["date"]).to_numpy(copy=True)
    found = order(frame)
    dtype = frame["date"].dtype
    start = np.datetime64(period.start).astype(dtype).view("int64")
    end = (np.datetime64(period.end) + _ONE_DAY).astype(dtype).view("int64")
    first, last = np.searchsorted(found.keys, [start, end], side="left")
    inside = np.zeros(len(frame), dtype=bool)
    inside[found.positions[first:last]] = True
    return inside


def rows(frame: pd.DataFrame, period: Period, units: list[str]) -> np.ndarray:
    """The positions, ascending, of the rows of `units` dated on one of the period's days: the rows that
    `mask(frame, period)` and `frame["unit"].isin(units)` find together."""
    if not sortable(frame):
        inside = period.mask(frame["date"]).to_numpy() & frame["unit"].isin(list(units)).to_numpy()
        return np.flatnonzero(inside)
    found = unit_order(frame)
    starts, ends = unit_ranges(found, codes_of(found, units), period)
    parts = [found.positions[start:end] for start, end in zip(starts, ends)]
    return np.sort(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)


def units_within(frame: pd.DataFrame, period: Period, units: list[str] | None = None) -> list:
    """The units (of `units`; None: all, a missing one as None) with a row dated on one of the period's days."""
    if not sortable(frame):
        inside = frame["unit"][period.mask(frame["date"]).to_numpy()]
        if units is not None:
            inside = inside[inside.isin(list(units)).to_numpy()]
        return [None if pd.isna(u) else u for u in inside.unique()]
    found = unit_order(frame)
    codes = np.arange(-1, len(found.names), dtype=np.int64) if units is None else codes_of(found, units)
    starts, ends = unit_ranges(found, codes, period)
    return [None if code < 0 else found.names[code] for code in codes[ends > starts]]
