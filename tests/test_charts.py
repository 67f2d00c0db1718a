"""Every chart's plotted values against sums computed here from the sample's rows, not from the figures."""

import dataclasses
import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest
from builders import dataset, drawn

from conftest import ROOT
from unionstats.charts import chart as chart_rules
from unionstats.contract.periods import parse_period
from unionstats.exports import plotting
from unionstats.figures.engine import figures
from unionstats.intake.loading import load_path
from unionstats.kinds import budget as budget_kind
from unionstats.kinds import competitions as competitions_kind
from unionstats.kinds import donations as donations_kind
from unionstats.kinds import events as events_kind
from unionstats.kinds import visits as visits_kind

SAMPLE = load_path(ROOT / "data" / "sample.xlsx")
YEAR = 2025
RESULT = figures(SAMPLE, parse_period(str(YEAR)))
EMPTY = figures(SAMPLE, parse_period("2019"))
SEVERAL = figures(dataset([{"date": dt.date(2024, 5, 1), "name": "甲活动", "participants": 10, "unit": "甲"},
                           {"date": dt.date(2024, 5, 1), "name": "乙活动", "participants": 30, "unit": "乙"}],
                          members={"甲": 10, "乙": 20}), parse_period("2024Q2"))
MEMBERS = 186
BUILDERS = [events_kind.participation_by_category, events_kind.participation_over_time, events_kind.participation_rate_by_unit,
            events_kind.spending_by_category, events_kind.spending_over_time, events_kind.spending_per_head,
            visits_kind.visits_by_reason, visits_kind.visits_by_group, donations_kind.donations_by_campaign, competitions_kind.awards_by_level,
            competitions_kind.awards_by_result, *budget_kind.KIND.charts]


def rows(key: str) -> pd.DataFrame:
    frame = SAMPLE.frame(key)
    return frame[frame["date"].dt.year == YEAR]


def sums(frame: pd.DataFrame, by: str, column: str, order) -> dict:
    """Sums per value in the contract's order, by plain Python over the rows."""
    totals: dict = {}
    for key, value in zip(frame[by], frame[column]):
        key = key if isinstance(key, str) and key else "未注明"
        totals[key] = totals.get(key, 0) + value
    return {k: totals[k] for k in [*order, *sorted(set(totals) - set(order))] if k in totals}


def monthly(frame: pd.DataFrame, column: str) -> dict:
    totals: dict = {}
    for day, value in zip(frame["date"], frame[column]):
        label = f"{day.year}年{day.month}月"
        totals[label] = totals.get(label, 0) + value
    return dict(sorted(totals.items(), key=lambda kv: [int(p) for p in kv[0][:-1].split("年")]))


def plotted(figure, trace: int = 0) -> dict:
    bar = figure.data[trace]
    labels, values = (bar.y, bar.x) if bar.orientation == "h" else (bar.x, bar.y)
    return dict(zip(labels, values))


def names_and_values(trace) -> tuple[tuple, tuple]:
    """A bar trace's categories and values, standing or lying."""
    return (trace.y, trace.x) if trace.orientation == "h" else (trace.x, trace.y)


def close(actual: dict, expected: dict) -> bool:
    return list(actual) == list(expected) and all(abs(actual[k] - expected[k]) < 0.005 for k in expected)


def half_up(value: float, places: int) -> str:
    text = f"{Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def money_unit(amounts) -> tuple[str, float]:
    """A money chart's one unit by the rule, by hand: 万元 when the largest amount reaches 10,000, else 元."""
    return ("万元", 10_000) if max(amounts) >= 10_000 else ("元", 1)


def money_label(amount: float, unit: str = "元") -> str:
    """A chart's money label by the rule, by hand: 万元 to two decimals; 元 in whole yuan from 100, half up, else
    to the fen; no label for 0, `<0.01万元` for an amount that would round to 0."""
    if not amount:
        return ""
    if unit == "万元":
        text = half_up(amount / 10_000, 2)
        return "<0.01万元" if text == "0" else f"{text}万元"
    return f"{half_up(amount, 0 if amount >= 100 else 2)}元"


def in_chart_unit(expected: dict) -> dict:
    """Sums in yuan as a money chart plots them: all in its one unit."""
    _, divisor = money_unit(expected.values())
    return {k: v / divisor for k, v in expected.items()}


