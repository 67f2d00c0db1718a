"""Which units were due to report in a period (应报送), and which of them sent nothing.

The 单位名录 says it where it marks units 应报送; a store without one takes the units that reported in the period
before or in the same period a year before, the comparisons' rule (`engine.reporting_units`).
"""

from __future__ import annotations

import pandas as pd

from unionstats.contract.periods import Period
from unionstats.figures.engine import reporting_units
from unionstats.intake.model import Dataset


def due_units(dataset: Dataset, directory: pd.DataFrame | None, period: Period | None,
              units: list[str] | None = None) -> list[str]:
    """The units that were due to report for `period`, among `units` (None or empty: every unit), sorted.

    With a directory (any row), its units marked 应报送. Without one, the units with a row in the period before
    or in the same period a year before. A unit outside both, or a period of None, is not due.
    """
    chosen = set(units or ())
    if directory is not None and len(directory):
        due = set(directory.loc[directory["due"].astype(bool), "unit"])
    elif period is None:
        due = set()
    else:
        due = units_with_rows(dataset, [period.previous(), period.year_ago()])
    return sorted(due & chosen if chosen else due)


def unreported_units(dataset: Dataset, directory: pd.DataFrame | None, period: Period | None,
                     units: list[str] | None = None) -> list[str]:
    """The due units (`due_units`) with no row in `period`: the ones a summary names as 未报送数据."""
    if period is None:
        return due_units(dataset, directory, period, units)
    reported = units_with_rows(dataset, [period])
    return [u for u in due_units(dataset, directory, period, units) if u not in reported]


def units_with_rows(dataset: Dataset, periods: list[Period]) -> set[str]:
    """The units with a row of any sheet inside any of the periods (stats.reporting_units, the comparisons' rule)."""
    return set().union(*(reporting_units(dataset, period, None) for period in periods))
