"""总览: the first page and the app's frame. Run with `streamlit run app.py`."""

import streamlit as st

from unionstats import charts
from unionstats.summary import write_summary
from unionstats.ui.page import set_up
from unionstats.ui.show import charts as show_charts
from unionstats.ui.show import metric, no_period_notice, sample_notice

view = set_up("总览")
sample_notice(view)
if not no_period_notice(view):
    cards = st.columns(4)
    with cards[0]:
        metric(view, "活动次数", ("events", "count"), "次")
    with cards[1]:
        metric(view, "参与人次", ("events", "participants"), "人次")
    with cards[2]:
        metric(view, "平均参与率", ("events", "participation_rate"), rate=True)
    with cards[3]:
        metric(view, "活动经费支出", ("events", "spending"), money=True)
    cards = st.columns(4)
    with cards[0]:
        metric(view, "慰问人次", ("visits", "count"), "人次")
    with cards[1]:
        metric(view, "慰问金额", ("visits", "amount"), money=True)
    with cards[2]:
        metric(view, "捐款金额", ("donations", "cash"), money=True)
    with cards[3]:
        metric(view, "获得奖项", ("competitions", "awards"), "个")
    show_charts(view, [charts.participation_by_category, charts.participation_over_time,
                       charts.visits_by_reason, charts.spending_by_category])
    st.subheader("工作总结（开头）")
    st.text(write_summary(view.result).opening)
