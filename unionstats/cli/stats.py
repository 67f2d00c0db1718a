"""The command line's `stats` and `summary` commands: a period's figures as lines or JSON, and the 工作总结 as
text, Markdown or a Word document.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from unionstats.cli.exits import HAS_ERRORS, OK, StoreFailure, UsageError
from unionstats.cli.sources import period_of, source_dataset, view_of
from unionstats.contract import registry
from unionstats.figures.typed import Figures


def run_stats(args: argparse.Namespace) -> int:
    from unionstats.figures.engine import figures

    period = period_of(args)
    dataset = source_dataset(args)
    if dataset is None:
        return HAS_ERRORS
    return print_figures(figures(dataset, period, args.unit), args.json)


def print_figures(result: Figures, as_json: bool) -> int:
    print(json.dumps(result.to_json(), ensure_ascii=False, indent=2) if as_json else plain_figures(result))
    return OK


def plain_figures(result: Figures) -> str:
    period = result.period.label if result.period else "（无数据）"
    return "\n".join([f"统计期：{period}", *(text for kind in registry.registered() if kind.line and (text := kind.line(result)))])


def run_summary(args: argparse.Namespace) -> int:
    period_of(args)  # (a period that cannot be read is said before a file name)
    if args.docx and Path(args.docx).suffix.lower() != ".docx":
        raise UsageError("Word 文件名应以 .docx 结尾")
    view = view_of(args)
    if view is None:
        return HAS_ERRORS
    _result, _organisation, summary = view
    print(summary.markdown() if args.markdown else summary.text(), end="")
    if args.docx:
        from unionstats.exports.docx import write_docx

        try:
            write_docx(summary, args.docx)
        except OSError as exc:
            raise StoreFailure(f"无法写入 {args.docx}：{exc.strerror or exc}") from None
        print(f"\n已保存 Word 文档：{args.docx}", file=sys.stderr)
    return OK
