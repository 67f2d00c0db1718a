"""The command line's `units` command: the 单位名录 read, filled from 单位信息, changed one unit at a time or
loaded from a CSV file.

It acts as the machine's operator (access.operator), like `settings`, and every change lands in the audit trail.
A problem with what was given is one Chinese line per bad cell (the CSV file's line, the column), exit code 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from unionstats.store.access import operator


def add_parser(commands, add_db) -> None:
    units = commands.add_parser("units",
                                help="单位名录：各单位的会员人数和是否应报送（list、import-info、set、remove、load）")
    add_db(units)
    actions = units.add_subparsers(dest="action", parser_class=type(units))
    add_db_after(actions.add_parser("list", help="列出单位名录（不给子命令时也是列出）"))
    add_db_after(actions.add_parser("import-info",
                                    help="从已导入的单位信息补充单位名录：写明名称的单位及其最新会员人数"))
    one = actions.add_parser("set", help="新增或修改一个单位")
    one.add_argument("name", metavar="NAME", help="单位名称")
    one.add_argument("--members", metavar="N", help="会员人数（1 至 1亿 的整数；给空字符串则清除）")
    due = one.add_mutually_exclusive_group()
    due.add_argument("--due", dest="due", action="store_const", const=True, help="应报送（新单位默认应报送）")
    due.add_argument("--not-due", dest="due", action="store_const", const=False, help="不需报送")
    add_db_after(one)
    remove = actions.add_parser("remove", help="从单位名录中删除一个单位")
    remove.add_argument("name", metavar="NAME")
    add_db_after(remove)
    load = actions.add_parser("load", help="用 CSV 文件（列：单位、会员人数、应报送）替换整个单位名录")
    load.add_argument("file", metavar="FILE.csv")
    add_db_after(load)


def add_db_after(action: argparse.ArgumentParser) -> None:
    """--db after the action too (`units set 一中 --members 80 --db URL`). Not given there, it leaves the value
    given before the action alone: argparse copies a subcommand's defaults over its parent's."""
    action.add_argument("--db", metavar="URL", default=argparse.SUPPRESS,
                        help="数据库地址（SQLAlchemy URL），默认 data/unionstats.db")


def run_units(args: argparse.Namespace, open_store) -> int:
    from unionstats.store import directory  # (here: a command that opens no store does not load SQLAlchemy)
    from unionstats.store.batches import current_user

    store = open_store(args)
    actor = operator(current_user())
    action = args.action or "list"
    try:
        if action == "list":
            return print_directory(store.directory())
        if action == "import-info":
            done = store.import_directory(actor)
        elif action == "load":
            done = store.replace_directory(actor, *read_file(args.file))
        else:
            listed = store.directory()
            if action == "set":
                members = directory.KEEP if args.members is None else args.members
                changed = directory.with_unit(listed, args.name, members, args.due)
            else:
                changed = directory.without_unit(listed, args.name)
            done = store.replace_directory(actor, changed)
    except directory.DirectoryError as exc:
        print("单位名录未保存：", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print(done.text())
    return 0


def read_file(name: str):
    from unionstats.store import directory

    try:
        data = Path(name).read_bytes()
    except OSError as exc:
        raise directory.DirectoryError([f"无法读取 {name}：{exc.strerror or exc}"]) from None
    return directory.read_csv(data)


def print_directory(frame) -> int:
    if frame.empty:
        print("还没有单位名录：未报送数据的单位按上一期或去年同期报送过数据的单位判断。"
              "可用 units import-info 从单位信息导入，或用 units set、units load 设置")
        return 0
    print("单位  会员人数  应报送")
    for unit, members, due in zip(frame["unit"], frame["members"], frame["due"]):
        print(f"{unit}  {'—' if pd.isna(members) else int(members)}  {'是' if due else '否'}")
    return 0
