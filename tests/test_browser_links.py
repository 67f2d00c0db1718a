"""A unit name that holds an address is shown as typed in a real browser: no page turns it into a link."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from test_browser import chromium, require_browser, served, wait_for_run
from workbooks import workbook_bytes

from unionstats.store.access import operator
from unionstats.store.batches import Store

UNIT = "见 http://evil.example/登录 与 www.evil.example 的工会"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_browser()
    url = f"sqlite:///{tmp_path_factory.mktemp('links') / 'store.db'}"
    data = workbook_bytes({"活动": [["日期", "活动名称", "参与人次", "单位"], ["2025-04-03", "春游 https://evil.example/a", 30, UNIT]],
                           "单位信息": [["单位名称", "会员人数"], [UNIT, 20]]})
    assert Store(url).import_bytes(data, "链接.xlsx", actor=operator("root")).ok
    with served(url) as (_, base):
        yield base


@pytest.mark.parametrize("path", ["", quote("活动参与"), quote("数据管理")], ids=["总览", "活动参与", "数据管理"])
def test_an_address_in_a_unit_name_is_never_a_link(server, path):
    with chromium() as browser:
        page = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN").new_page()
        page.goto(f"{server}/{path}?year=2025&unit={quote(UNIT)}")
        page.wait_for_selector("text=evil.example", timeout=60_000)
        wait_for_run(page)
        links = page.locator('a[href*="evil"]').count()
        shown = page.locator('[data-testid="stCaptionContainer"]').all_inner_texts()
    assert links == 0
    if path != quote("数据管理"):  # the pages with a 统计期/范围 line show the name as typed, only unlinked
        assert any(UNIT in text.replace("\u2060", "") for text in shown), shown
