import streamlit as st

from unionstats import charts, listing
from unionstats.ui.page import set_up
from unionstats.ui.show import charts as show_charts
from unionstats.ui.show import metric, no_period_notice, table

view = set_up("活动参与")
if not no_period_notice(view):
    cards = st.columns(3)
    with cards[0]:
        metric(view, "活动次数", ("events", "count"), "次")
    with cards[1]:
        metric(view, "参与人次", ("events", "participants"), "人次")
    with cards[2]:
        metric(view, "平均参与率", ("events", "participation_rate"), rate=True)
    builders = [charts.participation_by_category, charts.participation_over_time, charts.participation_rate_by_unit]
    if len(view.result["events"]["by_unit"]) > 1:
        builders.append(charts.unit_comparison)
    show_charts(view, builders)
    table(listing.rows(view.dataset, "events", view.period, view.units), "活动明细")
