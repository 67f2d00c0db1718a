import datetime as dt
import io
import re
import zipfile

import pytest
from workbooks import load, workbook_bytes

from unionstats.intake.loading import load_bytes, load_path
from unionstats.intake.reading import to_array

GOOD = {"活动": [["日期", "活动名称", "参与人次"], ["2024-04-01", "春游", 30]]}


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def only_error(dataset) -> str:
    assert dataset.row_count == 0
    [issue] = dataset.report.issues
    assert issue.level == "error"
    return issue.message


@pytest.mark.parametrize("name, data, says", [
    ("empty.xlsx", b"", "空的"),
    ("garbage.xlsx", b"this is not a spreadsheet" * 10, "文本文件"),
    ("noise.xlsx", bytes(range(256)) * 8, "无法读取"),
    ("garbage.xls", b"\xd0\xcf\x11\xe0 broken ole", "无法读取"),
    ("truncated.xlsx", workbook_bytes(GOOD)[:2000], "无法读取"),
    ("zip-of-garbage.xlsx", zipped({"a.txt": b"hello"}), "没有 Excel 或 WPS 表格"),
    ("letter.docx", zipped({"word/document.xml": b"<w/>"}), "不支持「.docx」"),
    ("list.csv", "日期,活动名称\n".encode(), "不支持「.csv」"),
    ("truncated.ods", workbook_bytes(GOOD, ".ods")[:1500], "无法读取"),
], ids=lambda value: value if isinstance(value, str) and value.isascii() else "")
def test_broken_files_get_one_clear_message(name, data, says):
    message = only_error(load_bytes(data, name))
    assert says in message
    assert "Traceback" not in message


def test_a_missing_path_is_reported(tmp_path):
    assert "找不到" in only_error(load_path(tmp_path / "nope.xlsx"))


def test_merged_cells_take_the_value_excel_shows():
    sheets = {"活动": [["日期", "活动名称", "参与人次", "单位"],
                     ["2024-04-01", "春游", 30, "机关工会"],
                     ["2024-04-02", "读书会", 10, None]]}
    dataset = load(sheets, merged={"活动": ["D2:D3"]})
    assert dataset.events["unit"].tolist() == ["机关工会", "机关工会"]


def test_rows_are_numbered_as_excel_shows_them_in_every_format():
    sheets = {"活动": [[None], ["标题"], [], ["日期", "活动名称", "参与人次"], ["2024-04-01", "春游", "x"]]}
    for fmt in (".xlsx", ".xls", ".ods"):
        [issue] = load(sheets, fmt).report.errors
        assert (issue.row, issue.column) == (5, "参与人次"), fmt


def with_cached_value(data: bytes, formula: str, cached: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                cell = f"<f>{re.escape(formula)}</f><v\\s*(/>|></v>)".encode()
                content, found = re.subn(cell, f"<f>{formula}</f><v>{cached}</v>".encode(), content)
                assert found, "the test workbook should hold the formula with no cached value"
            target.writestr(item, content)
    return buffer.getvalue()


def test_formulas_give_the_value_excel_saved_never_a_recomputed_one():
    rows = [["日期", "活动名称", "参与人次"], ["2024-04-01", "春游", 10], ["2024-04-02", "秋游", "=C2*2"]]
    data = with_cached_value(workbook_bytes({"活动": rows}), "C2*2", "999")
    assert load_bytes(data, "f.xlsx").events["participants"].tolist() == [10, 999]


def test_a_merged_cell_reaching_into_a_blank_row_does_not_make_it_data():
    sheets = {"活动": [["日期", "活动名称", "参与人次", "单位"],
                     ["2024-04-01", "春游", 30, "机关工会"],
                     [None, None, None, None],
                     ["2024-04-02", "读书会", 10, "一分会"]]}
    dataset = load(sheets, merged={"活动": ["D2:D3"]})
    assert dataset.report.ok
    assert dataset.events["unit"].tolist() == ["机关工会", "一分会"]


def test_a_date_cell_out_of_range_is_a_message_not_a_dead_reader():
    """calamine panics (a BaseException) on a date serial of -1e16; found by bench/bench_fuzz.py."""
    import datetime as dt
    import re as regex

    data = workbook_bytes({"活动": [["日期", "活动名称", "参与人次"], [dt.date(2024, 4, 1), "春游", 30]]})
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for member in source.infolist():
            content = source.read(member.filename)
            if member.filename == "xl/worksheets/sheet1.xml":
                content = regex.sub(rb'(<c r="A2"[^>]*>)<v>[^<]*</v>', rb"\1<v>-1e16</v>", content)
            target.writestr(member.filename, content)
    message = only_error(load_bytes(buffer.getvalue(), "far-date.xlsx"))
    assert "工作表「活动」无法读取" in message and "另存为 .xlsx" in message


FOUR_SHEETS = {f"{kind}表": [["日期", "名称", "参与人次"], ["2024-04-01", f"{kind}一", 3]] for kind in "活动 慰问 捐款 比赛".split()}


def test_the_reading_threads_take_the_workbooks_opened_together_and_open_none_of_their_own(monkeypatch):
    from unionstats.intake import reading

    data = workbook_bytes(FOUR_SHEETS)
    workbooks = reading.open_workbooks(data, 2)
    assert len({id(w) for w in workbooks}) == 2 and all(w.sheet_names == list(FOUR_SHEETS) for w in workbooks)
    opened_later = []
    monkeypatch.setattr(reading, "open_workbook", lambda data: opened_later.append(data))
    monkeypatch.setattr(reading, "readers", lambda: 2)
    names = list(FOUR_SHEETS)
    got = {names[index]: sheet.cells[1, 1] for index, sheet in reading.read_sheets(data, names, opened=workbooks)}
    assert got == {name: f"{name[:2]}一" for name in names} and opened_later == []


def test_workbooks_opened_together_from_a_broken_file_give_its_message():
    from unionstats.intake import reading

    with pytest.raises(reading.WorkbookError, match="无法读取此文件"):
        reading.open_workbooks(zipped({"xl/workbook.xml": b"<workbook>"}), 2)
    assert len(reading.open_workbooks(workbook_bytes(GOOD), 1)) == 1


def test_rows_become_a_grid_of_the_same_cells():
    day, name = dt.date(2024, 4, 1), "春游（第3场）"
    grid = to_array([[day, name, 30.0, None], [True, "", 1, dt.datetime(2024, 4, 2, 8)]])
    assert grid.shape == (2, 4) and grid.dtype == object
    assert grid[0, 0] is day and grid[0, 1] is name and grid[0, 3] is None and grid[1, 0] is True
    assert to_array([[1], [1, 2]]).tolist() == [[1, ""], [1, 2]]
    assert to_array([]).shape == (0, 0) and to_array([[], []]).shape == (2, 0)
