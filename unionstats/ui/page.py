"""One set-up call at the top of every page: config, store, filters, figures.

The app uses Streamlit's classic multipage mode on purpose: `app.py` is the
总览 page and every file in `pages/` calls `set_up()` first, so a deep link
opened first on a fresh server still gets the same frame, filters and store
(with `st.navigation`, such a link would skip `app.py`).

Filters live in the session (so they survive a page switch) and in the URL's
query parameters (so a copied link opens the same view). Streamlit 1.67's
`bind="query-params"` with `persist_state="session"` was tried in its place
on a fresh server in this mode: a deep link opened first got its values, but
a bound widget keeps its value per page, so every page switch showed the
defaults until the user came back. Hence the sync below.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from unionstats.contract.periods import HALF, MONTH, QUARTER, YEAR, Period, span
from unionstats.figures.bounded import kept, one_each
from unionstats.figures.cache import KeptFigures, measure_ahead, measured
from unionstats.figures.engine import all_dates, figures, neighbours
from unionstats.figures.typed import Figures
from unionstats.intake.model import Dataset
from unionstats.store import access
from unionstats.store.access import Actor
from unionstats.store.batches import Store
from unionstats.store.batches import figures_key as store_figures_key
from unionstats.store.directory import due_units
from unionstats.store.sample import SAMPLE, SAMPLE_USER, ensure_sample, sample_batches  # noqa: F401  (still importable from here)
from unionstats.ui import signin
from unionstats.ui.connection import ConnectionProblem, open_store
from unionstats.writing.organisation import organisation_name

PERIODS = {"全年": "", "上半年": "H1", "下半年": "H2", "第一季度": "Q1", "第二季度": "Q2", "第三季度": "Q3",
           "第四季度": "Q4", "按月": "M", "自定义": "R"}
COMPARE = {"上期": "previous", "去年同期": "year_ago"}
MEASURE_AHEAD = os.environ.get("UNIONSTATS_MEASURE_AHEAD", "1") != "0"  # (0: a server with no CPU to spare)
PENDING_PERIOD = "pending_period"
DEFAULTS = {"period": "全年", "month": 1, "units": [], "compare": "上期", "present": False}


@dataclass
class View:
    store: Store
    dataset: Dataset
    period: Period | None
    units: list[str] | None
    result: Figures
    comparison: str
    presenting: bool
    sample: bool
    revision: str = ""  # the store's, when the figures came from it
    key: str = ""  # what the figures depend on (store.figures_key): a cache key for what is built from them
    actor: Actor = access.standalone("")  # who is looking (signin.current_actor): every change names it

    @property
    def scope(self) -> str:
        if self.units:
            return "、".join(self.units[:3]) + ("等" if len(self.units) > 3 else "")
        names = self.result.units
        return names[0] if len(names) == 1 else "全部单位"

    @property
    def earlier(self) -> Figures | None:
        return self.result.earlier(self.comparison)

    @property
    def organisation(self) -> str:
        """The union the view's summary, deck and file names are for (organisation.organisation_name)."""
        return organisation_name(self.dataset, self.units, self.store.organisation(), self.result)

    @property
    def due_units(self) -> list[str]:
        """The units that were due to report in the view's period (directory.due_units): the summary names those
        that sent nothing."""
        listed = stored_directory(self.store.url, self.revision) if self.revision else self.store.directory()
        return due_units(self.dataset, listed, self.result.period, self.units)


# What the caches below may hold, in megabytes (bounded.py: by bytes, out of reach of Streamlit's "clear cache"):
# the store's rows of two revisions at a federation's scale, the lists beside them, the figures of the views.
STORE_MB, LISTS_MB, FIGURES_MB = 3072, 256, 256


@kept(STORE_MB)
def stored_dataset(url: str, revision: str) -> Dataset:
    """The store's active rows; `url` and `revision` are the cache key, so an import invalidates it."""
    with st.spinner("正在读取数据……"):
        return open_store().dataset()


@kept(LISTS_MB)
def stored_directory(url: str, revision: str) -> pd.DataFrame:
    """The 单位名录 (unit, members, due), read once per store revision: what `directory.due_units` takes."""
    return open_store().directory()


@kept(LISTS_MB)
def stored_coverage(url: str, revision: str) -> pd.DataFrame:
    return open_store().coverage()


def view_key(url: str, revision: str, periods: list[Period] | None, units: tuple[str, ...]) -> str:
    """The cache key of a view's figures: it moves only when a change touches the view's periods or units."""
    members = stored_dataset(url, revision).members()
    return store_figures_key(stored_coverage(url, revision), members, periods, list(units) or None)


@one_each(4)
def kept_figures(url: str) -> KeptFigures:
    return KeptFigures(FIGURES_MB)  # bounded by bytes itself


