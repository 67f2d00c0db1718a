"""Whose work the summary reports: the organisation's name for a title, a deck, a 落款 and file names.

A view whose rows in its period all come from one unit carries that unit's name (单位信息, the 单位 column,
or the name given at import); a view of several units the store's setting. It is never a file name: a
workbook that names no unit has none until a user gives one (naming.py), and a unit a store holds under a
file's name is not counted as named, since a title built from "school_2004" is one no chairman would sign.
A title always names a 工会.
"""

from __future__ import annotations

import unicodedata

from unionstats.contract import schema
from unionstats.figures.typed import Figures
from unionstats.intake.model import Dataset

UNKNOWN = "工会"
UNION_ENDINGS = ("分会", "工委", "工会小组")  # a branch (一分会), a union committee (机关工委): already a union


def union_name(name: str | None) -> str:
    """The name as a union's: 某研究所 becomes 某研究所工会; 某区总工会, 某校工会委员会, 一分会 stay; none is 工会."""
    name = " ".join(schema.visible(unicodedata.normalize("NFKC", name or "")).split())
    if not name:
        return UNKNOWN
    return name if "工会" in name or name.endswith(UNION_ENDINGS) else f"{name}工会"


def organisation_name(dataset: Dataset, units: list[str] | None = None, setting: str = "",
                      result: Figures | None = None) -> str:
    """The union a view's summary, deck and file names are written for.

    The view's units are those chosen, else those with rows in its period: `result` is the view's figures
    (stats.figures), whose units are those (without it, every row counts). One unit, named by its workbook:
    that unit's union. Several units, or one without a name: the stored setting. No rows at all: the setting,
    else the one named unit the data holds. Nothing names the union: plainly 工会.
    """
    named = dataset.named_units()
    present = set(units) if units else set(result.units) if result is not None else rows_units(dataset)
    if len(present) == 1 and present <= named:
        return union_name(next(iter(present)))
    if setting or present:
        return union_name(setting)
    everywhere = rows_units(dataset)
    return union_name(next(iter(everywhere)) if len(everywhere) == 1 and everywhere <= named else "")


def rows_units(dataset: Dataset) -> set[str]:
    return {u for frame in dataset.frames().values() for u in frame["unit"].unique()}
