"""The app in a real browser: Debian's chromium driven by Playwright.

Starts `streamlit run app.py` on a free port with an empty store, opens a
page URL first (the deep link that skips app.py under st.navigation),
uploads a workbook through the 数据管理 page, and saves screenshots of 总览
and a chart page to tests/screenshots/ (ignored by git).
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = ROOT / "tests" / "screenshots"


def require_browser() -> None:
    missing = [what for what, ok in (("chromium (apt-get install chromium)", Path(CHROMIUM).exists()),
                                     ("playwright (pip install playwright)", has_playwright())) if not ok]
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {', '.join(missing)} missing: .ci/run must install it")
        pytest.skip(f"browser test needs {', '.join(missing)}")


def has_playwright() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_app(url: str, port: int | None = None, options: tuple[str, ...] = (),
              launcher: tuple[str, ...] = ("-m", "streamlit"), env: dict | None = None) -> tuple[subprocess.Popen, str]:
    """`streamlit run app.py` on the store at `url` (through `launcher`, with `env` added), once it answers: the
    process and its base URL."""
    port = port or free_port()
    process = subprocess.Popen(
        [sys.executable, *launcher, "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", *options],
        cwd=ROOT, env={**os.environ, "UNIONSTATS_DB": url, **(env or {})}, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).read() == b"ok":
                return process, base
        except OSError:
            time.sleep(0.3)
    process.kill()
    pytest.fail("streamlit did not start: " + process.stdout.read().decode(errors="replace")[-2000:])


@contextmanager
def served(url: str, **options) -> Iterator[tuple[subprocess.Popen, str]]:
    """The app on the store at `url` (start_app's options) while the block runs: its process and base URL."""
    process, base = start_app(url, **options)
    try:
        yield process, base
    finally:
        process.terminate()
        process.wait(10)


@contextmanager
def chromium() -> Iterator:
    """Debian's chromium, launched by Playwright, while the block runs."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_browser()
    process, base = start_app(f"sqlite:///{tmp_path_factory.mktemp('browser') / 'store.db'}")
    yield base
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="module")
def page(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
        yield page
        browser.close()


def wait_for_run(page) -> None:
    page.wait_for_selector('[data-testid="stApp"]')
    page.wait_for_timeout(300)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)


def assert_no_error(page) -> None:
    errors = page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]')
    assert errors.count() == 0, errors.first.inner_text()


def screenshot(page, name: str) -> Path:
    SHOTS.mkdir(exist_ok=True)
    height = page.evaluate('document.querySelector(\'[data-testid="stMain"]\').scrollHeight')
    page.set_viewport_size({"width": 1600, "height": max(1000, int(height) + 50)})
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1600, "height": 1000})
    return path


def test_a_deep_link_opened_first_gets_the_whole_frame(server, page):
    page.goto(f"{server}/{quote('活动参与')}?year=2025&period=Q3")
    wait_for_run(page)
    page.wait_for_selector("text=活动参与", timeout=60_000)
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=60_000)
    assert page.locator('[data-testid="stSidebar"] >> text=统计期').count() == 1
    assert page.locator("text=2025年第三季度").count() > 0
    assert_no_error(page)
    screenshot(page, "活动参与")


def test_uploading_a_workbook_through_the_page(server, page, tmp_path):
    from workbooks import workbook_bytes

    workbook = tmp_path / "城南小学2024年二季度.xlsx"
    workbook.write_bytes(workbook_bytes({
        "2024年二季度活动": [["2024年第二季度活动统计表"], ["日期", "活动名称", "类别", "参与人次", "支出（元）"],
                       ["2024/4/3", "春季健步走", "文体活动", 60, "1,800元"],
                       ["2024-05-04", "青年座谈会", "学习培训", 25, 300]],
        "单位信息": [["单位名称", "城南小学工会"], ["会员人数", 64]]}))
    page.goto(f"{server}/{quote('数据管理')}")
    wait_for_run(page)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(workbook))
    page.wait_for_selector("text=检查通过", timeout=60_000)
    page.get_by_role("button", name="导入", exact=True).click()
    page.wait_for_selector("text=城南小学工会", state="attached", timeout=60_000)
    assert_no_error(page)

    page.goto(f"{server}/?year=2024&period=Q2&unit={quote('城南小学工会')}")
    wait_for_run(page)
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=60_000)
    values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    assert values[:2] == ["2次", "85人次"]
    assert_no_error(page)
    screenshot(page, "总览")



def test_presenting_mode_is_clean_for_the_projector(server, page):
    page.goto(f"{server}/{quote('慰问帮扶')}?year=2025&period=&present=1")
    wait_for_run(page)
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=60_000)
    page.get_by_role("button", name="退出演示模式").wait_for(timeout=60_000)
    page.wait_for_selector('[data-testid="stSidebar"]', state="hidden", timeout=30_000)
    assert_no_error(page)
    screenshot(page, "演示模式")


def test_two_windows_one_importing_the_other_reading_the_summary(server, page, tmp_path):
    """The chairman reads 工作总结 while a clerk replaces the quarter: the next click shows the new figures."""
    from workbooks import workbook_bytes

    unit = "试验站工会"

    def quarter(name: str, rows: list) -> Path:
        path = tmp_path / name
        path.write_bytes(workbook_bytes({"活动": [["日期", "活动名称", "类别", "参与人次", "支出"], *rows],
                                         "单位信息": [["单位名称", unit], ["会员人数", 40]]}))
        return path

    def imported(path: Path, replace: bool, said: str) -> None:
        page.goto(f"{server}/{quote('数据管理')}")
        wait_for_run(page)
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
        page.wait_for_selector("text=检查通过", timeout=60_000)
        if replace:
            page.get_by_text("如与已导入的批次重叠，用本文件替换").click()
        page.get_by_role("button", name="导入", exact=True).click()
        page.wait_for_selector(f"text={said}", timeout=60_000)
        assert_no_error(page)

    imported(quarter("试验站2025年二季度.xlsx", [[dt.date(2025, 4, 8), "春季健步走", "文体活动", 30, 900],
                                             [dt.date(2025, 6, 2), "端午包粽子", "节日活动", 25, 600]]),
             False, "已导入为第")
    reader = page.context.browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN").new_page()
    reader.goto(f"{server}/{quote('工作总结')}?year=2025&period=Q2&unit={quote(unit)}")
    wait_for_run(reader)
    reader.wait_for_function("() => (document.querySelector('textarea') || {}).value?.includes('2025年第二季度')",
                             timeout=60_000)
    before = reader.locator("textarea").input_value()
    assert "参与职工55人次" in before and "7人次" not in before

    imported(quarter("试验站2025年二季度（更正）.xlsx", [[dt.date(2025, 5, 20), "职工读书分享会", "学习培训", 7, 350]]),
             True, "替换了")
    screenshot(page, "两个窗口-导入")

    reader.get_by_test_id("stRadioGroup").get_by_text("去年同期").click()
    reader.wait_for_function(  # (the old text area lingers a moment beside the new one)
        "() => document.querySelectorAll('textarea').length === 1"
        " && document.querySelector('textarea').value.includes('7人次')", timeout=60_000)
    after = reader.locator("textarea").input_value()
    assert "各类活动1次，参与职工7人次" in after, after[:300]
    assert_no_error(reader)
    screenshot(reader, "两个窗口-工作总结")

    reader.goto(f"{server}/?year=2025&period=Q2&unit={quote(unit)}")
    wait_for_run(reader)
    reader.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=60_000)
    assert reader.locator('[data-testid="stMetricValue"]').all_inner_texts()[:2] == ["1次", "7人次"]
    assert_no_error(reader)
    reader.context.close()


def test_a_file_that_kills_the_reader_leaves_the_server_serving_every_page(server, page, tmp_path):
    """The file slips past the screening and aborts calamine; only the child reading it dies."""
    from test_sandbox import far_cell_workbook

    from unionstats.ui.navigation import pages

    crash = tmp_path / "崩溃.xlsx"
    crash.write_bytes(far_cell_workbook(b'<row r ="1048576"><c r ="XFD1048576"><v>1</v></c></row>'))
    page.goto(f"{server}/{quote('数据管理')}")
    wait_for_run(page)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(crash))
    try:
        page.wait_for_selector("text=无法使用这个文件：读取这个文件所需的内存超过了上限", timeout=60_000)
    finally:
        screenshot(page, "崩溃文件")
    assert page.locator('[data-testid="stException"]').count() == 0
    for path, label, _ in pages():
        page.goto(f"{server}/" if path == "app.py" else f"{server}/{quote(label)}?year=2025&period=Q2")
        wait_for_run(page)
        page.wait_for_selector(f"h1:has-text('{label}'), h2:has-text('{label}'), h3:has-text('{label}')",
                               timeout=60_000)
        assert_no_error(page)
