"""Write test workbooks in each of the four formats from plain rows.

`sheets` maps a sheet name to its rows (lists of cell values, None for an
empty cell); `merged` maps a sheet name to Excel ranges such as "A1:F1".
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl

FORMATS = (".xlsx", ".xlsm", ".xls", ".ods")


def workbook_bytes(sheets: dict[str, list[list]], fmt: str = ".xlsx",
                   merged: dict[str, list[str]] | None = None) -> bytes:
    writer = {".xlsx": _openpyxl, ".xlsm": _openpyxl, ".xls": _xls, ".ods": _ods}[fmt]
    return writer(sheets, merged or {})


def write_workbook(path: Path, sheets: dict[str, list[list]], merged: dict[str, list[str]] | None = None) -> Path:
    path.write_bytes(workbook_bytes(sheets, path.suffix, merged))
    return path


def _openpyxl(sheets, merged) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
        for cells in merged.get(name, []):
            sheet.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xls(sheets, merged) -> bytes:
    import xlwt

    book = xlwt.Workbook()
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for name, rows in sheets.items():
        sheet = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, (dt.date, dt.datetime)):
                    sheet.write(r, c, value, date_style)
                else:
                    sheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _ods(sheets, merged) -> bytes:
    import pandas as pd

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="odf") as writer:
        for name, rows in sheets.items():
            width = max((len(r) for r in rows), default=1)
            frame = pd.DataFrame([list(r) + [None] * (width - len(r)) for r in rows], dtype=object)
            frame.to_excel(writer, sheet_name=name, header=False, index=False)
    return buffer.getvalue()


def load(sheets: dict[str, list[list]], fmt: str = ".xlsx", merged: dict[str, list[str]] | None = None,
         name: str = "二季度"):
    from unionstats.intake.loading import load_bytes

    return load_bytes(workbook_bytes(sheets, fmt, merged), name + fmt)


def messages(dataset, level: str | None = None) -> list[str]:
    return [i.text() for i in dataset.report.issues if level is None or i.level == level]
