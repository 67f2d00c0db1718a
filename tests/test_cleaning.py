import datetime as dt
import unicodedata
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from workbooks import FORMATS, messages
from workbooks import load as load_workbook

from unionstats.contract import registry, schema
from unionstats.intake import cleaning, values
from unionstats.kinds import donations as donations_kind

NAMED = {"单位信息": [["单位名称", "机关工会"]]}


def load(sheets: dict[str, list[list]], fmt: str = ".xlsx", merged: dict[str, list[str]] | None = None,
         name: str = "二季度"):
    """The sheets in a workbook that names its unit: these tests are about cleaning, not about where a unit's
    name comes from (tests/test_names.py)."""
    return load_workbook({**sheets, **({} if "单位信息" in sheets else NAMED)}, fmt, merged, name)

HEAD = ["日期", "活动名称", "类别", "参与人次", "支出"]
ROWS = [
    [dt.date(2024, 4, 3), "春季健步走", "文体活动", 120, 3600],
    ["2024/5/1", "五一劳动模范座谈会", "节日活动", 40, "1,200元"],
    ["2024年6月10日", "端午包粽子", "节日", 85, "0.25万元"],
]
EXPECTED = [(dt.date(2024, 4, 3), 120, 3600.0), (dt.date(2024, 5, 1), 40, 1200.0), (dt.date(2024, 6, 10), 85, 2500.0)]


def events(dataset) -> list[tuple]:
    frame = dataset.events
    return [(d.date(), p, s) for d, p, s in zip(frame["date"], frame["participants"], frame["spending"])]


@pytest.mark.parametrize("above", [
    [],
    [["2024年第二季度工会活动统计表"]],
    [["2024年第二季度工会活动统计表"], [], ["填报单位：机关工会", None, None, "填报日期：2024-07-05"]],
    [[], [], [None, "某某研究所工会"], ["（单位：元）"], []],
])
@pytest.mark.parametrize("fmt", FORMATS)
def test_header_is_found_below_title_and_blank_rows(above, fmt):
    dataset = load({"活动": above + [HEAD] + ROWS}, fmt)
    assert events(dataset) == EXPECTED
    assert dataset.events["row"].tolist() == [len(above) + 2, len(above) + 3, len(above) + 4]
    assert not dataset.report.errors and not dataset.report.warnings


def test_a_merged_title_row_is_skipped():
    dataset = load({"活动": [["2024年第二季度工会活动统计表"], HEAD, *ROWS]}, merged={"活动": ["A1:E1"]})
    assert events(dataset) == EXPECTED


@pytest.mark.parametrize("written", ["支出（元）", "支出(元)", " 支 出 ", "支出\n（元）", "支出（ 元 ）", "支\u3000出"])
def test_headers_match_without_spaces_and_unit_suffix(written):
    dataset = load({"活动": [HEAD[:4] + [written], *ROWS]})
    assert dataset.events["spending"].tolist() == [3600.0, 1200.0, 2500.0]


def test_a_wan_yuan_header_scales_plain_numbers():
    dataset = load({"活动": [HEAD[:4] + ["支出（万元）"], [dt.date(2024, 4, 3), "春游", "参观旅游", 10, 0.36]]})
    assert dataset.events["spending"].tolist() == [3600.0]


SAMPLE_VALUES = {
    schema.DATE: ("2024.4.3", pd.Timestamp(2024, 4, 3)),
    schema.YEAR: ("2024年", pd.Timestamp(2024, 1, 1)),
    schema.TEXT: ("一段文字", "一段文字"),
    schema.INT: ("3", 3),
    schema.MONEY: ("1,500元", 1500.0),
    schema.RESULT: ("冠军", "第一名"),
}


def sample_value(column: schema.Column) -> tuple:
    if column.kind == schema.CATEGORY:
        return column.choices[0], column.choices[0]
    return SAMPLE_VALUES[column.kind]


ALIASES = [(sheet, column, alias) for sheet in registry.sheets() for column in sheet.columns
           for alias in column.headers]


@pytest.mark.parametrize("sheet, column, alias", ALIASES,
                         ids=[f"{s.name}-{c.name}-{a}" for s, c, a in ALIASES])
def test_every_alias_of_every_column_is_understood(sheet, column, alias):
    others = [c for c in sheet.required if c is not column]
    if sheet is donations_kind.SHEET and column.key not in ("cash", "goods"):
        others.append(sheet.column("cash"))
    raw, expected = sample_value(column)
    headers = [c.name for c in others] + [alias.upper() if alias.isascii() else alias]
    row = [sample_value(c)[0] for c in others] + [raw]
    dataset = load({sheet.name: [headers, row]})
    assert messages(dataset, "error") == [] and messages(dataset, "warning") == []
    assert dataset.frame(sheet.key)[column.key].tolist() == [expected]


@pytest.mark.parametrize("sheet", registry.sheets(), ids=lambda s: s.name)
@pytest.mark.parametrize("pattern", ["{}", "2024年二季度{}统计", "{}（二季度）", "{} ", "Q2 {}"])
def test_sheets_are_found_by_any_name_or_alias_inside_their_name(sheet, pattern):
    for name in sheet.names:
        headers = [c.name for c in sheet.required] + ([] if sheet is not donations_kind.SHEET else ["捐款金额"])
        row = [sample_value(c)[0] for c in sheet.required] + ([] if sheet is not donations_kind.SHEET else [100])
        dataset = load({pattern.format(name)[:31]: [headers, row]})
        assert len(dataset.frame(sheet.key)) == 1, name


