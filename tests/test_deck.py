"""The 汇报PPT: its chart data against sums computed here with pandas from the rows written to the workbooks
(not from our statistics), no personal names in any part of the file, fonts for Office and WPS, and the deck
rendered by LibreOffice: one page per slide, none blank.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu
from workbooks import write_workbook

from unionstats.charts import chart as chart_rules
from unionstats.contract.periods import parse_period
from unionstats.exports import plotting
from unionstats.exports.deck import deck_bytes, write_deck
from unionstats.figures.engine import figures
from unionstats.intake.loading import load_path
from unionstats.intake.model import Dataset
from unionstats.kinds import events as events_kind
from unionstats.kinds import visits as visits_kind
from unionstats.writing.chinese import yuan
from unionstats.writing.summary import write_summary

D = dt.date
NAMES = ("龚翠花", "司马懿然", "欧阳明月")  # 对象 (personal data): never in the deck
NOTE = "住院部三楼十二床"  # 备注, kept out of every export too
EAST, WEST = "城东中学工会", "西湖小学工会"
MEMBERS = {EAST: 50, WEST: 40}
EVENTS = {
    EAST: [(D(2025, 1, 20), "新春联欢会", "节日活动", 45, 3200), (D(2024, 5, 10), "春季健步走", "文体活动", 30, 900),
           (D(2025, 4, 8), "春季健步走", "文体活动", 40, 1200.5), (D(2025, 4, 22), "读书分享会", "学习培训", 18, 360),
           (D(2025, 5, 1), "劳动节游园", "节日活动", 48, 12800), (D(2025, 6, 18), "职工代表座谈", "民主管理", 20, 0),
           (D(2025, 6, 28), "红色基地参观", "参观旅游", 35, 8650.8)],
    WEST: [(D(2025, 4, 15), "教师羽毛球赛", "文体活动", 22, 1500), (D(2025, 5, 20), "端午包粽子", "节日活动", 38, 2460),
           (D(2025, 6, 5), "志愿植树", "志愿公益", 16, 0), (D(2025, 3, 8), "三八节插花", "节日活动", 36, 1800)],
}
VISITS = {
    EAST: [(D(2025, 4, 3), "生病住院", "在职职工", NAMES[0], 1, 500, NOTE),
           (D(2025, 5, 12), "节日慰问", "离退休人员", NAMES[1], 12, 3600, ""),
           (D(2025, 6, 9), "困难帮扶", "在职职工", NAMES[2], 2, 4000, "")],
    WEST: [(D(2025, 5, 28), "结婚", "在职职工", "", 1, 800, "")],
}
DONATIONS = {EAST: [(D(2025, 5, 19), "慈善一日捐", 15230, 0), (D(2025, 6, 1), "爱心图书捐赠", 0, 260)],
             WEST: [(D(2025, 4, 20), "结对助学", 3000, 40)]}
CONTESTS = {EAST: [(D(2025, 5, 9), "市职工篮球赛", "市级", "男子篮球", "团体", 10, "第二名", 1),
                   (D(2025, 6, 16), "省教职工书法比赛", "省级", "书法", "个人", 3, "一等奖", 2)],
            WEST: [(D(2025, 4, 25), "区教师演讲比赛", "区县级", "演讲", "个人", 2, "参与", None)]}
PERIOD = parse_period("2025Q2")
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample.xlsx"
SHOTS = Path(__file__).resolve().parent / "screenshots"
START, END = pd.Timestamp(2025, 4, 1), pd.Timestamp(2025, 6, 30)


def workbook(path: Path, unit: str) -> Path:
    return write_workbook(path, {
        "活动": [["日期", "活动名称", "类别", "参与人次", "支出"], *[list(r) for r in EVENTS[unit]]],
        "慰问": [["日期", "事由", "对象类别", "对象", "人次", "金额", "备注"], *[list(r) for r in VISITS[unit]]],
        "捐款": [["日期", "项目", "捐款金额", "物资件数"], *[list(r) for r in DONATIONS[unit]]],
        "比赛": [["日期", "赛事名称", "级别", "项目", "类型", "参赛人数", "名次", "获奖数"],
               *[list(r) for r in CONTESTS[unit]]],
        "单位信息": [["项目", "内容"], ["单位名称", unit], ["会员人数", MEMBERS[unit]]]})


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("deck")


@pytest.fixture(scope="module")
def both(folder) -> Dataset:
    datasets = [load_path(workbook(folder / f"{unit}.xlsx", unit)) for unit in (EAST, WEST)]
    assert all(d.report.ok for d in datasets), [d.report.issues for d in datasets]
    return Dataset.combine(datasets)


@pytest.fixture(scope="module")
def deck_file(folder, both) -> Path:
    path = folder / "汇报.pptx"
    write_deck(figures(both, PERIOD), "城区教育工会", path, today=D(2025, 7, 8))
    return path


@pytest.fixture(scope="module")
def deck(deck_file):
    return Presentation(deck_file)


# The rows, as pandas sees them: every expected figure below is computed from these, not by unionstats.figures.engine.

def rows(table: dict, columns: list[str], units=(EAST, WEST)) -> pd.DataFrame:
    frame = pd.DataFrame([(unit, *r) for unit in units for r in table[unit]], columns=["unit", *columns])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame[(frame["date"] >= START) & (frame["date"] <= END)]


def events(units=(EAST, WEST)) -> pd.DataFrame:
    return rows(EVENTS, ["date", "name", "category", "participants", "spending"], units)


def visits() -> pd.DataFrame:
    return rows(VISITS, ["date", "reason", "group", "person", "count", "amount", "note"])


def donations() -> pd.DataFrame:
    return rows(DONATIONS, ["date", "campaign", "cash", "goods"]).sort_values("date", kind="stable")


def contests() -> pd.DataFrame:
    return rows(CONTESTS, ["date", "name", "level", "event", "entry", "people", "result", "awards"])


def summed(frame: pd.DataFrame, by: str, column: str, order=None) -> dict:
    totals = frame.groupby(by, sort=False)[column].sum()
    keys = [k for k in order if k in totals.index] if order else list(totals.index)
    return {k: float(totals[k]) for k in keys}


def monthly(frame: pd.DataFrame, column: str) -> dict:
    totals = frame.groupby(frame["date"].dt.month)[column].sum()
    return {f"{month}月": float(total) for month, total in totals.items()}


# The deck, as python-pptx reads it back.

def slide_title(slide) -> str:
    return slide_texts(slide)[0]


def slide_texts(slide) -> list[str]:
    return [s.text_frame.text for s in slide.shapes if s.has_text_frame and s.text_frame.text]


def slide_charts(slide) -> list:
    return [s.chart for s in slide.shapes if s.has_chart]


def slide_of(deck, title_end: str):
    [slide] = [s for s in deck.slides if slide_title(s).endswith(title_end)]
    return slide


def plotted(chart) -> dict:
    """The chart's categories and values, back in 元 when its axis is in 万元."""
    scale = 10_000 if chart.value_axis.axis_title.text_frame.text == "万元" else 1
    series = chart.plots[0].series[0]
    return {str(c): round(v * scale, 2) for c, v in zip(chart.plots[0].categories, series.values)}


