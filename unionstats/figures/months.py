"""Every month of a period in its figures, a month without rows as a zero.

A chart of a year that runs 6月, 8月, 10月 hides the empty months and draws a
line from 8月 straight to 10月, as if September had been busy. So a sheet
kind's `by_month` (and `by_quarter`) holds every month (quarter) of the
period, in time order, with a zero group where no row falls; the charts, the
deck, the PNGs and `stats --json` then agree. A sheet without a row in the
period keeps them empty: there is nothing to draw, and the chart says so.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, TypeVar, cast

from unionstats.contract.periods import Period

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T")


def month_keys(period: Period) -> list[str]:
    """"2024-01" … "2024-12": each calendar month the period touches, in time order."""
    first = period.start.year * 12 + period.start.month - 1
    last = period.end.year * 12 + period.end.month - 1
    return [f"{m // 12}-{m % 12 + 1:02d}" for m in range(first, last + 1)]


def quarter_keys(period: Period) -> list[str]:
    """"2024Q1" … "2024Q4": each quarter the period touches, in time order."""
    return list(dict.fromkeys(f"{key[:4]}Q{(int(key[5:]) - 1) // 3 + 1}" for key in month_keys(period)))


def zero(group: DataclassInstance) -> DataclassInstance:
    """A group like `group` (a figures dataclass such as EventGroup) with each field zero of its own type."""
    return type(group)(**{f.name: type(getattr(group, f.name))() for f in dataclasses.fields(group)})


def filled(groups: dict, keys: list[str]) -> dict:
    """`groups` over `keys` in their order, a zero group for each key without one. Empty stays empty, and groups
    keyed otherwise than `keys` are left as they are (nothing is dropped)."""
    if not groups or not set(groups) <= set(keys):
        return groups
    blank = zero(next(iter(groups.values())))
    return {key: groups.get(key, blank) for key in keys}


def every_month(figures: T, period: Period | None) -> T:
    """A sheet kind's figures with `by_month` and `by_quarter` (where it has them) holding every month and
    quarter of the period; unchanged without a period."""
    if period is None or not dataclasses.is_dataclass(figures) or isinstance(figures, type):
        return figures
    names = {f.name for f in dataclasses.fields(figures)}
    changes = {name: filled(getattr(figures, name), keys(period)) for name, keys in
               (("by_month", month_keys), ("by_quarter", quarter_keys)) if name in names}
    return cast(T, dataclasses.replace(figures, **changes)) if changes else figures
