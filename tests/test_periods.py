import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from unionstats.contract.periods import Period, parse_period, span_period

D = dt.date


@pytest.mark.parametrize("text, start, end, kind, label, short, code", [
    ("2024", D(2024, 1, 1), D(2024, 12, 31), "year", "2024年", "全年", "2024"),
    ("2024H1", D(2024, 1, 1), D(2024, 6, 30), "half", "2024年上半年", "上半年", "2024H1"),
    ("2024h2", D(2024, 7, 1), D(2024, 12, 31), "half", "2024年下半年", "下半年", "2024H2"),
    ("2024Q1", D(2024, 1, 1), D(2024, 3, 31), "quarter", "2024年第一季度", "第一季度", "2024Q1"),
    ("2024Q2", D(2024, 4, 1), D(2024, 6, 30), "quarter", "2024年第二季度", "第二季度", "2024Q2"),
    ("2024q3", D(2024, 7, 1), D(2024, 9, 30), "quarter", "2024年第三季度", "第三季度", "2024Q3"),
    ("2024Q4", D(2024, 10, 1), D(2024, 12, 31), "quarter", "2024年第四季度", "第四季度", "2024Q4"),
    ("2024-05", D(2024, 5, 1), D(2024, 5, 31), "month", "2024年5月", "5月", "2024-05"),
    ("2024-5", D(2024, 5, 1), D(2024, 5, 31), "month", "2024年5月", "5月", "2024-05"),
    ("2024-12", D(2024, 12, 1), D(2024, 12, 31), "month", "2024年12月", "12月", "2024-12"),
    ("2024-2", D(2024, 2, 1), D(2024, 2, 29), "month", "2024年2月", "2月", "2024-02"),
    ("2023-02", D(2023, 2, 1), D(2023, 2, 28), "month", "2023年2月", "2月", "2023-02"),
    (" 2024Q2 ", D(2024, 4, 1), D(2024, 6, 30), "quarter", "2024年第二季度", "第二季度", "2024Q2"),
    ("２０２４Ｑ２", D(2024, 4, 1), D(2024, 6, 30), "quarter", "2024年第二季度", "第二季度", "2024Q2"),
    ("2024-03-08..2024-05-01", D(2024, 3, 8), D(2024, 5, 1), "range",
     "2024年3月8日至5月1日", "3月8日至5月1日", "2024-03-08..2024-05-01"),
    ("2024-3-8 .. 2024-5-1", D(2024, 3, 8), D(2024, 5, 1), "range",
     "2024年3月8日至5月1日", "3月8日至5月1日", "2024-03-08..2024-05-01"),
    ("2023-12-01..2024-01-31", D(2023, 12, 1), D(2024, 1, 31), "range",
     "2023年12月1日至2024年1月31日", "12月1日至2024年1月31日", "2023-12-01..2024-01-31"),
    ("2024-03-08..2024-03-08", D(2024, 3, 8), D(2024, 3, 8), "range", "2024年3月8日", "3月8日",
     "2024-03-08..2024-03-08"),
    ("2024-01-01..2024-03-30", D(2024, 1, 1), D(2024, 3, 30), "range",
     "2024年1月1日至3月30日", "1月1日至3月30日", "2024-01-01..2024-03-30"),
    ("2024-04-15..2024-06-30", D(2024, 4, 15), D(2024, 6, 30), "range",
     "2024年4月15日至6月30日", "4月15日至6月30日", "2024-04-15..2024-06-30"),
    ("2024-01-01..2024-03-31", D(2024, 1, 1), D(2024, 3, 31), "quarter",
     "2024年第一季度", "第一季度", "2024Q1"),
    ("2024-07-01..2024-12-31", D(2024, 7, 1), D(2024, 12, 31), "half", "2024年下半年", "下半年", "2024H2"),
    ("2024-01-01..2024-12-31", D(2024, 1, 1), D(2024, 12, 31), "year", "2024年", "全年", "2024"),
    ("2024-02-01..2024-02-29", D(2024, 2, 1), D(2024, 2, 29), "month", "2024年2月", "2月", "2024-02"),
])
def test_every_form_parses_with_its_chinese_label(text, start, end, kind, label, short, code):
    period = parse_period(text)
    assert (period.start, period.end, period.kind) == (start, end, kind)
    assert (period.label, period.short_label, period.code, str(period)) == (label, short, code, label)
    assert parse_period(period.code) == period


