"""The blank template as it prints: A4 landscape, one page wide, the header row on every page, nothing cut.

First openpyxl's page setup is read back from the file (fast); then LibreOffice prints the template, and a
template-shaped 活动 sheet with many rows, to PDF (tests/rendering.py) and pdfplumber measures the pages in
points. The rendering needs LibreOffice with its Calc module; without it those tests are skipped, except under
CI=true, where they fail.
"""

import datetime as dt
from collections import Counter

import openpyxl
import pytest
from openpyxl import Workbook
from rendering import pages, require_calc, to_pdf, to_png

from conftest import ROOT
from unionstats.contract import registry, schema
from unionstats.exports.template import INSTRUCTIONS_SHEET, LISTS_SHEET, rules, write_data_sheet, write_template
from unionstats.kinds import events as events_kind

SHOTS = ROOT / "tests" / "screenshots"
A4_LANDSCAPE = (842, 595)  # points
INCH = 72
FOOTER = "第 &P 页，共 &N 页"

INSTRUCTION_WIDTH = 12 + 20 + 11 + 64 + 36  # 填写说明's five columns, in characters
# 填写说明 is 72 rows, about 1,430 points tall at the scale that fits its columns to the page's width; a
# landscape A4 page holds about 500 points of rows between its margins, so it prints on 3 pages. Every other
# sheet holds a header and an example row (单位信息: a header and three items) and prints on one page each.
INSTRUCTION_PAGES = 3
FILLED_ROWS = 120  # enough for several pages of one sheet


@pytest.fixture
def book(tmp_path):
    path = tmp_path / "模板.xlsx"
    write_template(path)
    return openpyxl.load_workbook(path)


def printed_sheets(book) -> list:
    return [ws for ws in book.worksheets if ws.sheet_state == "visible"]


def header_of(sheet: schema.Sheet) -> str:
    """The header row as a PDF line reads: the column names side by side, without spaces."""
    return "".join(c.name + ("（元）" if c.kind == schema.MONEY else "") for c in sheet.columns)


def test_every_sheet_is_set_up_for_a4_landscape_one_page_wide(book):
    assert book[LISTS_SHEET].sheet_state == "hidden"  # the dropdowns' lists are not printed
    assert [ws.title for ws in printed_sheets(book)] == [INSTRUCTIONS_SHEET, *(s.name for s in registry.sheets()),
                                                         schema.INFO_SHEET_NAMES[0]]
    for ws in printed_sheets(book):
        setup = ws.page_setup
        assert (setup.orientation, setup.paperSize) == ("landscape", 9), ws.title  # 9: A4 in SpreadsheetML
        assert (setup.fitToWidth, setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage) == (1, 0, True)
        margins = ws.page_margins
        assert (margins.left, margins.right, margins.top, margins.bottom) == (0.5, 0.5, 0.6, 0.75), ws.title
        assert margins.footer < margins.bottom and margins.header < margins.top
        assert ws.print_options.horizontalCentered
        assert ws.oddFooter.center.text == FOOTER, ws.title
        # The instructions' three tables carry their own headings; every other sheet repeats its header row.
        assert ws.print_title_rows == (None if ws.title == INSTRUCTIONS_SHEET else "$1:$1"), ws.title