def close(actual: dict, expected: dict) -> bool:
    return list(actual) == list(expected) and all(abs(actual[k] - expected[k]) < 0.006 for k in expected)


def test_each_chart_holds_the_sums_of_the_rows(deck):
    e, v, c = events(), visits(), contests()
    expected = {
        "各类活动参与人次": summed(e, "category", "participants", events_kind.CATEGORIES),
        "各月参与人次": monthly(e, "participants"),
        "各类活动经费支出": {k: s for k, s in summed(e, "category", "spending", events_kind.CATEGORIES).items() if s},
        "各月活动经费支出": monthly(e, "spending"),
        "慰问人次（按事由）": summed(v, "reason", "count", visits_kind.REASONS),
        "慰问人次（按对象类别）": summed(v, "group", "count", visits_kind.GROUPS),
        "获奖数（按级别）": {k: a for k, a in summed(c[c["result"] != "参与"], "level", "awards").items() if a},
        "成绩分布（按名次/奖项）": summed(c.assign(n=c["awards"].where(c["result"] != "参与", 1)), "result", "n"),
    }
    for title, sums in expected.items():
        [chart] = slide_charts(slide_of(deck, f"2025年第二季度{title}"))
        shown = plotted(chart)
        if title.startswith(("获奖数", "成绩分布")):  # ranked by level and place: the sums are what is checked here
            assert sorted(shown.items()) == sorted(sums.items()), (title, shown, sums)
        else:
            assert close(shown, sums), (title, shown, sums)


