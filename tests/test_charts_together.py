"""Series drawn together: one unit and one value axis for all of them (预算 beside 实际支出), a legend naming them,
and a reference level (全年预算) drawn as a dashed line labelled once. Every expected figure below is written
from the literal numbers of the charts built here."""

from __future__ import annotations

import io

import pytest
import rendering
from PIL import Image
from pptx import Presentation
from pptx.chart.plot import LinePlot
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.oxml.ns import qn

from unionstats.charts.chart import BAR, LINE, Chart, Series, month_axis
from unionstats.exports import pictures, plotting
from unionstats.exports.deck.chart_slides import chart_slide
from unionstats.exports.deck.shapes import new_deck

SUBJECTS = ("职工教育", "文体活动", "困难帮扶", "维权")
BUDGET = (125000, 30000, 8000, 6000)
SPENT = (98000, 31200, 4000, 0)
MONTHS = [f"2024-{m:02d}" for m in range(1, 13)]
CUMULATIVE = (3000, 5500, 9500, 13000, 18000, 20000, 24500, 27500, 33500, 37500, 41000, 45000)
YEAR_BUDGET = 120000


def budget_bars(horizontal: bool = False) -> Chart:
    return Chart("工会 2024年各科目预算与实际支出", SUBJECTS,
                 (Series(BUDGET, "元", "预算", ("#2E86C1",)), Series(SPENT, "元", "实际支出", ("#C0392B",))),
                 BAR, horizontal, help="预算：年初预算表；实际支出：各科目支出之和", together=True)


def spending_lines() -> Chart:
    labels, ticks = month_axis(MONTHS)
    return Chart("工会 2024年累计支出与全年预算", labels,
                 (Series(CUMULATIVE, "元", "累计支出", ("#C0392B",)),
                  Series((YEAR_BUDGET,) * 12, "元", "全年预算", ("#7F8C8D",), reference=True)),
                 LINE, help="累计支出：年初至当月的支出之和", ticks=ticks, together=True)


def test_series_drawn_together_share_one_money_unit_set_by_the_largest_value_of_any():
    [(budget_unit, budget), (spent_unit, spent)] = budget_bars().shown()
    assert budget_unit == spent_unit == "万元"
    assert budget == (12.5, 3, 0.8, 0.6) and spent == (9.8, 3.12, 0.4, 0)
    [(_, cumulative), (_, level)] = spending_lines().shown()
    assert cumulative[:3] == (0.3, 0.55, 0.95), "below 10,000 but beside 12万元: in 万元 too"
    assert level == (12,) * 12


def test_money_drawn_together_stays_in_yuan_when_nothing_reaches_ten_thousand():
    chart = Chart("小额", ("甲", "乙"), (Series((8000, 9999), "元", "预算"), Series((500, 0), "元", "实际支出")),
                  together=True)
    assert chart.shown() == (("元", (8000, 9999)), ("元", (500, 0)))


def test_series_side_by_side_keep_each_its_own_unit():
    chart = Chart("捐款与物资", ("甲",), (Series((125000,), "元", "捐款"), Series((8000,), "元", "另一笔")))
    assert chart.shown() == (("万元", (12.5,)), ("元", (8000,)))


def test_series_of_different_units_cannot_be_drawn_together():
    with pytest.raises(ValueError, match="one unit"):
        Chart("捐款与物资", ("甲",), (Series((1,), "元", "捐款"), Series((2,), "件", "物资")), together=True)


def test_months_of_one_year_tick_by_month_and_of_two_years_by_their_labels():
    assert month_axis(["2024-11", "2024-12"]) == (("2024年11月", "2024年12月"), ("11月", "12月"))
    assert month_axis(["2024-12", "2025-01"]) == (("2024年12月", "2025年1月"), ())
    assert month_axis([]) == ((), ())


# The dashboard's and the PNGs' plotly figures.

def test_budget_bars_are_grouped_on_one_value_axis_labelled_in_one_unit():
    figure = plotting.figure(budget_bars(), large=True)  # (standing: their names and labels fit in 演示模式)
    budget, spent = figure.data
    assert len(figure.data) == 2 and figure.layout.barmode == "group"
    assert {trace.yaxis for trace in figure.data} == {None} and "yaxis2" not in figure.to_dict()["layout"]
    assert budget.offsetgroup != spent.offsetgroup, "side by side, not stacked"
    assert [budget.name, spent.name] == ["预算", "实际支出"]
    assert list(budget.x) == list(spent.x) == list(SUBJECTS)
    assert list(budget.y) == [12.5, 3, 0.8, 0.6] and list(spent.y) == [9.8, 3.12, 0.4, 0]
    assert list(budget.text) == ["12.5万元", "3万元", "0.8万元", "0.6万元"]
    assert list(spent.text) == ["9.8万元", "3.12万元", "0.4万元", ""], "no label on a bar that is not there"
    assert (budget.marker.color, spent.marker.color) == ("#2E86C1", "#C0392B")
    assert [n.text for n in figure.layout.annotations if n.name == plotting.UNIT_NOTE] == ["单位：万元"]
    assert figure.layout.showlegend and figure.layout.legend.orientation == "h" and figure.layout.legend.y == 1
    axis = figure.layout.yaxis.range
    assert axis[0] == 0 and 12.5 * 1.15 <= axis[1] < 12.5 * 1.5
    assert list(budget.customdata) == ["12.5万元", "3万元", "0.8万元", "0.6万元"] and "预算" in budget.hovertemplate


