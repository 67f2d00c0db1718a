"""What a command's figures are made of: the workbooks given or the store, the period and units asked for, the
union a document is for and the units due to report; an empty view is said on stderr and makes nothing.
"""

from __future__ import annotations

import argparse
import sys

from unionstats.cli.check import describe, load
from unionstats.cli.exits import StoreFailure, UsageError
from unionstats.figures.typed import Figures
from unionstats.intake import naming
from unionstats.intake.model import Dataset


def open_store(args: argparse.Namespace):
    from sqlalchemy.exc import SQLAlchemyError

    from unionstats.store.batches import Store
    from unionstats.store.database import StoreSettingError

    try:
        return Store(args.db)
    except StoreSettingError as exc:
        raise StoreFailure(f"数据库设置有误（{'--db' if args.db else '环境变量 UNIONSTATS_DB'}）：{exc}") from None
    except (SQLAlchemyError, RuntimeError, ImportError, ValueError, OSError) as exc:
        detail = str(exc).splitlines()[0] if isinstance(exc, RuntimeError) else type(exc).__name__
        if isinstance(exc, OSError):
            detail = exc.strerror or detail
        raise StoreFailure(f"无法打开数据库（{detail}），请检查 --db 或 UNIONSTATS_DB 的地址") from None


def period_of(args: argparse.Namespace):
    from unionstats.contract.periods import parse_period

    try:
        return parse_period(args.period) if args.period else None
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def source_dataset(args: argparse.Namespace) -> Dataset | None:
    """The files' data, or the store's when no file is given; None (errors printed) when a file is unusable."""
    if not args.files:
        return open_store(args).dataset()
    given = unit_name_of(args)
    datasets = [named(d, naming.given_or_title(d, given)) for d in load(args.files)]
    usable = [d for d in datasets if d.report.ok or (args.skip_bad_rows and d.row_count)]
    for dataset in datasets:
        if not dataset.report.ok:
            print(describe(dataset), file=sys.stderr)
    if len(usable) < len(datasets):
        print("有文件未通过检查，未作统计。改正后重试，或加 --skip-bad-rows 跳过有错误的行。", file=sys.stderr)
        return None
    return Dataset.combine(usable)


def unit_name_of(args: argparse.Namespace) -> str:
    """--unit-name, cleaned as a unit's name (a usage error when it is too long for one)."""
    try:
        return naming.clean_name(args.unit_name)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def named(dataset: Dataset, name: str) -> Dataset:
    """A workbook read without a store: rows without a unit take `name` (naming.given_or_title), never the file's."""
    return naming.named(dataset, name) if name else dataset


def said_empty(args: argparse.Namespace, dataset: Dataset, result: Figures) -> bool:
    """Whether the figures hold no row, said on stderr with the nearest period of the same kind that has some:
    nothing is written of an empty period."""
    from unionstats.figures.nearest import nearest_period, no_data_text

    if not result.empty:
        return False
    if result.period is None:
        print("工作簿中没有任何数据行" if args.files else "还没有任何数据，请先用 import 命令导入工作簿",
              file=sys.stderr)
        return True
    nearest = nearest_period(dataset, result.period, args.unit)
    hint = f"，可用 --period {nearest.code} 查看" if nearest is not None else ""
    print(f"{no_data_text(result.period, args.unit, nearest)}{hint}；未生成任何内容", file=sys.stderr)
    return True


def organisation_for(args: argparse.Namespace, dataset: Dataset, result: Figures) -> tuple[str, list[str]]:
    """The union a document of the view `result` is for (--unit-name, else organisation.organisation_name: the
    one unit of its rows, else the store's setting) and the units that were due to report in its period
    (due.due_units: the store's 单位名录, else who reported in the period before or a year before)."""
    from unionstats.figures.due import due_units
    from unionstats.writing.organisation import organisation_name, union_name

    setting = args.unit_name if args.unit_name is not None else "" if args.files else open_store(args).organisation()
    units = args.unit or None
    name = union_name(args.unit_name) if args.unit_name else organisation_name(dataset, units, setting, result)
    listed = None if args.files else open_store(args).directory()
    return name, due_units(dataset, listed, result.period, units)


def view_of(args: argparse.Namespace):
    """The figures, the organisation and the 工作总结 a deck or the pictures are made of; None when a file
    is unusable or the period holds no row (either said on stderr)."""
    from unionstats.figures.engine import figures
    from unionstats.writing.summary import write_summary

    period = period_of(args)
    dataset = source_dataset(args)
    if dataset is None:
        return None
    result = figures(dataset, period, args.unit)
    if said_empty(args, dataset, result):
        return None
    organisation, due = organisation_for(args, dataset, result)
    return result, organisation, write_summary(result, organisation, due)