def test_participation_by_category():
    expected = sums(rows("events"), "category", "participants", events_kind.CATEGORIES)
    assert len(expected) >= 5
    assert plotted(drawn(events_kind.participation_by_category, RESULT, "工会")) == expected


def test_participation_and_spending_by_month():
    for build, column in ((events_kind.participation_over_time, "participants"), (events_kind.spending_over_time, "spending")):
        line = drawn(build, RESULT, "工会").data[0]
        expected = monthly(rows("events"), column)
        assert len(expected) == 12
        if column == "spending":  # a label where the rule keeps one (the highest month's at least), by the money rule
            unit, _ = money_unit(expected.values())
            labels = [money_label(v, unit) for v in expected.values()]
            assert all(text in ("", label) for text, label in zip(line.text, labels))
            assert max(expected.values()) == list(expected.values())[list(line.text).index(money_label(
                max(expected.values()), unit))]
            expected = in_chart_unit(expected)
        assert close(dict(zip(line.x, line.y)), expected), build.__name__


# Every month of the period on the axis, an empty month as zero.

SPARSE = [("2008-06-12", 0, 3200), ("2008-08-20", 35, 8750), ("2008-10-07", 18, 900), ("2008-10-21", 40, 500)]


def sparse_result(period: str = "2008"):
    rows = [{"date": dt.date.fromisoformat(day), "name": f"活动{i}", "participants": people, "spending": amount}
            for i, (day, people, amount) in enumerate(SPARSE)]
    visits = [{"date": dt.date(2008, 8, 11), "reason": "丧事", "count": 1, "amount": 500}]
    return figures(dataset(rows, visits=visits), parse_period(period))


def by_month_of_rows(year: int, months: range, column: int) -> dict:
    """Each month's sum of `column` over SPARSE, by plain Python: 0 for a month without rows."""
    return {f"{year}年{m}月": sum(r[column] for r in SPARSE if dt.date.fromisoformat(r[0]).month == m)
            for m in months}


@pytest.mark.parametrize("build, column", [(events_kind.participation_over_time, 1), (events_kind.spending_over_time, 2)],
                         ids=["participants", "spending"])
def test_a_year_with_empty_months_has_every_month_on_the_axis_at_zero(build, column):
    figure = drawn(build, sparse_result(), "工会")
    line = figure.data[0]
    expected = by_month_of_rows(2008, range(1, 13), column)
    assert list(line.x) == list(expected) == [f"2008年{m}月" for m in range(1, 13)]
    assert list(line.y) == list(expected.values())  # 2008年7月 and 9月 are 0: no line from 8月 straight to 10月
    assert list(figure.layout.xaxis.ticktext) == [f"{m}月" for m in range(1, 13, 2)]  # upright, every other one
    assert [text == "" for text in line.text] == [value == 0 for value in expected.values()], "no label on a zero"
    assert len(line.textposition) == 12


def test_a_quarter_with_an_empty_month_has_its_three_months():
    line = drawn(events_kind.participation_over_time, sparse_result("2008Q3"), "工会").data[0]
    assert dict(zip(line.x, line.y)) == by_month_of_rows(2008, range(7, 10), 1) == {
        "2008年7月": 0, "2008年8月": 35, "2008年9月": 0}


def test_the_figures_hold_every_month_and_quarter_of_the_period_in_time_order():
    result = sparse_result()
    months = [f"2008-{m:02d}" for m in range(1, 13)]
    assert list(result.events.by_month) == months and list(result.visits.by_month) == months
    assert {k: v.participants for k, v in result.events.by_month.items()} == {
        f"2008-{m:02d}": v for m, v in enumerate(by_month_of_rows(2008, range(1, 13), 1).values(), 1)}
    assert result.events.by_month["2008-07"] == type(result.events.by_month["2008-08"])(0, 0, 0.0)
    assert list(result.events.by_quarter) == ["2008Q1", "2008Q2", "2008Q3", "2008Q4"]
    assert result.events.by_quarter["2008Q1"].count == 0 and result.events.by_quarter["2008Q4"].count == 2
    assert {k: v.people for k, v in result.visits.by_month.items() if v.people} == {"2008-08": 1}


