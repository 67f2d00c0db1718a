"""Sheet kinds, each defined once: its columns, figures, charts, KPI cards and summary section.

A kind is a `schema.Sheet` (what a clerk fills in) and what unionstats does with its rows. The loader,
the store, the template and the exports work from the sheet alone; the statistics, the charts and the
工作总结 ask the registry. The contract's four kinds are registered in `builtin`; a new kind (会员发展,
职工培训…) is its sheet and one module that calls `register` at start-up, before a store is opened.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from unionstats.contract import schema


@dataclass(frozen=True)
class Card:
    """A KPI card: a label and the figure it shows, (sheet key, field), with how to write it and where it comes
    from."""

    label: str
    path: tuple[str, str]
    unit: str = ""
    money: bool = False
    rate: bool = False
    help: str = ""  # where the figure comes from: its formula and what is counted, in a line


@dataclass(frozen=True)
class Kind:
    """`figures(rows, members)` turns the period's rows (and members per unit) into typed figures with a
    `count`; `charts` take (figures, scope, large); `section(writer)` returns a summary Section or None."""

    sheet: schema.Sheet
    figures: Callable[[pd.DataFrame, dict[str, int]], object]
    charts: tuple[Callable, ...] = ()
    cards: tuple[Card, ...] = ()
    section: Callable | None = None

    @property
    def key(self) -> str:
        return self.sheet.key


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    if kind.key in KINDS:
        raise ValueError(f"sheet kind {kind.key!r} is already registered")
    if schema.SHEETS_BY_KEY.get(kind.key) is not kind.sheet:
        schema.register_sheet(kind.sheet)
    KINDS[kind.key] = kind


def unregister(key: str) -> None:
    from unionstats.store.database import forget_table

    KINDS.pop(key)
    schema.unregister_sheet(key)
    forget_table(key)


def registered() -> list[Kind]:
    """Every kind, in the contract's sheet order."""
    from unionstats.kinds import builtin  # noqa: F401  (registers the contract's four kinds on first use)

    return [KINDS[sheet.key] for sheet in schema.DATA_SHEETS if sheet.key in KINDS]