def test_cash_and_goods_are_two_charts_in_the_order_of_the_first_donation(deck):
    d = donations()
    cash, goods = slide_charts(slide_of(deck, "各项目捐款与捐物"))
    order = list(dict.fromkeys(d["campaign"]))
    assert close(plotted(cash), summed(d, "campaign", "cash", order))
    assert close(plotted(goods), summed(d, "campaign", "goods", order))
    assert [c.chart_title.text_frame.text for c in (cash, goods)] == ["捐款（万元）", "物资（件）"]


def test_units_are_compared_when_the_view_holds_several(deck):
    e = events()
    participants = summed(e, "unit", "participants")
    ranked = dict(sorted(participants.items(), key=lambda kv: -kv[1]))
    [chart] = slide_charts(slide_of(deck, "各单位活动参与人次"))
    assert plotted(chart) == ranked
    counts = e.groupby("unit").size()
    rate = {u: round(participants[u] / (counts[u] * MEMBERS[u]) * 100, 1) for u in (EAST, WEST)}
    [chart] = slide_charts(slide_of(deck, "各单位平均参与率"))
    assert plotted(chart) == rate
    [chart] = slide_charts(slide_of(deck, "各单位人均活动经费"))
    spending = summed(e, "unit", "spending")
    assert close(plotted(chart), {u: round(spending[u] / MEMBERS[u], 2) for u in (EAST, WEST)})
    [table] = [s.table for s in slide_of(deck, "各单位比较").shapes if s.has_table]
    body = [[cell.text for cell in row.cells] for row in list(table.rows)[1:]]
    assert [row[0] for row in body] == list(ranked)
    assert body[0][2] == f"{int(ranked[EAST])}人次" and body[0][-1] == yuan(spending[EAST])


def test_one_unit_has_no_unit_slides(folder):
    east = load_path(folder / f"{EAST}.xlsx")
    titles = [slide_title(s) for s in Presentation(io.BytesIO(deck_bytes(figures(east, PERIOD), None))).slides]
    assert titles[0] == EAST, "the one unit names the deck"
    assert not [t for t in titles if "各单位" in t]
    assert len([t for t in titles if not t.startswith("工作要点")]) == 2 + 9 and titles[-1].startswith("工作要点")


def test_charts_are_native_editable_and_keep_the_dashboard_colours(deck, deck_file):
    with zipfile.ZipFile(deck_file) as package:
        assert not [n for n in package.namelist() if n.startswith("ppt/media/")], "no pictures"
    [chart] = slide_charts(slide_of(deck, "各类活动参与人次"))
    workbook = openpyxl.load_workbook(io.BytesIO(chart.part.chart_workbook.xlsx_part.blob))
    sheet = workbook.active
    assert {sheet.cell(r, 1).value: sheet.cell(r, 2).value for r in range(2, sheet.max_row + 1)} == plotted(chart), \
        "编辑数据 opens the same numbers"
    series = chart.plots[0].series[0]
    colours = [f"#{series.points[i].format.fill.fore_color.rgb}" for i in range(len(series.values))]
    assert colours == [events_kind.COLOURS.get(str(c), chart_rules.SHARED.get(str(c))) for c in chart.plots[0].categories]


def test_the_title_slide_and_the_key_figures(deck):
    title = slide_texts(deck.slides[0])
    assert title == ["城区教育工会", "2025年第二季度工作汇报", "2025年7月8日"]
    assert (deck.slide_width, deck.slide_height) == (Emu(12_191_695), Emu(6_858_000))
    assert abs(deck.slide_width / deck.slide_height - 16 / 9) < 0.001
    cards = slide_of(deck, "主要数据")
    texts = " ".join(slide_texts(cards))
    e = events()
    q1 = sum(r[3] for u in (EAST, WEST) for r in EVENTS[u] if D(2025, 1, 1) <= r[0] <= D(2025, 3, 31))
    now = int(e["participants"].sum())
    assert f"{now}人次" in texts and f"{len(e)}次" in texts
    assert f"环比 +{now - q1}（{round((now - q1) / q1 * 100, 1):g}%）" in texts
    # A year ago only 城东 reported: 同比 is 城东's own change, and says so.
    assert not any(D(2024, 4, 1) <= r[0] <= D(2024, 6, 30) for r in EVENTS[WEST])
    year_ago = sum(r[3] for r in EVENTS[EAST] if D(2024, 4, 1) <= r[0] <= D(2024, 6, 30))
    east_now = sum(r[3] for r in EVENTS[EAST] if D(2025, 4, 1) <= r[0] <= D(2025, 6, 30))
    assert (f"同比 +{east_now - year_ago}（{round((east_now - year_ago) / year_ago * 100, 1):g}%）\n"
            f"可比：本期{east_now}人次，去年同期{year_ago}人次") in texts
    assert yuan(float(e["spending"].sum())) in texts and "环比：与上季度相比；同比：与去年同期相比" in texts
    assert f"按可比口径，不含{WEST}（本期新报送）" in texts


