"""Local accounts: argon2 hashes, sign-in and its throttle, identity-provider users, and their audit rows."""

import datetime as dt

import pytest
import sqlalchemy as sa

from unionstats import accounts, audit, database
from unionstats.access import ADMIN, REPORTER, VIEWER, Actor, Forbidden, operator
from unionstats.accounts import AccountError, SignInRefused
from unionstats.store import Store

ROOT = operator("root")
PASSWORD = "correct horse battery"


@pytest.fixture
def store(url) -> Store:
    return Store(url)


def add(store: Store, name: str = "张科长", role: str = ADMIN, **options) -> None:
    options.setdefault("password", PASSWORD)
    store.accounts.add(ROOT, name, role, **options)


def test_a_password_is_kept_only_as_an_argon2_hash(store):
    add(store)
    with store.engine.connect() as connection:
        [hashed] = connection.scalars(sa.select(database.users.c.password_hash))
        logged = " ".join(map(str, connection.execute(sa.select(database.audit_log)).one()))
    assert hashed.startswith("$argon2id$") and PASSWORD not in hashed
    assert PASSWORD not in logged and "argon2" not in logged
    assert "password_hash" not in store.accounts.list().columns


def test_sign_in_gives_the_accounts_role_and_units(store):
    add(store, "王老师", REPORTER, units=["第一中学", " 第一中学 ", ""])
    actor = store.accounts.sign_in("王老师", PASSWORD, "10.0.0.8")
    assert actor == Actor("王老师", REPORTER, ("第一中学",), address="10.0.0.8")


@pytest.mark.parametrize("name, password", [("张科长", "wrong password"), ("无此人", PASSWORD), ("", "")],
                         ids=["wrong", "unknown", "empty"])
def test_a_wrong_name_or_password_gets_the_same_answer_and_is_recorded(store, name, password):
    add(store)
    with pytest.raises(SignInRefused, match="^用户名或密码不正确$"):
        store.accounts.sign_in(name, password, "10.0.0.9")
    rows = store.audit_trail(ROOT)
    assert rows[["action", "ok", "address"]].values.tolist()[0] == ["sign_in_failed", False, "10.0.0.9"]


def test_five_failures_lock_the_account_from_that_address_until_fifteen_minutes_pass(store, monkeypatch):
    add(store)
    for _ in range(accounts.ACCOUNT_FAILURES):
        with pytest.raises(SignInRefused, match="不正确"):
            store.accounts.sign_in("张科长", "guess", "10.0.0.9")
    with pytest.raises(SignInRefused, match="连续 5 次登录失败.*15 分钟后再试"):
        store.accounts.sign_in("张科长", PASSWORD, "10.0.0.9")
    assert store.accounts.sign_in("张科长", PASSWORD, "10.0.0.10").role == ADMIN  # another address is not locked
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=16)
    monkeypatch.setattr(accounts, "now", lambda: later)
    assert store.accounts.sign_in("张科长", PASSWORD, "10.0.0.9").role == ADMIN


def test_a_success_starts_the_account_count_again(store):
    add(store)
    for _ in range(accounts.ACCOUNT_FAILURES - 1):
        with pytest.raises(SignInRefused):
            store.accounts.sign_in("张科长", "guess", "10.0.0.9")
    store.accounts.sign_in("张科长", PASSWORD, "10.0.0.9")
    with pytest.raises(SignInRefused, match="不正确"):
        store.accounts.sign_in("张科长", "guess", "10.0.0.9")
    assert store.accounts.sign_in("张科长", PASSWORD, "10.0.0.9").name == "张科长"


def test_twenty_failures_from_one_address_lock_that_address(store):
    add(store)
    for i in range(accounts.ADDRESS_FAILURES):
        with pytest.raises(SignInRefused):
            store.accounts.sign_in(f"猜{i}", "guess", "10.0.0.66")
    with pytest.raises(SignInRefused, match="这台电脑登录失败次数过多"):
        store.accounts.sign_in("张科长", PASSWORD, "10.0.0.66")
    assert store.accounts.sign_in("张科长", PASSWORD, "10.0.0.67").name == "张科长"


def test_a_disabled_account_cannot_sign_in_and_the_last_admin_cannot_be_disabled(store):
    add(store)
    add(store, "李主席", VIEWER)
    store.accounts.set_disabled(ROOT, "李主席", True)
    with pytest.raises(SignInRefused, match="已停用"):
        store.accounts.sign_in("李主席", PASSWORD)
    with pytest.raises(AccountError, match="最后一个可用的管理账号"):
        store.accounts.set_disabled(ROOT, "张科长", True)
    with pytest.raises(AccountError, match="最后一个可用的管理账号"):
        store.accounts.set_role(ROOT, "张科长", VIEWER)
    store.accounts.set_disabled(ROOT, "李主席", False)
    assert store.accounts.sign_in("李主席", PASSWORD).role == VIEWER