def test_a_sheet_without_rows_in_the_period_keeps_its_no_records_chart():
    result = sparse_result("2008Q1")
    assert result.events.by_month == {} and result.visits.by_month == {}
    for build in (events_kind.participation_over_time, events_kind.spending_over_time):
        figure = drawn(build, result, "工会")
        assert not figure.data and [n.text for n in figure.layout.annotations] == ["本期没有记录"]


def test_participation_rate_by_unit():
    events = rows("events")
    rate = events["participants"].sum() / (len(events) * MEMBERS)
    assert plotted(drawn(events_kind.participation_rate_by_unit, RESULT, "工会")) == {
        "江城市农业科学研究所工会": round(rate * 100, 1)}


def test_spending_by_category_shows_only_what_was_spent():
    events = rows("events")
    expected = {k: v for k, v in sums(events, "category", "spending", events_kind.CATEGORIES).items() if v}
    figure = drawn(events_kind.spending_by_category, RESULT, "工会")
    assert close(plotted(figure), in_chart_unit(expected))
    unit, _ = money_unit(expected.values())
    assert list(figure.data[0].text) == [money_label(v, unit) for v in expected.values()]


def test_spending_per_head():
    spending = rows("events")["spending"].sum()
    assert spending / MEMBERS < 10_000
    assert close(plotted(drawn(events_kind.spending_per_head, RESULT, "工会")),
                 {"江城市农业科学研究所工会": spending / MEMBERS})


def test_visits_count_people_by_reason_and_group():
    visits = rows("visits")
    assert plotted(drawn(visits_kind.visits_by_reason, RESULT, "工会")) == sums(visits, "reason", "count", visits_kind.REASONS)
    by_group = sums(visits, "group", "count", visits_kind.GROUPS + ("未注明",))
    assert plotted(drawn(visits_kind.visits_by_group, RESULT, "工会")) == by_group
    assert sum(by_group.values()) > len(visits), "人次, not rows"


def test_donations_by_campaign_in_order_of_first_date():
    donations = rows("donations").sort_values("date", kind="stable")
    order = list(dict.fromkeys(donations["campaign"]))
    figure = drawn(donations_kind.donations_by_campaign, RESULT, "工会")
    cash = sums(donations, "campaign", "cash", order)
    assert close(plotted(figure, 0), in_chart_unit(cash))
    assert plotted(figure, 1) == sums(donations, "campaign", "goods", order)
    assert [t.name for t in figure.data] == [f"捐款（{money_unit(cash.values())[0]}）", "物资（件）"]


def test_awards_by_level_leave_out_participation():
    competitions = rows("competitions")
    won = competitions[competitions["result"] != "参与"]
    expected = {k: v for k, v in sums(won, "level", "awards", competitions_kind.LEVELS).items() if v}
    assert plotted(drawn(competitions_kind.awards_by_level, RESULT, "工会")) == expected
    assert sum(expected.values()) < competitions["awards"].sum(), "the sample has 参与 rows"


def test_awards_by_result_count_participation_by_rows():
    competitions = rows("competitions")
    expected = {}
    for result, awards in zip(competitions["result"], competitions["awards"]):
        expected[result] = expected.get(result, 0) + (1 if result == "参与" else awards)
    shown = plotted(drawn(competitions_kind.awards_by_result, RESULT, "工会"))
    assert shown == expected
    places = [r for r in shown if r.startswith("第")]
    assert list(shown)[:len(places)] == sorted(places, key=lambda r: "一二三四五六七八九十".index(r[1]))
    assert list(shown)[-1] == "参与"


def test_unit_comparison_ranks_units_by_participants():
    day = dt.date(2024, 5, 1)
    data = dataset([{"date": day, "name": "甲活动", "participants": 10, "unit": "甲"},
                    {"date": day, "name": "乙活动", "participants": 30, "unit": "乙"},
                    {"date": day, "name": "乙活动二", "participants": 5, "unit": "乙"},
                    {"date": day, "name": "丙活动", "participants": 20, "unit": "丙"}])
    result = figures(data, parse_period("2024Q2"))
    assert plotted(drawn(events_kind.unit_comparison, result, "全部单位")) == {"乙": 35, "丙": 20, "甲": 10}
    assert not drawn(events_kind.unit_comparison, figures(SAMPLE, parse_period("2025")), "工会").data


