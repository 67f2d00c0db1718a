"""Bytes or a path in, raw sheets out: the only place that touches calamine.

One reader (python-calamine) serves all four formats and returns the values
Excel last saved, never evaluating formulas. The file's structure has been
checked before (screening.py), and all of this runs in a child process with
limits (sandbox.py), because a native reader can abort on a hostile file.

calamine releases the GIL while it parses, so sheets are read in worker
threads (each with its own workbook object) while the caller cleans the
sheets already read: on two cores a four-sheet workbook loads in about the
time a single-threaded reader needs just to parse it.
"""

from __future__ import annotations

import io
import itertools
import os
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import python_calamine

from unionstats.contract import schema

SUPPORTED = (".xlsx", ".xlsm", ".xls", ".ods")


class WorkbookError(Exception):
    """The file as a whole cannot be used; the message says why in Chinese."""


@dataclass
class RawSheet:
    """Cells as Excel shows them; `copied` marks cells that only repeat a merged range's value."""

    name: str
    cells: np.ndarray
    copied: np.ndarray | None = None

    @property
    def height(self) -> int:
        return self.cells.shape[0]


def column_letter(index: int) -> str:
    """Excel's letters for a 0-based column index: 0 -> A, 27 -> AB."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_bytes(source: str | Path | bytes) -> bytes:
    if isinstance(source, bytes):
        return source
    try:
        return Path(source).read_bytes()
    except FileNotFoundError:
        raise WorkbookError("找不到这个文件，请检查文件名和路径") from None
    except IsADirectoryError:
        raise WorkbookError("这是一个文件夹，不是文件") from None
    except PermissionError:
        raise WorkbookError("没有读取这个文件的权限") from None
    except OSError as exc:
        raise WorkbookError(f"无法打开文件（{type(exc).__name__}）") from None


def check_extension(name: str) -> None:
    suffix = Path(name).suffix.lower()
    if suffix and suffix not in SUPPORTED:
        formats = "、".join(SUPPORTED)
        raise WorkbookError(f"不支持「{suffix}」文件，请上传 Excel 或 WPS 表格（{formats}）")


def unreadable_message(detail: str = "") -> str:
    formats = "、".join(SUPPORTED)
    reason = f"（{detail}）" if detail else ""
    return (
        f"无法读取此文件{reason}：它不是有效的 Excel/WPS 表格（{formats}），或文件已损坏。"
        "请在 Excel 或 WPS 中打开它，另存为 .xlsx 后再上传"
    )


def open_workbook(data: bytes) -> python_calamine.CalamineWorkbook:
    if not data:
        raise WorkbookError("文件是空的（0 字节），请重新导出或选择正确的文件")
    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError:
        raise WorkbookError("文件设置了打开密码，请在 Excel 或 WPS 中取消密码后再上传") from None
    except BaseException as exc:
        if not isinstance(exc, Exception) and not is_panic(exc):
            raise
        raise WorkbookError(unreadable_message()) from None


def is_panic(exc: BaseException) -> bool:
    """calamine's Rust panics (a date serial out of range...) reach Python as pyo3's PanicException,
    a BaseException: a broken file, not a reason to stop."""
    return type(exc).__name__ == "PanicException"


def sheet_names(workbook: python_calamine.CalamineWorkbook) -> list[str]:
    return list(workbook.sheet_names)


def read_sheet(workbook: python_calamine.CalamineWorkbook, name: str) -> RawSheet:
    """Cells as a 2-D object array whose row 0 is Excel's row 1; merged cells filled."""
    try:
        sheet = workbook.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=False)
        merged = sheet.merged_cell_ranges or []
    except BaseException as exc:
        if not isinstance(exc, Exception) and not is_panic(exc):
            raise
        raise WorkbookError(unreadable_message(f"工作表「{schema.visible(name)}」无法读取")) from None
    cells = to_array(rows)
    return RawSheet(name, cells, fill_merged(cells, merged))


def open_workbooks(data: bytes, count: int) -> list[python_calamine.CalamineWorkbook]:
    """`count` workbooks on the same bytes, opened at once: one names the sheets, and each reading thread takes
    one. calamine opens without the GIL, and opening parses the shared strings (a tenth of a second for a
    workbook typed by hand), so the second reading thread starts with the first instead of after it."""
    if count <= 1:
        return [open_workbook(data)]
    with ThreadPoolExecutor(count - 1, thread_name_prefix="open") as pool:
        others = [pool.submit(open_workbook, data) for _ in range(count - 1)]
        return [open_workbook(data), *(other.result() for other in others)]


def readers() -> int:
    """Reading threads: one a core, as calamine parses without the GIL."""
    return os.cpu_count() or 1


def read_sheets(data: bytes, names: list[str], check=lambda name: None,
                opened: Sequence[python_calamine.CalamineWorkbook] = (),
                size=lambda name: 0) -> Iterator[tuple[int, RawSheet]]:
    """(position in `names`, sheet) as each is parsed in a worker thread, so the caller cleans one sheet
    while the next is still being read. `check(name)` runs before a sheet is parsed; when one fails, the
    first failing sheet in `names` order is the one raised, whichever thread failed first.

    The largest sheet by `size(name)` starts first. Each thread takes one of the caller's `opened` workbooks
    (open_workbooks), else opens its own."""
    local = threading.local()
    spare = list(opened)

    def read(name: str) -> RawSheet:
        if not hasattr(local, "workbook"):
            try:
                local.workbook = spare.pop()
            except IndexError:
                local.workbook = open_workbook(data)
        check(name)
        return read_sheet(local.workbook, name)

    workers = max(1, min(len(names), readers()))
    largest_first = sorted(enumerate(names), key=lambda pair: -size(pair[1]))
    with ThreadPoolExecutor(workers, thread_name_prefix="sheet") as pool:
        futures = {pool.submit(read, name): index for index, name in largest_first}
        try:
            for future in as_completed(futures):
                if future.exception() is not None:
                    for earlier in sorted(futures, key=futures.__getitem__):
                        if (failure := earlier.exception()) is not None:
                            raise failure
                yield futures[future], future.result()
        finally:
            for future in futures:
                future.cancel()


def to_array(rows: list[list]) -> np.ndarray:
    """The rows as a 2-D object array; short rows padded with "". Rows of one length (what calamine gives) are
    laid out from one flat iteration: numpy's assignment from nested lists looks at every row as a sequence
    first, two to three times as long."""
    width = max(map(len, rows), default=0)
    if rows and min(map(len, rows)) == width:
        flat = itertools.chain.from_iterable(rows)
        return np.fromiter(flat, dtype=object, count=len(rows) * width).reshape(len(rows), width)
    cells = np.full((len(rows), width), "", dtype=object)
    for i, row in enumerate(rows):
        cells[i, : len(row)] = row
    return cells


def fill_merged(cells: np.ndarray, ranges: list) -> np.ndarray | None:
    """Give every cell of a merged range the value Excel shows in it; return the mask of copied cells."""
    if not ranges:
        return None
    height, width = cells.shape
    copied = np.zeros(cells.shape, bool)
    for (top, left), (bottom, right) in ranges:
        if top < height and left < width:
            cells[top : bottom + 1, left : right + 1] = cells[top, left]
            copied[top : bottom + 1, left : right + 1] = True
            copied[top, left] = False
    return copied