def test_each_card_names_the_figure_it_is_compared_with(deck):
    texts = slide_texts(slide_of(deck, "主要数据"))
    q1 = sum(r[3] for u in (EAST, WEST) for r in EVENTS[u] if D(2025, 1, 1) <= r[0] <= D(2025, 3, 31))
    year_ago = sum(r[3] for r in EVENTS[EAST] if D(2024, 4, 1) <= r[0] <= D(2024, 6, 30))
    east_now = sum(r[3] for r in EVENTS[EAST] if D(2025, 4, 1) <= r[0] <= D(2025, 6, 30))
    [card] = [t for t in texts if t.startswith(events_kind.PARTICIPANTS.label)]
    assert card.splitlines()[2:] == [f"环比 +{int(events()['participants'].sum()) - q1}"
                                     f"（{round((int(events()['participants'].sum()) - q1) / q1 * 100, 1):g}%）",
                                     f"上季度：{q1}人次", card.splitlines()[4],
                                     f"可比：本期{east_now}人次，去年同期{year_ago}人次"]


def label_positions(chart) -> list[tuple[str, bool]]:
    """Each point's label position, and whether a manual layout moves it."""
    found = []
    for label in chart.plots[0].series[0]._element.findall(f"{qn('c:dLbls')}/{qn('c:dLbl')}"):
        found.append((label.find(qn("c:dLblPos")).get("val"), label.find(qn("c:layout")) is not None))
    return found


def test_a_line_labels_its_points_where_the_line_is_not(deck):
    [chart] = slide_charts(slide_of(deck, "各月活动经费支出"))
    values = list(chart.plots[0].series[0].values)
    expected = {"above": ("t", False), "below": ("b", False), "above left": ("l", True), "above right": ("r", True)}
    assert label_positions(chart) == [expected[side] for side in chart_rules.label_sides(values)]
    assert len(set(label_positions(chart))) >= 2


def number_formats(chart) -> list[str]:
    labels = chart.plots[0].series[0]._element.findall(f"{qn('c:dLbls')}/{qn('c:dLbl')}")
    return [label.find(qn("c:numFmt")).get("formatCode") for label in labels]


def test_labels_are_written_by_the_money_rule_and_a_zero_has_none(deck):
    spent = summed(events(), "category", "spending", events_kind.CATEGORIES)
    [chart] = slide_charts(slide_of(deck, "各类活动经费支出"))
    assert chart.value_axis.axis_title.text_frame.text == "万元"
    shown = {c: f for c, f in zip(chart.plots[0].categories, number_formats(chart))}
    assert shown["节日活动"] == '0.00"万元"' and yuan(spent["节日活动"]) == "1.53万元"
    assert shown["学习培训"] == '0.00"万元"' and spent["学习培训"] == 360  # 0.04万元, as the axis reads
    d = donations()
    cash, goods = slide_charts(slide_of(deck, "各项目捐款与捐物"))
    for chart, column in ((cash, "cash"), (goods, "goods")):
        sums = summed(d, "campaign", column, list(dict.fromkeys(d["campaign"])))
        assert [f == '""' for f in number_formats(chart)] == [v == 0 for v in sums.values()], column
    assert slide_texts(slide_of(deck, "各项目捐款与捐物"))[1] == \
        f"合计捐款{yuan(float(d['cash'].sum()))}、物资{int(d['goods'].sum())}件"


