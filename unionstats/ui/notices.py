"""The notices above a page's figures (the sample data, 单机模式), folded into one line a reader may open.

On a phone a notice box took a third of the first screen before any figure; folded, its line still says what
it is about. None is shown while presenting: a projector shows the union's figures, not the software's state.
"""

from __future__ import annotations

import streamlit as st

from unionstats.store import access
from unionstats.ui import signin
from unionstats.ui.outcome import after_change
from unionstats.ui.view import View

SAMPLE = ("当前显示的是示例数据（虚构的“江城市农业科学研究所工会”）。导入本单位的第一个工作簿时，示例数据会自动移出统计"
          "（保留在批次历史中），不会与本单位的数据混在一起。")


def notices(view: View) -> None:
    """The sample notice (with its delete button, for whoever may delete) and the 单机模式 notice, in one
    folded box whose title names them."""
    standalone = signin.standalone_text(view.actor)
    named = [name for name, shown in (("当前显示示例数据", view.sample), ("单机模式", standalone)) if shown]
    if view.presenting or not named:
        return
    with st.expander("ℹ️ " + " · ".join(named)):
        if view.sample:
            sample_notice(view)
        if standalone:
            st.caption(standalone)


def sample_notice(view: View) -> None:
    left, right = st.columns([5, 1])
    left.markdown(SAMPLE)
    if view.actor.may(access.DELETE) and right.button("删除示例数据", key="drop_sample"):
        for batch in view.store.sample_batches():
            view.store.delete(batch, actor=view.actor)
        after_change("已删除示例数据；它保留在批次历史中，可在「数据管理」恢复")
