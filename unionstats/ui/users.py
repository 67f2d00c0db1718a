"""Account management on 数据管理 for 管理 users: the same Accounts calls the `user` command makes."""

from __future__ import annotations

import streamlit as st

from unionstats.store.access import REPORTER, ROLES, Actor
from unionstats.store.accounts import AccountError
from unionstats.store.batches import Store
from unionstats.ui.markdown import literal
from unionstats.ui.outcome import after_change

LOCAL, PROVIDER = "本系统密码", "统一身份认证（OIDC）"


def manage_accounts(store: Store, actor: Actor, units: list[str]) -> None:
    left, right = st.columns(2)
    with left, st.form("user_add", clear_on_submit=True):
        st.markdown("**新建账号**")
        name = st.text_input("用户名", key="user_add_name")
        role = st.selectbox("角色", ROLES, index=0, key="user_add_role")
        chosen = st.multiselect("所属单位（“填报”账号必填）", units, key="user_add_units",
                                accept_new_options=True, placeholder="选择或输入单位")
        how = st.radio("登录方式", [LOCAL, PROVIDER], horizontal=True, key="user_add_how")
        secret = st.text_input("密码（至少 8 位）或身份提供方的邮箱", key="user_add_secret",
                               type="password" if how == LOCAL else "default")
        if st.form_submit_button("新建账号"):
            attempt(lambda: store.accounts.add(
                actor, name, role, chosen if role == REPORTER else (),
                password=secret if how == LOCAL else None, email=secret if how == PROVIDER else None),
                f"已新建账号“{name.strip()}”")
    names = store.accounts.list()["name"].tolist()
    with right, st.form("user_change"):
        st.markdown("**修改账号**")
        who = st.selectbox("账号", names, key="user_change_name")
        role = st.selectbox("新角色", ["", *ROLES], key="user_change_role",
                            format_func=lambda r: r or "不改")
        chosen = st.multiselect("新角色为“填报”时的所属单位", units, key="user_change_units",
                                accept_new_options=True, placeholder="选择或输入单位")
        password = st.text_input("新密码（不改则留空）", type="password", key="user_change_password")
        state = st.radio("状态", ["不变", "停用", "启用"], horizontal=True, key="user_change_state")
        if st.form_submit_button("保存修改"):
            attempt(lambda: change(store, actor, who, role, chosen, password, state), f"已修改账号“{who}”")


def change(store: Store, actor: Actor, name: str, role: str, units: list[str], password: str, state: str) -> None:
    if role:
        store.accounts.set_role(actor, name, role, units if role == REPORTER else [])
    if password:
        store.accounts.set_password(actor, name, password)
    if state != "不变":
        store.accounts.set_disabled(actor, name, state == "停用")
    if not (role or password or state != "不变"):
        raise AccountError("没有要修改的内容：请选择新角色、输入新密码或改变状态")


def attempt(action, done: str) -> None:
    try:
        action()
    except AccountError as exc:
        st.error(literal(str(exc)))
    else:
        after_change(done)