@pytest.mark.parametrize("build", BUILDERS, ids=lambda b: b.__name__)
def test_titles_name_the_scope_and_period_and_fonts_are_cjk(build):
    figure = drawn(build, RESULT, "江城农科所工会")
    assert figure.layout.title.text.startswith("江城农科所工会 2025年")
    assert "Noto Sans CJK SC" in figure.layout.font.family
    assert figure.data, "a chart with data draws traces"


@pytest.mark.parametrize("build", BUILDERS, ids=lambda b: b.__name__)
def test_no_data_is_a_sentence_not_empty_axes(build):
    figure = drawn(build, EMPTY, "某工会")
    assert not figure.data
    [note] = figure.layout.annotations
    assert note.text and not figure.layout.xaxis.visible


def unit_notes(figure) -> list[str]:
    return [note.text for note in figure.layout.annotations if note.name == plotting.UNIT_NOTE]


def test_axes_and_hovers_say_the_unit_written_across():
    figure = drawn(competitions_kind.awards_by_level, RESULT, "工会")  # (bars standing: their names fit under them)
    assert unit_notes(figure) == ["单位：个"] and "个" in figure.data[0].hovertemplate
    assert figure.layout.yaxis.title.text is None  # a turned title: 个 on its side
    standing = drawn(events_kind.participation_by_category, RESULT, "工会", large=True)
    assert unit_notes(standing) == ["单位：人次"] and "人次" in standing.data[0].hovertemplate
    money = drawn(events_kind.spending_by_category, RESULT, "工会", large=True)
    assert unit_notes(money) == ["单位：万元"] and all(h.endswith("万元") for h in money.data[0].customdata)
    money = drawn(events_kind.spending_by_category, RESULT, "工会")  # lying down on a half-width chart
    assert money.layout.xaxis.title.text == "单位：万元" and not unit_notes(money)
    line = drawn(events_kind.spending_over_time, RESULT, "工会")
    assert unit_notes(line) == ["单位：万元"] and plotting.unit_of(line.data[0]) == "万元"
    lying = drawn(events_kind.unit_comparison, SEVERAL, "工会")
    assert lying.layout.xaxis.title.text == "单位：人次" and not unit_notes(lying)
    assert [plotting.unit_of(t) for t in drawn(donations_kind.donations_by_campaign, RESULT, "工会").data] == ["万元", "件"]


def test_the_unit_note_has_its_own_room_under_the_title():
    noted, bare = drawn(competitions_kind.awards_by_level, RESULT, "工会"), drawn(competitions_kind.awards_by_level, EMPTY, "工会")
    assert noted.layout.margin.t - bare.layout.margin.t == round(noted.layout.font.size * plotting.NOTE_ROOM)


def test_money_labels_follow_the_one_rule():
    data = dataset([{"date": dt.date(2024, 5, 1), "name": "小额", "category": "其他", "participants": 1,
                     "spending": 0.4},
                    {"date": dt.date(2024, 5, 2), "name": "大额", "category": "文体活动", "participants": 1,
                     "spending": 23600}])
    figure = drawn(events_kind.spending_by_category, figures(data, parse_period("2024Q2")), "工会")
    assert list(figure.data[0].text) == ["2.36万元", "<0.01万元"]  # 0.4元 is there, too small to show in 万元


@pytest.mark.parametrize("amount, unit, label", [
    (4907.7, "元", "4908元"), (4906.5, "元", "4907元"), (100.5, "元", "101元"), (99.5, "元", "99.5元"),
    (9999.4, "元", "9999元"), (9999.5, "元", "10000元"), (-250.5, "元", "-251元"), (0.004, "元", "<0.01元"),
    (1.23456, "万元", "1.23万元"), (0.4699, "万元", "0.47万元"), (0.005, "万元", "0.01万元"),
    (0.0049, "万元", "<0.01万元"), (-0.0049, "万元", ">-0.01万元"), (0, "万元", ""), (0, "元", "")])
def test_a_money_label_has_no_stray_jiao_from_100_yuan_and_stays_in_its_unit(amount, unit, label):
    assert chart_rules.value_text(amount, unit) == label


# One unit per money chart: 万元 for every value when the largest reaches 10,000, else 元.

