"""单机模式 in a real browser against a real server: only a browser on the server itself, with no forwarding header
on its requests, may change the store; every header a proxy (or a visitor pretending to be one) sends makes the
visitor a viewer."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from test_browser import chromium, require_browser, served, wait_for_run

LOOKING = "单机模式：这台电脑只能查看数据"
UPLOADER = '[data-testid="stFileUploader"]'


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_browser()
    with served(f"sqlite:///{tmp_path_factory.mktemp('headers') / 'store.db'}") as (_, base):
        yield base


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def data_management(browser, base: str, headers: dict[str, str]):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN",
                                  extra_http_headers=headers)
    page = context.new_page()
    page.goto(f"{base}/{quote('数据管理')}")
    page.wait_for_selector("text=已导入的批次", timeout=60_000)
    wait_for_run(page)
    return page


def test_the_server_itself_without_forwarding_headers_may_change_the_store(server, browser):
    page = data_management(browser, server, {})
    page.wait_for_selector(UPLOADER, timeout=60_000)
    assert page.locator(f"text={LOOKING}").count() == 0


@pytest.mark.parametrize("headers", [
    {"X-Forwarded-For": "127.0.0.1", "X-Real-IP": "10.1.2.3"},
    {"X-Forwarded-For": "10.1.2.3,"},
    {"Forwarded": "for=10.1.2.3"},
    {"X-Forwarded-For": "127.0.0.1"},
    {"X-Real-IP": "127.0.0.1"},
], ids=["real-ip-beside-loopback", "empty-last-entry", "forwarded-only", "loopback-through-a-proxy",
        "real-ip-loopback"])
def test_a_visitor_whose_requests_carry_a_forwarding_header_only_looks(server, browser, headers):
    page = data_management(browser, server, headers)
    page.wait_for_selector(f"text={LOOKING}", state="attached", timeout=60_000)  # (in the folded notice)
    assert page.locator(UPLOADER).count() == 0
    assert page.locator("text=创建管理账号并启用登录").count() == 0
