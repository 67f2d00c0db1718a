"""The typed data model: one DataFrame per sheet plus unit information.

Frames use the English column keys of `schema` and proper dtypes, so the
statistics never have to guess what a cell holds. Every row keeps where it
came from (`source`, `sheet`, `row` as Excel shows it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import schema
from .report import LoadReport

ORIGIN_COLUMNS = ("source", "sheet", "row")
UNIT_COLUMNS = ("unit", "members", "period_text", "source")

_DTYPES = {
    schema.DATE: "datetime64[us]",
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
    dtypes = {c.key: column_dtype(c) for c in sheet.columns}
    if sheet is schema.COMPETITIONS:
        dtypes["award_name"] = "str"
    dtypes.update(source="str", sheet="str", row="int64")
    return dtypes


def empty_frame(sheet: schema.Sheet) -> pd.DataFrame:
    return pd.DataFrame({k: pd.Series(dtype=d) for k, d in frame_dtypes(sheet).items()})


def empty_units() -> pd.DataFrame:
    return pd.DataFrame({
        "unit": pd.Series(dtype="str"), "members": pd.Series(dtype="Int64"),
        "period_text": pd.Series(dtype="str"), "source": pd.Series(dtype="str"),
    })


@dataclass
class Dataset:
    """Everything loaded from one or more workbooks, with the load report."""

    events: pd.DataFrame = field(default_factory=lambda: empty_frame(schema.EVENTS))
    visits: pd.DataFrame = field(default_factory=lambda: empty_frame(schema.VISITS))
    donations: pd.DataFrame = field(default_factory=lambda: empty_frame(schema.DONATIONS))
    competitions: pd.DataFrame = field(default_factory=lambda: empty_frame(schema.COMPETITIONS))
    units: pd.DataFrame = field(default_factory=empty_units)
    report: LoadReport = field(default_factory=LoadReport)
    sources: list[str] = field(default_factory=list)

    def frame(self, key: str) -> pd.DataFrame:
        return getattr(self, key)

    def frames(self) -> dict[str, pd.DataFrame]:
        return {s.key: self.frame(s.key) for s in schema.DATA_SHEETS}

    @property
    def row_count(self) -> int:
        return sum(len(f) for f in self.frames().values())

    def members(self) -> dict[str, int]:
        """Union members per unit, where a 单位信息 sheet gave them."""
        known = self.units.dropna(subset=["members"])
        return {u: int(m) for u, m in zip(known["unit"], known["members"])}

    @classmethod
    def combine(cls, datasets: list[Dataset]) -> Dataset:
        if len(datasets) == 1:
            return datasets[0]
        merged = cls()
        for key in [s.key for s in schema.DATA_SHEETS] + ["units"]:
            parts = [getattr(d, key) for d in datasets if len(getattr(d, key))]
            if parts:
                setattr(merged, key, pd.concat(parts, ignore_index=True))
        for d in datasets:
            merged.report.extend(d.report)
            merged.sources.extend(d.sources)
        return merged
