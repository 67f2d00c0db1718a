import datetime as dt

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from unionstats.contract import schema
from unionstats.intake.values import (
    parse_category,
    parse_date,
    parse_int,
    parse_money,
    parse_result,
    parse_text,
    parse_year,
    place_number,
    plain_date,
)
from unionstats.kinds import donations as donations_kind
from unionstats.kinds import events as events_kind
from unionstats.kinds import visits as visits_kind

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


# Texts near the plain forms: digits plain and full width, every separator and mark, spaces and times
near_dates = st.text(alphabet=list("0123456789０３-/.／－年月日号 T:x"), max_size=16)
typed_days = st.builds(lambda day, form: form.format(y=day.year, m=day.month, d=day.day),
                       st.dates(dt.date(1985, 1, 1), dt.date(2105, 12, 31)),
                       st.sampled_from(["{y}-{m:02d}-{d:02d}", "{y}/{m}/{d}", "{y}.{m}.{d}", "{y}-{m}/{d}",
                                        "{y}年{m}月{d}日", "{y}年{m:02d}月{d:02d}号", "{y}年{m}月{d}", "{y}{m:02d}{d:02d}"]))


@given(st.one_of(near_dates, typed_days))
def test_the_quick_path_for_dates_reads_a_day_as_the_date_parser_does(raw):
    day = plain_date(raw)
    assert day is None or parse_date(raw) == (day, None, None)


@given(st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)), st.sampled_from(["-", "/", "."]), st.booleans())
@example(dt.date(1990, 1, 1), "-", False)
@example(dt.date(2100, 12, 31), ".", True)
def test_the_quick_path_reads_every_day_typed_plainly(day, mark, named):
    raw = f"{day.year}年{day.month}月{day.day}日" if named else f"{day.year}{mark}{day.month}{mark}{day.day:02d}"
    assert plain_date(raw) == day


@pytest.mark.parametrize("raw", ["2024-02-30", "1989-12-31", "2101-01-01", "２０２４-03-08", "2024-03-08 10:00",
                                 " 2024-03-08", "2024年3月8日 ", "2024-03", "24-03-08"])
def test_the_quick_path_leaves_the_rest_to_the_date_parser(raw):
    assert plain_date(raw) is None


def test_a_date_parsed_before_as_another_type_is_parsed_as_its_own():
    """Dates are parsed once per value, and True equals 1.0 (False 0.0), but each is read as itself."""
    assert "“True”" in parse_date(True).error and "“1”" in parse_date(1.0).error and "“1”" in parse_date(1).error
    assert "“False”" in parse_date(False).error and "“0”" in parse_date(0.0).error
    assert parse_date(45359.0) == parse_date(45359) == (D, None, None)


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


REASON = visits_kind.SHEET.column("reason")
CATEGORY = events_kind.SHEET.column("category")


@pytest.mark.parametrize("raw, choice", [
    *[(c, c) for c in visits_kind.REASONS],
    ("住院", "生病住院"), ("生病", "生病住院"), ("病", "生病住院"), ("新婚", "结婚"),
    ("生孩子", "生育"), ("产假", "生育"), ("去世", "丧事"), ("丧葬", "丧事"),
    ("办丧", "丧事"), ("困难", "困难帮扶"), ("谈心", "谈心谈话"),
    ("职工生病住院慰问", "生病住院"), (" 结 婚 ", "结婚"),
])
def test_visit_reasons_and_their_synonyms(raw, choice):
    assert parse_category(raw, REASON) == (choice, None, None)


