"""Raw sheet cells in, one typed DataFrame and its issues out.

Finds the header row below any title rows, maps headers and their aliases to
the contract's columns, skips blank, example and total rows (checking each
total against the rows above it) and parses every value. Values are parsed
once per distinct cell value, so a 200,000-row sheet costs little more than
the values it really holds. Where nearly every value is distinct (a name or
a note of its own on each row, typed by hand), what runs per value is kept
to what can change the answer: a row's kind is tested only on the cells that
can still decide it, and plain text takes a path of a few string methods.
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from unionstats.contract import schema
from unionstats.intake import model, values
from unionstats.intake.reading import RawSheet, WorkbookError, column_letter
from unionstats.intake.report import ERROR, NOTICE, WARNING, LoadReport

HEADER_SEARCH_ROWS = 30
_TOTAL_LABEL = re.compile(r"^.{0,8}?(合计|总计|小计)([:：（(].*)?$")
_TOTAL_MARK = "计"  # in every total label: a column whose texts lack it has no total row
_SPACES = re.compile(r"\s+")
_BLANK_LONGEST = max(map(len, values.BLANK_WORDS))  # a longer text is no blank word


@dataclass
class Header:
    row: int
    columns: dict[int, schema.Column]
    texts: dict[int, str]
    ignored: list[str] = field(default_factory=list)
    invisible: list[int] = field(default_factory=list)  # mapped header cells that held control characters


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
    name = schema.visible(raw.name)
    for row in range(min(raw.height, HEADER_SEARCH_ROWS)):
        mapping = map_headers(raw.cells[row], sheet)
        if len(mapping) >= 2 and (best is None or len(mapping) > len(best[1])):
            best = (row, mapping)
            if set(sheet.required) <= set(mapping.values()):
                break
    if best is None:
        listed = "、".join(c.name for c in sheet.required)
        raise WorkbookError(
            f"「{name}」表的前 {HEADER_SEARCH_ROWS} 行中找不到表头行，"
            f"请在数据上方加一行列名，至少包括：{listed}"
        )
    row, mapping = best
    missing = [c.name for c in sheet.required if c not in mapping.values()]
    if missing:
        raise WorkbookError(
            f"「{name}」表（表头在第{row + 1}行）缺少必填列：{'、'.join(missing)}。"
            "请添加这些列，或把列名改成模板中的名称"
        )
    written = {i: str(raw.cells[row, i]) for i in mapping}
    texts = {i: schema.visible(text).strip() for i, text in written.items()}
    ignored = [
        schema.visible(c).strip() for i, c in enumerate(raw.cells[row])
        if i not in mapping and isinstance(c, str) and schema.visible(c).strip()
    ]
    invisible = [i for i, text in written.items() if schema.visible(text) != text]
    return Header(row, mapping, texts, ignored, invisible)


@dataclass
class Codes:
    """One column factorized: each distinct value is examined once, rows index it by `codes`."""

    codes: np.ndarray
    uniques: np.ndarray
    texts: np.ndarray  # positions of the text values in `uniques`

    @classmethod
    def of(cls, column: np.ndarray) -> Codes:
        """Missing values (None, NaN: a reader may give either) become one distinct NaN. (pandas does that
        itself when asked not to mark them, but only after testing every cell with `isna`: twice the time.)"""
        codes, uniques = pd.factorize(column)
        uniques = np.asarray(uniques, dtype=object)
        missing = codes < 0
        if missing.any():
            codes[missing] = len(uniques)
            uniques = np.append(uniques, np.array([np.nan], dtype=object))
        if pd.api.types.infer_dtype(uniques, skipna=False) == "string":  # (a loop in C: most columns are all text)
            return cls(codes, uniques, np.arange(len(uniques)))
        return cls(codes, uniques, np.array([i for i, u in enumerate(uniques.tolist()) if isinstance(u, str)], np.intp))

    def text_flag(self, test, rows: np.ndarray | None = None, needle: str = "") -> np.ndarray:
        """Per row: does `test` hold for its cell, tested only on text cells (`test` takes the texts and gives a
        truth for each, `each(one_test)` where it looks at one at a time). With `rows`, only the cells of those
        rows are tested (the others' flags are False); with `needle`, a text without it is known False."""
        if rows is not None and not rows.any():  # (no row to test: after the first columns, most tests have none)
            return np.zeros(len(self.codes), bool)
        texts = self.texts
        if rows is not None:
            wanted = np.zeros(len(self.uniques), bool)
            wanted[self.codes[rows]] = True
            texts = texts[wanted[texts]]
        flags = np.zeros(len(self.uniques), bool)
        chosen = self.uniques[texts]
        if not needle or needle in "\n".join(chosen):
            flags[texts] = np.fromiter(test(chosen.tolist()), bool, len(texts))
        return flags[self.codes] if rows is None else flags[self.codes] & rows


def each(test: Callable[[str], object]) -> Callable[[list[str]], Iterator[object]]:
    """A test of one text as a test of each of several (Codes.text_flag)."""
    return functools.partial(map, test)


def blank_texts(texts: list[str]) -> Iterator[bool]:
    """`values.is_blank` of each text, by string methods mapped in C: a column of days typed as text is tested
    twice, a test for each distinct day."""
    return map(values.BLANK_WORDS.__contains__, map(str.lower, map(str.strip, texts)))


def total_word(value: str) -> str:
    """合计, 总计 or 小计 when the cell labels a total row, else ''."""
    match = _TOTAL_LABEL.match(_SPACES.sub("", value))
    return match.group(1) if match else ""


@dataclass
class RowKinds:
    blank: np.ndarray
    total: np.ndarray
    subtotal: np.ndarray
    example: np.ndarray

    @property
    def data(self) -> np.ndarray:
        return ~(self.blank | self.total | self.example)


def classify_rows(columns: list[Codes], mapped: set[int], copied: np.ndarray | None) -> RowKinds:
    """Blank, total and example rows; a total row's first text cell is 合计, 总计 or 小计.

    A row whose only content is a merged cell reaching down from the row above is blank. Each test looks only
    at the rows it can still change: a total label only at a row's first text cell, blankness only in rows
    that are blank so far.
    """
    height = len(columns[0].codes) if columns else 0
    blank = np.ones(height, bool)
    total = np.zeros(height, bool)
    subtotal = np.zeros(height, bool)
    example = np.zeros(height, bool)
    seen_text = np.zeros(height, bool)
    for index, codes in enumerate(columns):
        first = ~seen_text
        labelled = codes.text_flag(each(total_word), first, _TOTAL_MARK)
        total |= labelled
        subtotal |= codes.text_flag(each(lambda v: total_word(v) == "小计"), labelled)
        seen_text |= codes.text_flag(lambda texts: map(operator.not_, blank_texts(texts)), first)
        example |= codes.text_flag(each(lambda v: v.strip().startswith(schema.EXAMPLE_MARK)), None,
                                   schema.EXAMPLE_MARK)
        if index in mapped:
            empty = codes.text_flag(blank_texts, blank)
            blank &= empty if copied is None else empty | copied[:, index]
    return RowKinds(blank & ~total, total, subtotal, example & ~blank & ~total)


@dataclass
class ParsedColumn:
    """A column's distinct values parsed: `value`, `error`, `warning` per distinct value."""

    column: schema.Column
    header: str
    index: int
    codes: Codes
    value: np.ndarray
    error: np.ndarray
    warning: np.ndarray

    def rows(self, per_unique: np.ndarray) -> np.ndarray:
        return per_unique[self.codes.codes]


def parse_column(codes: Codes, column: schema.Column, header: str, index: int) -> ParsedColumn:
    uniques = codes.uniques
    count = len(uniques)
    value = np.full(count, None, dtype=object)
    error = np.full(count, None, dtype=object)
    warning = np.full(count, None, dtype=object)
    scale = 10_000.0 if "万" in schema.header_unit(header) else 1.0
    pending = np.ones(count, bool)
    if column.kind in (schema.MONEY, schema.INT):
        pending = parse_plain_numbers(uniques, column, scale, value)
    elif column.kind == schema.TEXT:
        pending = parse_plain_texts(uniques, codes.texts, column, value)
    elif column.kind == schema.DATE:
        pending = parse_plain_dates(uniques, codes.texts, value)
    for position in np.flatnonzero(pending):
        value[position], error[position], warning[position] = parse_value(uniques[position], column, scale)
    if column.required:
        missing = np.array([v is None and e is None for v, e in zip(value, error)], bool)
        error[missing] = f"「{column.name}」是必填项，不能为空"
    return ParsedColumn(column, schema.clip(header, schema.COLUMN_LENGTH), index, codes, value, error, warning)


def parse_plain_numbers(uniques: np.ndarray, column: schema.Column, scale: float, value: np.ndarray) -> np.ndarray:
    """Fast path for cells that already hold valid numbers within the column's limits; returns the mask still to
    parse (where the per-value parsers word the errors)."""
    numeric = np.fromiter((type(u) is float or type(u) is int for u in uniques), bool, len(uniques))
    numbers = uniques[numeric].astype(float) * (scale if column.kind == schema.MONEY else 1.0)
    if column.kind == schema.MONEY:
        good = np.isfinite(numbers) & (numbers >= 0) & (numbers <= column.upper)
        parsed = np.round(numbers[good], 2)
    else:
        good = (np.isfinite(numbers) & (numbers == np.floor(numbers)) & (numbers >= column.minimum)
                & (numbers <= column.upper))
        parsed = numbers[good].astype(np.int64)
    places = np.flatnonzero(numeric)[good]
    value[places] = parsed.tolist()
    pending = np.ones(len(uniques), bool)
    pending[places] = False
    return pending


def parse_plain_texts(uniques: np.ndarray, texts: np.ndarray, column: schema.Column, value: np.ndarray) -> np.ndarray:
    """Fast path for the text cells (at positions `texts`) with nothing invisible in them, within the column's
    length: what `values.parse_text` makes of them (blank words are no value, runs of spaces one space), by
    string methods mapped over the texts in C. Returns the mask still to parse, where the per-value parser words
    a warning or an error. A name or a note typed by hand on every row makes a column of as many distinct texts
    as rows: a loop in Python over them took a tenth of a second a column.

    A printable text's only whitespace is the plain space (tabs, line breaks and the other spaces are not
    printable), so a text without one is already what the parser would make of it."""
    limit = column.max_length if column.max_length is not None else sys.maxsize
    strings = uniques[texts]
    items = strings.tolist()
    count = len(items)
    plain = np.fromiter(map(str.isprintable, items), bool, count)
    if " " in "".join(items):
        spaced = np.flatnonzero(plain & np.fromiter(map(operator.contains, items, itertools.repeat(" ")), bool, count))
        for position in spaced.tolist():
            items[position] = strings[position] = " ".join(items[position].split())
    lengths = np.fromiter(map(len, items), np.intp, count)
    fits = plain & (lengths <= limit)
    short = np.flatnonzero(fits & (lengths <= _BLANK_LONGEST))
    strings[short[np.fromiter(blank_texts(strings[short].tolist()), bool, len(short))]] = None
    value[texts[fits]] = strings[fits]
    pending = np.ones(len(uniques), bool)
    pending[texts[fits]] = False
    return pending


def parse_plain_dates(uniques: np.ndarray, texts: np.ndarray, value: np.ndarray) -> np.ndarray:
    """Fast path for days typed as text in the common forms (`values.plain_date`): a quarter of `parse_date`'s
    time each, where a sheet typed by hand holds thousands of them. Returns the mask still to parse."""
    pending = np.ones(len(uniques), bool)
    for position, raw in zip(texts.tolist(), uniques[texts].tolist()):
        day = values.plain_date(raw)
        if day is not None:
            value[position] = day
            pending[position] = False
    return pending


def parse_value(raw: object, column: schema.Column, scale: float) -> values.Parsed:
    kind = column.kind
    if kind == schema.DATE:
        return values.parse_date(raw)
    if kind == schema.YEAR:
        return values.parse_year(raw)
    if kind == schema.MONEY:
        return values.parse_money(raw, scale, column.upper)
    if kind == schema.INT:
        return values.parse_int(raw, column.minimum, column.upper)
    if kind == schema.CATEGORY:
        return values.parse_category(raw, column)
    if kind == schema.RESULT:
        return values.parse_result(raw)
    return values.parse_text(raw, column.max_length, f"「{column.name}」")


@dataclass
class SheetPlace:
    file: str
    sheet: str
    first_row: int

    def where(self, offset: int | np.integer, column: ParsedColumn | None = None, value: object = "") -> dict:
        row = self.first_row + int(offset)
        shown = values.parse_text(value).value if value is not None and value != "" else ""
        if column is None:
            return dict(file=self.file, sheet=self.sheet, row=row)
        return dict(file=self.file, sheet=self.sheet, row=row, column=column.header,
                    cell=schema.clip(f"{column_letter(column.index)}{row}", schema.CELL_LENGTH), value=shown or "")


def clean_sheet(raw: RawSheet, sheet: schema.Sheet, source: str, report: LoadReport) -> pd.DataFrame:
    header = find_header(raw, sheet)
    body = raw.cells[header.row + 1 :]
    place = SheetPlace(source, schema.clip(schema.visible(raw.name), schema.SHEET_LENGTH), header.row + 2)
    report_header(raw.name, header, place, report)
    for text in header.ignored:
        report.add(NOTICE, f"「{text}」不是「{sheet.name}」表规定的列，已忽略", file=source, sheet=place.sheet)
    codes = [Codes.of(body[:, i]) for i in range(body.shape[1])]
    copied = raw.copied[header.row + 1 :] if raw.copied is not None else None
    kinds = classify_rows(codes, set(header.columns), copied)
    for offset in np.flatnonzero(kinds.example):
        report.add(NOTICE, "这是模板中的示例行，导入时已忽略", **place.where(offset))
    keep = kinds.data
    parsed = {c.key: parse_column(codes[i], c, header.texts[i], i) for i, c in header.columns.items()}
    bad = np.zeros(len(body), bool)
    for column in parsed.values():
        bad |= report_cells(column, keep, place, report)
    if sheet.at_least_one:
        bad |= check_content(sheet, parsed, keep & ~bad, place, report)
    check_totals(parsed, kinds, keep, place, report)
    report.skipped_rows += int((keep & bad).sum())
    rows = np.flatnonzero(keep & ~bad)
    return build_frame(sheet, parsed, rows, rows + place.first_row, source, place.sheet)


def report_header(name: str, header: Header, place: SheetPlace, report: LoadReport) -> None:
    """What the loader did to the sheet's name and its headers: control characters taken out (a warning), a name
    or header too long for the store shortened where it is kept (a notice)."""
    where = dict(file=place.file, sheet=place.sheet)
    if schema.visible(name) != name:
        report.add(WARNING, "工作表名称含有不可见的控制字符，已删除，请核对表名", **where)
    if len(schema.visible(name)) > schema.SHEET_LENGTH:
        report.add(NOTICE, f"工作表名称超过 {schema.SHEET_LENGTH} 个字符，随数据保存时只保留前 "
                           f"{schema.SHEET_LENGTH - 1} 个字符", **where)
    row = header.row + 1
    for index in header.columns:
        text = header.texts[index]
        cell = dict(where, row=row, column=schema.clip(text, schema.COLUMN_LENGTH),
                    cell=schema.clip(f"{column_letter(index)}{row}", schema.CELL_LENGTH))
        if index in header.invisible:
            report.add(WARNING, values.INVISIBLE_WARNING, **cell)
        if len(text) > schema.COLUMN_LENGTH:
            report.add(NOTICE, f"列名超过 {schema.COLUMN_LENGTH} 个字符，问题清单中只显示前 "
                               f"{schema.COLUMN_LENGTH - 1} 个字符", **cell)


def report_cells(column: ParsedColumn, keep: np.ndarray, place: SheetPlace, report: LoadReport) -> np.ndarray:
    """Report errors and warnings of data rows; return the rows with errors. (Each message is a text or None: pandas'
    test for None looks at a column of them in C.)"""
    bad = keep & column.rows(pd.notna(column.error))
    warned = keep & column.rows(pd.notna(column.warning))
    for level, rows, messages in ((ERROR, bad, column.error), (WARNING, warned, column.warning)):
        for offset in np.flatnonzero(rows):
            unique = column.codes.codes[offset]
            report.add(level, messages[unique], **place.where(offset, column, column.codes.uniques[unique]))
    return bad


def check_content(sheet: schema.Sheet, parsed: dict[str, ParsedColumn], rows: np.ndarray, place: SheetPlace,
                  report: LoadReport) -> np.ndarray:
    """A row with none of the sheet's `at_least_one` columns filled (捐款: money or goods) records nothing."""
    empty = rows.copy()
    for key in sheet.at_least_one:
        if key in parsed:
            empty &= ~parsed[key].rows(np.array([bool(v) for v in parsed[key].value], bool))
    column = next((parsed[k] for k in sheet.at_least_one if k in parsed), None)
    names = "也没有".join(sheet.column(k).name for k in sheet.at_least_one)
    for offset in np.flatnonzero(empty):
        report.add(ERROR, f"这一行既没有{names}，请至少填写一项", **place.where(offset, column))
    return empty


def check_totals(parsed: dict[str, ParsedColumn], kinds: RowKinds, rows: np.ndarray, place: SheetPlace,
                 report: LoadReport) -> None:
    """Warn where a total row disagrees with the rows it sums; 小计 sums since the previous 小计."""
    totals = np.flatnonzero(kinds.total)
    if not len(totals):
        return
    for column in parsed.values():
        if column.column.kind not in (schema.INT, schema.MONEY):
            continue
        numbers = np.array([v if isinstance(v, (int, float)) else np.nan for v in column.value], float)
        stated = column.rows(numbers)
        amounts = np.where(rows & ~np.isnan(stated), stated, 0.0)
        running = np.concatenate([[0.0], np.cumsum(amounts)])
        since_total: int | np.integer = 0
        since_sub: int | np.integer = 0
        for offset in totals:
            start = since_sub if kinds.subtotal[offset] else since_total
            expected = round(float(running[offset] - running[start]), 2)
            if not np.isnan(stated[offset]) and abs(stated[offset] - expected) > 0.005:
                report.add(
                    WARNING,
                    f"合计行的「{column.header}」写的是 {format_number(stated[offset])}，"
                    f"但上方各行之和为 {format_number(expected)}，请核对（合计行本身不计入统计）",
                    **place.where(offset, column, format_number(stated[offset])),
                )
            since_sub = offset + 1
            if not kinds.subtotal[offset]:
                since_total = offset + 1


def format_number(number: float) -> str:
    return f"{number:,.2f}".rstrip("0").rstrip(".")


def build_frame(sheet: schema.Sheet, parsed: dict[str, ParsedColumn], rows: np.ndarray, excel_rows: np.ndarray,
                source: str, sheet_name: str) -> pd.DataFrame:
    """Typed columns built from the parsed distinct values, then taken row by row."""
    dtypes = model.frame_dtypes(sheet)
    columns: dict[str, object] = {}
    for column in sheet.columns:
        if column.key in parsed:
            found = parsed[column.key]
            filler = blank_value(column)
            if filler is None and dtypes[column.key] == "int64":
                filler = 0
            distinct: list[Any] = [filler if v is None else v for v in found.value]  # (cells of the column's kind)
            taken = found.codes.codes[rows]
        else:
            distinct, taken = [blank_value(column)], np.zeros(len(rows), dtype=np.intp)
        if column.kind == schema.RESULT:
            columns["award_name"] = typed([v[1] for v in distinct], "str", taken)
            distinct = [v[0] for v in distinct]
        columns[column.key] = typed(distinct, dtypes[column.key], taken)
    same = np.zeros(len(rows), dtype=np.intp)  # (taking one value for every row: a tenth of a list's time)
    columns["source"] = typed([source], "str", same)
    sheet_name = schema.clip(schema.visible(sheet_name), schema.SHEET_LENGTH)  # as the store's column holds it
    columns["sheet"] = typed([sheet_name], "str", same)
    columns["row"] = pd.Series(excel_rows, dtype="int64")
    return pd.DataFrame({k: columns[k] for k in dtypes})


def blank_value(column: schema.Column) -> object:
    if column.kind == schema.RESULT:
        return (column.default, "")
    if column.default is not None:
        return column.default
    return "" if column.kind in (schema.TEXT, schema.CATEGORY) else None


def typed(distinct: list, dtype: str, taken: np.ndarray) -> pd.Series:
    """The distinct values as a column of `dtype`, taken row by row. Texts (all str, blanks as "") go to Arrow in
    one call, without pandas checking each one again: names typed by hand are as many as the rows."""
    if dtype == "str":
        series = pd.Series(pa.array(np.asarray(distinct, dtype=object), type=pa.large_string()), dtype="str")
    else:
        series = pd.Series(distinct, dtype=object)
        series = pd.to_datetime(series).astype(dtype) if dtype.startswith("datetime64") else series.astype(dtype)
    return series.take(taken).reset_index(drop=True)
