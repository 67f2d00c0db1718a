"""总览: the first page and the app's frame. Run with `streamlit run app.py`.

`streamlit run` finds `app` below (st.App) and serves through it: Streamlit's own server, plus the route that sets
the sign-in cookie from the server and Chinese pages for the identity provider's failures (unionstats/ui/server.py). Streamlit runs this same file as the 总览 page, under
the name "__main__".
"""

import streamlit as st

if __name__ != "__main__":
    from unionstats.ui import server

    if problem := server.configuration_problem():  # a page that says what to fix, not a traceback
        app = server.problem_app(problem)
    else:
        app = st.App(__file__, routes=server.routes(), middleware=server.middleware())
else:
    from unionstats.exports import pictures
    from unionstats.exports.deck import deck_bytes
    from unionstats.ui import show
    from unionstats.ui.compliance import overview_notice
    from unionstats.ui.kind_page import show_overview
    from unionstats.ui.page import set_up
    from unionstats.writing.summary import write_summary

    PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

    view = set_up("总览")
    if not show.no_period_notice(view):
        overview_notice(view)
        summary = write_summary(view.result, view.organisation, view.due_units)
        if not view.presenting:
            named = f"{view.organisation}{view.result.period.label}"
            buttons = st.container(horizontal=True)
            buttons.download_button("下载汇报PPT", lambda: deck_bytes(view.result, view.organisation, summary),
                                    f"{named}工作汇报.pptx", PPTX, type="primary", on_click="ignore",
                                    help="16:9 幻灯片：主要数据、每张图表（可在 PowerPoint/WPS 中编辑数据）和工作要点")
            drawable = pictures.browser() is not None
            buttons.download_button("下载全部图表（PNG）", lambda: pictures.pngs_zip_bytes(view.result, view.scope),
                                    f"{named}图表.zip", "application/zip", on_click="ignore", disabled=not drawable,
                                    help="每张图表一张 PNG 图片（宽 1800 像素），按标题命名" if drawable
                                    else "服务器未安装 Chromium，无法生成图片（apt-get install chromium fonts-noto-cjk）")
        show_overview(view)
        st.subheader("工作总结（开头）")
        st.text(summary.opening)
