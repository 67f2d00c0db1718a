"""Who is looking at the page: sign-in, the session cookie, 单机模式.

Three ways, chosen by the configuration:

- `[auth]` in `.streamlit/secrets.toml`: Streamlit's own OIDC sign-in
  (`st.login`); the provider's user maps to an account by subject or e-mail
  (accounts.identify), which gives the role and units.
- local accounts in the store (as soon as one enabled 管理 account exists):
  the Chinese form below. A signed-in browser keeps a random session token
  in an HttpOnly cookie that the server sets (cookies.py) and reads back on a
  reload from `st.context.cookies`; the store holds its hash, checks it on
  every run and ends it at sign-out, a new password, disabling or after the
  idle time (accounts.py).
- neither: 单机模式. The machine itself (loopback) may change the store,
  every other address sees read-only views, and every page says so.

When sign-in is on, a visitor who has not signed in gets the form and the
page stops there: no figure, no chart, no uploader, on any page.
"""

from __future__ import annotations

import threading
import urllib.request
from typing import cast

import cachetools
import streamlit as st

from unionstats.store import access
from unionstats.store.access import Actor
from unionstats.store.accounts import SignInRefused, idle_minutes
from unionstats.store.batches import Store
from unionstats.ui import cookies

ACTOR, TOKEN, PENDING, CLEAR = "signin_actor", "signin_token", "signin_pending_cookie", "signin_clear_cookie"


def client_address() -> str:
    """The address the app sees for this browser (access.seen_address)."""
    try:
        headers = st.context.headers
        return access.seen_address(st.context.ip_address, {k: ", ".join(headers.get_all(k)) for k in headers})
    except Exception:  # no browser behind this run (bare mode)
        return ""


def oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file
        return False


def current_actor(store: Store) -> Actor:
    """The actor for this run; with sign-in on and nobody signed in, the form, then st.stop().

    A local session is checked against the store on every run, so a sign-out elsewhere, a new password, a
    disabled account or the idle time ends it at this click, in every tab that holds it."""
    address = client_address()
    ended = False
    if oidc_configured():
        actor: Actor | None = st.session_state.get(ACTOR)
        actor = store.accounts.refreshed(actor) if actor is not None else None
        actor = actor or identified(store, address)
    elif store.accounts.sign_in_required():
        actor, ended = resumed(store, address)
    else:
        forget()
        return access.standalone(address)
    if actor is None:
        forget()
        if ended:
            st.session_state[CLEAR] = True
            st.info("登录已结束（在别处退出登录、密码已修改、账号已停用或长时间无操作），请重新登录。")
        sign_in_form(store, address)
        st.stop()
    st.session_state[ACTOR] = actor
    keep_cookie()
    return actor


def identified(store: Store, address: str) -> Actor | None:
    if not st.user.get("is_logged_in"):
        return None
    try:
        # Streamlit types every claim as any claim value may be; these two are strings (OpenID Connect)
        email, subject = cast(str | None, st.user.get("email")), cast(str | None, st.user.get("sub"))
        return store.accounts.identify(email, subject, address)
    except SignInRefused as exc:
        st.error(str(exc))
        if st.button("退出统一身份认证"):
            st.logout()
        st.stop()


def resumed(store: Store, address: str) -> tuple[Actor | None, bool]:
    """The actor of this tab's session (else of the browser's cookie) and whether a session this tab held
    has ended."""
    token = st.session_state.get(TOKEN)
    if token:
        actor = store.accounts.resume(token, address)
        return actor, actor is None
    try:
        token = st.context.cookies.get(cookies.COOKIE, "")
    except Exception:  # no browser behind this run
        token = ""
    actor = store.accounts.resume(token if isinstance(token, str) else "", address, from_cookie=True)
    if actor is not None:
        st.session_state[TOKEN] = token
    return actor, False


