"""The figures of a period and units: pure functions over a Dataset.

Every number the dashboard charts, the command line prints and the summary
writes comes from `figures`, as the typed values of `unionstats.figures.typed`:
ints for counts, yuan rounded to the fen, None where a figure is unknown
(never a guessed zero), categories in the order of the workbook contract and
months in time order. The period before (环比) and the same period a year earlier (同比)
are given only when the data holds rows inside them, so nothing is ever
compared with a period nobody reported. A sheet with rows in the period has
every month (and quarter) of it in `by_month` (`by_quarter`), a month without
rows as zeros (`months.every_month`).

Everything is vectorised: a million rows take a fraction of a second.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import pandas as pd

from unionstats.contract import registry, schema
from unionstats.contract.periods import Period, span_period
from unionstats.contract.registry import registered
from unionstats.figures import dated
from unionstats.figures.months import every_month
from unionstats.figures.typed import (
    Comparison,
    Figures,
)
from unionstats.intake.model import Dataset

TOP = 5
ORIGIN = frozenset({"source", "sheet", "row"})  # where a row came from: no figure reads it
UNRANKED = 999
FEN = Decimal("0.01")


def money(value: float) -> float:
    """Yuan to the fen, half up as people round (30.025 is 30.03), as a plain float (never -0.0 or numpy)."""
    return float(Decimal(repr(float(value))).quantize(FEN, ROUND_HALF_UP)) + 0.0


def rate(part: float, whole: float) -> float | None:
    """The exact ratio: it is rounded once, where it is written (12.3457% is 12.3%, never 12.35% then 12.4%)."""
    return float(part / whole) if whole else None


def text(value: object) -> str:
    """A text cell as str; a missing one as ""."""
    return "" if pd.isna(value) else str(value)


def day(value: pd.Timestamp) -> dt.date:
    return value.date()


def select(frame: pd.DataFrame, period: Period | None, units: Iterable[str] | None,
           yearly: bool = False) -> pd.DataFrame:
    """The rows of the period and units, without personal columns (a column's flag) or where each came from.
    `yearly`: the rows are years (dated on their first day), taken for every year the period touches."""
    unused = ORIGIN | {c.key for sheet in registry.sheets() for c in sheet.personal}
    if period is not None and not yearly and units:  # (a few units' rows found by unit, then date)
        return frame[[c for c in frame.columns if c not in unused]].take(dated.rows(frame, period, list(units)))
    mask = np.ones(len(frame), dtype=bool)
    if period is not None and yearly:  # a year's row belongs to every period of its year
        dates = frame["date"]
        mask &= ((dates >= pd.Timestamp(period.start.year, 1, 1)) & (dates <= pd.Timestamp(period.end))).to_numpy()
    elif period is not None:
        mask &= dated.mask(frame, period)
    frame = frame[[c for c in frame.columns if c not in unused]]
    if not mask.all():
        frame = frame[mask]  # (the period first: the units are then looked up among its rows only)
    return frame[frame["unit"].isin(list(units)).to_numpy()] if units else frame


def labelled(series: pd.Series, blank: str = schema.UNSPECIFIED) -> pd.Series:
    """The series with empty and missing cells shown as `blank` (未注明), so no row drops out of a group."""
    missing = series.isna() | (series == "")
    return series.where(~missing, blank) if missing.any() else series


def lookup(series: pd.Series, rule: Callable[[str], int]) -> np.ndarray:
    """`rule` applied once per distinct value and spread back over the rows (Series.map is slow on str)."""
    codes, uniques = pd.factorize(series)
    return np.array([rule(u) for u in uniques] + [UNRANKED], dtype=np.int64)[codes]


def ordered(keys: Iterable, order: Iterable = ()) -> list:
    """Keys in the order given (the contract's), any others after them, sorted."""
    rank = {k: i for i, k in enumerate(order)}
    return sorted(keys, key=lambda k: (rank.get(k, len(rank)), k))


def tally(frame: pd.DataFrame, keys: str | np.ndarray, columns: Iterable[str] = ()) -> pd.DataFrame:
    """Per key: the number of rows (`rows`) and the sums of `columns`."""
    grouped = frame.groupby(keys, sort=False, dropna=False)
    table = grouped[list(columns)].sum() if columns else pd.DataFrame(index=grouped.size().index)
    return table.assign(rows=grouped.size())


def groups(table: pd.DataFrame, make: type, fields: dict[str, str], order: Iterable = ()) -> dict:
    """A tally as {key: make(**fields)} ({field name: table column}), in `order`, yuan to the fen."""
    casts = {column: money if table[column].dtype.kind == "f" else int for column in fields.values()}
    rows = table.to_dict("index")
    return {str(key): make(**{name: casts[column](rows[key][column]) for name, column in fields.items()})
            for key in ordered(rows, order)}


def totals(frame: pd.DataFrame, by: str, make: type, columns: dict[str, str], order: Iterable = (),
           rows: str = "count") -> dict:
    """Per value of `by`, blanks as 未注明: make(rows=number of rows, name=sum of column for `columns`)."""
    if frame.empty:
        return {}
    return regrouped(tally(frame, by, columns.values()), make, columns, order, rows)


def regrouped(table: pd.DataFrame, make: type, columns: dict[str, str], order: Iterable = (),
              rows: str = "count") -> dict:
    """`totals` from a tally already made: empty and missing keys joined as 未注明."""
    table = table.groupby(labelled(table.index.to_series()), sort=False).sum()
    return groups(table, make, {rows: "rows", **columns}, order)


def monthly(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """A tally per calendar month, indexed by year * 12 + month - 1."""
    dates = frame["date"]
    return tally(frame, (dates.dt.year * 12 + dates.dt.month - 1).to_numpy(), columns)


def by_month(table: pd.DataFrame, make: type, fields: dict[str, str]) -> dict:
    """{"2024-05": make(...)} from a `monthly` tally, in time order."""
    return groups(table.set_axis([f"{int(m) // 12}-{int(m) % 12 + 1:02d}" for m in table.index]), make, fields)


def by_quarter(table: pd.DataFrame, make: type, fields: dict[str, str]) -> dict:
    """{"2024Q2": make(...)} folded from a `monthly` tally, in time order."""
    quarters = [f"{int(m) // 12}Q{int(m) % 12 // 3 + 1}" for m in table.index]
    return groups(table.groupby(quarters).sum(), make, fields)


def leading(frame: pd.DataFrame, by: list[str], ascending: list[bool], n: int = TOP) -> pd.DataFrame:
    """The first n rows in the order of `by`, sorting only the rows that can be among them."""
    candidates = contenders(frame, by, ascending, np.arange(len(frame)), n)
    return frame.iloc[candidates].sort_values(by, ascending=ascending).head(n)


def contenders(frame: pd.DataFrame, by: list[str], ascending: list[bool], rows: np.ndarray,
               n: int) -> np.ndarray:
    """Positions among `rows` that can be in the first n: all ahead on `by[0]`, and the tied ones
    that the next keys put first."""
    if n <= 0:
        return rows[:0]
    if len(rows) <= 4 * n or not by or frame[by[0]].dtype.kind not in "iufM":
        return rows
    values = frame[by[0]].to_numpy()[rows]
    values = values.view("int64") if values.dtype.kind == "M" else values
    values = values if ascending[0] else -values
    edge = np.partition(values, n - 1)[n - 1]
    ahead = rows[values < edge]
    tied = contenders(frame, by[1:], ascending[1:], rows[values == edge], n - len(ahead))
    return np.concatenate([ahead, tied])


def period_figures(dataset: Dataset, period: Period | None, units: list[str] | None) -> Figures:
    """The figures of one period, without comparisons."""
    frames = {kind.key: select(dataset.frame(kind.key), period, units, kind.sheet.yearly) for kind in registered()}
    members = {u: m for u, m in dataset.members().items() if m > 0 and (not units or u in units)}
    dated = [frames[key] for key in dataset.dated_frames()]
    with_rows = set().union(*(labelled(f["unit"]).unique() for f in dated))
    in_scope = sorted(with_rows | (set(units or ()) & set(members)))
    members = {u: m for u, m in members.items() if u in in_scope}
    view = View(dataset, period, units)
    return Figures(period, in_scope, {kind.key: every_month(kind.measure(frames[kind.key], members, view), period)
                                      for kind in registered()}, reporting=tuple(sorted(with_rows)))


@dataclass(frozen=True)
class View:
    """What a kind's `measure` may read beyond its own rows of the period: any dated sheet's rows of the view's
    units in another period (a budget reads the year's spending up to the period's end). A kind that reads
    further than its period says how far with its `reach`, so that the figures cache keys on it."""

    dataset: Dataset
    period: Period | None
    units: list[str] | None

    def rows(self, key: str, period: Period | None) -> pd.DataFrame:
        """The rows of sheet `key` of the view's units within `period` (None: every date)."""
        return select(self.dataset.frame(key), period, self.units, registry.sheet(key).yearly)


def reporting_units(dataset: Dataset, period: Period, units: list[str] | None) -> set[str]:
    """The units (of those chosen; None for all) with a row of any sheet dated inside the period."""
    found: set[str] = set()
    for frame in dataset.dated_frames().values():
        within = dated.units_within(frame, period, units or None)
        found.update(labelled(pd.Series(within, dtype=object)).unique())
    return found


def has_rows(dataset: Dataset, period: Period, units: list[str] | None) -> bool:
    """Whether any sheet holds a row of the units dated inside the period."""
    return bool(reporting_units(dataset, period, units))


def all_dates(dataset: Dataset) -> pd.Series:
    return pd.concat([f["date"] for f in dataset.dated_frames().values()], ignore_index=True)


def neighbours(period: Period | None) -> dict[str, Period | None]:
    """The 环比 and 同比 periods; a year-ago period that overlaps this one (a span over a year) is none."""
    if period is None:
        return {"previous": None, "year_ago": None}
    year_ago = period.year_ago()
    return {"previous": period.previous(), "year_ago": year_ago if year_ago.end < period.start else None}


Measure = Callable[[Period | None, tuple[str, ...] | None], Figures]


def figures(dataset: Dataset, period: Period | None = None, units: list[str] | None = None,
            measured: Measure | None = None) -> Figures:
    """Figures for the period (default: the span of the data) and units (default, or empty: all).

    `previous` (环比) and `year_ago` (同比) compare like for like (可比口径): over the units that reported both
    in this period and in the earlier one, so that a unit which reported in only one of them moves no change.
    Each is None when no unit of the view reported in both. `measured(period, units)` gives one period's
    figures of the units (None: the view's own; default `period_figures`): a caller that keeps them passes
    its own, so that a period already measured for another view is not measured again.
    """
    measure = memo(measured or (lambda p, among: period_figures(dataset, p, list(among) if among else units)))
    period = period or span_period(all_dates(dataset))
    result = measure(period, None)
    if period is None:
        return result
    now = reporting_units(dataset, period, units)
    compared: dict[str, Any] = {key: comparison(dataset, result, neighbour, now, units, measure)  # by field name
                                for key, neighbour in neighbours(period).items()}
    return dataclasses.replace(result, **compared)


def memo(measure: Measure) -> Measure:
    """`measure` asked once per (period, units): a year's 环比 and 同比 are the same period."""
    done: dict = {}

    def once(period: Period | None, among: tuple[str, ...] | None) -> Figures:
        if (period, among) not in done:
            done[period, among] = measure(period, among)
        return done[period, among]

    return once


def comparison(dataset: Dataset, result: Figures, earlier: Period | None, now: set[str], units: list[str] | None,
               measure: Measure) -> Comparison | None:
    """This period against `earlier` over the units that reported in both; None when there are none."""
    if earlier is None:
        return None
    before = reporting_units(dataset, earlier, units)
    common = tuple(sorted(now & before))
    if not common:
        return None
    dropped, added = tuple(sorted(before - now)), tuple(sorted(now - before))
    earlier_figures = measure(earlier, None if not dropped else common)
    current = result if not added else measure(result.period, common)
    return Comparison(earlier_figures, current, dropped, added)


@dataclass(frozen=True)
class Change:
    """How a figure moved against an earlier period: the difference (to the fen), and the exact ratio when the
    earlier figure is not 0, so that it is rounded once, where it is written."""

    delta: float
    ratio: float | None


def change(current: float | None, earlier: float | None) -> Change | None:
    """The 环比 or 同比 change; None when either figure is unknown."""
    if current is None or earlier is None:
        return None
    return Change(round(current - earlier, 2), relative_change(current, earlier))


def relative_change(current: float, earlier: float) -> float | None:
    """(current − earlier) / earlier worked in decimal, None when earlier is 0: 0.78元 against 1.6元 is a fall of
    exactly 51.25%, which binary floats make 51.2499…%, and so 51.2% where people write 51.3%."""
    if not earlier:
        return None
    now, before = Decimal(repr(float(current))), Decimal(repr(float(earlier)))
    return float((now - before) / before)
