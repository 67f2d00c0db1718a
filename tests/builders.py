"""Datasets built straight from records, for tests of the statistics and the summary."""

import pandas as pd

from unionstats.contract import registry, schema
from unionstats.intake import model
from unionstats.intake.model import Dataset
from unionstats.kinds import competitions as competitions_kind
from unionstats.kinds import donations as donations_kind
from unionstats.kinds import events as events_kind
from unionstats.kinds import visits as visits_kind


def frame(sheet: schema.Sheet, records: list[dict]) -> pd.DataFrame:
    dtypes = model.frame_dtypes(sheet)
    defaults = {c.key: c.default if c.default is not None else ("" if c.kind != schema.INT else None)
                for c in sheet.columns}
    rows = [{**defaults, "award_name": "", "source": "t.xlsx", "sheet": sheet.name, "row": i + 2, **r}
            for i, r in enumerate(records)]
    data = pd.DataFrame(rows, columns=list(dtypes)) if rows else model.empty_frame(sheet)
    data["date"] = pd.to_datetime(data["date"])
    return data.astype(dtypes)


def dataset(events=(), visits=(), donations=(), competitions=(), members=None, **others) -> Dataset:
    """A dataset of these records per sheet kind (`others`: any other registered kind's, by its key)."""
    units = model.empty_units()
    if members:
        units = pd.DataFrame({"unit": list(members), "members": list(members.values()),
                              "period_text": "", "source": "t.xlsx", "named": True}).astype(
            {"unit": "str", "members": "Int64", "period_text": "str", "source": "str"})
    return Dataset(events=frame(events_kind.SHEET, list(events)), visits=frame(visits_kind.SHEET, list(visits)),
                   donations=frame(donations_kind.SHEET, list(donations)),
                   competitions=frame(competitions_kind.SHEET, list(competitions)), units=units,
                   **{key: frame(registry.sheet(key), list(records)) for key, records in others.items()})


def drawn(build, result, scope: str = "", large: bool = False):
    """A kind's chart (a description) for the figures, drawn as the dashboard draws it."""
    from unionstats.exports import plotting

    return plotting.figure(build(result, scope), large)
