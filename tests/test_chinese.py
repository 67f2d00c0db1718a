import datetime as dt

import pytest

from unionstats.chinese import listing, local_time, month_day, percent, plain, trend, yuan


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
