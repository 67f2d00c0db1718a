"""Raw sheet cells in, one typed DataFrame and its issues out.

Finds the header row below any title rows, maps headers and their aliases to
the contract's columns, skips blank, example and total rows (checking each
total against the rows above it) and parses every value. Values are parsed
once per distinct cell value, so a 200,000-row sheet costs little more than
the values it really holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import model, schema, values
from .reading import RawSheet, WorkbookError
from .report import ERROR, NOTICE, WARNING, LoadReport

HEADER_SEARCH_ROWS = 30
_TOTAL_LABEL = re.compile(r"^.{0,8}?(合计|总计|小计)([:：（(].*)?$")


@dataclass
class Header:
    row: int
    columns: dict[int, schema.Column]
    texts: dict[int, str]
    ignored: list[str] = field(default_factory=list)


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def map_headers(cells: np.ndarray, sheet: schema.Sheet) -> dict[int, schema.Column]:
    """Canonical names claim their columns first, aliases take what is left."""
    names = [schema.normalize_header(c) if isinstance(c, str) and c.strip() else "" for c in cells]
    mapping: dict[int, schema.Column] = {}
    for pass_names in (lambda c: (c.name,), lambda c: c.aliases):
        for index, name in enumerate(names):
            if not name or index in mapping:
                continue
            taken = set(mapping.values())
            for column in sheet.columns:
                if column not in taken and name in (n.lower() for n in pass_names(column)):
                    mapping[index] = column
                    break
    return mapping


def find_header(raw: RawSheet, sheet: schema.Sheet) -> Header:
    best: tuple[int, dict[int, schema.Column]] | None = None
    for row in range(min(raw.height, HEADER_SEARCH_ROWS)):
        mapping = map_headers(raw.cells[row], sheet)
        if len(mapping) >= 2 and (best is None or len(mapping) > len(best[1])):
            best = (row, mapping)
            if set(sheet.required) <= set(mapping.values()):
                break
    if best is None:
        listed = "、".join(c.name for c in sheet.required)
        raise WorkbookError(
            f"「{raw.name}」表的前 {HEADER_SEARCH_ROWS} 行中找不到表头行，"
            f"请在数据上方加一行列名，至少包括：{listed}"
        )
    row, mapping = best
    missing = [c.name for c in sheet.required if c not in mapping.values()]
    if missing:
        raise WorkbookError(
            f"「{raw.name}」表（表头在第{row + 1}行）缺少必填列：{'、'.join(missing)}。"
            "请添加这些列，或把列名改成模板中的名称"
        )
    texts = {i: str(raw.cells[row, i]).strip() for i in mapping}
    ignored = [
        str(c).strip() for i, c in enumerate(raw.cells[row])
        if i not in mapping and isinstance(c, str) and c.strip()
    ]
    return Header(row, mapping, texts, ignored)


@dataclass
class Codes:
    """One column factorized: parse `uniques` once, index results with `codes`."""

    codes: np.ndarray
    uniques: np.ndarray

    @classmethod
    def of(cls, column: np.ndarray) -> Codes:
        codes, uniques = pd.factorize(column, use_na_sentinel=False)
        return cls(codes, np.asarray(uniques, dtype=object))

    def flag(self, test) -> np.ndarray:
        return np.fromiter((bool(test(u)) for u in self.uniques), bool, len(self.uniques))[self.codes]


def _is_text(value: object) -> bool:
    return isinstance(value, str) and not values.is_blank(value)


def total_word(value: object) -> str:
    """合计, 总计 or 小计 when the cell labels a total row, else ''."""
    match = _TOTAL_LABEL.match(re.sub(r"\s+", "", value)) if isinstance(value, str) else None
    return match.group(1) if match else ""


def _is_example(value: object) -> bool:
    return isinstance(value, str) and value.strip().startswith(schema.EXAMPLE_MARK)


@dataclass
class RowKinds:
    blank: np.ndarray
    total: np.ndarray
    subtotal: np.ndarray
    example: np.ndarray


def classify_rows(body: np.ndarray, header: Header) -> RowKinds:
    """Blank, total and example rows; a total row's first text cell is 合计, 总计 or 小计."""
    height, width = body.shape
    blank = np.ones(height, bool)
    total = np.zeros(height, bool)
    subtotal = np.zeros(height, bool)
    example = np.zeros(height, bool)
    seen_text = np.zeros(height, bool)
    for index in range(width):
        codes = Codes.of(body[:, index])
        first = ~seen_text
        total |= codes.flag(total_word) & first
        subtotal |= codes.flag(lambda v: total_word(v) == "小计") & first
        seen_text |= codes.flag(_is_text)
        example |= codes.flag(_is_example)
        if index in header.columns:
            blank &= codes.flag(values.is_blank)
    return RowKinds(blank & ~total, total, subtotal, example & ~blank & ~total)


