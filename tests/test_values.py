import datetime as dt

import pytest

from unionstats import schema
from unionstats.values import (
    parse_category,
    parse_date,
    parse_int,
    parse_money,
    parse_result,
    parse_text,
    place_number,
)

D = dt.date(2024, 3, 8)


@pytest.mark.parametrize("raw", [
    D, dt.datetime(2024, 3, 8, 14, 30), "2024-03-08", "2024/3/8", "2024.3.8", "2024年3月8日", "20240308",
    " 2024 - 03 - 08 ", "2024-3-8", "2024年03月08号", "2024-03-08 00:00:00", 20240308, 20240308.0, 45359.0,
    "２０２４－０３－０８", "2024／3／8",
])
def test_dates_in_every_written_form(raw):
    assert parse_date(raw) == (D, None, None)


@pytest.mark.parametrize("raw, says", [
    ("3月8日", "不是日期"),
    ("2024-02-30", "不是存在的日期"),
    ("下周三", "不是日期"),
    ("1899-01-01", "1990"),
    (12.5, "不是日期"),
    (True, "不是日期"),
])
def test_bad_dates_say_what_to_write(raw, says):
    parsed = parse_date(raw)
    assert parsed.value is None
    assert says in parsed.error and "2024-03-08" in parsed.error or "1990" in parsed.error


@pytest.mark.parametrize("raw", ["", "  ", None, "-", "—", "无"])
def test_blank_cells_are_no_value(raw):
    assert parse_date(raw) == (None, None, None)
    assert parse_money(raw) == (None, None, None)
    assert parse_int(raw) == (None, None, None)


@pytest.mark.parametrize("raw, yuan", [
    (1500, 1500.0), (1500.0, 1500.0), ("1500", 1500.0), ("1,500", 1500.0), ("¥1500", 1500.0), ("￥1,500.00", 1500.0),
    ("1500元", 1500.0), ("0.15万元", 1500.0), ("1.2万", 12000.0), (" 1 500 ", 1500.0), ("1，500", 1500.0),
    (0, 0.0), ("12.345", 12.35), ("RMB 80", 80.0),
])
def test_money_as_number_and_text(raw, yuan):
    assert parse_money(raw) == (yuan, None, None)


def test_money_under_a_wan_yuan_header_is_scaled():
    assert parse_money(0.15, scale=10_000).value == 1500.0
    assert parse_money("0.15万元", scale=10_000).value == 1500.0


@pytest.mark.parametrize("raw, says", [
    ("abc", "不是金额"), (-5, "负数"), ("-100元", "负数"), ("1.5.0", "不是金额"), (dt.date(2024, 1, 1), "不是金额"),
])
def test_bad_money(raw, says):
    parsed = parse_money(raw)
    assert parsed.value is None and says in parsed.error


@pytest.mark.parametrize("raw, number", [(12, 12), (12.0, 12), ("12", 12), ("12人", 12), ("12人次", 12),
                                         ("3件", 3), ("1,200", 1200)])
def test_integers(raw, number):
    assert parse_int(raw) == (number, None, None)


@pytest.mark.parametrize("raw, minimum, says", [(12.5, 0, "不是整数"), (-1, 0, "小于 0"), (0, 1, "小于 1"),
                                                ("十二", 0, "不是数字"), (True, 0, "不是数字")])
def test_bad_integers(raw, minimum, says):
    parsed = parse_int(raw, minimum)
    assert parsed.value is None and says in parsed.error


REASON = schema.VISITS.column("reason")
CATEGORY = schema.EVENTS.column("category")


@pytest.mark.parametrize("raw, choice", [
    *[(c, c) for c in schema.VISIT_REASONS],
    ("住院", "生病住院"), ("生病", "生病住院"), ("病", "生病住院"), ("新婚", "结婚"),
    ("生孩子", "生育"), ("产假", "生育"), ("去世", "丧事"), ("丧葬", "丧事"),
    ("办丧", "丧事"), ("困难", "困难帮扶"), ("谈心", "谈心谈话"),
    ("职工生病住院慰问", "生病住院"), (" 结 婚 ", "结婚"),
])
def test_visit_reasons_and_their_synonyms(raw, choice):
    assert parse_category(raw, REASON) == (choice, None, None)


@pytest.mark.parametrize("raw, choice", [*[(c, c) for c in schema.EVENT_CATEGORIES], ("文体", "文体活动"),
                                         ("节日", "节日活动"), ("培训", "学习培训"), ("旅游", "参观旅游")])
