import streamlit as st

from unionstats import charts, listing
from unionstats.ui.page import set_up
from unionstats.ui.show import charts as show_charts
from unionstats.ui.show import metric, no_period_notice, table

view = set_up("捐款捐物")
if not no_period_notice(view):
    cards = st.columns(3)
    with cards[0]:
        metric(view, "捐款捐物次数", ("donations", "count"), "次")
    with cards[1]:
        metric(view, "捐款金额", ("donations", "cash"), money=True)
    with cards[2]:
        metric(view, "捐赠物资", ("donations", "goods"), "件")
    show_charts(view, [charts.donations_by_campaign], columns=1)
    labels = {"count": "次数", "cash": "捐款（元）", "goods": "物资（件）"}
    table(listing.category_table(view.result["donations"]["by_campaign"], labels, "项目"), "各项目捐款捐物")
