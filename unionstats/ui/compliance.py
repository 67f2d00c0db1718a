"""经费合规 on the pages: its own page (the check of the view's period and units), the count on 总览 for 管理, the
rule versions on 数据管理 (管理 saves a new one), and the warning on an uploaded workbook's rows before import.

The check is the library's (compliance/check.py, Store.compliance); the tables and sentences are
writing/findings.py's. A 填报 account sees the findings of its own units only. No 对象 name is ever shown: a
Check carries none.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from unionstats.compliance.check import Check, check
from unionstats.compliance.rules import RuleError, RuleSet, Version, builtin_sets
from unionstats.exports.selfcheck import selfcheck_docx
from unionstats.figures.bounded import kept
from unionstats.intake.model import Dataset
from unionstats.store import access
from unionstats.store.access import Actor
from unionstats.store.batches import Store
from unionstats.ui import show
from unionstats.ui.caches import stored_compliance
from unionstats.ui.looks import CARDS
from unionstats.ui.markdown import literal
from unionstats.ui.outcome import after_change
from unionstats.ui.page import set_up
from unionstats.ui.view import View
from unionstats.writing import findings as said
from unionstats.writing.filenames import safe_name
from unionstats.writing.tables import is_money, money_format

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PAGE = "pages/9_经费合规.py"
TITLE = "经费合规"
ICON = ":material/rule:"
CAP_COLUMN = "上限（元）"
MAX_CAP = 1_000_000


def checked_units(actor: Actor, chosen: list[str] | None) -> tuple[str, ...] | None:
    """The units whose rows the check reads: those chosen in the sidebar (None: every unit); for a 填报 account
    only its own units among them (an empty tuple when none of them is its own)."""
    if actor.role != access.REPORTER:
        return tuple(chosen) if chosen else None
    own = tuple(actor.units)
    return tuple(u for u in chosen if u in own) if chosen else own


def check_key(view: View, units: tuple[str, ...] | None) -> tuple:
    """What the view's check depends on: the store revision, rule book stamp, period and units."""
    return view.store.url, view.revision, view.store.rules.stamp(), view.period, units


def view_check(view: View, units: tuple[str, ...] | None) -> Check:
    """The view's period checked, kept per store revision, rule book stamp, period and units (caches.py)."""
    return stored_compliance(*check_key(view, units))


FINDINGS_MB = 64  # the findings' tables of the checks being looked at (bounded.py)


@kept(FINDINGS_MB, key=lambda key, _result: key)
def finding_tables(key: tuple, _result: Check) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The findings by rule, by unit and one by one, made once per check (check_key), not on every rerun: a
    federation's year has thousands of findings."""
    return said.by_rule(_result), said.by_unit(_result), said.findings_table(_result)


# The page.

def show_compliance_page() -> None:
    view = set_up(TITLE)
    if show.no_period_notice(view):
        return
    units = checked_units(view.actor, view.units)
    if view.actor.role == access.REPORTER:
        st.caption(f"您的账号为“填报”，这里只列出本单位（{literal('、'.join(view.actor.units) or '未指定')}）的记录。")
        if not units:
            st.info("所选单位中没有您负责的单位，没有可以核对的记录。" if view.units
                    else "您的账号还没有指定负责的单位，请联系管理员。")
            return
    key = check_key(view, units)
    result = stored_compliance(*key)
    assert view.result.period is not None, "no_period_notice has shown a store without rows"
    period = view.result.period.label
    if not result.versions:
        st.info(f"{period}早于经费标准的执行日期，没有可用来核对的标准。")
        return
    basis(result)
    cards(view, result)
    if not result.findings:
        st.success(said.clean_text(result, period))
        checked_rules(result, expanded=True)
        return
    rules, units_over, table = finding_tables(key, result)
    summaries(rules, units_over)
    report_button(view, result, units, period)
    st.subheader("超标记录", anchor=False)
    st.caption(said.AMOUNT_NOTE)
    if table["单位"].nunique() == 1:  # (the caption above says the one unit)
        table = table.drop(columns="单位")
    listing(table, WIDTHS)
    checked_rules(result, expanded=False)