def test_a_sheet_whose_name_fits_two_kinds_is_decided_by_its_headers():
    visits = [["日期", "事由", "人次"], ["2024-04-01", "住院", 1]]
    assert len(load({"慰问活动": visits}).visits) == 1


def test_other_sheets_are_ignored_with_a_notice():
    dataset = load({"活动": [HEAD, *ROWS], "Sheet2": [["随便"]]})
    assert any("Sheet2" in m and "已忽略" in m for m in messages(dataset, "notice"))


def test_blank_rows_anywhere_are_skipped_and_rows_keep_their_excel_numbers():
    dataset = load({"活动": [HEAD, ROWS[0], [], [None, "  ", None], ROWS[1], [], ROWS[2], [], []]})
    assert events(dataset) == EXPECTED
    assert dataset.events["row"].tolist() == [2, 5, 7]
    assert dataset.report.issues == [] and dataset.report.skipped_rows == 0


def test_a_number_column_like_xuhao_does_not_make_a_row_data():
    dataset = load({"活动": [["序号"] + HEAD, [1] + ROWS[0], [2], [3]]})
    assert len(dataset.events) == 1


@pytest.mark.parametrize("label", ["合计", "总计", "小计", "合 计", "本季度合计", "合计："])
def test_a_correct_total_row_is_excluded_silently(label):
    dataset = load({"活动": [HEAD, *ROWS, [label, None, None, 245, 7300]]})
    assert events(dataset) == EXPECTED
    assert dataset.report.issues == [] and dataset.report.skipped_rows == 0


def test_a_total_row_that_disagrees_is_excluded_with_both_numbers():
    numbered = [[i] + r for i, r in enumerate(ROWS, 1)]
    dataset = load({"活动": [["序号"] + HEAD, *numbered, ["合计", None, None, None, 250, "7,300"]]})
    assert events(dataset) == EXPECTED
    [warning] = dataset.report.warnings
    assert (warning.file, warning.sheet, warning.row, warning.column) == ("二季度.xlsx", "活动", 5, "参与人次")
    assert (warning.cell, warning.value) == ("E5", "250")
    assert warning.message == "合计行的「参与人次」写的是 250，但上方各行之和为 245，请核对（合计行本身不计入统计）"


def test_subtotals_and_a_grand_total_are_each_checked_against_their_own_rows():
    rows = [HEAD, ROWS[0], ROWS[1], ["小计", None, None, 160, 4800], ROWS[2], ["小计", None, None, 85, 2500],
            ["总计", None, None, 245, 7300]]
    dataset = load({"活动": rows})
    assert events(dataset) == EXPECTED and messages(dataset, "warning") == []
    rows[-1] = ["总计", None, None, 245, 7000]
    [warning] = load({"活动": rows}).report.warnings
    assert warning.row == 7 and "7,000" in warning.message and "7,300" in warning.message


def test_an_activity_named_like_a_plan_is_not_a_total_row():
    dataset = load({"活动": [HEAD, [dt.date(2024, 4, 3), "总计划宣讲会", "学习培训", 30, 0]]})
    assert len(dataset.events) == 1


def test_example_rows_from_the_template_are_ignored():
    example = [dt.date(2024, 3, 8), schema.EXAMPLE_MARK + "三八妇女节", "节日活动", 100, 2000]
    dataset = load({"活动": [HEAD, example, *ROWS]})
    assert events(dataset) == EXPECTED
    [notice] = dataset.report.issues
    assert (notice.level, notice.message) == ("notice", "这是模板中的示例行，导入时已忽略")
    assert (notice.file, notice.sheet, notice.row) == ("二季度.xlsx", "活动", 2)


@pytest.mark.parametrize("cell, column, value, says", [
    (0, "日期", "下周", "不是日期"),
    (0, "日期", None, "必填"),
    (1, "活动名称", None, "必填"),
    (3, "参与人次", -3, "小于 0"),
    (3, "参与人次", "许多", "不是数字"),
    (3, "参与人次", 12.5, "不是整数"),
    (4, "支出", "一千元", "不是金额"),
    (4, "支出", -100, "负数"),
])
def test_a_bad_value_is_reported_with_sheet_row_column_and_value(cell, column, value, says):
    rows = [list(r) for r in ROWS]
    rows[1][cell] = value
    dataset = load({"二季度活动": [["二季度活动"], HEAD, *rows]})
    [error] = dataset.report.errors
    assert (error.file, error.sheet, error.row, error.column) == ("二季度.xlsx", "二季度活动", 4, column)
    assert error.cell == "ABCDE"[cell] + "4"
    assert says in error.message
    assert value is None or str(value) in error.value
    assert "「二季度活动」表第4行「" + column + "」列" in error.text()
    assert len(dataset.events) == 2 and dataset.report.skipped_rows == 1


def test_an_unknown_category_is_other_with_a_warning_not_an_error():
    rows = [list(r) for r in ROWS]
    rows[0][2] = "团建"
    dataset = load({"活动": [HEAD, *rows]})
    assert dataset.report.ok
    [warning] = dataset.report.warnings
    assert (warning.row, warning.column, warning.value) == (2, "类别", "团建")
    assert dataset.events["category"].tolist()[0] == "其他"


