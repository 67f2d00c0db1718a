"""A period with no data, said plainly, with the nearest period of the same kind that has some.

Zero cards, empty charts and a deck of zeros for a quarter nobody reported read as "nothing happened". The
pages and the command line say instead that the period has no data for the units, and offer the nearest
period of the same kind that does: quarter for a quarter, month for a month, year for a year (a custom range:
as many days, next to the nearest row). Pure functions over a Dataset.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from unionstats.contract.periods import KIND_NAMES, MONTHS, RANGE, Period
from unionstats.intake.model import Dataset

NAMED_UNITS = 3  # units a sentence names before it says 等


def row_dates(dataset: Dataset, units: list[str] | None) -> pd.Series:
    """The dates of every row of the units (None or empty: all), over every sheet."""
    parts = [f["date"][f["unit"].isin(list(units))] if units else f["date"] for f in dataset.dated_frames().values()]
    return pd.concat(parts, ignore_index=True).dropna() if parts else pd.Series(dtype="datetime64[us]")


def nearest_period(dataset: Dataset, period: Period, units: list[str] | None = None) -> Period | None:
    """The period of `period`'s kind nearest to it that holds a row of the units (None or empty: all); of two
    as near, the later. `period` itself when it holds one; None when no row of the units exists at all."""
    dates = row_dates(dataset, units)
    if dates.empty:
        return None
    if period.kind == RANGE:
        return nearest_range(dates, period)
    size = MONTHS[period.kind]
    steps = np.unique((dates.dt.year.to_numpy() * 12 + dates.dt.month.to_numpy() - 1) // size)
    target = (period.start.year * 12 + period.start.month - 1) // size
    best = int(min(steps, key=lambda step: (abs(int(step) - target), -int(step))))
    month = best * size
    return Period.containing(period.kind, dt.date(month // 12, month % 12 + 1, 1))


def nearest_range(dates: pd.Series, period: Period) -> Period:
    """A range of as many days as `period`, beside the row nearest to it (ties: after it)."""
    days = dates.dt.normalize()
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    if ((days >= start) & (days <= end)).any():
        return period
    before, after = days[days < start], days[days > end]
    length = dt.timedelta(days=period.days - 1)
    if len(after) and (not len(before) or after.min() - end <= start - before.max()):
        first = after.min().date()
        return Period(first, first + length, RANGE)
    last = before.max().date()
    return Period(last - length, last, RANGE)


def units_text(units: list[str] | None) -> str:
    """The units as a sentence names them: 红星小学, 甲、乙, 甲、乙、丙等5个单位; 所有单位 for none chosen."""
    if not units:
        return "所有单位"
    more = f"等{len(units)}个单位" if len(units) > NAMED_UNITS else ""
    return "、".join(units[:NAMED_UNITS]) + more


def no_data_text(period: Period, units: list[str] | None, nearest: Period | None) -> str:
    """One line: the period has no data for the units, and the nearest period of its kind that has some.

    2023年第一季度，红星小学没有数据；最近有数据的季度是2024年第一季度
    """
    said = f"{period.label}，{units_text(units)}{'都' if not units or len(units) > 1 else ''}没有数据"
    if nearest is None:
        return f"{said}；其他统计期也没有{'该单位' if units and len(units) == 1 else '这些单位'}的数据"
    return f"{said}；最近有数据的{KIND_NAMES[nearest.kind]}是{nearest.label}"
