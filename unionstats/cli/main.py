"""`python -m unionstats`: check, count, store and export from the command line.

Exit codes: 0 when every file is usable (warnings allowed) or every action
was done, 1 when any file has errors or an action was refused, 2 for a usage
error, 141 (128 + SIGPIPE) when the reader of the output went away early, as
for any tool a pipe stops. Whatever the file, the user sees a Chinese message,
never a traceback.
Commands on the store take `--db URL` (default: UNIONSTATS_DB, else the
SQLite file in data/).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import NoReturn

from unionstats.cli import units as directory_cli
from unionstats.cli import users as admin
from unionstats.cli.arguments import ChineseParser
from unionstats.contract import registry
from unionstats.figures.typed import Figures
from unionstats.intake import naming
from unionstats.intake.model import Dataset
from unionstats.intake.report import Issue, LoadReport
from unionstats.writing.chinese import local_time
from unionstats.writing.wording import COMMAND_LINE, error_text, import_text, outcome_text, state_text

OK, HAS_ERRORS, USAGE = 0, 1, 2
BROKEN_PIPE = 128 + 13  # 128 + SIGPIPE
MAX_ISSUES_SHOWN = 200
MAX_BATCH = 2**31 - 1  # batches.id is an Integer: 32 bits on PostgreSQL


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
    admin.add_parsers(commands, add_db)
    directory_cli.add_parser(commands, add_db)
    return parser


ROWS_UNIT_HELP = "没有写明单位的工作簿各行的单位名称（默认：表头上方标题中的单位；文件名不作单位）"


def add_unit_name(command: argparse.ArgumentParser) -> None:
    command.add_argument("--unit-name", metavar="NAME",
                         help="总结标题和落款中的单位名称（默认：单位信息中的名称，或数据库中设置的名称），"
                              "也是" + ROWS_UNIT_HELP)


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


def add_db(command: argparse.ArgumentParser) -> None:
    command.add_argument("--db", metavar="URL", help="数据库地址（SQLAlchemy URL），默认 data/unionstats.db")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code = COMMANDS[args.command](args)
        sys.stdout.flush()  # a closed pipe is found here, not at the interpreter's exit
        return code
    except UsageError as exc:
        print(f"用法错误：{exc}", file=sys.stderr)
        return USAGE
    except StoreFailure as exc:
        print(exc, file=sys.stderr)
        return HAS_ERRORS
    except BrokenPipeError:
        return stopped_by_reader()


def stopped_by_reader() -> int:
    """The reader of standard output has gone (`... | head -1`): exit 141, as a tool that SIGPIPE stops does,
    and point standard output at /dev/null so the interpreter's last flush does not print a traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # standard output is no file (tests hand it a StringIO)
        pass
    return BROKEN_PIPE


class UsageError(Exception):
    pass


class StoreFailure(Exception):
    pass


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
    return {key: len(frame) for key, frame in dataset.frames().items()}


def describe(dataset: Dataset) -> str:

    report = dataset.report
    name = dataset.sources[0] if dataset.sources else ""
    counts = "，".join(f"{s.name} {len(dataset.frame(s.key))} 行" for s in registry.sheets())
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


def run_stats(args: argparse.Namespace) -> int:
    from unionstats.figures.engine import figures

    period = period_of(args)
    dataset = source_dataset(args)
    if dataset is None:
        return HAS_ERRORS
    return print_figures(figures(dataset, period, args.unit), args.json)


def run_summary(args: argparse.Namespace) -> int:
    from unionstats.figures.engine import figures
    from unionstats.writing.summary import write_summary

    period = period_of(args)
    if args.docx and Path(args.docx).suffix.lower() != ".docx":
        raise UsageError("Word 文件名应以 .docx 结尾")
    dataset = source_dataset(args)
    if dataset is None:
        return HAS_ERRORS
    result = figures(dataset, period, args.unit)
    if said_empty(args, dataset, result):
        return HAS_ERRORS
    organisation, due = organisation_for(args, dataset, result)
    summary = write_summary(result, organisation, due)
    print(summary.markdown() if args.markdown else summary.text(), end="")
    if args.docx:
        from unionstats.exports.docx import write_docx

        try:
            write_docx(summary, args.docx)
        except OSError as exc:
            raise StoreFailure(f"无法写入 {args.docx}：{exc.strerror or exc}") from None
        print(f"\n已保存 Word 文档：{args.docx}", file=sys.stderr)
    return OK


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


def run_settings(args: argparse.Namespace) -> int:
    from unionstats.store.access import Forbidden, operator
    from unionstats.store.batches import current_user

    store = open_store(args)
    if args.unit_name is not None:
        try:
            name = store.set_organisation(operator(current_user()), args.unit_name)
        except (ValueError, Forbidden) as exc:
            raise UsageError(str(exc)) from None
        print(f"已设置本单位名称：{name}" if name else "已清除本单位名称")
        return OK
    print(f"本单位名称：{store.organisation() or '（未设置）'}")
    return OK


def paths_around_options(command: argparse.ArgumentParser) -> None:
    """Let `deck a.xlsx --period 2025 out.pptx` work: argparse takes positionals from their first run only and
    leaves a path after an option unrecognised, so those are added to `paths` here."""
    parse = command.parse_known_args

    def parse_known_args(args=None, namespace=None):
        namespace, extras = parse(args, namespace)
        namespace.paths = [*namespace.paths, *(a for a in extras if not a.startswith("-"))]
        return namespace, [a for a in extras if a.startswith("-")]

    command.parse_known_args = parse_known_args  # type: ignore[method-assign]  # argparse has no hook for this


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


def print_figures(result: Figures, as_json: bool) -> int:
    print(json.dumps(result.to_json(), ensure_ascii=False, indent=2) if as_json else plain_figures(result))
    return OK


def plain_figures(result: Figures) -> str:
    period = result.period.label if result.period else "（无数据）"
    return "\n".join([f"统计期：{period}", *(kind.line(result) for kind in registry.registered() if kind.line)])


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


COMMANDS = {
    "check": run_check, "stats": run_stats, "summary": run_summary, "deck": run_deck, "charts": run_charts,
    "template": run_template, "import": run_import,
    "batches": run_batches, "delete": run_delete, "restore": run_restore, "export": run_export,
    "settings": run_settings, "user": lambda args: admin.run_user(args, open_store),
    "audit": lambda args: admin.run_audit(args, open_store),
    "units": lambda args: directory_cli.run_units(args, open_store),
}