def test_defaults_fill_optional_columns():
    dataset = load({"活动": [["日期", "活动名称", "参与人次"], ["2024-04-01", "春游", 30]],
                    "慰问": [["日期", "事由"], ["2024-04-02", "住院"]],
                    "比赛": [["日期", "赛事名称"], ["2024-04-03", "羽毛球赛"]],
                    "捐款": [["日期", "项目", "物资件数"], ["2024-04-04", "衣物捐赠", 12]]})
    assert dataset.events[["category", "spending"]].values.tolist() == [["其他", 0.0]]
    assert dataset.visits[["count", "amount", "group"]].values.tolist() == [[1, 0.0, ""]]
    assert dataset.competitions[["entry", "result", "awards"]].values.tolist() == [["个人", "参与", 1]]
    assert dataset.donations[["cash", "goods"]].values.tolist() == [[0.0, 12]]


def test_a_donation_with_neither_money_nor_goods_is_an_error():
    dataset = load({"捐款": [["日期", "项目", "捐款金额", "物资件数"], ["2024-04-04", "一日捐", None, None],
                           ["2024-04-05", "一日捐", 500, None]]})
    [error] = dataset.report.errors
    assert (error.file, error.sheet, error.row) == ("二季度.xlsx", "捐款", 2)
    assert (error.column, error.cell) == ("捐款金额", "C2")
    assert (error.message, error.value) == ("这一行既没有捐款金额也没有物资件数，请至少填写一项", "")
    assert dataset.donations["cash"].tolist() == [500.0] and dataset.report.skipped_rows == 1


@pytest.mark.parametrize("headers, missing", [
    (["日期", "活动名称", "支出"], "参与人次"),
    (["活动名称", "参与人次"], "日期"),
    (["日期", "类别", "支出"], "活动名称、参与人次"),
])
def test_a_missing_required_column_rejects_the_file_naming_it(headers, missing):
    dataset = load({"活动": [["标题"], headers, ["2024-04-01", "x", 1]]})
    [error] = dataset.report.issues
    assert error.level == "error"
    assert error.message == f"「活动」表（表头在第2行）缺少必填列：{missing}。请添加这些列，或把列名改成模板中的名称"
    assert dataset.row_count == 0


def test_a_file_without_data_sheets_is_rejected_listing_its_sheets():
    dataset = load({"Sheet1": [["a"]], "人员名单": [["姓名"]]})
    [error] = dataset.report.issues
    assert "Sheet1" in error.message and "人员名单" in error.message and "活动" in error.message


def test_dtypes_follow_the_model():
    frame = load({"活动": [HEAD, *ROWS]}).events
    assert str(frame["date"].dtype) == "datetime64[us]"
    assert frame["participants"].dtype == "int64" and frame["spending"].dtype == "float64"
    assert frame["name"].dtype == "str"


def test_a_sheet_with_only_its_header_is_empty_not_an_error():
    dataset = load({"活动": [HEAD], "慰问": [["日期", "事由"]]})
    assert dataset.report.ok and dataset.row_count == 0


# 万元 headers: the header's unit scales every amount in the column, numbers and text alike, unless the cell
# writes its own unit.

@pytest.mark.parametrize("header", ["支出（万元）", "支出(万元)", "经费（万元）", "支出 （ 万元 ）"])
@pytest.mark.parametrize("cell, yuan", [
    (0.36, 3600.0), ("0.36", 3600.0), ("1,200.5", 12_005_000.0), ("0.000001", 0.01), (" 0.25 ", 2500.0),
    ("0.15万元", 1500.0), ("0.2万", 2000.0), ("360元", 360.0), ("¥0.36", 3600.0), (0, 0.0),
])
def test_a_wan_yuan_header_scales_text_and_numbers_alike(header, cell, yuan):
    dataset = load({"活动": [HEAD[:4] + [header], [dt.date(2024, 4, 3), "春游", "参观旅游", 10, cell]]})
    assert dataset.report.issues == []
    assert dataset.events["spending"].tolist() == [yuan]


def test_a_total_under_a_wan_yuan_header_is_checked_in_yuan():
    rows = [HEAD[:4] + ["支出（万元）"], [dt.date(2024, 4, 3), "春游", "参观旅游", 10, "0.36"],
            [dt.date(2024, 4, 9), "读书会", "学习培训", 20, 0.12], ["合计", None, None, 30, "0.48"]]
    dataset = load({"活动": rows})
    assert dataset.events["spending"].tolist() == [3600.0, 1200.0] and dataset.report.issues == []
    rows[-1] = ["合计", None, None, 30, 0.5]
    [warning] = load({"活动": rows}).report.warnings
    assert warning.message == ("合计行的「支出（万元）」写的是 5,000，但上方各行之和为 4,800，"
                               "请核对（合计行本身不计入统计）")
    assert (warning.row, warning.cell, warning.value) == (4, "E4", "5,000")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 10**10), st.sampled_from(["text", "number", "wan", "yuan"])),
                min_size=1, max_size=6),
       st.sampled_from(["支出（万元）", "支出(万元)", "支出"]))
