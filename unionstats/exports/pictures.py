"""Every chart of a view as a PNG, to paste into slides, documents and group chats.

The pictures are the dashboard's own figures (`charts.py`) at 演示模式's size
and 1800 px wide, drawn by plotly's image export. Kaleido 1.x draws them in
a headless Chrome: Debian's chromium is found at /usr/bin/chromium
(BROWSER_PATH overrides). Starting one takes seconds, so a single kaleido
server is started on first use and kept for the life of the process (the
app serves every download from it); each picture then takes a fraction of a
second. The charts' font list starts with Noto Sans CJK SC: with
fonts-noto-cjk installed every Chinese glyph renders, without it each is a
box.
"""

from __future__ import annotations

import io
import re
import threading
import zipfile
from pathlib import Path

import plotly.graph_objects as go

from unionstats.charts.chart import every_chart
from unionstats.exports import plotting
from unionstats.figures.typed import Figures

WIDTH, HEIGHT, SCALE = 1200, 700, 1.5  # 1800 x 1050 px: sharp on a projector and in a full-width slide
RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM\d|LPT\d)$", re.IGNORECASE)  # names Windows will not create
UNSAFE = re.compile(r'[\x00-\x1f\x7f\\/:*?"<>|]')
MOST_NAME = 80
ZIP_NAME = "全部图表.zip"

_lock = threading.Lock()  # kaleido's server answers one caller at a time, in order
_started = False


class PictureError(Exception):
    """The pictures cannot be drawn on this machine; the message says what to install."""


def write_pngs(result: Figures, scope: str, directory: str | Path) -> list[Path]:
    """Every chart of the view with data in it, as `directory/<its title>.png`; the paths in page order."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, png in chart_pngs(result, scope):
        path = folder / name
        path.write_bytes(png)
        written.append(path)
    return written


def pngs_zip_bytes(result: Figures, scope: str) -> bytes:
    """The same pictures in one zip, for a download button."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:  # PNGs are compressed already
        for name, png in chart_pngs(result, scope):
            archive.writestr(name, png)
    return buffer.getvalue()


def chart_pngs(result: Figures, scope: str) -> list[tuple[str, bytes]]:
    """(file name, PNG) for each chart of the view that has something to draw."""
    figures = [plotting.figure(chart, large=True) for chart in every_chart(result, scope)]
    drawn = [figure for figure in figures if figure.data]
    names = file_names([plotting.plain_title(figure.layout.title.text) for figure in drawn])
    return [(name, png_bytes(figure)) for name, figure in zip(names, drawn)]


def file_names(titles: list[str]) -> list[str]:
    """Titles as file names every system accepts, kept apart when two come out the same."""
    names, seen = [], set()
    for title in titles:
        stem = UNSAFE.sub("", title).strip().strip(".")[:MOST_NAME].strip() or "图表"
        if RESERVED.match(stem):
            stem = f"{stem}_"
        name, copy = f"{stem}.png", 2
        while name.lower() in seen:
            name, copy = f"{stem}（{copy}）.png", copy + 1
        seen.add(name.lower())
        names.append(name)
    return names


def png_bytes(figure: go.Figure) -> bytes:
    return picture(figure, "png")


def svg_bytes(figure: go.Figure) -> bytes:
    """The same picture as SVG, every text where the PNG has it (kaleido's Chrome laid it out): to measure."""
    return picture(figure, "svg")


def picture(figure: go.Figure, kind: str) -> bytes:
    import kaleido

    with _lock:
        start_server()
        try:
            height = max(HEIGHT, figure.layout.height or 0)  # (a lying-down chart grows with its categories)
            return kaleido.calc_fig_sync(figure, opts={"format": kind, "width": WIDTH, "height": height,
                                                       "scale": SCALE})
        except Exception as exc:  # the browser died or refused: the next picture starts a new one
            stop_server()
            raise PictureError(f"生成图片失败（{type(exc).__name__}）") from exc


def start_server() -> None:
    """One kaleido server for the process. A Chrome is looked for first: kaleido started without one would
    leave every later call waiting forever for an answer."""
    global _started
    if _started:
        return
    if not browser():
        raise PictureError("生成图片需要 Chromium 浏览器（Debian/Ubuntu：apt-get install chromium fonts-noto-cjk）")
    import kaleido

    kaleido.start_sync_server(silence_warnings=True)
    _started = True


def stop_server() -> None:
    global _started
    import kaleido

    kaleido.stop_sync_server(silence_warnings=True)
    _started = False


def browser() -> str | None:
    """The Chrome kaleido will start (its own search: BROWSER_PATH, then the usual names and places)."""
    from choreographer.browsers.chromium import Chromium

    return Chromium.find_browser(skip_local=False)
