import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from conftest import ROOT

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
    at = AppTest.from_string(SCRIPT, default_timeout=60)  # opening a new store: seconds on a busy machine
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


@pytest.fixture
def secrets_file(tmp_path, monkeypatch):
    """A secrets.toml of the test's own, in place of the user's and the project's."""
    from streamlit import config

    path = tmp_path / "secrets.toml"
    saved = config.get_option("secrets.files")
    config.set_option("secrets.files", [str(path)])
    st.secrets._reset()
    monkeypatch.setenv("UNIONSTATS_DB", f"sqlite:///{tmp_path / 'fallback.db'}")
    yield path
    config.set_option("secrets.files", saved)
    st.secrets._reset()


def page(tmp_path) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_a_broken_secrets_file_stops_the_app_naming_the_file_and_line(secrets_file, tmp_path):
    secrets_file.write_text('[connections.unionstats]\nurl = sqlite:///elsewhere.db\n', encoding="utf-8")
    at = page(tmp_path)
    [error] = [e.value.replace("\\", "") for e in at.error]
    assert str(secrets_file) in error and "第2行" in error and "改正" in error
    assert not at.metric and not (tmp_path / "fallback.db").exists()


def test_a_connection_that_cannot_be_made_stops_the_app_naming_the_connection(secrets_file, tmp_path):
    secrets_file.write_text('[connections.unionstats]\nurl = "nosuchdb://user@host/db"\n', encoding="utf-8")
    at = page(tmp_path)
    [error] = [e.value.replace("\\", "") for e in at.error]
    assert "[connections.unionstats]" in error and "nosuchdb" in error
    assert not at.metric and not (tmp_path / "fallback.db").exists()


def test_a_database_that_does_not_answer_stops_the_app_without_its_password(secrets_file, tmp_path):
    url = "postgresql+psycopg://clerk:s3cret@127.0.0.1:1/unionstats?connect_timeout=2"
    secrets_file.write_text(f'[connections.unionstats]\nurl = "{url}"\n', encoding="utf-8")
    at = page(tmp_path)
    [error] = [e.value.replace("\\", "") for e in at.error]
    assert "无法连接数据库" in error and "127.0.0.1:1" in error and "s3cret" not in error
    assert not at.metric


def test_no_secrets_file_at_all_uses_the_local_store(secrets_file, tmp_path):
    at = page(tmp_path)
    assert not at.error and at.metric and (tmp_path / "fallback.db").exists()


@pytest.mark.parametrize("url, says", [
    ("not a url", "“not a url”不是数据库地址，应写成 sqlite:///"),
    ("mysql://clerk:s3cret@db/unionstats", "不支持“mysql”数据库"),
], ids=["not-a-url", "other-dialect"])
def test_a_store_address_that_cannot_be_used_stops_the_app_naming_the_setting(tmp_path, monkeypatch, url, says):
    monkeypatch.setenv("UNIONSTATS_DB", url)
    at = page(tmp_path)
    [error] = [e.value.replace("\\", "") for e in at.error]
    assert error.startswith("数据库设置有误（环境变量 UNIONSTATS_DB）") and says in error and "改正" in error
    assert "s3cret" not in error and "Traceback" not in error and not at.metric


def test_a_sqlite_file_in_a_folder_that_does_not_exist_is_refused_and_no_folder_is_made(tmp_path, monkeypatch):
    missing = tmp_path / "typo" / "store.db"
    monkeypatch.setenv("UNIONSTATS_DB", f"sqlite:///{missing}")
    at = page(tmp_path)
    [error] = [e.value.replace("\\", "") for e in at.error]
    assert "环境变量 UNIONSTATS_DB" in error and f"文件夹 {missing.parent} 不存在" in error
    assert not missing.parent.exists()
