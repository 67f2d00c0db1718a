import datetime as dt

import pandas as pd
import pytest
from workbooks import FORMATS, load, messages

from unionstats import schema

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
    schema.TEXT: ("一段文字", "一段文字"),
    schema.INT: ("3", 3),
    schema.MONEY: ("1,500元", 1500.0),
    schema.RESULT: ("冠军", "第一名"),
}


def sample_value(column: schema.Column) -> tuple:
    if column.kind == schema.CATEGORY:
        return column.choices[0], column.choices[0]
    return SAMPLE_VALUES[column.kind]


ALIASES = [(sheet, column, alias) for sheet in schema.DATA_SHEETS for column in sheet.columns
           for alias in column.headers]


@pytest.mark.parametrize("sheet, column, alias", ALIASES,
                         ids=[f"{s.name}-{c.name}-{a}" for s, c, a in ALIASES])
def test_every_alias_of_every_column_is_understood(sheet, column, alias):
    others = [c for c in sheet.required if c is not column]
    if sheet is schema.DONATIONS and column.key not in ("cash", "goods"):
        others.append(sheet.column("cash"))
    raw, expected = sample_value(column)
    headers = [c.name for c in others] + [alias.upper() if alias.isascii() else alias]
    row = [sample_value(c)[0] for c in others] + [raw]
    dataset = load({sheet.name: [headers, row]})
    assert messages(dataset, "error") == [] and messages(dataset, "warning") == []
    assert dataset.frame(sheet.key)[column.key].tolist() == [expected]


@pytest.mark.parametrize("sheet", schema.DATA_SHEETS, ids=lambda s: s.name)
@pytest.mark.parametrize("pattern", ["{}", "2024年二季度{}统计", "{}（二季度）", "{} ", "Q2 {}"])
def test_sheets_are_found_by_any_name_or_alias_inside_their_name(sheet, pattern):
    for name in sheet.names:
        headers = [c.name for c in sheet.required] + ([] if sheet is not schema.DONATIONS else ["捐款金额"])
        row = [sample_value(c)[0] for c in sheet.required] + ([] if sheet is not schema.DONATIONS else [100])
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


def test_a_number_column_like_xuhao_does_not_make_a_row_data():
    dataset = load({"活动": [["序号"] + HEAD, [1] + ROWS[0], [2], [3]]})
    assert len(dataset.events) == 1


@pytest.mark.parametrize("label", ["合计", "总计", "小计", "合 计", "本季度合计", "合计："])
def test_a_correct_total_row_is_excluded_silently(label):
    dataset = load({"活动": [HEAD, *ROWS, [label, None, None, 245, 7300]]})
    assert events(dataset) == EXPECTED
    assert messages(dataset, "warning") == []


def test_a_total_row_that_disagrees_is_excluded_with_both_numbers():
    numbered = [[i] + r for i, r in enumerate(ROWS, 1)]
    dataset = load({"活动": [["序号"] + HEAD, *numbered, ["合计", None, None, None, 250, "7,300"]]})
    assert events(dataset) == EXPECTED
    [warning] = dataset.report.warnings
    assert (warning.sheet, warning.row, warning.column) == ("活动", 5, "参与人次")
    assert "250" in warning.message and "245" in warning.message


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
    assert any("示例" in m and "第2行" in m for m in messages(dataset, "notice"))


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
    assert (error.sheet, error.row, error.column, error.cell) == ("二季度活动", 4, column, "ABCDE"[cell] + "4")
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
    assert (error.row, error.column) == (2, "捐款金额") and "物资件数" in error.message
    assert dataset.donations["cash"].tolist() == [500.0]


@pytest.mark.parametrize("headers, missing", [
    (["日期", "活动名称", "支出"], "参与人次"),
    (["活动名称", "参与人次"], "日期"),
])
def test_a_missing_required_column_rejects_the_file_naming_it(headers, missing):
    dataset = load({"活动": [["标题"], headers, ["2024-04-01", "x", 1]]})
    [error] = dataset.report.issues
    assert error.level == "error" and missing in error.message and "活动" in error.message
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
