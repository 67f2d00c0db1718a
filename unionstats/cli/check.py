"""The command line's `check` command: each workbook read and said to pass or not, with its errors and warnings
(also as JSON); `describe` is how the other commands say a file is unusable.
"""

from __future__ import annotations

import argparse
import json

from unionstats.cli.exits import HAS_ERRORS, OK
from unionstats.contract import registry
from unionstats.intake.model import Dataset
from unionstats.intake.report import LoadReport

MAX_ISSUES_SHOWN = 200


def load(files: list[str]) -> list[Dataset]:
    from unionstats.intake.loading import load_path

    return [load_path(f) for f in files]


def run_check(args: argparse.Namespace) -> int:
    datasets = load(args.files)
    if args.json:
        payload = [dict(file=d.sources[0], ok=d.report.ok, rows=row_counts(d), issues=d.report.records())
                   for d in datasets]
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for dataset in datasets:
            print(describe(dataset))
    return OK if all(d.report.ok for d in datasets) else HAS_ERRORS


def row_counts(dataset: Dataset) -> dict[str, int]:
    return {key: len(frame) for key, frame in dataset.present_frames().items()}


def describe(dataset: Dataset) -> str:
    report = dataset.report
    name = dataset.sources[0] if dataset.sources else ""
    counts = "，".join(f"{registry.sheet(key).name} {len(frame)} 行" for key, frame in dataset.present_frames().items())
    if report.ok:
        verdict = f"通过：{counts}" + (f"；{len(report.warnings)} 个警告" if report.warnings else "")
    else:
        verdict = f"未通过：{len(report.errors)} 个错误、{len(report.warnings)} 个警告；请改正错误后重新检查"
    return "\n".join([f"{name}：{verdict}", *issue_lines(report)])


def issue_lines(report: LoadReport) -> list[str]:
    shown = report.issues[:MAX_ISSUES_SHOWN]
    lines = [f"  {i.text()}" + (f"（原值：{i.value}）" if i.value and i.value not in i.message else "")
             for i in shown]
    if len(report.issues) > len(shown):
        lines.append(f"  ……另有 {len(report.issues) - len(shown)} 条未列出（用 --json 查看全部）")
    return lines
