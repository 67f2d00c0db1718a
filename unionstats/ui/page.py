"""One set-up call at the top of every page: config, store, sign-in, filters, figures.

The app uses Streamlit's classic multipage mode on purpose: `app.py` is the 总览 page and every file in
`pages/` calls `set_up()` first, so a deep link opened first on a fresh server still gets the same frame,
filters and store (with `st.navigation`, such a link would skip `app.py`).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from unionstats.figures.cache import TURNS
from unionstats.figures.engine import neighbours
from unionstats.ui import caches, signin
from unionstats.ui.caches import (
    filter_options,
    stored_dataset,
    stored_figures,
    view_key,
)
from unionstats.ui.chinese import speak_chinese
from unionstats.ui.connection import ConnectionProblem, open_store
from unionstats.ui.filters import (
    sidebar,
)
from unionstats.ui.looks import dress, print_header
from unionstats.ui.markdown import literal
from unionstats.ui.navigation import navigation
from unionstats.ui.notices import notices
from unionstats.ui.outcome import said_after_change
from unionstats.ui.view import View

# The tab's icon, from the app itself: a `:material/…:` icon would be fetched from an internet font host.
ICON = str(Path(__file__).with_name("static") / "icon.png")


def set_up(title: str) -> View:
    st.set_page_config(page_title=f"{title} · 工会活动统计", page_icon=ICON, layout="wide")
    speak_chinese()
    TURNS.in_front()  # this run goes before measuring ahead (figures/cache.py)
    try:
        store = open_store()
    except ConnectionProblem as problem:
        navigation()
        st.error(literal(str(problem)))
        st.stop()
    store.ensure_sample()
    revision = store.revision()
    dataset = stored_dataset(store.url, revision)
    navigation(dataset)
    actor = signin.current_actor(store)
    period, units, comparison, presenting = sidebar(*filter_options(store.url, revision))
    periods = None if period is None else [period, *(p for p in neighbours(period).values() if p is not None)]
    if caches.MEASURE_AHEAD:  # (read here, so that a test may turn it on)
        caches.measuring_ahead(store.url, revision)
        caches.watching(store.url)
    key = view_key(store.url, revision, periods, tuple(units or ()))
    result = stored_figures(store.url, key, period, tuple(units or ()), revision)
    sample = bool(store.sample_batches())
    view = View(store, dataset, period, units, result, comparison, presenting, sample, revision, key, actor)
    dress(presenting)
    signin.sign_out_button(store, actor)
    heading(view, title)
    notices(view)
    said_after_change()
    return view


def heading(view: View, title: str) -> None:
    """The page's name; in 演示模式 the union and the period, large, with the page's name beneath and the way
    out beside them. Printed pages also get their header line (looks.print_header)."""
    period = view.result.period.label if view.result.period else ""
    print_header(view.organisation, period, title)
    if not view.presenting:
        st.title(title, anchor=False)
        return
    left, right = st.columns([6, 1], vertical_alignment="center")
    left.title(f"{view.organisation}　{period}".strip(), anchor=False)
    if right.button("退出演示模式"):
        st.session_state["f_present"] = False
        st.session_state["keep_present"] = False
        st.rerun()
    st.subheader(title + (f"　{view.scope}" if view.units else ""), anchor=False)