STRADDLING = [("文体活动", "2024-05-06", 30400), ("节日活动", "2024-05-20", 4699), ("学习培训", "2024-06-03", 30),
              ("节日活动", "2024-06-18", 1.5), ("民主管理", "2024-04-10", 0)]


def straddling_rows() -> list[dict]:
    return [{"date": dt.date.fromisoformat(day), "name": f"活动{i}", "category": category, "participants": 10,
             "spending": amount} for i, (category, day, amount) in enumerate(STRADDLING)]


def test_a_money_chart_straddling_ten_thousand_is_in_wan_for_its_axis_labels_and_hover():
    result = figures(dataset(straddling_rows()), parse_period("2024Q2"))
    spent = {}
    for category, _, amount in STRADDLING:
        spent[category] = spent.get(category, 0) + amount
    spent = {k: v for k, v in spent.items() if v}
    assert max(spent.values()) >= 10_000 > min(spent.values())
    figure = drawn(events_kind.spending_by_category, result, "工会")
    bar = figure.data[0]
    ordered = {k: spent[k] for k in events_kind.CATEGORIES if k in spent}
    assert close(plotted(figure), {k: v / 10_000 for k, v in ordered.items()})
    assert list(bar.text) == ["3.04万元", "0.47万元", "<0.01万元"] == [money_label(v, "万元") for v in ordered.values()]
    assert unit_notes(figure) == ["单位：万元"] and plotting.unit_of(bar) == "万元"
    assert list(bar.customdata) == ["3.04万元", "0.47005万元", "0.003万元"]  # a hover is exact, to the fen
    assert "%{customdata}" in bar.hovertemplate and "元" not in bar.hovertemplate
    assert figure.layout.yaxis.range[1] < 10, "the axis counts 万元, not 30,000"


def test_a_monthly_money_line_straddling_ten_thousand_is_in_wan_every_month():
    result = figures(dataset(straddling_rows()), parse_period("2024Q2"))
    line = drawn(events_kind.spending_over_time, result, "工会").data[0]
    by_month = {"2024年4月": 0, "2024年5月": 30400 + 4699, "2024年6月": 30 + 1.5}
    assert close(dict(zip(line.x, line.y)), {k: v / 10_000 for k, v in by_month.items()})
    assert list(line.text) == ["", "3.51万元", "<0.01万元"] and plotting.unit_of(line) == "万元"
    assert list(line.customdata) == ["0万元", "3.5099万元", "0.00315万元"]


def test_money_below_ten_thousand_stays_in_yuan():
    rows = [r for r in straddling_rows() if r["spending"] < 10_000]
    figure = drawn(events_kind.spending_by_category, figures(dataset(rows), parse_period("2024Q2")), "工会")
    bar = figure.data[0]
    assert list(bar.x) == ["节日活动", "学习培训"] and list(bar.y) == [4699 + 1.5, 30]
    assert list(bar.text) == ["4701元", "30元"] == [money_label(4699 + 1.5), money_label(30)]
    assert list(bar.customdata) == ["4700.5元", "30元"] and unit_notes(figure) == ["单位：元"]


def test_a_category_keeps_its_colour_on_every_chart():
    participation = drawn(events_kind.participation_by_category, RESULT, "工会").data[0]
    spending = drawn(events_kind.spending_by_category, RESULT, "工会", large=True).data[0]  # (standing)
    assert participation.orientation == "h" and spending.orientation == "v"
    colour = dict(zip(names_and_values(participation)[0], participation.marker.color))
    assert all(colour[c] == k for c, k in zip(names_and_values(spending)[0], spending.marker.color))


def test_text_from_spreadsheets_is_shown_as_typed_not_as_html():
    donations = dataclasses.replace(RESULT.donations, by_campaign={
        "<b>粗体</b>": dataclasses.replace(next(iter(RESULT.donations.by_campaign.values())))})
    figure = drawn(donations_kind.donations_by_campaign, dataclasses.replace(RESULT, sheets={**RESULT.sheets, "donations": donations}),
                                          "<i>单位</i>")
    assert list(figure.data[0].x) == ["&lt;b&gt;粗体&lt;/b&gt;"]
    assert "&lt;i&gt;" in figure.layout.title.text


def test_presenting_makes_everything_larger():
    normal, large = (drawn(visits_kind.visits_by_reason, RESULT, "工会", flag) for flag in (False, True))
    assert large.layout.font.size > normal.layout.font.size and large.layout.height > normal.layout.height


