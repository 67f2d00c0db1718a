"""Hostile structures are refused from the file's structure, before a reader builds a grid."""

import io
import random
import struct
import time
import unicodedata
import zipfile
from unittest import mock
from xml.etree import ElementTree

import msoffcrypto.format.ooxml
import pytest
from hypothesis import given
from hypothesis import strategies as st
from workbooks import workbook_bytes

from unionstats.intake import screening
from unionstats.intake.loading import load_bytes

GOOD = {"活动": [["日期", "活动名称", "参与人次"], ["2024-04-01", "春游", 30]]}
HEADER = ["日期", "活动名称", "参与人次"]


def only_error(dataset) -> str:
    assert dataset.row_count == 0
    [issue] = dataset.report.issues
    assert issue.level == "error"
    return issue.message


def rewrite_sheet(data: bytes, change) -> bytes:
    """The same .xlsx with its first sheet's XML passed through `change`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            content = source.read(member.filename)
            if member.filename == "xl/worksheets/sheet1.xml":
                content = change(content)
            target.writestr(member.filename, content)
    return buffer.getvalue()


def with_cell(ref: str) -> bytes:
    """A small valid workbook plus one cell at `ref`, written into the sheet XML as Excel would."""
    cell = f'<row r="9"><c r="{ref}" t="inlineStr"><is><t>x</t></is></c></row>'.encode()
    return rewrite_sheet(workbook_bytes(GOOD), lambda xml: xml.replace(b"</sheetData>", cell + b"</sheetData>"))


def zipped(members: dict[str, bytes], prefix: bytes = b"", stored: set[str] = frozenset()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content, zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED)
    return prefix + buffer.getvalue()


@pytest.mark.parametrize("ref, says", [
    ("XFD1048576", "1,048,576 行 × 16,384 列"),
    ("ZZ200000", "200,000 行 × 702 列"),
    ("Z450000", "450,000 行 × 26 列"),
    ("A1048577", "1,048,577 行"),
    ("A99999999999", "单元格地址「A99999999999」"),
    ("ZZZZZ", "单元格地址「ZZZZZ」"),
    ("1000000", "单元格地址「1000000」"),
], ids=lambda value: value if value.isascii() else "")
def test_a_far_or_malformed_cell_reference_is_refused_at_once(ref, says):
    data = with_cell(ref)
    assert len(data) < 8000
    started = time.perf_counter()
    message = only_error(load_bytes(data, "far.xlsx"))
    assert time.perf_counter() - started < 5
    assert says in message and "「活动」" in message


def test_a_far_reference_in_single_quotes_is_found_too():
    cell = b"<row r='9'><c r='ZZ200000'><v>1</v></c></row>"
    data = rewrite_sheet(workbook_bytes(GOOD), lambda xml: xml.replace(b"</sheetData>", cell + b"</sheetData>"))
    assert "200,000 行 × 702 列" in only_error(load_bytes(data, "far.xlsx"))


def test_the_cell_limit_is_named_with_the_farthest_cell():
    message = only_error(load_bytes(with_cell("ZZ200000"), "far.xlsx"))
    assert f"{screening.MAX_CELLS:,} 个单元格的上限" in message and "ZZ200000" in message
    assert "Ctrl+End" in message


@pytest.mark.parametrize("ref", ["AD7", "E450000", "CV3"])
def test_wide_or_long_sheets_within_the_limits_are_read(ref):
    dataset = load_bytes(with_cell(ref), "wide.xlsx")
    assert dataset.row_count == 1 and not dataset.report.errors


def test_a_zip_bomb_is_refused_wherever_the_zip_starts():
    members = {"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<w/>",
               "xl/worksheets/sheet1.xml": b"\0" * (64 << 20)}
    for prefix in (b"", b"\0" * 512, random.Random(512).randbytes(512)):
        bomb = zipped(members, prefix)
        assert len(bomb) < 1 << 20
        message = only_error(load_bytes(bomb, "bomb.xlsx"))
        assert "压缩比" in message and "拒绝" in message, prefix[:4]


def test_a_bomb_diluted_by_a_random_stored_member_is_refused():
    members = {"xl/workbook.xml": b"<w/>", "xl/worksheets/sheet1.xml": b"<c/>" * (10 << 20),
               "xl/media/padding.bin": random.Random(1).randbytes(1 << 20)}
    message = only_error(load_bytes(zipped(members, stored={"xl/media/padding.bin"}), "bomb.xlsx"))
    assert "压缩比" in message and "拒绝" in message


def test_a_declared_size_beyond_the_limit_is_refused(monkeypatch):
    members = [zipfile.ZipInfo("xl/worksheets/sheet1.xml")]
    members[0].file_size, members[0].compress_size = screening.MAX_UNCOMPRESSED + 1, screening.MAX_UNCOMPRESSED
    with pytest.raises(screening.WorkbookError, match="解压后"):
        screening.guard_sizes(members)


def test_a_normal_workbook_passes_every_check():
    screened = screening.screen(workbook_bytes(GOOD))
    assert screened.kind == "xlsx" and set(screened.sheet_members) == {"活动"}
    screened.check_sheet("活动")


def ods(extra_rows: bytes) -> bytes:
    """The GOOD workbook as .ods (written by odfpy), with `extra_rows` added to its table."""
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes(GOOD, ".ods")))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            content = source.read(member.filename)
            if member.filename == "content.xml":
                content = content.replace(b"</table:table>", extra_rows + b"</table:table>")
            target.writestr(member, content)
    return buffer.getvalue()


def test_ods_repeats_that_describe_a_huge_grid_are_refused():
    """Unscreened, this 3 KB file keeps a reader busy for 24 s building 24 million cells."""
    row = (b'<table:table-row table:number-rows-repeated="400000"><table:table-cell table:number-columns-repeated="60" '
           b'office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>')
    data = ods(row)
    assert len(data) < 4000
    started = time.perf_counter()
    message = only_error(load_bytes(data, "repeat.ods"))
    assert time.perf_counter() - started < 5
    assert "「活动」" in message and "400,002 行 × 60 列" in message


def test_ods_trailing_empty_repeats_as_libreoffice_writes_them_are_fine():
    empty = (b'<table:table-row table:number-rows-repeated="1048574">'
             b'<table:table-cell table:number-columns-repeated="16384"/></table:table-row>')
    dataset = load_bytes(ods(empty), "libre.ods")
    assert dataset.row_count == 1 and not dataset.report.errors


def test_an_xls_cell_at_the_last_address_is_refused():
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("活动")
    for column, text in enumerate(HEADER):
        sheet.write(0, column, text)
    sheet.write(65535, 255, "x")
    buffer = io.BytesIO()
    book.save(buffer)
    message = only_error(load_bytes(buffer.getvalue(), "far.xls"))
    assert "65,536 行 × 256 列" in message and "IV65536" in message and "「活动」" in message


def test_xls_extents_follow_each_sheet():
    import xlwt

    book = xlwt.Workbook()
    book.add_sheet("活动").write(9, 2, 1)
    book.add_sheet("慰问").write(3, 40, "x")
    buffer = io.BytesIO()
    book.save(buffer)
    biff = __import__("olefile").OleFileIO(buffer.getvalue()).openstream("Workbook").read()
    assert {(name, rows, columns) for name, rows, columns in screening.xls_extents(biff) if rows} == {
        ("活动", 10, 3), ("慰问", 4, 41)}


def test_a_password_protected_workbook_says_so_and_what_to_do():
    plain = io.BytesIO(workbook_bytes(GOOD))
    encrypted = io.BytesIO()
    msoffcrypto.format.ooxml.OOXMLFile(plain).encrypt("secret", encrypted)
    message = only_error(load_bytes(encrypted.getvalue(), "locked.xlsx"))
    assert "密码" in message and "删除密码" in message


@pytest.mark.parametrize("content, what", [
    (b"<html><head><meta charset='utf-8'></head><body><table><tr><td>\xe6\x97\xa5\xe6\x9c\x9f</td></tr></table>"
     b"</body></html>", "网页（HTML）"),
    ("\ufeff日期,活动名称,参与人次\n2024-04-01,春游,30\n".encode(), "文本文件（如 CSV）"),
    ("日期\t活动名称\n2024-04-01\t春游\n".encode("gb18030"), "文本文件（如 CSV）"),
    (b'<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><Workbook '
     b'xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="a"/></Workbook>', "SpreadsheetML"),
], ids=["html", "csv", "tsv-gb18030", "spreadsheetml"])
def test_files_saved_under_an_excel_name_are_named_for_what_they_are(content, what):
    message = only_error(load_bytes(content, "导出.xls"))
    assert what in message and "另存为 .xlsx" in message


def test_a_word_document_renamed_xlsx_is_named():
    data = zipped({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"})
    assert "Word 文档" in only_error(load_bytes(data, "letter.xlsx"))


def test_a_reference_cut_by_a_chunk_boundary_is_read_whole():
    cell = b'<c r="A12345"/>'
    usual = cell * ((4 << 20) // len(cell) + 2)
    assert (4 << 20) % len(cell), "a reference must straddle the first chunk's end"
    assert not screening.occurs(io.BytesIO(usual), screening._UNUSUAL_REF)
    boundary = (4 << 20) - 5
    unusual = usual[:boundary] + b' r="ZZ200000"' + usual[boundary:]
    assert screening.occurs(io.BytesIO(unusual), screening._UNUSUAL_REF)
    assert screening.occurs(io.BytesIO(usual + b' r="ZZ1"'), screening._UNUSUAL_REF)
    assert not screening.has_unusual_reference(io.BytesIO(usual))
    assert screening.has_unusual_reference(io.BytesIO(unusual))
    assert screening.has_unusual_reference(io.BytesIO(usual + b' r="ZZ1"'))


# Sheet XML around references, usual or not: ` r=` or near misses, a quote or not, a letter or its neighbours in
# ASCII, digits (a usual row has 1-5, or 6 below 400000), and what closes it
references = st.builds(
    lambda *parts: b"".join(parts),
    st.sampled_from([b" r=", b" r=", b"r=", b" r>", b" r<", b" s=", b"\tr="]),
    st.sampled_from([b'"', b'"', b"'", b"!", b"#", b""]),
    st.sampled_from([b"", b"A", b"Z", b"M", b"@", b"[", b"a", b"AB"]),
    st.text(alphabet="0123456789/:", max_size=8).map(str.encode),
    st.sampled_from([b'"', b'"', b"!", b"#", b"'", b"", b"0"]),
)
xml_pieces = st.lists(st.one_of(references, st.sampled_from([b" ", b"<c", b"/>", b"r", "一".encode()])),
                      max_size=12).map(b"".join)


def unusual_below(window: bytes, before: int) -> bool:
    first = screening._UNUSUAL_REF.search(window)
    return bool(first and first.start() < before)


@given(xml_pieces, st.integers(0, 400))
def test_the_scan_with_numpy_finds_what_the_expression_finds(window, before):
    before = min(before, len(window) - 12)
    assert screening.unusual_reference_before(window, before) == unusual_below(window, before)


@pytest.mark.parametrize("reference", [b' r="AB1"', b' r="A400000"', b' r="A123456"', b' r="1234567"', b" r='A1'",
                                       b' r="A1', b' r="A"', b' r=""', b' r="a1"', b' r="A12345"', b' r="399999"',
                                       b' r=!A1"', b' r="Z9"', b' r="Z90"', b' r="A10"', b' r="@1"', b' r="[1"'],
                         ids=lambda reference: reference.decode("ascii"))
def test_the_scan_with_numpy_sees_a_reference_from_wherever_it_may_start(reference):
    for window in (b'<c r="B2"/>' * 3 + reference + b'<c r="C3"/>' * 3, reference + b'<c r="C3"/>' * 3):
        for before in range(len(window) - 11):
            assert screening.unusual_reference_before(window, before) == unusual_below(window, before), before


@given(st.lists(xml_pieces, min_size=1, max_size=12).map(b"".join), st.integers(1, 90))
def test_a_stream_gives_the_same_answer_through_either_scan_wherever_its_chunks_end(xml, chunk):
    with mock.patch.object(screening, "CHUNK", chunk):
        expected = screening.occurs(io.BytesIO(xml), screening._UNUSUAL_REF)
        assert screening.has_unusual_reference(io.BytesIO(xml)) == expected


def shows_no_control_character(message: str) -> bool:
    return not any(unicodedata.category(ch) == "Cc" for ch in message)


@pytest.mark.parametrize("ref, shown", [("A\t1", "「A?1」"), ("A1\x00", "「A1?」"), ("A1" + "9X" * 60, "「A19X9X")],
                         ids=["tab", "nul", "long"])
def test_a_malformed_reference_is_shown_printable_and_short(ref, shown):
    data = rewrite_sheet(with_cell("B9"), lambda xml: xml.replace(b'r="B9"', f'r="{ref}"'.encode()))
    message = only_error(load_bytes(data, "odd.xlsx"))
    assert shown in message and shows_no_control_character(message)
    assert len(message) < 160


def test_an_unreadable_sheet_is_named_without_its_control_characters():
    def rename(data: bytes) -> bytes:
        source = zipfile.ZipFile(io.BytesIO(data))
        members = {m: source.read(m) for m in source.namelist()}
        members["xl/workbook.xml"] = members["xl/workbook.xml"].replace(
            'name="活动"'.encode(), 'name="活动\u009b31m"'.encode())
        members["xl/worksheets/sheet1.xml"] = members["xl/worksheets/sheet1.xml"][:-40]
        return zipped(members)

    message = only_error(load_bytes(rename(workbook_bytes(GOOD)), "cut.xlsx"))
    assert "「活动31m」" in message and shows_no_control_character(message)


def test_a_biff_record_cut_short_ends_the_scan_instead_of_raising():
    bof = struct.pack("<HH", 0x0809, 4) + bytes(4)
    cell = struct.pack("<HH", 0x0203, 14) + struct.pack("<HH", 5, 3)
    assert screening.xls_extents(bof + cell + bytes(10)) == [("#0", 6, 4)]
    assert screening.xls_extents(bof + cell[:6]) == [("#0", 0, 0)]
    assert screening.xls_extents(bof + struct.pack("<HH", 0x0085, 12) + bytes(3)) == [("#0", 0, 0)]


# The checks one by one, at their edges

def archive_with(xml: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(zipped({"s.xml": xml})))


@pytest.mark.parametrize("rows, columns, refused", [
    (screening.MAX_ROWS, 1, ""), (screening.MAX_ROWS + 1, 1, "1,048,577 行，超过上限 1,048,576 行"),
    (1, screening.MAX_COLUMNS, ""), (1, screening.MAX_COLUMNS + 1, "16,385 列，超过上限 16,384 列"),
    (1000, 10_000, ""), (1000, 10_001, "1,000 行 × 10,001 列（10,001,000 个单元格）"),
], ids=["rows", "rows+1", "columns", "columns+1", "cells", "cells+1"])
def test_the_grid_limits_hold_exactly_at_their_edges(rows, columns, refused):
    if not refused:
        screening.check_grid("活动", rows, columns, "A1")
        return
    with pytest.raises(screening.WorkbookError) as caught:
        screening.check_grid("活动", rows, columns, "ZZ9")
    message = str(caught.value)
    assert message.startswith("工作表「活动」") and refused in message
    assert "最远的单元格在 ZZ9，" in message and "Ctrl+End" in message


def test_a_grid_message_without_a_farthest_cell_does_not_name_one():
    with pytest.raises(screening.WorkbookError) as caught:
        screening.check_grid("活动", screening.MAX_ROWS + 1, 1)
    assert "最远" not in str(caught.value)


def test_the_extent_names_the_widest_and_the_deepest_cell(monkeypatch):
    monkeypatch.setattr(screening, "CHUNK", 7)  # every reference cut across chunks somewhere
    xml = (b'<sheetData><row r="1"><c r="A1"/><c r="zz5"/></row><row r="3"><c r="B300000"/></row>'
           b'<row r="2"/></sheetData>')
    assert screening.xlsx_extent(archive_with(xml), "s.xml", "活动") == (300_000, 702, "ZZ5、B300000")
    same = b'<row r="4"><c r="C4"/><c r="B2"/></row>'
    assert screening.xlsx_extent(archive_with(same), "s.xml", "活动") == (4, 3, "C4")
    assert screening.xlsx_extent(archive_with(b'<row r="7"/>'), "s.xml", "活动") == (7, 0, "")


@pytest.mark.parametrize("xml, says", [
    (b'<row r="abc"><c r="A1"/></row>', "行号「ABC」"),
    ("<row r=\"1\"><c r=\"A\u00e91\"/></row>".encode(), "单元格地址「A\ufffd\ufffd1」"),
    (b'<row r="1"><c r="' + b"A" * 40 + b'1"/></row>', "「" + "A" * 23 + "…」"),
], ids=["row", "non-ascii", "long"])
def test_a_bad_reference_is_named_in_the_message(xml, says):
    with pytest.raises(screening.WorkbookError) as caught:
        screening.xlsx_extent(archive_with(xml), "s.xml", "活动\x01")
    assert says in str(caught.value) and str(caught.value).startswith("工作表「活动」中有不合法的")


def test_xls_records_name_their_sheets_and_multi_cell_records_reach_their_last_column():
    def record(kind: int, body: bytes) -> bytes:
        return struct.pack("<HH", kind, len(body)) + body

    wide = "活动".encode("utf-16-le")
    first = record(0x0809, bytes(4)) + record(0x00BD, struct.pack("<HHH", 9, 2, 0) + bytes(12) + struct.pack("<H", 7))
    second = (record(0x0809, bytes(4)) + record(0x0203, struct.pack("<HHH", 4, 5, 0) + bytes(8))
              + record(0x0203, struct.pack("<HHH", 1, 1, 0) + bytes(8)))
    sheets = 16 + 15
    biff = (record(0x0085, struct.pack("<IBB", sheets, 0, 0) + bytes([2, 1]) + wide)
            + record(0x0085, struct.pack("<IBB", sheets + len(first), 0, 0) + bytes([3, 0]) + b"abc")
            + first + second)
    assert screening.xls_extents(biff) == [("活动", 10, 8), ("abc", 5, 6)]


def test_ods_extents_count_repeats_and_only_rows_with_content():
    t = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    o = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    xml = (f'<r xmlns:table="{t}" xmlns:office="{o}"><table:table table:name="活动">'
           '<table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="4"/>'
           '<table:table-cell office:value-type="float" table:number-columns-repeated="2"/></table:table-row>'
           '<table:table-row><table:covered-table-cell table:number-columns-repeated="9"/>'
           '<table:table-cell>x</table:table-cell></table:table-row>'
           '<table:table-row table:number-rows-repeated="1000"><table:table-cell/></table:table-row>'
           '</table:table><table:table table:name="空"/></r>').encode()
    assert screening.ods_extents(io.BytesIO(xml)) == [("活动", 4, 10, 3 * 2 + 1), ("空", 0, 0, 0)]


@pytest.mark.parametrize("text, count", [("7", 7), ("", 1), ("12345678901", 12345678901),
                                         ("123456789012", screening.MAX_CELLS + 1), ("1e9", screening.MAX_CELLS + 1)],
                         ids=["seven", "none", "eleven-digits", "twelve-digits", "not-digits"])
def test_an_ods_repeat_count_is_read_or_taken_as_too_many(text, count):
    element = ElementTree.Element("c", {f"{{{screening.TABLE_NS}}}n": text} if text else {})
    assert screening.repeat(element, "n") == count


@pytest.mark.parametrize("data, what", [
    (b"\xef\xbb\xbf  <!DOCTYPE html><p>x", "网页"), (b"<TABLE><tr><td>1</td></tr></TABLE>", "网页"),
    (b"<meta charset=gbk><table>", "网页"), (b"<head></head>", "网页"), (b"junk junk <html>", "网页"),
    (b'<?xml version="1.0"?>\n<Workbook>', "SpreadsheetML"), (b"%PDF-1.7\n", "PDF"),
    ("日期,名称\n".encode("utf-16"), "文本文件"), ("日期\t名称\r\n".encode("gb18030"), "文本文件"),
    (b"\x00\x01\x02\x03" * 100, ""), (b"", ""), (b"a,b\n" + bytes(range(1, 32)) * 3, ""),
], ids=["doctype", "table", "meta", "head", "html-later", "xml-workbook", "pdf", "utf-16", "gb18030", "binary",
        "empty", "mostly-control"])
def test_files_that_are_not_workbooks_are_told_apart(data, what):
    found = screening.not_a_workbook(data)
    assert (what in found) if what else found == ""


def test_text_just_above_and_below_the_printable_share():
    assert screening.looks_like_text(b"a" * 95 + b"\x01" * 5)
    assert not screening.looks_like_text(b"a" * 94 + b"\x01" * 6)


def repeated_data_row(times: int, columns: int = 3) -> bytes:
    """One data row of the 活动 sheet (a date, a name, a count, then numbers), written once, repeated `times`."""
    cells = (b'<table:table-cell office:value-type="date" office:date-value="2024-04-02"><text:p>2024-04-02</text:p>'
             b'</table:table-cell><table:table-cell office:value-type="string"><text:p>\xe7\x88\xac\xe5\xb1\xb1</text:p>'
             b'</table:table-cell>' + b'<table:table-cell office:value-type="float" office:value="5"><text:p>5</text:p>'
             b'</table:table-cell>' * (columns - 2))
    return f'<table:table-row table:number-rows-repeated="{times}">'.encode() + cells + b"</table:table-row>"


def test_an_ods_whose_repeated_rows_pass_the_uploads_cell_limit_is_refused_before_it_is_read(monkeypatch):
    """Each sheet stays under the per-sheet limit; the upload as a whole does not."""
    monkeypatch.setenv("UNIONSTATS_MAX_UPLOAD_CELLS", "1000000")
    monkeypatch.setenv("UNIONSTATS_SANDBOX", "0")  # a reader child has the fork server's environment
    data = ods(repeated_data_row(400_000))
    assert len(data) < 4000
    started = time.perf_counter()
    message = only_error(load_bytes(data, "repeat.ods"))
    assert time.perf_counter() - started < 5
    assert "合计有 1,200,006 个单元格" in message and "1,000,000 个单元格的上限" in message


def test_an_ods_that_expands_far_beyond_its_bytes_is_refused_before_it_is_read():
    """500,000 data rows from a 2 KB file: under the cell limits, but no office fills a sheet that way."""
    data = ods(repeated_data_row(500_000))
    started = time.perf_counter()
    message = only_error(load_bytes(data, "repeat.ods"))
    assert time.perf_counter() - started < 5
    assert f"只有 {len(data) / 1024:,.1f} KB" in message and "1,500,006 个单元格" in message


def test_the_cells_of_every_sheet_read_count_toward_one_uploads_limit(monkeypatch):
    """Checked again from the grids the reader built, for the formats no repeat count describes (a zip's XML)."""
    monkeypatch.setenv("UNIONSTATS_MAX_UPLOAD_CELLS", "20000")
    monkeypatch.setenv("UNIONSTATS_SANDBOX", "0")
    rows = [["2024-04-01", "春游", 30]] * 5000
    visits = [["日期", "事由", "对象类别", "人次"]] + [["2024-04-01", "住院", "会员", 1]] * 2000
    fine = load_bytes(workbook_bytes({"活动": [HEADER, *rows]}), "one.xlsx")
    assert not fine.report.errors and fine.row_count == 5000
    message = only_error(load_bytes(workbook_bytes({"活动": [HEADER, *rows], "慰问": visits}), "two.xlsx"))
    cells = len(rows) * len(HEADER) + (len(visits) - 1) * len(visits[0])
    assert f"合计有 {cells:,} 个单元格，超过一次上传 20,000 个单元格的上限" in message
