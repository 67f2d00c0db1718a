"""The sidebar's page links: Chinese names in a fixed order."""

from __future__ import annotations

import streamlit as st

PAGES = (("app.py", "总览", ":material/dashboard:"), ("pages/1_活动参与.py", "活动参与", ":material/groups:"),
         ("pages/2_经费支出.py", "经费支出", ":material/payments:"),
         ("pages/3_慰问帮扶.py", "慰问帮扶", ":material/volunteer_activism:"),
         ("pages/4_捐款捐物.py", "捐款捐物", ":material/favorite:"),
         ("pages/5_比赛获奖.py", "比赛获奖", ":material/emoji_events:"),
         ("pages/6_工作总结.py", "工作总结", ":material/description:"),
         ("pages/7_数据管理.py", "数据管理", ":material/folder_open:"))


def navigation() -> None:
    """Chinese page names in a fixed order (the file-name navigation is switched off in config.toml)."""
    with st.sidebar:
        for path, label, icon in PAGES:
            st.page_link(path, label=label, icon=icon)
        st.divider()

