import datetime as dt

import pandas as pd
import pytest

from unionstats.periods import Period, parse_period, span_period

D = dt.date


@pytest.mark.parametrize("text, start, end, kind, label, short, code", [
    ("2024", D(2024, 1, 1), D(2024, 12, 31), "year", "2024年", "全年", "2024"),
    ("2024H1", D(2024, 1, 1), D(2024, 6, 30), "half", "2024年上半年", "上半年", "2024H1"),
    ("2024h2", D(2024, 7, 1), D(2024, 12, 31), "half", "2024年下半年", "下半年", "2024H2"),
    ("2024Q1", D(2024, 1, 1), D(2024, 3, 31), "quarter", "2024年第一季度", "第一季度", "2024Q1"),
    ("2024Q2", D(2024, 4, 1), D(2024, 6, 30), "quarter", "2024年第二季度", "第二季度", "2024Q2"),
    ("2024q4", D(2024, 10, 1), D(2024, 12, 31), "quarter", "2024年第四季度", "第四季度", "2024Q4"),
    ("2024-05", D(2024, 5, 1), D(2024, 5, 31), "month", "2024年5月", "5月", "2024-05"),
    ("2024-2", D(2024, 2, 1), D(2024, 2, 29), "month", "2024年2月", "2月", "2024-02"),
    ("2024-01-01..2024-03-31", D(2024, 1, 1), D(2024, 3, 31), "quarter", "2024年第一季度", "第一季度", "2024Q1"),
    ("2024-03-08..2024-05-01", D(2024, 3, 8), D(2024, 5, 1), "range", "2024年3月8日至5月1日", "3月8日至5月1日",
     "2024-03-08..2024-05-01"),
    ("2023-12-01..2024-01-31", D(2023, 12, 1), D(2024, 1, 31), "range", "2023年12月1日至2024年1月31日",
     "12月1日至2024年1月31日", "2023-12-01..2024-01-31"),
])
def test_every_form_parses_with_its_chinese_label(text, start, end, kind, label, short, code):
    period = parse_period(text)
    assert (period.start, period.end, period.kind) == (start, end, kind)
    assert (period.label, period.short_label, period.code) == (label, short, code)


@pytest.mark.parametrize("text, previous, year_ago", [
    ("2024", "2023", "2023"),
    ("2024H1", "2023H2", "2023H1"),
    ("2024H2", "2024H1", "2023H2"),
    ("2024Q1", "2023Q4", "2023Q1"),
    ("2024Q3", "2024Q2", "2023Q3"),
    ("2024-01", "2023-12", "2023-01"),
    ("2024-03", "2024-02", "2023-03"),
    ("2024-03-10..2024-03-19", "2024-02-29..2024-03-09", "2023-03-10..2023-03-19"),
    ("2024-02-29..2024-03-02", "2024-02-26..2024-02-28", "2023-02-28..2023-03-02"),
])
def test_previous_and_year_ago(text, previous, year_ago):
    period = parse_period(text)
    assert period.previous().code == previous
    assert period.year_ago().code == year_ago


@pytest.mark.parametrize("text", ["2024Q5", "2024H3", "24", "2024-13", "二〇二四", "2024-03-01..2024-02-01",
                                  "2024-02-30..2024-03-01", "", "2024/05"])
def test_anything_else_is_refused_with_the_accepted_forms(text):
    with pytest.raises(ValueError, match="2024Q2"):
        parse_period(text)


def test_mask_includes_both_ends_whole_days():
    dates = pd.Series(pd.to_datetime(["2024-03-31", "2024-04-01", "2024-06-30 18:00", "2024-07-01"], format="ISO8601"))
    assert parse_period("2024Q2").mask(dates).tolist() == [False, True, True, False]


@pytest.mark.parametrize("dates, code", [
    (["2024-01-05", "2024-12-20"], "2024-01-05..2024-12-20"),
    (["2024-01-01", "2024-12-31"], "2024"),
    (["2024-04-01", "2024-05-02", "2024-06-30"], "2024Q2"),
])
def test_the_span_of_data(dates, code):
    assert span_period(pd.Series(pd.to_datetime(dates))).code == code


def test_no_dates_no_period():
    assert span_period(pd.Series([], dtype="datetime64[us]")) is None


def test_periods_are_values():
    assert parse_period("2024Q2") == Period(D(2024, 4, 1), D(2024, 6, 30), "quarter")