@one_each(2)
def measuring_ahead(url: str, revision: str) -> threading.Thread:
    """Once per store revision: the likely periods measured in the background (kept.measure_ahead)."""
    years, _ = filter_options(url, revision)
    return measure_ahead(kept_figures(url), stored_dataset(url, revision), stored_coverage(url, revision), years)


@kept(FIGURES_MB, key=lambda url, key, period, units, _revision: (url, key, period, units))
def stored_figures(url: str, key: str, period: Period | None, units: tuple[str, ...], _revision: str) -> Figures:
    dataset, coverage = stored_dataset(url, _revision), stored_coverage(url, _revision)
    return figures(dataset, period, list(units) or None,
                   measured=lambda p, among: measured(kept_figures(url), dataset, coverage, p,
                                                       units if among is None else among))


@kept(LISTS_MB)
def stored_batches(url: str, revision: str) -> pd.DataFrame:
    """The batch list of 数据管理, read once per store revision (thousands of batches at a federation)."""
    return open_store().batches()


def show_period(period: Period | None) -> None:
    """After an import: the next run's filters show the period just imported (its natural period)."""
    if period is not None:
        st.session_state[PENDING_PERIOD] = period


def filter_values(period: Period) -> dict[str, object]:
    """The sidebar's widget values that choose `period`."""
    values: dict[str, object] = {"year": period.start.year}
    if period.kind == YEAR:
        values["period"] = "全年"
    elif period.kind in (HALF, QUARTER):
        values["period"] = next(k for k, v in PERIODS.items() if v == period.code[4:])
    elif period.kind == MONTH:
        values.update(period="按月", month=period.start.month)
    else:
        values.update(period="自定义", range=(period.start, period.end))
    return values


def restore_filters(years: list[int]) -> None:
    """Widget state from the query parameters, else what this session chose on another page."""
    pending = st.session_state.pop(PENDING_PERIOD, None)
    if pending is not None:
        for key, value in filter_values(pending).items():
            st.session_state[f"f_{key}"] = st.session_state[f"keep_{key}"] = value
    params = st.query_params
    initial = {
        "year": int(params["year"]) if params.get("year", "").isdigit() else None,
        "period": next((k for k, v in PERIODS.items() if v == params.get("period")), None),
        "month": int(params["month"]) if params.get("month", "").isdigit() else None,
        "units": params.get_all("unit") or None,
        "compare": next((k for k, v in COMPARE.items() if v == params.get("compare")), None),
        "present": params.get("present") == "1" if "present" in params else None,
        "range": url_range(params.get("from", ""), params.get("to", "")),
    }
    for key, value in initial.items():
        if f"f_{key}" in st.session_state:
            # A widget's value is dropped when another page creates the widget; set as a plain value, it stays.
            st.session_state[f"f_{key}"] = st.session_state[f"f_{key}"]
            continue
        kept = st.session_state.get(f"keep_{key}")
        default = (years[0] if years else dt.date.today().year) if key == "year" else DEFAULTS.get(key)
        if key == "range" and value is None and kept is None:
            continue
        st.session_state[f"f_{key}"] = value if value is not None else kept if kept is not None else default
    if st.session_state["f_year"] not in years and years:
        st.session_state["f_year"] = years[0]


def url_range(start: str, end: str) -> tuple[dt.date, dt.date] | None:
    try:
        first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    except ValueError:
        return None
    return (first, last) if first <= last else None


def chosen_period(year: int) -> Period:
    code = PERIODS[st.session_state["f_period"]]
    if code == "M":
        return Period.of(MONTH, year, st.session_state["f_month"])
    picked = st.session_state.get("f_range") or ()
    if code == "R" and len(picked) == 2:
        return span(picked[0], picked[1])
    if code in ("", "R"):
        return Period.of(YEAR, year)
    return Period.of(HALF if code[0] == "H" else QUARTER, year, int(code[1]))


@kept(LISTS_MB)
def filter_options(url: str, revision: str) -> tuple[list[int], list[str]]:
    """The years (newest first) and units the sidebar offers: computed once per store revision."""
    dataset = stored_dataset(url, revision)
    years = sorted(set(all_dates(dataset).dt.year.dropna().astype(int).unique().tolist()), reverse=True)
    units = set(dataset.units["unit"]).union(*(f["unit"].unique().tolist() for f in dataset.frames().values()))
    return years, sorted(units)


