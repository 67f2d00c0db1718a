import pytest
from workbooks import load

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


def test_members_without_a_name_belong_to_the_file():
    dataset = load({"活动": [HEAD, EVENT], "单位信息": [["会员人数", 60]]}, name="城南小学工会")
    assert dataset.members() == {"城南小学工会": 60}


def test_without_unit_information_the_file_name_names_the_unit():
    dataset = load({"活动": [HEAD, EVENT]}, name="城南小学工会")
    assert dataset.events["unit"].tolist() == ["城南小学工会"]


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