def sign_in_form(store: Store, address: str) -> None:
    st.title("工会活动统计 · 登录")
    clear_cookie()
    if oidc_configured():
        problem = provider_problem(metadata_url())
        if problem:
            st.error(problem)
        if st.button("使用统一身份认证登录", type="primary", disabled=bool(problem)):
            st.login()
        if not store.accounts.has_local_passwords():
            return
        st.caption("或使用本系统的账号登录：")
    with st.form("signin"):
        name = st.text_input("用户名")
        password = st.text_input("密码", type="password")
        pressed = st.form_submit_button("登录", type="primary")
    if pressed:
        try:
            actor = store.accounts.sign_in(name, password, address)
        except SignInRefused as exc:
            st.error(str(exc))
            return
        st.session_state[ACTOR] = actor
        st.session_state[TOKEN] = token = store.accounts.open_session(actor)
        st.session_state[PENDING] = cookies.issue(token)
        st.rerun()
    st.caption(f"登录后 {idle_minutes() / 60:g} 小时内无操作会自动退出。忘记密码或无法登录，请联系管理员。")


def metadata_url() -> str:
    """The identity provider's discovery address: [auth]'s server_metadata_url, else its first provider's."""
    auth = st.secrets.get("auth", {})
    found = auth.get("server_metadata_url")
    if not found:
        found = next((v.get("server_metadata_url") for v in auth.values() if hasattr(v, "get")), None)
    return str(found or "")


@cachetools.cached(cachetools.TTLCache(maxsize=4, ttl=60), lock=threading.Lock())
def provider_problem(url: str) -> str:
    """Why the identity provider cannot be used now, in Chinese ('' when its discovery document answers); asked at
    most once a minute, so a provider that is down costs a sign-in page three seconds, not every page."""
    if not url:
        return "secrets.toml 的 [auth] 中没有 server_metadata_url，无法使用统一身份认证。请管理员补上后重新启动"
    try:
        with urllib.request.urlopen(url, timeout=3) as answer:
            answer.read(1)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        return (f"统一身份认证服务暂时连接不上（{url}：{reason}）。请稍后刷新页面再试；如一直如此，"
                "请管理员检查服务器的网络和 secrets.toml 中 [auth] 的 server_metadata_url")
    return ""


def keep_cookie() -> None:
    """After a sign-in, until the browser has fetched it: the invisible image whose answer sets the cookie."""
    ticket = st.session_state.get(PENDING)
    if ticket and cookies.pending(ticket):
        st.sidebar.html(cookies.image(cookies.setting_url(ticket)))
    elif ticket:
        del st.session_state[PENDING]


def clear_cookie() -> None:
    """After a sign-out, once: the invisible image whose answer clears the cookie."""
    if st.session_state.pop(CLEAR, False):
        st.html(cookies.image(cookies.clearing_url()))


def sign_out_button(store: Store, actor: Actor) -> None:
    if actor.how != access.SIGNED_IN:
        return
    st.sidebar.caption(f"当前用户：{actor.name}（{actor.role}）")
    if st.sidebar.button("退出登录"):
        store.accounts.sign_out(actor)
        forget()
        st.session_state[CLEAR] = True
        if oidc_configured() and st.user.get("is_logged_in"):
            st.logout()
        st.rerun()


def forget() -> None:
    for key in (ACTOR, TOKEN, PENDING):
        st.session_state.pop(key, None)


def standalone_text(actor: Actor) -> str:
    """What 单机模式 lets this browser do, or "" when accounts are on."""
    if actor.how != access.STANDALONE:
        return ""
    if actor.role == access.ADMIN:
        return ("单机模式：尚未设置账号，只有在本机打开的页面可以导入和修改数据，其他电脑只能查看。"
                "在“数据管理”中创建第一个管理账号即可启用登录。")
    return "单机模式：这台电脑只能查看数据；导入和修改请在服务器本机上进行，或请管理员创建账号后登录。"