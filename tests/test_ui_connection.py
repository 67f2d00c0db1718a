from streamlit.testing.v1 import AppTest

SCRIPT = """
from unionstats.ui.connection import open_store
import streamlit as st
st.text(open_store().url)
"""


def run(secrets: dict | None, monkeypatch, env_url: str | None = None) -> str:
    if env_url:
        monkeypatch.setenv("UNIONSTATS_DB", env_url)
    else:
        monkeypatch.delenv("UNIONSTATS_DB", raising=False)
    at = AppTest.from_string(SCRIPT)
    if secrets:
        at.secrets["connections"] = secrets
    at.run()
    assert not at.exception
    return at.text[0].value


def test_secrets_name_the_database_through_st_connection(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'from-secrets.db'}"
    assert run({"unionstats": {"url": url}}, monkeypatch, env_url=f"sqlite:///{tmp_path / 'env.db'}") == url
    assert (tmp_path / "from-secrets.db").exists()


def test_without_secrets_the_environment_decides(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'env.db'}"
    assert run(None, monkeypatch, env_url=url) == url
