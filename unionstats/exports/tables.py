"""The rows behind a chart, as tables with Chinese headers and never a name.

Pages show these under their charts; the 对象 column (personal data) is
never part of them.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from unionstats.contract import registry
from unionstats.intake.model import Dataset
from unionstats.writing.chinese import local_time

ISSUE_COLUMNS = {"level": "级别", "sheet": "工作表", "row": "行", "column": "列", "cell": "单元格", "value": "原值",
                 "message": "说明"}


def report_table(report) -> pd.DataFrame:
    """A load report as the table the 数据管理 page shows."""
    return issue_table(pd.DataFrame([{key: getattr(i, key) for key in ISSUE_COLUMNS} for i in report.issues],
                                    columns=list(ISSUE_COLUMNS)))


def issue_table(issues: pd.DataFrame) -> pd.DataFrame:
    """Issues (a load report's, or those a batch recorded: its skipped rows' errors and its warnings)."""
    from unionstats.intake.report import LEVEL_LABELS

    table = issues[list(ISSUE_COLUMNS)].rename(columns=ISSUE_COLUMNS).astype({"行": "Int64"})
    table["级别"] = table["级别"].map(LEVEL_LABELS)
    return table.reset_index(drop=True)


def batch_table(batches: pd.DataFrame) -> pd.DataFrame:
    """Stored batches with Chinese headers, newest first; its 状态 beside the batch's number, where a narrow
    screen still shows it."""
    from unionstats.writing.wording import state_text

    if batches.empty:
        return pd.DataFrame(columns=["批次", "状态", "文件", "单位", "起", "止", "行数", "跳过行数", "导入时间",
                                     "导入人"])
    return pd.DataFrame({
        "批次": batches["id"],
        "状态": [state_text(*b) for b in zip(batches["state"], batches["replaced_by"], batches["set_aside"])],
        "文件": batches["file_name"], "单位": batches["units"],
        "起": batches["period_start"], "止": batches["period_end"], "行数": batches["rows"],
        "跳过行数": batches["skipped_rows"],
        "导入时间": [local_time(t) for t in pd.to_datetime(batches["imported_at"])],
        "导入人": batches["imported_by"],
    }).iloc[::-1].reset_index(drop=True)


def preview_table(change) -> pd.DataFrame:
    """The figures of a correction's scope before and after it is imported (preview.Preview)."""
    return pd.DataFrame({"指标": [f.label for f in change.figures], "现在": [f.before for f in change.figures],
                         "替换后": [f.after for f in change.figures]}, dtype="str")


def user_table(users: pd.DataFrame) -> pd.DataFrame:
    """Accounts as 数据管理 lists them: never a hash, only whether there is a password."""
    return pd.DataFrame({
        "用户": users["name"], "角色": users["role"], "单位": ["、".join(u) or "—" for u in users["units"]],
        "登录方式": ["密码" if p else f"统一身份认证（{e or s}）"
                 for p, e, s in zip(users["has_password"], users["email"], users["subject"])],
        "状态": ["已停用" if d else "可用" for d in users["disabled"]],
    })


def audit_table(entries: pd.DataFrame) -> pd.DataFrame:
    """The audit trail with Chinese headers and words, newest first."""
    from unionstats.store.access import shown_address
    from unionstats.store.audit import ACTION_LABELS, COLUMNS

    if entries.empty:
        return pd.DataFrame(columns=list(COLUMNS.values()))
    table = entries[list(COLUMNS)].rename(columns=COLUMNS)
    table["时间"] = [local_time(t) for t in entries["at"]]
    table["操作"] = entries["action"].map(lambda a: ACTION_LABELS.get(a, a))
    table["结果"] = entries["ok"].map({True: "成功", False: "失败"})
    table["批次"] = [f"第{int(b)}批" if pd.notna(b) else "" for b in entries["batch_id"]]
    table["地址"] = entries["address"].map(shown_address)
    return table.reset_index(drop=True)


def _audit_actions() -> dict[str, str | None]:
    from unionstats.store.audit import ACTION_LABELS

    return {"全部": None, **{label: action for action, label in ACTION_LABELS.items()}}


AUDIT_ACTIONS = _audit_actions()  # the 操作 filter of 数据管理: its labels, and the action each stands for


def day_start(day: dt.date | None) -> dt.datetime | None:
    """The first moment of `day` in this machine's time zone, for the audit filter."""
    return None if day is None else dt.datetime.combine(day, dt.time()).astimezone()


def verdict(dataset: Dataset) -> str:
    """One line on an uploaded workbook: passed with its row counts, or failed with what to do."""
    report = dataset.report
    whole_file = [i for i in report.errors if not i.sheet]
    if whole_file and not dataset.row_count:
        return f"无法使用这个文件：{whole_file[0].message}"
    if not report.ok:
        return (f"未通过检查：{len(report.errors)} 个错误、{len(report.warnings)} 个警告。"
                "请按下表改正后重新上传，或选择跳过有错误的行。")
    counts = "，".join(f"{s.name} {len(dataset.frame(s.key))} 行" for s in registry.sheets())
    return f"检查通过：{counts}" + (f"；{len(report.warnings)} 个警告，请看下表" if report.warnings else "")
