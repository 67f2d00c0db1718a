"""The app's store, the Streamlit way.

`[connections.unionstats]` in `.streamlit/secrets.toml` (read through
`st.connection`) names the database; without it, UNIONSTATS_DB, else the
SQLite file in data/. One Store per URL is shared by every session.
"""

from __future__ import annotations

import streamlit as st

from ..store import Store, resolve_url

CONNECTION = "unionstats"


def configured_url() -> str | None:
    try:
        section = st.secrets.get("connections", {}).get(CONNECTION)
    except Exception:  # no secrets.toml at all: Streamlit raises rather than returning nothing
        return None
    if not section:
        return None
    engine = st.connection(CONNECTION, type="sql", **dict(section)).engine
    return engine.url.render_as_string(hide_password=False)


@st.cache_resource(show_spinner=False)
def store_for(url: str) -> Store:
    return Store(url)


def open_store() -> Store:
    return store_for(resolve_url(configured_url()))