def figure_strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list | tuple) else ()
    return [s for item in items for s in figure_strings(item)]


@pytest.mark.parametrize("build", [*BUILDERS, events_kind.unit_comparison], ids=lambda b: b.__name__)
def test_no_chart_lets_spreadsheet_text_add_markup(build):
    """Plotly renders <a href>, <b>, <br>, <span style> and entities in titles, ticks, hovers and text labels."""
    link, bold = '<a href="http://evil.example">点我</a>', "<b>粗体</b>&copy;"
    day = dt.date(2024, 5, 1)
    data = dataset(
        events=[dict(date=day, name=link, category="文体活动", participants=3, spending=10.0, unit=unit)
                for unit in (link, bold)],
        visits=[dict(date=day, reason="结婚", count=1, amount=1.0, unit=link)],
        donations=[dict(date=day, campaign=campaign, cash=1.0, goods=1, unit=link) for campaign in (link, bold)],
        competitions=[dict(date=day, name=link, level="市级", result="其他奖项", award_name=bold, unit=link)],
        members={link: 10, bold: 10})
    figure = drawn(build, figures(data, parse_period("2024Q2")), link)
    strings = figure_strings(figure.to_plotly_json())
    assert strings and not [s for s in strings if "<a" in s or "<b>" in s or re.search("&(?!amp;|lt;|gt;)", s)]
    assert "&lt;a href" in figure.layout.title.text


# Fit for a projector.

LONG_SCOPE = "江城市农业科学研究所工会、城南小学工会、第三中学工会等"


@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("build", BUILDERS, ids=lambda b: b.__name__)
def test_a_long_title_wraps_to_fit_its_chart_and_reads_the_same_joined(build, large):
    figure = drawn(build, RESULT, LONG_SCOPE, large)
    lines = figure.layout.title.text.split("<br>")
    assert all(plotting.text_width(line) <= plotting.TITLE_WIDTH[large] for line in lines), lines
    assert plotting.plain_title(figure.layout.title.text).startswith(f"{LONG_SCOPE} 2025年")
    assert figure.layout.margin.t >= len(lines) * figure.layout.title.font.size, "the title has room above the plot"


def test_a_title_breaks_after_the_scope_and_never_inside_the_period():
    assert plotting.title_lines("江城市农业科学研究所工会 2025年第三季度各类活动经费支出", 18) == [
        "江城市农业科学研究所工会 ", "2025年第三季度各类活动经费支出"]
    assert plotting.title_lines("工会 2025年慰问人次（按对象类别）", 18) == ["工会 2025年慰问人次（按对象类别）"]
    assert plotting.title_lines("甲工会 2025年3月1日至5月31日各类活动经费支出", 18) == [
        "甲工会 2025年3月1日至5月31日", "各类活动经费支出"]


def test_a_wrapped_title_still_shows_spreadsheet_text_as_typed():
    figure = drawn(events_kind.participation_by_category, RESULT, "<b>很长很长很长很长的单位名称</b>")
    assert "<b>" not in figure.layout.title.text
    assert plotting.plain_title(figure.layout.title.text).startswith("<b>很长很长很长很长的单位名称</b> 2025年")


@pytest.mark.parametrize("build", [b for b in BUILDERS if b is not donations_kind.donations_by_campaign],
                         ids=lambda b: b.__name__)
def test_the_value_axis_leaves_room_for_the_top_label(build):
    figure = drawn(build, RESULT, "工会")
    trace = figure.data[0]
    horizontal = getattr(trace, "orientation", None) == "h"
    values, axis = (trace.x, figure.layout.xaxis) if horizontal else (trace.y, figure.layout.yaxis)
    assert axis.range[0] == 0 and axis.range[1] >= max(values) * 1.15, build.__name__
    assert trace.cliponaxis is False


