import streamlit as st

from unionstats import charts, listing
from unionstats.ui.page import set_up
from unionstats.ui.show import charts as show_charts
from unionstats.ui.show import metric, no_period_notice, table

view = set_up("慰问帮扶")
if not no_period_notice(view):
    cards = st.columns(2)
    with cards[0]:
        metric(view, "慰问人次", ("visits", "count"), "人次")
    with cards[1]:
        metric(view, "慰问金额", ("visits", "amount"), money=True)
    show_charts(view, [charts.visits_by_reason, charts.visits_by_group])
    table(listing.visit_reasons(view.result), "按事由统计（不显示慰问对象姓名）")
