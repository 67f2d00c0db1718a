"""What app.py's st.App serves beside Streamlit itself.

- `/api/session`: the route that sets and clears the sign-in cookie from the server (cookies.py).
- Chinese answers for the identity provider's failures: when Streamlit's `/auth/login` cannot reach the provider it
  answers a bare English "Authentication error"; ChineseAuthErrors puts a page in its place that says what happened
  and what to check.
"""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.responses import HTMLResponse
from starlette.routing import Route

from . import cookies

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


def routes() -> list[Route]:
    return [Route(cookies.ROUTE, cookies.session_route, methods=["GET"])]


def middleware() -> list[Middleware]:
    return [Middleware(ChineseAuthErrors)]
