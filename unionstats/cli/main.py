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

import importlib
import sys

from unionstats.cli.exits import HAS_ERRORS, USAGE, StoreFailure, UsageError, stopped_by_reader
from unionstats.cli.parser import build_parser

__all__ = ["build_parser", "main"]


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code = command(args.command)(args)
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


# Each command's code, imported when it runs: `stats FILE` loads no database driver, `import` no python-pptx.
COMMANDS = {
    "check": "check:run_check", "stats": "stats:run_stats", "summary": "stats:run_summary",
    "deck": "exporting:run_deck", "charts": "exporting:run_charts", "template": "exporting:run_template",
    "import": "importing:run_import", "batches": "importing:run_batches", "delete": "importing:run_delete",
    "restore": "importing:run_restore", "export": "exporting:run_export", "compliance": "compliance:run_compliance",
    "settings": "settings:run_settings", "user": "users:run_user", "audit": "users:run_audit", "units": "units:run_units",
}
WITH_STORE_OPENER = {"user", "audit", "units"}  # (given sources.open_store, so that they open it as the rest do)


def command(name: str):
    module, function = COMMANDS[name].split(":")
    run = getattr(importlib.import_module(f"unionstats.cli.{module}"), function)
    if name not in WITH_STORE_OPENER:
        return run
    from unionstats.cli.sources import open_store

    return lambda args: run(args, open_store)
