"""`python -m unionstats`: check, count, store and export from the command line.

Exit codes: 0 when every file is usable (warnings allowed) or every action
was done, 1 when any file has errors or an action was refused, 2 for a usage
error, 141 (128 + SIGPIPE) when the reader of the output went away early, as
for any tool a pipe stops. Whatever the file, the user sees a Chinese message,
never a traceback.
Commands on the store take `--db URL` (default: UNIONSTATS_DB, else the
SQLite file in data/).

This module runs one command: its options come from `parser`, its code from the module of its group (`check`,
`stats`, `compliance`, `importing`, `exporting`, `settings`, `users`, `units`), and the failures they raise
(`exits`) are said here in one Chinese line.
"""

from __future__ import annotations

import sys

from unionstats.cli import units as directory_cli
from unionstats.cli import users as admin
from unionstats.cli.check import run_check
from unionstats.cli.compliance import run_compliance
from unionstats.cli.exits import HAS_ERRORS, USAGE, StoreFailure, UsageError, stopped_by_reader
from unionstats.cli.exporting import run_charts, run_deck, run_export, run_template
from unionstats.cli.importing import run_batches, run_delete, run_import, run_restore
from unionstats.cli.parser import build_parser
from unionstats.cli.settings import run_settings
from unionstats.cli.sources import open_store
from unionstats.cli.stats import run_stats, run_summary

__all__ = ["build_parser", "main"]


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


COMMANDS = {
    "check": run_check, "stats": run_stats, "summary": run_summary, "deck": run_deck, "charts": run_charts,
    "template": run_template, "import": run_import,
    "batches": run_batches, "delete": run_delete, "restore": run_restore, "export": run_export,
    "compliance": run_compliance,
    "settings": run_settings, "user": lambda args: admin.run_user(args, open_store),
    "audit": lambda args: admin.run_audit(args, open_store),
    "units": lambda args: directory_cli.run_units(args, open_store),
}
