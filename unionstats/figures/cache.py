"""Period figures kept for every session of a server, and measured ahead of the clicks.

At a federation's scale one period's figures take about 0.1 s, and a view
needs three (the period, its 上期 and its 去年同期). Kept under the key of
what they depend on (`figures_key`), a period measured once serves
every session until a change touches it; and right after the store changes,
a background thread measures the periods people pick most (each year, its
halves and quarters, and the months of the newest year, for all units), so
that changing the 统计期 finds them ready. It measures only while no page is
running (`Turns`): a click never waits behind it for more than one period.
"""

from __future__ import annotations

import hashlib
import threading
import time

import numpy as np
import pandas as pd

from unionstats.contract.periods import HALF, MONTH, QUARTER, YEAR, Period
from unionstats.contract.registry import registered
from unionstats.figures import dated
from unionstats.figures.bounded import Kept
from unionstats.figures.engine import period_figures
from unionstats.figures.typed import Figures
from unionstats.intake.model import Dataset


class KeptFigures(Kept):
    """Period figures by key, at most `megabytes` of them (bounded.py), safe to share between threads (the figures
    are only read); two sessions asking for the same missing period wait for one measuring."""

    def __init__(self, megabytes: float = 256):
        super().__init__(megabytes)


def figures_key(coverage: pd.DataFrame, members: dict[str, int], periods: list[Period] | None,
                units: list[str] | None) -> str:
    """What the figures of these periods (None: all dates) and units (None: all) depend on: the active batches
    holding rows of the units inside the periods, each with its content and its rows inside them that a later batch
    replaced, and the members of the units counted.

    Equal keys mean equal figures, so a view that a change did not touch keeps its cached figures: importing one
    unit's quarter leaves every other period, and every view without that unit, as it was.
    """
    rows = coverage if not units else coverage[coverage["unit"].isin(list(units))]
    spans = None if periods is None else [(p, None) for p in periods] + reached(periods, rows)
    inside = np.zeros(len(rows), dtype=bool) if spans is not None else np.ones(len(rows), dtype=bool)
    own = inside.copy()
    for index, (period, among) in enumerate(spans or ()):
        overlap = ((rows["first_date"] <= pd.Timestamp(period.end)) &
                   (rows["last_date"] >= pd.Timestamp(period.start))).to_numpy()
        if among is not None:
            overlap = overlap & rows["unit"].isin(among).to_numpy()  # (pandas gives a read-only array)
        inside |= overlap
        if index < len(periods or ()):
            own |= overlap
    bounds = [(pd.Timestamp(p.start), pd.Timestamp(p.end)) for p, _ in spans or ()]
    aside = [tuple(w for w in windows if spans is None or any(w[0] <= end and w[1] >= start for start, end in bounds))
             for windows in rows["set_aside"][inside]]
    batches = sorted(set(zip(rows["batch_id"][inside], rows["content_hash"][inside], rows["unit"][inside], aside)))
    counted = set(units) if units else set(rows["unit"][own])  # (the units whose members the figures use)
    scope = sorted((u, m) for u, m in members.items() if u in counted)
    return hashlib.sha256(repr((batches, scope)).encode()).hexdigest()


def reached(periods: list[Period], coverage: pd.DataFrame) -> list[tuple[Period, frozenset[str] | None]]:
    """The further periods whose rows the figures of `periods` read, with the units whose rows count there (None:
    all): a budget reads its year up to the period's end, of the units with a budget that year only. Without a
    budget, a second quarter's figures read nothing of the first."""
    found: list[tuple[Period, frozenset[str] | None]] = []
    for kind in registered():
        for period in periods if kind.reach else ():
            among = holders(coverage, kind.key, period) if kind.sheet.yearly else None
            if among is None or among:
                found.append((kind.reach(period), among))
    return found


def holders(coverage: pd.DataFrame, key: str, period: Period) -> frozenset[str]:
    """The units with rows of the yearly sheet `key` (coverage's `sheet`) for a year the period touches."""
    rows = coverage[coverage["sheet"] == key] if "sheet" in coverage else coverage[:0]
    held = (rows["first_date"].dt.year <= period.end.year) & (rows["last_date"].dt.year >= period.start.year)
    return frozenset(rows["unit"][held])


def key_of(coverage: pd.DataFrame, members: dict[str, int], period: Period | None,
           units: tuple[str, ...]) -> tuple:
    return figures_key(coverage, members, None if period is None else [period], list(units) or None), period, units


def measured(kept: KeptFigures, dataset: Dataset, coverage: pd.DataFrame, period: Period | None,
             units: tuple[str, ...]) -> Figures:
    """One period's figures of the units (() for all), from `kept` when nothing they depend on has changed."""
    key = key_of(coverage, dataset.members(), period, units)
    return kept.get(key, lambda: period_figures(dataset, period, list(units) or None))


def likely_periods(years: list[int]) -> list[Period]:
    """Newest first: every year with its halves and quarters, then the months of the newest year."""
    periods = [p for year in years for p in (
        Period.of(YEAR, year), *(Period.of(HALF, year, n) for n in (1, 2)),
        *(Period.of(QUARTER, year, n) for n in (1, 2, 3, 4)))]
    return periods + [Period.of(MONTH, years[0], m) for m in range(1, 13)] if years else periods


class Turns:
    """Clicks go first: while a session's page runs, measuring ahead waits.

    A page's run marks its thread as in front (`in_front`); before each period it measures, measuring ahead waits
    until every such thread has ended and the last ended GRACE seconds ago (the next click of a person changing
    filters often follows). One period's measuring is the most a click can find in its way.
    """

    GRACE = 0.3
    POLL = 0.02

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.front: set[threading.Thread] = set()
        self.ended = 0.0

    def in_front(self, thread: threading.Thread | None = None) -> None:
        with self.lock:
            self.front.add(thread or threading.current_thread())

    def busy(self) -> bool:
        """Whether a run is in front, or one ended less than GRACE seconds ago."""
        now = time.monotonic()
        with self.lock:
            done = {t for t in self.front if not t.is_alive()}
            if done:
                self.front -= done
                self.ended = now
            return bool(self.front) or now - self.ended < self.GRACE

    def wait(self) -> None:
        while self.busy():
            time.sleep(self.POLL)


TURNS = Turns()  # one per process: its sessions' runs, and its measuring ahead


def measure_ahead(kept: KeptFigures, dataset: Dataset, coverage: pd.DataFrame, years: list[int],
                  turns: Turns = TURNS) -> threading.Thread:
    """Start measuring the likely periods for all units in a daemon thread, each when no page is running
    (`turns`); periods already kept cost only their key. First each large frame is sorted by unit and date, so
    that the first view of a few units finds their rows at once (`dated.rows`)."""

    def run() -> None:
        for frame in dataset.dated_frames().values():
            if dated.sortable(frame):
                turns.wait()
                dated.unit_order(frame)
        for period in likely_periods(years):
            turns.wait()
            measured(kept, dataset, coverage, period, ())

    thread = threading.Thread(target=run, name="unionstats-measure-ahead", daemon=True)
    thread.start()
    return thread
