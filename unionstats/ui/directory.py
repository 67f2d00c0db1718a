"""The 单位名录 on 数据管理: 管理 edits it as a table and saves it whole, or fills it from 单位信息; everyone else
reads it. The checking, storing and recording are the store's (Store.replace_directory, import_directory)."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from unionstats.contract import schema
from unionstats.store import access, directory
from unionstats.store.access import Actor
from unionstats.store.batches import Store
from unionstats.ui.caches import stored_directory
from unionstats.ui.markdown import literal
from unionstats.ui.outcome import after_change

EDITOR = "directory_editor"
ABOUT = ("列出下属各单位、会员人数和是否应报送。填了会员人数的单位，参与率和人均经费按名录计算；"
         "工作总结只把“应报送”的单位列为未报送数据。没有名录时，上一期或去年同期报送过数据的单位视为应报送。")



def unit_directory(store: Store, actor: Actor, revision: str) -> None:
    listed = stored_directory(store.url, revision)
    st.caption(ABOUT)
    if not actor.may(access.SETTINGS):
        if listed.empty:
            st.info("还没有单位名录。")
        else:
            st.dataframe(directory.labelled(listed), hide_index=True, width="stretch")
        return
    shown = directory.labelled(listed).astype({"应报送": "boolean"})  # (a new row's box may be empty until ticked)
    edited = st.data_editor(shown, key=editor_key(listed), num_rows="dynamic",
                            hide_index=True, width="stretch", column_config=COLUMNS)
    st.caption("可直接修改、在表格末尾添加行或选中行删除，改好后点“保存单位名录”；出错时按表格从上往下数的行号提示。")
    save, fill = st.columns(2)
    if save.button("保存单位名录", type="primary", width="stretch"):
        attempt(lambda: store.replace_directory(actor, directory.from_labels(edited)))
    if fill.button("从单位信息导入", width="stretch",
                   help="把已导入工作簿的单位信息中写明名称的单位及其最新会员人数补充到名录；已有单位的“应报送”不变"):
        attempt(lambda: store.import_directory(actor))


COLUMNS = {
    "单位": st.column_config.TextColumn("单位", max_chars=schema.UNIT_LENGTH,
                                      help="单位名称，与工作簿中的单位名称一致"),
    "会员人数": st.column_config.NumberColumn("会员人数", min_value=1, max_value=schema.MAX_MEMBERS, step=1,
                                          format="%d", help="可不填；不填时按该单位单位信息中的会员人数"),
    "应报送": st.column_config.CheckboxColumn("应报送", default=True, help="勾选：该单位每期都应报送数据"),
}


def editor_key(listed: pd.DataFrame) -> str:
    """A key of the stored directory's content: after a save or an import the editor starts from what is stored,
    while edits that failed to save stay in place."""
    text = repr(list(zip(*(listed[k].astype(object).tolist() for k in directory.LABELS))))
    return f"{EDITOR}_{hashlib.sha256(text.encode()).hexdigest()[:16]}"


def attempt(action) -> None:
    try:
        done = action()
    except directory.DirectoryError as exc:
        st.error("单位名录未保存，请改正：\n\n" + "\n".join(f"- {literal(p)}" for p in exc.problems))
    except access.Forbidden as exc:
        st.error(literal(str(exc)))
    else:
        after_change(done.text())
