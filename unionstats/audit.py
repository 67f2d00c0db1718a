"""The audit trail: who did what, when, to which batch, from which address.

Rows are only ever appended. Nothing in unionstats updates or deletes them,
and no page or command offers to; 管理 accounts read them on 数据管理 and with
`python -m unionstats audit`. A row never holds a password, a hash or a
token: `detail` is a sentence written here, from the outcome.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd
import sqlalchemy as sa

from . import database, schema
from .access import Actor

SIGN_IN, SIGN_IN_FAILED, SIGN_OUT = "sign_in", "sign_in_failed", "sign_out"
SIGN_IN_THROTTLED = "sign_in_throttled"  # refused by the throttle before its password was checked: no new failure
USER_ADD, USER_CHANGE, USER_UNLOCK = "user_add", "user_change", "user_unlock"
ACTION_LABELS = {
    SIGN_IN: "登录", SIGN_IN_FAILED: "登录失败", SIGN_IN_THROTTLED: "登录被暂停", SIGN_OUT: "退出登录",
    "import": "导入", "replace": "替换导入", "delete": "删除批次", "restore": "恢复批次",
    "export": "导出（不含姓名）", "export_full": "导出（全部）", USER_ADD: "新建账号", USER_CHANGE: "修改账号",
    USER_UNLOCK: "解除登录锁定",
    "settings": "修改设置",
}
COLUMNS = {"at": "时间", "actor": "用户", "role": "角色", "action": "操作", "ok": "结果", "batch_id": "批次",
           "file_name": "文件", "units": "单位", "address": "地址", "detail": "说明"}


def record(connection: sa.Connection, actor: Actor, action: str, *, ok: bool = True, batch_id: int | None = None,
           file_name: str = "", units: Iterable[str] = (), detail: str = "", at: dt.datetime | None = None) -> None:
    """Append one row, in the caller's transaction: the change and its record land together or not at all.
    `at` is now unless given (sign-ins are stamped by the accounts' clock, which their throttle reads)."""
    connection.execute(database.audit_log.insert().values(
        at=at or dt.datetime.now(dt.UTC), actor=schema.clip(actor.label, database.USER_NAME_LENGTH),
        role=actor.role, how=actor.how, action=action, ok=ok, batch_id=batch_id,
        file_name=schema.clip(schema.visible(file_name), schema.FILE_NAME_LENGTH),
        units="、".join(sorted(set(units))), address=schema.clip(actor.address, 100), detail=detail))


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
    if len(frame):
        frame["at"] = pd.to_datetime(frame["at"], utc=True)
    return frame
