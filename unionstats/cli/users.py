"""The command line's `user` and `audit` commands: accounts and the audit trail, for whoever runs the server.

They act as the machine's operator (access.operator): the person at the server's command line is its
administrator. A password is read from standard input (`--password-stdin`), never from the command line,
where other users of the machine and the shell's history would see it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys

from unionstats.store.access import ROLES, operator, shown_address
from unionstats.writing.chinese import local_time

ACTIONS = ("add", "list", "disable", "enable", "passwd", "role", "unlock")


def add_parsers(commands, add_db) -> None:
    user = commands.add_parser("user", help="管理登录账号：add、list、disable、enable、passwd、role、unlock")
    actions = user.add_subparsers(dest="action", required=True, parser_class=type(user))
    add = actions.add_parser("add", help="新建账号（第一个“管理”账号建立后，网页需要登录）")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", required=True, choices=ROLES, help="查看、填报或管理")
    add.add_argument("--unit", action="append", default=[], help="填报账号所属单位（可重复）")
    add.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（本地账号）")
    add.add_argument("--email", help="统一身份认证（OIDC）账号的邮箱")
    add.add_argument("--subject", help="统一身份认证（OIDC）账号的 sub 标识")
    add_db(add)
    add_db(actions.add_parser("list", help="列出账号"))
    for name, text in (("disable", "停用账号"), ("enable", "启用账号"),
                       ("unlock", "解除账号的登录锁定：清除它从各地址的登录失败次数，记入操作记录")):
        command = actions.add_parser(name, help=text)
        command.add_argument("name", metavar="NAME")
        add_db(command)
    passwd = actions.add_parser("passwd", help="修改密码（从标准输入读取）")
    passwd.add_argument("name", metavar="NAME")
    passwd.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")
    add_db(passwd)
    role = actions.add_parser("role", help="修改角色和所属单位")
    role.add_argument("name", metavar="NAME")
    role.add_argument("role", choices=ROLES)
    role.add_argument("--unit", action="append", help="所属单位（可重复；不给则不变）")
    add_db(role)

    trail = commands.add_parser("audit", help="查看操作记录（登录、导入、删除、恢复、导出、账号变更）")
    trail.add_argument("--since", help="从该日期起，如 2026-12-01")
    trail.add_argument("--user", help="只看该用户")
    add_db(trail)


def read_password(args: argparse.Namespace) -> str:
    """The password from standard input's first line, or asked for twice at a terminal."""
    if getattr(args, "password_stdin", False) or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("密码：")
    if getpass.getpass("再输入一次：") != first:
        raise ValueError("两次输入的密码不一致")
    return first


def run_user(args: argparse.Namespace, open_store) -> int:
    from unionstats.store.accounts import AccountError

    store = open_store(args)
    actor = operator(current_user())
    accounts = store.accounts
    try:
        if args.action == "list":
            return print_users(accounts.list())
        if args.action == "add":
            oidc = args.email or args.subject
            password = read_password(args) if args.password_stdin or not oidc else None
            accounts.add(actor, args.name, args.role, args.unit, password=password, email=args.email,
                         subject=args.subject)
            on = "；网页现在需要登录" if accounts.sign_in_required() else ""
            print(f"已新建账号“{args.name}”（{args.role}）{on}")
        elif args.action in ("disable", "enable"):
            accounts.set_disabled(actor, args.name, args.action == "disable")
            print(f"已{'停用' if args.action == 'disable' else '启用'}账号“{args.name}”")
        elif args.action == "unlock":
            accounts.unlock(actor, args.name)
            print(f"已解除账号“{args.name}”的登录锁定")
        elif args.action == "passwd":
            accounts.set_password(actor, args.name, read_password(args))
            print(f"已修改账号“{args.name}”的密码")
        elif args.action == "role":
            accounts.set_role(actor, args.name, args.role, args.unit)
            print(f"账号“{args.name}”的角色已改为{args.role}")
    except (AccountError, ValueError) as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


def print_users(frame) -> int:
    if frame.empty:
        print("还没有任何账号（网页处于单机模式：只有本机可以导入和修改数据）")
        return 0
    print("用户  角色  单位  登录方式  状态")
    for user in frame.itertuples():
        how = "密码" if user.has_password else f"统一身份认证（{user.email or user.subject}）"
        state = "已停用" if user.disabled else "可用"
        print(f"{user.name}  {user.role}  {'、'.join(user.units) or '—'}  {how}  {state}")
    return 0


def run_audit(args: argparse.Namespace, open_store) -> int:
    from unionstats.store.audit import ACTION_LABELS

    since = None
    if args.since:
        try:
            since = dt.datetime.combine(dt.date.fromisoformat(args.since), dt.time(), dt.UTC)
        except ValueError:
            print(f"用法错误：--since 应为日期，如 2026-12-01，而不是“{args.since}”", file=sys.stderr)
            return 2
    rows = open_store(args).audit_trail(operator(current_user()), since=since, user=args.user)
    if rows.empty:
        print("没有符合条件的操作记录")
        return 0
    print("时间  用户  角色  操作  结果  批次  文件  单位  地址  说明")
    for row in rows.itertuples():
        batch = f"第{int(row.batch_id)}批" if row.batch_id == row.batch_id and row.batch_id is not None else ""
        print(f"{local_time(row.at)}  {row.actor}  {row.role or '—'}  {ACTION_LABELS.get(row.action, row.action)}  "
              f"{'成功' if row.ok else '失败'}  {batch}  {row.file_name}  {row.units}  {shown_address(row.address)}  "
              f"{row.detail}")
    return 0


def current_user() -> str:
    from unionstats.store.batches import current_user as login_name

    return login_name()
