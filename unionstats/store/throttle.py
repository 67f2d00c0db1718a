"""Whether a sign-in is refused before its password is checked: too many recent failures, read from the audit trail.

Failures count per account AND address. Five failures for an account from one address, since that address last
signed in to it or the account was unlocked, lock the account from that address only; twenty failures from one
address, whatever the names, lock that address. A lock lasts until its oldest counting failure is fifteen minutes
old. An attempt a lock refuses is recorded (audit.SIGN_IN_THROTTLED) but is no new failure, so a client that keeps
trying does not stay locked out, and whoever knows the 管理 account's name can lock it only from their own address:
the office signs in from its own. The price: a guesser with many addresses gets five argon2-checked guesses per
address per fifteen minutes. `python -m unionstats user unlock NAME` (Accounts.unlock) clears an account's
failures from every address at once, recorded in the trail (audit.USER_UNLOCK).
"""

from __future__ import annotations

import datetime as dt
import math

import sqlalchemy as sa

from unionstats.store import audit, database

WINDOW = dt.timedelta(minutes=15)
ACCOUNT_FAILURES, ADDRESS_FAILURES = 5, 20


def unlock_detail(name: str) -> str:
    """The detail of the audit row that clears `name`'s failures; the throttle finds the row by it."""
    return f"解除账号“{name}”的登录锁定"


def refusal(connection: sa.Connection, name: str, address: str, moment: dt.datetime) -> str | None:
    """Why a sign-in as `name` from `address` at `moment` is refused without checking its password; None if not."""
    start = moment - WINDOW
    log = database.audit_log
    if name:
        name = audit.actor_text(name)
        since = max([start, *filter(None, [
            latest(connection, log.c.action == audit.SIGN_IN, log.c.actor == name, log.c.address == address),
            latest(connection, log.c.action == audit.USER_UNLOCK, log.c.detail == unlock_detail(name))])])
        lifted = lifted_at(connection, since, ACCOUNT_FAILURES, log.c.actor == name, log.c.address == address)
        if lifted is not None:
            return (f"该账号在这台电脑上连续 {ACCOUNT_FAILURES} 次登录失败，已暂停在这台电脑上登录，"
                    f"请 {minutes_until(lifted, moment)} 分钟后再试，或请管理员解除锁定")
    if address:
        lifted = lifted_at(connection, start, ADDRESS_FAILURES, log.c.address == address)
        if lifted is not None:
            return f"这台电脑登录失败次数过多，已暂停登录，请 {minutes_until(lifted, moment)} 分钟后再试"
    return None


def lifted_at(connection: sa.Connection, since: dt.datetime, limit: int, *where) -> dt.datetime | None:
    """When a lock of `limit` failures after `since` lifts: when the limit-th newest of them is WINDOW old;
    None when there are fewer."""
    log = database.audit_log
    query = (sa.select(log.c.at).where(log.c.action == audit.SIGN_IN_FAILED, log.c.at >= since, *where)
             .order_by(log.c.at.desc()).limit(1).offset(limit - 1))
    found = connection.execute(query).scalar()
    return None if found is None else aware(found) + WINDOW


def latest(connection: sa.Connection, *where) -> dt.datetime | None:
    log = database.audit_log
    found = connection.execute(sa.select(sa.func.max(log.c.at)).where(*where)).scalar()
    if isinstance(found, str):  # SQLite returns max() of a timestamp as its text
        found = dt.datetime.fromisoformat(found)
    return None if found is None else aware(found)


def aware(moment: dt.datetime) -> dt.datetime:
    """SQLite gives back the UTC timestamps it was given without their zone."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def minutes_until(lifted: dt.datetime, moment: dt.datetime) -> int:
    return max(1, math.ceil((lifted - moment) / dt.timedelta(minutes=1)))
