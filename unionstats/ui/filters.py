"""The sidebar's filters, kept in the session (so they survive a page switch) and in the URL's query parameters
(so a copied link opens the same view).

Streamlit 1.67's `bind="query-params"` with `persist_state="session"` was tried in its place on a fresh
server in classic multipage mode: a deep link opened first got its values, but a bound widget keeps its value
per page, so every page switch showed the defaults until the user came back. Hence the sync below."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import streamlit as st

from unionstats.contract.periods import HALF, MONTH, QUARTER, YEAR, Period, span

PERIODS = {"全年": "", "上半年": "H1", "下半年": "H2", "第一季度": "Q1", "第二季度": "Q2", "第三季度": "Q3",
           "第四季度": "Q4", "按月": "M", "自定义": "R"}


COMPARE = {"上期": "previous", "去年同期": "year_ago"}


PENDING_PERIOD = "pending_period"


DEFAULTS = {"period": "全年", "month": 1, "units": [], "compare": "上期", "present": False}


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
    picked: Sequence[dt.date] = st.session_state.get("f_range") or ()
    if code == "R" and len(picked) == 2:
        return span(picked[0], picked[1])
    if code in ("", "R"):
        return Period.of(YEAR, year)
    return Period.of(HALF if code[0] == "H" else QUARTER, year, int(code[1]))


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
    picked: Sequence[dt.date] = state.get("f_range") or ()
    if params["period"] == "R" and len(picked) == 2:
        params["from"], params["to"] = picked[0].isoformat(), picked[1].isoformat()
    if state["f_present"]:
        params["present"] = "1"
    if state["f_units"]:
        params["unit"] = state["f_units"]
    if dict(st.query_params.to_dict()) != params or st.query_params.get_all("unit") != state["f_units"]:
        st.query_params.from_dict(params)