def test_event_categories_and_their_synonyms(raw, choice):
    assert parse_category(raw, CATEGORY).value == choice


def test_unknown_category_becomes_other_with_a_warning():
    parsed = parse_category("团建", CATEGORY)
    assert parsed.value == "其他" and parsed.error is None
    assert "团建" in parsed.warning and "文体活动" in parsed.warning


@pytest.mark.parametrize("raw, result, award", [
    ("第一名", "第一名", ""), ("冠军", "第一名", ""), ("亚军", "第二名", ""), ("季军", "第三名", ""),
    ("第4名", "第四名", ""), ("第十二名", "第十二名", ""), (3, "第三名", ""), ("团体第一名", "第一名", ""),
    ("一等奖", "一等奖", ""), ("二等奖", "二等奖", ""), ("三等奖", "三等奖", ""), ("优秀奖", "优秀奖", ""),
    ("最佳组织奖", "其他奖项", "最佳组织奖"), ("参与", "参与", ""), ("", "参与", ""), ("未获奖", "参与", ""),
])
def test_competition_results(raw, result, award):
    assert parse_result(raw).value == (result, award)


def test_place_numbers():
    assert [place_number(r) for r in ("第一名", "第十二名", "一等奖")] == [1, 12, None]


@pytest.mark.parametrize("raw, text", [("  三八  节 ", "三八 节"), (12.0, "12"), (D, "2024-03-08"), ("", None)])
def test_text(raw, text):
    assert parse_text(raw).value == text


# The edges of each rule, so that moving one (a < for a <=, a bound off by one) changes a result.

@pytest.mark.parametrize("raw, day", [
    ("1990-01-01", dt.date(1990, 1, 1)), ("2100-12-31", dt.date(2100, 12, 31)),
    (19900101, dt.date(1990, 1, 1)), (21001231, dt.date(2100, 12, 31)),
    (32874, dt.date(1990, 1, 1)), (73415, dt.date(2100, 12, 31)),
])
def test_the_first_and_last_accepted_days(raw, day):
    assert parse_date(raw) == (day, None, None)


@pytest.mark.parametrize("raw, day", [
    ("1989-12-31", "1989-12-31"), ("2101-01-01", "2101-01-01"), (19000101, "1900-01-01"),
    (dt.datetime(1989, 12, 31, 23, 59), "1989-12-31"), (32873, "1989-12-31"), (73416, "2101-01-01"),
])
def test_a_day_just_outside_1990_to_2100_names_the_day(raw, day):
    assert parse_date(raw) == (None, f"日期 {day} 不在 1990 年至 2100 年之间，请核对年份", None)


def test_excel_day_numbers_from_20000_to_80000_are_days_and_no_others():
    from openpyxl.utils.datetime import from_excel

    for serial in (20000, 80000):
        day = from_excel(serial).date()
        assert parse_date(serial).error == f"日期 {day.isoformat()} 不在 1990 年至 2100 年之间，请核对年份"
        assert parse_date(float(serial)).error == parse_date(serial).error
    assert parse_date(45359).value == from_excel(45359).date() == D
    for serial in (19999, 80001, 19000100, 21001232):
        error = parse_date(serial).error
        assert error.endswith("”不是日期，请填写日期，如 2024-03-08、2024/3/8 或 2024年3月8日"), serial
        assert "存在" not in error and "1990" not in error


@pytest.mark.parametrize("raw, text", [
    (dt.datetime(2024, 3, 8), "2024-03-08"),
    (dt.datetime(2024, 3, 8, 14, 30), "2024-03-08 14:30:00"),
    (dt.datetime(2024, 3, 8, 0, 0, 1), "2024-03-08 00:00:01"),
])
def test_text_of_a_moment_shows_its_time_only_when_it_has_one(raw, text):
    assert parse_text(raw) == (text, None, None)


@pytest.mark.parametrize("raw", [float("nan"), "N/A", "NULL", "None", " NA ", "--"])
def test_missing_value_markers_in_any_case_are_blank(raw):
    for parse in (parse_date, parse_money, parse_int, parse_text):
        assert parse(raw) == (None, None, None), parse.__name__


@pytest.mark.parametrize("raw, yuan", [("人民币80", 80.0), ("人民币 1,500元", 1500.0), ("RMB1.5万", 15000.0),
                                       ("￥0.5", 0.5), ("¥ 80", 80.0)])
