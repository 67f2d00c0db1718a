import pytest
from workbooks import load

from unionstats.intake import naming

EVENT = ["2024-04-03", "春季健步走", "文体活动", 120, 3600]
HEAD = ["日期", "活动名称", "类别", "参与人次", "支出"]


@pytest.mark.parametrize("info_rows, unit, members", [
    ([["单位名称", "江城农科所工会"], ["会员人数", 186]], "江城农科所工会", 186),
    ([["项目", "内容"], ["单位名称：", "江城农科所工会"], ["会员人数", "186人"], ["报告期", "2024年第二季度"]],
     "江城农科所工会", 186),
    ([["基本信息"], [], [None, "单位名称", "机关工会"]], "机关工会", None),
])
def test_item_value_pairs_name_the_unit_and_its_members(info_rows, unit, members):
    dataset = load({"活动": [HEAD, EVENT], "单位信息": info_rows})
    assert dataset.events["unit"].tolist() == [unit]
    assert dataset.members() == ({unit: members} if members else {})


def test_a_table_lists_several_units_with_their_members():
    info = [["单位名称", "会员人数", "报告期"], ["一分会", 80, "2024年"], ["二分会", 45, "2024年"], [None, None]]
    dataset = load({"活动": [HEAD + ["单位"], EVENT + ["一分会"], EVENT + ["二分会"]], "单位信息": info})
    assert dataset.members() == {"一分会": 80, "二分会": 45}
    assert dataset.events["unit"].tolist() == ["一分会", "二分会"]


def test_members_without_a_name_belong_to_the_unit_named_at_import():
    dataset = load({"活动": [HEAD, EVENT], "单位信息": [["会员人数", 60]]}, name="城南小学工会")
    assert dataset.members() == {"": 60} and dataset.events["unit"].tolist() == [""]
    named = naming.named(dataset, "城南小学")
    assert named.members() == {"城南小学": 60} and named.events["unit"].tolist() == ["城南小学"]


def test_without_unit_information_the_file_name_is_not_the_unit():
    dataset = load({"活动": [HEAD, EVENT]}, name="城南小学工会")
    assert dataset.events["unit"].tolist() == [""] and dataset.named_units() == set()
    [warning] = dataset.report.warnings
    assert warning.message.startswith("没有写明单位名称：1 行数据不知属于哪个单位")
    assert (warning.sheet, warning.row) == ("活动", 2)


def test_a_unit_column_overrides_unit_information_row_by_row():
    rows = [HEAD + ["单位"], EVENT + ["一分会"], EVENT + [None]]
    dataset = load({"活动": rows, "info": [["单位名称", "总工会"]]})
    assert dataset.events["unit"].tolist() == ["一分会", "总工会"]


@pytest.mark.parametrize("info, row, cell", [
    ([["单位名称", "某工会"], ["会员人数", "很多"]], 2, "B2"),
    ([["单位名称", "会员人数"], ["一分会", -3]], 2, "B2"),
])
def test_a_bad_member_count_is_an_error_at_its_cell(info, row, cell):
    dataset = load({"活动": [HEAD, EVENT], "单位信息": info})
    [error] = dataset.report.errors
    assert (error.sheet, error.row, error.column, error.cell) == ("单位信息", row, "会员人数", cell)


# Hostile cells.

INVISIBLE = "单元格含有不可见的控制字符，已删除，请核对内容"


def test_control_characters_are_taken_out_of_unit_information_with_a_warning_at_each_cell():
    info = [["单位_x0001_名称", "机关_x0002_工会"], ["会员人数", "186_x0003_人"], ["报告期", "二季度_x0004_"]]
    dataset = load({"活动": [HEAD, EVENT], "单位信息": info})
    assert dataset.units[["unit", "members", "period_text"]].values.tolist() == [["机关工会", 186, "二季度"]]
    assert dataset.events["unit"].tolist() == ["机关工会"]
    assert [(w.sheet, w.row, w.column, w.cell, w.value, w.message) for w in dataset.report.warnings] == [
        ("单位信息", 1, "单位名称", "B1", "机关工会", INVISIBLE), ("单位信息", 2, "会员人数", "B2", "186人", INVISIBLE),
        ("单位信息", 3, "报告期", "B3", "二季度", INVISIBLE)]


def test_a_unit_name_longer_than_200_characters_is_an_error_at_its_cell():
    name = "某" * 201
    dataset = load({"活动": [HEAD, EVENT], "单位信息": [["单位名称", name], ["会员人数", 20]]}, name="城南小学工会")
    [error] = dataset.report.errors
    assert (error.row, error.column, error.cell, error.message) == (
        1, "单位名称", "B1", "单位名称超过 200 个字符（现为 201 个），请缩短")
    assert dataset.units["unit"].tolist() == [""], "the name is not kept (nor any part of it)"


def test_a_unit_name_of_200_characters_is_kept_whole():
    name = "某" * 200
    dataset = load({"活动": [HEAD, EVENT], "单位信息": [["单位名称", "会员人数"], [name, 20]]})
    assert dataset.report.issues == [] and dataset.members() == {name: 20}


def test_a_report_period_longer_than_100_characters_is_kept_shortened_with_a_warning():
    period = "2024年第二季度，" + "说明" * 60
    dataset = load({"活动": [HEAD, EVENT], "单位信息": [["单位名称", "机关工会"], ["报告期", period]]})
    assert dataset.report.ok
    [warning] = dataset.report.warnings
    assert (warning.row, warning.column, warning.cell) == (2, "报告期", "B2")
    assert warning.message == f"报告期超过 100 个字符（现为 {len(period)} 个），只保留前 99 个字符，请核对"
    assert dataset.units["period_text"].tolist() == [period[:99] + "…"]


@pytest.mark.parametrize("members", [100_000_001, 3e9, "99999999999999999999"])
def test_a_member_count_beyond_100_million_is_an_error_at_its_cell(members):
    dataset = load({"活动": [HEAD, EVENT], "单位信息": [["单位名称", "会员人数"], ["一分会", members]]})
    [error] = dataset.report.errors
    assert (error.row, error.column, error.cell) == (2, "会员人数", "B2")
    assert error.message.startswith("会员人数“")
    assert error.message.endswith("超出合理范围（不超过 100,000,000），请核对")
    assert dataset.members() == {}


def test_the_member_limit_itself_is_allowed():
    dataset = load({"活动": [HEAD, EVENT], "单位信息": [["单位名称", "会员人数"], ["一分会", 100_000_000]]})
    assert dataset.report.issues == [] and dataset.members() == {"一分会": 100_000_000}