def sidebar(years: list[int], units: list[str]) -> tuple[Period | None, list[str] | None, str, bool]:
    restore_filters(years)
    with st.sidebar:
        st.subheader("筛选")
        if years:
            st.selectbox("年度", years, key="f_year", format_func=lambda y: f"{y}年")
        st.selectbox("统计期", list(PERIODS), key="f_period")
        if st.session_state["f_period"] == "按月":
            st.selectbox("月份", list(range(1, 13)), key="f_month", format_func=lambda m: f"{m}月")
        if st.session_state["f_period"] == "自定义":
            year = st.session_state.get("f_year", dt.date.today().year)
            if not st.session_state.get("f_range"):
                st.session_state["f_range"] = (dt.date(year, 1, 1), dt.date(year, 12, 31))
            st.date_input("日期范围", key="f_range")
        st.session_state["f_units"] = [u for u in st.session_state["f_units"] if u in units]
        st.multiselect("单位", units, key="f_units", placeholder="全部单位")
        st.radio("对比", list(COMPARE), key="f_compare", horizontal=True)
        st.toggle("演示模式", key="f_present", help="放大字号、隐藏控件、每行一张图，便于截图和投影")
    for key in ("year", "period", "month", "units", "compare", "present", "range"):
        st.session_state[f"keep_{key}"] = st.session_state.get(f"f_{key}")
    period = chosen_period(st.session_state.get("f_year", dt.date.today().year)) if years else None
    write_query_params()
    return period, st.session_state["f_units"] or None, COMPARE[st.session_state["f_compare"]], \
        st.session_state["f_present"]


def write_query_params() -> None:
    state = st.session_state
    params = {"year": str(state.get("f_year", "")), "period": PERIODS[state["f_period"]],
              "compare": COMPARE[state["f_compare"]]}
    if params["period"] == "M":
        params["month"] = str(state["f_month"])
    picked = state.get("f_range") or ()
    if params["period"] == "R" and len(picked) == 2:
        params["from"], params["to"] = picked[0].isoformat(), picked[1].isoformat()
    if state["f_present"]:
        params["present"] = "1"
    if state["f_units"]:
        params["unit"] = state["f_units"]
    if dict(st.query_params.to_dict()) != params or st.query_params.get_all("unit") != state["f_units"]:
        st.query_params.from_dict(params)


PAGES = (("app.py", "总览", ":material/dashboard:"), ("pages/1_活动参与.py", "活动参与", ":material/groups:"),
         ("pages/2_经费支出.py", "经费支出", ":material/payments:"),
         ("pages/3_慰问帮扶.py", "慰问帮扶", ":material/volunteer_activism:"),
         ("pages/4_捐款捐物.py", "捐款捐物", ":material/favorite:"),
         ("pages/5_比赛获奖.py", "比赛获奖", ":material/emoji_events:"),
         ("pages/6_工作总结.py", "工作总结", ":material/description:"),
         ("pages/7_数据管理.py", "数据管理", ":material/folder_open:"))


def navigation() -> None:
    """Chinese page names in a fixed order (the file-name navigation is switched off in config.toml)."""
    with st.sidebar:
        for path, label, icon in PAGES:
            st.page_link(path, label=label, icon=icon)
        st.divider()


PRESENTING_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"] {display: none;}
html, body, [data-testid="stMarkdownContainer"] p {font-size: 1.25rem;}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {font-size: 2.8rem !important;}
[data-testid="stMetricLabel"] p {font-size: 1.3rem !important;}
</style>
"""


def set_up(title: str) -> View:
    icon = next(i for _, label, i in PAGES if label == title)
    st.set_page_config(page_title=f"{title} · 工会活动统计", page_icon=icon, layout="wide")
    navigation()
    try:
        store = open_store()
    except ConnectionProblem as problem:
        from unionstats.ui.show import literal

        st.error(literal(str(problem)))
        st.stop()
    ensure_sample(store)
    actor = signin.current_actor(store)
    revision = store.revision()
    dataset = stored_dataset(store.url, revision)
    period, units, comparison, presenting = sidebar(*filter_options(store.url, revision))
    periods = None if period is None else [period, *(p for p in neighbours(period).values() if p is not None)]
    if MEASURE_AHEAD:
        measuring_ahead(store.url, revision)
    key = view_key(store.url, revision, periods, tuple(units or ()))
    result = stored_figures(store.url, key, period, tuple(units or ()), revision)
    if presenting:
        st.html(PRESENTING_CSS)
        if st.button("退出演示模式"):
            st.session_state["f_present"] = False
            st.session_state["keep_present"] = False
            st.rerun()
    sample = bool(sample_batches(store))
    signin.sign_out_button(store, actor)
    st.title(title)
    signin.standalone_notice(actor)
    said_after_change()
    return View(store, dataset, period, units, result, comparison, presenting, sample, revision, key, actor)


OUTCOME = "outcome"


def after_change(message: str) -> None:
    """Re-run after an import, delete or restore, saying once what was done.

    The cached rows and figures are keyed by the store's revision, which the change has moved on: nothing is
    cleared, so other sessions, and other stores, keep what is still true.
    """
    st.session_state[OUTCOME] = message
    st.rerun()


def said_after_change() -> None:
    message = st.session_state.pop(OUTCOME, None)
    if message:
        from unionstats.ui.show import literal

        st.success(literal(message))
