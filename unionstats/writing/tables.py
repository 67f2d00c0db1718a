"""A kind's figures and rows as tables with Chinese headers: what a page shows under its charts.

No personal column is ever part of them (a column's `personal` flag in its sheet).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from unionstats.contract import registry, schema
from unionstats.contract.periods import Period
from unionstats.figures.engine import select
from unionstats.intake.model import Dataset

HIDDEN = {"award_name", "source", "sheet", "row"}  # a named award shows in its result; where a row came from

def rows(dataset: Dataset, key: str, period: Period | None, units: list[str] | None) -> pd.DataFrame:
    """One sheet's rows of the period and units, newest first, with the template's column names."""
    sheet = registry.sheet(key)
    frame = dataset.frame(key)
    chosen = select(frame, period, units).sort_values("date", ascending=False)
    for column in sheet.columns:
        if column.kind == schema.RESULT:
            named = chosen[column.key] == schema.OTHER_AWARD
            chosen = chosen.assign(**{column.key: chosen[column.key].where(~named, chosen["award_name"])})
    shown = [c for c in sheet.columns if not c.personal and c.key not in HIDDEN and c.key in chosen.columns]
    table = chosen[[c.key for c in shown]].rename(columns={c.key: c.name for c in shown})
    table["日期"] = table["日期"].dt.date
    return table.reset_index(drop=True)

def category_table(by: Mapping[str, object], labels: dict[str, str], first: str) -> pd.DataFrame:
    """A group figure of `stats.figures` (by_category, by_reason...) as a table: one row per group.

    `labels` maps the group's fields to the table's headers, in the table's order.
    """
    records = [{first: name, **{header: getattr(group, key) for key, header in labels.items()}}
               for name, group in by.items()]
    return pd.DataFrame(records, columns=[first, *labels.values()])

def money_headers() -> frozenset[str]:
    return frozenset(c.name for s in registry.sheets() for c in s.columns if c.kind == schema.MONEY)

def is_money(header: str) -> bool:
    return header in money_headers() or header.endswith("（元）")

def money_places(values: pd.Series) -> int:
    """The decimals a money column is written with: fen only where a value has them."""
    return 0 if all(float(v).is_integer() for v in values.dropna()) else 2

def money_format(values: pd.Series):
    """A money column written for reading: thousands separators, and fen only where a value has them."""
    places = money_places(values)
    return lambda v: "" if pd.isna(v) else f"{v:,.{places}f}"

def money_formats(frame: pd.DataFrame) -> dict[str, str]:
    """The printf formats that show the table's money columns as 30,400 or 4,698.70 while the values stay numbers
    (sortable): "%,.0f" or "%,.2f" per money column, as the browser's table takes them."""
    return {str(c): f"%,.{money_places(frame[c])}f" for c in frame.columns if is_money(str(c))}
