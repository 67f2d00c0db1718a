"""活动: the activities a union holds (festivals, sports, trips, trainings), with head-counts and spending.

The kind behind 活动参与 and 经费支出: its sheet, its figures (totals, per member and per participant, by
category, month, quarter and unit, the largest, the festivals), its cards, its charts and its summary section.

One kind, one package, laid out in the order its parts build on each other:

- `sheet`: the sheet (columns, categories and their synonyms, the example row) and the categories' colours;
- `figures`: the typed figures and `event_figures`, which measures a period's rows into them;
- `charts`: the cards, the charts as descriptions and the deck's table of units;
- `writing`: the 工作总结 section, the opening, funds, units, observations, key-figure and line hooks, and the
  page table;
- here: `KIND`, which puts them together and is what the registry finds, and every public name of the parts,
  so that `events.SHEET` or `events.participation_by_category` reads as if the kind were one module.
"""

from __future__ import annotations

from unionstats.kinds.events.charts import (
    COUNT,
    MOST_UNITS,
    PARTICIPANTS,
    PER_MEMBER,
    PER_PARTICIPANT,
    RATE,
    SPENDING,
    participation_by_category,
    participation_over_time,
    participation_rate_by_unit,
    several_units,
    slides,
    spending_by_category,
    spending_over_time,
    spending_per_head,
    unit_comparison,
)
from unionstats.kinds.events.figures import (
    FESTIVAL,
    FESTIVALS,
    EventFigures,
    EventGroup,
    EventRecord,
    Festival,
    UnitEvents,
    event_figures,
    event_record,
    events_of,
    festival_figures,
    participation,
    unit_figures,
)
from unionstats.kinds.events.sheet import CATEGORIES, COLOURS, SHEET
from unionstats.kinds.events.writing import (
    FESTIVE,
    MAIN_CATEGORIES,
    activities_heading,
    concentration,
    festive,
    funds,
    key_figures,
    line,
    missing_categories,
    observations,
    opening,
    rate_drop,
    section,
    spending_table,
    units,
)
from unionstats.kinds.kind import Kind, Page, Table
from unionstats.writing.tables import rows

__all__ = [
    "KIND",
    "CATEGORIES", "COLOURS", "SHEET",
    "FESTIVAL", "FESTIVALS", "EventFigures", "EventGroup", "EventRecord", "Festival", "UnitEvents", "event_figures",
    "event_record", "events_of", "festival_figures", "participation", "unit_figures",
    "COUNT", "MOST_UNITS", "PARTICIPANTS", "PER_MEMBER", "PER_PARTICIPANT", "RATE", "SPENDING",
    "participation_by_category", "participation_over_time", "participation_rate_by_unit", "several_units", "slides",
    "spending_by_category", "spending_over_time", "spending_per_head", "unit_comparison",
    "FESTIVE", "MAIN_CATEGORIES", "activities_heading", "concentration", "festive", "funds", "key_figures", "line",
    "missing_categories", "observations", "opening", "rate_drop", "section", "spending_table", "units",
]

KIND: Kind[EventFigures] = Kind(
    SHEET, lambda rows, members, view: event_figures(rows, members), 10,
    (participation_by_category, participation_over_time, participation_rate_by_unit,
     spending_by_category, spending_over_time, spending_per_head, unit_comparison),
    (COUNT, PARTICIPANTS, RATE, SPENDING, PER_MEMBER, PER_PARTICIPANT), section, migrated=True,
    pages=(Page("活动参与", "pages/1_活动参与.py", ":material/groups:", (COUNT, PARTICIPANTS, RATE),
                (participation_by_category, participation_over_time, participation_rate_by_unit, unit_comparison),
                table=Table("活动明细", lambda dataset, period, units, result: rows(dataset, "events", period, units))),
           Page("经费支出", "pages/2_经费支出.py", ":material/payments:", (SPENDING, PER_MEMBER, PER_PARTICIPANT),
                (spending_by_category, spending_over_time, spending_per_head),
                table=Table("各类活动经费", lambda dataset, period, units, result: spending_table(result)))),
    overview_cards=(COUNT, PARTICIPANTS, RATE, SPENDING),
    overview_charts=(participation_by_category, participation_over_time, spending_by_category),
    opening=opening, funds=funds, units=units, observations=observations, key_figures=key_figures, line=line,
    slides=slides,
)
