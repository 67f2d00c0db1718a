"""Several app processes behind nginx on one PostgreSQL database, as deploy/start.sh runs them, in chromium.

`deploy/start.sh --no-systemd` starts two real app processes (A and B) on a fresh PostgreSQL database and the real
nginx in front of them, on free ports and in a folder of their own. The browsers sign in through the proxy, then
address A and B directly by port as well (the sign-in cookie belongs to the host, so it is sent to every port),
so each test knows which process served what:

- every request of one browser reaches one process (nginx's access log names the process of each), and browsers
  without a route cookie are spread over both, though they all come from one address;
- a workbook imported on A shows on B at B's next click; the organisation's name changed on A shows on B; an
  account disabled on A is signed out of B at its next click.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from test_browser import chromium, free_port, require_browser, wait_for_run
from test_browser_signin import PASSWORD, session_cookie, sign_in

from conftest import ROOT, postgres_url
from unionstats.store.access import ADMIN, VIEWER, operator
from unionstats.store.batches import Store

START = ROOT / "deploy" / "start.sh"
FORM = "工会活动统计 · 登录"
ENDED = "登录已结束"
SIGNED_IN = '[data-testid="stMetric"]'
ACCESS_LINE = re.compile(r'"(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d+) .*route=(?P<route>\S+) '
                         r'upstream=(?P<upstream>\S+)')


def nginx() -> str | None:
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def require_nginx() -> None:
    if nginx() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but nginx is missing (apt-get install nginx): .ci/run must install it")
        pytest.skip("the deployment test needs nginx (apt-get install nginx)")


@dataclass
class Deployment:
    proxy: str
    a: str
    b: str
    store: Store
    folder: Path

    def access_log(self) -> list[dict[str, str]]:
        text = (self.folder / "logs" / "nginx-access.log").read_text(encoding="utf-8")
        return [m.groupdict() for m in map(ACCESS_LINE.search, text.splitlines()) if m]


def two_free_ports() -> int:
    """A port whose next port is free too: start.sh gives its processes consecutive ports."""
    for _ in range(50):
        port = free_port()
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port
    raise AssertionError("no two consecutive free ports")


def fresh_database(url: str) -> tuple[str, sa.Engine]:
    """A new database on the test server, so this run clashes with no other test: its URL and the server's
    engine that drops it afterwards."""
    name = f"unionstats_deploy_{secrets.token_hex(4)}"
    server = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    return sa.engine.make_url(url).set(database=name).render_as_string(hide_password=False), server


def start(*options: str, folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(START), "--no-systemd", "--no-install", "--dir", str(folder), *options],
                          cwd=ROOT, env={**os.environ, "UNIONSTATS_MEASURE_AHEAD": "0"}, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def deployment():
    require_browser()
    require_nginx()
    url, server = fresh_database(postgres_url())
    store = Store(url)
    store.accounts.add(operator("root"), "张科长", ADMIN, password=PASSWORD)
    store.accounts.add(operator("root"), "李主席", VIEWER, password=PASSWORD)
    folder = Path(tempfile.mkdtemp(prefix="unionstats-deploy-"))
    folder.chmod(0o755)  # nginx's workers (www-data) keep their temporary files in it
    first, proxy = two_free_ports(), free_port()
    try:
        started = start("--processes", "2", "--first-port", str(first), "--listen", f"127.0.0.1:{proxy}",
                        "--db", url, "--python", sys.executable, folder=folder)
        assert started.returncode == 0, started.stderr[-3000:]
        yield Deployment(f"http://127.0.0.1:{proxy}", f"http://127.0.0.1:{first}", f"http://127.0.0.1:{first + 1}",
                         store, folder)
    finally:
        stopped = start("--stop", folder=folder)
        store.engine.dispose()
        with server.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{sa.engine.make_url(url).database}" WITH (FORCE)'))
        server.dispose()
        shutil.rmtree(folder, ignore_errors=True)
    assert stopped.returncode == 0, stopped.stderr
    assert not listening(first) and not listening(first + 1) and not listening(proxy)


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def signed_in_through_the_proxy(browser, deployment: Deployment, name: str):
    """A new browser signed in as `name` through the proxy, once its sign-in cookie has arrived."""
    page = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN").new_page()
    page.goto(deployment.proxy)
    page.wait_for_selector(f"text={FORM}", timeout=60_000)
    sign_in(page, name, PASSWORD)
    page.wait_for_selector(SIGNED_IN, timeout=60_000)
    session_cookie(page)  # set by /api/session, whose one-time ticket only the process that signed in knows
    return page


def route_of(page) -> str:
    [route] = [c["value"] for c in page.context.cookies() if c["name"] == "unionstats_route"]
    return route


def click_to(page, label: str) -> None:
    """A click inside the open tab (no reload): the sidebar's link to another page."""
    page.locator('[data-testid="stSidebar"]').get_by_text(label, exact=True).first.click()
    wait_for_run(page)