def test_the_rules_wrap_across_the_instructions_width(book):
    ws = book[INSTRUCTIONS_SHEET]
    merged = {str(cells) for cells in ws.merged_cells.ranges}
    for row in range(3, 3 + len(rules())):
        cell = ws.cell(row, 1)
        assert cell.value.startswith(f"{row - 2}. ")
        assert f"A{row}:E{row}" in merged
        assert cell.alignment.wrap_text and cell.alignment.vertical == "top"
        lines = -(-wide(cell.value) // INSTRUCTION_WIDTH)
        assert ws.row_dimensions[row].height == (15 * lines if lines > 1 else None), row


@pytest.mark.parametrize("sheet", registry.sheets(), ids=lambda s: s.name)
def test_the_example_row_wraps_within_its_columns(book, sheet):
    ws = book[sheet.name]
    assert all(c.alignment.wrap_text and c.alignment.vertical == "top" for c in ws[2])
    lines = max(-(-wide(c.value) // column.width) for c, column in zip(ws[2], sheet.columns)
                if isinstance(c.value, str))
    assert ws.row_dimensions[2].height == (15 * lines if lines > 1 else None)


def wide(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


# Rendering: LibreOffice prints the workbooks; every position below is in points from the page's top left.


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """The PDFs of the template and of a long 活动 sheet, made in one LibreOffice run."""
    require_calc()
    folder = tmp_path_factory.mktemp("printed")
    write_template(folder / "template.xlsx")
    filled_sheet(folder / "filled.xlsx")
    template, filled = to_pdf([folder / "template.xlsx", folder / "filled.xlsx"], folder)
    return {"template": template, "filled": filled}


def filled_sheet(path) -> None:
    """A 活动 sheet made as the template makes it, with FILLED_ROWS activities under the example."""
    book = Workbook()
    sheet = events_kind.SHEET
    write_data_sheet(book.active, sheet, {})
    for row in range(3, 3 + FILLED_ROWS):
        values = {**sheet.example, "date": dt.date(2024, 1, 1) + dt.timedelta(days=row), "name": activity(row)}
        for col, column in enumerate(sheet.columns, 1):
            book.active.cell(row, col, values.get(column.key))
    book.save(path)


def activity(row: int) -> str:
    return f"第{row - 2}次职工活动"


def test_the_template_prints_on_one_page_per_sheet_and_three_for_the_instructions(printed):
    printed_pages = pages(printed["template"])
    assert {(round(p.width), round(p.height)) for p in printed_pages} == {A4_LANDSCAPE}  # within half a point
    assert len(printed_pages) == INSTRUCTION_PAGES + len(registry.sheets()) + 1
    assert printed_pages[0].lines[0].text == "工会活动统计表填写说明"
    starts = [page.lines[0].text for page in printed_pages[INSTRUCTION_PAGES:]]
    assert starts == [*(header_of(s) for s in registry.sheets()), "项目内容"]
    total = len(printed_pages)
    assert [page.lines[-1].text for page in printed_pages] == [f"第{n}页，共{total}页" for n in range(1, total + 1)]
    SHOTS.mkdir(exist_ok=True)
    shot = to_png(printed["template"], 1, SHOTS / "template-print-instructions", dpi=100)
    assert shot.stat().st_size > 50_000


def test_every_character_of_the_instructions_is_printed(printed, book):
    import pdfplumber

    written = Counter(ch for row in book[INSTRUCTIONS_SHEET].iter_rows(values_only=True) for value in row
                      if value for ch in str(value) if not ch.isspace())
    with pdfplumber.open(printed["template"]) as document:
        seen = Counter(c["text"] for page in document.pages[:INSTRUCTION_PAGES] for c in page.chars
                       if c["text"].strip())
    assert not written - seen, "characters of 填写说明 missing from its printed pages"


@pytest.mark.parametrize("name", ["template", "filled"])
def test_nothing_printed_runs_off_the_page_or_is_cut_by_a_cell_border(printed, name):
    import pdfplumber

    with pdfplumber.open(printed[name]) as document:
        for number, page in enumerate(document.pages, 1):
            chars = [c for c in page.chars if c["text"].strip()]
            assert chars, f"page {number} is blank"
            assert not outside(chars, page.width, page.height), f"page {number}: text past the margins"
            assert not cut(chars, page.lines), f"page {number}: text under a cell border"
            assert not overlapping(chars), f"page {number}: text printed over text"


def outside(chars: list[dict], width: float, height: float) -> list[str]:
    """Characters past the left or right margin (half an inch, less two points for the glyphs' boxes) or off
    the page at the top or bottom."""
    left, right = 0.5 * INCH - 2, width - 0.5 * INCH + 2
    return [c["text"] for c in chars if c["x0"] < left or c["x1"] > right or c["top"] < 0 or c["bottom"] > height]


def cut(chars: list[dict], rulings: list[dict]) -> list[str]:
    """Characters a cell border runs through the middle of: text running over the edge of its cell."""
    found = []
    for c in chars:
        across, down = (c["x1"] - c["x0"]) / 4, (c["bottom"] - c["top"]) / 4
        x, y = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
        for line in rulings:
            if line["top"] == line["bottom"]:
                through = c["top"] + down < line["top"] < c["bottom"] - down and line["x0"] < x < line["x1"]
            else:
                through = c["x0"] + across < line["x0"] < c["x1"] - across and line["top"] < y < line["bottom"]
            if through:
                found.append(c["text"])
    return found


def overlapping(chars: list[dict]) -> list[tuple[str, str]]:
    """Pairs of characters whose centres are closer than half a character: overflowing text over other text."""
    grid: dict[tuple[int, int], list[dict]] = {}
    found = []
    for c in chars:
        x, y = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
        cell = (int(x // 10), int(y // 10))
        near = [d for dx in (-1, 0, 1) for dy in (-1, 0, 1) for d in grid.get((cell[0] + dx, cell[1] + dy), [])]
        for d in near:
            if (abs(x - (d["x0"] + d["x1"]) / 2) < (c["x1"] - c["x0"]) / 2
                    and abs(y - (d["top"] + d["bottom"]) / 2) < (c["bottom"] - c["top"]) / 2):
                found.append((c["text"], d["text"]))
        grid.setdefault(cell, []).append(c)
    return found


def test_the_header_row_heads_every_page_of_a_long_sheet(printed):
    printed_pages = pages(printed["filled"])
    assert len(printed_pages) >= 3, "the filled sheet should run over several pages"
    header = header_of(events_kind.SHEET)
    assert [page.lines[0].text for page in printed_pages] == [header] * len(printed_pages)
    text = "".join(page.text() for page in printed_pages)
    assert all(activity(row) in text for row in range(3, 3 + FILLED_ROWS)), "every row is printed"
    SHOTS.mkdir(exist_ok=True)
    shot = to_png(printed["filled"], 2, SHOTS / "template-print-filled-page-2", dpi=100)
    assert shot.stat().st_size > 20_000
