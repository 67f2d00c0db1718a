"""The command line's exit codes and the two failures a command raises: a usage error (exit 2) and a store or
file failure (exit 1), each said in one Chinese line by `main`.
"""

from __future__ import annotations

import os
import sys

OK, HAS_ERRORS, USAGE = 0, 1, 2
BROKEN_PIPE = 128 + 13  # 128 + SIGPIPE


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
