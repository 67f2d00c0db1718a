"""Streamlit's and plotly's own interface words, in Chinese.

Streamlit 1.67 has no translation setting: its widgets say "Upload", "Choose an option", "Show password",
"yyyy" and their buttons carry English `aria-label`s and `title`s. What configuration can change is changed
where it is set (config.toml's `client.toolbarMode`, the theme; plotly's `locale` and `modeBarButtons` in
`chart_config`). What remains is translated in the page itself: a small script, sent once per page with
`st.html(..., unsafe_allow_javascript=True)`, replaces each known English text (a whole text node, or the whole
value of `title`, `aria-label`, `placeholder` or `data-title`) with its Chinese, and keeps doing so as
Streamlit redraws. It matches whole texts only, from the table below, and never looks inside what the app itself
writes (markdown, code, text areas), so a union's own words are never changed. The limits are in
docs/interface.md.
"""

from __future__ import annotations

import json

import streamlit as st

# Whole texts, exactly as Streamlit 1.67 and plotly.js write them.
WORDS = {
    # the app's frame, its menu and its status
    "Skip to main content": "跳到正文",
    "Sidebar": "侧边栏",
    "Collapse sidebar": "收起侧边栏",
    "Expand sidebar": "展开侧边栏",
    "Main menu": "主菜单",
    "Rerun": "重新运行",
    "Settings": "设置",
    "Print": "打印",
    "Record a screencast": "录制屏幕",
    "About": "关于",
    "Clear cache": "清除缓存",
    "Deploy": "部署",
    "Running...": "正在运行…",
    "Stop": "停止",
    "Connecting": "正在连接",
    "Connection error": "连接中断",
    "Close": "关闭",
    "Link to heading": "标题链接",
    "Copy to clipboard": "复制",
    "Copied to clipboard": "已复制",
    # widgets
    "Choose an option": "请选择",
    "Choose options": "请选择",
    "Open": "展开",
    "Clear all": "全部清除",
    "Clear value": "清除",
    "Select all": "全选",
    "No results": "没有匹配的选项",
    "No options to select": "没有可选的项",
    "Show password": "显示密码",
    "Hide password": "隐藏密码",
    "Choose date": "选择日期",
    "yyyy": "年",
    "mm": "月",
    "dd": "日",
    "Upload": "选择文件",
    "Browse files": "选择文件",
    "Drag and drop files here": "把文件拖到这里",
    "Drag and drop file here": "把文件拖到这里",
    "Remove file": "移除文件",
    "Delete": "删除",
    "file upload": "上传文件",
    "Press Enter to apply": "按回车确认",
    "Press Enter to submit form": "按回车提交",
    # tables
    "Show/hide columns": "显示或隐藏列",
    "Search": "搜索",
    "Fullscreen": "全屏",
    "Close fullscreen": "退出全屏",
    "Exit fullscreen": "退出全屏",
    "Download as CSV": "下载 CSV",
    "Add row": "添加一行",
    "Delete row": "删除行",
    "Delete rows": "删除行",
    "Sort ascending": "升序排列",
    "Sort descending": "降序排列",
    "Pin column": "固定此列",
    "Unpin column": "取消固定",
    "Hide column": "隐藏此列",
    "Autosize": "自动列宽",
    "Format": "格式",
    # plotly's toolbar, should a button outlive the locale below
    "Download plot as a PNG": "下载图片（PNG）",
    "Download plot as a png": "下载图片（PNG）",
    "Download plot": "下载图片",
    "Zoom": "缩放",
    "Pan": "平移",
    "Zoom in": "放大",
    "Zoom out": "缩小",
    "Autoscale": "自动缩放",
    "Reset axes": "重置坐标轴",
    "Produced with Plotly.js": "由 Plotly.js 绘制",
}

