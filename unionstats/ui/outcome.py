"""What a change did, said once on the next run: the re-run after an import, a delete or a restore."""

from __future__ import annotations

import streamlit as st

from unionstats.ui.markdown import literal

OUTCOME = "outcome"


def after_change(message: str) -> None:
    """Re-run after an import, delete or restore, saying once what was done.

    The cached rows and figures are keyed by the store's revision, which the change has moved on: nothing is
    cleared, so other sessions, and other stores, keep what is still true.
    """
    st.session_state[OUTCOME] = message
    st.rerun()


def said_after_change() -> None:
    message = st.session_state.pop(OUTCOME, None)
    if message:
        st.success(literal(message))