def test_budget_bars_lying_down_keep_one_axis_along_the_foot():
    assert plotting.figure(budget_bars()).data[0].orientation == "h", "a half-width chart has no room for 12.5万元"
    figure = plotting.figure(budget_bars(horizontal=True), large=True)
    budget, spent = figure.data
    assert budget.orientation == spent.orientation == "h"
    assert list(budget.y) == list(SUBJECTS) and list(spent.x) == [9.8, 3.12, 0.4, 0]
    assert figure.layout.xaxis.title.text == "单位：万元" and figure.layout.xaxis.range[1] >= 12.5 * 1.15
    assert figure.layout.yaxis.autorange == "reversed"


def test_the_spending_line_and_the_budget_level_share_one_axis_and_the_level_is_dashed_and_labelled_once():
    figure = plotting.figure(spending_lines())
    spent, level = figure.data
    assert len(figure.data) == 2 and {trace.yaxis for trace in figure.data} == {None}
    assert [spent.name, level.name] == ["累计支出", "全年预算"]
    assert list(spent.y) == [v / 10_000 for v in CUMULATIVE] and list(level.y) == [12] * 12
    every = ["0.3万元", "0.55万元", "0.95万元", "1.3万元", "1.8万元", "2万元", "2.45万元", "2.75万元", "3.35万元",
             "3.75万元", "4.1万元", "4.5万元"]
    assert all(text in ("", label) for text, label in zip(spent.text, every)) and spent.text[-1] == "4.5万元"
    assert 3 <= sum(1 for text in spent.text if text) < 12, "where they are dense, only those that fit"
    assert spent.mode == "lines+markers+text" and len(set(spent.textposition)) >= 2
    assert level.line.dash == "dash" and "markers" not in level.mode
    assert list(level.text) == ["12万元"] + [""] * 11, "once, at its start, where the spending is lowest"
    assert figure.layout.showlegend
    assert list(figure.layout.xaxis.ticktext) == [f"{m}月" for m in range(1, 13, 2)]
    assert list(figure.layout.xaxis.tickvals) == [f"2024年{m}月" for m in range(1, 13, 2)]
    axis = figure.layout.yaxis.range
    assert axis[0] == 0 and axis[1] >= 12 * 1.15, "room above the level's label"
    assert [n.text for n in figure.layout.annotations if n.name == plotting.UNIT_NOTE] == ["单位：万元"]


def test_a_chart_not_drawn_together_is_drawn_as_before():
    donations = Chart("捐款与物资", ("甲", "乙"), (Series((125000, 0), "元", "捐款", ("#C0392B",)),
                                                  Series((0, 40), "件", "物资", ("#2E86C1",))))
    cash, goods = plotting.figure(donations).data
    assert (cash.yaxis, goods.yaxis) == ("y", "y2") and (cash.name, goods.name) == ("捐款（万元）", "物资（件）")


# The deck's native PowerPoint charts.

def deck_of(*charts: Chart) -> bytes:
    deck = new_deck()
    for chart in charts:
        chart_slide(deck, chart, "甲工会　2024年")
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def only_chart(data: bytes):
    [slide] = Presentation(io.BytesIO(data)).slides
    [chart] = [shape.chart for shape in slide.shapes if shape.has_chart]
    return slide, chart


def texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame and shape.text_frame.text]


def label_formats(series) -> list[str]:
    return [label.find(qn("c:numFmt")).get("formatCode")
            for label in series._element.findall(f"{qn('c:dLbls')}/{qn('c:dLbl')}")]


def test_budget_bars_are_one_native_chart_of_two_series_in_one_unit_with_a_legend():
    slide, chart = only_chart(deck_of(budget_bars()))
    assert chart.chart_type == XL_CHART_TYPE.COLUMN_CLUSTERED
    budget, spent = chart.plots[0].series
    assert len(chart.plots) == 1 and [budget.name, spent.name] == ["预算", "实际支出"]
    assert list(chart.plots[0].categories) == list(SUBJECTS)
    assert list(budget.values) == [12.5, 3, 0.8, 0.6] and list(spent.values) == [9.8, 3.12, 0.4, 0]
    assert label_formats(budget) == ['0.0"万元"', '0"万元"', '0.0"万元"', '0.0"万元"']
    assert label_formats(spent) == ['0.0"万元"', '0.00"万元"', '0.0"万元"', '""']
    assert chart.has_legend and chart.legend.position == XL_LEGEND_POSITION.TOP
    assert (str(budget.format.fill.fore_color.rgb), str(spent.format.fill.fore_color.rgb)) == ("2E86C1", "C0392B")
    axis = chart.value_axis
    assert axis.axis_title.text_frame.text == "万元" and axis.minimum_scale == 0
    assert 12.5 * 1.15 <= axis.maximum_scale < 12.5 * 1.5
    assert texts(slide)[1] == "合计预算16.9万元、实际支出13.32万元"  # 169000 and 133200 yuan
    assert slide.notes_slide.notes_text_frame.text == "预算：年初预算表；实际支出：各科目支出之和"