def report_button(view: View, result: Check, units: tuple[str, ...] | None, period: str) -> None:
    """The 审计自查 report of this check as a Word file (exports/selfcheck.py), named after the union and period."""
    if view.presenting:
        return
    scope = "、".join(units) if units and units != tuple(view.units or ()) else view.scope
    st.download_button("下载审计自查报告（Word）",
                       lambda: selfcheck_docx(result, view.organisation, period, scope),
                       (safe_name(f"{view.organisation}{period}经费使用审计自查情况") or "经费使用审计自查情况") + ".docx", DOCX,
                       on_click="ignore", type="primary",
                       help="按工作总结的格式写成的自查情况：依据的标准、各项标准核对情况、每条超标记录的位置（不含姓名），"
                            "末尾留出整改情况")


def basis(result: Check) -> None:
    """The rule versions the check used and the documents they follow."""
    lines = said.basis_lines(result.versions)
    st.markdown("**核对依据**：" + ("" if len(lines) == 1 else "（本期内换过标准，每条记录按其日期当天执行的版本核对）")
                + "\n\n" + "\n".join(f"- {literal(line)}" for line in lines))


def cards(view: View, result: Check) -> None:
    """超标记录, 超出金额合计, 已核对记录; 只能按人均核对 and 未核对 only when some rows are."""
    shown = [("超标记录", said.count_text(len(result.findings)), "超出经费标准上限的记录条数"),
             ("超出金额合计", said.money_text(result.over), "各超标记录多花的钱的合计：人均超出乘以人次；会员全年累计只计使其超出的部分"),
             ("已核对记录", said.count_text(result.checked), "本期按经费标准核对过的慰问和活动记录")]
    if result.unnamed:
        shown.append(("只能按人均核对", said.count_text(result.unnamed), said.UNNAMED_NOTE))
    if result.unchecked:
        shown.append(("未核对", said.count_text(result.unchecked), said.UNCHECKED_NOTE))
    with st.container(key=show.keyed(CARDS, [label for label, _, _ in shown])):
        for slot, (label, value, help_text) in zip(st.columns(len(shown)), shown):
            slot.metric(label, value, border=True, height="stretch", help=help_text)
    notes = []
    if result.unnamed:
        notes.append(f"只能按人均核对的 {result.unnamed} 条：{said.UNNAMED_NOTE}")
    if result.unchecked:
        notes.append(f"未核对的 {result.unchecked} 条：{said.UNCHECKED_NOTE}")
    if notes and not view.presenting:
        st.caption("\n\n".join(notes))


def summaries(by_rule: pd.DataFrame, by_unit: pd.DataFrame) -> None:
    """The findings by rule and by unit, side by side."""
    left, right = st.columns(2)
    with left:
        st.markdown("**按标准**")
        listing(by_rule)
    with right:
        st.markdown("**按单位**")
        listing(by_unit)


def checked_rules(result: Check, expanded: bool) -> None:
    """The rules each version used holds: what was checked, and against what."""
    with st.expander("核对所用的经费标准", expanded=expanded):
        for version in result.versions:
            if len(result.versions) > 1:
                st.markdown(f"**{literal(version.label)}**")
            show.whole_table(written(said.rules_table(version.rules)), "标准")


# The findings' ten columns within a 1280 px screen's page (about 800 px), the amounts whole.
WIDTHS = {"批次": 45, "工作表": 60, "行": 45, "列": 45, "日期": 90, "单位": 150, "标准": 110, "口径": 70,
          "金额（元）": 75, "上限（元）": 75, "超出（元）": 75}
ROW_PX, SHOWN_ROWS = 35, 15  # a table shows up to SHOWN_ROWS rows and scrolls past them


def listing(frame: pd.DataFrame, widths: dict[str, int] | None = None) -> None:
    """Findings in a sortable table, its amounts numbers written with separators: a plain frame, never a
    Styler, so a federation's thousands of findings stay quick to show."""
    widths = widths or {}
    config = {c: st.column_config.NumberColumn(c, format="localized", width=widths.get(c)) if is_money(str(c))
              else st.column_config.Column(c, width=widths.get(c)) for c in frame.columns}
    st.dataframe(frame, hide_index=True, width="stretch", column_config=config,
                 height=(min(len(frame), SHOWN_ROWS) + 1) * ROW_PX + 3)


