"""The command line's `settings` command: the organisation's own name (for the summary's and the deck's titles
over all units), read or set as the machine's operator."""

from __future__ import annotations

import argparse

from unionstats.cli.exits import OK, UsageError
from unionstats.cli.sources import open_store


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
