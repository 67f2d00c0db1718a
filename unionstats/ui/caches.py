"""What every session of the server shares, bounded by bytes: the store's rows and lists per revision, the
figures of each view, and the periods measured ahead of the clicks.

Each cache is keyed by the store's URL and revision (or the view's figures key), so an import invalidates
nothing by hand: other sessions, and other stores, keep what is still true. `bounded.py` holds them out of
reach of Streamlit's "clear cache". A thread per store (`watching`) notices a change another process made and
reads its rows and measures ahead before anyone clicks, so the next click finds them ready."""

from __future__ import annotations

import gc
import logging
import os
import threading
import time

import pandas as pd
import streamlit as st

from unionstats.compliance.check import Check
from unionstats.contract.periods import Period
from unionstats.figures.bounded import kept, one_each
from unionstats.figures.cache import TURNS, KeptFigures, figures_key, measure_ahead, measured
from unionstats.figures.due import due_units
from unionstats.figures.engine import all_dates, figures
from unionstats.figures.typed import Figures
from unionstats.intake.model import Dataset
from unionstats.ui.connection import store_for
from unionstats.writing.organisation import organisation_name

# Work ahead of the clicks (measuring likely periods, watching for other processes' changes); 0 turns it off, for
# a server with no CPU to spare, and for tests, which turn it on where they test it.
MEASURE_AHEAD = os.environ.get("UNIONSTATS_MEASURE_AHEAD", "1") != "0"


# What the caches below may hold, in megabytes (bounded.py: by bytes, out of reach of Streamlit's "clear cache"):
# the store's rows of two revisions at a federation's scale, the lists beside them, the figures of the views.
STORE_MB, LISTS_MB, FIGURES_MB = 3072, 256, 256


def stored_dataset(url: str, revision: str) -> Dataset:
    """The store's active rows; `url` and `revision` are the cache key, so an import invalidates it."""
    if (url, revision) in read_dataset.cache:
        return read_dataset(url, revision)
    with st.spinner("正在读取数据……"):
        return read_dataset(url, revision)


@kept(STORE_MB)
def read_dataset(url: str, revision: str) -> Dataset:
    return store_for(url).dataset()


@kept(LISTS_MB)
def stored_directory(url: str, revision: str) -> pd.DataFrame:
    """The 单位名录 (unit, members, due), read once per store revision: what `due.due_units` takes."""
    return store_for(url).directory()


@kept(LISTS_MB)
def stored_coverage(url: str, revision: str) -> pd.DataFrame:
    return store_for(url).coverage()


@kept(LISTS_MB, key=lambda url, revision, periods, units: (url, revision, periods and tuple(periods), units))
def view_key(url: str, revision: str, periods: list[Period] | None, units: tuple[str, ...]) -> str:
    """The cache key of a view's figures: it moves only when a change touches the view's periods or units. Kept
    per store revision, since every rerun asks (a federation's coverage takes some 15 ms to go through)."""
    members = stored_dataset(url, revision).members()
    return figures_key(stored_coverage(url, revision), members, periods, list(units) or None)


@one_each(4)
def kept_figures(url: str) -> KeptFigures:
    return KeptFigures(FIGURES_MB)  # bounded by bytes itself


@one_each(2)
def measuring_ahead(url: str, revision: str) -> threading.Thread:
    """Once per store revision: the likely periods measured in the background (kept.measure_ahead)."""
    years, _ = filter_options(url, revision)
    return measure_ahead(kept_figures(url), stored_dataset(url, revision), stored_coverage(url, revision), years)


WATCH_SECONDS = 1.0  # how often the watching thread asks the store's revision (one small query)


_watchers: dict[str, threading.Thread] = {}
_watchers_lock = threading.Lock()
log = logging.getLogger(__name__)


def watching(url: str) -> threading.Thread:
    """The store's watching thread, started on the first call for the store (and again if it ended)."""
    with _watchers_lock:
        thread = _watchers.get(url)
        if thread is None or not thread.is_alive():
            thread = threading.Thread(target=watch, args=(url,), name="unionstats-watch", daemon=True)
            _watchers[url] = thread
            thread.start()
        return thread


