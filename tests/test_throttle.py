"""The sign-in throttle slows guessing but locks nobody out for ever: failures count per account and address, an
attempt the throttle refuses is no new failure, and `user unlock` clears an account's failures.

Every expected count comes from the attempts the test itself makes; the clock is the test's own (accounts.now).
"""

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT
from unionstats.cli import main as cli
from unionstats.store import accounts
from unionstats.store.access import ADMIN, REPORTER, VIEWER, Actor, Forbidden, operator
from unionstats.store.accounts import AccountError, SignInRefused
from unionstats.store.batches import Store
from unionstats.ui import signin

PASSWORD = "correct horse battery"
ATTACKER, OFFICE = "10.6.6.6", "10.0.0.8"
WRONG = "用户名或密码不正确"


@pytest.fixture
def store(url) -> Store:
    store = Store(url)
    store.accounts.add(operator("root"), "张科长", ADMIN, password=PASSWORD)
    return store


@pytest.fixture
def clock(monkeypatch):
    """The accounts' clock, moved by the test: clock.at is now."""
    class Clock:
        at = dt.datetime.now(dt.UTC)

        def tick(self, **delta) -> None:
            self.at += dt.timedelta(**delta)

    clock = Clock()
    monkeypatch.setattr(accounts, "now", lambda: clock.at)
    return clock


def attempt(store: Store, name: str, password: str, address: str) -> str:
    """'' when the sign-in succeeds, else the refusal."""
    try:
        store.accounts.sign_in(name, password, address)
    except SignInRefused as exc:
        return str(exc)
    return ""


def trail_counts(store: Store) -> dict[str, int]:
    return store.audit_trail(operator("root"))["action"].value_counts().to_dict()


def test_an_address_hammering_the_admin_does_not_lock_it_from_another_address(store, clock):
    tries = 4 * accounts.ACCOUNT_FAILURES
    answers = []
    for i in range(tries):
        clock.tick(seconds=1)
        answers.append(attempt(store, "张科长", f"guess {i}", ATTACKER))
    wrong = accounts.ACCOUNT_FAILURES  # the first ones are checked and fail; every later one meets the lock
    assert answers[:wrong] == [WRONG] * wrong
    assert all(f"连续 {accounts.ACCOUNT_FAILURES} 次登录失败" in a for a in answers[wrong:])
    assert "连续" in attempt(store, "张科长", PASSWORD, ATTACKER)  # locked there, whatever the password

    assert attempt(store, "张科长", PASSWORD, OFFICE) == ""
    counts = trail_counts(store)
    assert counts["sign_in_failed"] == wrong
    assert counts["sign_in_throttled"] == tries - wrong + 1
    assert counts["sign_in"] == 1


def test_the_office_still_gets_its_own_tries_while_an_attacker_is_locked_out(store, clock):
    for i in range(accounts.ACCOUNT_FAILURES + 3):
        attempt(store, "张科长", f"guess {i}", ATTACKER)
    for _ in range(accounts.ACCOUNT_FAILURES - 1):  # the right person mistyping, short of the limit
        assert attempt(store, "张科长", "typo", OFFICE) == WRONG
    assert attempt(store, "张科长", PASSWORD, OFFICE) == ""


def test_throttled_attempts_do_not_extend_the_account_lock(store, clock):
    first = clock.at
    for i in range(accounts.ACCOUNT_FAILURES):
        clock.tick(seconds=1)
        assert attempt(store, "张科长", f"guess {i}", ATTACKER) == WRONG
    lifted = first + dt.timedelta(seconds=1) + accounts.WINDOW  # the first failure leaves the window then
    for minute in range(1, 15):  # an attempt every minute, right password or not
        clock.at = first + dt.timedelta(minutes=minute, seconds=30)
        refused = attempt(store, "张科长", PASSWORD if minute % 2 else "guess", ATTACKER)
        assert f"连续 {accounts.ACCOUNT_FAILURES} 次登录失败" in refused
    clock.at = lifted + dt.timedelta(seconds=1)
    assert attempt(store, "张科长", PASSWORD, ATTACKER) == ""
    assert trail_counts(store)["sign_in_failed"] == accounts.ACCOUNT_FAILURES


