"""活动's figures as typed values, and the function that measures a period's rows into them.

`events_of` reads them out of a period's `Figures`: the cards, charts and summary hooks are what `KIND` is built
from, so they cannot read through `Figures.of(KIND)` without importing the package back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import cast

import pandas as pd

from unionstats.figures.engine import (
    by_month,
    by_quarter,
    day,
    leading,
    money,
    monthly,
    rate,
    regrouped,
    tally,
    text,
    totals,
)
from unionstats.figures.typed import Figures
from unionstats.kinds.events.sheet import CATEGORIES, SHEET


@dataclass(frozen=True)
class EventGroup:
    """Activities of one category, month or quarter."""

    count: int
    participants: int
    spending: float

@dataclass(frozen=True)
class UnitEvents:
    """One unit's activities; members and rate are None where 单位信息 gave no member count."""

    count: int
    participants: int
    spending: float
    members: int | None
    participation_rate: float | None

@dataclass(frozen=True)
class EventRecord:
    date: dt.date
    name: str
    category: str
    participants: int
    spending: float

@dataclass(frozen=True)
class Festival:
    """节日活动 of one name: how often, how many took part, what it cost, when it was first held."""

    name: str
    count: int
    participants: int
    spending: float
    date: dt.date

@dataclass(frozen=True)
class EventFigures:
    count: int = 0
    participants: int = 0
    spending: float = 0.0
    members: int | None = None
    participation_rate: float | None = None
    spending_per_member: float | None = None
    spending_per_participant: float | None = None
    by_category: dict[str, EventGroup] = field(default_factory=dict)
    by_month: dict[str, EventGroup] = field(default_factory=dict)
    by_quarter: dict[str, EventGroup] = field(default_factory=dict)
    by_unit: dict[str, UnitEvents] = field(default_factory=dict)
    top: list[EventRecord] = field(default_factory=list)
    festivals: list[Festival] = field(default_factory=list)


FESTIVALS = 10

FESTIVAL = "节日活动"

def event_record(row) -> EventRecord:
    return EventRecord(day(row.date), text(row.name), text(row.category), int(row.participants), money(row.spending))

def event_figures(events: pd.DataFrame, members: dict[str, int]) -> EventFigures:
    """活动: totals, per member and participant, by category, month, quarter and unit, the largest."""
    sums = {"participants": "participants", "spending": "spending"}
    participants, spending = int(events["participants"].sum()), money(events["spending"].sum())
    months = monthly(events, sums.values())
    units = tally(events, "unit", sums.values())
    known = units[units.index.isin(list(members))]
    member_count = sum(members.values()) if members else None
    member_spending = known["spending"].sum()
    top = leading(events, ["participants", "date", "name"], [False, True, True])
    return EventFigures(
        count=len(events),
        participants=participants,
        spending=spending,
        members=member_count,
        participation_rate=participation(known, members),
        spending_per_member=money(member_spending / member_count) if member_count else None,
        spending_per_participant=money(spending / participants) if participants else None,
        by_category=totals(events, "category", EventGroup, sums, CATEGORIES),
        by_month=by_month(months, EventGroup, {"count": "rows", **sums}),
        by_quarter=by_quarter(months, EventGroup, {"count": "rows", **sums}),
        by_unit=unit_figures(units, members),
        top=[event_record(r) for r in top.itertuples()],
        festivals=festival_figures(events),
    )

def participation(known: pd.DataFrame, members: dict[str, int]) -> float | None:
    """Participants over (activities x members), both summed over the units (a tally by unit) whose members
    are known."""
    if known.empty:
        return None
    sizes = known.index.map(members).to_numpy(dtype=float)
    return rate(known["participants"].sum(), (known["rows"].to_numpy() * sizes).sum())

def unit_figures(units: pd.DataFrame, members: dict[str, int]) -> dict[str, UnitEvents]:
    """Per unit (from a tally by unit), with each unit's participation rate where its members are known."""
    if units.empty:
        return {}
    by_unit = regrouped(units, EventGroup, {"participants": "participants", "spending": "spending"})
    return {unit: UnitEvents(g.count, g.participants, g.spending, members.get(unit),
                             rate(g.participants, g.count * members.get(unit, 0)))
            for unit, g in by_unit.items()}

def festival_figures(events: pd.DataFrame) -> list[Festival]:
    """节日活动 grouped by name, the largest first: the festivals a summary names."""
    festivals = events[events["category"] == FESTIVAL]
    grouped = festivals.groupby("name", sort=False)
    table = grouped[["participants", "spending"]].sum().assign(count=grouped.size(), first=grouped["date"].min())
    largest = leading(table.reset_index(), ["participants", "first", "name"], [False, True, True], FESTIVALS)
    return [Festival(text(r.name), int(r.count), int(r.participants), money(r.spending), day(r.first))
            for r in largest.itertuples()]


def events_of(result: Figures) -> EventFigures:
    """The activities' figures of a period, typed as such: what `result.of(KIND)` gives."""
    return cast(EventFigures, result.sheets[SHEET.key])
