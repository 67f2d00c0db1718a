"""A kind's page, laid out from its description: cards, the charts worth drawing for the view, and its table.

Each file in `pages/` for a kind is two lines that name the page; everything else comes from the registry.
"""

from __future__ import annotations

import streamlit as st

from unionstats.contract.registry import registered
from unionstats.exports.deck import overview_cards
from unionstats.ui import show
from unionstats.ui.page import set_up
from unionstats.ui.view import View


def show_overview(view: View) -> None:
    """总览's cards, four to a row (the deck's 主要数据 slide shows the same), and its charts: each kind's own."""
    show.cards(view, overview_cards(view.result))
    show.chart_grid(view, [build for kind in registered() for build in kind.overview_charts])


def show_page(title: str) -> None:
    """The page of that title, of whichever kind has it."""
    page = next(page for kind in registered() for page in kind.pages if page.title == title)
    view = set_up(title)
    if show.no_period_notice(view):
        return
    absent = page.absent(view.result) if page.absent else None
    if absent:
        st.info(absent, icon="ℹ️")
        return
    show.cards(view, [card for card in page.cards if card.shown(view.result)])
    show.chart_grid(view, list(page.charts), columns=page.columns)
    if page.table is not None:
        show.page_table(view, page.table)