@pytest.mark.parametrize("text, previous, year_ago", [
    ("2024", "2023", "2023"),
    ("2024H1", "2023H2", "2023H1"),
    ("2024H2", "2024H1", "2023H2"),
    ("2024Q1", "2023Q4", "2023Q1"),
    ("2024Q3", "2024Q2", "2023Q3"),
    ("2024-01", "2023-12", "2023-01"),
    ("2024-03", "2024-02", "2023-03"),
    ("2025-02", "2025-01", "2024-02"),
    ("2024-03-10..2024-03-19", "2024-02-29..2024-03-09", "2023-03-10..2023-03-19"),
    ("2024-01-01..2024-01-10", "2023-12-22..2023-12-31", "2023-01-01..2023-01-10"),
    ("2024-02-29..2024-03-02", "2024-02-26..2024-02-28", "2023-02-28..2023-03-02"),
    ("2024-02-29..2024-02-29", "2024-02-28..2024-02-28", "2023-02-28..2023-02-28"),
    ("2025-03-01..2026-02-28", "2024-03-01..2025-02-28", "2024-03-01..2025-02-28"),
    ("2024-03-01..2024-03-29", "2024-02", "2023-03-01..2023-03-29"),
    ("2024-02-01..2024-02-28", "2024-01-04..2024-01-31", "2023-02"),
])
def test_previous_and_year_ago(text, previous, year_ago):
    period = parse_period(text)
    assert period.previous() == parse_period(previous)
    assert period.year_ago() == parse_period(year_ago)


@pytest.mark.parametrize("text, days", [
    ("2024-04-15..2024-06-30", 16 + 31 + 30),
    ("2024-04-01..2024-06-29", 30 + 31 + 29),
    ("2024-02-01..2024-04-30", 29 + 31 + 30),
    ("2024-01-02..2024-12-31", 366 - 1),
    ("2024-07-01..2024-12-30", 31 + 31 + 30 + 31 + 30 + 30),
    ("2024-05-01..2024-05-30", 30),
    ("2024-05-02..2024-05-31", 30),
    ("2024-03-31..2024-04-30", 31),
])
def test_a_range_that_only_nearly_fills_a_calendar_period_stays_a_range(text, days):
    period = parse_period(text)
    first, last = (dt.date.fromisoformat(t) for t in text.split(".."))
    assert (period.kind, period.start, period.end, period.days) == ("range", first, last, days)
    assert period.code == text and "季度" not in period.label and "半年" not in period.label
    assert not period.contains(first - dt.timedelta(days=1)) and period.contains(first)
    assert period.contains(last) and not period.contains(last + dt.timedelta(days=1))


def test_mid_april_to_june_counts_from_the_fifteenth_not_the_first_of_april():
    period = parse_period("2024-04-15..2024-06-30")
    assert period.label == "2024年4月15日至6月30日" and period.label != parse_period("2024Q2").label
    moments = ["2024-04-01 00:00", "2024-04-14 23:59:59.999999", "2024-04-15 00:00", "2024-05-20 12:00",
               "2024-06-30 23:59:59.999999", "2024-07-01 00:00", None]
    dates = pd.Series(pd.to_datetime(moments, format="ISO8601")).astype("datetime64[us]")
    assert period.mask(dates).tolist() == [False, False, True, True, True, False, False]
    assert parse_period("2024Q2").mask(dates).tolist() == [True, True, True, True, True, False, False]
    assert period.previous() == parse_period("2024-01-29..2024-04-14")  # 3 + 29 + 31 + 14 = 77 days
    assert period.year_ago() == parse_period("2023-04-15..2023-06-30")