def open_on(page, base: str, path: str = "", query: str = "") -> None:
    page.goto(f"{base}/{quote(path)}{'?' + query if query else ''}")
    wait_for_run(page)


def choose(selectbox, option: str) -> None:
    """Pick `option` in a Streamlit selectbox: open it, then click the option in its list.

    A rerun that lands while the list is open (数据管理 is a busy page) closes the list under
    the click, so the pick is tried again on a settled page until the box shows the option.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page = selectbox.page
    for _ in range(5):
        wait_for_run(page)
        selectbox.click()
        try:
            page.locator('[role="option"]').filter(has_text=option).first.click(timeout=5_000)
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            continue
        wait_for_run(page)
        if option in shown(selectbox):
            return
    raise AssertionError(f"the selectbox never showed {option!r}: {shown(selectbox)!r}")


def shown(selectbox) -> str:
    """What a selectbox shows: its text, and the value of its search field, which holds the choice."""
    fields = selectbox.locator("input")
    return " ".join([selectbox.inner_text()] + [fields.nth(i).input_value() for i in range(fields.count())])


def test_one_browser_stays_on_one_process_and_browsers_spread_over_both(deployment, browser):
    page = signed_in_through_the_proxy(browser, deployment, "李主席")
    route = route_of(page)
    for label in ("活动参与", "慰问帮扶", "总览"):
        click_to(page, label)
        page.wait_for_selector(SIGNED_IN, timeout=60_000)
    for _ in range(3):
        page.reload()
        page.wait_for_selector(SIGNED_IN, timeout=60_000)
    page.goto(f"{deployment.proxy}/{quote('工作总结')}?year=2025")
    page.wait_for_selector("textarea", timeout=60_000)
    assert page.locator(f"text={FORM}").count() == 0  # the reloads and the deep link stayed signed in
    page.context.close()  # its websockets close, and nginx logs each as it closes

    for _ in range(100):
        lines = [line for line in deployment.access_log() if line["route"] == route]
        paths = Counter(line["path"].split("?")[0] for line in lines)
        if paths["/_stcore/stream"] >= 5:  # one per page load
            break
        time.sleep(0.1)
    assert paths["/_stcore/stream"] >= 5 and paths["/api/session"] >= 1, paths
    assert {line["upstream"] for line in lines} in ({deployment.a[7:]}, {deployment.b[7:]}), lines

    for _ in range(40):  # new browsers, all from one address: a NAT'ed office is not pinned to one process
        urllib.request.urlopen(f"{deployment.proxy}/_stcore/health", timeout=10).read()
    fresh = [line["upstream"] for line in deployment.access_log()[-40:]]
    assert set(fresh) == {deployment.a[7:], deployment.b[7:]}, Counter(fresh)

    trail = deployment.store.audit_trail(operator("root"), user="李主席")
    through_proxy = trail[trail["action"] == "sign_in"]["address"].tolist()
    assert through_proxy and all(a.startswith("经代理") for a in through_proxy), through_proxy  # never 本机


def test_a_workbook_imported_on_one_process_shows_on_the_other_at_its_next_click(deployment, browser, tmp_path):
    from workbooks import workbook_bytes

    clerk = signed_in_through_the_proxy(browser, deployment, "张科长")
    reader = signed_in_through_the_proxy(browser, deployment, "李主席")
    open_on(reader, deployment.b, "活动参与", "year=2024&period=Q2")  # B has read the store as it was
    reader.wait_for_selector(SIGNED_IN, timeout=60_000)

    workbook = tmp_path / "两校2024年二季度.xlsx"
    workbook.write_bytes(workbook_bytes({"活动": [
        ["日期", "单位", "活动名称", "类别", "参与人次", "支出（元）"],
        [dt.date(2024, 4, 3), "城南小学", "春季健步走", "文体活动", 60, 1800],
        [dt.date(2024, 5, 4), "城北中学", "青年座谈会", "学习培训", 25, 300]]}))
    open_on(clerk, deployment.a, "数据管理")
    clerk.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(workbook))
    clerk.wait_for_selector("text=检查通过", timeout=60_000)
    clerk.get_by_role("button", name="导入", exact=True).click()
    clerk.wait_for_selector("text=已导入为第", timeout=60_000)

    click_to(reader, "总览")  # B's next click
    reader.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=60_000)
    assert reader.locator('[data-testid="stMetricValue"]').all_inner_texts()[:2] == ["2次", "85人次"]
    clerk.context.close()
    reader.context.close()


def summary_text(page) -> str:
    page.wait_for_function("() => document.querySelectorAll('textarea').length === 1", timeout=60_000)
    return page.locator("textarea").input_value()


def test_the_organisation_name_changed_on_one_process_shows_on_the_other(deployment, browser):
    clerk = signed_in_through_the_proxy(browser, deployment, "张科长")
    reader = signed_in_through_the_proxy(browser, deployment, "李主席")
    open_on(reader, deployment.b, "工作总结", "year=2024&period=Q2")
    before = summary_text(reader)
    assert "某区教育工会" not in before

    open_on(clerk, deployment.a, "数据管理")
    clerk.get_by_label("本单位（工会）名称", exact=False).fill("某区教育工会")
    clerk.get_by_role("button", name="保存名称").click()
    clerk.wait_for_selector("text=已将本单位名称设为", timeout=60_000)

    reader.get_by_test_id("stRadioGroup").get_by_text("去年同期").click()  # B's next click
    wait_for_run(reader)
    reader.wait_for_function("() => [...document.querySelectorAll('textarea')].some("
                             "t => t.value.startsWith('某区教育工会'))", timeout=60_000)
    assert summary_text(reader).splitlines()[0].startswith("某区教育工会2024年第二季度")
    clerk.context.close()
    reader.context.close()


def test_an_account_disabled_on_one_process_is_signed_out_of_the_other_at_its_next_click(deployment, browser):
    deployment.store.accounts.add(operator("root"), "王干事", VIEWER, password=PASSWORD)
    clerk = signed_in_through_the_proxy(browser, deployment, "张科长")
    reader = signed_in_through_the_proxy(browser, deployment, "王干事")
    open_on(reader, deployment.b)
    reader.wait_for_selector(SIGNED_IN, timeout=60_000)
    assert reader.locator("text=当前用户：王干事（查看）").count() == 1

    open_on(clerk, deployment.a, "数据管理")
    clerk.wait_for_selector("text=修改账号", timeout=60_000)
    form = clerk.locator('[data-testid="stForm"]').filter(has_text="修改账号")
    choose(form.locator('[data-testid="stSelectbox"]').first, "王干事")
    form.get_by_text("停用", exact=True).click()
    form.get_by_role("button", name="保存修改").click()
    clerk.wait_for_selector("text=已修改账号“王干事”", timeout=60_000)
    assert deployment.store.accounts.list().set_index("name").loc["王干事", "disabled"]

    click_to(reader, "活动参与")  # B's next click
    reader.wait_for_selector(f"text={FORM}", timeout=60_000)
    assert reader.locator(f"text={ENDED}").count() == 1
    assert reader.locator(SIGNED_IN).count() == 0
    reader.goto(deployment.proxy)  # and through the proxy, whichever process it reaches
    reader.wait_for_selector(f"text={FORM}", timeout=60_000)
    clerk.context.close()
    reader.context.close()