def test_amounts_written_in_wan_yuan_load_exact_to_the_fen(amounts, header):
    """Whole fen (up to 1亿元) written as 万元 under a 万元 header, as a cell's own unit, or as yuan."""
    wan_header = "万" in header

    def cell(fen: int, form: str):
        wan = Decimal(fen).scaleb(-6)  # 1 fen = 0.000001 万元
        if form == "wan":
            return f"{wan:f}万元"
        if form == "yuan":
            return f"{Decimal(fen).scaleb(-2):f}元"
        if not wan_header:
            return f"{Decimal(fen).scaleb(-2):f}" if form == "text" else fen / 100
        return f"{wan:f}" if form == "text" else fen / 1_000_000

    rows = [[dt.date(2024, 4, 1), f"活动{i}", "文体活动", 1, cell(fen, form)] for i, (fen, form) in enumerate(amounts)]
    dataset = load({"活动": [HEAD[:4] + [header], *rows]})
    assert dataset.report.issues == []
    assert dataset.events["spending"].tolist() == [fen / 100 for fen, _ in amounts]


# Where every issue points, and what the frame carries beside the values.

def test_a_column_the_sheet_does_not_have_is_ignored_with_a_notice_naming_it():
    dataset = load({"活动": [["日期", "活动名称", None, "参与人次", "负责人", 2024, "支出"],
                           [dt.date(2024, 4, 3), "春游", "x", 10, "张三", 5, 100]]})
    assert [(i.level, i.message, i.file, i.sheet) for i in dataset.report.issues] == [
        ("notice", "「负责人」不是「活动」表规定的列，已忽略", "二季度.xlsx", "活动")]
    assert dataset.events[["participants", "spending"]].values.tolist() == [[10, 100.0]]


def test_a_sheet_without_two_known_headers_is_refused_listing_the_required_ones():
    dataset = load({"活动": [["日期", "地点", "负责人"], ["2024-04-01", "礼堂", "张三"]]})
    [error] = dataset.report.issues
    assert error.level == "error"
    assert error.message == ("「活动」表的前 30 行中找不到表头行，请在数据上方加一行列名，"
                             "至少包括：日期、活动名称、参与人次")


def test_of_two_equally_good_header_rows_the_first_is_taken():
    dataset = load({"活动": [["标题"], ["日期", "活动名称", "支出"], ["日期", "活动名称", "支出"]]})
    [error] = dataset.report.issues
    assert error.message.startswith("「活动」表（表头在第2行）缺少必填列：参与人次。")


def test_the_frame_says_where_each_row_came_from():
    dataset = load({"一季度活动": [HEAD, ROWS[0]], "二季度活动": [["标题"], HEAD, *ROWS[1:]]})
    frame = dataset.events
    assert frame[["source", "sheet", "row"]].values.tolist() == [
        ["二季度.xlsx", "一季度活动", 2], ["二季度.xlsx", "二季度活动", 3], ["二季度.xlsx", "二季度活动", 4]]
    assert str(frame["source"].dtype) == str(frame["sheet"].dtype) == "str" and frame["row"].dtype == "int64"


def test_bad_rows_of_every_sheet_are_counted():
    bad = [list(ROWS[0]), list(ROWS[1])]
    bad[0][3] = "许多"
    dataset = load({"一季度活动": [HEAD, *bad], "二季度活动": [HEAD, ROWS[2], [None, "无日期", "节日", 5, 0]]})
    assert dataset.report.skipped_rows == 2 and len(dataset.events) == 2
    assert [(e.sheet, e.row) for e in dataset.report.errors] == [("一季度活动", 2), ("二季度活动", 3)]


def test_blank_cells_of_present_columns_take_the_defaults():
    dataset = load({"活动": [HEAD, [dt.date(2024, 4, 3), "春游", None, 10, None]],
                    "慰问": [["日期", "事由", "对象类别", "人次", "金额"], ["2024-04-02", "住院", None, None, None]],
                    "比赛": [["日期", "赛事名称", "名次", "获奖数", "参赛人数", "类型"],
                           ["2024-04-03", "羽毛球赛", None, None, None, None],
                           ["2024-04-04", "演讲比赛", "最佳组织奖", 2, 8, "团队"]],
                    "捐款": [["日期", "项目", "物资件数", "参与人数", "方式"],
                           ["2024-04-04", "衣物捐赠", 12, None, None]]})
    assert dataset.report.issues == []
    assert dataset.events[["category", "spending"]].values.tolist() == [["其他", 0.0]]
    assert dataset.visits[["group", "count", "amount"]].values.tolist() == [["", 1, 0.0]]
    assert dataset.competitions[["result", "award_name", "awards", "entry"]].values.tolist() == [
        ["参与", "", 1, "个人"], ["其他奖项", "最佳组织奖", 2, "团体"]]
    assert dataset.competitions["entrants"].isna().tolist() == [True, False]  # a count nobody wrote stays unknown
    assert dataset.competitions["entrants"].iloc[1] == 8
    assert dataset.donations[["goods", "kind", "cash"]].values.tolist() == [[12, "", 0.0]]
    assert dataset.donations["donors"].isna().tolist() == [True]


def test_a_competition_sheet_without_a_result_column_is_all_participation():
    dataset = load({"比赛": [["日期", "赛事名称"], ["2024-04-03", "羽毛球赛"], ["2024-04-05", "乒乓球赛"]]})
    assert dataset.competitions[["result", "award_name"]].values.tolist() == [["参与", ""], ["参与", ""]]


@pytest.mark.parametrize("cell, day", [(45359, dt.date(2024, 3, 8)), (45359.0, dt.date(2024, 3, 8)),
                                       (20240308, dt.date(2024, 3, 8))])
