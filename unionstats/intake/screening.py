"""Look at a file's structure before any reader builds a grid from it.

A reader allocates a dense grid from the first cell to the farthest one, so a
2 KB file holding one cell at ZZ200000 costs gigabytes. The farthest cell is
found here from the file's own structure, cheaply: the cell references in
the sheet XML (.xlsx), the repeat counts in content.xml (.ods), the cell
records of the BIFF stream (.xls). Every zip is checked for sizes no real
workbook has, wherever the archive starts in the file. Files that are not
spreadsheets at all (HTML, CSV or SpreadsheetML saved as .xls, a
password-protected workbook) are named for what they are, with what to do.

One upload as a whole is bounded too: all its sheets together may hold at
most `max_upload_cells()` filled cells, and past 100,000 of them a file must
spend bytes on them (a real workbook does; repeat counts and compression do
not). An .ods is measured from its repeat counts before it is read, every
format again from the rows the reader gave, in the child, before anything is
sent back: a 1 KB file never becomes a gigabyte in the server. (A stray cell
far away makes a big but empty grid: the grid limits above bound it, and it
sends back nothing.)

The child process's memory limit (sandbox.py) stays the last line: what gets
past these checks still cannot take the server down.
"""

from __future__ import annotations

import io
import os
import re
import struct
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

import numpy as np

from unionstats.contract import schema
from unionstats.intake.reading import SUPPORTED, WorkbookError, column_letter

MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
MAX_CELLS = 10_000_000
MAX_UNCOMPRESSED = 512 << 20
MAX_RATIO = 200
RATIO_CHECK_FROM = 8 << 20
MAX_UPLOAD_CELLS = 5_000_000  # every sheet of one upload together: 500,000 rows of ten columns
MAX_CELLS_PER_BYTE = 50  # a real workbook spends about a byte per cell, even compressed
DENSITY_FROM = 100_000
CHUNK = 4 << 20  # bytes of sheet XML looked at at a time
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SAVE_AS = "请在 Excel 或 WPS 中打开它，另存为 .xlsx（Excel 工作簿）后再上传"

# A reference in the usual form (one column letter, a row below 400,000) bounds a sheet to
# 26 x 399,999 cells; anything else sends the sheet to the exact count.
_UNUSUAL_REF = re.compile(rb' r=(?!"[A-Z]?(?:\d{1,5}|[1-3]\d{5})")')
_ANY_REF = re.compile(rb"""<(?:[\w.-]+:)?(c|row)\b[^>]*?\sr\s*=\s*["']([^"']*)["']""")
_CELL_REF = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")
_LONG_REPEAT = re.compile(rb'-repeated\s*=\s*["\'](?:\d{4,}|[^"\']*&)')  # or written as &#49;...


@dataclass
class Screened:
    """What the file is, and a check for each sheet before it is read."""

    kind: str
    sheet_members: dict[str, str] = field(default_factory=dict)
    data: bytes = b""
    sizes: dict[str, int] = field(default_factory=dict)  # a member's uncompressed size

    def size(self, name: str) -> int:
        """The sheet's XML in bytes, where the file says (0 where it does not): the reader starts the largest."""
        return self.sizes.get(self.sheet_members.get(name, ""), 0)

    def check_sheet(self, name: str) -> None:
        member = self.sheet_members.get(name)
        if self.kind == "xlsx" and member:
            with zipfile.ZipFile(io.BytesIO(self.data)) as archive:
                check_sheet_xml(archive, member, name)


def screen(data: bytes) -> Screened:
    if data.startswith(OLE_MAGIC):
        return screen_ole(data)
    if zipfile.is_zipfile(io.BytesIO(data)):
        return screen_zip(data)
    what = not_a_workbook(data)
    if what:
        raise WorkbookError(f"这个文件实际上是{what}，只是扩展名像 Excel 表格，无法直接读取。{SAVE_AS}")
    return Screened("other")