def excel_label(number_format: str, value: float) -> str:
    """What PowerPoint shows for `value` under a data label's format: "" (none), a "literal", or 0.00"unit"."""
    literal = re.fullmatch(r'"(.*)"', number_format)
    if literal:
        return literal.group(1)
    digits, unit = re.fullmatch(r'(0(?:\.0+)?)"(.*)"', number_format).groups()
    places = len(digits.partition(".")[2])
    return f"{Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)}{unit}"


def test_the_decks_labels_are_the_dashboards_for_the_same_figures(deck, both):
    result = figures(both, PERIOD)
    built = [plotting.figure(chart) for chart in chart_rules.every_chart(result)]
    dashboard = {plotting.plain_title(figure.layout.title.text): figure for figure in built}
    compared = 0
    for slide in deck.slides:
        figure = dashboard.get(slide_title(slide))
        if figure is None:
            continue
        for chart, trace in zip(slide_charts(slide), figure.data, strict=True):
            unit = plotting.unit_of(trace)
            values = chart.plots[0].series[0].values
            shown = [excel_label(f, v) for f, v in zip(number_formats(chart), values)]
            counted = unit not in ("元", "万元", "%")  # a count's label names its unit on a slide: 2046人次
            assert shown == [f"{t}{unit}" if counted and t and not t.endswith(unit) else t for t in trace.text], \
                slide_title(slide)
            assert chart.value_axis.axis_title.text_frame.text == unit
            compared += 1
    assert compared == 13, "every chart of both units' view (捐款 and 物资 side by side)"
    spent = summed(events(), "category", "spending", events_kind.CATEGORIES)
    assert max(spent.values()) >= 10_000 > spent["学习培训"] == 360
    [chart] = slide_charts(slide_of(deck, "各类活动经费支出"))
    shown = dict(zip(chart.plots[0].categories, (excel_label(f, v) for f, v in zip(number_formats(chart),
                                                                                      chart.plots[0].series[0].values))))
    assert shown["学习培训"] == "0.04万元" and shown["节日活动"] == "1.53万元", "one unit for the whole chart"


def test_each_chart_slide_says_how_the_chart_is_counted_in_its_notes(deck, both):
    result = figures(both, PERIOD)
    for chart in chart_rules.every_chart(result):
        slide = slide_of(deck, chart.title)
        assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text == chart.help != ""
    rate = slide_of(deck, "各单位平均参与率").notes_slide.notes_text_frame.text
    assert "参与人次 ÷（活动次数 × 会员人数）" in rate


def test_a_line_of_empty_months_has_no_zero_labels_and_no_highest_among_zeros(tmp_path):
    from builders import dataset

    data = dataset(events=[dict(date=D(2025, 5, 1), name="健步走", category="文体活动", participants=30, spending=0.0)])
    deck = Presentation(io.BytesIO(deck_bytes(figures(data, parse_period("2025")), "甲工会")))
    slide = slide_of(deck, "各月参与人次")
    [chart] = slide_charts(slide)
    assert list(chart.plots[0].categories) == [f"{m}月" for m in range(1, 13)]
    assert list(chart.plots[0].series[0].values) == [30 if m == 5 else 0 for m in range(1, 13)]
    assert [f == '""' for f in number_formats(chart)] == [m != 5 for m in range(1, 13)]
    assert slide_texts(slide)[1] == "参与人次合计30人次，全部在5月", "one month of twelve: no 最高 of one"
    spending = slide_of(deck, "各月活动经费支出")
    assert "最高" not in " ".join(slide_texts(spending)), "no month is the highest of twelve without spending"


def test_value_axis_titles_are_written_across(deck):
    for slide in deck.slides:
        for chart in slide_charts(slide):
            body = chart.value_axis.axis_title.text_frame._txBody.find(qn("a:bodyPr"))
            assert (body.get("rot"), body.get("vert")) == ("0", "horz"), slide_title(slide)


def point_slides(deck) -> list:
    return [s for s in deck.slides if slide_title(s).startswith("工作要点")]


def points_text(deck) -> str:
    """The text of the 工作要点 slides below their title and the summary's title under it."""
    return "\n".join(t for s in point_slides(deck) for t in slide_texts(s)[2:])


