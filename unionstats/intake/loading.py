"""Load workbooks into a Dataset; the entry point for every caller.

Whatever the file holds, loading returns a Dataset whose report says what
was wrong: a file that cannot be used as a whole comes back with one error
and no rows, never an exception.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

import pandas as pd

from unionstats.contract import registry, schema
from unionstats.intake import naming, sandbox, screening
from unionstats.intake.cleaning import clean_sheet, find_header
from unionstats.intake.model import Dataset
from unionstats.intake.reading import (
    RawSheet,
    WorkbookError,
    check_extension,
    open_workbooks,
    read_bytes,
    read_sheets,
    readers,
    unreadable_message,
)
from unionstats.intake.report import ERROR, NOTICE, LoadReport, one_line
from unionstats.intake.unitinfo import read_unit_info


def load_path(path: str | Path) -> Dataset:
    return sandboxed(read_path, str(path), Path(path).name)


def load_files(paths: list[str | Path]) -> Dataset:
    return Dataset.combine([load_path(p) for p in paths])


def load_bytes(data: bytes, name: str) -> Dataset:
    """Every upload is untrusted: it is read in a child process with memory and time limits."""
    return sandboxed(read_untrusted, data, name)


def sandboxed(reader, source, name: str) -> Dataset:
    try:
        return sandbox.run(in_contract, registry.sheets(), reader, source, name)
    except sandbox.Refused as exc:
        return rejected(name, str(exc))


def in_contract(sheets: list[schema.Sheet], reader, source, name: str) -> Dataset:
    """In the child: the caller's sheet kinds, since one registered at run time is unknown to the fork server."""
    with registry.only(sheets):
        return reader(source, name)


def read_path(path: str, name: str) -> Dataset:
    try:
        data = read_bytes(path)
    except WorkbookError as exc:
        return rejected(name, str(exc))
    return read_untrusted(data, name)


def read_untrusted(data: bytes, name: str) -> Dataset:
    try:
        check_extension(name)
        return read_workbook(data, name)
    except WorkbookError as exc:
        return rejected(name, str(exc))
    except MemoryError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, LookupError, ValueError, UnicodeError,
            NotImplementedError, RuntimeError):  # a broken file met by the zip, XML or OLE readers
        return rejected(name, unreadable_message())
    except Exception as exc:  # a file we did not foresee must still get a message, not a traceback
        return rejected(name, f"读取时发生意外错误（{type(exc).__name__}），请另存为 .xlsx 后重试，"
                              "如仍失败请把文件发给管理员")


def rejected(name: str, message: str) -> Dataset:
    report = LoadReport()
    report.add(ERROR, message, file=name)
    return Dataset(report=report, sources=[name])


def read_workbook(data: bytes, name: str) -> Dataset:
    screened = screening.screen(data)
    sheets_at_most = len(screened.sheet_members) or readers()  # (where the screening has read the sheet list)
    workbooks = open_workbooks(data, min(readers(), sheets_at_most))
    names = workbooks[0].sheet_names
    report = LoadReport()
    candidates, info_names = plan_sheets(names, name, report)
    if not candidates:
        listed = "、".join(s.name for s in registry.sheets())
        raise WorkbookError(
            f"文件中没有可识别的数据表。工作表名称中应包含「{listed}」之一（如「2024年二季度活动」），"
            f"现有工作表：{'、'.join(schema.visible(n) for n in names) or '无'}"
        )
    parts: list[tuple[int, str, pd.DataFrame]] = []
    info_sheets = []
    titles: list[tuple[int, naming.Title]] = []
    unit_columns: dict[str, tuple[int, str]] = {}
    cells = 0
    sheets = read_sheets(data, list(candidates) + info_names, screened.check_sheet, workbooks, screened.size)
    del workbooks  # (the reading threads have them now; what each parsed goes when its thread is done)
    for index, raw in sheets:
        if raw.name in info_names:
            info_sheets.append((index, raw))
        elif not raw.height:
            report.add(NOTICE, "工作表是空的，已跳过", file=name, sheet=raw.name)
        else:
            sheet = decide_kind(raw, candidates[raw.name])
            parts.append((index, sheet.key, clean_sheet(raw, sheet, name, report)))
            cells += len(parts[-1][2]) * raw.cells.shape[1]
            screening.check_upload(cells, len(data))  # in the child: nothing this large is sent back
            title = unit_places(raw, sheet, unit_columns)
            if title is not None:
                titles.append((index, title))
    frames: dict[str, list[pd.DataFrame]] = {}
    for _, key, frame in sorted(parts, key=lambda part: part[0]):
        frames.setdefault(key, []).append(frame)
    units = read_unit_info([raw for _, raw in sorted(info_sheets, key=lambda pair: pair[0])], name, report)
    dataset = Dataset(report=report, sources=[name], units=units)
    written = units.loc[units["unit"] != "", "unit"]
    fallback = written.iloc[0] if len(written) else ""  # a file's name is never a unit (naming.py)
    for key, pieces in frames.items():
        frame = pd.concat(pieces, ignore_index=True) if len(pieces) > 1 else pieces[0]
        frame["unit"] = frame["unit"].where(frame["unit"] != "", fallback)
        dataset.tables[key] = frame
    if not fallback and naming.unnamed_rows(dataset):
        dataset.unit_title = min(titles, key=lambda pair: pair[0])[1] if titles else None
        naming.warn_unnamed(dataset, dataset.unit_title, unit_columns, report, name)
    order: dict[str, int] = {}
    for index, sheet_name in enumerate(names):  # as issues name a sheet: on one line, shortened as rows keep it
        for shown in (one_line(sheet_name), one_line(schema.clip(schema.visible(sheet_name), schema.SHEET_LENGTH))):
            order.setdefault(shown, index)
    report.issues.sort(key=lambda i: (order.get(i.sheet, -1), i.row or 0))
    return dataset


def unit_places(raw: RawSheet, sheet: schema.Sheet, unit_columns: dict[str, tuple[int, str]]) -> naming.Title | None:
    """Where a data sheet (already cleaned, so its header is found) can name its unit: its 单位 column, noted in
    `unit_columns` by the sheet's name as rows keep it, and the title cell above its header that names one."""
    header = find_header(raw, sheet)
    shown = schema.clip(schema.visible(raw.name), schema.SHEET_LENGTH)
    for index, column in header.columns.items():
        if column.key == "unit":
            unit_columns[shown] = (index, header.texts[index])
    return naming.find_title(raw, header.row, shown)


def plan_sheets(names: list[str], name: str, report: LoadReport) -> tuple[dict[str, list[schema.Sheet]], list[str]]:
    """Data sheets (with the kinds their names allow) and 单位信息 sheets, by name alone."""
    candidates, info = {}, []
    for sheet_name in names:
        matches = registry.match_sheet(sheet_name)
        if matches:
            candidates[sheet_name] = [s for _, s in matches]
        elif schema.is_info_sheet(sheet_name):
            info.append(sheet_name)
        elif not sheet_name.startswith("_") and sheet_name != "填写说明":
            report.add(NOTICE, "工作表名称不含「活动」「慰问」「捐款」「比赛」等，已忽略", file=name, sheet=sheet_name)
    return candidates, info


def decide_kind(raw: RawSheet, candidates: list[schema.Sheet]) -> schema.Sheet:
    if len(candidates) == 1:
        return candidates[0]
    for sheet in candidates:
        try:
            find_header(raw, sheet)
            return sheet
        except WorkbookError:
            continue
    return candidates[0]


__all__ = ["load_path", "load_bytes", "load_files"]