def watch(url: str) -> None:
    """Ask the store's revision every WATCH_SECONDS and, when it moved (an import, delete or restore here or in
    another process), read the new rows and the lists beside them and start measuring ahead, each step when no
    page is running (figures.cache.TURNS). A click that comes while it reads waits for the same reading rather
    than starting its own. Ends when working ahead is turned off."""
    seen, failed = None, ""
    while MEASURE_AHEAD:
        time.sleep(WATCH_SECONDS)
        try:
            revision = store_for(url).revision()
            if revision != seen:
                warm(url, revision)
                seen = revision
            freeze_once()
        except Exception as exc:  # (the database away for a moment: the pages say so; asked again later)
            if str(exc) != failed:
                log.warning("watching the store for changes: %s", exc)
            failed = str(exc)


_frozen = threading.Event()


def freeze_once() -> None:
    """Leave what the process holds after its first rows are read and measured (the modules and classes,
    plotly's validators, the rows: some 250,000 objects at a federation's scale) out of Python's full
    collections from then on (gc.freeze): each full collection went through all of them, 0.2 s with every
    session of the process waiting, and they live as long as the process."""
    if not _frozen.is_set():
        _frozen.set()
        gc.freeze()


def warm(url: str, revision: str) -> None:
    """What the first run of a new revision would read and measure, done ahead of it."""
    for step in (read_dataset, stored_coverage, filter_options):
        TURNS.wait()
        step(url, revision)
    if MEASURE_AHEAD:
        measuring_ahead(url, revision)


@kept(FIGURES_MB, key=lambda url, key, period, units, _revision: (url, key, period, units))
def stored_figures(url: str, key: str, period: Period | None, units: tuple[str, ...], _revision: str) -> Figures:
    dataset, coverage = stored_dataset(url, _revision), stored_coverage(url, _revision)
    return figures(dataset, period, list(units) or None,
                   measured=lambda p, among: measured(kept_figures(url), dataset, coverage, p,
                                                       units if among is None else among))


@kept(LISTS_MB)
def stored_due_units(url: str, revision: str, period: Period | None, units: tuple[str, ...]) -> list[str]:
    """The units due to report in the view's period (due.due_units), once per store revision and view: 总览 and
    工作总结 ask on every rerun, and without a 单位名录 the answer reads the rows of two more periods."""
    return due_units(stored_dataset(url, revision), stored_directory(url, revision), period, list(units) or None)


@kept(LISTS_MB, key=lambda url, revision, units, setting, result: (url, revision, units, setting, tuple(result.units)))
def stored_organisation(url: str, revision: str, units: tuple[str, ...], setting: str, result: Figures) -> str:
    """The union a view is for (organisation.organisation_name), once per store revision, units chosen, stored
    setting and units with rows: every page's heading asks on every run, and the answer reads every row's unit."""
    return organisation_name(stored_dataset(url, revision), list(units) or None, setting, result)


@kept(LISTS_MB)
def stored_batches(url: str, revision: str) -> pd.DataFrame:
    """The batch list of 数据管理, read once per store revision (thousands of batches at a federation)."""
    return store_for(url).batches()


@kept(LISTS_MB)
def filter_options(url: str, revision: str) -> tuple[list[int], list[str]]:
    """The years (newest first) and units the sidebar offers: computed once per store revision."""
    dataset = stored_dataset(url, revision)
    years = sorted(set(all_dates(dataset).dt.year.dropna().astype(int).unique().tolist()), reverse=True)
    units = set(dataset.units["unit"]).union(*(f["unit"].unique().tolist() for f in dataset.frames().values()))
    return years, sorted(units)



@kept(LISTS_MB)
def stored_compliance(url: str, revision: str, stamp: str, period: Period | None,
                      units: tuple[str, ...] | None) -> Check:
    """The stored rows of `period` and `units` (None: every unit) checked against the rule versions: once per
    store revision and rule book stamp (Rulebook.stamp), so an import or a saved version invalidates it."""
    with st.spinner("正在核对经费标准……"):
        return store_for(url).compliance(period, None if units is None else list(units))
