"""Every page as its readers see it, in Debian's chromium: on a phone (390×844), an office screen (1280×800) and
a projector (1920×1080), signed in as each role.

On each page: no English interface word (in the text, or in `title`, `aria-label`, `placeholder`, `data-title`),
no request to any host but the app's, the page's own heading, and no chart label on another or past its chart
(measured as test_browser_labels.py measures them). 演示模式, the phone's first screen and the
printed pages are measured in their own tests; their pictures go to tests/screenshots/.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import unicodedata
from urllib.parse import quote, urlsplit

import pytest
from test_browser import SHOTS, chromium, require_browser, served, wait_for_run
from test_browser_labels import measured, problems
from test_browser_signin import session_cookie

from unionstats.store.access import ADMIN, REPORTER, VIEWER, operator
from unionstats.store.batches import Store
from unionstats.ui.navigation import pages

PASSWORD = "a-good-password"
SAMPLE_UNIT = "江城市农业科学研究所工会"  # the bundled sample's one unit
ROLES = {ADMIN: "张科长", VIEWER: "李主席", REPORTER: "王干事"}
SIZES = [(390, 844), (1280, 800), (1920, 1080)]

# Words Streamlit and plotly write in English, whole words, as they write them.
INTERFACE = re.compile(
    r"\b(Upload|Browse|Drag|Select all|Choose|Download plot|Zoom|Pan|Autoscale|Reset|Show password|Hide password"
    r"|Rerun|Settings|Deploy|Running|Stop|Search|Fullscreen|Close|Clear|Help for|Copy|Add row|Delete|Sidebar"
    r"|Collapse|Expand|Open|Print|About|Skip to|Link to|No results|Record|Connecting|Connection|per file)\b"
    r"|\b(yyyy|mm|dd)\b")

ENGLISH = """() => {
  const found = [];
  for (const [where, text] of [["text", document.body.innerText]]) found.push([where, text]);
  for (const element of document.querySelectorAll("[title], [aria-label], [placeholder], [data-title]")) {
    for (const name of ["title", "aria-label", "placeholder", "data-title"]) {
      const value = element.getAttribute(name);
      if (value) found.push([name, value]);
    }
  }
  return found;
}"""


def english(page, seconds: float = 5) -> list[str]:
    """The interface words in English the page still shows a few seconds after its translation started.

    The translating script marks the document once it has run; what Streamlit draws afterwards is translated as
    it appears, so a word is only counted when it stays English for `seconds`.
    """
    page.wait_for_selector("html[data-speaks='zh-CN']", state="attached", timeout=30_000)
    for _ in range(int(seconds * 4)):
        found = [f"{where}: {match.group(0)} in {text[max(0, match.start() - 30):match.end() + 30]!r}"
                 for where, text in page.evaluate(ENGLISH) for match in INTERFACE.finditer(text)]
        if not found:
            return []
        page.wait_for_timeout(250)
    return found


def headed(page, label: str) -> None:
    """Wait for the page's own heading; a picture of what the page shows instead when it does not come."""
    try:
        page.wait_for_selector(f"h1:has-text('{label}')", timeout=60_000)
    except Exception:
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"walk-failed-{label}.png"))
        raise AssertionError(f"{label}: no heading; the page shows {page.inner_text('body')[:500]!r}")


