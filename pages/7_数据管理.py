import streamlit as st

from unionstats.contract.periods import span_period
from unionstats.exports import tables
from unionstats.figures.engine import all_dates
from unionstats.intake import naming
from unionstats.store import access
from unionstats.store.accounts import AccountError
from unionstats.store.batches import StoreError
from unionstats.ui.caches import filter_options, stored_batches
from unionstats.ui.compliance import import_warning, rule_book
from unionstats.ui.directory import unit_directory
from unionstats.ui.filters import show_period
from unionstats.ui.outcome import after_change
from unionstats.ui.page import set_up
from unionstats.ui.show import literal, whole_table
from unionstats.ui.uploads import (
    BATCH_COLUMNS,
    distinct,
    export_bytes,
    loaded,
    replacement_notice,
    template_bytes,
    unit_name_box,
    upload_key,
)
from unionstats.ui.users import manage_accounts
from unionstats.writing.wording import WEB, error_text, file_named_text, import_text, outcome_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

view = set_up("数据管理")
actor = view.actor

st.subheader("1. 下载模板")
st.download_button("下载空白填报模板", template_bytes(), "工会活动统计表（模板）.xlsx", XLSX)

st.subheader("2. 上传并检查工作簿")
if not actor.may(access.IMPORT):
    st.info(literal(access.refusal(actor, access.IMPORT)))
else:
    if actor.role == access.REPORTER:
        st.caption(f"您可以导入和替换本单位（{literal('、'.join(actor.units) or '未指定')}）的数据。")
    files = st.file_uploader("选择一个或多个工作簿（.xlsx .xlsm .xls .ods）", type=["xlsx", "xlsm", "xls", "ods"],
                             accept_multiple_files=True, key="upload")
    for index, file in enumerate(distinct(files or [])):
        key = upload_key(file)
        dataset = loaded(file.getvalue(), file.name)
        report = dataset.report
        with st.container(border=True):
            st.markdown(f"**{index + 1}.**")
            st.text(file.name)
            said = st.error if not report.ok else st.warning if report.warnings else st.success
            said(literal(tables.verdict(dataset)))
            if report.issues:
                whole_table(tables.report_table(report), "问题")
            import_warning(view.store, dataset, key)
            skip = replace = False
            if report.errors and dataset.row_count:
                skip = st.checkbox("跳过有错误的行，导入其余行（跳过的行会记录在批次中）", key=f"skip_{key}")
            unit_name = unit_name_box(dataset, key)
            if report.ok or skip:
                replacement_notice(view.store, dataset, file.name, unit_name)
            replace = st.checkbox("如与已导入的批次重叠，用本文件替换（只替换本文件各单位在其期间内的数据；"
                                  "被替换的行保留在历史中，可恢复）", key=f"replace_{key}")
            if st.button("导入", key=f"import_{key}", type="primary", disabled=not (report.ok or skip)):
                try:
                    result = view.store.import_dataset(dataset, file.name, replace=replace, skip_bad_rows=skip,
                                                       actor=actor, unit_name=unit_name)
                except access.Forbidden as exc:
                    st.error(literal(str(exc)))
                else:
                    if result.status == "imported":
                        show_period(span_period(all_dates(dataset)))
                        after_change(import_text(result, WEB))
                    (st.success if result.ok else st.error)(literal(import_text(result, WEB)))

st.subheader("3. 已导入的批次")
batches = stored_batches(view.store.url, view.revision)
file_named = file_named_text(naming.file_named(view.dataset), WEB)
if file_named:
    st.warning(literal(file_named))
st.dataframe(tables.batch_table(batches), hide_index=True, width="stretch", column_config=BATCH_COLUMNS)
if not batches.empty and actor.may(access.EXPORT):
    st.download_button("导出全部数据（不含慰问对象姓名和备注）", lambda: export_bytes(view.store, actor, view.dataset),
                       "工会活动统计（导出）.xlsx", XLSX, on_click="ignore")
if not batches.empty and actor.may(access.DELETE):
    left, right = st.columns(2)
    with left:
        chosen = st.selectbox("选择批次", batches["id"].tolist()[::-1], format_func=lambda b: f"第{b}批")
        replacing = st.checkbox("恢复时替换重叠的批次（被替换的批次保留在历史中）")
    with right:
        st.write("")
        act, undo = st.columns(2)
        if act.button("删除该批次", width="stretch"):
            after_change(outcome_text(view.store.delete(chosen, actor=actor), WEB))
        if undo.button("恢复该批次", width="stretch"):
            try:
                after_change(outcome_text(view.store.restore(chosen, replace=replacing, actor=actor), WEB))
            except StoreError as exc:
                st.error(literal(error_text(exc, WEB)))
    recorded = view.store.batch_issues(chosen)
    if not recorded.empty:
        st.markdown(f"**第{chosen}批导入时记录的问题**（包括跳过的行）")
        whole_table(tables.issue_table(recorded), "问题")

if actor.how == access.STANDALONE and actor.role == access.ADMIN:
    st.subheader("4. 启用登录")
    st.caption("创建第一个“管理”账号后，所有页面都需要登录；其他账号可在登录后于此页或用命令行 "
               "python -m unionstats user add 创建。")
    with st.form("first_admin"):
        name = st.text_input("管理员用户名")
        password = st.text_input("密码（至少 8 位）", type="password")
        again = st.text_input("再输入一次密码", type="password")
        if st.form_submit_button("创建管理账号并启用登录"):
            if password != again:
                st.error("两次输入的密码不一致")
            else:
                try:
                    view.store.accounts.add(actor, name, access.ADMIN, password=password)
                except AccountError as exc:
                    st.error(literal(str(exc)))
                else:
                    after_change(f"已创建管理账号“{name}”，登录已启用；请用该账号登录")

if actor.may(access.SETTINGS):
    st.subheader("本单位名称")
    with st.form("organisation"):
        name = st.text_input("本单位（工会）名称，用于覆盖全部单位的工作总结和汇报的标题、落款",
                             value=view.store.organisation(), max_chars=200, key="organisation_name")
        if st.form_submit_button("保存名称"):
            try:
                saved = view.store.set_organisation(actor, name)
            except (ValueError, access.Forbidden) as exc:
                st.error(literal(str(exc)))
            else:
                after_change(f"已将本单位名称设为“{saved}”" if saved else "已清除本单位名称")

st.subheader("单位名录")
unit_directory(view.store, actor, view.revision)

st.subheader("经费标准")
rule_book(view.store, actor)

if actor.may(access.AUDIT):
    st.subheader("4. 账号与操作记录" if actor.how != access.STANDALONE else "5. 操作记录")
    if actor.how != access.STANDALONE:
        st.dataframe(tables.user_table(view.store.accounts.list()), hide_index=True, width="stretch")
        manage_accounts(view.store, actor, filter_options(view.store.url, view.revision)[1])
    who_column, what_column, since_column = st.columns(3)
    who = who_column.text_input("只看该用户（留空为全部）", key="audit_user")
    what = what_column.selectbox("操作", tables.AUDIT_ACTIONS, key="audit_action")
    since = since_column.date_input("起始日期", value=None, key="audit_since")
    st.dataframe(tables.audit_table(view.store.audit_trail(actor, since=tables.day_start(since),
                                                           user=who.strip() or None,
                                                           action=tables.AUDIT_ACTIONS[what])),
                 hide_index=True, width="stretch")
