"""Uploaded workbooks, loaded once per content."""

from __future__ import annotations

import functools
import hashlib
import io

import streamlit as st

from unionstats.exports.tables import preview_table
from unionstats.exports.template import write_template
from unionstats.exports.workbook import write_dataset
from unionstats.figures.bounded import kept
from unionstats.intake.loading import load_bytes
from unionstats.intake.model import Dataset
from unionstats.intake.naming import unnamed_rows
from unionstats.store.access import Actor
from unionstats.store.batches import Store
from unionstats.ui.markdown import literal
from unionstats.writing.preview import replacement
from unionstats.writing.wording import WEB, preview_text

UPLOADS_MB = 256  # checked workbooks kept while their page is open (bounded.py)

# The batch list at 1280 px (its table about 820 px wide): 批次, 状态, 文件 and 单位 whole, the rest after them.
BATCH_COLUMNS = {name: st.column_config.Column(width=width) for name, width in (
    ("批次", 50), ("状态", 190), ("文件", 160), ("单位", 190), ("起", 90), ("止", 90), ("行数", 60), ("跳过行数", 70))}


def loaded(data: bytes, name: str) -> Dataset:
    """The workbook checked once per content: kept by its hash, in a cache bounded by bytes."""
    return checked(hashlib.sha256(data).hexdigest(), name, data)


@kept(UPLOADS_MB, key=lambda digest, name, data: (digest, name))
def checked(digest: str, name: str, data: bytes) -> Dataset:
    with st.spinner("正在检查工作簿……"):
        return load_bytes(data, name)


@functools.cache
def template_bytes() -> bytes:
    buffer = io.BytesIO()
    write_template(buffer)
    return buffer.getvalue()


def export_bytes(store: Store, actor: Actor, dataset: Dataset) -> bytes:
    """The name-free export, refused unless `actor` may and recorded in the audit trail."""
    store.exported(actor, full=False, file_name="工会活动统计（导出）.xlsx")
    buffer = io.BytesIO()
    write_dataset(dataset, buffer)
    return buffer.getvalue()


def distinct(files: list) -> list:
    """Uploaded files, each once: the same name and content uploaded twice is one file."""
    return list({upload_key(f): f for f in files}.values())


def upload_key(file) -> str:
    """A widget key that follows the file itself, not its place in the list (removing one keeps the others')."""
    return hashlib.sha256(file.name.encode() + b"\0" + file.getvalue()).hexdigest()[:16]


def unit_name_box(dataset: Dataset, key: str) -> str:
    """For a workbook that names no unit (naming.py): a 单位名称 box, filled with its title's name when it has one,
    whose text the import applies to the rows without a unit; '' (and no box) for any other workbook."""
    if not unnamed_rows(dataset):
        return ""
    title = dataset.unit_title
    return st.text_input("单位名称", value=title.name if title else "", max_chars=200, key=f"unit_{key}",
                         help="本文件没有写明单位：导入时，没有单位的各行记入这里填写的单位"
                              + ("（已按表头上方的标题填好，请核对）" if title else ""))


def replacement_notice(store: Store, dataset: Dataset, name: str, unit_name: str) -> None:
    """Before an import: what the file would replace and the figures before and after (preview.py); nothing
    when it replaces nothing."""
    change = replacement(store, dataset, name, unit_name)
    if change is None:
        return
    st.warning(literal(preview_text(change, WEB)))
    st.dataframe(preview_table(change), hide_index=True)