def parse_column(cells: np.ndarray, column: schema.Column, scale: float) -> tuple[list, list, list]:
    """Parsed values, errors and warnings for one column, aligned with `cells`."""
    codes = Codes.of(cells)
    parsed = [parse_value(u, column, scale) for u in codes.uniques]
    value_of = np.empty(len(parsed), dtype=object)
    value_of[:] = [p.value for p in parsed]
    error_of = np.array([p.error for p in parsed], dtype=object)
    warning_of = np.array([p.warning for p in parsed], dtype=object)
    return value_of[codes.codes], error_of[codes.codes], warning_of[codes.codes]


def parse_value(raw: object, column: schema.Column, scale: float) -> values.Parsed:
    kind = column.kind
    if kind == schema.DATE:
        return values.parse_date(raw)
    if kind == schema.MONEY:
        return values.parse_money(raw, scale)
    if kind == schema.INT:
        return values.parse_int(raw, column.minimum)
    if kind == schema.CATEGORY:
        return values.parse_category(raw, column)
    if kind == schema.RESULT:
        return values.parse_result(raw)
    return values.parse_text(raw)


@dataclass
class SheetPlace:
    file: str
    sheet: str
    first_row: int

    def where(self, offset: int, column: str = "", value: object = "") -> dict:
        shown = values.parse_text(value).value if value != "" else ""
        return dict(file=self.file, sheet=self.sheet, row=self.first_row + offset,
                    column=column, value=shown or "")


def clean_sheet(raw: RawSheet, sheet: schema.Sheet, source: str, report: LoadReport) -> pd.DataFrame:
    header = find_header(raw, sheet)
    body = raw.cells[header.row + 1 :]
    place = SheetPlace(source, raw.name, header.row + 2)
    for text in header.ignored:
        report.add(NOTICE, f"「{text}」不是「{sheet.name}」表规定的列，已忽略", file=source, sheet=raw.name)
    kinds = classify_rows(body, header)
    for offset in np.flatnonzero(kinds.example):
        report.add(NOTICE, "这是模板中的示例行，导入时已忽略", **place.where(int(offset)))
    keep = ~(kinds.blank | kinds.total | kinds.example)
    data: dict[str, np.ndarray] = {}
    errors = np.zeros(len(body), bool)
    for index, column in header.columns.items():
        scale = 10_000.0 if "万" in schema.header_unit(header.texts[index]) else 1.0
        parsed, error, warning = parse_column(body[:, index], column, scale)
        if column.required:
            missing = keep & (parsed == None) & (error == None)  # noqa: E711
            error[missing] = f"「{column.name}」是必填项，不能为空"
        for offset in np.flatnonzero(keep & (error != None)):  # noqa: E711
            report.add(ERROR, error[offset], **place.where(int(offset), header.texts[index], body[offset, index]))
            errors[offset] = True
        for offset in np.flatnonzero(keep & (warning != None)):  # noqa: E711
            report.add(WARNING, warning[offset], **place.where(int(offset), header.texts[index], body[offset, index]))
        data[column.key] = parsed
    if sheet is schema.DONATIONS:
        errors |= check_donation_content(data, keep & ~errors, header, place, report)
    check_totals(data, kinds, keep, header, place, report)
    report.skipped_rows += int((keep & errors).sum())
    rows = keep & ~errors
    return build_frame(sheet, {k: v[rows] for k, v in data.items()}, np.flatnonzero(rows) + place.first_row,
                       source, raw.name)


