"""Accounts kept in the store: local passwords (argon2) and identity-provider users.

A local account signs in with its name and password; the password is kept
only as an argon2 hash (argon2-cffi's defaults, rehashed when they move).
An account for an identity provider (OIDC, through `st.login`) has no
password: it is matched by the provider's e-mail or subject. Either way the
role and units come from here.

Failed sign-ins are throttled from the audit trail itself (throttle.py): five
failures for an account from one address lock that account from that address
only, twenty from one address lock the address, each until its failures are
fifteen minutes old. An attempt a lock refuses is recorded but is no new
failure, so nobody, not even someone who knows the 管理 account's name, can
keep an account locked for ever; `user unlock NAME` (unlock) clears an
account's failures at once.

Sign-in is on as soon as one enabled 管理 account exists.

A signed-in browser holds a random session token in a cookie; the store
keeps only its SHA-256, and every run of every page checks it (resume). A
sign-out, a new password and disabling end every session of the account;
`idle_minutes()` without a page view (UNIONSTATS_SESSION_IDLE_MINUTES,
default 480: a working day) ends the idle one. Each takes effect at the
session's next click, in every tab and browser holding it.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import secrets
from collections.abc import Iterable

import pandas as pd
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from unionstats.contract import schema
from unionstats.store import audit, database, throttle
from unionstats.store.access import ADMIN, ROLES, SIGNED_IN, USERS, Actor, require
from unionstats.store.throttle import ACCOUNT_FAILURES, ADDRESS_FAILURES, WINDOW  # noqa: F401  (the throttle's limits, named here too)

MIN_PASSWORD = 8
TOUCH_EVERY = dt.timedelta(minutes=1)  # how stale a session's last_seen may get before a page view writes it
WRONG = "用户名或密码不正确"
_hasher = PasswordHasher()


@functools.cache
def dummy_hash() -> str:
    """A hash to verify against when there is no account (so a wrong name costs what a wrong password does);
    made at the first sign-in, not at import: argon2 takes about 0.1 s, which every command and process paid."""
    return _hasher.hash("unionstats: a hash to verify against when there is no account")


class AccountError(Exception):
    """A request about accounts that cannot be done; the message says why in Chinese."""


class SignInRefused(AccountError):
    """Wrong name or password, a disabled account, or too many failures."""


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def checked_name(name: str) -> str:
    name = schema.visible(name or "").strip()
    if not name:
        raise AccountError("用户名不能为空")
    if audit.escaped(name) != name:
        raise AccountError("用户名不能含换行、制表符等控制字符")
    if len(name) > database.USER_NAME_LENGTH:
        raise AccountError(f"用户名最长 {database.USER_NAME_LENGTH} 个字")
    return name


def checked_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"角色应为{'、'.join(ROLES)}之一，而不是“{role}”")
    return role


def checked_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD:
        raise AccountError(f"密码至少 {MIN_PASSWORD} 位")
    return password


def checked_units(units: Iterable[str]) -> list[str]:
    cleaned = [schema.visible(u).strip() for u in units]
    if any(len(u) > schema.UNIT_LENGTH for u in cleaned):
        raise AccountError(f"单位名称最长 {schema.UNIT_LENGTH} 个字")
    return sorted({u for u in cleaned if u})


class Accounts:
    def __init__(self, engine: sa.Engine):
        self.engine = engine

    def sign_in_required(self) -> bool:
        """Sign-in is on once an enabled 管理 account exists."""
        users = database.users
        query = sa.select(sa.func.count()).where(users.c.role == ADMIN, users.c.disabled.is_(False))
        with self.engine.connect() as connection:
            return connection.execute(query).scalar_one() > 0

    def has_local_passwords(self) -> bool:
        """Whether any enabled account signs in with a password here (else the provider's button is enough)."""
        users = database.users
        query = sa.select(sa.func.count()).where(users.c.password_hash.is_not(None), users.c.disabled.is_(False))
        with self.engine.connect() as connection:
            return connection.execute(query).scalar_one() > 0

    def list(self) -> pd.DataFrame:
        """Every account, without its hash."""
        users = database.users
        columns = [users.c.name, users.c.role, users.c.units, users.c.email, users.c.subject, users.c.disabled,
                   (users.c.password_hash.is_not(None)).label("has_password"), users.c.created_at,
                   users.c.changed_at]
        with self.engine.connect() as connection:
            return pd.read_sql(sa.select(*columns).order_by(users.c.id), connection)

    def add(self, actor: Actor, name: str, role: str, units: Iterable[str] = (), password: str | None = None,
            email: str | None = None, subject: str | None = None) -> None:
        require(actor, USERS)
        name, role, units = checked_name(name), checked_role(role), checked_units(units)
        if password is None and not (email or subject):
            raise AccountError("本地账号需要密码；身份提供方（OIDC）的账号需要 --email 或 --subject")
        hashed = _hasher.hash(checked_password(password)) if password is not None else None
        with database.writing(self.engine) as connection:
            if self._find(connection, name) is not None:
                raise AccountError(f"账号“{name}”已存在")
            stamp = now()
            connection.execute(database.users.insert().values(
                name=name, role=role, units=units, password_hash=hashed, email=email or None,
                subject=subject or None, disabled=False, created_at=stamp, changed_at=stamp))
            audit.record(connection, actor, audit.USER_ADD, units=units,
                         detail=f"新建账号“{name}”，角色{role}" + ("，本地密码" if hashed else "，统一身份认证"))

    def set_disabled(self, actor: Actor, name: str, disabled: bool) -> None:
        """Disabling ends every open session of the account at its next click."""
        self._change(actor, name, {"disabled": disabled}, f"{'停用' if disabled else '启用'}账号“{name}”",
                     end=disabled)

    def set_password(self, actor: Actor, name: str, password: str) -> None:
        """A new password ends every session of the account and lifts its sign-in locks: whoever knew the old one
        is out, whoever was given the new one can sign in at once."""
        hashed = _hasher.hash(checked_password(password))
        self._change(actor, name, {"password_hash": hashed}, f"修改账号“{name}”的密码", end=True)
        self.unlock(actor, name)

    def unlock(self, actor: Actor, name: str) -> None:
        """Clear the account's failed sign-ins from every address (throttle.py): the row that records it is where
        the throttle starts counting again."""
        require(actor, USERS)
        name = checked_name(name)
        with database.writing(self.engine) as connection:
            if self._find(connection, name) is None:
                raise AccountError(f"没有名为“{name}”的账号")
            audit.record(connection, actor, audit.USER_UNLOCK, detail=throttle.unlock_detail(name), at=now())

    def set_role(self, actor: Actor, name: str, role: str, units: Iterable[str] | None = None) -> None:
        values: dict[str, object] = {"role": checked_role(role)}
        shown = ""
        if units is not None:
            kept = values["units"] = checked_units(units)
            shown = f"，单位：{'、'.join(kept) or '无'}"
        self._change(actor, name, values, f"账号“{name}”的角色改为{role}{shown}")

    def _change(self, actor: Actor, name: str, values: dict, detail: str, end: bool = False) -> None:
        require(actor, USERS)
        with database.writing(self.engine) as connection:
            row = self._find(connection, name)
            if row is None:
                raise AccountError(f"没有名为“{name}”的账号")
            if self._would_lock_out(connection, row, values):
                raise AccountError("这是最后一个可用的管理账号，不能停用或降级，否则没有人能再管理账号")
            users = database.users
            connection.execute(users.update().where(users.c.id == row.id).values(**values, changed_at=now()))
            if end:
                end_sessions(connection, row.name)
            audit.record(connection, actor, audit.USER_CHANGE, detail=detail)

    def _would_lock_out(self, connection: sa.Connection, row, values: dict) -> bool:
        demoted = values.get("disabled") is True or values.get("role", ADMIN) != ADMIN
        if row.role != ADMIN or row.disabled or not demoted:
            return False
        users = database.users
        others = sa.select(sa.func.count()).where(users.c.role == ADMIN, users.c.disabled.is_(False),
                                                   users.c.id != row.id)
        return connection.execute(others).scalar_one() == 0

    def sign_in(self, name: str, password: str, address: str = "") -> Actor:
        """The account's actor, or SignInRefused; either way the attempt is in the audit trail."""
        name = schema.visible(name or "").strip()[: database.USER_NAME_LENGTH]
        with database.writing(self.engine) as connection:
            refusal = throttle.refusal(connection, name, address, now())
            row = self._find(connection, name) if name and not refusal else None
            if refusal is not None:
                self._failed(connection, name, address, refusal, audit.SIGN_IN_THROTTLED)
            elif not verified(row.password_hash if row is not None else None, password or "") or row is None:
                refusal = WRONG  # (verified() is False without an account: `row is None` only tells the type checker)
                self._failed(connection, name, address, WRONG, audit.SIGN_IN_FAILED)
            elif row.disabled:  # told as a wrong password: the answer must not confirm it
                refusal = WRONG
                self._failed(connection, name, address, "密码正确，但该账号已停用", audit.SIGN_IN_FAILED)
            else:
                if _hasher.check_needs_rehash(row.password_hash):
                    users = database.users
                    connection.execute(users.update().where(users.c.id == row.id)
                                       .values(password_hash=_hasher.hash(password)))
                actor = actor_of(row, address)
                audit.record(connection, actor, audit.SIGN_IN, detail="用户名和密码", at=now())
        if refusal:
            raise SignInRefused(refusal)
        return actor

    def identify(self, email: str | None, subject: str | None, address: str = "") -> Actor:
        """The account an identity provider's user maps to, by subject, else e-mail; SignInRefused if none."""
        users = database.users
        label = schema.clip(schema.visible(email or subject or "未知用户"), database.USER_NAME_LENGTH)
        with database.writing(self.engine) as connection:
            row = None
            if subject:
                row = connection.execute(sa.select(users).where(users.c.subject == subject)).first()
            if row is None and email:
                row = connection.execute(sa.select(users).where(
                    sa.func.lower(users.c.email) == email.strip().lower())).first()
            refusal = None
            if row is None or row.disabled:
                refusal = f"{label} 在本系统中{'没有对应的账号' if row is None else '的账号已停用'}，请联系管理员"
                self._failed(connection, label, address, "统一身份认证：" + refusal)
            else:
                actor = actor_of(row, address)
                audit.record(connection, actor, audit.SIGN_IN, detail="统一身份认证")
        if refusal:
            raise SignInRefused(refusal)
        return actor

    def sign_out(self, actor: Actor) -> None:
        """Sign the account out everywhere: every open session of it ends at its next click."""
        with database.writing(self.engine) as connection:
            end_sessions(connection, actor.name)
            audit.record(connection, actor, audit.SIGN_OUT)

    def open_session(self, actor: Actor) -> str:
        """A new session token for a signed-in actor (the browser keeps it in a cookie)."""
        token = secrets.token_urlsafe(32)
        stamp = now()
        with database.writing(self.engine) as connection:
            connection.execute(database.sessions.insert().values(
                token_hash=digest(token), user_name=actor.name, address=schema.clip(actor.address, 100),
                created_at=stamp, last_seen=stamp, ended=False))
        return token

    def resume(self, token: str, address: str = "", from_cookie: bool = False) -> Actor | None:
        """The actor of a live session token, its idle clock reset; None when unknown, ended, idle or disabled.
        Called on every run of every page, so it only reads, unless the session must end or its clock move. A
        session picked up from a browser's cookie (a reload, a new tab) is recorded in the trail with its
        address."""
        if not token:
            return None
        table = database.sessions
        with self.engine.connect() as connection:
            session = connection.execute(sa.select(table).where(table.c.token_hash == digest(token))).first()
            if session is None or session.ended:
                return None
            row = self._find(connection, session.user_name)
        if row is None:
            return None
        idle, limit = now() - aware(session.last_seen), dt.timedelta(minutes=idle_minutes())
        expired = idle > limit or row.disabled
        actor = None if expired else actor_of(row, address)
        if expired or idle > min(TOUCH_EVERY, limit / 4) or (actor and from_cookie):
            change = {"ended": True} if expired else {"last_seen": now()}
            with database.writing(self.engine) as connection:
                connection.execute(table.update().where(table.c.token_hash == session.token_hash).values(**change))
                if actor and from_cookie:
                    audit.record(connection, actor, audit.SESSION_RESUMED, detail="凭浏览器保存的登录继续使用")
        return actor

    def refreshed(self, actor: Actor) -> Actor | None:
        """The actor as the store has it now (a role changed, an account disabled); None when it is gone."""
        with self.engine.connect() as connection:
            row = self._find(connection, actor.name)
        if row is None or row.disabled:
            return None
        return actor_of(row, actor.address)

    def _find(self, connection: sa.Connection, name: str):
        users = database.users
        return connection.execute(sa.select(users).where(users.c.name == name)).first()

    def _failed(self, connection: sa.Connection, name: str, address: str, detail: str,
                action: str = audit.SIGN_IN_FAILED) -> None:
        audit.record(connection, Actor(name or "（空）", "", address=address), action, ok=False, detail=detail,
                     at=now())


def end_sessions(connection: sa.Connection, name: str) -> None:
    """End every open session of the account (sign-out, a new password, disabling)."""
    table = database.sessions
    connection.execute(table.update().where(table.c.user_name == name, table.c.ended.is_(False)).values(ended=True))


def idle_minutes() -> float:
    return float(os.environ.get("UNIONSTATS_SESSION_IDLE_MINUTES") or 480)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def aware(moment: dt.datetime) -> dt.datetime:
    """SQLite gives back the UTC timestamps it was given without their zone."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def verified(hashed: str | None, password: str) -> bool:
    """argon2 verification; with no account, a dummy hash is verified so both take the same time."""
    try:
        return _hasher.verify(hashed or dummy_hash(), password) and hashed is not None
    except (VerificationError, InvalidHashError):
        return False


def actor_of(row, address: str) -> Actor:
    return Actor(row.name, row.role, tuple(row.units or ()), address=address, how=SIGNED_IN)