@pytest.mark.parametrize("text, moments, inside", [
    ("2024-03-08..2024-03-08", ["2024-03-07 23:59:59.999999", "2024-03-08 00:00", "2024-03-08 23:59:59.999999",
                                "2024-03-09 00:00"], [False, True, True, False]),
    ("2024", ["2023-12-31 23:59:59", "2024-01-01 00:00", "2024-12-31 23:59:59.999999", "2025-01-01 00:00"],
     [False, True, True, False]),
    ("2024-02", ["2024-01-31 23:00", "2024-02-01 00:00", "2024-02-29 23:59", "2024-03-01 00:00"],
     [False, True, True, False]),
])
def test_mask_takes_the_first_and_last_day_whole_and_nothing_either_side(text, moments, inside):
    dates = pd.Series(pd.to_datetime(moments, format="ISO8601")).astype("datetime64[us]")
    assert parse_period(text).mask(dates).tolist() == inside
    assert [parse_period(text).contains(moment) for moment in dates] == inside


def test_a_previous_range_has_as_many_days_and_ends_the_day_before():
    period = parse_period("2024-03-10..2024-04-20")
    before = period.previous()
    assert (before.days, before.end, before.kind) == (period.days, D(2024, 3, 9), "range")


@pytest.mark.parametrize("text", [
    "2024Q5", "2024Q0", "2024H3", "2024H0", "24", "202", "20245", "2024-13", "2024-0", "2024-001",
    "二〇二四", "2024年", "2024/05", "2024.05", "", "  ", "Q2", "2024Q", "2024-05-01",
    "2024-02-30..2024-03-01", "2024-01-01..", "..2024-01-01", "2024-01-01..2024-02", "20240101..20240331",
    "2024-W01", "0000", "2024-01-01...2024-02-01",
])
def test_anything_else_is_refused_with_the_accepted_forms(text):
    with pytest.raises(ValueError, match="无法识别统计期") as refused:
        parse_period(text)
    for form in ("2024H1", "2024Q1", "2024-05", "2024-01-01..2024-03-31"):
        assert form in str(refused.value)


def test_an_end_before_the_start_is_refused_as_such():
    with pytest.raises(ValueError, match="结束日期早于开始日期") as refused:
        parse_period("2024-03-01..2024-02-01")
    assert str(refused.value).startswith("统计期“2024-03-01..2024-02-01”的结束日期早于开始日期。")
    assert "2024Q1" in str(refused.value)


@pytest.mark.parametrize("start, end, kind, says", [
    (D(2024, 3, 2), D(2024, 3, 1), "range", "统计期的结束日期 2024-03-01 早于开始日期 2024-03-02"),
    (D(2024, 4, 1), D(2024, 5, 31), "quarter", "2024-04-01 至 2024-05-31 不是一个完整的季度"),
    (D(2024, 2, 1), D(2024, 6, 30), "half", "2024-02-01 至 2024-06-30 不是一个完整的半年"),
    (D(2024, 4, 15), D(2024, 6, 30), "quarter", "2024-04-15 至 2024-06-30 不是一个完整的季度"),
    (D(2024, 1, 1), D(2024, 12, 30), "year", "2024-01-01 至 2024-12-30 不是一个完整的年度"),
    (D(2024, 5, 2), D(2024, 5, 31), "month", "2024-05-02 至 2024-05-31 不是一个完整的月份"),
    (D(2024, 1, 1), D(2024, 12, 31), "week", "未知的统计期类型“week”"),
])
def test_a_period_that_cannot_be_is_refused_saying_why(start, end, kind, says):
    with pytest.raises(ValueError) as refused:
        Period(start, end, kind)
    assert str(refused.value) == says


def test_a_period_is_a_value_and_a_range_by_default():
    assert parse_period("2024Q2") == Period(D(2024, 4, 1), D(2024, 6, 30), "quarter")
    assert Period(D(2024, 4, 1), D(2024, 6, 30)).kind == "range"
    assert len({parse_period("2024Q2"), parse_period("2024q2"), parse_period("2024-04-01..2024-06-30")}) == 1
    assert Period.of("month", 2024, 11) == parse_period("2024-11")
    assert Period.of("year", 2024) == Period(D(2024, 1, 1), D(2024, 12, 31), "year")
    assert Period.of("quarter", 2024) == Period(D(2024, 1, 1), D(2024, 3, 31), "quarter")
    assert Period.containing("half", D(2024, 8, 15)) == parse_period("2024H2")