def test_the_points_carry_each_sections_figures_computed_from_the_rows(deck):
    text = points_text(deck)
    e, v, d, c = events(), visits(), donations(), contests()
    q1 = sum(r[3] for u in (EAST, WEST) for r in EVENTS[u] if D(2025, 1, 1) <= r[0] <= D(2025, 3, 31))
    now = int(e["participants"].sum())
    assert f"组织开展各类活动{len(e)}次，参与职工{now}人次，较上季度增长{round((now - q1) / q1 * 100, 1):g}%" in text
    assert f"看望慰问{int(v['count'].sum())}人次" in text
    assert f"共捐款{yuan(float(d['cash'].sum()))}、捐赠物资{int(d['goods'].sum())}件" in text
    won = c[c["result"] != "参与"]
    assert f"参加各类比赛{c['name'].nunique()}项，获得各类奖项{int(won['awards'].sum())}个" in text
    assert f"活动经费支出{yuan(float(e['spending'].sum()))}" in text
    assert f"共有{e['unit'].nunique()}个单位报送了数据" in text, "several units: 各单位工作情况 stays"


def test_the_points_keep_the_summarys_headings_in_order_and_its_whole_text_in_the_notes(deck, both):
    summary = write_summary(figures(both, PERIOD), "城区教育工会")
    slides = point_slides(deck)
    headings = [line for s in slides for t in slide_texts(s)[2:] for line in t.splitlines()
                if line[:2].rstrip("、") in "一二三四五六七八九十"]
    assert headings == [f"{'一二三四五六七八九十'[i]}、{s.heading}" for i, s in enumerate(summary.sections)]
    for slide in slides:
        assert slide.notes_slide.notes_text_frame.text.strip() == summary.text().strip()


def test_a_view_of_one_unit_leaves_the_units_section_off_the_points(folder):
    east = load_path(folder / f"{EAST}.xlsx")
    result = figures(east, PERIOD)
    summary = write_summary(result, EAST, due_units=[EAST, "南山小学工会"])
    assert "各单位工作情况" in [s.heading for s in summary.sections], "a unit due to report sent nothing"
    deck = Presentation(io.BytesIO(deck_bytes(result, EAST, summary)))
    text = points_text(deck)
    e = events(units=(EAST,))
    assert f"组织开展各类活动{len(e)}次，参与职工{int(e['participants'].sum())}人次" in text
    assert "各单位工作情况" not in text and "南山小学工会" not in text
    assert "五、" in text and "七、" not in text, "the points are numbered without a gap"


def test_points_that_do_not_fit_one_slide_continue_at_a_readable_size():
    from unionstats.exports.deck.point_slides import summary_slides
    from unionstats.exports.deck.shapes import new_deck
    from unionstats.writing.summary import Section, Summary

    sentence = "本季度共组织开展各类活动{}次，参与职工{}人次，较上季度增长12.3%，比去年同期增长4.5%。"
    sections = [Section(f"第{i}方面的工作，做好第{i}方面的服务",
                        [sentence.format(i, 100 + i), f"其中第{i}项最多，为{i}人次。"]) for i in range(1, 10)]
    summary = Summary("某工会2025年第二季度工作总结", "开头。", sections)
    deck = new_deck()
    summary_slides(deck, summary, "某工会", one_unit=True)
    titles = [slide_title(s) for s in deck.slides]
    assert titles[0] == "工作要点" and len(titles) >= 2 and set(titles[1:]) == {"工作要点（续）"}
    text = "\n".join(t for s in deck.slides for t in slide_texts(s)[2:])
    for i in range(1, 10):
        assert text.count(sentence.format(i, 100 + i)) == 1 and f"其中第{i}项最多，为{i}人次。" in text
    bodies = [next(shape.text_frame for shape in s.shapes if shape.has_text_frame and "第" in shape.text_frame.text
                   and "工作总结" not in shape.text_frame.text) for s in deck.slides]
    sizes = [run.font.size.pt for body in bodies for p in body.paragraphs for run in p.runs]
    assert sizes and min(sizes) >= 16
    rows = [len(body.paragraphs) for body in bodies]
    assert max(rows) - min(rows) <= 3, f"the pages are about as full: {rows}"


def package_texts(data: bytes) -> dict[str, str]:
    """Every XML (and other text) part of an OOXML package, the workbooks embedded for the charts included."""
    found = {}
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            body = package.read(name)
            if name.endswith((".xlsx", ".xlsm")):
                found.update({f"{name}!{k}": v for k, v in package_texts(body).items()})
            elif not name.endswith((".jpeg", ".png", ".bin")):
                found[name] = body.decode("utf-8")
    return found


