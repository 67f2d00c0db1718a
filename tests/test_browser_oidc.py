"""Sign-in through an identity provider, end to end: chromium, st.login and a local provider (oidc-provider-mock)."""

from __future__ import annotations

import os

import pytest
from test_browser import CHROMIUM, FLAGS, free_port, require_browser, start_app, wait_for_run

from unionstats.store.access import REPORTER, operator
from unionstats.store.batches import Store


def require_provider():
    try:
        import oidc_provider_mock  # noqa: F401
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but oidc-provider-mock is missing: .ci/run must install requirements-dev.txt")
        pytest.skip("the OIDC test needs oidc-provider-mock (pip install -r requirements-dev.txt)")


@pytest.fixture(scope="module")
def provider():
    require_browser()
    require_provider()
    import oidc_provider_mock

    with oidc_provider_mock.run_server_in_thread(port=free_port()) as server:
        yield f"http://127.0.0.1:{server.server_port}"


@pytest.fixture(scope="module")
def server(provider, tmp_path_factory):
    folder = tmp_path_factory.mktemp("oidc")
    url = f"sqlite:///{folder / 'store.db'}"
    store = Store(url)
    store.accounts.add(operator("root"), "王老师", REPORTER, units=["第一中学"], subject="kc-42")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    secrets = folder / "secrets.toml"
    secrets.write_text(f'''[auth]
redirect_uri = "{base}/oauth2callback"
cookie_secret = "a test secret that is long enough for the cookie"
client_id = "unionstats"
client_secret = "test-secret"
server_metadata_url = "{provider}/.well-known/openid-configuration"
''', encoding="utf-8")
    process, base = start_app(url, port, ("--secrets.files", str(secrets)))
    yield base, store
    process.terminate()
    output = process.communicate(timeout=10)[0].decode(errors="replace")
    assert "test-secret" not in output and "a test secret" not in output


def test_a_provider_user_signs_in_gets_the_accounts_role_and_an_unknown_one_is_refused(server):
    from playwright.sync_api import sync_playwright

    base, store = server
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for sub, expected in (("kc-42", "当前用户：王老师（填报）"), ("kc-99", "在本系统中没有对应的账号")):
            page = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN").new_page()
            page.goto(base)
            page.get_by_role("button", name="使用统一身份认证登录").click()
            page.wait_for_selector('input[name="sub"]', timeout=30_000)
            page.fill('input[name="sub"]', sub)
            page.get_by_role("button", name="Authorize").first.click()
            page.wait_for_selector(f"text={expected}", timeout=60_000)
            wait_for_run(page)
            if sub == "kc-42":
                page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
                assert page.locator("text=工会活动统计 · 登录").count() == 0
            else:
                assert page.locator('[data-testid="stMetric"]').count() == 0
        browser.close()
    trail = store.audit_trail(operator("root"))
    assert trail[["action", "actor"]].values.tolist()[:2] == [["sign_in_failed", "kc-99"], ["sign_in", "王老师"]]