def address(base: str, label: str) -> str:
    return f"{base}/?year=2025" if label == "总览" else f"{base}/{quote(label)}?year=2025"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_browser()
    url = f"sqlite:///{tmp_path_factory.mktemp('walk') / 'store.db'}"
    store = Store(url)
    store.ensure_sample()
    for role, name in ROLES.items():
        store.accounts.add(operator("root"), name, role, password=PASSWORD,
                           units=[SAMPLE_UNIT] if role == REPORTER else ())
    with served(url) as (_, base):
        yield base


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def signed_in(browser, base: str, role: str):
    page = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN").new_page()
    page.goto(base)
    wait_for_run(page)
    page.get_by_label("用户名", exact=True).fill(ROLES[role])
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    wait_for_run(page)
    page.wait_for_selector(f"text=当前用户：{ROLES[role]}", state="attached", timeout=60_000)
    session_cookie(page)  # (set a moment after the page draws: a page opened before it starts signed out)
    return page


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_speaks_chinese_and_asks_no_other_host(server, browser, role):
    page = signed_in(browser, server, role)
    host = urlsplit(server).netloc
    elsewhere: list[str] = []
    page.on("request", lambda request: elsewhere.append(request.url)
            if urlsplit(request.url).netloc not in (host, "") and not request.url.startswith("data:") else None)
    found = {}
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        for _, label, _ in pages():
            page.goto(address(server, label))
            wait_for_run(page)
            headed(page, label)
            if page.locator('[data-testid="stPlotlyChart"]').count():
                page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=60_000)
                page.wait_for_timeout(300)  # (plotly draws a chart again once it has measured its ticks)
                clashing = [problem for chart in measured(page) for problem in problems(chart)]
                if clashing:
                    found[(width, label, "labels")] = clashing
                page.locator('[data-testid="stPlotlyChart"]').first.hover()  # plotly's toolbar shows on hover
            words = english(page)
            if words:
                found[(width, label)] = words
        if width < 640:
            continue  # (the sidebar is folded away on a phone)
        page.goto(address(server, "总览"))  # (a short page: 数据管理, the last one, is long and busy)
        wait_for_run(page)
        headed(page, "总览")
        open_list(page, page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first)  # 全选
        if words := english(page):
            found[(width, "单位 list")] = words
        page.keyboard.press("Escape")
    assert not found, found
    assert not elsewhere, elsewhere
    page.context.close()



def open_list(page, box) -> None:
    """Open a select's list: a rerun that lands just after the click closes it, so the click is made again on a
    settled page, up to five times."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(5):
        wait_for_run(page)
        box.click()
        try:
            page.wait_for_selector('[role="listbox"], [data-baseweb="menu"]', timeout=6_000)
            return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    raise AssertionError("the list never opened")

def boxes(where, selector: str) -> list[dict]:
    """The boxes on the screen of what `selector` finds in `where` (a page or a locator)."""
    script = ("(selector) => [...document.querySelectorAll(selector)].map(e => { const r = e.getBoundingClientRect();"
        " return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height}; })")
    if hasattr(where, "evaluate_all"):  # a locator: search inside it
        script = script.replace("document.querySelectorAll(selector)", "root.querySelectorAll(selector)")
        return where.evaluate(f"(root, selector) => ({script})(selector)", selector)
    return where.evaluate(script, selector)


def apart(one: dict, other: dict) -> bool:
    return (one["right"] <= other["left"] or other["right"] <= one["left"] or one["bottom"] <= other["top"]
            or other["bottom"] <= one["top"])


def opened(page, path: str) -> None:
    page.goto(path)
    wait_for_run(page)
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=60_000)
    page.wait_for_timeout(500)


def picture(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def test_presenting_on_a_projector_shows_the_union_the_cards_and_the_first_chart_on_one_screen(server, browser):
    page = signed_in(browser, server, ADMIN)
    page.set_viewport_size({"width": 1920, "height": 1080})
    opened(page, f"{server}/?year=2025&present=1")
    heading = page.locator("h1").first.inner_text()
    assert SAMPLE_UNIT in heading and "2025年" in heading
    assert page.locator('[data-testid="stSidebar"]').is_hidden()
    assert page.locator('[data-testid="stExpander"], [data-testid="stAlert"]').count() == 0  # no notices
    assert "未知" not in page.locator('[data-testid="stMain"]').inner_text()
    cards = boxes(page, '[data-testid="stMetric"]')
    assert len(cards) >= 5 and [round(c["top"]) for c in cards[:5]].count(round(cards[0]["top"])) == 4
    charts = boxes(page, '[data-testid="stPlotlyChart"]')
    assert charts[0]["bottom"] <= 1080, (charts[0], cards[-1])  # the first screen holds the cards and a chart
    assert all(chart["height"] <= 1080 for chart in charts)
    picture(page, "演示模式-总览-1920")
    opened(page, f"{server}/{quote('慰问帮扶')}?year=2025&present=1")
    assert "慰问帮扶" in page.locator('[data-testid="stMain"]').inner_text()
    picture(page, "演示模式-慰问帮扶-1920")
    page.context.close()


def test_a_phone_shows_cards_two_a_row_and_the_first_chart_within_a_screen_and_a_quarter(server, browser):
    page = signed_in(browser, server, ADMIN)
    page.set_viewport_size({"width": 390, "height": 844})
    opened(page, f"{server}/?year=2025")
    cards = boxes(page, '[data-testid="stMetric"]')
    assert cards[0]["top"] == cards[1]["top"] < cards[2]["top"] == cards[3]["top"]
    assert cards[0]["right"] <= cards[1]["left"]
    [notice] = boxes(page, '[data-testid="stExpander"]')  # the sample's notice, folded
    assert notice["height"] <= 80
    charts = boxes(page, '[data-testid="stPlotlyChart"]')
    assert charts[0]["top"] <= 1.25 * 844
    picture(page, "手机-总览-390")
    for chart in page.locator('[data-testid="stPlotlyChart"]').all():
        chart.scroll_into_view_if_needed()
        chart.hover()
        [title] = boxes(chart, ".gtitle") if chart.locator(".gtitle").count() else [None]
        tools = [*boxes(chart, ".modebar-container .modebar"),
                 *boxes(page, '[data-testid="stElementToolbar"]')]
        assert title is None or all(apart(title, tool) for tool in tools if tool["height"]), (title, tools)
    page.context.close()


# Every chart drawn, marks and all (printing makes plotly draw again, or zooms it to the paper).
REDRAWN = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(
    chart => chart.querySelectorAll('.main-svg .trace path, .main-svg .trace .point, .main-svg .pielayer path').length > 0)"""


