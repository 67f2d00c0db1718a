"""Local accounts: argon2 hashes, sign-in and its throttle, identity-provider users, and their audit rows."""

import argparse
import datetime as dt

import pytest
import sqlalchemy as sa

from unionstats.store import accounts, audit, database
from unionstats.store.access import ADMIN, REPORTER, VIEWER, Actor, Forbidden, operator
from unionstats.store.accounts import AccountError, SignInRefused
from unionstats.store.batches import Store

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
    with pytest.raises(SignInRefused, match="^用户名或密码不正确$"):
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
    store.accounts.sign_out(actor)
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


def test_a_disabled_account_is_answered_as_for_a_wrong_password_and_the_trail_records_the_truth(store):
    """The answer must not confirm that the password was right; the trail tells the 管理 why it failed."""
    add(store)
    add(store, "李主席", VIEWER)
    store.accounts.set_disabled(ROOT, "李主席", True)
    answers = []
    for password in (PASSWORD, "not the password"):
        with pytest.raises(SignInRefused) as refused:
            store.accounts.sign_in("李主席", password, "10.0.0.7")
        answers.append(str(refused.value))
    assert answers == ["用户名或密码不正确", "用户名或密码不正确"]
    details = store.audit_trail(ROOT, user="李主席")["detail"].tolist()
    assert details[:2] == ["用户名或密码不正确", "密码正确，但该账号已停用"]


def sessions_of(store: Store, *names: str) -> dict[str, str]:
    actors = {name: store.accounts.sign_in(name, PASSWORD, "10.0.0.5") for name in names}
    return {f"{name}{i}": store.accounts.open_session(actors[name]) for name in names for i in (1, 2)}


@pytest.mark.parametrize("ending", [
    lambda store: store.accounts.sign_out(Actor("李主席", VIEWER, address="10.0.0.5")),
    lambda store: store.accounts.set_password(ROOT, "李主席", "another good one"),
    lambda store: store.accounts.set_disabled(ROOT, "李主席", True),
], ids=["sign-out", "new-password", "disabled"])
def test_a_sign_out_a_new_password_or_disabling_ends_every_session_of_that_account_only(store, ending):
    add(store)
    add(store, "李主席", VIEWER)
    tokens = sessions_of(store, "李主席", "张科长")
    assert all(store.accounts.resume(token) for token in tokens.values())
    ending(store)
    alive = {key for key, token in tokens.items() if store.accounts.resume(token, "10.0.0.6") is not None}
    assert alive == {"张科长1", "张科长2"}


def test_a_session_idle_longer_than_the_idle_time_ends_at_its_next_click(store, monkeypatch):
    monkeypatch.setenv("UNIONSTATS_SESSION_IDLE_MINUTES", "1")
    add(store)
    [token, other] = sessions_of(store, "张科长").values()
    start = dt.datetime.now(dt.UTC)
    monkeypatch.setattr(accounts, "now", lambda: start + dt.timedelta(seconds=50))
    assert store.accounts.resume(token) is not None
    monkeypatch.setattr(accounts, "now", lambda: start + dt.timedelta(seconds=130))
    assert store.accounts.resume(token) is None and store.accounts.resume(other) is None
    monkeypatch.setattr(accounts, "now", lambda: start)
    assert store.accounts.resume(token) is None  # an ended session stays ended


def test_a_new_password_lifts_the_accounts_sign_in_lock(store):
    add(store)
    add(store, "李主席", VIEWER)
    for _ in range(accounts.ACCOUNT_FAILURES):
        with pytest.raises(SignInRefused, match="不正确"):
            store.accounts.sign_in("李主席", "guess", "10.0.0.9")
    with pytest.raises(SignInRefused, match="连续 5 次登录失败"):
        store.accounts.sign_in("李主席", PASSWORD, "10.0.0.9")
    store.accounts.set_password(ROOT, "李主席", "a new secret 2026")
    assert store.accounts.sign_in("李主席", "a new secret 2026", "10.0.0.9").role == VIEWER


def test_a_session_picked_up_from_a_cookie_is_recorded_with_its_address(store):
    add(store)
    [token] = list(sessions_of(store, "张科长").values())[:1]
    assert store.accounts.resume(token, "10.0.0.8") is not None  # a click in the tab that signed in
    assert store.accounts.resume(token, "10.0.0.8", from_cookie=True) is not None  # a reload
    trail = store.audit_trail(ROOT, user="张科长")
    assert trail[["action", "address"]].values.tolist()[0] == [audit.SESSION_RESUMED, "10.0.0.8"]
    assert trail["action"].tolist().count(audit.SESSION_RESUMED) == 1


FORGED = "admin\n2026-12-06 10:00  张科长  管理  删除批次  成功\r\u2028x"


def test_a_name_with_line_breaks_cannot_forge_a_line_of_the_trail(store, capsys):
    """Escaped on the way in (the failed sign-in) and on the way out (a row stored raw, as before escaping)."""
    from unionstats.cli import users as admin

    add(store)
    with pytest.raises(SignInRefused):
        store.accounts.sign_in(FORGED, "whatever", "10.0.0.9")
    with store.engine.begin() as connection:
        connection.execute(database.audit_log.insert().values(
            at=dt.datetime.now(dt.UTC), actor=FORGED, role="", how="", action="sign_in_failed", ok=False,
            file_name="", units="", address="10.0.0.9", detail="换\n行"))
    assert admin.run_audit(argparse.Namespace(since=None, user=None), lambda _args: store) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 + len(store.audit_trail(ROOT)), lines
    assert not any(line.startswith("2026-12-06 10:00") for line in lines)
    assert sum("admin\\n2026-12-06 10:00" in line for line in lines) == 2
    assert not any("\u2028" in line or "\r" in line for line in lines)
    assert store.audit_trail(ROOT)["detail"].tolist()[0] == "换\\n行"


def test_a_name_with_control_characters_is_refused_for_an_account(store):
    with pytest.raises(AccountError, match="控制字符"):
        store.accounts.add(ROOT, "李\n主席", VIEWER, password=PASSWORD)


def test_the_database_refuses_to_change_or_delete_a_row_of_the_trail(store):
    add(store)
    log = database.audit_log
    for statement in (sa.update(log).values(detail="改过"), sa.delete(log)):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"):
            with store.engine.begin() as connection:
                connection.execute(statement)
    assert store.audit_trail(ROOT)["detail"].tolist() == ["新建账号“张科长”，角色管理，本地密码"]
