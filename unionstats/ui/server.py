"""What app.py's st.App serves beside Streamlit itself.

- `/api/session`: the route that sets and clears the sign-in cookie from the server (cookies.py).
- a Chinese page at every address when the configuration stops the app before it can start (configuration_problem).
- Chinese answers for the identity provider's failures: when Streamlit's `/auth/login` cannot reach the provider it
  answers a bare English "Authentication error"; ChineseAuthErrors puts a page in its place that says what happened
  and what to check.
"""

from __future__ import annotations

import html
import sys

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import HTMLResponse
from starlette.routing import Route

from unionstats.ui import cookies

PROVIDER_DOWN = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>统一身份认证暂时无法使用</title>
<style>body{font-family:sans-serif;max-width:40em;margin:4em auto;line-height:1.7;color:#1F2D3D}</style></head><body>
<h1>统一身份认证暂时无法使用</h1>
<p>本系统连接不上统一身份认证服务，无法转到它的登录页面。请稍后再试。</p>
<p>如果一直如此，请管理员检查：服务器能否访问统一身份认证服务，以及 <code>.streamlit/secrets.toml</code> 中
<code>[auth]</code> 的 <code>server_metadata_url</code> 是否正确。</p>
<p><a href="/">返回登录页</a></p></body></html>"""


class ChineseAuthErrors:
    """ASGI middleware: an error answer from Streamlit's /auth/login becomes PROVIDER_DOWN."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope["path"].rstrip("/").endswith("/auth/login"):
            await self.app(scope, receive, send)
            return
        failed = False

        async def answer(message):
            nonlocal failed
            if message["type"] == "http.response.start":
                failed = message["status"] >= 400
            if not failed:
                await send(message)
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                await HTMLResponse(PROVIDER_DOWN, status_code=502, headers={"Cache-Control": "no-store"})(
                    scope, receive, send)

        await self.app(scope, receive, answer)


def configuration_problem() -> str:
    """Why the app cannot start as configured ('' when it can): a secrets file Streamlit itself would stop on."""
    from unionstats.ui.connection import ConnectionProblem, check_secrets_files

    try:
        check_secrets_files()
    except ConnectionProblem as problem:
        print(f"工会活动统计无法启动：{problem}", file=sys.stderr, flush=True)
        return str(problem)
    return ""


def problem_app(problem: str) -> Starlette:
    """In place of the app that cannot start: every address answers a Chinese page saying what to fix."""
    page = PROBLEM.format(problem=html.escape(problem))

    async def answer(request):
        return HTMLResponse(page, status_code=503, headers={"Cache-Control": "no-store"})

    return Starlette(routes=[Route("/{path:path}", answer)])


PROBLEM = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>工会活动统计无法启动</title>
<style>body{{font-family:sans-serif;max-width:44em;margin:4em auto;line-height:1.7;color:#1F2D3D}}</style></head>
<body><h1>工会活动统计无法启动</h1><p>{problem}</p><p>改正后请重新启动本系统。</p></body></html>"""


def routes() -> list[Route]:
    return [Route(cookies.ROUTE, cookies.session_route, methods=["GET"])]


def middleware() -> list[Middleware]:
    return [Middleware(ChineseAuthErrors)]
