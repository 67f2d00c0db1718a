"""The figures of a period, as typed values.

`stats` computes them; the summary, the charts, the pages, the exports and
the command line read them by attribute, so a misspelt figure is an error
at once, not a silent None. Counts are ints, yuan are floats rounded to the
fen, and None means unknown (never a guessed zero). Groups keep the order of
the workbook contract; months and quarters are in time order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar, cast

from unionstats.contract import registry
from unionstats.contract.periods import Period
from unionstats.contract.registry import SheetKind

F = TypeVar("F")


class Counted(Protocol):
    """Every kind's figures count their rows."""

    @property
    def count(self) -> int: ...


@dataclass(frozen=True)
class Comparison:
    """An earlier period set against this one like for like (可比口径): both over the units that reported in both.

    `current` is this period's figures over those units: the view's own figures when every unit of the view
    reported in both periods, else a narrower set (`same_units` False). A change is always `current` against
    `earlier`, so that a unit that reported in only one of the two periods moves no figure. `left_out` names the
    units that reported only earlier (`dropped`) or only now (`added`).
    """

    earlier: Figures
    current: Figures
    dropped: tuple[str, ...] = ()
    added: tuple[str, ...] = ()

    @property
    def period(self) -> Period | None:
        """The earlier period."""
        return self.earlier.period

    @property
    def same_units(self) -> bool:
        """Whether the change can stand right after this period's own figure: no unit reported only now."""
        return not self.added

    @property
    def left_out(self) -> tuple[str, ...]:
        return self.dropped + self.added

    def pair(self, figure: Callable[[Figures], float | None]) -> tuple[float | None, float | None]:
        """(now, earlier) of one figure over the comparable units: `pair(lambda f: f.visits.amount)`."""
        return figure(self.current), figure(self.earlier)


@dataclass(frozen=True)
class Figures:
    """One period's figures for the units in scope, with the 环比 and 同比 comparisons where data exists.

    `sheets` holds each registered sheet kind's figures by its key; every kind's figures have a `count`
    (its rows). The contract's four kinds are also attributes: `figures.visits.amount`. `reporting` are the
    units with a row in the period (`units` may also hold chosen units that only gave a member count).
    """

    period: Period | None
    units: list[str]
    sheets: dict[str, Counted]
    previous: Comparison | None = None
    year_ago: Comparison | None = None
    reporting: tuple[str, ...] = ()

    def of(self, kind: SheetKind[F]) -> F:
        """The figures of one kind, typed as that kind's: `figures.of(events.KIND).participants`."""
        return cast(F, self.sheets[kind.sheet.key])

    def __getattr__(self, name: str) -> Counted:
        """A kind's figures by its key (`figures.events`), for a quick look in a test or a shell: typed only as
        counted, so the library reads figures through `of`, which gives the kind's own type."""
        sheets = self.__dict__.get("sheets") or {}
        if name in sheets:
            return sheets[name]
        raise AttributeError(name)

    @property
    def empty(self) -> bool:
        """Nothing was done in the period: no row of a dated sheet (a year's budget alone is no work done)."""
        return not any(figures.count for key, figures in self.sheets.items() if not registry.sheet(key).yearly)

    def sheet(self, key: str):
        """The figures of one sheet kind by its schema key."""
        return self.sheets[key]

    def earlier(self, comparison: str) -> Comparison | None:
        """The comparison asked for: `previous` (环比) or `year_ago` (同比)."""
        if comparison not in ("previous", "year_ago"):
            raise ValueError(f"unknown comparison {comparison!r}")
        return getattr(self, comparison)

    def to_json(self) -> dict:
        """Plain JSON-ready values, each sheet kind under its key; periods as {code, label, start, end}."""
        return {"period": describe(self.period), "units": list(self.units),
                **{key: jsonable(figures) for key, figures in self.sheets.items()},
                "previous": compared_json(self.previous), "year_ago": compared_json(self.year_ago)}


def compared_json(comparison: Comparison | None) -> dict | None:
    """The earlier figures (over the comparable units), the units left out, and this period's figures over the
    comparable units when they differ from the view's."""
    if comparison is None:
        return None
    return {**comparison.earlier.to_json(), "dropped": list(comparison.dropped), "added": list(comparison.added),
            "current": None if comparison.same_units else comparison.current.to_json()}


def describe(period: Period | None) -> dict | None:
    if period is None:
        return None
    return {"code": period.code, "label": period.label,
            "start": period.start.isoformat(), "end": period.end.isoformat()}


def jsonable(value):
    if isinstance(value, Period):
        return describe(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