def test_the_lock_says_from_where_and_how_many_minutes_are_left(store, clock):
    first = clock.at
    for i in range(accounts.ACCOUNT_FAILURES):
        clock.tick(minutes=1)
        assert attempt(store, "张科长", f"guess {i}", ATTACKER) == WRONG
    lifted = first + dt.timedelta(minutes=1) + accounts.WINDOW
    for minute in range(accounts.ACCOUNT_FAILURES, 16):
        clock.at = first + dt.timedelta(minutes=minute, seconds=10)
        left = -(-(lifted - clock.at) // dt.timedelta(minutes=1))  # whole minutes, rounded up
        assert attempt(store, "张科长", PASSWORD, ATTACKER) == (
            f"该账号在这台电脑上连续 {accounts.ACCOUNT_FAILURES} 次登录失败，已暂停在这台电脑上登录，"
            f"请 {left} 分钟后再试，或请管理员解除锁定")


def test_throttled_attempts_do_not_extend_the_address_lock(store, clock):
    first = clock.at
    for i in range(accounts.ADDRESS_FAILURES):  # a different name each time: only the address adds up
        clock.tick(seconds=1)
        assert attempt(store, f"猜{i}", "guess", ATTACKER) == WRONG
    for minute in range(1, 15):
        clock.at = first + dt.timedelta(minutes=minute, seconds=30)
        assert "这台电脑登录失败次数过多" in attempt(store, f"又猜{minute}", "guess", ATTACKER)
    clock.at = first + dt.timedelta(seconds=2) + accounts.WINDOW  # the first failure has left the window
    assert attempt(store, "张科长", PASSWORD, ATTACKER) == ""


def run(capsys, *args) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_user_unlock_clears_the_accounts_failures_and_is_in_the_trail(store, clock, url, capsys):
    for address in (ATTACKER, OFFICE):
        for i in range(accounts.ACCOUNT_FAILURES):
            clock.tick(seconds=1)
            assert attempt(store, "张科长", f"guess {i}", address) == WRONG
        assert "连续" in attempt(store, "张科长", PASSWORD, address)

    assert run(capsys, "user", "unlock", "张科长", "--db", url) == (0, "已解除账号“张科长”的登录锁定\n", "")
    clock.tick(seconds=1)
    for _ in range(accounts.ACCOUNT_FAILURES - 1):  # the count starts again from the unlock
        assert attempt(store, "张科长", "guess", ATTACKER) == WRONG
    assert attempt(store, "张科长", PASSWORD, ATTACKER) == ""
    assert attempt(store, "张科长", PASSWORD, OFFICE) == ""

    trail = store.audit_trail(operator("root"), action="user_unlock")
    assert trail[["role", "detail"]].values.tolist() == [[ADMIN, "解除账号“张科长”的登录锁定"]]
    code, out, _ = run(capsys, "audit", "--db", url)
    assert code == 0 and "解除登录锁定" in out


def test_unlock_names_an_existing_account_and_is_for_admins_only(store, url, capsys):
    assert run(capsys, "user", "unlock", "无此人", "--db", url) == (1, "", "没有名为“无此人”的账号\n")
    with pytest.raises(Forbidden):
        store.accounts.unlock(Actor("王老师", REPORTER, ("一中",)), "张科长")
    with pytest.raises(AccountError, match="用户名不能为空"):
        store.accounts.unlock(operator("root"), " ")
    store.accounts.add(operator("root"), "李主席", VIEWER, password=PASSWORD)
    for _ in range(accounts.ACCOUNT_FAILURES):
        attempt(store, "李主席", "guess", ATTACKER)
    store.accounts.unlock(operator("root"), "李主席")
    assert attempt(store, "李主席", PASSWORD, ATTACKER) == ""


def test_the_sign_in_form_works_from_the_office_while_an_attacker_is_locked_out(store, url, monkeypatch):
    tries = 3 * accounts.ACCOUNT_FAILURES
    answers = [attempt(store, "张科长", f"guess {i}", ATTACKER) for i in range(tries)]
    assert answers.count(WRONG) == accounts.ACCOUNT_FAILURES
    monkeypatch.setenv("UNIONSTATS_DB", url)
    monkeypatch.setattr(signin, "client_address", lambda: OFFICE)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    at.text_input[0].input("张科长")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception and not at.error
    assert at.title[0].value == "总览"
    assert at.session_state[signin.ACTOR] == Actor("张科长", ADMIN, address=OFFICE)