# Texts with a part that varies: (regular expression, replacement in JavaScript's `$1` form).
PATTERNS = [
    (r"^Help for (.+)$", "$1的说明"),
    (r"^(\d+)\s*MB per file\s*•\s*(.+)$", "每个文件不超过$1MB · $2"),
    (r"^(\d+)\s*MB per file$", "每个文件不超过$1MB"),
    (r"^year, (.+)$", "年，$1"),
    (r"^month, (.+)$", "月，$1"),
    (r"^day, (.+)$", "日，$1"),
]

# plotly.js's own zh-CN locale (lib/locales/zh-cn.js, MIT), for the toolbar's tooltips and its date formats,
# given to each chart in its config, so no locale script is fetched.
PLOTLY_LOCALE = {
    "zh-CN": {
        "dictionary": {key: WORDS[key] for key in ("Download plot as a png", "Download plot", "Zoom", "Pan",
                                                   "Zoom in", "Zoom out", "Autoscale", "Reset axes",
                                                   "Produced with Plotly.js")}
        | {"Download plot as a PNG": WORDS["Download plot as a PNG"],
           "Double-click to zoom back out": "双击复原", "Reset": "重置"},
        "format": {
            "days": ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
            "shortDays": ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
            "months": ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"],
            "shortMonths": ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月",
                            "12月"],
            "date": "%Y-%m-%d",
        },
    }
}

ATTRIBUTES = ["title", "aria-label", "placeholder", "data-title"]
# What the app writes (a summary, a union's names, its notices) is never translated: only Streamlit's own words,
# in widgets, buttons and attributes.
LEFT_ALONE = ('[data-testid="stMarkdown"], [data-testid="stCaptionContainer"], [data-testid="stAlert"], '
              '[data-testid="stText"], [data-testid="stCode"], textarea, pre, code')

SCRIPT = """
<script>
(() => {
  if (window.unionstatsChinese) return;
  window.unionstatsChinese = true;
  const words = %(words)s;
  const patterns = %(patterns)s.map(([source, to]) => [new RegExp(source), to]);
  const attributes = %(attributes)s;
  const leftAlone = %(left_alone)s;
  const chinese = (text) => {
    const bare = text.trim();
    if (!bare || !/[A-Za-z]/.test(bare)) return null;
    if (Object.hasOwn(words, bare)) return text.replace(bare, words[bare]);
    for (const [pattern, to] of patterns) {
      if (pattern.test(bare)) return text.replace(bare, bare.replace(pattern, to));
    }
    return null;
  };
  const mine = (node) => (node.nodeType === 1 ? node : node.parentElement)?.closest(leftAlone);
  const text = (node) => {
    if (mine(node)) return;
    const said = chinese(node.nodeValue);
    if (said !== null && said !== node.nodeValue) node.nodeValue = said;
  };
  const attribute = (element, name) => {
    const value = element.getAttribute(name);
    if (value === null) return;
    const said = chinese(value);
    if (said !== null && said !== value) element.setAttribute(name, said);
  };
  const within = (root) => {
    if (root.nodeType === 3) return text(root);
    if (root.nodeType !== 1) return;
    for (const name of attributes) attribute(root, name);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) text(walker.currentNode);
    const selector = attributes.map((name) => `[${name}]`).join(",");
    for (const element of root.querySelectorAll(selector)) {
      for (const name of attributes) attribute(element, name);
    }
  };
  new MutationObserver((changes) => {
    for (const change of changes) {
      if (change.type === "characterData") text(change.target);
      else if (change.type === "attributes") attribute(change.target, change.attributeName);
      else change.addedNodes.forEach(within);
    }
  }).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true,
                              attributeFilter: attributes});
  within(document.body);
  document.documentElement.dataset.speaks = "zh-CN";  // (tests wait for this mark)
})();
</script>
"""


def script() -> str:
    return SCRIPT % {"words": json.dumps(WORDS, ensure_ascii=False), "patterns": json.dumps(PATTERNS),
                     "attributes": json.dumps(ATTRIBUTES), "left_alone": json.dumps(LEFT_ALONE)}


def speak_chinese() -> None:
    """The translating script, once per page (it keeps working across reruns: a second copy does nothing)."""
    st.html(script(), unsafe_allow_javascript=True)
