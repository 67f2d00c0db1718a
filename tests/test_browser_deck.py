"""总览's downloads in a real browser: the 汇报PPT and the zip of chart pictures, as a chairman gets them."""

from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image
from pptx import Presentation
from test_browser import CHROMIUM, FLAGS, assert_no_error, require_browser, start_app, wait_for_run


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    require_browser()
    from playwright.sync_api import sync_playwright

    process, base = start_app(f"sqlite:///{tmp_path_factory.mktemp('deck') / 'store.db'}")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page(viewport={"width": 1600, "height": 1000}, locale="zh-CN", accept_downloads=True)
            page.goto(f"{base}/?year=2025&period=Q3")
            wait_for_run(page)
            page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=60_000)
            yield page
            browser.close()
    finally:
        process.terminate()
        process.wait(10)


def download(page, label: str, tmp_path):
    with page.expect_download(timeout=120_000) as started:
        page.get_by_role("button", name=label).click()
    path = tmp_path / started.value.suggested_filename
    started.value.save_as(path)
    assert_no_error(page)
    return path


def test_the_deck_downloads_for_the_filters_on_the_page(page, tmp_path):
    path = download(page, "下载汇报PPT", tmp_path)
    assert path.name == "江城市农业科学研究所工会2025年第三季度工作汇报.pptx"
    deck = Presentation(path)
    first = [s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame and s.text_frame.text]
    assert first[:2] == ["江城市农业科学研究所工会", "2025年第三季度工作汇报"]
    titles = [next(s.text_frame.text for s in slide.shapes if s.has_text_frame and s.text_frame.text)
              for slide in deck.slides]
    assert titles[1] == "主要数据" and titles[-1].startswith("工作要点")
    assert "2025年第三季度各类活动参与人次" in titles
    assert sum(1 for slide in deck.slides for s in slide.shapes if s.has_chart) >= 9


def test_the_chart_pictures_download_as_one_zip(page, tmp_path):
    path = download(page, "下载全部图表（PNG）", tmp_path)
    assert path.suffix == ".zip"
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert "江城市农业科学研究所工会 2025年第三季度各类活动参与人次.png" in names
        for name in names:
            with Image.open(io.BytesIO(archive.read(name))) as image:
                assert image.width >= 1800, name
