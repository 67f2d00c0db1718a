"""Sign-in and roles on every page (AppTest): what each role sees, and what a visitor who has not signed in sees."""

import datetime as dt
import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT
from unionstats.store import accounts as accounts_module
from unionstats.store.access import ADMIN, REPORTER, VIEWER, Actor, operator
from unionstats.store.batches import Store
from unionstats.ui import signin

PAGES = [None, *sorted((ROOT / "pages").glob("*.py"))]
PASSWORD = "a-good-password"


@pytest.fixture
def store(tmp_path, monkeypatch) -> Store:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("UNIONSTATS_DB", url)
    monkeypatch.setattr(signin, "client_address", lambda: "10.0.0.8")
    return Store(url)


@pytest.fixture
def accounts(store) -> Store:
    root = operator("root")
    store.accounts.add(root, "张科长", ADMIN, password=PASSWORD)
    store.accounts.add(root, "李主席", VIEWER, password=PASSWORD)
    store.accounts.add(root, "王老师", REPORTER, units=["江城市农业科学研究所工会"], password=PASSWORD)
    return store


def page(path: Path | None, actor: Actor | None = None) -> AppTest:
    """The page as `actor` sees it in a tab that signed in: the tab holds a session the store opened for it."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    if actor is not None:
        at.session_state[signin.TOKEN] = Store(os.environ["UNIONSTATS_DB"]).accounts.open_session(actor)
    if path is not None:
        at.switch_page(f"pages/{path.name}")
    return at.run()


def shown(at: AppTest) -> dict[str, int]:
    return {kind: len(at.get(kind)) for kind in ("plotly_chart", "metric", "file_uploader", "arrow_data_frame")}


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem if p else "app")
def test_before_sign_in_every_page_shows_the_form_and_nothing_else(accounts, path):
    at = page(path)
    assert not at.exception
    assert [t.value for t in at.title] == ["工会活动统计 · 登录"]
    assert [i.label for i in at.text_input] == ["用户名", "密码"]
    assert set(shown(at).values()) == {0}
    assert not at.text_area and not at.get("download_button")


def test_the_form_refuses_a_wrong_password_and_signs_in_with_the_right_one(accounts):
    at = page(None)
    at.text_input[0].input("张科长")
    at.text_input[1].input("wrong password")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["用户名或密码不正确"]
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception and at.title[0].value == "总览"
    assert shown(at)["metric"] >= 8
    assert at.session_state[signin.ACTOR] == Actor("张科长", ADMIN, address="10.0.0.8")
    trail = accounts.audit_trail(operator("root"))
    assert trail["action"].tolist()[:2] == ["sign_in", "sign_in_failed"]


@pytest.mark.parametrize("role, uploader, deletes, audit", [
    (VIEWER, False, False, False), (REPORTER, True, False, False), (ADMIN, True, True, True),
], ids=["viewer", "reporter", "admin"])
def test_data_management_offers_each_role_only_what_it_may_do(accounts, role, uploader, deletes, audit):
    name = {VIEWER: "李主席", REPORTER: "王老师", ADMIN: "张科长"}[role]
    units = ("江城市农业科学研究所工会",) if role == REPORTER else ()
    at = page(PAGES[7], Actor(name, role, units))
    assert not at.exception
    labels = {b.label for b in at.button}
    assert bool(at.get("file_uploader")) == uploader
    assert ({"删除该批次", "恢复该批次"} <= labels) == deletes
    assert ("导出全部数据（不含慰问对象姓名和备注）" in {b.label for b in at.get("download_button")}) == deletes
    assert any("操作记录" in s.value for s in at.subheader) == audit
    assert f"当前用户：{name}（{role}）" in [c.value for c in at.sidebar.caption]
    if role == VIEWER:
        assert any("“查看”，不能导入数据" in i.value for i in at.info)


@pytest.mark.parametrize("path", PAGES[:7], ids=lambda p: p.stem if p else "app")
def test_a_viewer_sees_every_figure_page(accounts, path):
    at = page(path, Actor("李主席", VIEWER))
    assert not at.exception and not at.get("file_uploader")
    assert at.title[0].value != "工会活动统计 · 登录"


def test_a_disabled_account_is_signed_out_on_its_next_page_view(accounts):
    accounts.accounts.set_disabled(operator("root"), "李主席", True)
    at = page(None, Actor("李主席", VIEWER))
    assert at.title[0].value == "工会活动统计 · 登录"


ENDINGS = {
    "sign-out-in-another-tab": lambda store, monkeypatch: store.accounts.sign_out(Actor("李主席", VIEWER)),
    "new-password": lambda store, monkeypatch: store.accounts.set_password(operator("root"), "李主席", "new one 2026"),
    "disabled": lambda store, monkeypatch: store.accounts.set_disabled(operator("root"), "李主席", True),
    "idle": lambda store, monkeypatch: monkeypatch.setattr(
        accounts_module, "now", lambda: dt.datetime.now(dt.UTC) + dt.timedelta(minutes=2)),
}


@pytest.mark.parametrize("ending", ENDINGS.values(), ids=ENDINGS.keys())
@pytest.mark.parametrize("path", [PAGES[1], PAGES[7]], ids=lambda p: p.stem)
def test_an_open_tab_whose_session_ended_elsewhere_is_signed_out_at_its_next_click(accounts, monkeypatch, ending,
                                                                                   path):
    monkeypatch.setenv("UNIONSTATS_SESSION_IDLE_MINUTES", "1")
    at = page(path, Actor("李主席", VIEWER))
    assert at.title[0].value != "工会活动统计 · 登录"
    ending(accounts, monkeypatch)
    at.run()
    assert not at.exception
    assert at.title[0].value == "工会活动统计 · 登录"
    assert any("登录已结束" in i.value for i in at.info)
    assert set(shown(at).values()) == {0}


def test_standalone_mode_from_another_computer_is_read_only_and_says_so(store):
    at = page(PAGES[7])
    assert not at.exception and not at.get("file_uploader")
    assert any(c.value.startswith("单机模式：这台电脑只能查看数据") for c in at.caption)
    assert not any(b.label == "删除示例数据" for b in at.button)
    overview = page(None)
    assert any(c.value.startswith("单机模式：这台电脑只能查看数据") for c in overview.caption)


def test_standalone_mode_on_the_server_itself_creates_the_first_admin(store, monkeypatch):
    monkeypatch.setattr(signin, "client_address", lambda: "127.0.0.1")
    at = page(PAGES[7])
    assert at.get("file_uploader")
    assert any(c.value.startswith("单机模式：尚未设置账号") for c in at.caption)
    first = {i.label: i for i in at.text_input}
    first["管理员用户名"].input("张科长")
    first["密码（至少 8 位）"].input(PASSWORD)
    first["再输入一次密码"].input(PASSWORD)
    [b for b in at.button if b.label == "创建管理账号并启用登录"][0].click().run()
    assert store.accounts.sign_in_required()
    monkeypatch.setattr(signin, "client_address", lambda: "127.0.0.1")
    assert page(PAGES[1]).title[0].value == "工会活动统计 · 登录"


def test_the_audit_trail_on_data_management_filters_by_action(accounts):
    accounts.accounts.sign_in("李主席", PASSWORD, "10.0.0.3")
    at = page(PAGES[7], Actor("张科长", ADMIN))
    [trail] = [d.value for d in at.dataframe if "操作" in d.value.columns]
    assert {"登录", "新建账号"} <= set(trail["操作"])
    at.selectbox(key="audit_action").set_value("登录").run()
    [trail] = [d.value for d in at.dataframe if "操作" in d.value.columns]
    assert trail[["用户", "操作", "结果", "地址"]].values.tolist() == [["李主席", "登录", "成功", "10.0.0.3"]]


AUTH = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "not-a-real-secret",
                 "client_id": "unionstats", "client_secret": "not-a-real-secret",
                 "server_metadata_url": "http://127.0.0.1:1/.well-known/openid-configuration"}}
OIDC_USERS = {VIEWER: "li@example.org", REPORTER: "wang@example.org", ADMIN: "zhang@example.org"}


@pytest.fixture
def oidc(store) -> Store:
    root = operator("root")
    store.accounts.add(root, "李主席", VIEWER, email=OIDC_USERS[VIEWER])
    store.accounts.add(root, "王老师", REPORTER, units=["江城市农业科学研究所工会"], email=OIDC_USERS[REPORTER])
    store.accounts.add(root, "张科长", ADMIN, subject="kc-zhang")
    return store


def oidc_page(path: Path | None, user: dict) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.secrets.update(AUTH)
    at.user = user
    if path is not None:
        at.switch_page(f"pages/{path.name}")
    return at.run()


def test_oidc_with_the_provider_unreachable_the_form_says_so_in_chinese_and_the_button_waits(oidc):
    at = oidc_page(None, {"is_logged_in": False})
    [error] = [e.value for e in at.error]
    assert error.startswith("统一身份认证服务暂时连接不上（http://127.0.0.1:1/.well-known/openid-configuration：")
    assert "server_metadata_url" in error and "Authentication error" not in error
    assert [(b.label, b.disabled) for b in at.button] == [("使用统一身份认证登录", True)]


def test_oidc_with_the_provider_answering_the_button_is_there_and_no_error(oidc, monkeypatch):
    monkeypatch.setattr(signin, "provider_problem", lambda url: "")
    at = oidc_page(None, {"is_logged_in": False})
    assert not at.error and [(b.label, b.disabled) for b in at.button] == [("使用统一身份认证登录", False)]


def downloads(at: AppTest) -> set[str]:
    return {b.label for b in at.get("download_button")}


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem if p else "app")
def test_oidc_before_sign_in_every_page_offers_only_the_provider_button(oidc, path):
    at = oidc_page(path, {"is_logged_in": False})
    assert not at.exception
    assert [t.value for t in at.title] == ["工会活动统计 · 登录"]
    assert [b.label for b in at.button] == ["使用统一身份认证登录"]
    assert set(shown(at).values()) == {0} and not at.text_input and not downloads(at)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem if p else "app")
def test_oidc_a_provider_user_without_an_account_is_refused_on_every_page(oidc, path):
    at = oidc_page(path, {"is_logged_in": True, "email": "stranger@example.org", "sub": "kc-stranger"})
    assert not at.exception
    assert [e.value for e in at.error] == ["stranger@example.org 在本系统中没有对应的账号，请联系管理员"]
    assert [b.label for b in at.button] == ["退出统一身份认证"]
    assert set(shown(at).values()) == {0} and not downloads(at)


ROLE_USERS = {VIEWER: {"is_logged_in": True, "email": "LI@example.org", "sub": "kc-li"},
              REPORTER: {"is_logged_in": True, "email": "wang@example.org"},
              ADMIN: {"is_logged_in": True, "email": "someone-else@example.org", "sub": "kc-zhang"}}
NAMES = {VIEWER: "李主席", REPORTER: "王老师", ADMIN: "张科长"}
FIGURE_PAGES = PAGES[:6]


@pytest.mark.parametrize("role", [VIEWER, REPORTER, ADMIN], ids=["viewer", "reporter", "admin"])
@pytest.mark.parametrize("path", FIGURE_PAGES, ids=lambda p: p.stem if p else "app")
def test_oidc_every_role_sees_every_figure_page_and_no_edit(oidc, role, path):
    at = oidc_page(path, ROLE_USERS[role])
    assert not at.exception
    assert at.title[0].value != "工会活动统计 · 登录"
    assert shown(at)["plotly_chart"] + shown(at)["metric"] > 0
    assert not at.get("file_uploader")
    assert f"当前用户：{NAMES[role]}（{role}）" in [c.value for c in at.sidebar.caption]
    assert ("删除示例数据" in {b.label for b in at.button}) == (role == ADMIN)  # the sample notice heads every page


def test_oidc_every_role_may_download_the_summary(oidc):
    for role in (VIEWER, REPORTER, ADMIN):
        at = oidc_page(PAGES[6], ROLE_USERS[role])
        assert not at.exception and any("Word" in label for label in downloads(at)), role


@pytest.mark.parametrize("role, uploader, edits", [
    (VIEWER, False, False), (REPORTER, True, False), (ADMIN, True, True),
], ids=["viewer", "reporter", "admin"])
def test_oidc_data_management_offers_each_role_only_what_it_may_do(oidc, role, uploader, edits):
    at = oidc_page(PAGES[7], ROLE_USERS[role])
    assert not at.exception
    assert bool(at.get("file_uploader")) == uploader
    assert ({"删除该批次", "恢复该批次"} <= {b.label for b in at.button}) == edits
    assert ("导出全部数据（不含慰问对象姓名和备注）" in downloads(at)) == edits
    assert any("操作记录" in s.value for s in at.subheader) == edits
    if role == REPORTER:
        assert "您可以导入和替换本单位（江城市农业科学研究所工会）的数据。" in [c.value for c in at.caption]
    trail = oidc.audit_trail(operator("root"), action="sign_in")
    assert trail["actor"].tolist() == [NAMES[role]] and trail["detail"].tolist() == ["统一身份认证"]


def test_oidc_sign_out_ends_the_provider_session(oidc):
    at = oidc_page(None, ROLE_USERS[VIEWER])
    [b for b in at.sidebar.button if b.label == "退出登录"][0].click().run()
    assert at.user == {"is_logged_in": False}
    assert [t.value for t in at.title] == ["工会活动统计 · 登录"]
    assert oidc.audit_trail(operator("root"))["action"].tolist()[0] == "sign_out"


def submit(at: AppTest, label: str) -> AppTest:
    [button] = [b for b in at.button if b.label == label]
    return button.click().run()


def test_an_admin_manages_accounts_on_data_management(accounts):
    at = page(PAGES[7], Actor("张科长", ADMIN))
    at.text_input(key="user_add_name").input("赵干事")
    at.selectbox(key="user_add_role").set_value(REPORTER)
    at.multiselect(key="user_add_units").set_value(["江城市农业科学研究所工会"])
    at.text_input(key="user_add_secret").input("short")
    submit(at, "新建账号")
    assert [e.value for e in at.error] == ["密码至少 8 位"]
    assert "赵干事" not in accounts.accounts.list()["name"].tolist()
    at.text_input(key="user_add_name").input("赵干事")
    at.selectbox(key="user_add_role").set_value(REPORTER)
    at.multiselect(key="user_add_units").set_value(["江城市农业科学研究所工会"])
    at.text_input(key="user_add_secret").input(PASSWORD + "!")
    submit(at, "新建账号")
    assert not at.exception and not at.error
    signed = accounts.accounts.sign_in("赵干事", PASSWORD + "!")
    assert (signed.name, signed.role, signed.units) == ("赵干事", REPORTER, ("江城市农业科学研究所工会",))
    at.selectbox(key="user_change_name").set_value("赵干事")
    at.radio(key="user_change_state").set_value("停用")
    submit(at, "保存修改")
    listed = accounts.accounts.list().set_index("name")
    assert bool(listed.loc["赵干事", "disabled"]) and not at.error
    at.selectbox(key="user_change_name").set_value("张科长")
    at.selectbox(key="user_change_role").set_value(VIEWER)
    submit(at, "保存修改")
    assert [e.value for e in at.error] == ["这是最后一个可用的管理账号，不能停用或降级，否则没有人能再管理账号"]
    details = accounts.audit_trail(operator("root"), action="user_change")["detail"].tolist()
    assert details == ["停用账号“赵干事”"]


def test_only_an_admin_sees_the_account_forms(accounts):
    for role in (VIEWER, REPORTER):
        at = page(PAGES[7], Actor({VIEWER: "李主席", REPORTER: "王老师"}[role], role, ("江城市农业科学研究所工会",)))
        assert not {"新建账号", "保存修改"} & {b.label for b in at.button}, role