@pytest.mark.parametrize("raw, choice", [*[(c, c) for c in events_kind.CATEGORIES], ("文体", "文体活动"),
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


KIND = donations_kind.SHEET.column("kind")
GROUP = visits_kind.SHEET.column("group")


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


# Hostile cells: invisible control characters and absurd numbers.

INVISIBLE = "单元格含有不可见的控制字符，已删除，请核对内容"
CONTROLS = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x0e", "\x1f", "\x7f", "\x80", "\x85", "\x9f",
            "\ud800", "\udfff", "\ufdd0", "\ufdef", "\ufffe", "\uffff", "\U0001fffe", "\U0010ffff"]


@pytest.mark.parametrize("control", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_a_control_character_is_taken_out_of_every_kind_of_cell_with_a_warning(control):
    assert parse_text(f"春游{control}活动") == ("春游活动", None, INVISIBLE)
    assert parse_date(f"2024-03-08{control}") == (D, None, INVISIBLE)
    assert parse_money(f"1,500{control}元") == (1500.0, None, INVISIBLE)
    assert parse_int(f"{control}86人") == (86, None, INVISIBLE)
    assert parse_category(f"住{control}院", REASON) == ("生病住院", None, INVISIBLE)
    assert parse_result(f"最佳{control}组织奖") == (("其他奖项", "最佳组织奖"), None, INVISIBLE)


def test_a_control_character_warning_comes_before_the_cells_own_warning_or_error():
    parsed = parse_category("团\x01建", CATEGORY)
    assert parsed.value == "其他" and parsed.warning.startswith(INVISIBLE + "；“团建”不是规定的类别")
    assert parse_money("x\x01元") == (None, "“x元”不是金额，请填写金额（元），如 1500、1,500、1500元 或 0.15万元",
                                     INVISIBLE)
    assert parse_text("\x01\x02") == (None, None, INVISIBLE)


@pytest.mark.parametrize("raw", ["春游\t活动", "春游\n活动", "春游\r\n活动", "春游\u3000活动", "春游 活动"])
def test_tabs_newlines_and_wide_spaces_are_spacing_not_control_characters(raw):
    assert parse_text(raw) == ("春游 活动", None, None)


@pytest.mark.parametrize("raw", ["春游活动", "Ünïcödé ‘quotes’ — 𠀀", "①②", "😀", "a\u200bb"])
def test_printable_text_is_left_as_it_is(raw):
    assert parse_text(raw) == (raw, None, None)
    assert schema.visible(raw) is raw


@pytest.mark.parametrize("raw", [10_000_001, 1e19, 1e300, "10000001", "99999999999999999999", "10,000,001人"])
def test_a_count_above_ten_million_is_an_error_saying_the_limit(raw):
    parsed = parse_int(raw)
    assert parsed.value is None and parsed.warning is None
    assert parsed.error.endswith("超出合理范围（不超过 10,000,000），请核对")


def test_the_count_limit_itself_is_allowed_and_the_message_quotes_the_cell_as_excel_shows_it():
    assert parse_int(10_000_000) == parse_int("10,000,000人") == (10_000_000, None, None)
    assert parse_int(1e19).error == "“1E+19”超出合理范围（不超过 10,000,000），请核对"
    assert parse_int(20_000_000.0).error == "“20000000”超出合理范围（不超过 10,000,000），请核对"
    assert parse_int("99999999999999999999").error == "“99999999999999999999”超出合理范围（不超过 10,000,000），请核对"
    assert parse_int(150, 1, maximum=100).error == "“150”超出合理范围（不超过 100），请核对"


@pytest.mark.parametrize("raw, scale", [(1e17, 1.0), (1_000_000_000.01, 1.0), ("100001万", 1.0),
                                        ("99999999999999999999", 1.0), (100_001, 10_000.0), ("100001", 10_000.0)])
def test_money_above_a_billion_yuan_is_an_error_saying_the_limit(raw, scale):
    parsed = parse_money(raw, scale)
    assert parsed.value is None
    assert parsed.error.startswith("金额“") and parsed.error.endswith("超出合理范围（不超过 1,000,000,000 元），请核对")


def test_the_money_limit_itself_is_allowed():
    assert parse_money(1_000_000_000) == parse_money("100000万元") == (1_000_000_000.0, None, None)
    assert parse_money(100_000, 10_000.0) == (1_000_000_000.0, None, None)
    assert parse_money(1e17).error == "金额“1E+17”超出合理范围（不超过 1,000,000,000 元），请核对"


@pytest.mark.parametrize("raw", [float("inf"), float("-inf")])
def test_an_infinite_number_is_no_date_and_its_text_does_not_raise(raw):
    assert parse_date(raw).error.startswith(f"“{raw:g}”不是日期")
    assert parse_text(raw).value == str(raw)


@pytest.mark.parametrize("raw", [99999999999999999999, "99999999999999999999", "第10000名", 10000, "10000名"])
def test_a_place_beyond_9999_is_an_error_not_a_result_too_long_to_store(raw):
    parsed = parse_result(raw)
    assert parsed.value is None
    assert parsed.error.startswith("名次“") and parsed.error.endswith("超出合理范围（不超过第9999名），请核对")


def test_the_place_limit_itself_fits_the_stored_column():
    assert parse_result(9999) == (("第9999名", ""), None, None)
    assert len("第9999名") <= schema.CHOICE_LENGTH


@pytest.mark.parametrize("raw", ["第十十名", "二十三十名", "十一二名", "十零名"])
def test_malformed_chinese_numerals_are_an_award_name_not_an_exception(raw):
    assert parse_result(raw) == (("其他奖项", raw), None, None)
    assert place_number(raw) is None


def test_text_longer_than_its_limit_is_an_error_saying_both_lengths():
    assert parse_text("甲" * 200, 200) == ("甲" * 200, None, None)
    assert parse_text("甲" * 201, 200, "单位名称") == (None, "单位名称超过 200 个字符（现为 201 个），请缩短", None)
    assert parse_text("甲  " * 150, 200).value is None, "the length counted is the text kept, spaces collapsed"
    assert parse_text("甲  " * 100, 200).value == " ".join(["甲"] * 100)


@pytest.mark.parametrize("parse", [parse_int, parse_money, parse_result], ids=lambda p: p.__name__)
def test_thousands_of_digits_are_beyond_the_limit_and_quoted_short(parse):
    """More digits than a float holds (and than Python's int() reads: 4300) are still just too large."""
    error = parse("9" * 5000).error
    assert "超出合理范围" in error and f"“{'9' * 39}…”" in error


@pytest.mark.parametrize("raw", [2025, 2025.0, "2025", "2025年", "2025年度", " ２０２５ 年 ", dt.date(2025, 7, 1),
                                 dt.datetime(2025, 12, 31, 8, 0)])
def test_a_year_in_every_written_form_is_its_first_day(raw):
    assert parse_year(raw) == (dt.date(2025, 1, 1), None, None)


@pytest.mark.parametrize("raw, says", [("2025-03", "不是年份"), (2025.5, "不是年份"), ("二〇二五", "不是年份"),
                                       (1989, "不在 1990 年至 2100 年之间"), ("2101年", "不在 1990 年至 2100 年之间"),
                                       (True, "不是年份")])
def test_a_bad_year_says_what_to_write(raw, says):
    parsed = parse_year(raw)
    assert parsed.value is None and says in parsed.error
