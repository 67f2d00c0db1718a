"""What app.py serves beside Streamlit: the cookie route (a one-time ticket answered with an HttpOnly cookie) and
Chinese pages in place of Streamlit's English sign-in errors. Exercised through Starlette's test client; the
chromium tests (test_browser_sessions.py) run the same route in the real server."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from urllib.parse import quote

import pytest
from starlette.applications import Starlette
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient
from test_browser import free_port

from conftest import ROOT
from unionstats.ui import cookies, server


async def failing_login(request):
    return Response("Authentication error", status_code=400)


async def working_login(request):
    return RedirectResponse("https://provider.example/authorize", status_code=302)


@pytest.fixture
def client() -> TestClient:
    app = Starlette(routes=[*server.routes(), Route("/auth/login", failing_login), Route("/ok/auth/login",
                                                                                        working_login)],
                    middleware=server.middleware())
    return TestClient(app, follow_redirects=False)


def test_a_ticket_is_answered_once_with_an_httponly_strict_cookie_that_lives_a_week(client):
    ticket = cookies.issue("the-session-token")
    answer = client.get(cookies.setting_url(ticket))
    assert answer.status_code == 204 and answer.headers["cache-control"] == "no-store"
    cookie = answer.headers["set-cookie"]
    parts = {p.strip().split("=")[0].lower(): p.strip() for p in cookie.split(";")}
    assert cookie.startswith("unionstats_session=the-session-token;")
    assert "httponly" in parts and parts["samesite"].lower() == "samesite=strict" and parts["path"] == "Path=/"
    assert parts["max-age"] == f"Max-Age={7 * 24 * 3600}"
    assert "secure" not in parts  # plain http: a Secure cookie would never come back
    assert client.get(cookies.setting_url(ticket)).status_code == 404  # good once
    assert "set-cookie" not in client.get(cookies.setting_url("made-up")).headers


def test_behind_an_https_proxy_the_cookie_is_secure(client):
    answer = client.get(cookies.setting_url(cookies.issue("t")), headers={"X-Forwarded-Proto": "https"})
    assert "secure" in answer.headers["set-cookie"].lower()


def test_a_ticket_older_than_two_minutes_is_refused(client, monkeypatch):
    ticket = cookies.issue("t")
    later = cookies.time.monotonic() + cookies.TICKET_SECONDS + 1
    monkeypatch.setattr(cookies.time, "monotonic", lambda: later)
    assert not cookies.pending(ticket)
    assert client.get(cookies.setting_url(ticket)).status_code == 404


def test_the_clearing_url_expires_the_cookie(client):
    cookie = client.get(cookies.clearing_url()).headers["set-cookie"]
    assert cookie.startswith('unionstats_session="";') or cookie.startswith("unionstats_session=;")
    assert "Max-Age=0" in cookie and "httponly" in cookie.lower()


def test_streamlits_english_authentication_error_becomes_a_chinese_page(client):
    answer = client.get("/auth/login?provider=x")
    assert answer.status_code == 502 and "Authentication error" not in answer.text
    assert "统一身份认证暂时无法使用" in answer.text and "server_metadata_url" in answer.text
    assert answer.headers["content-type"].startswith("text/html")


def test_a_working_sign_in_redirect_passes_through_untouched(client):
    answer = client.get("/ok/auth/login?provider=x")
    assert answer.status_code == 302 and answer.headers["location"] == "https://provider.example/authorize"


def test_a_secrets_file_that_is_not_utf8_makes_every_page_say_so_in_chinese(tmp_path):
    """Streamlit itself would answer every request with an Internal Server Error and log a traceback."""
    secrets = tmp_path / "secrets.toml"
    secrets.write_bytes('[connections.unionstats]\nurl = "sqlite:///x.db"  # 中文注释\n'.encode("gb18030"))
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", "--secrets.files", str(secrets)],
        cwd=ROOT, env={**os.environ, "UNIONSTATS_DB": f"sqlite:///{tmp_path / 'store.db'}"},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline, page, status = time.time() + 60, "", 0
        while time.time() < deadline and not page:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/{quote('慰问帮扶')}", timeout=2)
            except urllib.error.HTTPError as answer:
                status, page = answer.code, answer.read().decode("utf-8")
            except OSError:
                time.sleep(0.3)
    finally:
        process.terminate()
        log = process.communicate(timeout=20)[0].decode(errors="replace")
    assert status == 503 and "工会活动统计无法启动" in page
    assert f"配置文件 {secrets} 无法读取：它不是 UTF-8 编码" in page and "另存" in page
    assert "Traceback" not in log and "UTF-8 编码" in log
