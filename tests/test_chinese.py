import datetime as dt

import pytest

from unionstats.writing.chinese import listing, local_time, month_day, number, percent, plain, quoted, trend, yuan


@pytest.mark.parametrize("amount, text", [(500, "500元"), (2550.5, "2550.5元"), (9999.99, "9999.99元"),
                                          (10000, "1万元"), (34100, "3.41万元"), (84055.5, "8.41万元"),
                                          (1234567, "123.46万元"), (0.5, "0.5元")])
def test_money_below_ten_thousand_in_yuan_above_in_wan(amount, text):
    assert yuan(amount) == text


@pytest.mark.parametrize("ratio, text", [(0.388, "38.8%"), (0.5, "50%"), (0.12345, "12.3%"), (1.0, "100%")])
def test_percentages_keep_one_decimal_and_drop_a_zero_one(ratio, text):
    assert percent(ratio) == text


def test_small_helpers():
    assert plain(3.10) == "3.1" and plain(3.0) == "3"
    assert month_day(dt.date(2024, 3, 8)) == "3月8日"
    assert listing(["结婚", "生育", "住院"]) == "结婚、生育和住院"
    assert listing(["结婚", "生育"], more=True) == "结婚、生育等"
    assert listing(["“春节联欢”", "“端午包粽子”"]) == "“春节联欢”和“端午包粽子”"
    assert listing(["“甲”", "“乙”", "“丙”"], more=True) == "“甲”“乙”“丙”等"


@pytest.mark.parametrize("current, earlier, against, text", [
    (120, 100, "上季度", "较上季度增长20%"),
    (90, 100, "去年同期", "比去年同期下降10%"),
    (5, 5, "上年", "与上年持平"),
    (5, None, "上年", ""),
    (5, 0, "上年", ""),
])
def test_trends(current, earlier, against, text):
    assert trend(current, earlier, against) == text


@pytest.mark.parametrize("value, places, text", [
    (1.005, 2, "1.01"), (0.125, 2, "0.13"), (2.675, 2, "2.68"), (1.25, 1, "1.3"), (0.05, 1, "0.1"),
    (3.14159, 2, "3.14"), (3.14159, 3, "3.142"), (1.2, 2, "1.2"), (100, 2, "100"), (120.5, 2, "120.5"),
    (2.5, 0, "3"), (100, 0, "100"), (1234.4, 0, "1234"), (-0.001, 2, "0"), (-0.004, 2, "0"), (-1.005, 2, "-1.01"),
])
def test_plain_rounds_half_up_to_the_places_and_drops_trailing_zeros(value, places, text):
    assert plain(value, places) == text


def test_plain_rounds_to_two_places_unless_told():
    assert plain(8.40555) == "8.41" and plain(0.004) == "0" and plain(7) == "7"


@pytest.mark.parametrize("value, text", [(1234, "1234"), (12.5, "12.5"), (1_200_000, "1200000"), (0.125, "0.13"),
                                         (0, "0"), (3.0, "3")])
def test_numbers_never_have_separators_or_exponents(value, text):
    assert number(value) == text


@pytest.mark.parametrize("amount, text", [(-500, "-500元"), (-20000, "-2万元"), (-10000, "-1万元"),
                                          (-9999.99, "-9999.99元"), (10000.4, "1万元"), (12345.678, "1.23万元"),
                                          (0.004, "0元"), (1.005, "1.01元")])
def test_money_rule_holds_for_negative_and_odd_amounts(amount, text):
    assert yuan(amount) == text


@pytest.mark.parametrize("ratio, text", [(0.0005, "0.1%"), (0.00049, "0%"), (2.5, "250%"), (-0.125, "-12.5%"),
                                         (0.0, "0%"), (1 / 3, "33.3%"), (0.5125, "51.3%"), (-0.5125, "-51.3%"),
                                         (0.0115, "1.2%")])
def test_percentages_round_half_up_at_one_decimal(ratio, text):
    assert percent(ratio) == text


def test_a_change_is_the_decimal_ratio_of_the_two_figures():
    """0.78元 against 1.6元: 0.82 / 1.6 is exactly 0.5125, which is 51.3% (binary floats give 51.2499…%)."""
    from unionstats.figures.engine import change

    assert change(0.78, 1.6).ratio == -0.5125 and percent(abs(change(0.78, 1.6).ratio)) == "51.3%"
    assert change(3, 0).ratio is None and change(None, 1) is None


@pytest.mark.parametrize("day, text", [(dt.date(2024, 12, 31), "12月31日"), (dt.date(2025, 1, 1), "1月1日")])
def test_month_day_has_no_leading_zeros(day, text):
    assert month_day(day) == text


@pytest.mark.parametrize("items, more, text", [
    ([], False, ""), ([], True, ""),
    (["结婚"], False, "结婚"), (["结婚"], True, "结婚等"),
    (["结婚", "生育"], False, "结婚和生育"),
    (["甲", "乙", "丙", "丁"], False, "甲、乙、丙和丁"), (["甲", "乙", "丙", "丁"], True, "甲、乙、丙、丁等"),
    (["“甲”"], False, "“甲”"), (["“甲”", "“乙”", "“丙”"], False, "“甲”“乙”和“丙”"),
    (["“甲”", "乙", "丙"], False, "“甲”、乙和丙"), (["甲", "“乙”"], True, "甲、“乙”等"),
])
def test_listing(items, more, text):
    assert listing(items, more=more) == text


def test_listing_names_every_item_unless_told_there_are_more():
    assert listing(["甲", "乙"]) == "甲和乙" and listing(["甲"]) == "甲"


def test_quoted_uses_chinese_quotation_marks():
    assert quoted("春节联欢") == "“春节联欢”"


@pytest.mark.parametrize("current, earlier, against, text", [
    (101, 100, "上月", "较上月增长1%"),
    (100, 101, "上月", "较上月下降1%"),
    (150, 100, "去年同期", "比去年同期增长50%"),
    (300, 100, "上半年", "较上半年增长200%"),
    (0, 100, "上季度", "较上季度下降100%"),
    (100.5, 100, "前一时段", "比前一时段增长0.5%"),
    (1000.1, 1000, "上年", "较上年增长0%"),
    (0, 0, "去年同期", "与去年同期持平"),
    (0, None, "上季度", ""),
    (1, 3, "上年下半年", "较上年下半年下降66.7%"),
])
def test_more_trends(current, earlier, against, text):
    assert trend(current, earlier, against) == text


def test_stored_moments_are_shown_in_local_time(monkeypatch):
    import time

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        assert local_time(dt.datetime(2026, 1, 5, 1, 30)) == "2026-01-05 09:30"
        assert local_time(dt.datetime(2026, 1, 5, 20, 0, tzinfo=dt.UTC)) == "2026-01-06 04:00"
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.parametrize("name, text", [
    ("春游", "“春游”"), ("“三八”妇女节活动", "“‘三八’妇女节活动”"), ('"三八"妇女节', "“‘三八’妇女节”"),
    ("“春游”", "“春游”"), ("「六一」活动", "“‘六一’活动”"), ("《工会法》学习", "“《工会法》学习”"),
    ("“双节”“三八”慰问", "“‘双节’‘三八’慰问”"), ("  读书会 ", "“读书会”"),
], ids=["plain", "nested", "ascii", "already", "corner", "book", "two-nested", "spaces"])
def test_quotes_inside_a_quoted_name_become_single_quotes(name, text):
    assert quoted(name) == text
    assert "““" not in quoted(name) and "””" not in quoted(name)