def test_a_number_in_a_date_column_is_a_day_and_in_a_text_column_text(cell, day):
    dataset = load({"活动": [HEAD, [cell, 2024, 1, 10, 100]]})
    frame = dataset.events
    assert [(d.date(), n, c) for d, n, c in frame[["date", "name", "category"]].values] == [(day, "2024", "其他")]


@pytest.mark.parametrize("cell", [0, "0", "0人"])
def test_a_count_below_its_minimum_is_an_error_at_its_cell(cell):
    dataset = load({"慰问": [["日期", "事由", "人次"], ["2024-04-02", "住院", cell]]})
    [error] = dataset.report.errors
    assert (error.row, error.column, error.cell) == (2, "人次", "C2")
    assert error.message.endswith("”小于 1，请填写不小于 1 的整数")
    assert isinstance(cell, int) or error.message == f"“{cell}”小于 1，请填写不小于 1 的整数"
    assert len(dataset.visits) == 0 and dataset.report.skipped_rows == 1


def test_money_numbers_keep_their_fen():
    dataset = load({"活动": [HEAD, [dt.date(2024, 4, 3), "春游", "参观旅游", 10, 1200.25],
                           [dt.date(2024, 4, 4), "读书会", "学习培训", 3, 12.3],
                           [dt.date(2024, 4, 5), "讲座", "学习培训", 4, 88.004],
                           ["合计", None, None, 17, 1300.55]]})
    assert dataset.events["spending"].tolist() == [1200.25, 12.3, 88.0]
    assert dataset.report.issues == []


def test_a_total_one_yuan_off_is_reported():
    dataset = load({"活动": [HEAD, *ROWS, ["合计", None, None, 245, 7301]]})
    [warning] = dataset.report.warnings
    assert (warning.row, warning.column, warning.value) == (5, "支出", "7,301")
    assert "写的是 7,301，但上方各行之和为 7,300，" in warning.message


def test_each_total_sums_the_rows_since_the_previous_total():
    rows = [HEAD, ROWS[0], ROWS[1], ["合计", None, None, 160, 4800], ROWS[2], ["合计", None, None, 85, 2500]]
    dataset = load({"活动": rows})
    assert events(dataset) == EXPECTED and dataset.report.issues == []
    rows[-1] = ["合计", None, None, 245, 2500]
    [warning] = load({"活动": rows}).report.warnings
    assert (warning.row, warning.column) == (6, "参与人次") and "上方各行之和为 85，" in warning.message


def test_a_total_word_after_the_first_text_of_a_row_does_not_make_it_a_total():
    dataset = load({"活动": [HEAD + ["备注"], [dt.date(2024, 4, 3), "春季健步走", "文体活动", 120, 3600, "合计"],
                           [dt.date(2024, 4, 4), "读书会", "学习培训", 3, 0, "小计 3 人"]]})
    assert dataset.events["name"].tolist() == ["春季健步走", "读书会"] and dataset.report.issues == []


def test_a_row_holding_only_a_merged_cell_from_above_is_blank():
    rows = [HEAD + ["单位"], [dt.date(2024, 4, 3), "春游", "参观旅游", 10, 100, "机关分会"],
            [dt.date(2024, 4, 4), "读书会", "学习培训", 3, 0, None], [None] * 6,
            [dt.date(2024, 4, 5), "讲座", "学习培训", 5, 0, "试验站"]]
    dataset = load({"活动": rows}, merged={"活动": ["F2:F4"]})
    assert dataset.events[["name", "unit"]].values.tolist() == [["春游", "机关分会"], ["读书会", "机关分会"],
                                                               ["讲座", "试验站"]]
    assert dataset.events["row"].tolist() == [2, 3, 5]
    assert dataset.report.issues == [] and dataset.report.skipped_rows == 0


def test_donation_rows_are_checked_for_content_only_when_they_are_data():
    dataset = load({"捐款": [["日期", "项目", "捐款金额", "物资件数"], ["2024-04-04", "一日捐", 500, None], [],
                           ["2024-04-05", "衣物", None, 3], ["合计", None, 500, 3],
                           ["下周", "一日捐", 200, None]]})
    [error] = dataset.report.errors
    assert (error.row, error.column) == (6, "日期")
    assert error.message == "“下周”不是日期，请填写日期，如 2024-03-08、2024/3/8 或 2024年3月8日"
    assert dataset.donations[["cash", "goods"]].values.tolist() == [[500.0, 0], [0.0, 3]]
    assert dataset.report.skipped_rows == 1 and dataset.report.warnings == []


def test_a_donation_sheet_with_neither_money_nor_goods_columns_rejects_every_row():
    dataset = load({"捐款": [["日期", "项目", "备注"], ["2024-04-04", "一日捐", ""], ["2024-04-05", "衣物", "x"]]})
    assert [(e.level, e.row, e.column, e.message) for e in dataset.report.issues] == [
        ("error", row, "", "这一行既没有捐款金额也没有物资件数，请至少填写一项") for row in (2, 3)]
    assert len(dataset.donations) == 0 and dataset.report.skipped_rows == 2


# Hostile cells: control characters, lengths and numbers beyond the store's columns.

INVISIBLE = "单元格含有不可见的控制字符，已删除，请核对内容"


def issues_at(dataset, level: str) -> list[tuple]:
    return [(i.sheet, i.row, i.column, i.cell, i.message) for i in dataset.report.issues if i.level == level]


