"""A reader that dies, hangs or eats memory ends with a Chinese message; the caller goes on."""

import io
import os
import pickle
import time
import zipfile

import pytest
import python_calamine
from workbooks import workbook_bytes

from unionstats.intake import loading, sandbox
from unionstats.intake.loading import load_bytes


@pytest.fixture(autouse=True, params=["forked here", "from the fork server"])
def sandboxed(monkeypatch, request):
    """These tests are about the child process, whatever the environment (mutation testing turns it off), each
    with a child forked by this process (as the command line does) and by the fork server (as the app does)."""
    monkeypatch.setenv("UNIONSTATS_SANDBOX", "1")
    monkeypatch.setattr(sandbox, "single_threaded", lambda: request.param == "forked here")


GOOD = {"活动": [["日期", "活动名称", "参与人次"], ["2024-04-01", "春游", 30]]}


def far_cell_workbook(far: bytes = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>') -> bytes:
    """One cell at XFD1048576: calamine asks for a dense grid of that size and aborts the process."""
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes(GOOD)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for member in source.infolist():
            content = source.read(member.filename)
            if member.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"</sheetData>", far + b"</sheetData>")
            target.writestr(member.filename, content)
    return buffer.getvalue()


def calamine_grid(data: bytes) -> int:
    """A bare calamine read, past every check of ours."""
    return len(python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("活动").to_python())


def hang() -> None:
    time.sleep(60)


def hoard() -> bytes:
    return bytearray(8 << 30)


def exit_badly() -> None:
    os._exit(3)


def pid() -> int:
    return os.getpid()


def test_a_native_reader_that_aborts_ends_in_a_message_and_this_process_goes_on():
    with pytest.raises(sandbox.Refused, match="内存超过了上限"):
        sandbox.run(calamine_grid, far_cell_workbook())
    assert sandbox.run(calamine_grid, workbook_bytes(GOOD)) == 2


def test_a_reader_that_runs_too_long_is_stopped(monkeypatch):
    monkeypatch.setenv("UNIONSTATS_READ_SECONDS", "1")
    started = time.perf_counter()
    with pytest.raises(sandbox.Refused, match="超过 1 秒"):
        sandbox.run(hang)
    assert time.perf_counter() - started < 10


def test_a_reader_that_wants_too_much_memory_is_refused(monkeypatch):
    monkeypatch.setenv("UNIONSTATS_READ_MEMORY_MB", "1024")
    with pytest.raises(sandbox.Refused, match="1,024 MB"):
        sandbox.run(hoard)


def test_a_child_that_exits_without_an_answer_is_reported():
    with pytest.raises(sandbox.Refused, match="代码 3"):
        sandbox.run(exit_badly)


def test_the_reader_runs_in_another_process_unless_switched_off(monkeypatch):
    assert sandbox.run(pid) != os.getpid()
    monkeypatch.setenv("UNIONSTATS_SANDBOX", "0")
    assert sandbox.run(pid) == os.getpid()


def read_unscreened(data: bytes, name: str):
    """The loader as a child runs it, with the screening's cell limit lifted (in the child only)."""
    from unionstats.intake import loading, screening

    screening.MAX_CELLS = 1 << 62
    return loading.read_untrusted(data, name)


def test_a_file_that_slips_past_the_screening_still_gets_a_message():
    dataset = loading.sandboxed(read_unscreened, far_cell_workbook(), "far.xlsx")
    [issue] = dataset.report.issues
    assert (issue.level, issue.file) == ("error", "far.xlsx") and "Ctrl+End" in issue.message
    assert load_bytes(workbook_bytes(GOOD), "good.xlsx").row_count == 1


def test_a_reference_the_screening_does_not_read_is_caught_by_the_memory_limit():
    """`r ="..."` (a space before `=`) is valid XML that calamine reads and the quick scan does not."""
    dataset = load_bytes(far_cell_workbook(b'<row r ="1048576"><c r ="XFD1048576"><v>1</v></c></row>'), "spaced.xlsx")
    [issue] = dataset.report.issues
    assert issue.level == "error" and "内存超过了上限" in issue.message


def frames() -> tuple:
    """A result with large buffers of both kinds a Dataset holds: numpy columns and Arrow strings."""
    import numpy as np
    import pandas as pd

    numbers = np.arange(300_000, dtype=np.int64) * 3
    texts = pd.Series([f"第{i % 200}基层工会" for i in range(300_000)], dtype="str")
    return pd.DataFrame({"n": numbers, "unit": texts, "x": numbers / 7}), numbers[::2]


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counting open files needs /proc")
def test_a_large_result_comes_back_whole_and_writable_and_leaves_no_file_open():
    frame, strided = frames()
    sandbox.run(pid)  # (the fork server, started by the first run, holds a descriptor of its own)
    before = open_descriptors()
    for _ in range(3):
        got, got_strided = sandbox.run(frames)
    assert open_descriptors() == before
    assert got.equals(frame) and got["unit"].iloc[-1] == "第199基层工会" and (got_strided == strided).all()
    got.loc[0, "n"] = -1  # the parent may change what it was given
    assert got["n"].iloc[0] == -1 and got["n"].sum() == frame["n"].sum() - 1


