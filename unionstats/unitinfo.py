"""The 单位信息 sheet: the unit's name and its number of union members.

Two layouts are read. The contract's item/value pairs (`单位名称 | 某工会`,
`会员人数 | 186`) anywhere on the sheet, for one unit; and a table whose
header row holds 单位名称 and 会员人数, one unit a row, which is how an
export of several units writes it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import schema, values
from .reading import RawSheet, column_letter
from .report import ERROR, LoadReport


def info_key(cell: object) -> str | None:
    if values.is_blank(cell) or not isinstance(cell, str):
        return None
    label = schema.normalize_header(cell).rstrip(":：")
    for key, (canonical, aliases) in schema.INFO_ITEMS.items():
        if label == canonical or label in aliases:
            return key
    return None


def unit_frame(records: list[dict], source: str) -> pd.DataFrame:
    return pd.DataFrame({
        "unit": pd.Series([r["unit"] for r in records], dtype="str"),
        "members": pd.Series([r.get("members") for r in records], dtype="Int64"),
        "period_text": pd.Series([r.get("period") or "" for r in records], dtype="str"),
        "source": pd.Series([source] * len(records), dtype="str"),
    })


def read_unit_info(sheets: list[RawSheet], source: str, report: LoadReport) -> pd.DataFrame:
    records: list[dict] = []
    for raw in sheets:
        records.extend(units_from_table(raw, source, report) or units_from_pairs(raw, source, report))
    return unit_frame([r for r in records if r.get("unit")], source)


def units_from_table(raw: RawSheet, source: str, report: LoadReport) -> list[dict]:
    for row_index, row in enumerate(raw.cells):
        keys = {info_key(c): i for i, c in enumerate(row) if info_key(c)}
        if "unit" in keys and len(keys) >= 2:
            records = []
            for offset, cells in enumerate(raw.cells[row_index + 1 :], start=row_index + 2):
                found = {k: (cells[i], i) for k, i in keys.items()}
                record = parse_items(found, raw.name, offset, source, report)
                if record.get("unit"):
                    records.append(record)
            return records
    return []


def units_from_pairs(raw: RawSheet, source: str, report: LoadReport) -> list[dict]:
    found: dict[str, tuple] = {}
    rows: dict[str, int] = {}
    for row_index, row in enumerate(raw.cells):
        filled = [(i, c) for i, c in enumerate(row) if not values.is_blank(c)]
        if not filled:
            continue
        key = info_key(filled[0][1])
        rest = [(i, c) for i, c in filled[1:] if c != filled[0][1]]
        if key and rest and key not in found:
            found[key] = (rest[0][1], rest[0][0])
            rows[key] = row_index + 1
    if not found:
        return []
    record = {}
    for key, cell in found.items():
        record.update(parse_items({key: cell}, raw.name, rows[key], source, report))
    if "members" in record and not record.get("unit"):
        record["unit"] = Path(source).stem
    return [record]


def parse_items(found: dict[str, tuple], sheet: str, row: int, source: str, report: LoadReport) -> dict:
    record: dict = {}
    for key, (raw_value, column) in found.items():
        if key == "members":
            parsed = values.parse_int(raw_value, 1)
            if parsed.error:
                report.add(ERROR, f"会员人数{parsed.error}", file=source, sheet=sheet, row=row,
                           column=schema.INFO_ITEMS["members"][0], cell=f"{column_letter(column)}{row}",
                           value=str(raw_value))
            record[key] = parsed.value
        else:
            record[key] = values.parse_text(raw_value).value
    return record