def check_donation_content(data, rows, header: Header, place: SheetPlace, report: LoadReport) -> np.ndarray:
    cash = data.get("cash", np.full(len(rows), None, dtype=object))
    goods = data.get("goods", np.full(len(rows), None, dtype=object))
    empty = rows & np.array([not c and not g for c, g in zip(cash, goods)], dtype=bool)
    label = next((header.texts[i] for i, c in header.columns.items() if c.key == "cash"), "捐款金额")
    for offset in np.flatnonzero(empty):
        report.add(ERROR, "这一行既没有捐款金额也没有物资件数，请至少填写一项", **place.where(int(offset), label))
    return empty


def check_totals(data, kinds: RowKinds, rows: np.ndarray, header: Header, place: SheetPlace,
                 report: LoadReport) -> None:
    """Warn where a total row disagrees with the rows it sums; 小计 sums since the previous 小计."""
    totals = np.flatnonzero(kinds.total)
    if not len(totals):
        return
    for index, column in header.columns.items():
        if column.kind not in (schema.INT, schema.MONEY):
            continue
        amounts = np.array([v if isinstance(v, (int, float)) else 0 for v in data[column.key]], dtype=float)
        amounts[~rows] = 0
        running = np.concatenate([[0.0], np.cumsum(amounts)])
        since_total = since_sub = 0
        for offset in totals:
            stated = data[column.key][offset]
            start = since_sub if kinds.subtotal[offset] else since_total
            expected = round(float(running[offset] - running[start]), 2)
            if isinstance(stated, (int, float)) and abs(stated - expected) > 0.005:
                report.add(
                    WARNING,
                    f"合计行的「{header.texts[index]}」写的是 {format_number(stated)}，"
                    f"但上方各行之和为 {format_number(expected)}，请核对（合计行本身不计入统计）",
                    **place.where(int(offset), header.texts[index], stated),
                )
            since_sub = offset + 1
            if not kinds.subtotal[offset]:
                since_total = offset + 1


def format_number(number: float) -> str:
    return f"{number:,.2f}".rstrip("0").rstrip(".")


def build_frame(sheet: schema.Sheet, data: dict[str, np.ndarray], rows: np.ndarray, source: str,
                sheet_name: str) -> pd.DataFrame:
    dtypes = model.frame_dtypes(sheet)
    columns: dict[str, pd.Series] = {}
    for column in sheet.columns:
        raw = data.get(column.key, np.full(len(rows), None, dtype=object))
        if column.kind == schema.RESULT:
            pairs = [v if v else (column.default, "") for v in raw]
            raw = np.array([p[0] for p in pairs], dtype=object)
            columns["award_name"] = pd.Series([p[1] for p in pairs], dtype="str")
        series = pd.Series(raw, dtype=object)
        if column.default is not None:
            series = series.where(series.notna(), column.default)
        elif column.kind in (schema.TEXT, schema.CATEGORY):
            series = series.where(series.notna(), "")
        columns[column.key] = series.astype(dtypes[column.key])
    columns["source"] = pd.Series([source] * len(rows), dtype="str")
    columns["sheet"] = pd.Series([sheet_name] * len(rows), dtype="str")
    columns["row"] = pd.Series(rows, dtype="int64")
    return pd.DataFrame({k: columns[k] for k in dtypes})
