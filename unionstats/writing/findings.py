"""经费合规 in words and tables: what a check found, by rule and by unit, each finding's place, the rule versions,
and the rows of a workbook about to be imported that go over a cap.

Nothing here names a 对象: a Check carries no names, and no table is joined back to the rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import pandas as pd

from unionstats.compliance.check import AMOUNT, Check, Finding
from unionstats.compliance.rules import RuleSet, Version, is_cap
from unionstats.contract import registry
from unionstats.writing.chinese import listing, local_time, yuan

NO_UNIT = "（未填单位）"

FINDING_COLUMNS = ["批次", "工作表", "行", "日期", "单位", "标准", "口径", "金额（元）", "上限（元）", "超出（元）"]
IMPORT_COLUMNS = ["工作表", "行", "列", "日期", "单位", "金额（元）", "上限（元）", "标准"]
RULE_COLUMNS = ["标准", "口径", "适用", "上限（元）", "依据条文"]
VERSION_COLUMNS = ["版本", "状态", "保存人", "保存时间", "说明", "标准文件"]

AMOUNT_NOTE = ("“金额”是按口径核对的金额：每人每次为该行金额除以人次；每人每年为该会员当年截至该行的累计；"
               "活动人均为活动支出除以参与人次。“超出”是该金额高于上限的部分；超出金额合计按每行多花的钱计算"
               "（人均超出乘以人次；会员全年累计只计使其超出的部分）。")
UNNAMED_NOTE = ("这些慰问行没有填写对象，或一行记了多个人次，无法按人累计全年金额，只能按人均金额与每人每年的上限比较；"
                "其中的人是否超过全年上限无法判断。")
UNCHECKED_NOTE = "这些行早于第一版经费标准的执行日期，或按人均核对却没有填写人次（参与人次），因此没有核对。"


def amount_column(sheet_key: str) -> str:
    """The amount column's Chinese header in that sheet (金额 in 慰问, 支出 in 活动)."""
    return registry.sheet(sheet_key).column(AMOUNT[sheet_key]).name


def unit_name(unit: str) -> str:
    return unit or NO_UNIT


def findings_table(check: Check) -> pd.DataFrame:
    """Every finding with where it is: batch, sheet, Excel row, date, unit; the amount checked, the cap and by how
    much it went over. No names."""
    frame = pd.DataFrame([{
        "批次": f.batch, "工作表": f.sheet, "行": f.row, "日期": f.date,
        "单位": unit_name(f.unit), "标准": f.rule.name, "口径": f.rule.scope, "金额（元）": f.amount,
        "上限（元）": f.cap, "超出（元）": f.over,
    } for f in check.findings], columns=FINDING_COLUMNS)
    return frame.astype({"批次": "Int64", "行": "int64"})


def _summed(findings: Sequence[Finding], key, first: str) -> pd.DataFrame:
    counts: dict[str, list[float]] = {}
    for f in findings:
        entry = counts.setdefault(key(f), [0, 0.0])
        entry[0] += 1
        entry[1] += f.excess
    frame = pd.DataFrame([{first: name, "超标记录": int(n), "超出金额（元）": round(over, 2)}
                          for name, (n, over) in counts.items()], columns=[first, "超标记录", "超出金额（元）"])
    return frame.sort_values(["超标记录", "超出金额（元）", first], ascending=[False, False, True],
                             kind="stable").reset_index(drop=True)


def by_rule(check: Check) -> pd.DataFrame:
    """超标记录 and 超出金额 (each row's money above its cap, as Check.over adds it) per rule (by its name and
    口径), most findings first."""
    return _summed(check.findings, lambda f: f"{f.rule.name}（{f.rule.scope}）", "标准")


def by_unit(check: Check) -> pd.DataFrame:
    """超标记录 and 超出金额 per unit, most findings first."""
    return _summed(check.findings, lambda f: unit_name(f.unit), "单位")


def rows_over(check: Check) -> int:
    """How many rows went over (a row over two caps is one row)."""
    return len({(f.source, f.batch, f.sheet, f.row) for f in check.findings})