def test_no_name_from_the_person_column_anywhere_in_the_file(deck_file, both):
    assert set(NAMES) <= set(both.frame("visits")["person"]), "the names were read, and left out by the figures"
    parts = package_texts(deck_file.read_bytes())
    assert any(name.startswith("ppt/embeddings/") for name in parts), "the charts' workbooks were searched too"
    assert any(EAST in text for text in parts.values()), "the search finds what is there"
    for text in (*NAMES, NOTE):
        assert not [name for name, body in parts.items() if text in body], text


def test_every_run_names_an_east_asian_font(deck_file):
    parts = package_texts(deck_file.read_bytes())
    slides = {n: t for n, t in parts.items() if re.match(r"ppt/(slides|notesSlides|charts)/[a-zA-Z]+\d+\.xml$", n)}
    runs = [run for body in slides.values() for run in re.findall(r"<a:r>.*?</a:r>", body)]
    assert runs
    assert all('<a:ea typeface="微软雅黑"' in run and 'charset="-122"' in run for run in runs)
    assert 'lang="zh-CN"' in runs[0]
    theme = parts["ppt/theme/theme1.xml"]
    assert '<a:ea typeface="微软雅黑"/>' in theme and '<a:font script="Hans" typeface="微软雅黑"/>' in theme


def test_an_empty_period_still_makes_a_deck(folder):
    east = load_path(folder / f"{EAST}.xlsx")
    deck = Presentation(io.BytesIO(deck_bytes(figures(east, parse_period("2019")), EAST)))
    assert [slide_title(s) for s in deck.slides] == [EAST, "主要数据", "工作要点"]


def test_spreadsheet_text_with_control_characters_is_written(tmp_path):
    from builders import dataset

    data = dataset(events=[dict(date=D(2025, 5, 1), name="活\x01动", category="文体活动", participants=3,
                                spending=10.0, unit="甲\x02单位")], members={"甲\x02单位": 10})
    deck = Presentation(io.BytesIO(deck_bytes(figures(data, PERIOD), None)))
    assert slide_title(deck.slides[0]) == "甲单位"


# Rendering: LibreOffice turns the deck into a PDF, one page per slide, none blank.

def require_soffice() -> None:
    missing = [what for what, ok in (("LibreOffice (apt-get install libreoffice-impress-nogui)", office()),
                                     ("pdftoppm (apt-get install poppler-utils)", shutil.which("pdftoppm")))
               if not ok]
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {', '.join(missing)} missing: .ci/run must install it")
        pytest.skip(f"rendering needs {', '.join(missing)}")


def office() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def render(deck: Path, folder: Path) -> Path:
    """The deck as a PDF, converted in a profile of its own (two LibreOffices cannot share one)."""
    profile = folder / "profile"
    subprocess.run([office(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), str(deck)], check=True, capture_output=True, timeout=180)
    return folder / f"{deck.stem}.pdf"


def ink(path: Path) -> float:
    """The share of a slide's body (below the heading, above the footer) that is not white."""
    from PIL import Image

    image = Image.open(path).convert("L")
    width, height = image.size
    body = image.crop((0, int(height * 0.25), width, int(height * 0.9)))
    return sum(body.histogram()[:200]) / (body.width * body.height)


@pytest.fixture(scope="module")
def rendered(deck_file, folder) -> Path:
    require_soffice()
    return render(deck_file, folder / "rendered")


def test_the_rendered_deck_has_a_page_per_slide_and_none_blank(rendered, deck, folder):
    info = subprocess.run(["pdfinfo", str(rendered)], capture_output=True, text=True, check=True).stdout
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) == len(deck.slides)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(rendered), str(folder / "page")], check=True)
    pages = sorted(folder.glob("page-*.png"))
    assert len(pages) == len(deck.slides)
    blank = {page.name: round(ink(page), 4) for page in pages if ink(page) < 0.002}  # a line chart inks about 1%
    assert not blank, blank


@pytest.fixture(scope="module")
def sample_rendered(folder) -> tuple[Path, Path]:
    """The deck of the sample's 2025 second quarter (one unit, every kind, six sections) and its PDF."""
    require_soffice()
    path = folder / "示例.pptx"
    write_deck(figures(load_path(SAMPLE), parse_period("2025Q2")), None, path, today=D(2025, 7, 8))
    return path, render(path, folder / "sample")


