"""The command line's `compliance` command (经费合规): the store's rows, or the workbooks given, checked against
the spending caps in force on each row's date; the findings as lines or JSON, and the 审计自查 report as a Word
file (`--report`).

The caps are the store's rule versions (数据管理's 经费标准), or with `--rules` one set for every date: a
built-in province (anhui, guizhou) or a TOML rule file. Exit 1 when any row is over a cap, 0 when none is.
No output names a 对象: a finding says where its row is (batch or file, sheet, row).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from unionstats.cli.exits import HAS_ERRORS, OK, StoreFailure, UsageError
from unionstats.cli.sources import open_store, organisation_for, period_of, source_dataset
from unionstats.compliance.check import Check, Finding, check
from unionstats.compliance.rules import (
    ACTIVITY_HEAD,
    MEMBER_YEAR,
    PERSON_EVENT,
    RECORD,
    RuleError,
    RuleSet,
    Version,
    builtin,
    builtin_keys,
    loads,
)
from unionstats.writing.chinese import first_few, yuan
from unionstats.writing.findings import basis, place

REPORT_SUFFIXES = (".docx",)
# the amount a cap is on, in words
CHECKED = {RECORD: "金额", PERSON_EVENT: "人均", MEMBER_YEAR: "全年累计", ACTIVITY_HEAD: "活动人均"}


def add_parser(commands, add_db, add_unit_name) -> None:
    command = commands.add_parser(
        "compliance", help="经费合规：核对慰问、活动支出是否超出经费标准（不给文件时核对数据库）",
        description="逐条核对慰问和活动支出是否超出所依据经费标准的上限。有超标记录时退出码为 1，没有时为 0。")
    command.add_argument("files", nargs="*", metavar="FILE")
    command.add_argument("--period", help="核对期，写法同 stats")
    command.add_argument("--unit", action="append", help="只核对该单位（可重复）")
    command.add_argument("--rules", metavar="NAME",
                         help=f"改用内置标准（{'、'.join(builtin_keys())}）或 TOML 标准文件的路径，"
                              "对所有日期适用；不给时用数据库中设置的经费标准")
    command.add_argument("--json", action="store_true", help="以 JSON 输出")
    command.add_argument("--report", metavar="OUT.docx", help="同时生成审计自查情况报告（Word 文档）")
    command.add_argument("--skip-bad-rows", action="store_true", help="跳过有错误的行，照常核对其余行")
    add_unit_name(command)
    add_db(command)


def rule_versions(args: argparse.Namespace) -> list[Version]:
    """--rules as one version in force from its document's date, else the store's versions."""
    if not args.rules:
        return open_store(args).rules.versions()
    rules = read_rules(args.rules)
    return [Version(rules, rules.date)]


def read_rules(name: str) -> RuleSet:
    """A built-in set by its name, else a TOML rule file; what cannot be used is a StoreFailure in Chinese."""
    try:
        if name in builtin_keys():
            return builtin(name)
        path = Path(name)
        if not path.is_file():
            raise RuleError(f"没有名为“{name}”的内置经费标准，也没有这个标准文件；"
                            f"内置标准可选：{'、'.join(builtin_keys())}")
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise RuleError(f"标准文件 {path.name} 不是 UTF-8 编码的文本文件") from None
        except OSError as exc:
            raise RuleError(f"无法读取标准文件 {path.name}：{exc.strerror or exc}") from None
        return loads(text, f"标准文件 {path.name} ")
    except RuleError as exc:
        raise StoreFailure(f"经费标准不能使用：{exc}") from None


def run_compliance(args: argparse.Namespace) -> int:
    from unionstats.figures.engine import figures

    period = period_of(args)
    if args.report and Path(args.report).suffix.lower() not in REPORT_SUFFIXES:
        raise UsageError("自查报告文件名应以 .docx 结尾")
    versions = rule_versions(args)
    if args.files:  # rows read now, never stored: a finding names its file
        dataset = source_dataset(args)
        if dataset is None:
            return HAS_ERRORS
        frames = dataset.tables
    else:  # stored rows: a finding names its batch
        store = open_store(args)
        dataset, frames = store.dataset(), store.dataset(located=True).tables
    result = check(frames, versions, period, args.unit)
    if args.json:
        print(json.dumps(as_json(result, period, args.unit), ensure_ascii=False, indent=2))
    else:
        print(plain(result, period, args.unit))
    if args.report:
        if not result.checked and not result.unchecked:
            print("该范围内没有慰问或活动记录，未生成自查报告", file=sys.stderr)
            return HAS_ERRORS
        view = figures(dataset, period, args.unit)
        organisation, _due = organisation_for(args, dataset, view)
        label = period.label if period else view.period.label if view.period else ""
        write_report(args.report, result, organisation, label, scope_of(args.unit, view.units))
    return HAS_ERRORS if result.findings else OK


def write_report(target: str, result: Check, organisation: str, period_label: str, scope: str) -> None:
    from unionstats.exports.selfcheck import selfcheck_docx

    try:
        Path(target).write_bytes(selfcheck_docx(result, organisation, period_label, scope))
    except OSError as exc:
        raise StoreFailure(f"无法写入 {target}：{exc.strerror or exc}") from None
    print(f"已保存自查报告：{target}", file=sys.stderr)


def scope_of(chosen: list[str] | None, present) -> str:
    """The units covered, in words: those chosen, else those with rows (本单位 when there is only one)."""
    units = list(chosen or present or [])
    if chosen:
        return first_few(units)
    if len(units) <= 1:
        return "本单位"
    return f"{first_few(units, 3)}{len(units)}个单位"


def where(finding: Finding) -> str:
    return f"{place(finding)} {finding.sheet} 第{finding.row}行"


def plain(result: Check, period, units: list[str] | None) -> str:
    lines = [f"经费合规核对：{period.label if period else '全部数据'}"
             + (f"，{'、'.join(units)}" if units else "")]
    lines += [f"依据：{version.label}，{version.rules.cited}" for version in result.versions] or [
        "依据：无（该期间没有执行中的经费标准）"]
    lines.append(f"核对 {result.checked} 条记录，超标 {len(result.findings)} 条"
                 + (f"，超出合计 {yuan(result.over)}" if result.findings else ""))
    if result.unnamed:
        lines.append(f"按年度限额只能按人均核对（未写对象或多人次）：{result.unnamed} 条")
    if result.unchecked:
        lines.append(f"未能核对（早于标准执行日期，或活动未填参与人次）：{result.unchecked} 条")
    if not result.findings:
        lines.append("未发现超出标准的记录")
    for finding in result.findings:
        lines.append(f"  {where(finding)}  {finding.date.isoformat()}  {finding.unit}  "
                     f"{finding.rule.name}（{finding.rule.scope}）  "
                     f"{CHECKED[finding.rule.per]} {finding.amount:.2f}元，上限 {finding.cap:.2f}元，"
                     f"超出 {finding.over:.2f}元")
    return "\n".join(lines)


def as_json(result: Check, period, units: list[str] | None) -> dict:
    return {
        "period": period.label if period else None,
        "units": units or None,
        "versions": [{"label": v.label, "document": v.rules.cited, "rules": v.rules.key,
                      "province": v.rules.province, "number": v.number, "start": v.start.isoformat()}
                     for v in result.versions],
        "basis": basis(result.versions),
        "checked": result.checked, "found": len(result.findings), "over": result.over,
        "unnamed": result.unnamed, "unchecked": result.unchecked,
        "findings": [{"rule": f.rule.key, "rule_name": f.rule.name, "scope": f.rule.scope, "version": f.version.label,
                      "amount": f.amount, "cap": f.cap, "over": f.over, "excess": f.excess,
                      "date": f.date.isoformat(), "unit": f.unit,
                      "batch": f.batch, "file": f.source, "sheet": f.sheet, "row": f.row, "people": f.people}
                     for f in result.findings],
    }

