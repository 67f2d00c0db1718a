"""Write a Dataset back as a workbook in the contract's format.

What it writes loads back to the same figures: canonical sheet and column
names, real dates, numbers as numbers, text as text cells holding exactly what
was typed, and a 单位信息 table of every unit's members. The 对象 column and
the free-text 备注 (where clerks write who was visited) are left out unless
the caller asks for names for this one export.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Font

from unionstats.contract import registry, schema
from unionstats.exports.text import printable
from unionstats.intake.model import Dataset

INFO_HEADERS = [schema.INFO_ITEMS[k][0] for k in ("unit", "members", "period")]


def export_columns(sheet: schema.Sheet, with_names: bool) -> list[schema.Column]:
    return [c for c in sheet.columns if with_names or not c.personal]


def cell_values(frame: pd.DataFrame, column: schema.Column) -> list:
    if column.kind == schema.DATE:
        return [d.date() for d in frame[column.key]]
    if column.kind == schema.YEAR:
        return [d.year for d in frame[column.key]]
    if column.kind == schema.RESULT:
        return [name if result == schema.OTHER_AWARD and name else result
                for result, name in zip(frame[column.key], frame["award_name"])]
    series = frame[column.key].astype(object).where(frame[column.key].notna(), None)
    if column.kind in (schema.TEXT, schema.CATEGORY):
        return [v or None for v in series]
    return series.tolist()


def write_dataset(dataset: Dataset, target: str | Path | BinaryIO, with_names: bool = False) -> None:
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    present = dataset.present_frames()
    for sheet in (s for s in registry.sheets() if s.key in present):
        ws = book.create_sheet(sheet.name)
        columns = export_columns(sheet, with_names)
        ws.append([header_cell(ws, c.name, bold) for c in columns])
        frame = dataset.frame(sheet.key)
        for row in zip(*(cell_values(frame, c) for c in columns)):
            ws.append(row_cells(ws, row))
    info = book.create_sheet(schema.INFO_SHEET_NAMES[0])
    info.append([header_cell(info, h, bold) for h in INFO_HEADERS])
    for unit, members, period in dataset.units[["unit", "members", "period_text"]].itertuples(index=False):
        info.append(row_cells(info, (unit, None if pd.isna(members) else int(members), period or None)))
    book.save(target)


def row_cells(ws, values) -> list:
    return [text_value(ws, v) if isinstance(v, str) else v for v in values]


def text_value(ws, text: str) -> str | WriteOnlyCell:
    """`text` in a form openpyxl stores as a text cell. A bare string is one, unless it starts with `=` (written
    as a formula, which Excel runs on opening and which loads back empty) or is an error code such as `#N/A`:
    only those get a cell of their own (a cell for every text made a large export half as slow again)."""
    text = printable(text)
    return text_cell(ws, text) if text.startswith("=") or text in ERROR_CODES else text


def text_cell(ws, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"
    return cell


def header_cell(ws, text: str, font: Font) -> WriteOnlyCell:
    cell = text_cell(ws, text)
    cell.font = font
    return cell
