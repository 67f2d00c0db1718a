"""Every chart's text in a real browser, at a laptop's 1280×800 and a monitor's 1920×1080: no two labels overlap
and none reaches past the chart's own box.

The app runs on its sample store; each page with charts is opened at both sizes, each chart scrolled into view,
and every text plotly drew in it measured where chromium put it (a turned tick label as the turned box it is, not
the upright box around it): data labels, tick labels, the legend, the unit note and the title.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from test_browser import SHOTS, assert_no_error, chromium, require_browser, served, wait_for_run

SIZES = {"1280": (1280, 800), "1920": (1920, 1080)}
PAGES = ("总览", "活动参与", "经费支出", "慰问帮扶", "捐款捐物", "比赛获奖", "预算执行")
# The sample's last year (the app's first view), a quarter (months in 元), and every month since 2008 (216 of them,
# the sample's 24 among empty ones): the second and third at the narrower size, where texts meet first.
VIEWS = {"2025": "year=2025&period=", "2025Q3": "year=2025&period=Q3",
         "2008-2025": "year=2025&period=R&from=2008-01-01&to=2025-12-31"}
CASES = [(size, view, title) for size, views in (("1280", VIEWS), ("1920", ["2025"])) for view in views
         for title in PAGES]
CHART = '[data-testid="stPlotlyChart"]'
SLACK = 1.0  # px two boxes may share, or a box may reach past its frame: antialiasing, not a collision

Point = tuple[float, float]


@dataclass(frozen=True)
class Box:
    """A drawn text: its words, what it is (a data label, a tick label...) and its four corners, in order round
    the box (a turned label's box is turned)."""

    text: str
    kind: str
    corners: tuple[Point, ...]


def overlap(a: Box, b: Box) -> float:
    """How deep two boxes run into each other (separating axes: the least overlap of their shadows on the normals
    of their sides); 0 or less when apart."""
    deepest = float("inf")
    for box in (a, b):
        for (x1, y1), (x2, y2) in zip(box.corners, box.corners[1:] + box.corners[:1]):
            normal = (y1 - y2, x2 - x1)
            length = (normal[0] ** 2 + normal[1] ** 2) ** 0.5
            if not length:
                continue
            shadows = [[(x * normal[0] + y * normal[1]) / length for x, y in each.corners] for each in (a, b)]
            deepest = min(deepest, min(max(s) for s in shadows) - max(min(s) for s in shadows))
    return deepest


def outside(box: Box, frame: tuple[float, float, float, float]) -> float:
    """How far the box reaches past the frame (left, top, right, bottom); 0 or less when inside."""
    left, top, right, bottom = frame
    return max(max(left - x, x - right, top - y, y - bottom) for x, y in box.corners)


def clashes(boxes: list[Box], frame: tuple[float, float, float, float], slack: float = SLACK) -> list[str]:
    """Every two boxes that overlap and every box that leaves the frame, by more than `slack`, in words."""
    found = [f"「{box.text}」({box.kind}) reaches {outside(box, frame):.0f} past the frame"
             for box in boxes if outside(box, frame) > slack]
    found += [f"「{a.text}」({a.kind}) overlaps 「{b.text}」({b.kind}) by {overlap(a, b):.0f}"
              for i, a in enumerate(boxes) for b in boxes[i + 1:] if overlap(a, b) > slack]
    return found


# Each text plotly drew in one chart: its words, its kind (the class plotly gives it or its group) and the four
# corners of its box on the screen (getBBox through the text's own transform, so that a turned label is turned).
MEASURE = """(chart) => {
  const corners = (text) => {
    const box = text.getBBox(), m = text.getScreenCTM();
    return [[box.x, box.y], [box.x + box.width, box.y], [box.x + box.width, box.y + box.height],
            [box.x, box.y + box.height]].map(([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]);
  };
  const kind = (text) => text.getAttribute('class') || text.parentNode.getAttribute('class') || 'text';
  const shown = (text) => {
    for (let node = text; node && node !== chart; node = node.parentNode) {
      const style = getComputedStyle(node);
      if (style.display === 'none' || style.visibility === 'hidden' || style.opacity === '0') return false;
    }
    return text.textContent.trim() !== '' && text.getBBox().width > 0;
  };
  const frame = chart.getBoundingClientRect();
  const texts = [...chart.querySelectorAll('svg.main-svg text')].filter(shown);
  const title = chart.querySelector('.gtitle');
  return {title: title ? title.textContent : '', frame: [frame.left, frame.top, frame.right, frame.bottom],
          texts: texts.map((text) => ({text: text.textContent, kind: kind(text), corners: corners(text)}))};
}"""


@pytest.fixture(scope="module")
def served_app(tmp_path_factory):
    require_browser()
    with served(f"sqlite:///{tmp_path_factory.mktemp('labels') / 'store.db'}") as (_, base):
        yield base


@pytest.fixture(scope="module")
def browser(served_app):
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def windows(browser):
    """A browser window of each size, opened when first wanted, each with its own session."""
    opened: dict[str, object] = {}

    def window(size: str):
        if size not in opened:
            width, height = SIZES[size]
            opened[size] = browser.new_page(viewport={"width": width, "height": height}, locale="zh-CN")
            opened[size].shown = None  # the view the window's session has chosen
        return opened[size]

    yield window
    for page in opened.values():
        page.close()


def visit(page, base: str, title: str, view: str) -> None:
    """The page of that title in the view: a new view opens 总览's address with its filters, as a copied link
    would; within a view the sidebar leads on (the session keeps the filters), which is quicker than a new load."""
    if page.shown != view:
        page.goto(f"{base}/?{VIEWS[view]}")
        wait_for_run(page)
        page.shown = view
    if title != "总览" or page.title() != "总览 · 工会活动统计":
        page.get_by_test_id("stSidebar").get_by_role("link", name=title).click()
        page.wait_for_function(f"() => document.title === '{title} · 工会活动统计'", timeout=60_000)
    wait_for_run(page)
    assert_no_error(page)
    page.wait_for_selector(f"{CHART} .main-svg", timeout=60_000)
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=60_000)
    page.wait_for_timeout(300)  # (plotly's automargin draws a chart again once it has measured its ticks)


