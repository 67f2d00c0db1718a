"""The typed data model: one DataFrame per sheet plus unit information.

Frames use the English column keys of `schema` and proper dtypes, so the
statistics never have to guess what a cell holds. Every row keeps where it
came from (`source`, `sheet`, `row` as Excel shows it).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from unionstats.contract import registry, schema
from unionstats.intake.report import LoadReport

ORIGIN_COLUMNS = ("source", "sheet", "row")
UNIT_COLUMNS = ("unit", "members", "period_text", "source", "named")  # named: False for a stored file name (naming)

_DTYPES = {
    schema.DATE: "datetime64[us]",
    schema.YEAR: "datetime64[us]",
    schema.TEXT: "str",
    schema.CATEGORY: "str",
    schema.RESULT: "str",
    schema.MONEY: "float64",
}


def column_dtype(column: schema.Column) -> str:
    if column.kind == schema.INT:
        return "int64" if column.required or column.default is not None else "Int64"
    return _DTYPES[column.kind]


def frame_dtypes(sheet: schema.Sheet) -> dict[str, str]:
    """The sheet's columns, the award name beside a 名次 column, and where each row came from."""
    dtypes = {}
    for column in sheet.columns:
        dtypes[column.key] = column_dtype(column)
        if column.kind == schema.RESULT:
            dtypes["award_name"] = "str"
    dtypes.update(source="str", sheet="str", row="int64")
    return dtypes


def empty_frame(sheet: schema.Sheet) -> pd.DataFrame:
    return pd.DataFrame({k: pd.Series(dtype=d) for k, d in frame_dtypes(sheet).items()})


def empty_units() -> pd.DataFrame:
    return pd.DataFrame({
        "unit": pd.Series(dtype="str"), "members": pd.Series(dtype="Int64"),
        "period_text": pd.Series(dtype="str"), "source": pd.Series(dtype="str"),
        "named": pd.Series(dtype="bool"),
    })


@dataclass(frozen=True)
class Title:
    """A cell above a header row that names a unit (naming.py): the name, the cell's text and where it is."""

    name: str
    text: str
    sheet: str
    row: int
    cell: str


class Dataset:
    """Everything loaded from one or more workbooks, with the load report.

    One frame per registered sheet kind, by its key: `dataset.frame("visits")`, or `dataset.visits`. A kind
    with no rows has an empty frame of the right columns and dtypes. A row whose workbook names no unit has
    the unit '' (naming.py); `unit_title` is the title cell of one workbook that suggests a name for those rows.
    """

    unit_title: Title | None = None

    def __init__(self, tables: dict[str, pd.DataFrame] | None = None, units: pd.DataFrame | None = None,
                 report: LoadReport | None = None, sources: list[str] | None = None, **frames: pd.DataFrame):
        self.tables: dict[str, pd.DataFrame] = {**(tables or {}), **frames}
        self.units = empty_units() if units is None else units
        self.report = report or LoadReport()
        self.sources = list(sources or [])

    def __getattr__(self, name: str) -> pd.DataFrame:
        if name in registry.sheets_by_key():
            return self.frame(name)
        raise AttributeError(name)

    def __setattr__(self, name: str, value) -> None:
        if name in registry.sheets_by_key():
            self.tables[name] = value
        else:
            super().__setattr__(name, value)

    def frame(self, key: str) -> pd.DataFrame:
        if key not in self.tables:
            self.tables[key] = empty_frame(registry.sheet(key))
        return self.tables[key]

    def frames(self) -> dict[str, pd.DataFrame]:
        return {s.key: self.frame(s.key) for s in registry.sheets()}

    def present_frames(self) -> dict[str, pd.DataFrame]:
        """The frames the dataset speaks of: every sheet's, but an optional sheet's (a budget) only where it has rows,
        so that a workbook without one reads, counts and hashes as it did before that sheet existed."""
        return {s.key: frame for s in registry.sheets() if len(frame := self.frame(s.key)) or not s.optional}

    def dated_frames(self) -> dict[str, pd.DataFrame]:
        """The frames of sheets whose rows happen on a day: what says when a unit reported and which period a
        workbook covers (a yearly sheet, a budget, says neither)."""
        return {s.key: self.frame(s.key) for s in registry.sheets() if not s.yearly}

    @property
    def row_count(self) -> int:
        return sum(len(f) for f in self.frames().values())

    def members(self) -> dict[str, int]:
        """Union members per unit, where a 单位信息 sheet gave them."""
        known = self.units.dropna(subset=["members"])
        return {u: int(m) for u, m in zip(known["unit"], known["members"])}

    def named_units(self) -> set[str]:
        """Units whose name the workbook or the user gave (单位信息, a 单位 column, a name given at import): not a
        file's name that a store holds as a unit (named False), nor the '' of rows without a unit."""
        frames = [f["unit"].unique() for f in self.frames().values() if len(f)]  # (a page asks on every run)
        written = set(self.units.loc[self.units["named"].astype(bool), "unit"])
        fallbacks = set(self.units.loc[~self.units["named"].astype(bool), "unit"]) - written
        return (written | set().union(*map(set, frames))) - fallbacks - {""}

    @classmethod
    def combine(cls, datasets: list[Dataset]) -> Dataset:
        if len(datasets) == 1:
            return datasets[0]
        merged = cls()
        for sheet in registry.sheets():
            parts = [d.frame(sheet.key) for d in datasets if len(d.frame(sheet.key))]
            if parts:
                merged.tables[sheet.key] = pd.concat(parts, ignore_index=True)
        units = [d.units for d in datasets if len(d.units)]
        if units:
            merged.units = pd.concat(units, ignore_index=True)
        for d in datasets:
            merged.report.extend(d.report)
            merged.sources.extend(d.sources)
        return merged
