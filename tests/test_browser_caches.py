"""The server's memory and caches against strangers, on a real server in chromium: tiny files that expand to
millions of rows leave its memory where it was, and Streamlit's "clear cache" message sent on a raw websocket by a
client that never signed in costs nobody a reread of the store."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import pytest
from test_browser import chromium, require_browser, served, wait_for_run
from test_screening import ods, repeated_data_row

from unionstats.store.access import ADMIN, operator
from unionstats.store.batches import Store

CHART = '[data-testid="stPlotlyChart"] .main-svg'


async def send_clear_cache(base: str) -> int:
    """Open Streamlit's websocket as a bare client (no cookie, no page), ask for a run, then "clear cache";
    the number of messages the server sent back (so the connection was really served)."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg

    received = 0
    async with websockets.connect(base.replace("http", "ws") + "/_stcore/stream", subprotocols=["streamlit"],
                                  max_size=None) as socket:
        rerun = BackMsg()
        rerun.rerun_script.query_string = ""
        await socket.send(rerun.SerializeToString())
        clear = BackMsg()
        clear.clear_cache = True
        await socket.send(clear.SerializeToString())
        try:
            while True:
                await asyncio.wait_for(socket.recv(), timeout=5)
                received += 1
        except (TimeoutError, asyncio.TimeoutError, websockets.ConnectionClosed):
            pass
    return received


@pytest.fixture
def counted_server(tmp_path):
    require_browser()
    reads = tmp_path / "reads.log"
    reads.touch()
    url = f"sqlite:///{tmp_path / 'store.db'}"
    Store(url).accounts.add(operator("root"), "张科长", ADMIN, password="a-good-password")
    with served(url, launcher=("tests/serve_counting.py",), env={"UNIONSTATS_TEST_READS": str(reads)}) as (_, base):
        yield base, lambda: len(reads.read_text().splitlines())


def test_clear_cache_from_a_client_that_never_signed_in_rereads_nothing(counted_server):
    base, reads = counted_server
    with chromium() as browser:
        page = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN").new_page()
        page.goto(base)
        page.get_by_label("用户名", exact=True).fill("张科长")
        page.get_by_label("密码", exact=True).fill("a-good-password")
        page.get_by_role("button", name="登录").click()
        page.wait_for_selector(CHART, timeout=60_000)
        wait_for_run(page)
        warm = reads()
        assert warm >= 1
        with ThreadPoolExecutor(1) as other:  # Playwright's own event loop runs in this thread
            assert other.submit(asyncio.run, send_clear_cache(base)).result(60) > 0
        page.locator('[data-testid="stSidebar"]').get_by_text("活动参与").first.click()
        page.wait_for_selector(CHART, timeout=60_000)
        wait_for_run(page)
        after = reads()
    assert after == warm, f"the store's rows were read again after a stranger's clear_cache ({warm} -> {after})"


BOMBS, GROWTH_MB = 20, 100


def resident_mb(pid: int) -> float:
    for line in open(f"/proc/{pid}/status", encoding="ascii"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def test_twenty_tiny_files_that_expand_to_millions_of_rows_leave_the_servers_memory_where_it_was(tmp_path):
    """Each 2 KB .ods repeats one data row 500,000 times; all are refused, and the server keeps under GROWTH_MB
    more than it held after the first."""
    require_browser()
    bombs = [{"name": f"第{i + 1}季度.ods", "mimeType": "application/vnd.oasis.opendocument.spreadsheet",
              "buffer": ods(repeated_data_row(500_000 + i))} for i in range(BOMBS)]
    refused = 'text=却要展开成'
    with served(f"sqlite:///{tmp_path / 'store.db'}") as (process, base), chromium() as browser:  # 单机模式
        page = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN").new_page()
        page.goto(f"{base}/{quote('数据管理')}")
        uploader = page.locator('[data-testid="stFileUploader"] input[type="file"]')
        uploader.wait_for(state="attached", timeout=60_000)
        uploader.set_input_files(bombs[:1])
        page.wait_for_selector(refused, timeout=60_000)
        wait_for_run(page)
        first = resident_mb(process.pid)
        uploader.set_input_files(bombs)
        page.wait_for_function(f"document.querySelectorAll('[data-testid=\"stAlertContentError\"]').length >= "
                               f"{BOMBS}", timeout=300_000)
        wait_for_run(page)
        messages = page.locator('[data-testid="stAlertContentError"]').all_inner_texts()
        last = resident_mb(process.pid)
    print(f"server memory: {first:.0f} MB after the first upload, {last:.0f} MB after {BOMBS} more")
    assert len(messages) == BOMBS and all("却要展开成 1,5" in m for m in messages), messages[:2]
    assert last - first < GROWTH_MB, f"{BOMBS} uploads took the server from {first:.0f} MB to {last:.0f} MB"