def measured(page) -> list[dict]:
    """Every chart of the page, scrolled into view and measured."""
    found = []
    for chart in page.locator(CHART).all():
        chart.scroll_into_view_if_needed()
        chart.locator(".main-svg").first.wait_for()
        found.append(chart.evaluate(MEASURE))
    return found


def whole_page(page, path) -> None:
    """A screenshot of the whole page at the window's width (Streamlit scrolls inside its main area, so the window
    is made as tall as the page for it, then put back)."""
    path.parent.mkdir(exist_ok=True)
    size = page.viewport_size
    height = page.evaluate('document.querySelector(\'[data-testid="stMain"]\').scrollHeight')
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], int(height) + 50)})
    page.wait_for_timeout(300)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)


def problems(chart: dict) -> list[str]:
    """What is wrong with one measured chart's labels, each naming the chart and the texts."""
    boxes = [Box(text["text"], text["kind"], tuple(tuple(c) for c in text["corners"])) for text in chart["texts"]]
    left, top, right, bottom = chart["frame"]
    return [f"「{chart['title']}」: {problem}" for problem in clashes(boxes, (left, top, right, bottom))]


@pytest.mark.parametrize("size, view, title", CASES)
def test_no_label_overlaps_another_or_leaves_its_chart(served_app, windows, size, view, title):
    page = windows(size)
    visit(page, served_app, title, view)
    charts = measured(page)
    whole_page(page, SHOTS / f"labels-{title}-{view}-{size}.png")
    assert charts, "no chart on the page"
    found = [problem for chart in charts for problem in problems(chart)]
    assert not found, "\n".join(found)
