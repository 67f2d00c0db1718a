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
