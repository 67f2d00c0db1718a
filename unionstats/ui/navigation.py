"""The sidebar's page links: Chinese names in a fixed order, each kind's pages from the registry."""

from __future__ import annotations

import streamlit as st

from unionstats.contract.registry import registered
from unionstats.intake.model import Dataset

OVERVIEW = ("app.py", "总览", ":material/dashboard:")
AFTER_KINDS = (("pages/9_经费合规.py", "经费合规", ":material/rule:"),
               ("pages/6_工作总结.py", "工作总结", ":material/description:"),
               ("pages/7_数据管理.py", "数据管理", ":material/folder_open:"))


def pages(dataset: Dataset | None = None) -> list[tuple[str, str, str]]:
    """(file, title, icon) of every page: 总览, each kind's pages in the kinds' order, 经费合规, 工作总结 and 数据管理; given
    the store's rows, only the kinds' pages they give something to show (a budget's, where one was imported)."""
    kinds = [(page.file, page.title, page.icon) for kind in registered() for page in kind.pages
             if dataset is None or page.listed is None or page.listed(dataset)]
    return [OVERVIEW, *kinds, *AFTER_KINDS]


def navigation(dataset: Dataset | None = None) -> None:
    """Chinese page names in a fixed order (the file-name navigation is switched off in config.toml)."""
    with st.sidebar:
        for path, label, icon in pages(dataset):
            st.page_link(path, label=label, icon=icon)
        st.divider()