def test_sign_in_is_on_once_an_enabled_admin_exists(store):
    assert not store.accounts.sign_in_required()
    add(store, "李主席", VIEWER)
    assert not store.accounts.sign_in_required()
    add(store)
    assert store.accounts.sign_in_required()


def test_a_new_password_and_role_take_effect(store):
    add(store)
    add(store, "王老师", VIEWER)
    store.accounts.set_password(ROOT, "王老师", "a new secret 2026")
    store.accounts.set_role(ROOT, "王老师", REPORTER, units=["第一中学"])
    with pytest.raises(SignInRefused):
        store.accounts.sign_in("王老师", PASSWORD)
    actor = store.accounts.sign_in("王老师", "a new secret 2026")
    assert (actor.role, actor.units) == (REPORTER, ("第一中学",))
    assert store.accounts.refreshed(Actor("王老师", VIEWER)).role == REPORTER


@pytest.mark.parametrize("call, says", [
    (lambda a: a.add(ROOT, "x", "超级"), "角色应为查看、填报、管理之一"),
    (lambda a: a.add(ROOT, "x", VIEWER, password="short"), "密码至少 8 位"),
    (lambda a: a.add(ROOT, " ", VIEWER, password=PASSWORD), "用户名不能为空"),
    (lambda a: a.add(ROOT, "x", VIEWER), "需要密码"),
    (lambda a: a.set_password(ROOT, "无此人", PASSWORD), "没有名为“无此人”的账号"),
], ids=["role", "short", "blank", "no-password", "unknown"])
def test_bad_account_requests_are_refused_in_chinese(store, call, says):
    with pytest.raises(AccountError, match=says):
        call(store.accounts)


def test_only_an_admin_manages_accounts(store):
    add(store)
    with pytest.raises(Forbidden):
        store.accounts.add(Actor("王老师", REPORTER, ("一中",)), "新人", VIEWER, password=PASSWORD)


def test_an_identity_provider_user_maps_by_subject_then_email(store):
    add(store, "李主席", VIEWER, password=None, email="Li@Example.org")
    add(store, "王老师", REPORTER, password=None, subject="kc-42", units=["第一中学"])
    assert store.accounts.identify("li@example.org", "other").name == "李主席"
    assert store.accounts.identify("someone@else", "kc-42").name == "王老师"
    with pytest.raises(SignInRefused, match="没有对应的账号"):
        store.accounts.identify("stranger@example.org", "kc-99", "10.0.0.5")
    assert store.audit_trail(ROOT)["action"].tolist()[0] == audit.SIGN_IN_FAILED


def test_a_session_token_resumes_until_sign_out_idle_time_or_disabling(store, monkeypatch):
    add(store)
    add(store, "李主席", VIEWER)
    actor = store.accounts.sign_in("李主席", PASSWORD, "10.0.0.5")
    token = store.accounts.open_session(actor)
    with store.engine.connect() as connection:
        kept = " ".join(map(str, connection.execute(sa.select(database.sessions)).one()))
    assert token not in kept
    assert store.accounts.resume(token, "10.0.0.6") == Actor("李主席", VIEWER, address="10.0.0.6")
    assert store.accounts.resume(token + "x") is None and store.accounts.resume("") is None
    store.accounts.sign_out(actor, token)
    assert store.accounts.resume(token) is None

    idle = store.accounts.open_session(actor)
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=accounts.idle_minutes() - 5)
    monkeypatch.setattr(accounts, "now", lambda: soon)
    assert store.accounts.resume(idle) is not None
    later = soon + dt.timedelta(minutes=accounts.idle_minutes() + 1)
    monkeypatch.setattr(accounts, "now", lambda: later)
    assert store.accounts.resume(idle) is None

    monkeypatch.undo()
    disabled = store.accounts.open_session(actor)
    store.accounts.set_disabled(ROOT, "李主席", True)
    assert store.accounts.resume(disabled) is None
    assert store.audit_trail(ROOT)["action"].tolist().count("sign_out") == 1


def test_local_passwords_are_known_only_from_enabled_accounts_with_one(store):
    add(store, password=None, subject="kc-zhang")
    assert store.accounts.sign_in_required() and not store.accounts.has_local_passwords()
    add(store, "李主席", VIEWER)
    assert store.accounts.has_local_passwords()
    store.accounts.set_disabled(ROOT, "李主席", True)
    assert not store.accounts.has_local_passwords()
