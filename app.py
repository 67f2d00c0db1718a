"""总览: the first page and the app's frame. Run with `streamlit run app.py`."""

import streamlit as st

from unionstats import builtin, charts
from unionstats.summary import write_summary
from unionstats.ui import show
from unionstats.ui.page import set_up

view = set_up("总览")
show.sample_notice(view)
if not show.no_period_notice(view):
    show.cards(view, [builtin.EVENTS, builtin.PARTICIPANTS, builtin.RATE, builtin.SPENDING])
    show.cards(view, [builtin.VISITS, builtin.VISIT_AMOUNT, builtin.CASH, builtin.AWARDS])
    show.chart_grid(view, [charts.participation_by_category, charts.participation_over_time,
                           charts.visits_by_reason, charts.spending_by_category])
    st.subheader("工作总结（开头）")
    st.text(write_summary(view.result).opening)
