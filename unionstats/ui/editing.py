"""Generated text a user may edit, never older than the figures it was written from.

A text area keyed by the page's title would keep showing the text of before an
import (Streamlit ignores a new value for a keyed widget). Here the key is the
generated text itself: new figures give a new text and a fresh area, and edits
made on the old text are dropped with a notice.
"""

from __future__ import annotations

import hashlib

import streamlit as st


def editable_text(label: str, generated: str, name: str, **options) -> str:
    """The text area's current value: `generated`, or the user's edit of exactly this `generated`."""
    key = f"{name}_{hashlib.sha256(generated.encode()).hexdigest()[:16]}"
    shown = st.session_state.get(f"{name}_shown")
    if shown and shown["key"] != key:
        edited = st.session_state.get(shown["key"])
        if edited is not None and edited != shown["text"]:
            st.info("统计期或数据已变化，下面的文字已按最新数字重新生成，之前的修改已丢弃。", icon="ℹ️")
        st.session_state.pop(shown["key"], None)
    st.session_state[f"{name}_shown"] = {"key": key, "text": generated}
    return st.text_area(label, generated, key=key, **options)