def test_xlsx_control_character_escapes_are_taken_out_of_cells_and_headers_with_a_warning_at_each():
    """openpyxl writes `_x0001_` as it is; Excel and calamine read it as U+0001."""
    rows = [HEAD[:4] + ["支出_x0007_（元）", "单位", "备注"],
            ["2024-04-03", "春游_x0001_", "文体_x0002_活动", "12_x001F_人", "1,500_x007F_元", "机关_x0085_工会",
             "_x0000_"],
            ["2024-04-04", "读书会", "学习培训", 3, 0, "机关工会", "无"]]
    dataset = load({"活动": rows})
    assert dataset.events[["name", "category", "participants", "spending", "unit", "notes"]].values.tolist() == [
        ["春游", "文体活动", 12, 1500.0, "机关工会", ""], ["读书会", "学习培训", 3, 0.0, "机关工会", ""]]
    assert issues_at(dataset, "warning") == [
        ("活动", 1, "支出（元）", "E1", INVISIBLE),
        ("活动", 2, "活动名称", "B2", INVISIBLE), ("活动", 2, "类别", "C2", INVISIBLE),
        ("活动", 2, "参与人次", "D2", INVISIBLE), ("活动", 2, "支出（元）", "E2", INVISIBLE),
        ("活动", 2, "单位", "F2", INVISIBLE), ("活动", 2, "备注", "G2", INVISIBLE)]
    assert dataset.report.ok
    assert not any(schema.INVISIBLE.search(str(v)) for i in dataset.report.issues for v in vars(i).values())


def test_raw_control_characters_in_an_xls_sheet_name_header_and_cells_are_taken_out():
    rows = [["日期", "活动\x01名称", "类别", "参与人次", "支出"], ["2024-04-03", "春\x0b游", "文体\x1e活动", 10, 100]]
    dataset = load({"二季度\x02活动": rows}, ".xls")
    assert dataset.events[["name", "category", "sheet"]].values.tolist() == [["春游", "文体活动", "二季度活动"]]
    assert issues_at(dataset, "warning") == [
        ("二季度活动", None, "", "", "工作表名称含有不可见的控制字符，已删除，请核对表名"),
        ("二季度活动", 1, "活动名称", "B1", INVISIBLE),
        ("二季度活动", 2, "活动名称", "B2", INVISIBLE), ("二季度活动", 2, "类别", "C2", INVISIBLE)]


def test_a_control_character_in_a_bad_value_leaves_the_message_clean():
    dataset = load({"活动": [HEAD, ["下\x01周", "春游", "文体活动", 10, 100]]}, ".xls")
    [error] = dataset.report.errors
    assert (error.cell, error.value, error.message) == (
        "A2", "下周", "“下周”不是日期，请填写日期，如 2024-03-08、2024/3/8 或 2024年3月8日")
    [warning] = dataset.report.warnings
    assert (warning.cell, warning.message) == ("A2", INVISIBLE)


LINE_BREAKS = [(fmt, brk) for fmt in (".xlsx", ".xls") for brk in ("\r\n", "\r", "\n", "\t")] + [
    (".xlsx", "_x000D_"), (".xlsx", "_x000D__x000A_")]  # a carriage return (and newline) as Excel escapes them


@pytest.mark.parametrize(("fmt", "brk"), LINE_BREAKS, ids=[f"{fmt}-{brk!r}" for fmt, brk in LINE_BREAKS])
def test_a_line_break_in_a_sheet_name_header_or_quoted_value_is_one_space_in_every_message(fmt, brk):
    """A cell typed on two lines (Alt+Enter) reads as one line in a message: the break is a space, never a raw
    carriage return, newline or tab that would break the issue list's line or the message's quotes."""
    named = brk.replace("_x000D_", "\r").replace("_x000A_", "\n")  # a sheet's name is not escaped
    sheet, empty, date, extra = f"二季度{named}活动", f"慰问{named}空表", f"日{brk}期", f"联系{brk}电话"
    bad = f"2024{brk}年13月45日"
    rows = [[date, "活动名称", "类别", "参与人次", "支出", extra], [bad, "春游", "文体活动", 10, 100, "x"]]
    dataset = load({sheet: rows, empty: []}, fmt)
    shown = {text: text.replace(named, " ").replace(brk, " ") for text in (sheet, empty, date, extra, bad)}
    assert [(i.level, i.sheet, i.row, i.column, i.message) for i in dataset.report.issues] == [
        ("notice", shown[sheet], None, "", f"「{shown[extra]}」不是「活动」表规定的列，已忽略"),
        ("error", shown[sheet], 2, shown[date],
         f"“{shown[bad]}”不是存在的日期，请填写日期，如 2024-03-08、2024/3/8 或 2024年3月8日"),
        ("notice", shown[empty], None, "", "工作表是空的，已跳过"),
    ]
    assert not [ch for i in dataset.report.issues for ch in i.text() + i.value if unicodedata.category(ch) == "Cc"]


@pytest.mark.parametrize("fmt", [".xlsx", ".ods"])
def test_a_unit_longer_than_the_store_keeps_is_an_error_at_its_cell(fmt):
    long_unit = "机关" * 100 + "工会"
    rows = [HEAD + ["单位"], ROWS[0] + ["甲" * 200], ROWS[1] + [long_unit]]
    dataset = load({"活动": rows}, fmt)
    [error] = dataset.report.errors
    assert (error.row, error.column, error.cell) == (3, "单位", "F3")
    assert error.message == "「单位」超过 200 个字符（现为 202 个），请缩短"
    assert dataset.events["unit"].tolist() == ["甲" * 200] and dataset.report.skipped_rows == 1