def import_table(check: Check) -> pd.DataFrame:
    """An uploaded workbook's rows over a cap, named as the clerk finds them: sheet, Excel row, the amount's
    column; the date, the unit, the amount checked, the cap and the rule."""
    return pd.DataFrame([{
        "工作表": f.sheet, "行": f.row, "列": amount_column(f.rule.sheet), "日期": f.date, "单位": unit_name(f.unit),
        "金额（元）": f.amount, "上限（元）": f.cap, "标准": f"{f.rule.name}（{f.rule.scope}）",
    } for f in check.findings], columns=IMPORT_COLUMNS)


def import_warning_text(check: Check) -> str:
    return f"以下 {rows_over(check)} 行超出经费标准，可在导入前更正："


def rules_table(rules: RuleSet) -> pd.DataFrame:
    """A set's rules: name, 口径, what it covers, the cap, the document's words."""
    return pd.DataFrame([{"标准": r.name, "口径": r.scope, "适用": r.covers, "上限（元）": r.cap,
                          "依据条文": r.article} for r in rules.rules], columns=RULE_COLUMNS)


def version_state(version: Version, versions: Sequence[Version], today: dt.date) -> str:
    """现行 (in force today), 已被替代 (a later one has started), 尚未执行 (starts after today)."""
    if version.start > today:
        return "尚未执行"
    started = [v for v in versions if v.start <= today]
    return "现行" if started and started[-1] == version else "已被替代"


def versions_table(versions: Sequence[Version], today: dt.date | None = None) -> pd.DataFrame:
    """The versions a check uses, in the order they start: label, state, document, who saved it, when, why."""
    today = today or dt.date.today()
    return pd.DataFrame([{
        "版本": v.label, "状态": version_state(v, versions, today), "标准文件": v.rules.cited,
        "保存人": v.saved_by if v.number else "内置", "保存时间": local_time(v.saved_at) if v.saved_at else "",
        "说明": v.note,
    } for v in versions], columns=VERSION_COLUMNS)


def basis_lines(versions: Sequence[Version]) -> list[str]:
    """Each version a check used, with the document it follows: 安徽省标准（…起执行）：《…》（…）."""
    return [f"{v.label}：{v.rules.cited}" for v in versions]


def count_text(count: int) -> str:
    return f"{count}条"


def money_text(amount: float) -> str:
    return yuan(amount)


def clean_text(check: Check, period: str) -> str:
    """The sentence when nothing went over."""
    if not check.checked:
        return f"{period}没有需要按经费标准核对的慰问或活动记录。"
    return f"{period}已核对的 {check.checked} 条慰问和活动记录均未超出经费标准。"


def overview_text(check: Check) -> str:
    """总览's line for 管理 (one line on a phone too)."""
    return f"经费合规：本期有 {len(check.findings)} 条记录超出经费标准"


def cap_problem(rules: RuleSet, caps: dict[str, object]) -> str:
    """What is wrong with edited caps, naming each rule by its name ("" when each is an amount above 0)."""
    names = {rule.key: rule.name for rule in rules.rules}
    wrong = [names.get(key, key) for key, cap in caps.items() if not is_cap(cap)]
    return f"{'、'.join(wrong)}的上限应为大于 0 的金额（元）" if wrong else ""


def saved_text(version: Version) -> str:
    """The outcome of a save, said once on the next run."""
    return f"已保存经费标准{version.label}；此后的核对按新版本进行，旧版本仍保留"


def place(finding: Finding) -> str:
    """Where the row came from: its stored batch (第3批), else its file."""
    return f"第{finding.batch}批" if finding.batch is not None else finding.source


def basis(versions: Iterable[Version]) -> str:
    """The documents and versions a check used: 依据《…》（2018年3月12日），按安徽省标准（2018年3月12日起执行）;
    a document of several versions is cited once, its versions listed after it, documents apart by ；."""
    by_document: dict[str, list[str]] = {}
    for version in versions:
        by_document.setdefault(version.rules.cited, []).append(version.label)
    return "；".join(f"依据{cited}，按{listing(labels)}" for cited, labels in by_document.items())
