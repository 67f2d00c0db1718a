import streamlit as st

from unionstats import charts, listing
from unionstats.ui.page import set_up
from unionstats.ui.show import charts as show_charts
from unionstats.ui.show import metric, no_period_notice, table

view = set_up("经费支出")
if not no_period_notice(view):
    cards = st.columns(3)
    with cards[0]:
        metric(view, "活动经费支出", ("events", "spending"), money=True)
    with cards[1]:
        metric(view, "人均（按会员）", ("events", "spending_per_member"), money=True)
    with cards[2]:
        metric(view, "每人次", ("events", "spending_per_participant"), money=True)
    show_charts(view, [charts.spending_by_category, charts.spending_over_time, charts.spending_per_head])
    labels = {"count": "活动次数", "participants": "参与人次", "spending": "支出（元）"}
    table(listing.category_table(view.result["events"]["by_category"], labels, "类别"), "各类活动经费")
