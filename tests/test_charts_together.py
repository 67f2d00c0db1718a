"""Series drawn together: one unit and one value axis for all of them (预算 beside 实际支出), a legend naming them,
and a reference level (全年预算) drawn as a dashed line labelled once. Every expected figure below is written
from the literal numbers of the charts built here."""

from __future__ import annotations

import pytest

from unionstats.charts.chart import BAR, LINE, Chart, Series, month_axis
from unionstats.exports import plotting

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
    figure = plotting.figure(budget_bars())
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
    figure = plotting.figure(budget_bars(horizontal=True))
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
    assert list(spent.text)[:3] == ["0.3万元", "0.55万元", "0.95万元"] and spent.text[-1] == "4.5万元"
    assert spent.mode == "lines+markers+text" and len(set(spent.textposition)) >= 2
    assert level.line.dash == "dash" and "markers" not in level.mode
    assert list(level.text) == [""] * 11 + ["12万元"]
    assert figure.layout.showlegend
    assert list(figure.layout.xaxis.ticktext) == [f"{m}月" for m in range(1, 13)]
    assert list(figure.layout.xaxis.tickvals) == [f"2024年{m}月" for m in range(1, 13)]
    axis = figure.layout.yaxis.range
    assert axis[0] == 0 and axis[1] >= 12 * 1.15, "room above the level's label"
    assert [n.text for n in figure.layout.annotations if n.name == plotting.UNIT_NOTE] == ["单位：万元"]


def test_a_chart_not_drawn_together_is_drawn_as_before():
    donations = Chart("捐款与物资", ("甲", "乙"), (Series((125000, 0), "元", "捐款", ("#C0392B",)),
                                                  Series((0, 40), "件", "物资", ("#2E86C1",))))
    cash, goods = plotting.figure(donations).data
    assert (cash.yaxis, goods.yaxis) == ("y", "y2") and (cash.name, goods.name) == ("捐款（万元）", "物资（件）")