def written(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its amounts as text for show.whole_table: 1,500 or 1,000.50."""
    money = [c for c in frame.columns if is_money(str(c))]
    return frame.astype({c: object for c in money}).assign(
        **{c: frame[c].map(money_format(frame[c])) for c in money})


# 总览.

def overview_notice(view: View) -> None:
    """One line on 总览 for 管理: how many records of the view go over a cap, with a link to 经费合规. Nothing for
    other roles, in 演示模式, without data, or when none does."""
    if view.presenting or view.actor.role != access.ADMIN or view.period is None:
        return
    result = view_check(view, checked_units(view.actor, view.units))
    if not result.findings:
        return
    st.page_link(PAGE, label=said.overview_text(result), icon="⚠️", help="查看经费合规页的每一条超标记录")


# 数据管理: the rule versions.

def rule_book(store: Store, actor: Actor) -> None:
    """The versions and the rules in force, for everyone; 管理 chooses a province's set, edits its caps and saves
    them as a new version in force from a date."""
    versions = store.rules.versions()
    current = store.rules.current()
    st.caption("经费合规页和导入前的检查按每条记录日期当天执行的版本核对慰问和活动的金额。修改标准会保存为新版本，"
               "旧版本保留，执行日期之前的记录仍按旧版本核对。")
    st.markdown(f"现行标准：**{literal(current.label)}**，依据{literal(current.rules.cited)}")
    st.dataframe(said.versions_table(versions), hide_index=True, width="stretch")
    show.whole_table(written(said.rules_table(current.rules)), "标准")
    if not actor.may(access.RULES):
        st.caption("只有“管理”角色可以修改经费标准。")
        return
    edit_rules(store, actor, current.rules, has_saved=any(v.number for v in versions))


def edit_rules(store: Store, actor: Actor, current: RuleSet, has_saved: bool) -> None:
    stamp = store.rules.stamp()
    sets = builtin_sets()
    keys = list(sets)
    st.markdown("**保存新版本**")
    chosen = st.selectbox("标准文件", keys, index=keys.index(current.key) if current.key in keys else 0,
                          format_func=lambda k: f"{sets[k].province}：{sets[k].cited}", key="rules_set")
    base = current if chosen == current.key else sets[chosen]
    editable = said.rules_table(base).drop(columns="依据条文")
    edited = st.data_editor(editable, key=f"rules_editor_{chosen}_{stamp}", hide_index=True, width="stretch",
                            num_rows="fixed", disabled=[c for c in editable.columns if c != CAP_COLUMN],
                            column_config={CAP_COLUMN: st.column_config.NumberColumn(
                                CAP_COLUMN, min_value=0.01, max_value=MAX_CAP, format="%.2f",
                                help="改动上限后保存为新版本")})
    left, right = st.columns([1, 2])
    start = left.date_input("执行日期", value=dt.date.today() if has_saved else base.date,
                            min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31),
                            key=f"rules_start_{chosen}_{stamp}")
    note = right.text_input("说明（可不填）", max_chars=200, key=f"rules_note_{stamp}",
                            placeholder="例如：按省总工会新文件调整")
    if st.button("保存为新版本", type="primary", key="rules_save"):
        caps = dict(zip((rule.key for rule in base.rules), edited[CAP_COLUMN].tolist()))
        problem = said.cap_problem(base, caps)
        if problem:
            st.error(problem)
            return
        try:
            version = store.rules.save(actor, base.with_caps(caps), start, note)
        except RuleError as exc:
            st.error(literal(str(exc)))
        except access.Forbidden as exc:
            st.error(literal(str(exc)))
        else:
            after_change(said.saved_text(version))


# 数据管理: an uploaded workbook's rows over a cap.

def import_warning(store: Store, dataset: Dataset, key: str) -> None:
    """After a workbook is checked: its own rows over a cap, named by sheet, row and column. It does not block
    the import; the clerk may correct them first."""
    if not dataset.row_count:
        return
    result = upload_check(key, store.url, store.rules.stamp(), dataset, store.rules.versions())
    if not result.findings:
        return
    st.warning(said.import_warning_text(result))
    listing(said.import_table(result), WIDTHS)
    st.caption(said.AMOUNT_NOTE + "本检查只看这个工作簿中的行，导入后可在「经费合规」页查看全部。")


UPLOAD_CHECKS_MB = 64  # the checks of workbooks being looked at, by upload and rule book stamp (bounded.py)


@kept(UPLOAD_CHECKS_MB, key=lambda key, url, stamp, _dataset, _versions: (key, url, stamp))
def upload_check(key: str, url: str, stamp: str, _dataset: Dataset, _versions: list[Version]) -> Check:
    return check(_dataset.tables, _versions)
