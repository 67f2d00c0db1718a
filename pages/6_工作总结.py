import streamlit as st

from unionstats.exports.docx import docx_bytes
from unionstats.ui.editing import editable_text
from unionstats.ui.page import set_up
from unionstats.ui.show import no_period_notice
from unionstats.writing.filenames import title_name
from unionstats.writing.summary import as_edited, write_summary

view = set_up("工作总结")
if not no_period_notice(view):
    summary = write_summary(view.result, view.organisation, view.due_units)
    st.caption("以下文字由统计数据自动生成，可直接修改后下载。数字均来自所选统计期的数据，不含慰问对象姓名。")
    edited = editable_text("工作总结", summary.text(), "summary", height=640)
    final = as_edited(edited, summary)
    named = title_name(edited, summary.title)  # the files carry the title as edited
    left, middle, _ = st.columns([1, 1, 3])
    left.download_button("下载 Word 文档", lambda: docx_bytes(final), f"{named}.docx",
                         "application/vnd.openxmlformats-officedocument.wordprocessingml.document", type="primary",
                         on_click="ignore")
    middle.download_button("下载纯文本", edited.encode("utf-8"), f"{named}.txt", "text/plain")
    with st.expander("复制全文"):
        st.code(edited, language=None, wrap_lines=True)
