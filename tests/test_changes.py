"""Every change written anywhere stands right after the figure it measures, like for like.

A store as an office has it: the sample union (2024–2025), a school that reported only in 2024, and a bureau
that began to report in the second quarter of 2025. For every sentence of the summary, every card and every
card of the deck's 主要数据 slide, each "较…增长p%" is checked against the figure written just before it:
which figure that is, is read from the words in front of the number (慰问金 is money, 看望慰问 is people), and
its change is computed here from the rows, over the units that reported in both periods.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest
from pptx import Presentation
from workbooks import load

from conftest import ROOT
from unionstats.contract.periods import parse_period
from unionstats.exports.deck import deck_bytes
from unionstats.figures.engine import figures
from unionstats.figures.typed import Comparison
from unionstats.intake.loading import load_path
from unionstats.intake.model import Dataset
from unionstats.kinds import competitions as competitions_kind
from unionstats.kinds import donations as donations_kind
from unionstats.kinds import events as events_kind
from unionstats.kinds import visits as visits_kind
from unionstats.writing import cards as kpi
from unionstats.writing.summary import previous_name, write_summary

SCHOOL, BUREAU = "红星小学", "某县水利局"
EVENTS = ["日期", "活动名称", "类别", "参与人次", "支出（元）", "单位"]
VISITS = ["日期", "事由", "对象类别", "人次", "金额", "单位"]


def school() -> dict:
    """A school that reported every month of 2024 and then stopped."""
    events = [EVENTS] + [[f"2024-{m:02d}-10", f"活动{m}", "文体活动", 20 + 3 * m, 800 + 150 * m, SCHOOL]
                         for m in range(1, 13)]
    visits = [VISITS] + [[f"2024-{m:02d}-15", "生病住院", "在职职工", 1 + m % 3, 300 + 70 * m, SCHOOL]
                         for m in range(1, 13)]
    return {"活动": events, "慰问": visits}


def bureau() -> dict:
    """A bureau that began to report in April 2025."""
    events = [EVENTS] + [[f"2025-{m:02d}-08", f"学习{m}", "学习培训", 11 * m, 120 * m, BUREAU] for m in range(4, 13)]
    visits = [VISITS] + [[f"2025-{m:02d}-20", "困难帮扶", "在职职工", 2, 1000 + 5 * m, BUREAU] for m in range(4, 13)]
    return {"活动": events, "慰问": visits}


STORE = Dataset.combine([load_path(ROOT / "data" / "sample.xlsx"), load(school(), name="school.xlsx"),
                         load(bureau(), name="bureau.xlsx")])
PERIODS = ["2025", "2025Q1", "2025Q2", "2025Q3", "2025Q4", "2025H1", "2025H2", "2025-05", "2024Q4"]


# The figures, from the rows: which units reported, and each quantity over chosen units.

def rows_in(period, units=None) -> dict[str, pd.DataFrame]:
    out = {}
    for key, frame in STORE.frames().items():
        inside = frame[(frame["date"].dt.date >= period.start) & (frame["date"].dt.date <= period.end)]
        out[key] = inside[inside["unit"].isin(units)] if units is not None else inside
    return out


def reporting(period) -> set[str]:
    return {u for frame in rows_in(period).values() for u in frame["unit"]}


QUANTITIES = {
    "participants": lambda rows: int(rows["events"]["participants"].sum()),
    "spending": lambda rows: round(float(rows["events"]["spending"].sum()), 2),
    "visits": lambda rows: int(rows["visits"]["count"].sum()),
    "visit_amount": lambda rows: round(float(rows["visits"]["amount"].sum()), 2),
    "awards": lambda rows: int(rows["competitions"].loc[rows["competitions"]["result"] != "参与", "awards"].sum()),
    "events": lambda rows: len(rows["events"]),
    "cash": lambda rows: round(float(rows["donations"]["cash"].sum()), 2),
}


def like_for_like(quantity: str, period, earlier) -> tuple[float, float, bool]:
    """(now, earlier, all of now's units compared) of a quantity over the units that reported in both periods."""
    common = sorted(reporting(period) & reporting(earlier))
    measure = QUANTITIES[quantity]
    return measure(rows_in(period, common)), measure(rows_in(earlier, common)), reporting(period) <= set(common)


def expected_change(now: float, before: float) -> str:
    if now == before:
        return "持平"
    ratio = Decimal(repr(abs(now - before) / before * 100)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{'增长' if now > before else '下降'}{ratio.normalize():f}%"


def written(number: str, unit: str) -> float:
    return float(number) * (10_000 if unit == "万元" else 1)


# What the words in front of a number say it is.
LABELS = [("慰问金", "visit_amount"), ("看望慰问", "visits"), ("经费支出", "spending"), ("参与", "participants"),
          ("奖项", "awards")]
QUANTITY = re.compile(r"(\d+(?:\.\d+)?)(万元|元|人次|个)")
AGAINST = "(上年下半年|上年|上季度|上半年|上月|去年同期|前一时段)"
CHANGE = re.compile(rf"(?:较|比){AGAINST}(增长|下降)(\d+(?:\.\d+)?)%|与{AGAINST}持平")


def quantity_named(words: str) -> str | None:
    return next((quantity for label, quantity in LABELS if label in words), None)


def earlier_period(period, against: str):
    return period.year_ago() if against == "去年同期" else period.previous()


def check_sentence(sentence: str, period) -> int:
    """Every change in the sentence against the figure written just before it; returns how many were checked."""
    checked = 0
    for change in CHANGE.finditer(sentence):
        against = change.group(1) or change.group(4)
        said = f"{change.group(2)}{change.group(3)}%" if change.group(1) else "持平"
        before_it = sentence[:change.start()]
        figures_before = list(QUANTITY.finditer(before_it))
        assert figures_before, f"a change with no figure before it: {sentence}"
        last = figures_before[-1]
        clause = before_it[:last.start()].split("，")[-1]
        earlier = earlier_period(period, against)
        if clause.startswith(against) and clause.endswith("为"):  # 看望慰问36人次，上季度为53人次，较上季度下降32.1%
            comparable_before, last = last, figures_before[-2]
            clause = before_it[:last.start()].split("，")[-1]
        else:
            comparable_before = None
        comparable = "可比的单位" in clause or "可比单位" in clause
        back = len(figures_before) - 1
        while quantity_named(clause) is None and "可比的单位" in clause and back > 0:
            back -= 1  # 参与职工71人次，其中与上季度可比的单位65人次，较上季度增长…: a figure further back names it
            clause = before_it[:figures_before[back].start()].split("，")[-1]
        quantity = quantity_named(clause)
        assert quantity, f"no figure named before the change in: {sentence}"
        now, then, all_compared = like_for_like(quantity, period, earlier)
        assert written(*last.groups()) == pytest.approx(now, abs=51 if last.group(2) == "万元" else 0.01), (
            f"{quantity} written before the change is not its like-for-like figure ({now}): {sentence}")
        assert comparable or all_compared, f"a change after a figure that holds units not compared: {sentence}"
        if comparable_before:
            assert written(*comparable_before.groups()) == pytest.approx(then, abs=51), sentence
        assert said == expected_change(now, then), f"{quantity}: {now} against {then} in {against}: {sentence}"
        checked += 1
    return checked


@pytest.mark.parametrize("code", PERIODS)
def test_every_change_in_the_summary_measures_the_figure_just_before_it(code):
    period = parse_period(code)
    text = write_summary(figures(STORE, period), "某区教育工会").text()
    checked = sum(check_sentence(sentence, period) for sentence in re.split(r"[。；\n]", text))
    assert checked >= 3, text
    assert "发放慰问金及慰问品" in text


def test_the_sample_2025_summary_says_the_money_fell_where_the_people_rose():
    """The sample's own 2025: 慰问 people rose and money fell; each change stands after its own figure."""
    sample = load_path(ROOT / "data" / "sample.xlsx")
    visits = sample.visits
    year = {y: visits[visits["date"].dt.year == y] for y in (2024, 2025)}
    people = [int(year[y]["count"].sum()) for y in (2024, 2025)]
    money = [float(year[y]["amount"].sum()) for y in (2024, 2025)]
    assert people[1] > people[0] and money[1] < money[0], "the sample's 2025 moves people and money apart"
    text = write_summary(figures(sample, parse_period("2025"))).text()
    fell = expected_change(money[1], money[0])
    assert fell.startswith("下降")
    assert re.search(rf"发放慰问金及慰问品[\d.]+万?元，较上年{fell}", text), text


@pytest.mark.parametrize("code", PERIODS)
def test_every_card_change_measures_its_own_figure_like_for_like(code):
    period = parse_period(code)
    result = figures(STORE, period)
    cards = {events_kind.PARTICIPANTS: "participants", events_kind.SPENDING: "spending", visits_kind.COUNT: "visits",
             visits_kind.AMOUNT: "visit_amount", competitions_kind.AWARDS: "awards", events_kind.COUNT: "events",
             donations_kind.CASH: "cash"}
    for comparison, against in ((result.previous, previous_name(period)), (result.year_ago, "去年同期")):
        if comparison is None:
            assert not reporting(period) & reporting(earlier_period(period, against)) or \
                earlier_period(period, against).end >= period.start
            continue
        for card, quantity in cards.items():
            now, then, all_compared = like_for_like(quantity, period, comparison.period)
            moved = kpi.card_comparison(card, comparison, against)
            if moved is None:
                continue
            assert moved.comparable == (not all_compared), card.label
            if then and now != then:
                assert f"（{expected_change(now, then).removeprefix('增长').removeprefix('下降')}" in \
                    moved.text.replace("-", ""), (card.label, moved.text, now, then)
            if moved.comparable:
                assert moved.earlier == f"可比：本期{kpi.value_text(card, now)}，{against}{kpi.value_text(card, then)}"
                assert moved.text.startswith("可比 ")
            else:
                assert moved.earlier == f"{against}：{kpi.value_text(card, then)}"


def test_the_deck_cards_state_the_like_for_like_change_and_the_units_left_out():
    period = parse_period("2025")
    deck = Presentation(io.BytesIO(deck_bytes(figures(STORE, period), "某区教育工会")))
    [slide] = [s for s in deck.slides if any(sh.has_text_frame and sh.text_frame.text == "主要数据" for sh in s.shapes)]
    texts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
    [card] = [t for t in texts if t.startswith(events_kind.PARTICIPANTS.label + "\n")]
    now, then, all_compared = like_for_like("participants", period, parse_period("2024"))
    assert all_compared is False  # the bureau is new in 2025
    lines = card.splitlines()
    assert lines[1] == f"{QUANTITIES['participants'](rows_in(period))}人次"
    assert lines[2] == f"+{now - then}（{expected_change(now, then).removeprefix('增长')}）"
    assert lines[3] == f"可比：本期{now}人次，上年{then}人次"
    note = " ".join(texts)
    assert f"按可比口径，不含{SCHOOL}（上年报送、本期未报送）、{BUREAU}（本期新报送）" in note
    assert dt.date.today().year  # the deck was built today


@pytest.mark.parametrize("code", ["2025", "2025Q1"])
def test_the_summary_names_the_units_each_comparison_leaves_out(code):
    period = parse_period(code)
    text = write_summary(figures(STORE, period), "某区教育工会").text()
    before = previous_name(period)
    dropped = sorted(reporting(period.previous()) - reporting(period))
    added = sorted(reporting(period) - reporting(period.previous()))
    assert dropped == [SCHOOL]
    assert f"与{before}相比按可比口径计算，不含{before}报送、" in text and SCHOOL in text.split("现将")[0]
    if added:
        assert f"新报送的{BUREAU}" in text.split("现将")[0]


def test_a_unit_left_out_of_both_comparisons_is_named_once_with_both_reasons():
    period = parse_period("2025Q1")
    result = figures(STORE, period)
    assert SCHOOL in reporting(period.previous()) and SCHOOL in reporting(period.year_ago())
    assert SCHOOL not in reporting(period)
    both = [(result.previous, "上季度"), (result.year_ago, "去年同期")]
    assert kpi.left_out_units(both) == f"{SCHOOL}（上季度报送、本期未报送；去年同期报送、本期未报送）"
    assert kpi.left_out_note(result.previous, "上季度", "本季度") == (
        f"与上季度对比按可比口径，不含{SCHOOL}（上季度报送、本季度未报送）")


def test_many_units_left_out_are_counted_after_the_first_five():
    result = figures(STORE, parse_period("2025"))
    units = tuple(f"分会{i}" for i in range(1, 7))
    many = Comparison(result.previous.earlier, result.previous.current, dropped=units)
    named = "、".join(f"{u}（上年报送、本期未报送）" for u in units[:5])
    assert kpi.left_out_units([(many, "上年")]) == f"{named}等6个单位"
    five = Comparison(result.previous.earlier, result.previous.current, dropped=units[:5])
    assert kpi.left_out_units([(five, "上年")]) == named
