"""The one-line verdicts and the tables the pages show."""

from unionstats.exports import tables
from unionstats.intake.loading import rejected


def test_a_file_refused_as_a_whole_says_why_in_its_verdict():
    dataset = rejected("far.xlsx", "读取这个文件所需的内存超过了上限（4,096 MB），已停止读取。")
    assert tables.verdict(dataset) == "无法使用这个文件：读取这个文件所需的内存超过了上限（4,096 MB），已停止读取。"


def test_the_audit_table_names_batches_actions_and_the_machine_itself():
    import datetime as dt

    import pandas as pd

    at = dt.datetime(2026, 3, 1, 8, 30, tzinfo=dt.timezone.utc)
    entries = pd.DataFrame({
        "at": [at, at], "actor": ["张科长", "本机"], "role": ["管理", "管理"], "action": ["delete", "user_add"],
        "ok": [True, False], "batch_id": [3, None], "file_name": ["q1.xlsx", ""], "units": ["一中", ""],
        "address": ["10.0.0.7", ""], "detail": ["", "新建账号“李主席”"]})
    table = tables.audit_table(entries)
    assert table[["用户", "操作", "结果", "批次", "地址"]].values.tolist() == [
        ["张科长", "删除批次", "成功", "第3批", "10.0.0.7"], ["本机", "新建账号", "失败", "", "本机"]]
    assert tables.audit_table(entries.iloc[:0]).columns.tolist()[:4] == ["时间", "用户", "角色", "操作"]