def test_both_donation_axes_leave_room_for_their_labels():
    few = dataclasses.replace(RESULT.donations, by_campaign={  # two, short names and labels fit: standing
        name[:2]: group for name, group in list(RESULT.donations.by_campaign.items())[1::2]})
    for result in (RESULT, dataclasses.replace(RESULT, sheets={**RESULT.sheets, "donations": few})):
        figure = drawn(donations_kind.donations_by_campaign, result, "工会")
        axis = "x" if figure.data[0].orientation == "h" else "y"
        cash, goods = (names_and_values(trace)[1] for trace in figure.data)
        assert figure.layout[f"{axis}axis"].range[1] > max(cash) and figure.layout[f"{axis}axis2"].range[1] > max(goods)
        assert {trace.orientation for trace in figure.data} == ({"h"} if result is RESULT else {None})


def test_a_year_of_months_is_labelled_by_month_and_hovers_with_the_year():
    line = drawn(events_kind.participation_over_time, RESULT, "工会")
    assert list(line.layout.xaxis.ticktext) == [f"{m}月" for m in range(1, 13, 2)] and line.layout.xaxis.tickangle == 0
    assert list(line.layout.xaxis.tickvals) == list(line.data[0].x)[::2]
    assert list(line.data[0].x) == [f"2025年{m}月" for m in range(1, 13)]
    large = drawn(events_kind.participation_over_time, RESULT, "工会", large=True)  # 演示模式: room for every month
    assert list(large.layout.xaxis.ticktext) == [f"{m}月" for m in range(1, 13)]


def test_per_unit_charts_are_left_out_for_one_unit_and_kept_for_several():
    one = RESULT
    day = dt.date(2024, 5, 1)
    several = figures(dataset([{"date": day, "name": "甲活动", "participants": 10, "unit": "甲"},
                               {"date": day, "name": "乙活动", "participants": 30, "unit": "乙"}],
                              members={"甲": 10, "乙": 20}), parse_period("2024Q2"))
    assert len(one.events.by_unit) == 1
    per_unit = {events_kind.participation_rate_by_unit, events_kind.spending_per_head, events_kind.unit_comparison}
    builders = {*BUILDERS, events_kind.unit_comparison}
    assert {b for b in builders if b(one, "").per_unit} == per_unit
    assert not {b for b in builders if b(one, "").worth} & per_unit
    budgets = set(budget_kind.KIND.charts)  # the sample has a budget; the two units have none
    assert {b for b in builders if b(several, "").worth} == builders - budgets
    titles = {chart.title for chart in chart_rules.every_chart(one)}
    assert titles == {b(one, "").title for b in builders - per_unit}
    assert {chart.title for chart in chart_rules.every_chart(several)} == {b(several, "").title
                                                                           for b in builders - budgets}


def test_money_in_tables_has_thousands_separators_and_no_stray_decimals():
    from unionstats.writing import tables

    frame = pd.DataFrame({"类别": ["甲", "乙"], "支出（元）": [30400.0, 4698.7], "参与人次": [12000, 3]})
    assert tables.money_formats(frame) == {"支出（元）": "%,.2f"}  # the browser writes 30,400.00 and 4,698.70
    assert tables.money_formats(pd.DataFrame({"金额": [24100.0, 800.0, None]})) == {"金额": "%,.0f"}  # 24,100, 800
    written = pd.Series([24100.0, 4698.7]).map(tables.money_format(pd.Series([24100.0, 4698.7])))
    assert written.tolist() == ["24,100.00", "4,698.70"]


@pytest.mark.parametrize("now, before, text", [
    (14900, 6407.1, "+0.85万元（132.6%） 较上期"),  # 8492.9 beside 1.49万元: in 万元 too
    (95340.3, 86673, "+0.87万元（10%） 较上期"), (100000, 99999.5, "+<0.01万元（0%） 较上期"),
    (9540.3, 8673, "+867元（10%） 较上期"),  # beside 9540.3元: whole yuan from 100
    (9800, 25800, "-16000元（-62%） 较上期"),  # beside 9800元: in 元, however large the change
    (95.4, 86.73, "+8.67元（10%） 较上期"), (212400, 236000, "-2.36万元（-10%） 较上期")])
def test_a_money_change_is_in_the_unit_of_the_money_beside_it(now, before, text):
    from unionstats.writing import cards as kpi

    assert kpi.card_change(events_kind.SPENDING, now, before, "上期") == text
    assert kpi.value_text(events_kind.SPENDING, now).endswith("万元") == ("万元" in text)


