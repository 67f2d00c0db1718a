"""The 单位信息 sheet: the unit's name and its number of union members.

Two layouts are read. The contract's item/value pairs (`单位名称 | 某工会`,
`会员人数 | 186`) anywhere on the sheet, for one unit; and a table whose
header row holds 单位名称 and 会员人数, one unit a row, which is how an
export of several units writes it.
"""

from __future__ import annotations

import pandas as pd

from unionstats.contract import schema
from unionstats.intake import values
from unionstats.intake.reading import RawSheet, column_letter
from unionstats.intake.report import ERROR, WARNING, LoadReport


def info_key(cell: object) -> str | None:
    if values.is_blank(cell) or not isinstance(cell, str):
        return None
    label = schema.normalize_header(cell).rstrip(":：")
    for key, (canonical, aliases) in schema.INFO_ITEMS.items():
        if label == canonical or label in aliases:
            return key
    return None


def unit_frame(records: list[dict], source: str, named: bool = True) -> pd.DataFrame:
    return pd.DataFrame({
        "unit": pd.Series([r["unit"] for r in records], dtype="str"),
        "members": pd.Series([r.get("members") for r in records], dtype="Int64"),
        "period_text": pd.Series([r.get("period") or "" for r in records], dtype="str"),
        "source": pd.Series([source] * len(records), dtype="str"),
        "named": pd.Series([named] * len(records), dtype="bool"),
    })


def read_unit_info(sheets: list[RawSheet], source: str, report: LoadReport) -> pd.DataFrame:
    records: list[dict] = []
    for raw in sheets:
        records.extend(units_from_table(raw, source, report) or units_from_pairs(raw, source, report))
    return unit_frame([{**r, "unit": r.get("unit") or ""} for r in records if r.get("unit") or r.get("members")],
                      source)


def units_from_table(raw: RawSheet, source: str, report: LoadReport) -> list[dict]:
    for row_index, row in enumerate(raw.cells):
        keys = {key: i for i, c in enumerate(row) if (key := info_key(c))}
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
    return [record]  # 会员人数 without 单位名称: the unit is '' until one is given (naming.py)


def parse_items(found: dict[str, tuple], sheet: str, row: int, source: str, report: LoadReport) -> dict:
    """The items of one row, each checked at its cell: 会员人数 a whole number from 1 to `schema.MAX_MEMBERS`,
    单位名称 at most `schema.UNIT_LENGTH` characters (an error: a unit's name must be kept whole), 报告期 a note
    kept to `schema.PERIOD_TEXT_LENGTH` (a warning), control characters taken out of each (a warning)."""
    record: dict = {}
    sheet = schema.clip(schema.visible(sheet), schema.SHEET_LENGTH)
    for key, (raw_value, column) in found.items():
        label = schema.INFO_ITEMS[key][0]
        where = dict(file=source, sheet=sheet, row=row, column=label,
                     cell=schema.clip(f"{column_letter(column)}{row}", schema.CELL_LENGTH),
                     value=values.parse_text(raw_value).value or "")
        if key == "members":
            parsed = values.parse_int(raw_value, 1, schema.MAX_MEMBERS)
            if parsed.error:
                report.add(ERROR, f"会员人数{parsed.error}", **where)
        elif key == "unit":
            parsed = values.parse_text(raw_value, schema.UNIT_LENGTH, label)
            if parsed.error:
                report.add(ERROR, parsed.error, **where)
        else:
            parsed = values.parse_text(raw_value)
            limit = schema.PERIOD_TEXT_LENGTH
            if parsed.value and len(parsed.value) > limit:
                report.add(WARNING, f"{label}超过 {limit} 个字符（现为 {len(parsed.value)} 个），"
                                    f"只保留前 {limit - 1} 个字符，请核对", **where)
                parsed = parsed._replace(value=schema.clip(parsed.value, limit))
        if parsed.warning:
            report.add(WARNING, parsed.warning, **where)
        record[key] = parsed.value
    return record