def test_money_with_a_currency_word_or_sign_before_it(raw, yuan):
    assert parse_money(raw) == (yuan, None, None)


@pytest.mark.parametrize("raw", ["X100", "100X", "XX¥100", "80人民币", "万元"])
def test_other_letters_around_an_amount_are_not_money(raw):
    parsed = parse_money(raw)
    assert parsed.value is None
    assert parsed.error == f"“{raw}”不是金额，请填写金额（元），如 1500、1,500、1500元 或 0.15万元"


@pytest.mark.parametrize("raw", [float("inf"), float("-inf")])
def test_an_infinite_number_is_neither_money_nor_a_count(raw):
    assert parse_money(raw) == (None, f"“{raw}”不是金额，请填写金额（元），如 1500、1,500、1500元 或 0.15万元", None)
    assert parse_money(raw, scale=10_000).error == parse_money(raw).error
    assert parse_int(raw) == (None, f"“{raw}”不是数字，请填写整数", None)


@pytest.mark.parametrize("raw, scale, yuan", [
    ("0.36", 10_000, 3600.0), ("0.36", 1.0, 0.36), (0.36, 10_000, 3600.0), ("1,200.5", 10_000, 12_005_000.0),
    ("0.123456", 10_000, 1234.56), ("0.000001", 10_000, 0.01), ("0.15万元", 10_000, 1500.0), ("2万", 1.0, 20000.0),
])
def test_text_money_under_a_wan_yuan_header_is_scaled_like_a_number(raw, scale, yuan):
    assert parse_money(raw, scale=scale) == (yuan, None, None)


@pytest.mark.parametrize("raw, minimum, number", [(0, 0, 0), ("0人", 0, 0), (1, 1, 1), ("1次", 1, 1), (5, 5, 5)])
def test_the_minimum_itself_is_allowed(raw, minimum, number):
    assert parse_int(raw, minimum) == (number, None, None)
    assert parse_int(raw) == (number, None, None)


def test_a_number_below_the_minimum_says_both():
    assert parse_int(0, 1) == (None, "“0”小于 1，请填写不小于 1 的整数", None)
    assert parse_int("-1人", 0) == (None, "“-1人”小于 0，请填写不小于 0 的整数", None)


@pytest.mark.parametrize("raw, result", [
    ("第9名", "第九名"), ("第10名", "第十名"), ("第十名", "第十名"), ("第11名", "第十一名"), ("第十九名", "第十九名"),
    ("第20名", "第二十名"), ("第二十名", "第二十名"), ("第21名", "第二十一名"), ("第二十二名", "第二十二名"),
    ("第35名", "第三十五名"), ("第九十九名", "第九十九名"), (40, "第四十名"), ("第100名", "第100名"),
])
def test_places_are_written_in_chinese_numerals_up_to_99(raw, result):
    assert parse_result(raw) == ((result, ""), None, None)


@pytest.mark.parametrize("result, number", [
    ("第十名", 10), ("第十一名", 11), ("第二十名", 20), ("第二十一名", 21), ("第九十九名", 99), ("第100名", 100),
    ("第五名", 5), ("第一二名", None), ("一等奖", None),
])
def test_place_numbers_read_back(result, number):
    assert place_number(result) == number


@pytest.mark.parametrize("raw", ["第一二名", "第0名", "第00名"])
def test_a_place_that_is_no_number_is_kept_as_an_award_name(raw):
    assert parse_result(raw) == (("其他奖项", raw), None, None)


KIND = schema.DONATIONS.column("kind")
GROUP = schema.VISITS.column("group")


@pytest.mark.parametrize("raw, column, choice", [
    ("个人捐款", KIND, "个人"), ("职工个人", KIND, "个人"), ("退休女职工", GROUP, "女职工"),
    ("职工病故", REASON, "丧事"), ("节日前召开职代会", CATEGORY, "民主管理"),
    ("离退休慰问暨节日慰问", REASON, "离退休慰问"),
])
def test_a_listed_name_inside_the_text_and_then_the_longest_word_decide(raw, column, choice):
    assert parse_category(raw, column) == (choice, None, None)


def test_other_inside_the_text_is_still_not_a_listed_choice():
    parsed = parse_category("其他活动", CATEGORY)
    assert parsed.value == "其他"
    assert parsed.warning == ("“其他活动”不是规定的类别，已记为「其他」；"
                              "可选：文体活动、节日活动、参观旅游、学习培训、民主管理、志愿公益、其他")
