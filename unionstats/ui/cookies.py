"""The sign-in cookie, set by the server: HttpOnly, SameSite=Strict, Secure over HTTPS, a lifetime in seconds.

Streamlit talks to the browser over a websocket, which cannot set a cookie,
and a cookie set by page JavaScript is readable by any script on the page. So
the server sets it on an ordinary HTTP response: after a sign-in the page
shows an invisible image whose address holds a one-time ticket, and the route
behind it (`session_route`, served beside Streamlit by app.py's st.App through server.py)
answers with Set-Cookie. A ticket is random, good once and for two minutes,
and kept only in this process's memory, by its hash, beside the session
token it hands over. Signing out clears the cookie the same way.

The cookie's lifetime is Max-Age, in seconds, so the browser's clock and time
zone do not matter; the session itself ends on the server (accounts.py), at
sign-out or after the idle time, whatever the cookie says.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time

from starlette.requests import Request
from starlette.responses import Response

COOKIE = "unionstats_session"
ROUTE = "/api/session"
TICKET_SECONDS = 120
COOKIE_SECONDS = 7 * 24 * 3600  # the browser keeps it a week; the store decides whether its session is alive

_tickets: dict[str, tuple[str, float]] = {}  # sha256 of a ticket -> (session token, deadline)
_lock = threading.Lock()


def issue(token: str) -> str:
    """A one-time ticket for handing `token` to the browser as its cookie."""
    ticket = secrets.token_urlsafe(24)
    now = time.monotonic()
    with _lock:
        for key in [k for k, (_, deadline) in _tickets.items() if deadline < now]:
            del _tickets[key]
        _tickets[_hash(ticket)] = (token, now + TICKET_SECONDS)
    return ticket


def redeem(ticket: str) -> str | None:
    """The token behind a ticket, once, within its two minutes; None otherwise."""
    with _lock:
        token, deadline = _tickets.pop(_hash(ticket), ("", 0.0))
    return token if token and deadline >= time.monotonic() else None


def pending(ticket: str) -> bool:
    """Whether the ticket still waits for its browser (not yet redeemed, not expired)."""
    with _lock:
        found = _tickets.get(_hash(ticket))
    return found is not None and found[1] >= time.monotonic()


def setting_url(ticket: str) -> str:
    return f"{ROUTE}?ticket={ticket}"


def clearing_url() -> str:
    return f"{ROUTE}?end=1"


def image(url: str) -> str:
    """An invisible image that makes the browser ask `url` (st.html keeps an <img>)."""
    return (f'<img src="{url}" alt="" width="1" height="1" '
            'style="position:absolute;width:1px;height:1px;opacity:0;pointer-events:none">')


async def session_route(request: Request) -> Response:
    """GET /api/session?ticket=…: Set-Cookie with the ticket's token; ?end=1: the cookie cleared."""
    headers = {"Cache-Control": "no-store"}
    secure = request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "").lower() == "https"
    if request.query_params.get("end"):
        response = Response(status_code=204, headers=headers)
        response.delete_cookie(COOKIE, path="/", secure=secure, httponly=True, samesite="strict")
        return response
    token = redeem(request.query_params.get("ticket", ""))
    if token is None:
        return Response(status_code=404, headers=headers)
    response = Response(status_code=204, headers=headers)
    response.set_cookie(COOKIE, token, max_age=COOKIE_SECONDS, path="/", secure=secure, httponly=True,
                        samesite="strict")
    return response


def _hash(ticket: str) -> str:
    return hashlib.sha256(ticket.encode()).hexdigest()
