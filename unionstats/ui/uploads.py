"""Uploaded workbooks, loaded once per content."""

from __future__ import annotations

import io

import streamlit as st

from ..exports.template import write_template
from ..exports.workbook import write_dataset
from ..loading import load_bytes
from ..model import Dataset


@st.cache_data(max_entries=16, show_spinner="正在检查工作簿……")
def loaded(data: bytes, name: str) -> Dataset:
    return load_bytes(data, name)


@st.cache_data(show_spinner=False)
def template_bytes() -> bytes:
    buffer = io.BytesIO()
    write_template(buffer)
    return buffer.getvalue()


def export_bytes(dataset: Dataset) -> bytes:
    buffer = io.BytesIO()
    write_dataset(dataset, buffer)
    return buffer.getvalue()