def test_the_spending_line_and_the_dashed_budget_level_are_one_native_chart():
    slide, chart = only_chart(deck_of(spending_lines()))
    assert isinstance(chart.plots[0], LinePlot) and len(chart.plots) == 1
    spent, level = chart.plots[0].series
    assert [spent.name, level.name] == ["累计支出", "全年预算"]
    assert list(chart.plots[0].categories) == [f"{m}月" for m in range(1, 13)]
    assert list(spent.values) == [v / 10_000 for v in CUMULATIVE] and list(level.values) == [12] * 12
    assert level.format.line.dash_style == MSO_LINE_DASH_STYLE.DASH and level.marker.style == XL_MARKER_STYLE.NONE
    assert spent.format.line.dash_style is None and spent.marker.style == XL_MARKER_STYLE.CIRCLE
    assert label_formats(level) == ['0"万元"'] + ['""'] * 11, "the level is labelled once, at its start"
    assert set(label_formats(spent)) <= {'""', '0"万元"', '0.0"万元"', '0.00"万元"'}
    assert label_formats(spent)[-1] == '0.0"万元"', "the last month is labelled"
    assert label_formats(spent)[1] == '""', "it would meet the level's label beside it"
    assert chart.has_legend and chart.value_axis.maximum_scale >= 12 * 1.15
    assert texts(slide)[1] == "12月：累计支出4.5万元，全年预算12万元"
    assert slide.notes_slide.notes_text_frame.text == "累计支出：年初至当月的支出之和"


def test_budget_bars_whose_names_do_not_fit_below_lie_down_in_one_chart():
    names = tuple(f"第{i}项很长很长的科目名称" for i in range(1, 9))
    chart = Chart("工会 2024年各科目预算与实际支出", names,
                  (Series((5000,) * 8, "元", "预算", ("#2E86C1",)), Series((4000,) * 8, "元", "实际支出", ("#C0392B",))),
                  together=True)
    slide, drawn = only_chart(deck_of(chart))
    assert drawn.chart_type == XL_CHART_TYPE.BAR_CLUSTERED and len(drawn.plots[0].series) == 2
    assert drawn.value_axis.axis_title.text_frame.text == "元" and list(drawn.plots[0].series[0].values) == [5000] * 8
    assert texts(slide)[1] == "合计预算4万元、实际支出3.2万元"


def test_bars_lying_down_too_many_for_every_label_keep_those_of_what_was_spent():
    names = tuple(f"科目{i}" for i in range(1, 16))
    chart = Chart("工会 2024年各科目预算与实际支出", names,
                  (Series((5000,) * 15, "元", "预算", ("#2E86C1",), reference=True),
                   Series((4000,) * 15, "元", "实际支出", ("#C0392B",))), horizontal=True, together=True)
    assert chart.labelled(60) == (True, True) and chart.labelled(30) == (False, True)
    _, drawn = only_chart(deck_of(chart))
    budget, spent = drawn.plots[0].series
    assert label_formats(budget) == ['""'] * 15 and label_formats(spent) == ['0"元"'] * 15
    figure = plotting.figure(chart)  # the page's chart grows with its bars: room for them all
    assert all(figure.data[0].text) and all(figure.data[1].text)


# Drawn as a reader sees them: the deck by LibreOffice, the PNGs by kaleido.

def test_the_rendered_slides_show_the_legend_the_labels_and_the_takeaway(tmp_path):
    deck = tmp_path / "预算.pptx"
    deck.write_bytes(deck_of(budget_bars(), spending_lines()))
    [pdf] = rendering.to_pdf([deck], tmp_path)
    bars, lines = (page.text() for page in rendering.pages(pdf))
    for text in ("预算", "实际支出", "12.5万元", "0.8万元", "3.12万元", "合计预算16.9万元、实际支出13.32万元"):
        assert text in bars, text
    for text in ("累计支出", "全年预算", "4.5万元", "12万元", "12月：累计支出4.5万元，全年预算12万元"):
        assert text in lines, text
    assert lines.count("12万元") == 2, "the level is labelled once (and named once in the takeaway)"
    for page in (1, 2):
        assert rendering.to_png(pdf, page, tmp_path / f"slide-{page}").stat().st_size > 10_000


def test_the_pngs_of_charts_drawn_together_are_full_size(tmp_path):
    if not pictures.browser():
        rendering.require("chromium (apt-get install chromium fonts-noto-cjk)", False)
    for name, chart in (("bars", budget_bars()), ("lines", spending_lines())):
        path = tmp_path / f"{name}.png"
        path.write_bytes(pictures.png_bytes(plotting.figure(chart, large=True)))
        with Image.open(path) as image:
            assert image.format == "PNG" and image.size == (1800, 1050), name
