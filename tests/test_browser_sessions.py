"""Sessions in a real browser against a real server: the cookie the server sets, and sessions that end at the
next click everywhere when they should (sign-out in another tab, a new password, the idle time)."""

from __future__ import annotations

import time
from contextlib import contextmanager
from urllib.parse import quote

import pytest
from test_browser import chromium, require_browser, served, wait_for_run
from test_browser_signin import PASSWORD, session_cookie, sign_in

from unionstats.store.access import ADMIN, VIEWER, operator
from unionstats.store.batches import Store

FORM = "工会活动统计 · 登录"
SIGNED_IN = '[data-testid="stMetric"]'
ENDED = "登录已结束"
WEEK = 7 * 24 * 3600


@contextmanager
def serve(tmp_path, env: dict | None = None):
    """The app on a store with a 管理 and a 查看 account: its base URL and the store."""
    require_browser()
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = Store(url)
    store.accounts.add(operator("root"), "张科长", ADMIN, password=PASSWORD)
    store.accounts.add(operator("root"), "李主席", VIEWER, password=PASSWORD)
    with served(url, env=env) as (_, base):
        yield base, store


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serve(tmp_path_factory.mktemp("sessions")) as (base, store):
        yield base, store


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def signed_in_page(browser, base: str, name: str = "李主席", timezone: str = "UTC"):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN", timezone_id=timezone)
    page = context.new_page()
    page.goto(base)
    page.wait_for_selector(f"text={FORM}", timeout=60_000)
    sign_in(page, name, PASSWORD)
    page.wait_for_selector(SIGNED_IN, timeout=60_000)
    session_cookie(page)
    return page


def click_to(page, label: str) -> None:
    """A click inside the open tab (no reload): the sidebar's link to another page."""
    page.locator('[data-testid="stSidebar"]').get_by_text(label, exact=True).first.click()
    wait_for_run(page)


@pytest.mark.parametrize("timezone", ["UTC", "Asia/Shanghai"])
def test_the_server_sets_an_httponly_strict_cookie_that_a_reload_keeps_in_any_time_zone(server, browser, timezone):
    base, _ = server
    for _ in range(3):  # sign in again and again: the cookie is there every time
        page = signed_in_page(browser, base, timezone=timezone)
        [cookie] = [c for c in page.context.cookies() if c["name"] == "unionstats_session"]
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/"
        assert abs(cookie["expires"] - (time.time() + WEEK)) < 3600
        assert "unionstats_session" not in page.evaluate("document.cookie")
        for _ in range(2):
            page.reload()
            page.wait_for_selector(SIGNED_IN, timeout=60_000)
            assert page.locator(f"text={FORM}").count() == 0
        page.get_by_role("button", name="退出登录").click()
        page.wait_for_selector(f"text={FORM}", timeout=60_000)
        page.wait_for_function("1", timeout=5_000)
        for _ in range(40):  # the clearing image has been fetched
            if not [c for c in page.context.cookies() if c["name"] == "unionstats_session"]:
                break
            page.wait_for_timeout(250)
        assert not [c for c in page.context.cookies() if c["name"] == "unionstats_session"]
        page.context.close()


def test_a_sign_out_in_one_tab_ends_the_other_tabs_and_browsers_at_their_next_click(server, browser):
    base, _ = server
    first = signed_in_page(browser, base, "张科长")
    second = first.context.new_page()  # another tab of the same browser: the same cookie
    second.goto(f"{base}/{quote('数据管理')}")
    second.wait_for_selector("text=账号与操作记录", timeout=60_000)
    elsewhere = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    elsewhere.add_cookies([c for c in first.context.cookies() if c["name"] == "unionstats_session"])
    other = elsewhere.new_page()  # the same cookie in another browser
    other.goto(f"{base}/{quote('数据管理')}")
    other.wait_for_selector("text=账号与操作记录", timeout=60_000)
    wait_for_run(other)

    first.get_by_role("button", name="退出登录").click()
    first.wait_for_selector(f"text={FORM}", timeout=60_000)
    for tab in (second, other):
        click_to(tab, "活动参与")
        tab.wait_for_selector(f"text={FORM}", timeout=60_000)
        assert tab.locator(f"text={ENDED}").count() == 1
        assert tab.locator("text=账号与操作记录").count() == 0 and tab.locator(SIGNED_IN).count() == 0
    other.reload()
    other.wait_for_selector(f"text={FORM}", timeout=60_000)
    elsewhere.close()
    first.context.close()


def test_a_new_password_ends_an_open_tab_at_its_next_click(server, browser):
    base, store = server
    page = signed_in_page(browser, base)
    store.accounts.set_password(operator("root"), "李主席", PASSWORD)  # as `user passwd` does
    click_to(page, "活动参与")
    page.wait_for_selector(f"text={FORM}", timeout=60_000)
    assert page.locator(f"text={ENDED}").count() == 1
    page.context.close()


IDLE_SECONDS = 30


def test_an_open_tab_idle_longer_than_the_idle_time_is_signed_out_at_its_next_click(tmp_path, browser):
    with serve(tmp_path, env={"UNIONSTATS_SESSION_IDLE_MINUTES": str(IDLE_SECONDS / 60)}) as (base, _):
        page = signed_in_page(browser, base)
        started, labels = time.monotonic(), ["活动参与", "慰问帮扶"]
        while time.monotonic() - started < IDLE_SECONDS * 1.3:  # clicks closer than the idle time keep it
            page.wait_for_timeout(IDLE_SECONDS * 1000 // 4)
            labels.reverse()
            click_to(page, labels[0])
            assert page.locator(f"text={FORM}").count() == 0
        page.wait_for_timeout(IDLE_SECONDS * 1000 + 5_000)
        click_to(page, "总览")
        page.wait_for_selector(f"text={FORM}", timeout=60_000)
        assert page.locator(f"text={ENDED}").count() == 1
        page.context.close()