def drawn_in_time(page, seconds: float = 30) -> None:
    """Wait, up to `seconds`, for every chart to hold its marks (bars, lines, slices) in print media."""
    for _ in range(int(seconds * 4)):
        if page.evaluate(REDRAWN):
            return
        page.wait_for_timeout(250)
    raise AssertionError(f"charts not drawn in {seconds} s")


def read(text: str | None) -> str:
    """A PDF page's text without spaces, its CJK radicals read as the characters they print (NFKC)."""
    return "".join(unicodedata.normalize("NFKC", text or "").split())


PRINTED = ["总览", "慰问帮扶", "预算执行", "工作总结", "数据管理"]


@pytest.mark.parametrize("label", PRINTED)
def test_a_printed_page_is_a4_with_its_header_the_figures_alone_and_no_chart_split(server, browser, label, tmp_path):
    import pdfplumber

    page = signed_in(browser, server, ADMIN)
    page.goto(address(server, label))
    wait_for_run(page)
    headed(page, label)
    if page.locator('[data-testid="stPlotlyChart"]').count():
        page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=60_000)
    page.emulate_media(media="print")
    drawn_in_time(page)
    page.wait_for_timeout(1000)  # (a redraw at the paper's width, where plotly makes one)
    charts = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].map(chart => {
        const column = chart.closest('[data-testid="stColumn"]') || chart.parentElement;
        const caption = column.querySelector('[data-testid="stCaptionContainer"]');
        return [chart.querySelector('.gtitle')?.textContent || '', caption ? caption.innerText : ''];
    })""")
    pdf = tmp_path / f"{label}.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    page.context.close()
    with pdfplumber.open(pdf) as printed:
        sheets = [(p.width, p.height, read(p.extract_text())) for p in printed.pages]
    assert all(abs(width - 595.3) < 2 and abs(height - 841.9) < 2 for width, height, _ in sheets)
    first = sheets[0][2]
    assert SAMPLE_UNIT in first and label in first and "打印日期" in first
    every = "".join(text for *_, text in sheets)
    for control in ("筛选", "演示模式", "退出登录", "下载汇报PPT", "下载全部图表", "选择文件"):
        assert control not in every, control
    if label == "总览":
        assert "2046人次" in every  # a figure is never broken
    if label == "工作总结":  # the text area prints whole, down to the summary's signature and its date
        today = dt.date.today()
        assert f"{SAMPLE_UNIT}{today.year}年{today.month}月{today.day}日" in every
    for title, caption in charts:  # a chart's title and the line beneath it are on one page
        title, caption = read(title)[-10:], read(caption)[:12]
        on = [i for i, (*_, text) in enumerate(sheets) if title in text]
        beneath = [i for i, (*_, text) in enumerate(sheets) if caption and caption in text]
        assert on and (not caption or set(on) & set(beneath)), (title, caption, on, beneath)
    SHOTS.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "2", str(pdf), str(SHOTS / f"打印-{label}")],
                   check=True, timeout=60)