def test_without_a_memory_file_the_result_comes_through_the_pipe(monkeypatch):
    monkeypatch.setattr(sandbox.Handoff, "create", classmethod(lambda cls: None))
    frame, _ = frames()
    assert sandbox.run(frames)[0].equals(frame)


def past_the_file_limit():
    """A result larger than the child may write to its memory file (the limit lowered to 1 MB here)."""
    import resource

    import numpy as np

    resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, resource.RLIM_INFINITY))
    return np.ones(4 << 20, np.uint8)


@pytest.mark.skipif(not hasattr(os, "memfd_create"), reason="no memfd on this system")
def test_a_result_past_the_file_limit_is_refused_as_too_large():
    with pytest.raises(sandbox.Refused, match="内存超过了上限"):
        sandbox.run(past_the_file_limit)


def collector_on() -> bool:
    import gc

    return gc.isenabled()


def test_the_child_reads_without_the_cyclic_collector_and_this_process_keeps_it():
    assert sandbox.run(collector_on) is False
    assert collector_on()


# Every kind of cell the loader words an issue for, a total, an example and merged cells: what a read may keep
FLAWED = {
    "活动": [["2024年活动统计表"], ["日期", "活动名称", "类别", "参与人次", "支出（元）", "备注", "多余的列"],
             ["【示例】2024-01-01", "示例", "文体活动", 10, 100, "", ""],
             ["2024-13-45", "春游\t", "不是类别", "很多", "-5元", "x" * 600, "?"],
             ["2024-04-01", "", "节日活动", 1.5, 1e20, None, None],
             [None, None, None, None, None, None, None],
             ["2024-04-02", "登山", "文体活动", 30, 300, "", ""],
             ["合计", "", "", 99, 999, "", ""]],
    "慰问": [["日期", "事由", "对象类别", "对象", "人次", "金额"], ["昨天", "结婚", "", "张三", 0, "abc"]],
}


def test_a_read_leaves_no_reference_cycles_for_the_collector_to_find(monkeypatch):
    """What the child's read lets go of, reference counting frees: flawed cells, issues and all."""
    import gc

    monkeypatch.setenv("UNIONSTATS_SANDBOX", "0")
    data = workbook_bytes(FLAWED, merged={"活动": ["A1:G1", "B6:C6"]})
    first = load_bytes(data, "flawed.xlsx")  # (modules a read imports for the first time make cycles of their own)
    assert {"error", "warning", "notice"} <= {issue.level for issue in first.report.issues}
    gc.collect()
    gc.disable()
    try:
        again = load_bytes(data, "flawed.xlsx")
        found = gc.collect()
    finally:
        gc.enable()
    assert len(again.report.issues) == len(first.report.issues) and found == 0


def text_frame():
    """Text columns in the shapes a read makes them: one chunk, several chunks (pd.concat), a slice."""
    import pandas as pd

    names = pd.Series([f"职工{i}" for i in range(1000)], dtype="str")
    joined = pd.concat([names, pd.Series(["张三", None, ""], dtype="str")], ignore_index=True)
    return pd.DataFrame({"joined": joined, "sliced": joined.iloc[7:].reset_index(drop=True).reindex(range(1003))})


def test_text_columns_come_back_as_they_were():
    import pandas as pd

    frame = text_frame()
    assert frame["joined"].array._pa_array.num_chunks == 2
    got = sandbox.run(text_frame)
    pd.testing.assert_frame_equal(got, frame)
    assert got["joined"].dtype == "str" and got["joined"].iloc[1001] is frame["joined"].iloc[1001]
    assert got["sliced"].str.len().sum() == frame["sliced"].str.len().sum()


def test_a_text_column_is_pickled_from_the_memory_it_holds_not_from_a_copy():
    import numpy as np
    import pandas as pd

    texts = pd.Series([f"第{i}基层工会" for i in range(10_000)], dtype="str")
    characters = texts.array._pa_array.chunk(0).buffers()[2]
    handed_out: list[memoryview] = []
    payload = sandbox.dumped(texts, lambda buffer: sandbox.in_band(buffer, handed_out))
    addresses = [np.frombuffer(view, np.uint8).__array_interface__["data"][0] for view in handed_out if view.nbytes]
    assert characters.address in addresses
    assert pickle.loads(payload, buffers=handed_out).equals(texts)
