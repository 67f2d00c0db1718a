"""The app's store, the Streamlit way.

`[connections.unionstats]` in `.streamlit/secrets.toml` (read through
`st.connection`) names the database; without it, UNIONSTATS_DB, else the
SQLite file in data/. One Store per URL is shared by every session.

A secrets file that exists but cannot be read, a connection that cannot be
made and a database that does not answer all stop the app with a Chinese
message: silently falling back to the local sample store would show the
wrong figures as if they were the office's own.
"""

from __future__ import annotations

import os
import re
import threading
import tomllib
from pathlib import Path

import cachetools
import sqlalchemy as sa
import streamlit as st

from unionstats.store.batches import Store
from unionstats.store.database import StoreSettingError, resolve_url

CONNECTION = "unionstats"


class ConnectionProblem(Exception):
    """The configured store cannot be reached; the message says what to fix, in Chinese."""


def check_secrets_files() -> None:
    """Streamlit treats a secrets file it cannot parse as no secrets at all; here it is an error."""
    for name in st.get_option("secrets.files"):
        path = Path(name)
        if not path.is_file():
            continue
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ConnectionProblem(
                f"配置文件 {path} 无法读取：它不是 UTF-8 编码（第 {exc.start + 1} 个字节起）。请用记事本或 VS Code "
                f"以 UTF-8 编码另存后重新启动；改正之前不会连接任何数据库。") from None
        try:
            tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            found = re.search(r"line (\d+), column (\d+)", str(exc))
            where = f"第{found[1]}行第{found[2]}列" if found else ""
            raise ConnectionProblem(
                f"配置文件 {path} 无法读取：{where}不是有效的 TOML 格式（{exc}）。请改正后重新启动；"
                f"改正之前不会连接任何数据库。") from None


def configured_url() -> str | None:
    check_secrets_files()
    try:
        section = st.secrets.get("connections", {}).get(CONNECTION)
    except FileNotFoundError:  # no secrets file at all
        return None
    if not section:
        return None
    try:
        engine = st.connection(CONNECTION, type="sql", **dict(section)).engine
    except Exception as exc:  # a bad URL, a missing driver, a wrong option: each its own exception
        raise ConnectionProblem(f"secrets.toml 中 [connections.{CONNECTION}] 的数据库连接无法建立：{exc}。"
                                f"请检查其中的 url（或 dialect、host、database 等）后重新启动。") from None
    return engine.url.render_as_string(hide_password=False)


def setting_name(configured: str | None) -> str:
    """Where the store's URL came from, as the message names it."""
    if configured:
        return f"secrets.toml 中的 [connections.{CONNECTION}]"
    return "环境变量 UNIONSTATS_DB" if os.environ.get("UNIONSTATS_DB") else "默认的 data/unionstats.db"


@cachetools.cached(cachetools.LRUCache(maxsize=8), condition=threading.Condition())
def store_for(url: str) -> Store:
    """One Store per configured URL for the process: kept outside Streamlit's caches, which any browser may
    empty."""
    return Store(url)


def open_store() -> Store:
    configured = configured_url()
    url = resolve_url(configured)
    try:
        return store_for(url)
    except StoreSettingError as exc:
        raise ConnectionProblem(f"数据库设置有误（{setting_name(configured)}）：{exc}。请改正后重新启动。") from None
    except RuntimeError as exc:  # a store written by a newer unionstats
        raise ConnectionProblem(str(exc)) from None
    except sa.exc.SQLAlchemyError as exc:
        shown = sa.engine.make_url(url).render_as_string(hide_password=True)
        reason = getattr(exc, "orig", None) or exc
        raise ConnectionProblem(f"无法连接数据库 {shown}：{str(reason).strip()}。请确认数据库已启动、地址和账号正确，"
                                f"然后刷新页面。") from None
