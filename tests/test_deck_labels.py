"""The 汇报PPT's charts as LibreOffice draws them: no two texts of a chart meet, and no value label leaves its chart
or the slide.

Each period of the sample gets its deck (every year, half and quarter, and every month since 2008: 216 of them, the
sample's 24 among empty ones), all rendered in one LibreOffice run; pdfplumber reads where each text was drawn (the
characters of one text follow each other in the page's content, on one baseline), the deck itself where its charts
stand and which value labels it asked for (each point's number format).
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu
from rendering import office, to_pdf
from test_browser_labels import Box, clashes

from conftest import ROOT
from unionstats.contract.periods import parse_period
from unionstats.exports.deck import write_deck
from unionstats.figures.engine import figures
from unionstats.intake.loading import load_path

SAMPLE = load_path(ROOT / "data" / "sample.xlsx")
ORGANISATION = "江城市农业科学研究所工会"
VIEWS = ("2024", "2025", "2024H1", "2024H2", "2025H1", "2025H2",
         *(f"{year}Q{quarter}" for year in (2024, 2025) for quarter in range(1, 5)),
         "2024-11", "2008-01-01..2025-12-31")
SLACK = 1.0  # pt two texts may share, or a label may reach past its chart
JOINED = 0.6  # a gap narrower than this many type sizes on one baseline is inside one text (LibreOffice sets
# the digits and the Chinese of 0.47万元 in two fonts, a little apart)
SHOTS = ROOT / "tests" / "screenshots"


@dataclass(frozen=True)
class Piece:
    """One text as LibreOffice drew it, in points from the page's top left corner."""

    text: str
    left: float
    top: float
    right: float
    bottom: float

    def box(self) -> Box:
        corners = ((self.left, self.top), (self.right, self.top), (self.right, self.bottom), (self.left, self.bottom))
        return Box(self.text, "text", corners)

    def within(self, frame: tuple[float, float, float, float]) -> bool:
        left, top, right, bottom = frame
        return left <= (self.left + self.right) / 2 <= right and top <= (self.top + self.bottom) / 2 <= bottom


def pieces(chars: list[dict]) -> list[Piece]:
    """The page's texts: its characters in the order they were drawn, a text going on while the next character
    stands on the same baseline just after the last one."""
    found: list[list[dict]] = []
    for char in chars:
        if not char["text"].strip():
            continue
        last = found[-1][-1] if found else None
        if (last is not None and abs(char["matrix"][5] - last["matrix"][5]) < 0.5
                and last["x1"] - 0.3 * char["size"] <= char["x0"] <= last["x1"] + JOINED * char["size"]):
            found[-1].append(char)
        else:
            found.append([char])
    return [Piece("".join(c["text"] for c in text), min(c["x0"] for c in text), min(c["top"] for c in text),
                  max(c["x1"] for c in text), max(c["bottom"] for c in text)) for text in found]


def label_text(value: float, number_format: str) -> str:
    """A data label as its number format writes the value: 0.00"万元", 0"人次", a quoted text, or "" for none."""
    plain = re.fullmatch(r'(0(?:\.(0+))?)"(.*)"', number_format)
    if plain:
        return f"{value:.{len(plain.group(2) or '')}f}{plain.group(3)}"
    return number_format.strip('"')


def asked_labels(chart) -> set[str]:
    """The value labels a native chart asks for: each point's value in its label's number format."""
    found = set()
    for plot in chart.plots:
        for series in plot.series:
            formats = {int(label.find(qn("c:idx")).get("val")): label.find(qn("c:numFmt")).get("formatCode")
                       for label in series._element.iter(qn("c:dLbl"))}
            found |= {label_text(value, formats[i]) for i, value in enumerate(series.values) if i in formats}
    return found - {""}


def pt(length: int) -> float:
    return Emu(length).pt


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> list[tuple[str, Path, Path]]:
    office()
    folder = tmp_path_factory.mktemp("deck-labels")
    decks = []
    for view in VIEWS:
        path = folder / f"{view.replace('..', '至')}.pptx"
        write_deck(figures(SAMPLE, parse_period(view)), ORGANISATION, path)
        decks.append(path)
    return list(zip(VIEWS, decks, to_pdf(decks, folder)))


def chart_slides(deck: Path, pdf: Path):
    """Each slide with charts: its number, title, chart frames (left, top, right, bottom in points), the value labels
    its charts ask for, and the texts drawn on its page outside its text boxes (title, note, footer)."""
    import pdfplumber

    slides = Presentation(str(deck)).slides
    with pdfplumber.open(pdf) as document:
        for number, (slide, page) in enumerate(zip(slides, document.pages), start=1):
            charts = [shape for shape in slide.shapes if shape.has_chart]
            if not charts:
                continue
            title = next(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame
                         and shape.text_frame.text)
            frames = [frame(shape) for shape in charts]
            boxes = [frame(shape) for shape in slide.shapes if shape.has_text_frame]
            labels = set().union(*(asked_labels(s.chart) for s in charts))
            drawn = [piece for piece in pieces(page.chars) if not any(piece.within(box) for box in boxes)]
            yield number, title, frames, labels, drawn, (page.width, page.height)


def frame(shape) -> tuple[float, float, float, float]:
    return pt(shape.left), pt(shape.top), pt(shape.left + shape.width), pt(shape.top + shape.height)


@pytest.mark.parametrize("view", VIEWS)
def test_no_text_of_a_chart_meets_another_and_no_label_leaves_it(rendered, view):
    [(_, deck, pdf)] = [found for found in rendered if found[0] == view]
    problems = []
    for number, title, frames, labels, drawn, (width, height) in chart_slides(deck, pdf):
        said = f"{view} slide {number} 「{title}」"
        for frame in frames:
            inside = [piece.box() for piece in drawn if piece.within(frame)]
            problems += [f"{said}: {clash}" for clash in clashes(inside, frame, SLACK) if "overlaps" in clash]
        for piece in drawn:
            if piece.text in labels and not any(piece.within(frame) for frame in frames):
                problems.append(f"{said}: 「{piece.text}」 stands outside every chart")
            elif piece.text in labels:
                frame = next(frame for frame in frames if piece.within(frame))
                problems += [f"{said}: {clash}" for clash in clashes([piece.box()], frame, SLACK)]
                problems += [f"{said}: {clash}" for clash in clashes([piece.box()], (0, 0, width, height), SLACK)]
    assert not problems, "\n".join(problems)


def test_a_slide_to_look_at(rendered):
    """The budget's slide of the whole of 2025 as a picture, in tests/screenshots/."""
    [(_, deck, pdf)] = [found for found in rendered if found[0] == "2025"]
    SHOTS.mkdir(exist_ok=True)
    for number, title, *_ in chart_slides(deck, pdf):
        if "预算与实际支出" in title or "各月活动经费支出" in title:
            stem = SHOTS / f"labels-deck-{number}"
            subprocess.run(["pdftoppm", "-r", "110", "-png", "-f", str(number), "-l", str(number), "-singlefile",
                            str(pdf), str(stem)], check=True, timeout=60)
            assert stem.with_suffix(".png").exists()
