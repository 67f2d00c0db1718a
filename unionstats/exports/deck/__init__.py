"""The 汇报PPT: one period's figures as a 16:9 deck to take to a meeting.

A title slide; 主要数据, the 总览 page's KPI cards with their 环比 and 同比
changes; one slide per dashboard chart, each a native PowerPoint chart whose
numbers a secretary can still edit (编辑数据 in PowerPoint and WPS); the
units side by side when the view holds several; and 工作要点, each of the 工作总结's
headings with the sentences that carry its figures, its full text in the speaker notes.

The charts are read from the dashboard's own plotly figures (`charts.py`),
so their order, values, units and category colours are the pages', and
their data labels are written by the dashboard's own `chart_rules.value_text`;
each chart slide's notes say how the chart is counted (`charts.help_of`). Every run names
an East Asian font (a:ea) beside its Latin one: Office and WPS on Windows
take 微软雅黑, and the GB2312 charset on the element, with the theme's
Chinese font, lets a machine without it substitute its own (LibreOffice on
Linux takes Noto Sans CJK), never boxes. No name from the 对象 column can
appear: the figures never carry one.

The deck is built in four modules: `shapes` (the deck, its fonts, text boxes and the frame of a slide),
`chart_slides` (each chart as a native PowerPoint chart), `slides` (the title, 主要数据 and table slides) and
`point_slides` (工作要点). This module puts them in order.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import BinaryIO

from pptx.presentation import Presentation as Deck

from unionstats.charts.chart import Chart, every_chart
from unionstats.contract.registry import registered
from unionstats.exports.deck.chart_slides import chart_slide
from unionstats.exports.deck.point_slides import summary_slides
from unionstats.exports.deck.shapes import new_deck, number_slides, set_note
from unionstats.exports.deck.slides import (
    grid_slide,
    key_figures_slide,
    message_slide,
    overview_cards,
    title_slide,
)
from unionstats.exports.deck.subtitles import chart_subtitle
from unionstats.exports.text import printable
from unionstats.figures.typed import Figures
from unionstats.writing.summary import Summary, write_summary

__all__ = ["deck_bytes", "overview_cards", "write_deck"]


def write_deck(result: Figures, organisation: str | None, target: str | Path | BinaryIO,
               summary: Summary | None = None, today: dt.date | None = None) -> None:
    """The deck of `result` (stats.figures) for `organisation` (default: the view's one unit, else 工会),
    saved to a path or a binary file. `summary` is the 工作总结 as edited, else written from the figures."""
    name = organisation or (result.units[0] if len(result.units) == 1 else "工会")
    summary = summary or write_summary(result, organisation)
    period = result.period.label if result.period else ""
    deck = new_deck()
    deck.core_properties.title = printable(f"{name}{period}工作汇报")
    footer = f"{name}　{period}"
    title_slide(deck, name, period, today or dt.date.today())
    if result.period is None or result.empty:
        message_slide(deck, "主要数据", footer, "所选范围内没有活动、慰问、捐款或比赛记录。")
    else:
        key_figures_slide(deck, result, footer)
        every = every_chart(result)
        for chart in every:
            if not chart.per_unit:
                said_chart_slide(deck, chart, footer, period)
        for kind in registered():
            for grid in kind.slides(result) if kind.slides else ():
                grid_slide(deck, grid, footer)
        for chart in every:
            if chart.per_unit:
                said_chart_slide(deck, chart, footer, period)
    summary_slides(deck, summary, footer, one_unit=len(result.units) == 1)
    number_slides(deck)
    deck.save(str(target) if isinstance(target, Path) else target)


def said_chart_slide(deck: Deck, chart: Chart, footer: str, period: str) -> None:
    """The chart's slide (`chart_slides`), the line under its title replaced by a sentence a chairman reads out
    (`subtitles`), which says what is counted and never 最多 of one part or of parts that tie."""
    before = len(deck.slides)
    chart_slide(deck, chart, footer)
    if len(deck.slides) > before:
        set_note(deck.slides[-1], chart_subtitle(chart, period))


def deck_bytes(result: Figures, organisation: str | None, summary: Summary | None = None) -> bytes:
    """The .pptx as bytes, for a download button that builds it only when pressed."""
    buffer = io.BytesIO()
    write_deck(result, organisation, buffer, summary)
    return buffer.getvalue()
