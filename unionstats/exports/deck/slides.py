"""The deck's other slides: the title, a message when there is nothing to show, 主要数据 (the 总览 page's KPI
cards with their 环比 and 同比 changes) and a kind's table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.presentation import Presentation as Deck
from pptx.util import Emu, Inches

from unionstats.charts.chart import Grid
from unionstats.contract.periods import YEAR
from unionstats.contract.registry import Card, registered
from unionstats.exports.deck.shapes import (
    ACCENT,
    BODY_TOP,
    CARD_FILL,
    CARD_LINE,
    DOWN,
    HEIGHT,
    INK,
    MARGIN,
    MUTED,
    UP,
    WIDTH,
    Line,
    blank_slide,
    content_slide,
    rectangle,
    rgb,
    set_font,
    text_box,
)
from unionstats.exports.text import printable
from unionstats.figures.typed import Comparison, Figures
from unionstats.writing import cards as kpi
from unionstats.writing.summary import previous_name


def overview_cards(result: Figures) -> list[Card]:
    """Every kind's cards for 总览 and the 主要数据 slide that the view's figures show, in the kinds' order."""
    return [card for kind in registered() for card in kind.overview_cards if card.shown(result)]


def title_slide(deck: Deck, organisation: str, period: str, today: dt.date) -> None:
    slide = blank_slide(deck)
    rectangle(slide, 0, 0, WIDTH, Inches(0.35), ACCENT)
    rectangle(slide, MARGIN, Inches(4.55), Inches(1.6), Inches(0.08), ACCENT)
    text_box(slide, MARGIN, Inches(1.7), WIDTH - 2 * MARGIN, Inches(1.6), [Line(organisation, 40, bold=True)],
             anchor=MSO_ANCHOR.BOTTOM)
    text_box(slide, MARGIN, Inches(3.45), WIDTH - 2 * MARGIN, Inches(0.9), [Line(f"{period}工作汇报", 32)])
    text_box(slide, MARGIN, Inches(4.9), WIDTH - 2 * MARGIN, Inches(0.6),
             [Line(f"{today.year}年{today.month}月{today.day}日", 20, colour=MUTED)])


def message_slide(deck: Deck, title: str, footer: str, message: str) -> None:
    slide = content_slide(deck, title, footer)
    text_box(slide, MARGIN, BODY_TOP, WIDTH - 2 * MARGIN, Inches(3), [Line(message, 24, colour=MUTED)])


@dataclass(frozen=True)
class Against:
    """An earlier period the cards compare with: its short name on a card (环比), in a sentence (上季度), and the
    like-for-like comparison (stats.figures)."""

    short: str
    against: str
    comparison: Comparison


def comparisons(result: Figures) -> list[Against]:
    """环比 with the period before and 同比 with the same period a year earlier; a year has only 上年."""
    period = result.period
    if period is None:
        return []
    if period.kind == YEAR:
        found = [("", previous_name(period), result.previous)]
    else:
        found = [("环比", previous_name(period), result.previous), ("同比", "去年同期", result.year_ago)]
    return [Against(short, against, comparison) for short, against, comparison in found if comparison is not None]


def comparison_note(compared: list[Against]) -> str:
    if not compared:
        return "没有可比的往期数据"
    said = "；".join(f"{c.short}：与{c.against}相比" if c.short else f"与{c.against}相比" for c in compared)
    left_out = kpi.left_out_units([(c.comparison, c.against) for c in compared])
    return f"{said}；按可比口径，不含{left_out}" if left_out else said


def key_figures_slide(deck: Deck, result: Figures, footer: str) -> None:
    """The cards whose figure the view can give: one it cannot (平均参与率 without member counts) is left out,
    since a slide put before a meeting has no room to explain an unknown."""
    compared = comparisons(result)
    slide = content_slide(deck, "主要数据", footer, comparison_note(compared))
    cards = [card for card in overview_cards(result) if kpi.card_value(card, result) is not None]
    columns, gap = max(4, -(-len(cards) // 2)), Inches(0.18)  # two rows: more cards (a budget's) make them narrower
    width = (WIDTH - 2 * MARGIN - gap * (columns - 1)) // columns
    height = Inches(2.35)
    for index, card in enumerate(cards):
        left = MARGIN + (width + gap) * (index % columns)
        top = BODY_TOP + (height + gap) * (index // columns)
        card_shape(slide, left, top, width, height, card, result, compared, scale=4 / columns)


def card_shape(slide, left, top, width, height, card: Card, result: Figures, compared: list[Against],
               scale: float = 1.0) -> None:
    """A card as the dashboard shows it; `scale` shrinks its type for a narrower card."""
    rectangle(slide, left, top, width, height, CARD_FILL, CARD_LINE, rounded=True)
    value = kpi.card_value(card, result)
    moves = [kpi.card_comparison(card, against.comparison, against.against) for against in compared]
    crowded = len(compared) > 1 and any(moved and moved.comparable for moved in moves)
    sizes = (16, 34, 15, 13) if len(compared) < 2 else (13, 26, 12, 10.5) if crowded else (14, 30, 14, 12)
    label, shown, moved_size, earlier_size = (round(size * scale * 2) / 2 for size in sizes)
    lines = [Line(card.label, label, colour=MUTED, space_after=4),
             Line(kpi.value_text(card, value), shown, bold=True, space_after=6)]
    for against, moved in zip(compared, moves):
        if moved:
            flat = "持平" in moved.text
            text = moved.text.removesuffix(f" 较{against.against}")  # the note names the period
            text = text.replace(f"与{against.against}持平", "持平").removeprefix("可比 ")  # the line below says 可比
            colour = MUTED if flat else UP if "+" in text else DOWN
            lines.append(Line(f"{against.short} {text}".strip(), moved_size, colour=colour))
            lines.append(Line(moved.earlier, earlier_size, colour=MUTED, space_after=4))
    inset = Inches(0.16)
    text_box(slide, left + inset, top + Inches(0.18), width - 2 * inset, height - Inches(0.3), lines)


def grid_slide(deck: Deck, grid: Grid, footer: str) -> None:
    """A table slide (a kind's `slides`): its rows as large as the room allows."""
    slide = content_slide(deck, grid.title, footer, grid.note)
    headers, rows = list(grid.headers), [list(row) for row in grid.rows]
    row_height = min(Inches(0.6), (HEIGHT - BODY_TOP - Inches(0.8)) // (len(rows) + 1))
    size = 18 if len(rows) <= 6 else 15  # a few rows: as large as the room allows
    frame = slide.shapes.add_table(len(rows) + 1, len(headers), MARGIN, BODY_TOP, WIDTH - 2 * MARGIN,
                                   row_height * (len(rows) + 1))
    table = frame.table
    table.columns[0].width = Inches(4.2)
    for index in range(1, len(headers)):
        table.columns[index].width = (WIDTH - 2 * MARGIN - Inches(4.2)) // (len(headers) - 1)
    for r, cells in enumerate([headers, *rows]):
        table.rows[r].height = row_height
        for c, text in enumerate(cells):
            cell = table.cell(r, c)
            cell.margin_top = cell.margin_bottom = Emu(0)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            cell.fill.solid()
            cell.fill.fore_color.rgb = rgb(ACCENT if r == 0 else CARD_FILL if r % 2 else "#FFFFFF")
            paragraph = cell.text_frame.paragraphs[0]
            paragraph.alignment = PP_ALIGN.LEFT if c == 0 else PP_ALIGN.RIGHT
            run = paragraph.add_run()
            run.text = printable(text)
            set_font(run.font, size, bold=r == 0, colour="#FFFFFF" if r == 0 else INK)