def test_the_rendered_points_stay_on_their_slides_and_are_kept_to_look_at(rendered, deck_file, sample_rendered):
    import pdfplumber
    from rendering import to_png

    SHOTS.mkdir(exist_ok=True)
    for name, (path, pdf) in {"工作要点": sample_rendered, "工作要点-各单位": (deck_file, rendered)}.items():
        numbers = [n for n, s in enumerate(Presentation(path).slides) if slide_title(s).startswith("工作要点")]
        with pdfplumber.open(pdf) as document:
            for n in numbers:
                page = document.pages[n]
                body = [c for c in page.chars if c["size"] > 13 and c["top"] > page.height * 0.3]  # not the footer
                assert body, n
                bottom = max(c["bottom"] for c in body)
                assert bottom <= page.height * (6.75 / 7.5), f"slide {n + 1} runs into its footer"
                assert max(c["x1"] for c in body) <= page.width * (1 - 0.6 / 13.333) + 1, f"slide {n + 1} is too wide"
        shots = [to_png(pdf, n + 1, SHOTS / f"{name}-{i}") for i, n in enumerate(numbers, 1)]
        assert all(shot.stat().st_size > 10_000 for shot in shots)


def test_the_rendered_text_is_chinese_in_a_cjk_font(rendered):
    fonts = subprocess.run(["pdffonts", str(rendered)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"NotoSansCJK|NotoSerifCJK|WenQuanYi|Droid", fonts), fonts
    text = subprocess.run(["pdftotext", "-layout", str(rendered), "-"], capture_output=True, text=True,
                          check=True).stdout
    squeezed = re.sub(r"\s+", "", text)  # LibreOffice spaces Chinese from Latin text
    spending = summed(events(), "category", "spending", events_kind.CATEGORIES)
    assert "主要数据" in squeezed and "城区教育工会" in squeezed
    assert yuan(spending["节日活动"]) in squeezed, "a data label as the money rule writes it"


def test_the_command_line_writes_the_deck_with_paths_before_and_after_the_options(folder, capsys):
    from unionstats.cli.main import main

    out = folder / "命令行.pptx"
    files = [str(folder / f"{unit}.xlsx") for unit in (EAST, WEST)]
    assert main(["deck", files[0], "--period", "2025Q2", files[1], "--unit-name", "城区教育工会", str(out)]) == 0
    assert "已生成汇报PPT" in capsys.readouterr().out
    deck = Presentation(out)
    assert slide_texts(deck.slides[0])[:2] == ["城区教育工会", "2025年第二季度工作汇报"]
    assert [s for s in deck.slides if slide_title(s) == "各单位比较"], "both files were read"
    notes = point_slides(deck)[0].notes_slide.notes_text_frame.text
    assert notes.startswith("城区教育工会2025年第二季度工作总结")


def test_the_command_line_wants_a_pptx_last(folder, capsys):
    from unionstats.cli.main import main

    assert main(["deck", str(folder / f"{EAST}.xlsx"), "--period", "2025Q2", str(folder / "汇报.ppt")]) == 2
    assert ".pptx" in capsys.readouterr().err


def every_text(deck) -> str:
    """Every slide's text and its notes."""
    return "\n".join([*(t for s in deck.slides for t in slide_texts(s)),
                      *(s.notes_slide.notes_text_frame.text for s in deck.slides if s.has_notes_slide)])


def test_a_card_the_view_cannot_give_is_left_out_never_unknown():
    from builders import dataset

    held = [(D(2025, 4, 9), "春季健步走", 41, 600.0), (D(2025, 5, 30), "端午包粽子", 27, 980.0)]
    data = dataset(events=[dict(date=day, name=name, category="文体活动", participants=people, spending=spent)
                           for day, name, people, spent in held])  # no 单位信息: no member counts
    deck = Presentation(io.BytesIO(deck_bytes(figures(data, PERIOD), "甲工会")))
    cards = "\n".join(slide_texts(slide_of(deck, "主要数据")))
    assert f"{len(held)}次" in cards and f"{sum(p for _, _, p, _ in held)}人次" in cards
    assert events_kind.RATE.label not in cards, "平均参与率 needs member counts"
    assert "未知" not in every_text(deck)
