"""The command line's batch commands: `import` workbooks into the store, list its `batches`, `delete` and
`restore` one; each outcome is said as the store's wording has it.
"""

from __future__ import annotations

import argparse
import sys

from unionstats.cli.exits import HAS_ERRORS, OK, StoreFailure, UsageError
from unionstats.cli.sources import open_store, unit_name_of
from unionstats.intake.report import Issue
from unionstats.writing.chinese import local_time
from unionstats.writing.wording import COMMAND_LINE, error_text, import_text, outcome_text, state_text

MAX_BATCH = 2**31 - 1  # batches.id is an Integer: 32 bits on PostgreSQL


def run_import(args: argparse.Namespace) -> int:
    given = unit_name_of(args)
    store = open_store(args)
    results = [store.import_path(f, replace=args.replace, skip_bad_rows=args.skip_bad_rows, unit_name=given)
               for f in args.files]
    for result in results:
        print(import_text(result, COMMAND_LINE), file=sys.stdout if result.ok else sys.stderr)
    return OK if all(r.ok for r in results) else HAS_ERRORS


def run_batches(args: argparse.Namespace) -> int:
    store = open_store(args)
    frame = store.batches()
    if frame.empty:
        print("数据库中还没有导入任何批次")
        return OK
    print("批次  文件  单位  日期范围  行数  跳过  导入时间  导入人  状态")
    for b in frame.itertuples():
        state = state_text(b.state, b.replaced_by, b.set_aside)
        when = local_time(b.imported_at)
        print(f"{b.id}  {b.file_name}  {b.units}  {b.period_start}至{b.period_end}  {b.rows}  {b.skipped_rows}  "
              f"{when}  {b.imported_by}  {state}")
        if b.skipped_rows:
            for issue in store.batch_issues(b.id).itertuples():
                if issue.level == "error":
                    where = Issue("error", "", sheet=issue.sheet, row=issue.row, column=issue.column,
                                  cell=issue.cell).where()
                    print(f"    跳过：{where}{'：' if where else ''}{issue.message}")
    return OK


def run_delete(args: argparse.Namespace) -> int:
    batch = batch_number(args.batch)
    return store_action(lambda store: store.delete(batch), args)


def run_restore(args: argparse.Namespace) -> int:
    batch = batch_number(args.batch)
    return store_action(lambda store: store.restore(batch, replace=args.replace), args)


def store_action(action, args: argparse.Namespace) -> int:
    from unionstats.store.batches import StoreError

    try:
        print(outcome_text(action(open_store(args)), COMMAND_LINE))
    except StoreError as exc:
        raise StoreFailure(error_text(exc, COMMAND_LINE)) from None
    return OK


def batch_number(text: str) -> int:
    """A batch number as `batches` lists them: a whole number from 1 to MAX_BATCH (a larger one no database
    holds, and handed to one it raised OverflowError or DataError)."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if not 1 <= number <= MAX_BATCH:
        raise UsageError(f"批次号应为 1 至 {MAX_BATCH} 之间的整数，而不是“{text}”；现有批次可用 batches 命令查看")
    return number
