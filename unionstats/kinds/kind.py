"""What a sheet kind is: its sheet and what unionstats does with its rows.

A kind's module builds one `Kind` and names it as its `KIND`; pyproject.toml lists it under the
`unionstats.kinds` entry point group (contract/registry.py), as a union's own package would.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import pandas as pd

from unionstats.contract.periods import Period
from unionstats.contract.registry import Card
from unionstats.contract.schema import Sheet
from unionstats.figures.engine import View
from unionstats.figures.typed import Figures
from unionstats.intake.model import Dataset

F = TypeVar("F")


@dataclass(frozen=True)
class Table:
    """What a page shows under its charts: `build(dataset, period, units, figures)` gives the table (Chinese
    headers, no personal column), `caption` says what it is."""

    caption: str
    build: Callable[..., pd.DataFrame]


@dataclass(frozen=True)
class Page:
    """A kind's page: its title in the sidebar, its file in `pages/` (the classic multipage mode needs one), its
    icon, its cards and charts, how many charts stand side by side, and the table beneath."""

    title: str
    file: str
    icon: str
    cards: tuple[Card, ...] = ()
    charts: tuple[Callable, ...] = ()
    columns: int = 2
    table: Table | None = None
    listed: Callable[[Dataset], bool] | None = None  # whether the sidebar links it (None: always)
    absent: Callable[[Figures], str | None] | None = None  # why the view has nothing to show on it, or None


@dataclass(frozen=True)
class Kind(Generic[F]):
    """`measure(rows, members, view)` turns the period's rows (and members per unit) into the kind's typed figures,
    which have a `count` (its rows); the `view` (figures.engine.View) gives other sheets' rows, as far back as
    `reach(period)` says (None: the period's own rows only); `charts` take (figures, scope, large); `section(writer)` returns a summary Section
    or None. `migrated`: its table is made by a migration of unionstats'. `order` places the kind among the
    others: on pages, in the template and in the summary."""

    sheet: Sheet
    measure: Callable[[pd.DataFrame, dict[str, int], View], F]
    order: int
    charts: tuple[Callable, ...] = ()
    cards: tuple[Card, ...] = ()
    section: Callable | None = None
    migrated: bool = False  # whether an Alembic migration makes its table (else the store makes it on opening)
    reach: Callable[[Period], Period] | None = None  # the rows its figures of a period read beyond the period's own
    pages: tuple[Page, ...] = ()
    overview_cards: tuple[Card, ...] = ()  # on 总览 and the deck's 主要数据 slide
    overview_charts: tuple[Callable, ...] = ()  # on 总览
    # What the 工作总结 takes from the kind, each given the summary's Writer (key_figures the figures):
    opening: Callable | None = None  # the fact it adds to the opening sentence, or None
    funds: Callable | None = None  # sentences for 规范经费管理, or ""
    units: Callable | None = None  # parts (Sections) for 各单位工作情况 when several units report
    observations: Callable | None = None  # (rank, sentence) for 需要关注的几个方面
    key_figures: Callable | None = None  # (label, value) rows of the key-figure table
    line: Callable | None = None  # one line of the command line's `stats`
    slides: Callable | None = None  # tables (charts.chart.Grid) for the deck, given the figures

    @property
    def key(self) -> str:
        return self.sheet.key
