"""The 工作总结's points for a slide: under each heading, one or two of its own sentences that carry figures.

A chairman speaks to a slide, not reads from it: each section gives its first sentence with a figure in it (本季度共
组织开展各类活动8次，参与职工518人次，较上季度下降10.5%) and, where one can be said in a line or two, a second
(其中参与人数最多的是…).
The sentences are the summary's own, so the slide says what the Word file says, in the same words and the same
numbers, and an edited summary's points are the edited sentences. A long sentence keeps its first clauses,
ending where a clause ends, never in the middle of a figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from unionstats.contract.numerals import int_to_chinese
from unionstats.writing.summary import UNITS_HEADING, Section, Summary

MOST = 64  # characters in a sentence: a line and a half at 18 pt across a 16:9 slide
SHORT = 44  # a line: a second sentence that cannot be cut (a listing) is said only when it is this short
NUMBERED = re.compile(r"^\d+[.、．]")  # 需要关注的几个方面 numbers its notes 1. 2.


@dataclass(frozen=True)
class Point:
    """A section as a slide shows it: its numbered heading and its sentences."""

    heading: str
    sentences: tuple[str, ...]


def summary_points(summary: Summary, one_unit: bool = False) -> list[Point]:
    """Each section's heading (一、…) and sentences; 各单位工作情况 left out when the view holds one unit, where
    it has nothing to compare. The sections keep their numbers from the summary."""
    shown = [s for s in summary.sections if not (one_unit and s.heading == UNITS_HEADING)]
    return [Point(f"{int_to_chinese(i)}、{s.heading}", section_sentences(s)) for i, s in enumerate(shown, 1)]


def section_sentences(section: Section) -> tuple[str, ...]:
    """The first sentence with a figure, cut to MOST characters; then, of the others with a figure, the first that
    is a line long (SHORT), else the first that opens with a figure and so can be cut, else the first that fits
    whole (a listing that opens 按类别分 or 其中 is never cut: its first items would read as the whole). A section
    without figures gives its first sentence. Numbered notes
    (需要关注的几个方面) are ranked, the most telling first: the first two, figures or not."""
    paragraphs = [*section.paragraphs, *(p for part in section.parts for p in part.paragraphs)]
    if paragraphs and all(NUMBERED.match(p) for p in paragraphs):
        return tuple(clipped(found[0]) for p in paragraphs[:2] if (found := sentences(NUMBERED.sub("", p))))
    found = [s for p in paragraphs for s in sentences(p)]
    figured = [s for s in found if has_figure(s)]
    if not figured:
        return tuple(clipped(s) for s in found[:1])
    tiers = (lambda s: len(s) + 1 <= SHORT, lambda s: has_figure(s.split("，")[0]), lambda s: len(s) + 1 <= MOST)
    second = next((s for fits in tiers for s in figured[1:] if fits(s)), None)
    return (clipped(figured[0]), *((clipped(second),) if second else ()))


def sentences(paragraph: str) -> list[str]:
    """A paragraph's sentences in order, each without its 。."""
    return [s.strip() for s in paragraph.split("。") if s.strip()]


def has_figure(sentence: str) -> bool:
    return any(c.isdigit() for c in sentence)


def clipped(sentence: str, most: int = MOST) -> str:
    """The sentence as it is when it fits, else its first clauses that do, up to a "，" and before any "；"
    (which parts the items of a listing); a first clause longer than `most` is kept whole. A clause that opens
    其中 is not left last: what it singles out is said in the clause after it."""
    if len(sentence) + 1 <= most:
        return f"{sentence}。"
    first, *clauses = sentence.split("；")[0].split("，")
    kept = [first]
    for clause in clauses:
        if len("，".join([*kept, clause])) + 1 > most:
            break
        kept.append(clause)
    while len(kept) > 1 and kept[-1].startswith("其中"):
        kept.pop()
    return "，".join(kept) + "。"
