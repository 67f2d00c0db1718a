"""Placing things on a page: charts fit for a projector, KPI cards, tables, notices."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from unionstats.charts.chart import Chart
from unionstats.contract.registry import Card
from unionstats.exports import plotting
from unionstats.figures.bounded import kept
from unionstats.figures.nearest import nearest_period, no_data_text
from unionstats.figures.typed import Figures
from unionstats.kinds.kind import Table
from unionstats.ui.chinese import PLOTLY_LOCALE
from unionstats.ui.filters import show_period
from unionstats.ui.looks import CARDS, CHARTS
from unionstats.ui.markdown import literal
from unionstats.ui.view import View
from unionstats.writing import cards as kpi
from unionstats.writing.filenames import safe_name
from unionstats.writing.summary import previous_name
from unionstats.writing.tables import money_formats


def chart_config(title: str) -> dict:
    """Plotly's toolbar in Chinese, with its one button that matters here, the PNG download at 3x named after
    the chart's title (zooming and panning a dozen bars only loses the picture)."""
    filename = safe_name(title) or "chart"
    return {"displaylogo": False, "locale": "zh-CN", "locales": PLOTLY_LOCALE, "modeBarButtons": [["toImage"]],
            "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 3}}


def chart(view: View, build: Callable[[Figures, str], Chart]) -> tuple[Chart, go.Figure]:
    """The chart for the view, described and drawn: once per figures key, filters and size, and shared by every
    session (drawing a plotly figure costs more than the figures it draws; Streamlit only reads it)."""
    if not view.key:
        described = build(view.result, view.scope)
        return described, plotting.figure(described, view.presenting)
    key = (f"{build.__module__}.{build.__qualname__}", id(build), view.store.url, view.key, view.period,
           tuple(view.units or ()), view.scope, view.presenting)
    return kept_chart(key, build, view.result)


CHARTS_MB = 256  # the drawn charts kept for every session (bounded.py)


@kept(CHARTS_MB, key=lambda key, _build, _result: key)
def kept_chart(key: tuple, _build: Callable[[Figures, str], Chart], _result: Figures) -> tuple[Chart, go.Figure]:
    described = _build(_result, key[-2])
    return described, plotting.figure(described, key[-1])


def chart_grid(view: View, builders: list[Callable[[Figures, str], Chart]], columns: int = 2) -> None:
    """The charts worth drawing for the view side by side, or one per row in 演示模式, each with a line beneath
    saying how it is counted."""
    drawn = [(described, figure) for described, figure in (chart(view, build) for build in builders)
             if described.worth]
    per_row = 1 if view.presenting else columns
    with st.container(key=keyed(CHARTS, [described.title for described, _ in drawn])):
        for start in range(0, len(drawn), per_row):
            slots = st.columns(per_row)
            for slot, (described, figure) in zip(slots, drawn[start:start + per_row]):
                with slot:
                    st.plotly_chart(figure, width="stretch", config=chart_config(described.title), theme=None)
                    if described.help:
                        st.caption(literal(described.help))


def against(view: View) -> str:
    """The earlier period a card's change is measured against, as a sentence names it: 较上季度, 较去年同期."""
    if view.comparison == "year_ago":
        return "去年同期"
    return previous_name(view.result.period) if view.result.period else "上期"


def delta_text(current: float | None, earlier_value: float | None, view: View, money: bool = False) -> str | None:
    return kpi.change_text(current, earlier_value, against(view), money)


def metric(view: View, card: Card) -> None:
    """A KPI card: its figure, and its change against the comparison chosen, like for like (kpi.card_comparison):
    where a unit reported only now, the change says 可比单位 and its help gives both figures it is measured between."""
    value = kpi.card_value(card, view.result)
    if value is None:
        st.metric(card.label, "未知", border=True, help=f"{card.help}。需要在「单位信息」表或单位名录中填写会员人数")
        return
    moved = kpi.card_comparison(card, view.earlier, against(view))
    delta = moved.text if moved else None
    flat = delta is not None and "持平" in delta
    said = [card.help, moved.earlier if moved else ""]
    st.metric(card.label, kpi.value_text(card, value), delta, delta_color="off" if flat else "normal",
              delta_arrow="off" if flat else "auto", border=True, height="stretch",
              help="。".join(literal(line) for line in said if line) or None)


def points_text(rate: float, earlier: float | None, view: View) -> str | None:
    """A participation rate's change in percentage points: `+1.2个百分点 较上期`, or `与上期持平`."""
    return kpi.points_text(rate, earlier, against(view))


WRAPPING_DELTA = """<style>
[data-testid="stMetricDelta"] {height: auto; align-items: flex-start;}
[data-testid="stMetricDelta"] .stMarkdownEllipsis, [data-testid="stMetricDelta"] p
  {white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
   word-break: keep-all;}
</style>"""
PER_ROW = 4  # cards side by side, on the screen and in 演示模式 (a phone shows two: looks.EVERY_PAGE)


def keyed(kind: str, names: list[str]) -> str:
    """A container's key for looks.py's rules (`st-key-cards…`), unique on the page for what it holds."""
    return f"{kind}_{hashlib.sha1('|'.join(names).encode()).hexdigest()[:10]}"


def cards(view: View, row: list[Card]) -> None:
    """KPI cards side by side, four at most to a row, each with its 环比 or 同比 change, which wraps when too
    long for its card (a 1280 px screen fits "+321（18.6%） 较上季度" on two lines, not one, broken at the space,
    not inside 较上季度); cards of a row are equally tall. In 演示模式 a card that cannot be computed is left
    out: a projector shows figures, not "未知"."""
    if view.presenting:
        row = [card for card in row if kpi.card_value(card, view.result) is not None]
    st.html(WRAPPING_DELTA)
    with st.container(key=keyed(CARDS, [card.label for card in row])):
        for start in range(0, len(row), PER_ROW):
            for slot, card in zip(st.columns(min(PER_ROW, len(row))), row[start:start + PER_ROW]):
                with slot:
                    metric(view, card)


WHOLE_ROWS = 100  # rows shown with their whole text; a longer list gets a sortable table of every row beneath


def whole_table(frame: pd.DataFrame, what: str) -> None:
    """A table whose long texts wrap and are read whole (st.dataframe cuts a cell at its column's width): the
    first WHOLE_ROWS rows, and past them every row in a sortable table, folded. st.table renders Markdown in its
    cells, so each is escaped to show as typed."""
    shown = frame.head(WHOLE_ROWS).astype(object).map(lambda v: "" if pd.isna(v) else literal(str(v)))
    st.table(shown, hide_index=True)
    if len(frame) > WHOLE_ROWS:
        with st.expander(f"全部{len(frame)}条{what}（上表只列出前{WHOLE_ROWS}条）"):
            st.dataframe(frame, hide_index=True, width="stretch")


def table(frame: pd.DataFrame, caption: str, formats: dict[str, str] | None = None) -> None:
    """A kind's table, its money written 30,400 or 4,698.70 by the browser (tables.money_formats), the values
    numbers that sort as numbers. Not a pandas Styler: Streamlit renders a Styler's every cell on the server on
    every run (a federation's year of activities took about a second a rerun) and refuses one past
    `styler.render.max_elements` cells."""
    st.caption(caption)
    formats = money_formats(frame) if formats is None else formats
    st.dataframe(frame, hide_index=True, width="stretch",
                 column_config={c: st.column_config.NumberColumn(format=f) for c, f in formats.items()})


def page_table(view: View, spec: Table) -> None:
    """The table under a kind's charts: built from the rows once per figures key and filters, and shared by every
    session like the charts (selecting, sorting and checking a year's rows for fen is the same on every rerun)."""
    if not view.key:
        table(spec.build(view.dataset, view.period, view.units, view.result), spec.caption)
        return
    key = (spec.caption, id(spec.build), view.store.url, view.key, view.period, tuple(view.units or ()))
    frame, formats = kept_table(key, spec.build, view)
    table(frame, spec.caption, formats)


TABLES_MB = 256  # the kinds' tables kept for every session (bounded.py)


@kept(TABLES_MB, key=lambda key, _build, _view: key)
def kept_table(key: tuple, _build: Callable[..., pd.DataFrame], _view: View) -> tuple[pd.DataFrame, dict[str, str]]:
    frame = _build(_view.dataset, _view.period, _view.units, _view.result)
    return frame, money_formats(frame)


def no_period_notice(view: View) -> bool:
    """Whether the view has nothing to show (said here, so the page shows no cards, charts or downloads): a
    store without rows, or a period without rows of the units, with a button to the nearest one that has."""
    if view.result.period is None:
        st.warning("还没有任何数据。请到「数据管理」页面上传工作簿。")
        return True
    if view.result.empty:
        nearest = nearest_period(view.dataset, view.result.period, view.units)
        st.warning(literal(no_data_text(view.result.period, view.units, nearest)))
        if nearest is not None and st.button(f"查看{nearest.label}", key="nearest_period", type="primary"):
            show_period(nearest)
            st.rerun()
        return True
    if view.presenting:  # (the heading says the union and the period)
        return False
    note = kpi.left_out_note(view.earlier, against(view))
    st.caption(f"统计期：{view.result.period.label}　范围：{literal(view.scope)}"
               + (f"　{literal(note)}" if note else ""))
    return False
