import streamlit as st

from unionstats import charts, listing
from unionstats.ui.page import set_up
from unionstats.ui.show import charts as show_charts
from unionstats.ui.show import metric, no_period_notice, table

view = set_up("比赛获奖")
if not no_period_notice(view):
    cards = st.columns(3)
    with cards[0]:
        metric(view, "比赛成绩", ("competitions", "count"), "项")
    with cards[1]:
        metric(view, "参加比赛", ("competitions", "names"), "项")
    with cards[2]:
        metric(view, "获得奖项", ("competitions", "awards"), "个")
    show_charts(view, [charts.awards_by_level, charts.awards_by_result])
    table(listing.rows(view.dataset, "competitions", view.period, view.units), "比赛成绩明细")
