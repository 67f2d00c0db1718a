"""The command line's commands that write files: the 汇报PPT (`deck`), the charts as PNG pictures (`charts`), the
store's rows as a workbook (`export`) and the blank template (`template`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from unionstats.cli.exits import HAS_ERRORS, OK, StoreFailure, UsageError
from unionstats.cli.sources import open_store, view_of


def run_deck(args: argparse.Namespace) -> int:
    from unionstats.exports.deck import write_deck

    *args.files, out = args.paths
    if Path(out).suffix.lower() != ".pptx":
        raise UsageError("最后一个参数应为以 .pptx 结尾的 PPT 文件名")
    view = view_of(args)
    if view is None:
        return HAS_ERRORS
    result, organisation, summary = view
    try:
        write_deck(result, organisation, out, summary)
    except OSError as exc:
        raise StoreFailure(f"无法写入 {out}：{exc.strerror or exc}") from None
    print(f"已生成汇报PPT：{out}")
    return OK


def run_charts(args: argparse.Namespace) -> int:
    from unionstats.exports.pictures import PictureError, write_pngs

    args.files = args.paths
    view = view_of(args)
    if view is None:
        return HAS_ERRORS
    result, organisation, _ = view
    try:
        written = write_pngs(result, organisation, args.png)
    except PictureError as exc:
        raise StoreFailure(str(exc)) from None
    except OSError as exc:
        raise StoreFailure(f"无法写入 {args.png}：{exc.strerror or exc}") from None
    print(f"已保存 {len(written)} 张图表到 {args.png}" if written else "所选范围内没有可画的图表")
    for path in written:
        print(f"  {path.name}")
    return OK


def run_export(args: argparse.Namespace) -> int:
    from unionstats.exports.workbook import write_dataset
    from unionstats.store.access import operator
    from unionstats.store.batches import current_user

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise UsageError("导出文件名应以 .xlsx 结尾")
    store = open_store(args)
    dataset = store.dataset()
    store.exported(operator(current_user()), full=args.with_names, file_name=out.name)
    try:
        write_dataset(dataset, out, with_names=args.with_names)
    except OSError as exc:
        raise StoreFailure(f"无法写入 {out}：{exc.strerror or exc}") from None
    print(f"已导出 {dataset.row_count} 行到 {out}" + ("（含慰问对象姓名）" if args.with_names else ""))
    return OK


def run_template(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise UsageError("模板文件名应以 .xlsx 结尾")
    from unionstats.exports.template import write_template

    try:
        write_template(out)
    except OSError as exc:
        print(f"无法写入 {out}：{exc.strerror or exc}", file=sys.stderr)
        return HAS_ERRORS
    print(f"已生成空白模板：{out}")
    return OK
