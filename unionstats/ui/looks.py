"""How pages look beyond Streamlit's theme: on a phone, on paper, and on a projector (演示模式).

Streamlit has no setting for these, so they are style sheets, sent once per run. They address Streamlit's own
`data-testid`s and the `st-key-…` classes of the app's keyed containers (`CARDS`, `CHARTS`), so a rule
reaches the cards and the charts and nothing else. docs/interface.md says what each rule is for.
"""

from __future__ import annotations

import datetime as dt
import html

import streamlit as st

CARDS = "cards"  # the key of a row of KPI cards' container: its class is `st-key-cards…`
CHARTS = "charts"  # the key of a grid of charts' container

EVERY_PAGE = """<style>
/* A phone (Streamlit stacks columns below 640 px): KPI cards two to a row, smaller values, less blank above. */
@media (max-width: 640px) {
  [class*="st-key-cards"] [data-testid="stHorizontalBlock"]
    {flex-direction: row !important; flex-wrap: wrap; gap: 0.5rem !important;}
  [class*="st-key-cards"] {gap: 0.5rem !important;}
  [class*="st-key-cards"] [data-testid="stColumn"]
    {flex: 1 1 calc(50% - 0.25rem) !important; width: calc(50% - 0.25rem) !important;
     min-width: calc(50% - 0.25rem) !important;}
  [data-testid="stMetric"] > div {padding: 0.45rem 0.6rem !important;}
  [data-testid="stMetricLabel"] p {font-size: 0.85rem !important;}
  [data-testid="stMetricValue"], [data-testid="stMetricValue"] * {font-size: 1.5rem !important;}
  [data-testid="stMetricDelta"] p {font-size: 0.75rem !important;}
  [data-testid="stMainBlockContainer"] {padding-top: 2.8rem !important;}
  h1 {font-size: 1.8rem !important;}
}
/* A figure never breaks inside a word: "2046人次" stays on one line. */
[data-testid="stMetricValue"] div {white-space: nowrap;}
.print-header {display: none;}
/* Paper: A4, the figures alone, a header saying whose, which period and when printed; a card or a chart is
   never split across pages, and charts stand one to a row at the page's width. */
@media print {
  @page {size: A4; margin: 12mm 12mm 14mm 12mm;}
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  [data-testid="stElementToolbar"], [data-testid="stButton"], [data-testid="stDownloadButton"],
  [data-testid="stFormSubmitButton"], [data-testid="stFileUploader"], [data-testid="stExpander"],
  [data-testid="stTextInput"], [data-testid="stSelectbox"], [data-testid="stMultiSelect"],
  [data-testid="stDateInput"], [data-testid="stCheckbox"], [data-testid="stForm"], .modebar-container,
  [data-testid="stTooltipIcon"], [data-testid="stMetric"] [data-testid="stTooltipHoverTarget"]
    {display: none !important;}
  html, body, [data-testid="stApp"], [data-testid="stMain"] {overflow: visible !important; height: auto !important;}
  [data-testid="stMainBlockContainer"] {padding: 0 !important; max-width: none !important;}
  .print-header {display: flex !important; justify-content: space-between; gap: 1rem;
                 border-bottom: 1px solid #999; padding-bottom: 0.3rem; font-size: 0.8rem; color: #333;}
  [data-testid="stMetric"], [data-testid="stPlotlyChart"], [class*="st-key-charts"] [data-testid="stColumn"],
  [data-testid="stDataFrame"], [data-testid="stCaptionContainer"] {break-inside: avoid;}
  [class*="st-key-charts"] [data-testid="stHorizontalBlock"] {flex-direction: column !important;}
  [class*="st-key-charts"] [data-testid="stColumn"] {width: 100% !important; flex: 1 1 100% !important;}
  [data-testid="stMetricValue"], [data-testid="stMetricValue"] * {font-size: 1.5rem !important;}
  h1 {font-size: 1.6rem !important; padding-top: 0.4rem !important;}
  /* 工作总结's text area prints whole, as tall as its text. */
  [data-testid="stTextArea"] div {height: auto !important; max-height: none !important;}
  [data-testid="stTextArea"] textarea {field-sizing: content; height: auto !important; max-height: none !important;
                                       overflow: visible !important; resize: none;}
}
</style>"""

PRESENTING = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"] {display: none;}
[data-testid="stMainBlockContainer"] {padding-top: 1rem !important; padding-bottom: 2rem !important;}
[data-testid="stMarkdownContainer"] p {font-size: 1.2rem;}
h1 {font-size: clamp(2.2rem, 2.8vw, 3.2rem) !important; padding: 0 !important;}
h3 {font-size: clamp(1.3rem, 1.6vw, 1.8rem) !important; padding: 0 !important; color: #1F2D3D !important;}
[data-testid="stMetric"] > div {padding: 0.5rem 1rem !important;}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {font-size: clamp(2rem, 2.4vw, 2.6rem) !important;
                                                                 line-height: 1.2 !important;}
[data-testid="stMetricLabel"] p {font-size: 1.2rem !important;}
[data-testid="stMetricDelta"] p {font-size: 1.05rem !important;}
</style>"""


# Paper is narrower than the screen, and a chart is an SVG drawn at the screen's width: printed as it is, its
# right part is cut off. While printing, a chart wider than A4's text (186 mm, 703 CSS px) is zoomed down to it,
# whole; the screen gets it back after printing. A chart plotly redraws at the paper's width meanwhile needs no
# zoom: the fit is read again while printing lasts.
PAPER_WIDTH_PX = 703
FIT_CHARTS_WHEN_PRINTING = """<script>
(() => {
  if (window.unionstatsPrinting) return;
  window.unionstatsPrinting = true;
  const charts = () => document.querySelectorAll('[data-testid="stPlotlyChart"]');
  const fit = () => {
    for (const chart of charts()) {
      const width = chart.querySelector("svg.main-svg")?.width.baseVal.value;
      chart.style.zoom = width > %(paper)d ? String(%(paper)d / width) : "";
    }
  };
  let timer = null;
  const printing = (on) => {
    clearInterval(timer);
    if (on) { fit(); timer = setInterval(fit, 200); }
    else for (const chart of charts()) chart.style.zoom = "";
  };
  addEventListener("beforeprint", () => printing(true));
  addEventListener("afterprint", () => printing(false));
  matchMedia("print").addEventListener("change", (media) => printing(media.matches));
})();
</script>""" % {"paper": PAPER_WIDTH_PX}


def dress(presenting: bool) -> None:
    """The style sheets of every page, and 演示模式's when presenting."""
    st.html(EVERY_PAGE)
    st.html(FIT_CHARTS_WHEN_PRINTING, unsafe_allow_javascript=True)
    if presenting:
        st.html(PRESENTING)


def print_header(organisation: str, period: str, title: str, today: dt.date | None = None) -> None:
    """The line atop every printed page's first sheet: whose figures, which period, which page, printed when
    (hidden on the screen)."""
    today = today or dt.date.today()
    parts = [f"{organisation}　{period}", title, f"打印日期：{today.year}年{today.month}月{today.day}日"]
    st.html('<div class="print-header">' + "".join(f"<span>{html.escape(p)}</span>" for p in parts) + "</div>")
