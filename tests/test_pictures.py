"""Every chart as a PNG: the files, their size, one kaleido server for them all, and Chinese titles drawn in a
CJK font (compared with the same title drawn here by Pillow in Noto Sans CJK, and in a font without Chinese,
which draws the missing-glyph boxes)."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from conftest import ROOT
from unionstats.charts import chart as chart_rules
from unionstats.contract.periods import parse_period
from unionstats.exports import pictures, plotting
from unionstats.figures.engine import figures
from unionstats.intake.loading import load_path
from unionstats.kinds import visits as visits_kind

SAMPLE = load_path(ROOT / "data" / "sample.xlsx")
RESULT = figures(SAMPLE, parse_period("2025"))
SCOPE = "江城市农业科学研究所工会"
NO_CJK = "DejaVu Sans"


def font_file(family: str) -> tuple[str, int] | None:
    """fontconfig's file and face index for a family, when it has that family itself."""
    try:
        found = subprocess.run(["fc-match", "-f", "%{family}|%{file}|%{index}", family], capture_output=True,
                               text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    families, path, index = (found.split("|") + ["", "", ""])[:3]
    return (path, int(index or 0)) if family in families.split(",") else None


def require_pictures() -> None:
    missing = [what for what, ok in (("chromium (apt-get install chromium)", pictures.browser()),
                                     ("fonts-noto-cjk (apt-get install fonts-noto-cjk)", font_file("Noto Sans CJK SC")))
               if not ok]
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {', '.join(missing)} missing: .ci/run must install it")
        pytest.skip(f"PNG export needs {', '.join(missing)}")


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> list[Path]:
    require_pictures()
    return pictures.write_pngs(RESULT, SCOPE, tmp_path_factory.mktemp("pngs"))


def test_every_chart_with_data_is_a_png_named_after_its_title(written):
    titles = [chart.title for chart in chart_rules.every_chart(RESULT, SCOPE)]
    assert [p.stem for p in written] == [t.replace("/", "") for t in titles]
    assert len(written) == 11 and "江城市农业科学研究所工会 2025年各类活动参与人次" in [p.stem for p in written]
    assert "江城市农业科学研究所工会 2025年1—12月各科目预算与实际支出" in [p.stem for p in written]  # the sample's budget
    for path in written:
        with Image.open(path) as image:
            assert image.format == "PNG" and image.width >= 1800 and image.height >= 1000, path.name


def ink_box(image: Image.Image, threshold: int = 160) -> Image.Image:
    grey = np.array(image.convert("L"))
    ys, xs = np.where(grey < threshold)
    return image.convert("L").crop((xs.min(), ys.min(), xs.max() + 1, ys.max() + 1))


def drawn(text: str, family: str, size: int) -> Image.Image:
    path, index = font_file(family)
    font = ImageFont.truetype(path, size, index=index)
    canvas = Image.new("L", (size * len(text) + 40, size * 2), 255)
    ImageDraw.Draw(canvas).text((20, size // 3), text, font=font, fill=0)
    return ink_box(canvas)


def likeness(a: Image.Image, b: Image.Image) -> float:
    """How alike two lines of text look: the correlation of their ink, stretched to one size and blurred."""
    size = (700, 28)
    x, y = (np.array(i.resize(size).filter(ImageFilter.GaussianBlur(2)), float).ravel() for i in (a, b))
    return float(np.corrcoef(x, y)[0, 1])


def test_the_titles_are_chinese_characters_not_missing_glyph_boxes(written):
    figure = plotting.figure(chart_rules.every_chart(RESULT, SCOPE)[0], large=True)
    with Image.open(written[0]) as image:
        above_note = figure.layout.margin.t - round(figure.layout.font.size * plotting.NOTE_ROOM)
        title = ink_box(image.crop((0, 0, image.width, int(above_note * pictures.SCALE))))
    text, size = plotting.plain_title(figure.layout.title.text), round(figure.layout.title.font.size * pictures.SCALE)
    good, boxes = drawn(text, "Noto Sans CJK SC", size), drawn(text, NO_CJK, size)
    assert likeness(good, boxes) < 0.3, "the two references differ: boxes would be told apart"
    assert likeness(title, good) > 0.8, likeness(title, good)
    assert likeness(title, boxes) < 0.3
    assert abs(title.width - good.width) < 0.1 * good.width, "as wide as the title set in Noto Sans CJK"


def test_one_kaleido_server_draws_every_picture_in_well_under_a_second(written, monkeypatch, tmp_path):
    import kaleido

    started = []
    monkeypatch.setattr(kaleido, "start_sync_server", lambda *a, **k: started.append(1))  # (it runs already)
    monkeypatch.setattr(pictures, "_started", False)
    begun = time.perf_counter()
    again = pictures.write_pngs(RESULT, SCOPE, tmp_path)
    per_image = (time.perf_counter() - begun) / len(again)
    assert started == [1], "one server for all the pictures"
    assert per_image < 1.5, f"{per_image:.2f} s per picture: a browser started for each?"


def test_the_zip_holds_the_same_pictures(written):
    with zipfile.ZipFile(io.BytesIO(pictures.pngs_zip_bytes(RESULT, SCOPE))) as archive:
        assert archive.namelist() == [p.name for p in written]
        for name in archive.namelist():
            with Image.open(io.BytesIO(archive.read(name))) as image:
                assert image.width >= 1800


def test_a_period_without_data_draws_nothing(tmp_path):
    assert pictures.write_pngs(figures(SAMPLE, parse_period("2019")), SCOPE, tmp_path) == []


def test_the_pictures_draw_every_month_and_one_money_unit_per_chart(monkeypatch, tmp_path):
    """A 2008 with activities in three months only and money either side of 10,000, as the rows below give it."""
    from builders import dataset

    rows = [(dt.date(2008, 6, 12), "其他", 0, 3200), (dt.date(2008, 8, 20), "参观旅游", 35, 18750),
            (dt.date(2008, 10, 7), "节日活动", 18, 900), (dt.date(2008, 10, 21), "民主管理", 40, 30)]
    data = dataset(events=[dict(date=day, name=f"活动{i}", category=category, participants=people, spending=amount)
                           for i, (day, category, people, amount) in enumerate(rows)])
    drawn = {}
    monkeypatch.setattr(pictures, "png_bytes",
                        lambda figure: drawn.setdefault(plotting.plain_title(figure.layout.title.text), figure) and b"")
    pictures.write_pngs(figures(data, parse_period("2008")), "某研究所", tmp_path)
    line = drawn["某研究所 2008年各月参与人次"].data[0]
    assert list(line.x) == [f"2008年{m}月" for m in range(1, 13)]
    assert list(line.y) == [sum(r[2] for r in rows if r[0].month == m) for m in range(1, 13)]
    money = drawn["某研究所 2008年各类活动经费支出"]
    spent = {r[1]: r[3] for r in rows}
    assert max(spent.values()) >= 10_000 > min(spent.values())
    assert sorted(money.data[0].text) == sorted(["1.88万元", "0.32万元", "0.09万元", "<0.01万元"])
    assert [n.text for n in money.layout.annotations] == ["单位：万元"]
    spending = drawn["某研究所 2008年各月活动经费支出"].data[0]
    assert list(spending.text) == ["", "", "", "", "", "0.32万元", "", "1.88万元", "", "0.09万元", "", ""]


LABEL_VIEWS = ("2024", "2025", "2025Q1", "2025Q3", "2008-01-01..2025-12-31")  # a year of months in 万元, a
# quarter's in 元 and 216 months from 2008 (the sample's 24 among empty ones)


@pytest.fixture(scope="module")
def measuring_page():
    """A chromium page to lay a picture's SVG out in and measure its texts where kaleido put them."""
    from test_browser import CHROMIUM, FLAGS, require_browser

    require_pictures()
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser.new_page()
        browser.close()


@pytest.mark.parametrize("view", LABEL_VIEWS)
def test_no_label_in_a_picture_overlaps_another_or_leaves_it(measuring_page, view):
    """Each picture as kaleido draws it (its SVG, the same layout as the PNG's), every text measured in chromium:
    data labels, names, ticks, legend, unit and title."""
    from test_browser_labels import MEASURE, problems

    found = []
    for chart in chart_rules.every_chart(figures(SAMPLE, parse_period(view)), SCOPE):
        figure = plotting.figure(chart, large=True)
        if not figure.data:
            continue
        svg = pictures.svg_bytes(figure).decode()
        measuring_page.set_content(f'<body style="margin:0"><div style="display:inline-block">{svg}</div></body>')
        found += problems(measuring_page.locator("div").first.evaluate(MEASURE))
    assert not found, "\n".join(found)


def test_file_names_are_safe_on_every_system_and_kept_apart():
    assert pictures.file_names(['甲/乙:丙*?"<>|工会 2025年', "CON", "", "  ...", "同名", "同名", "同名"]) == [
        "甲乙丙工会 2025年.png", "CON_.png", "图表.png", "图表（2）.png", "同名.png", "同名（2）.png", "同名（3）.png"]
    assert len(pictures.file_names(["长" * 300])[0]) == pictures.MOST_NAME + len(".png")


def test_without_a_browser_the_message_says_what_to_install(monkeypatch):
    monkeypatch.setattr(pictures, "_started", False)
    monkeypatch.setattr(pictures, "browser", lambda: None)
    with pytest.raises(pictures.PictureError, match="chromium"):
        pictures.png_bytes(plotting.figure(visits_kind.visits_by_reason(RESULT, SCOPE), large=True))


def test_the_command_line_saves_every_chart(written, tmp_path, capsys):
    from unionstats.cli.main import main

    assert main(["charts", str(ROOT / "data" / "sample.xlsx"), "--period", "2025", "--png", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.glob("*.png")) == sorted(p.name for p in written)
    assert f"已保存 {len(written)} 张图表" in capsys.readouterr().out