@pytest.mark.parametrize("day, inside", [
    (D(2024, 3, 31), False), (D(2024, 4, 1), True), (D(2024, 6, 30), True), (D(2024, 7, 1), False),
    (dt.datetime(2024, 6, 30, 23, 59), True), (pd.Timestamp("2024-07-01 00:00"), False),
])
def test_contains_both_ends_whole_days(day, inside):
    assert parse_period("2024Q2").contains(day) is inside


def test_mask_includes_both_ends_whole_days_and_never_a_missing_date():
    moments = ["2024-03-31 23:59", "2024-04-01", "2024-06-30 18:00", "2024-07-01", None]
    dates = pd.Series(pd.to_datetime(moments, format="ISO8601")).astype("datetime64[us]")
    assert parse_period("2024Q2").mask(dates).tolist() == [False, True, True, False, False]


@pytest.mark.parametrize("dates, code", [
    (["2024-01-05", "2024-12-20"], "2024"),
    (["2024-12-31", "2024-01-01"], "2024"),
    (["2024-01-01", "2024-06-30"], "2024H1"),
    (["2024-04-01", "2024-05-02", "2024-06-30"], "2024Q2"),
    (["2024-02-01", "2024-02-29"], "2024-02"),
    (["2024-03-08"], "2024-03"),
    (["2023-12-01", None, "2024-01-31"], "2023-12-01..2024-01-31"),
])
def test_the_span_of_data(dates, code):
    assert span_period(pd.Series(pd.to_datetime(dates)).astype("datetime64[us]")).code == code


def test_the_span_of_plain_dates():
    assert span_period([D(2024, 10, 1), D(2024, 12, 31)]) == parse_period("2024Q4")


def test_the_span_of_any_iterable_of_dates():
    days = [D(2024, 3, 8), D(2024, 1, 20), D(2024, 5, 1)]
    assert span_period(day for day in days) == parse_period("2024H1")
    assert span_period(set(days)) == parse_period("2024H1")
    assert span_period(iter([])) is None


@pytest.mark.parametrize("dates", [pd.Series([], dtype="datetime64[us]"),
                                   pd.Series([None], dtype="datetime64[us]"), []])
def test_no_dates_no_period(dates):
    assert span_period(dates) is None


DAYS = st.dates(D(2001, 1, 1), D(2099, 12, 31))


@given(DAYS, st.integers(0, 800))
def test_any_range_reads_back_and_steps_back(start, length):
    period = span_period([start, start + dt.timedelta(days=length)])
    assert parse_period(period.code) == period
    before, year_ago = period.previous(), period.year_ago()
    assert before.end == period.start - dt.timedelta(days=1)
    if period.kind == "range":
        assert before.days == period.days
        assert (year_ago.start.year, year_ago.end.year) == (period.start.year - 1, period.end.year - 1)
    else:
        assert before.kind == year_ago.kind == period.kind
        assert year_ago.start == period.start.replace(year=period.start.year - 1)


@pytest.mark.parametrize("first, last, code, label", [
    ("2008-01-15", "2008-12-10", "2008", "2008年"),
    ("2013-04-11", "2013-06-28", "2013Q2", "2013年第二季度"),
    ("2024-02-01", "2024-04-30", "2024H1", "2024年上半年"),
    ("2024-03-31", "2024-04-30", "2024H1", "2024年上半年"),
    ("2024-07-01", "2024-12-30", "2024H2", "2024年下半年"),
    ("2024-05-02", "2024-05-31", "2024-05", "2024年5月"),
    ("2024-05-09", "2024-05-09", "2024-05", "2024年5月"),
    ("2024-09-30", "2024-10-01", "2024H2", "2024年下半年"),
    ("2024-06-30", "2024-07-01", "2024", "2024年"),
    ("2024-11-15", "2025-02-10", "2024-11-15..2025-02-10", "2024年11月15日至2025年2月10日"),
], ids=["year", "quarter", "half", "half-across-quarters", "second-half", "month", "one-day", "h2-edge",
        "year-edge", "across-years"])
def test_data_without_a_chosen_period_is_summarised_for_its_natural_period(first, last, code, label):
    days = [dt.date.fromisoformat(first), dt.date.fromisoformat(last)]
    period = span_period(days)
    assert (period.code, period.label) == (code, label)
    assert period.contains(days[0]) and period.contains(days[1])
    assert span_period(pd.Series(pd.to_datetime([first, None, last]))) == period
