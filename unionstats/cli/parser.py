"""The parser of every command and its options (`python -m unionstats --help`); `arguments` words argparse's
own messages in Chinese.
"""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from unionstats.cli import compliance
from unionstats.cli import units as directory_cli
from unionstats.cli import users as admin
from unionstats.cli.arguments import ChineseParser
from unionstats.cli.exits import USAGE


class Parser(ChineseParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(USAGE, f"用法错误：{message}\n")


def build_parser() -> Parser:
    parser = Parser(prog="python -m unionstats", description="工会活动统计表：检查、统计、模板")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    check = commands.add_parser("check", help="检查工作簿，列出错误与警告")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.add_argument("--json", action="store_true", help="以 JSON 输出检查结果")

    stats = commands.add_parser("stats", help="统计活动、慰问、捐款、比赛数据（不给文件时统计数据库）")
    stats.add_argument("files", nargs="*", metavar="FILE")
    add_db(stats)
    stats.add_argument("--period", help="统计期：2024、2024H1、2024Q2、2024-05 或 2024-01-01..2024-03-31")
    stats.add_argument("--unit", action="append", help="只统计该单位（可重复）")
    stats.add_argument("--json", action="store_true", help="以 JSON 输出")
    stats.add_argument("--skip-bad-rows", action="store_true", help="跳过有错误的行，照常统计其余行")
    stats.add_argument("--unit-name", metavar="NAME", help=ROWS_UNIT_HELP)

    summary = commands.add_parser("summary", help="生成工作总结（不给文件时用数据库中的数据）")
    summary.add_argument("files", nargs="*", metavar="FILE")
    summary.add_argument("--period", help="统计期，写法同 stats")
    summary.add_argument("--unit", action="append", help="只总结该单位（可重复）")
    summary.add_argument("--docx", metavar="OUT.docx", help="同时保存为 Word 文档")
    summary.add_argument("--markdown", action="store_true", help="以 Markdown 输出")
    summary.add_argument("--skip-bad-rows", action="store_true", help="跳过有错误的行")
    add_unit_name(summary)
    add_db(summary)

    deck = commands.add_parser("deck", help="生成汇报PPT（16:9，图表可在 PowerPoint/WPS 中编辑数据）",
                               usage="python -m unionstats deck [FILE...] [--period P] [--unit U ...] [--db URL] "
                                     "OUT.pptx")
    deck.add_argument("paths", nargs="+", metavar="PATH", help="工作簿（不给时用数据库中的数据），最后是 PPT 文件名")
    charts = commands.add_parser("charts", help="把当前范围的每张图表保存为 PNG 图片（宽 1800 像素）")
    charts.add_argument("paths", nargs="*", metavar="FILE")
    charts.add_argument("--png", metavar="DIR", required=True, help="图片保存到该文件夹（按图表标题命名）")
    for command in (deck, charts):
        command.add_argument("--period", help="统计期，写法同 stats")
        command.add_argument("--unit", action="append", help="只含该单位（可重复）")
        command.add_argument("--skip-bad-rows", action="store_true", help="跳过有错误的行")
        add_unit_name(command)
        add_db(command)
        paths_around_options(command)

    template = commands.add_parser("template", help="生成空白填报模板")
    template.add_argument("out", metavar="OUT.xlsx")

    imports = commands.add_parser("import", help="把工作簿导入数据库")
    imports.add_argument("files", nargs="+", metavar="FILE")
    imports.add_argument("--replace", action="store_true", help="替换单位和日期重叠的已导入批次")
    imports.add_argument("--skip-bad-rows", action="store_true", help="跳过有错误的行，导入其余行（跳过的行会记录）")
    imports.add_argument("--unit-name", metavar="NAME", default="",
                         help="工作簿没有写明单位（没有「单位信息」表的单位名称，也没有「单位」列）时，各行的单位名称；"
                              "不给时这样的工作簿不能导入")
    add_db(imports)

    add_db(commands.add_parser("batches", help="列出已导入的批次"))
    for name, text in (("delete", "删除一个批次（保留在历史中，可恢复）"), ("restore", "恢复被删除或被替换的批次")):
        command = commands.add_parser(name, help=text)
        command.add_argument("batch", metavar="BATCH")  # read by batch_number, which words its own usage error
        if name == "restore":
            command.add_argument("--replace", action="store_true", help="替换与它重叠的有效批次")
        add_db(command)

    export = commands.add_parser("export", help="把数据库中的数据导出为标准格式工作簿")
    export.add_argument("out", metavar="OUT.xlsx")
    export.add_argument("--with-names", action="store_true",
                        help="包含「对象」和「备注」两列（含姓名等个人信息，谨慎使用）")
    add_db(export)
    settings = commands.add_parser("settings", help="查看或修改设置：本单位（工会）名称")
    settings.add_argument("--unit-name", metavar="NAME",
                          help="本单位工会的名称，用于覆盖全部单位的总结和汇报标题；给空字符串则清除")
    add_db(settings)
    compliance.add_parser(commands, add_db, add_unit_name)
    admin.add_parsers(commands, add_db)
    directory_cli.add_parser(commands, add_db)
    return parser


ROWS_UNIT_HELP = "没有写明单位的工作簿各行的单位名称（默认：表头上方标题中的单位；文件名不作单位）"


def add_unit_name(command: argparse.ArgumentParser) -> None:
    command.add_argument("--unit-name", metavar="NAME",
                         help="总结标题和落款中的单位名称（默认：单位信息中的名称，或数据库中设置的名称），"
                              "也是" + ROWS_UNIT_HELP)


def add_db(command: argparse.ArgumentParser) -> None:
    command.add_argument("--db", metavar="URL", help="数据库地址（SQLAlchemy URL），默认 data/unionstats.db")


def paths_around_options(command: argparse.ArgumentParser) -> None:
    """Let `deck a.xlsx --period 2025 out.pptx` work: argparse takes positionals from their first run only and
    leaves a path after an option unrecognised, so those are added to `paths` here."""
    parse = command.parse_known_args

    def parse_known_args(args=None, namespace=None):
        namespace, extras = parse(args, namespace)
        namespace.paths = [*namespace.paths, *(a for a in extras if not a.startswith("-"))]
        return namespace, [a for a in extras if a.startswith("-")]

    command.parse_known_args = parse_known_args  # type: ignore[method-assign]  # argparse has no hook for this