@pytest.mark.parametrize("values, sides", [
    ([5, 9, 5], ["below", "above", "below"]),  # a peak between two ends lower than their neighbour
    ([9, 5, 9], ["above", "below", "above"]),
    ([1, 2, 3], ["below", "above left", "above"]),  # rising: the line leaves the upper left free
    ([3, 2, 1], ["above", "above right", "below"]),  # falling: the upper right
    ([100, 5, 100], ["above", "above", "above"]),  # a valley on the axis: a label below it would meet the ticks
    ([100, 11, 100], ["above", "below", "above"]),
    ([4, 4, 4], ["above", "above", "above"]),
    ([7], ["above"]),
    ([], []),
])
def test_a_line_label_goes_where_the_line_is_not(values, sides):
    assert chart_rules.label_sides(values) == sides


def test_the_monthly_line_places_its_labels_by_the_rule():
    described = events_kind.participation_over_time(RESULT, "工会")
    line = drawn(events_kind.participation_over_time, RESULT, "工会").data[0]
    [sides] = described.point_labels(plotting.ACROSS[False])
    assert list(line.textposition) == [plotting.PLOTLY_SIDES[s or "above"] for s in sides]
    assert [text != "" for text in line.text] == [bool(s) for s in sides]
    labelled = [(s, side) for s, side in zip(chart_rules.label_sides(list(line.y)), sides) if side]
    assert all(side.startswith(s.split()[0]) for s, side in labelled), "above stays above, below below"
    assert len({side for _, side in labelled}) >= 3  # the sample's year rises, falls, peaks and dips


def test_a_few_things_counted_tick_in_whole_numbers():
    awards = drawn(competitions_kind.awards_by_level, RESULT, "工会")
    assert max(awards.data[0].y) <= 6 and awards.layout.yaxis.dtick == 1
    assert drawn(events_kind.participation_by_category, RESULT, "工会").layout.xaxis.dtick is None  # hundreds: plotly's own
    assert drawn(events_kind.spending_by_category, RESULT, "工会").layout.xaxis.dtick is None


def test_a_donation_of_goods_only_has_no_zero_money_label():
    for large in (False, True):  # lying, standing
        cash, goods = drawn(donations_kind.donations_by_campaign, RESULT, "工会", large).data
        assert 0 in names_and_values(cash)[1] and 0 in names_and_values(goods)[1]
        for trace, unit in ((cash, "元"), (goods, "件")):
            assert [text == "" for text in trace.text] == [value == 0 for value in names_and_values(trace)[1]], unit


@pytest.mark.parametrize("values, unit, ticks", [
    ([1, 6], "个", True), ([1, 7], "个", False), ([0, 0], "人次", False), ([3], "件", True),
    ([3], "元", False), ([3], "%", False), ([], "个", False),
])
def test_whole_ticks_only_for_a_few_things_counted(values, unit, ticks):
    assert chart_rules.whole_ticks(values, unit) is ticks
    assert plotting.ticks(tuple(values), unit) == ({"dtick": 1} if ticks else {})


@pytest.mark.parametrize("value, unit, label", [(64.4, "%", "64.4%"), (12, "人次", "12"), (3, "个", "3"),
                                                (99.99, "元", "99.99元"), (100, "元", "100元")])
def test_a_label_by_its_unit(value, unit, label):
    assert chart_rules.value_text(value, unit) == label


def test_a_trace_without_a_unit_says_none():
    assert plotting.unit_of(plotting.go.Bar(x=[1], y=[1])) == ""
    assert plotting.unit_of(plotting.go.Bar(x=[1], y=[1], meta={"unit": "件"})) == "件"


def test_a_valley_exactly_at_the_low_share_keeps_its_label_above():
    assert chart_rules.label_sides([100, 10, 100])[1] == "above" and chart_rules.label_sides([100, 10.5, 100])[1] == "below"


@pytest.mark.parametrize("build", [*BUILDERS, events_kind.unit_comparison], ids=lambda b: b.__name__)
def test_every_chart_says_in_one_line_what_it_counts(build):
    text = build(RESULT, "").help
    assert "：" in text and "\n" not in text and len(text) < 80, text


def test_the_rate_chart_gives_its_formula():
    assert "参与人次 ÷（活动次数 × 会员人数）" in events_kind.participation_rate_by_unit(RESULT, "").help
    assert "“参与人次”之和" in events_kind.participation_by_category(RESULT, "").help