@pytest.mark.filterwarnings("ignore:Title is more than 31 characters")
@pytest.mark.parametrize("fmt", [".xlsx", ".ods"])
def test_a_sheet_name_and_a_header_too_long_to_keep_are_shortened_with_a_notice(fmt):
    name = "二季度活动" + "长" * 150
    header = "类别（" + "说明" * 60 + "）"
    dataset = load({name: [HEAD[:2] + [header] + HEAD[3:], [*ROWS[0][:2], "团建", *ROWS[0][3:]]]}, fmt)
    kept_name = name[:99] + "…"
    assert dataset.events["sheet"].tolist() == [kept_name]
    assert dataset.events["category"].tolist() == ["其他"], "the long header is still 类别"
    assert issues_at(dataset, "notice") == [
        (kept_name, None, "", "", "工作表名称超过 100 个字符，随数据保存时只保留前 99 个字符"),
        (kept_name, 1, header[:99] + "…", "C1", "列名超过 100 个字符，问题清单中只显示前 99 个字符")]
    [warning] = dataset.report.warnings
    assert (warning.sheet, warning.column, warning.cell) == (kept_name, header[:99] + "…", "C2")
    assert len(warning.sheet) == len(warning.column) == 100


def test_a_long_wan_yuan_header_still_scales_its_numbers():
    header = "支出" + " " * 150 + "（万元）"
    dataset = load({"活动": [HEAD[:4] + [header], [dt.date(2024, 4, 3), "春游", "参观旅游", 10, 0.36]]})
    assert dataset.events["spending"].tolist() == [3600.0]


@pytest.mark.parametrize("cell, column, raw, says", [
    ("D2", "参与人次", 1e19, "“1E+19”超出合理范围（不超过 10,000,000），请核对"),
    ("D2", "参与人次", 10_000_001, "“10000001”超出合理范围（不超过 10,000,000），请核对"),
    ("D2", "参与人次", "99999999999999999999", "“99999999999999999999”超出合理范围（不超过 10,000,000），请核对"),
    ("E2", "支出", 1e17, "金额“1E+17”超出合理范围（不超过 1,000,000,000 元），请核对"),
    ("E2", "支出", "99999999999999999999", "金额“99999999999999999999”超出合理范围（不超过 1,000,000,000 元），请核对"),
    ("E2", "支出", 1_000_000_000.5, "金额“1000000000.5”超出合理范围（不超过 1,000,000,000 元），请核对"),
])
def test_numbers_beyond_the_limits_are_errors_at_their_cells_not_wrapped_round(cell, column, raw, says):
    rows = [HEAD, ["2024-04-03", "春游", "文体活动", 10, 100], ["2024-04-03", "春游", "文体活动", 10, 100]]
    rows[1][3 if column == "参与人次" else 4] = raw
    dataset = load({"活动": rows})
    [error] = dataset.report.errors
    assert (error.row, error.column, error.cell, error.message) == (2, column, cell, says)
    assert dataset.events[["participants", "spending"]].values.tolist() == [[10, 100.0]]


def test_the_limits_themselves_load():
    rows = [HEAD[:4] + ["支出（万元）"], ["2024-04-03", "春游", "文体活动", 10_000_000, 100_000],
            ["2024-04-04", "读书", "学习培训", 1, 100_000.01]]
    dataset = load({"活动": rows})
    assert dataset.events[["participants", "spending"]].values.tolist() == [[10_000_000, 1e9]]
    [error] = dataset.report.errors
    assert (error.cell, error.message) == ("E3", "金额“100000.01”超出合理范围（不超过 1,000,000,000 元），请核对")


def test_a_place_too_long_for_the_store_is_an_error_at_its_cell():
    dataset = load({"比赛": [["日期", "赛事名称", "名次"], ["2024-05-18", "运动会", "第99999999999999999999名"],
                           ["2024-05-18", "运动会", "第十十名"]]})
    [error] = dataset.report.errors
    assert (error.row, error.column, error.cell) == (2, "名次", "C2") and "不超过第9999名" in error.message
    assert dataset.competitions[["result", "award_name"]].values.tolist() == [["其他奖项", "第十十名"]]


def patched_xlsx(sheets: dict, old: bytes, new: bytes) -> bytes:
    """An .xlsx whose first sheet's XML has `old` replaced by `new`: what openpyxl would refuse to write."""
    import io
    import zipfile

    from workbooks import workbook_bytes

    source, out = zipfile.ZipFile(io.BytesIO(workbook_bytes(sheets))), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert old in content
                content = content.replace(old, new)
            target.writestr(item, content)
    return out.getvalue()


@pytest.mark.parametrize("written", [b"inf", b"-inf", b"1e400"], ids=["inf", "-inf", "1e400"])
def test_an_infinite_number_cell_is_an_error_at_its_cell_in_every_column(written):
    from unionstats.intake.loading import load_bytes

    rows = [HEAD + ["备注"], [4321.5, 4321.5, "文体活动", 4321.5, 4321.5, 4321.5]]
    dataset = load_bytes(patched_xlsx({"活动": rows}, b"<v>4321.5</v>", b"<v>" + written + b"</v>"), "x.xlsx")
    assert [(e.cell, e.message.split("”")[1][:4]) for e in dataset.report.errors] == [
        ("A2", "不是日期"), ("D2", "不是数字"), ("E2", "不是金额")]
    assert dataset.report.skipped_rows == 1
    assert not any("意外错误" in e.message for e in dataset.report.errors)


