"""Sign-in with local accounts in a real browser: the form, a reload that stays signed in, sign-out, the throttle."""

from __future__ import annotations

import time
from urllib.parse import quote

import pytest
from test_browser import chromium, require_browser, screenshot, served, start_app, wait_for_run

from unionstats.store.access import ADMIN, VIEWER, operator
from unionstats.store.batches import Store

PASSWORD = "a-good-password"
FORM = "工会活动统计 · 登录"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_browser()
    url = f"sqlite:///{tmp_path_factory.mktemp('signin') / 'store.db'}"
    store = Store(url)
    store.accounts.add(operator("root"), "张科长", ADMIN, password=PASSWORD)
    store.accounts.add(operator("root"), "李主席", VIEWER, password=PASSWORD)
    with served(url) as (_, base):
        yield base, store


@pytest.fixture
def browser():
    with chromium() as launched:
        yield launched


def fresh_page(browser):
    return browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN").new_page()


def sign_in(page, name: str, password: str) -> None:
    page.get_by_label("用户名", exact=True).fill(name)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录").click()
    wait_for_run(page)


def session_cookie(page, timeout_s: float = 60) -> str:
    """The session token, once the cookie component has handed it to the browser.

    The component sets the cookie from its own frame after the page has drawn,
    later on a busy machine; a reload before that starts signed out.
    """
    for _ in range(int(timeout_s * 4)):
        tokens = [c["value"] for c in page.context.cookies() if c["name"] == "unionstats_session"]
        if tokens:
            return tokens[0]
        page.wait_for_timeout(250)
    raise AssertionError(f"no session cookie {timeout_s:g} s after sign-in")


def test_a_deep_link_before_sign_in_shows_only_the_form(server, browser):
    base, _ = server
    page = fresh_page(browser)
    page.goto(f"{base}/{quote('慰问帮扶')}?year=2025")
    page.wait_for_selector(f"text={FORM}", timeout=60_000)
    wait_for_run(page)
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 0
    assert page.locator('[data-testid="stMetric"]').count() == 0
    assert page.locator('[data-testid="stDataFrame"]').count() == 0
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    screenshot(page, "登录")


def test_sign_in_survives_a_reload_and_sign_out_ends_it(server, browser):
    base, store = server
    page = fresh_page(browser)
    page.goto(base)
    page.wait_for_selector(f"text={FORM}", timeout=60_000)
    sign_in(page, "李主席", "wrong password")
    page.wait_for_selector("text=用户名或密码不正确", timeout=30_000)
    sign_in(page, "李主席", PASSWORD)
    page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
    session_cookie(page)
    page.goto(f"{base}/{quote('活动参与')}")
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=60_000)
    assert page.locator(f"text={FORM}").count() == 0
    page.reload()
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=60_000)
    assert page.locator("text=当前用户：李主席（查看）").count() == 1
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_selector(f"text={FORM}", timeout=60_000)
    page.reload()
    page.wait_for_selector(f"text={FORM}", timeout=60_000)
    trail = store.audit_trail(operator("root"), user="李主席")
    assert trail["action"].tolist()[:5] == ["sign_out", "session_resumed", "session_resumed", "sign_in",
                                            "sign_in_failed"]
    assert set(trail["address"]) == {"127.0.0.1"}


def recorded_failures(store: Store, name: str) -> int:
    return store.audit_trail(operator("root"), user=name)["action"].tolist().count("sign_in_failed")


def test_repeated_wrong_passwords_are_throttled(server, browser):
    base, store = server
    page = fresh_page(browser)
    page.goto(base)
    page.wait_for_selector(f"text={FORM}", timeout=60_000)
    for attempt in range(1, 6):  # each attempt recorded before the next is typed: none is lost on a busy machine
        sign_in(page, "张科长", "guess guess")
        deadline = time.monotonic() + 60
        while recorded_failures(store, "张科长") < attempt and time.monotonic() < deadline:
            page.wait_for_timeout(200)
        assert recorded_failures(store, "张科长") == attempt
    sign_in(page, "张科长", PASSWORD)
    page.wait_for_selector("text=连续 5 次登录失败", timeout=60_000)
    assert page.locator('[data-testid="stMetric"]').count() == 0


def test_no_password_hash_or_session_token_leaves_the_server(tmp_path, browser):
    """After a wrong and a right sign-in, the pages, the server's log and the audit trail hold no secret."""
    require_browser()
    import sqlalchemy as sa

    from unionstats.store import database

    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = Store(url)
    store.accounts.add(operator("root"), "张科长", ADMIN, password=PASSWORD)
    process, base = start_app(url)
    try:
        page = fresh_page(browser)
        page.goto(base)
        page.wait_for_selector(f"text={FORM}", timeout=60_000)
        sign_in(page, "张科长", "a-wrong-password-typed")
        sign_in(page, "张科长", PASSWORD)
        page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
        token = session_cookie(page)
        shown = [page.content()]
        page.goto(f"{base}/{quote('数据管理')}")
        page.wait_for_selector("text=操作记录", timeout=60_000)
        wait_for_run(page)
        shown.append(page.content())
    finally:
        process.terminate()
        log = process.communicate(timeout=20)[0].decode(errors="replace")
    with store.engine.connect() as connection:
        [hashed] = connection.scalars(sa.select(database.users.c.password_hash))
        trail = " ".join(" ".join(map(str, row)) for row in connection.execute(sa.select(database.audit_log)))
    secrets = [PASSWORD, "a-wrong-password-typed", token, hashed, hashed.rsplit("$", 1)[-1]]
    assert len(token) >= 40 and hashed.startswith("$argon2")
    for where, text in [("log", log), ("trail", trail), *(("page", html) for html in shown)]:
        leaked = [s for s in secrets if s in text]
        assert not leaked, (where, leaked)


def test_a_new_office_creates_its_first_admin_on_the_page_and_signs_in(tmp_path, browser):
    """The README's path: start in 单机模式, create the first 管理 account on 数据管理, sign in."""
    require_browser()
    url = f"sqlite:///{tmp_path / 'store.db'}"
    process, base = start_app(url)
    try:
        page = fresh_page(browser)
        page.goto(base)
        page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
        assert page.locator("text=单机模式：尚未设置账号").count() == 1
        page.goto(f"{base}/{quote('数据管理')}")
        page.wait_for_selector("h3:has-text('启用登录')", timeout=60_000)
        page.get_by_label("管理员用户名").fill("张科长")
        page.get_by_label("密码（至少 8 位）").fill(PASSWORD)
        page.get_by_label("再输入一次密码").fill(PASSWORD)
        page.get_by_role("button", name="创建管理账号并启用登录").click()
        page.wait_for_selector(f"text={FORM}", timeout=60_000)
        page.get_by_label("管理员用户名").wait_for(state="detached", timeout=30_000)
        assert page.locator('[data-testid="stMetric"]').count() == 0
        sign_in(page, "张科长", PASSWORD)
        page.wait_for_selector("text=账号与操作记录", timeout=60_000)
        wait_for_run(page)
        assert page.locator("text=当前用户：张科长（管理）").count() == 1
        screenshot(page, "数据管理-管理员")
    finally:
        process.terminate()
        process.wait(10)
    assert Store(url).accounts.sign_in_required()
