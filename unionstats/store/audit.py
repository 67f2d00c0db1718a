"""The audit trail: who did what, when, to which batch, from which address.

Rows are only ever appended. Nothing in unionstats updates or deletes them,
no page or command offers to, and the database refuses to: a trigger on
UPDATE and on DELETE (migration 0006) aborts any statement that tries, so a
row changes only at the hands of someone who first drops the trigger, which
takes the database's own owner. 管理 accounts read them on 数据管理 and with
`python -m unionstats audit`. A row never holds a password, a hash or a
token: `detail` is a sentence written here, from the outcome.

Text typed by anyone (a user name at a failed sign-in, a file name) cannot
forge a line of the trail: control characters and line breaks are written
as escapes (a newline as \\n) on the way in, and again on the way out for
rows stored before that.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

import pandas as pd
import sqlalchemy as sa

from unionstats.contract import schema
from unionstats.store import database
from unionstats.store.access import Actor

SIGN_IN, SIGN_IN_FAILED, SIGN_OUT = "sign_in", "sign_in_failed", "sign_out"
SESSION_RESUMED = "session_resumed"  # a signed-in browser came back with its cookie (a reload, a new tab)
SIGN_IN_THROTTLED = "sign_in_throttled"  # refused by the throttle before its password was checked: no new failure
USER_ADD, USER_CHANGE, USER_UNLOCK = "user_add", "user_change", "user_unlock"
ACTION_LABELS = {
    SIGN_IN: "登录", SIGN_IN_FAILED: "登录失败", SIGN_IN_THROTTLED: "登录被暂停", SIGN_OUT: "退出登录",
    SESSION_RESUMED: "恢复登录",
    "import": "导入", "replace": "替换导入", "delete": "删除批次", "restore": "恢复批次",
    "export": "导出（不含姓名）", "export_full": "导出（全部）", USER_ADD: "新建账号", USER_CHANGE: "修改账号",
    USER_UNLOCK: "解除登录锁定",
    "settings": "修改设置", "rules": "修改经费标准",
}
COLUMNS = {"at": "时间", "actor": "用户", "role": "角色", "action": "操作", "ok": "结果", "batch_id": "批次",
           "file_name": "文件", "units": "单位", "address": "地址", "detail": "说明"}


# C0 and C1 controls (tab and line breaks included), DEL, the Unicode line and paragraph separators, and the
# format characters that reorder or hide text (bidi overrides, zero-width joiners).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
TEXT_COLUMNS = ("actor", "file_name", "units", "address", "detail")


def escaped(text: str) -> str:
    """`text` with every character that could break or disguise a line written as a visible escape."""
    if not isinstance(text, str) or not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(lambda m: _NAMED.get(m[0], f"\\u{ord(m[0]):04x}"), text)


def actor_text(name: str) -> str:
    """A name as the trail's actor column holds it (the throttle counts failures by it)."""
    return schema.clip(escaped(name), database.USER_NAME_LENGTH)


def record(connection: sa.Connection, actor: Actor, action: str, *, ok: bool = True, batch_id: int | None = None,
           file_name: str = "", units: Iterable[str] = (), detail: str = "", at: dt.datetime | None = None) -> None:
    """Append one row, in the caller's transaction: the change and its record land together or not at all.
    `at` is now unless given (sign-ins are stamped by the accounts' clock, which their throttle reads)."""
    connection.execute(database.audit_log.insert().values(
        at=at or dt.datetime.now(dt.UTC), actor=actor_text(actor.label),
        role=actor.role, how=actor.how, action=action, ok=ok, batch_id=batch_id,
        file_name=schema.clip(escaped(file_name), schema.FILE_NAME_LENGTH),
        units=escaped("、".join(sorted(set(units)))), address=schema.clip(escaped(actor.address), 100),
        detail=escaped(detail)))


def entries(connection: sa.Connection, since: dt.datetime | None = None, actor: str | None = None,
            action: str | None = None) -> pd.DataFrame:
    """The trail, newest first, with the filters 数据管理 and the command line offer."""
    log = database.audit_log
    query = sa.select(log).order_by(log.c.id.desc())
    if since is not None:
        query = query.where(log.c.at >= since)
    if actor:
        query = query.where(log.c.actor == actor)
    if action:
        query = query.where(log.c.action == action)
    frame = pd.read_sql(query, connection)
    for column in TEXT_COLUMNS:
        frame[column] = frame[column].map(escaped)
    if len(frame):
        frame["at"] = pd.to_datetime(frame["at"], utc=True)
    return frame