SPACES_AND_MARKS = "".join([" ", "\t", "\n", "\u3000", "\xa0", "\x1c", "\x00", "\u200b", "\ufeff", "-", "/", "—"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(
    st.text(alphabet=st.sampled_from(list(SPACES_AND_MARKS + "aN活动无nulL")), max_size=12),
    st.sampled_from(sorted(values.BLANK_WORDS) + [" N/A ", "None", "—— ", "无 ", "n / a", "春游  活动", " a b  "]),
    st.text(max_size=30)), max_size=40), st.sampled_from([None, 3, 8]))
def test_the_quick_path_for_text_gives_what_the_text_parser_gives(raws, limit):
    column = schema.Column("name", "名称", (), schema.TEXT, "名称", max_length=limit)
    uniques = np.array(raws, dtype=object)
    value = np.full(len(uniques), None, dtype=object)
    texts = np.array([i for i, raw in enumerate(raws) if isinstance(raw, str)], np.intp)
    pending = cleaning.parse_plain_texts(uniques, texts, column, value)
    for raw, quick, left in zip(raws, value, pending):
        if not left:
            assert values.parse_text(raw, limit, "「名称」") == values.Parsed(quick)
    assert not pending[[type(raw) is str and raw.isprintable() and len(" ".join(raw.split())) <= (limit or 99)
                        for raw in raws]].any()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(
    st.dates(dt.date(1985, 1, 1), dt.date(2105, 12, 31)).map(lambda d: f"{d.year}-{d.month}-{d.day}"),
    st.dates(dt.date(1985, 1, 1), dt.date(2105, 12, 31)).map(lambda d: f"{d.year}年{d.month}月{d.day}日"),
    st.sampled_from(["2024-02-30", "２０２４-03-08", "2024-03-08 10:00", "下周三", "", "无", 45359.0, 20240308, None,
                     dt.datetime(2024, 3, 8, 14, 30)])), max_size=30, unique_by=repr))
def test_the_quick_path_for_dates_gives_what_the_date_parser_gives(raws):
    uniques = np.array(raws, dtype=object)
    texts = np.array([i for i, raw in enumerate(raws) if isinstance(raw, str)], np.intp)
    value = np.full(len(uniques), None, dtype=object)
    pending = cleaning.parse_plain_dates(uniques, texts, value)
    for raw, quick, left in zip(raws, value, pending):
        if left:
            assert quick is None and (not isinstance(raw, str) or values.plain_date(raw) is None)
        else:
            assert values.parse_date(raw) == values.Parsed(quick) and quick is not None


def kinds_cell_by_cell(columns: list[list], mapped: set[int], copied: np.ndarray | None) -> dict[str, list[bool]]:
    """What classify_rows must find, worked out row by row, cell by cell."""
    found: dict[str, list[bool]] = {"blank": [], "total": [], "subtotal": [], "example": []}
    for row in range(len(columns[0])):
        cells = [column[row] for column in columns]
        texts = [c for c in cells if type(c) is str and not values.is_blank(c)]
        first = texts[0] if texts else ""
        total = bool(cleaning.total_word(first))
        blank = all((type(cells[i]) is str and values.is_blank(cells[i])) or (copied is not None and copied[row, i])
                    for i in mapped) and not total
        example = any(type(c) is str and c.strip().startswith(schema.EXAMPLE_MARK) for c in cells)
        found["blank"].append(blank)
        found["total"].append(total)
        found["subtotal"].append(cleaning.total_word(first) == "小计")
        found["example"].append(example and not blank and not total)
    return found


CELLS = ["", " ", "合计", "小计：", "总 计（元）", "全年合计", "【示例】春游", " 【示例】", "春游", "计划", "无", "-", 3, 2.5]


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 4).flatmap(lambda width: st.tuples(
    st.lists(st.lists(st.sampled_from(CELLS), min_size=width, max_size=width), min_size=1, max_size=25),
    st.sets(st.integers(0, width - 1), min_size=1), st.booleans(), st.randoms())))
def test_rows_are_classified_as_a_cell_by_cell_reading_finds(case):
    rows, mapped, merged, rng = case
    columns = [[row[i] for row in rows] for i in range(len(rows[0]))]
    copied = np.array([[rng.random() < 0.2 for _ in row] for row in rows]) if merged else None
    kinds = cleaning.classify_rows([cleaning.Codes.of(np.array(c, dtype=object)) for c in columns], mapped, copied)
    expected = kinds_cell_by_cell(columns, mapped, copied)
    assert {name: getattr(kinds, name).tolist() for name in expected} == expected


def test_missing_values_of_any_kind_are_one_distinct_value_after_the_others():
    codes = cleaning.Codes.of(np.array(["甲", None, "乙", float("nan"), "甲", None], dtype=object))
    assert codes.uniques[:2].tolist() == ["甲", "乙"] and len(codes.uniques) == 3 and np.isnan(codes.uniques[2])
    assert codes.codes.tolist() == [0, 2, 1, 2, 0, 2] and codes.texts.tolist() == [0, 1]
