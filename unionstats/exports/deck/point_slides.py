"""工作要点: the 工作总结's points (`writing.points`), each heading with the sentences that carry its figures, on as
few slides as a readable size allows, and the summary's whole text in the notes.

The height each point takes is worked out before it is placed (CJK text wraps at any character, and each line's
spacing is exact), so that a slide never overflows its footer in PowerPoint, WPS or LibreOffice; what one slide
cannot hold continues on the next rather than shrinking below 16 pt.
"""

from __future__ import annotations

import dataclasses
import math

from pptx.presentation import Presentation as Deck
from pptx.util import Inches, Pt

from unionstats.exports.deck.shapes import (
    ACCENT,
    BODY,
    BODY_TOP,
    HEIGHT,
    MARGIN,
    WIDTH,
    Line,
    content_slide,
    ems,
    speaker_notes,
    text_box,
)
from unionstats.writing.points import Point, summary_points
from unionstats.writing.summary import Summary

POINT_SIZES = ((22, 18), (20, 16))  # (heading, sentence): never below 16 pt, readable from the back of a room
LEADING = 1.3  # exact line spacing, as a multiple of the size: a CJK face's ascent and descent fit in it
POINTS_LEFT, POINTS_TOP = MARGIN + Inches(0.2), BODY_TOP + Inches(0.1)
POINTS_WIDTH, POINTS_HEIGHT = WIDTH - 2 * MARGIN - Inches(0.4), HEIGHT - BODY_TOP - Inches(0.9)


def summary_slides(deck: Deck, summary: Summary, footer: str, one_unit: bool) -> None:
    """The 工作总结's points (`points.summary_points`): each heading with the sentences that carry its figures, on
    as few slides as the sizes of POINT_SIZES allow, at the larger size where that takes no more slides; what one
    slide cannot hold continues on 工作要点（续）, a section never parted from its heading. Each slide has the whole
    text in its notes, to read from."""
    points = summary_points(summary, one_unit)
    if not points:
        slide = content_slide(deck, "工作要点", footer, summary.title)
        text_box(slide, POINTS_LEFT, POINTS_TOP, POINTS_WIDTH, POINTS_HEIGHT, [Line(summary.opening, 20)])
        speaker_notes(slide, summary.text())
        return
    laid = [pages_of(points, *sizes) for sizes in POINT_SIZES]
    fewest = min(len(pages) for pages in laid)
    chosen = next(pages for pages in laid if len(pages) == fewest)  # the larger size on a tie
    for index, page in enumerate(chosen):
        slide = content_slide(deck, "工作要点（续）" if index else "工作要点", footer, summary.title)
        text_box(slide, POINTS_LEFT, POINTS_TOP, POINTS_WIDTH, POINTS_HEIGHT, page)
        speaker_notes(slide, summary.text())


def point_lines(point: Point, heading: float, size: float) -> list[Line]:
    return [Line(point.heading, heading, bold=True, colour=ACCENT, space_after=2, leading=LEADING),
            *(Line(s, size, colour=BODY, space_after=2, leading=LEADING) for s in point.sentences)]


ROOM = POINTS_HEIGHT - Inches(0.1)  # a text box keeps 0.05" above and below its text


def pages_of(points: list[Point], heading: float, size: float) -> list[list[Line]]:
    """The points' lines on as few pages as hold them, a point kept whole on one page, and the pages as even as
    that allows (two half-full slides, not a full one and a heading alone)."""
    blocks = [point_lines(point, heading, size) for point in points]
    blocks = [[*lines[:-1], dataclasses.replace(lines[-1], space_after=size * 0.6)] for lines in blocks]
    fewest = len(filled(blocks, ROOM))
    even = sum(height(lines) for lines in blocks) / fewest
    caps = (even * (1 + step / 20) for step in range(20))  # from an even share up, 5% at a time
    return filled(blocks, next((cap for cap in caps if cap < ROOM and len(filled(blocks, cap)) == fewest), ROOM))


def filled(blocks: list[list[Line]], cap: float) -> list[list[Line]]:
    """The blocks in order on pages, each page taking blocks while they stay within `cap` (a block taller than the
    cap alone on its page)."""
    pages: list[list[Line]] = [[]]
    for lines in blocks:
        if pages[-1] and height(pages[-1] + lines) > cap:
            pages.append([])
        pages[-1] += lines
    return pages


def height(lines: list[Line]) -> int:
    """The height the lines take in the text box, in EMU: each wraps (CJK breaks anywhere) at the box's width,
    kept 5% short of it for the characters that may not begin or end a line."""
    total = 0.0
    for line in lines:
        per_line = POINTS_WIDTH * 0.95 / Pt(line.size)
        rows = max(1, math.ceil(ems(line.text) / per_line))
        total += Pt(rows * line.size * (line.leading or 1.2) + line.space_after)
    return round(total)
