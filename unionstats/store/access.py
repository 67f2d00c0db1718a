"""Who may do what: the three roles, checked by the library itself.

Every change to the store (import, replace, delete, restore), every export
and every change to accounts names an Actor, and `require` refuses what the
actor's role does not allow, whatever the page showed. A 填报 account is tied
to its units: it may bring in and replace rows of those units only.

The command line acts as the machine's operator (管理): whoever can run it on
the server can open the database file anyway. In 单机模式 (no accounts, no
identity provider) the app gives 管理 rights to visitors from the machine
itself (127.0.0.1 or ::1, with no proxy in between: seen_address) and
read-only views to every other address.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TypeGuard

VIEWER, REPORTER, ADMIN = "查看", "填报", "管理"
ROLES = (VIEWER, REPORTER, ADMIN)

CHECK, IMPORT, REPLACE, DELETE, RESTORE = "check", "import", "replace", "delete", "restore"
EXPORT, EXPORT_FULL, USERS, AUDIT, SETTINGS = "export", "export_full", "users", "audit", "settings"
RULES = "rules"

ALLOWED = {
    VIEWER: set(),
    REPORTER: {CHECK, IMPORT, REPLACE},
    ADMIN: {CHECK, IMPORT, REPLACE, DELETE, RESTORE, EXPORT, EXPORT_FULL, USERS, AUDIT, SETTINGS, RULES},
}
DOING = {CHECK: "检查工作簿", IMPORT: "导入数据", REPLACE: "替换已导入的批次", DELETE: "删除批次",
         RESTORE: "恢复批次", EXPORT: "导出数据", EXPORT_FULL: "导出含姓名的全部数据", USERS: "管理账号",
         AUDIT: "查看操作记录", SETTINGS: "修改设置", RULES: "修改经费标准"}
STANDALONE, SIGNED_IN, COMMAND_LINE = "单机模式", "已登录", "命令行"


class Forbidden(Exception):
    """The actor's role does not allow the action; the message says so in Chinese."""


@dataclass(frozen=True)
class Actor:
    name: str
    role: str
    units: tuple[str, ...] = ()
    address: str = ""
    how: str = SIGNED_IN

    def may(self, action: str) -> bool:
        return action in ALLOWED.get(self.role, set())

    @property
    def label(self) -> str:
        """How the actor is named in batch lists and the audit trail."""
        return self.name


def operator(name: str) -> Actor:
    """The command line's actor: the machine's own user, with every right."""
    return Actor(name, ADMIN, how=COMMAND_LINE)


def is_this_machine(address: str | None) -> bool:
    """127.0.0.1 or ::1 (in any spelling Streamlit or a dual-stack socket gives them): the server itself. Other
    loopback addresses (127.0.0.2, 127.0.0.53) are where local proxies and containers connect from, so they are
    not."""
    try:
        ip = ipaddress.ip_address((address or "").split("%")[0])
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)  # a server listening on "::" sees 127.0.0.1 as ::ffff:127.0.0.1
    return (mapped or ip) in THIS_MACHINE


def shown_address(address: str | None) -> str:
    """An address as a user reads it: the machine itself (or none: the command line) is 本机, the word its actor
    has in 单机模式. The trail keeps the address as the server saw it; only its wording is the same everywhere."""
    return "本机" if not address or is_this_machine(address) else address


def seen_address(peer: str | None, headers: Mapping[str, str] | None = None) -> str:
    """The browser's address, read as distrustfully as the request allows.

    `peer` is the connection's address as Streamlit reports it: None for 127.0.0.1 and ::1, and already taken from
    X-Forwarded-For by uvicorn when a proxy on this machine sent one. Any forwarding header (FORWARDING) means the
    request came through a proxy, or someone pretends it did: then it is never this machine. Its address is the
    peer when that names another machine, else the first address another machine has among X-Real-IP, the last
    entries of X-Forwarded-For and Forwarded, and the rest; else it is written "经代理（…）", which no rule takes for
    this machine. Without forwarding headers, the peer (None: this machine). The proxy in front is assumed to set
    X-Real-IP to the address it sees and to add that address to X-Forwarded-For (docs/deploy.md)."""
    sent = {name.lower(): value for name, value in (headers or {}).items() if name.lower() in FORWARDING}
    if not sent:
        return peer or "127.0.0.1"
    if valid_ip(peer) and not is_this_machine(peer):
        return peer
    for name in FORWARDING:
        for address in reversed(header_addresses(name, sent.get(name, ""))):
            if valid_ip(address) and not is_this_machine(address):
                return address
    return f"经代理（{peer or '地址未知'}）"


FORWARDING = ("x-real-ip", "x-forwarded-for", "forwarded", "x-client-ip", "true-client-ip", "cf-connecting-ip",
              "x-cluster-client-ip", "fastly-client-ip", "x-forwarded", "forwarded-for", "x-original-forwarded-for")
THIS_MACHINE = {ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1")}


def header_addresses(name: str, value: str) -> list[str]:
    """The addresses a forwarding header names, in its order: the `for=` of each element of Forwarded, the
    comma-separated entries of the others."""
    entries = [e.strip() for e in value.split(",")]
    if name != "forwarded":
        return entries
    return [bare(part.split("=", 1)[1]) for e in entries for part in e.split(";")
            if part.strip().lower().startswith("for=")]


def bare(node: str) -> str:
    """A Forwarded node without its quotes, brackets and port: '"[2001:db8::1]:4711"' -> 2001:db8::1."""
    node = node.strip().strip('"')
    if node.startswith("["):
        return node[1:].split("]", 1)[0]
    return node.rsplit(":", 1)[0] if node.count(":") == 1 else node


def valid_ip(address: str | None) -> TypeGuard[str]:
    try:
        ipaddress.ip_address((address or "").split("%")[0])
    except ValueError:
        return False
    return True


def standalone(address: str | None) -> Actor:
    """单机模式: the machine itself may change the store; any other address may only look."""
    if is_this_machine(address):
        return Actor("本机", ADMIN, address=address or "", how=STANDALONE)
    return Actor("访客", VIEWER, address=address or "", how=STANDALONE)


def refusal(actor: Actor, action: str, units: Iterable[str] = ()) -> str:
    """Why `actor` may not do `action` (on rows of `units`), in Chinese; "" when it may."""
    if not actor.may(action):
        if actor.how == STANDALONE:
            return (f"单机模式下只有在本机打开的页面可以{DOING[action]}；其他电脑只能查看。"
                    "如需在其他电脑上操作，请让管理员创建账号后登录")
        return f"您的角色是“{actor.role}”，不能{DOING[action]}。如需此权限，请联系管理员"
    if actor.role != REPORTER:
        return ""
    if not actor.units:
        return "您的账号还没有指定所属单位，不能导入或替换数据。请联系管理员为账号指定单位"
    others = sorted(set(units) - set(actor.units))
    if others:
        own = "、".join(actor.units)
        return (f"您只能导入和替换本单位（{own}）的数据，其中含有其他单位：{'、'.join(others[:5])}"
                f"{'等' if len(others) > 5 else ''}。请只填报本单位的数据，或请管理员操作")
    return ""


def require(actor: Actor, action: str, units: Iterable[str] = ()) -> None:
    """Raise Forbidden unless `actor` may do `action` (on rows of `units`, for a 填报 account)."""
    reason = refusal(actor, action, units)
    if reason:
        raise Forbidden(reason)