def not_a_workbook(data: bytes) -> str:
    """'网页（HTML）文件', 'CSV 文本文件'... for files that office systems save under an Excel name."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").lower().replace(b"\x00", b"")
    if b"urn:schemas-microsoft-com:office:spreadsheet" in data[:65536] or (
            head.startswith(b"<?xml") and b"<workbook" in head):
        return "“XML 电子表格 2003”（SpreadsheetML）文件"
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<head")) or b"<html" in head[:512]:
        return "网页（HTML）文件"
    if head.startswith(b"%pdf"):
        return "PDF 文件"
    if head and looks_like_text(data[:4096]):
        return "文本文件（如 CSV）"
    return ""


def looks_like_text(sample: bytes) -> bool:
    for encoding in ("utf-8", "gb18030", "utf-16"):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
        return printable >= 0.95 * max(1, len(text))
    return False


def screen_ole(data: bytes) -> Screened:
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise WorkbookError("文件设置了打开密码（已加密），无法读取。请在 Excel 或 WPS 中打开它，"
                            "在“文件 → 信息 → 保护工作簿”（WPS：“文件 → 文档加密”）中删除密码，保存后再上传")
    check_xls(data)
    return Screened("xls")


def screen_zip(data: bytes) -> Screened:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise WorkbookError(f"文件已损坏，无法作为 Excel/WPS 表格读取。{SAVE_AS}") from None
    guard_sizes(members)
    names = {m.filename for m in members}
    with archive:
        if "content.xml" in names and "xl/workbook.xml" not in names:
            check_ods(archive, len(data))
            return Screened("ods")
        if "xl/workbook.xml" in names:
            return Screened("xlsx", xlsx_sheet_members(archive), data, {m.filename: m.file_size for m in members})
    if "xl/workbook.bin" in names:
        raise WorkbookError(f"这是 Excel 二进制工作簿（.xlsb），暂不支持。{SAVE_AS}")
    if "word/document.xml" in names:
        raise WorkbookError(f"这是一个 Word 文档，不是表格。请上传 Excel 或 WPS 表格（{'、'.join(SUPPORTED)}）")
    raise WorkbookError(f"这个压缩文件里没有 Excel 或 WPS 表格。{SAVE_AS}")


def guard_sizes(members: list[zipfile.ZipInfo]) -> None:
    """Refuse an archive that declares more than any workbook needs, in total or in any one member."""
    total = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members) or 1
    worst = max(members, key=lambda m: m.file_size / max(1, m.compress_size), default=None)
    ratio = total / packed
    if worst is not None and worst.file_size > RATIO_CHECK_FROM:
        ratio = max(ratio, worst.file_size / max(1, worst.compress_size))
    if total > MAX_UNCOMPRESSED or (total > RATIO_CHECK_FROM and ratio > MAX_RATIO):
        raise WorkbookError(
            f"文件解压后约 {total / (1 << 20):,.0f} MB，压缩比 {ratio:,.0f}:1，远超正常工作簿"
            f"（解压后不超过 {MAX_UNCOMPRESSED >> 20} MB，压缩比不超过 {MAX_RATIO}:1），"
            "可能是恶意构造的文件，已拒绝读取。"
            "请检查文件来源，或在 Excel/WPS 中另存为新文件后再上传"
        )


def xlsx_sheet_members(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its XML member, from workbook.xml and its relationships."""
    try:
        book = ElementTree.fromstring(read_small(archive, "xl/workbook.xml"))
        rels = ElementTree.fromstring(read_small(archive, "xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError, WorkbookError):
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    members = {}
    for sheet in book.iter():
        if sheet.tag.rsplit("}", 1)[-1] != "sheet":
            continue
        rel = next((v for k, v in sheet.attrib.items() if k.rsplit("}", 1)[-1] == "id"), None)
        target = targets.get(rel, "")
        member = target.lstrip("/") if target.startswith("/") else "xl/" + target
        members[sheet.get("name", "")] = member
    return members


def read_small(archive: zipfile.ZipFile, member: str) -> bytes:
    if archive.getinfo(member).file_size > 16 << 20:
        raise WorkbookError("workbook part too large")
    return archive.read(member)


def check_sheet_xml(archive: zipfile.ZipFile, member: str, sheet: str) -> None:
    """Scan the sheet's XML for a cell reference out of the usual form; count exactly only then."""
    try:
        stream = archive.open(member)
    except KeyError:
        return
    with stream:
        if not has_unusual_reference(stream):
            return
    check_grid(sheet, *xlsx_extent(archive, member, sheet))


def has_unusual_reference(stream) -> bool:
    """`occurs(stream, _UNUSUAL_REF)`, each chunk but the stream's last bytes looked at with numpy.

    The answer is the same; the difference is the GIL. The regular expression holds it for as long as it reads
    (0.07 s for a 110,000-row sheet's XML), while the other reading thread's parsed sheet waits to be cleaned;
    numpy's comparisons let that thread run."""
    return occurs(stream, _UNUSUAL_REF, found_before=unusual_reference_before)


def usual_forms() -> list[tuple[int, int, int | None]]:
    """(value, mask, first digit's place) of the 8 bytes after ` r="` in each usual form, read as one little-endian
    integer after `_SHAPES` (digits as 0, capitals as A): an optional letter, 1-6 digits, the closing quote. Of six
    digits, the first must also be 1-3: its place among the 8 is given, None for the shorter forms."""
    forms = []
    for letter in (0, 1):
        for digits in range(1, 7):
            shape = b"A" * letter + b"0" * digits + b'"'
            forms.append((int.from_bytes(shape, "little"), (1 << 8 * len(shape)) - 1, letter if digits == 6 else None))
    return forms


_SHAPES = np.zeros(256, np.uint8)
_SHAPES[ord("0"): ord("9") + 1] = ord("0")
_SHAPES[ord("A"): ord("Z") + 1] = ord("A")
_SHAPES[ord('"')] = ord('"')
_REFERENCE = 12  # ` r="A123456"`: the bytes of the longest usual reference


def unusual_reference_before(window: bytes, before: int) -> bool:
    """Whether `_UNUSUAL_REF` matches at a position below `before`, which leaves the 12 bytes the longest usual
    reference takes (` r="A123456"`) inside the window.

    The 12 bytes from each ` r=` are taken at once (rows of a strided view, no index per byte); the 8 after its
    quote, mapped to their shapes, are read as one integer, which a usual form matches under its mask."""
    if before <= 0:
        return False
    cells = np.frombuffer(window, np.uint8)
    letters = np.flatnonzero(cells[1: before + 1] == ord("r")) + 1
    starts = letters[(cells[letters - 1] == ord(" ")) & (cells[letters + 1] == ord("="))] - 1
    if not len(starts):
        return False
    taken = np.lib.stride_tricks.sliding_window_view(cells, _REFERENCE)[starts]
    shapes = _SHAPES[taken[:, 4:]].view("<u8")[:, 0]
    usual = np.zeros(len(starts), bool)
    for value, mask, first_digit in usual_forms():  # (twelve, made anew for each 4 MB: nothing beside the scan)
        matches = (shapes & np.uint64(mask)) == np.uint64(value)
        if first_digit is not None:
            first = taken[:, 4 + first_digit]
            matches &= (first >= ord("1")) & (first <= ord("3"))
        usual |= matches
    return not (usual & (taken[:, 3] == ord('"'))).all()


def occurs(stream, pattern: re.Pattern, overlap: int = 64, found_before=None) -> bool:
    """Does `pattern` match anywhere in the stream? Read in chunks; a match that starts in a chunk's
    last `overlap` bytes may be cut short, so it is looked at again with the next chunk.
    `found_before(window, before)`, where given, says for each chunk whether `pattern` matches below `before`;
    the pattern itself still reads the stream's last bytes."""
    def found(window: bytes, before: int) -> bool:
        match = pattern.search(window)
        return bool(match and match.start() < before)

    found_before = found_before or found
    tail = b""
    while chunk := stream.read(CHUNK):
        window = tail + chunk
        if found_before(window, len(window) - overlap):
            return True
        tail = window[-overlap:]
    return bool(pattern.search(tail))


def xlsx_extent(archive: zipfile.ZipFile, member: str, sheet: str) -> tuple[int, int, str]:
    """Rows and columns up to the farthest cell reference, and that reference."""
    rows = columns = 0
    widest = deepest = ""
    for element, ref in references(archive, member):
        text = ref.decode("ascii", "replace").strip().upper()
        if element == b"row":
            if not text.isdigit():
                raise bad_reference(sheet, f"行号「{schema.clip(text, 24)}」")
            rows = max(rows, int(text))
            continue
        match = _CELL_REF.match(text)
        if not match:
            raise bad_reference(sheet, f"单元格地址「{schema.clip(text, 24)}」")
        column, row = column_number(match.group(1)), int(match.group(2))
        if column > columns:
            columns, widest = column, text
        if row >= rows:
            rows, deepest = row, text
    return rows, columns, widest if widest == deepest or not deepest else "、".join(filter(None, (widest, deepest)))


def references(archive: zipfile.ZipFile, member: str):
    """(element, reference) for every row and cell of the sheet XML, read a chunk at a time; an element cut by a
    chunk's end is read whole with the next, and the last one at the end of the stream."""
    with archive.open(member) as stream:
        tail = b""
        while chunk := stream.read(CHUNK):
            window = tail + chunk
            cut = max(0, window.rfind(b"<"))
            yield from _ANY_REF.findall(window[:cut])
            tail = window[cut:]
        yield from _ANY_REF.findall(tail)


def bad_reference(sheet: str, what: str) -> WorkbookError:
    sheet = schema.visible(sheet)
    what = "".join(ch if ch.isprintable() else "?" for ch in what)  # a tab or NUL in a reference, shown
    return WorkbookError(f"工作表「{sheet}」中有不合法的{what}，文件可能是被改动或恶意构造的。{SAVE_AS}")


def column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def check_grid(sheet: str, rows: int, columns: int, farthest: str = "") -> None:
    """Refuse a sheet whose used range passes the limits; the message names the sheet and the limit."""
    sheet = schema.visible(sheet)
    where = f"最远的单元格在 {farthest}，" if farthest else ""
    fix = ("请在 Excel 或 WPS 中删除远处多余的单元格（按 Ctrl+End 可定位到最后一个单元格），"
           "或把数据拆成几个文件，另存后重试")
    if rows > MAX_ROWS:
        raise WorkbookError(f"工作表「{sheet}」有 {rows:,} 行，超过上限 {MAX_ROWS:,} 行。{where}{fix}")
    if columns > MAX_COLUMNS:
        raise WorkbookError(f"工作表「{sheet}」有 {columns:,} 列，超过上限 {MAX_COLUMNS:,} 列。{where}{fix}")
    if rows * columns > MAX_CELLS:
        raise WorkbookError(
            f"工作表「{sheet}」的数据区域为 {rows:,} 行 × {columns:,} 列（{rows * columns:,} 个单元格），"
            f"超过每张工作表 {MAX_CELLS:,} 个单元格的上限。{where}{fix}")


TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def check_ods(archive: zipfile.ZipFile, size: int) -> None:
    """Repeat counts make a 1 KB content.xml describe a million rows; count the used range when any is large."""
    with archive.open("content.xml") as stream:
        if not occurs(stream, _LONG_REPEAT):
            return
    with archive.open("content.xml") as stream:
        try:
            extents = ods_extents(stream)
        except ElementTree.ParseError:
            raise WorkbookError(f"文件内容（content.xml）已损坏，无法读取。{SAVE_AS}") from None
    for name, rows, columns, _ in extents:
        check_grid(name, rows, columns)
    check_upload(sum(filled for *_, filled in extents), size)


def max_upload_cells() -> int:
    return int(os.environ.get("UNIONSTATS_MAX_UPLOAD_CELLS") or MAX_UPLOAD_CELLS)


def check_upload(cells: int, size: int) -> None:
    """Refuse an upload whose sheets' filled cells together pass the limit, or far pass what its bytes hold."""
    limit = max_upload_cells()
    if cells > limit:
        raise WorkbookError(
            f"这个文件的各工作表合计有 {cells:,} 个单元格，超过一次上传 {limit:,} 个单元格的上限。"
            "请按季度或单位把数据拆成几个文件，分别上传")
    if cells > DENSITY_FROM and cells > MAX_CELLS_PER_BYTE * size:
        raise WorkbookError(
            f"这个文件只有 {size / 1024:,.1f} KB，却要展开成 {cells:,} 个单元格（大量重复的行或列），"
            "不像正常填写的工作簿，已拒绝读取。请在 Excel 或 WPS 中打开它，删除多余的重复行，另存为 .xlsx 后再上传")


def ods_extents(stream) -> list[tuple[str, int, int, int]]:
    """(sheet, last row with content, last column with content, cells with content) per table, repeats
    counted, nothing expanded."""
    table, row, used_rows, used_columns, filled = "", 0, 0, 0, 0
    column = row_last = row_filled = 0
    extents = []
    for event, element in ElementTree.iterparse(stream, events=("start", "end")):
        tag = element.tag
        if event == "start":
            if tag == f"{{{TABLE_NS}}}table":
                table, row, used_rows, used_columns, filled = element.get(f"{{{TABLE_NS}}}name", ""), 0, 0, 0, 0
            elif tag == f"{{{TABLE_NS}}}table-row":
                column = row_last = row_filled = 0
            continue
        if tag in (f"{{{TABLE_NS}}}table-cell", f"{{{TABLE_NS}}}covered-table-cell"):
            count = repeat(element, "number-columns-repeated")
            column += count
            if element.get(f"{{{OFFICE_NS}}}value-type") or len(element) or (element.text or "").strip():
                row_last, row_filled = column, row_filled + count
            element.clear()
        elif tag == f"{{{TABLE_NS}}}table-row":
            count = repeat(element, "number-rows-repeated")
            row += count
            if row_last:
                used_rows, used_columns = row, max(used_columns, row_last)
                filled += count * row_filled
            element.clear()
        elif tag == f"{{{TABLE_NS}}}table":
            extents.append((table, used_rows, used_columns, filled))
            element.clear()
    return extents


def repeat(element, attribute: str) -> int:
    text = element.get(f"{{{TABLE_NS}}}{attribute}") or "1"
    return int(text) if text.isdigit() and len(text) < 12 else MAX_CELLS + 1


_XLS_CELLS = {0x0006, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E, 0x00FD, 0x00D6}
_XLS_MULTI = {0x00BD, 0x00BE}
_BOF, _BOUNDSHEET = 0x0809, 0x0085


def check_xls(data: bytes) -> None:
    """The farthest cell record of each sheet in the BIFF stream (a .xls can address 65,536 x 256 cells)."""
    import olefile

    try:
        with olefile.OleFileIO(data) as ole:
            stream = next((s for s in ("Workbook", "Book") if ole.exists(s)), None)
            if stream is None:
                return
            biff = ole.openstream(stream).read()
    except OSError:
        raise WorkbookError(f"文件已损坏，无法作为 Excel/WPS 表格读取。{SAVE_AS}") from None
    for name, rows, columns in xls_extents(biff):
        check_grid(name, rows, columns, f"{column_letter(columns - 1)}{rows}" if rows and columns else "")


def xls_extents(biff: bytes) -> list[tuple[str, int, int]]:
    names: dict[int, str] = {}
    extents: dict[str, list[int]] = {}
    current = None
    position, end = 0, len(biff)
    unpack = struct.unpack_from
    while position + 4 <= end:
        kind, length = unpack("<HH", biff, position)
        body = position + 4
        if body + length > end:
            break  # a record cut short ends the stream; the reader decides what the rest is worth
        if kind == _BOUNDSHEET and length >= 8:
            names[unpack("<I", biff, body)[0]] = sheet_name(biff[body + 6 : body + length])
        elif kind == _BOF:
            current = extents.setdefault(names.get(position, f"#{position}"), [0, 0])
        elif current is not None and length >= 4 and (kind in _XLS_CELLS or kind in _XLS_MULTI):
            row, column = unpack("<HH", biff, body)
            if kind in _XLS_MULTI and length >= 6:
                column = unpack("<H", biff, body + length - 2)[0]
            current[0] = max(current[0], row + 1)
            current[1] = max(current[1], column + 1)
        position = body + length
    return [(name, rows, columns) for name, (rows, columns) in extents.items()]


def sheet_name(record: bytes) -> str:
    """A BOUNDSHEET name: a length byte, a flags byte (1: UTF-16), the characters."""
    if len(record) < 2:
        return ""
    length, wide = record[0], record[1] & 1
    raw = record[2 : 2 + length * (2 if wide else 1)]
    return raw.decode("utf-16-le" if wide else "latin-1", "replace")
