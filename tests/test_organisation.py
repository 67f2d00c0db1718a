"""The union a summary names: from 单位信息 or the 单位 column, the stored setting, never a file name."""

import pytest
from workbooks import load

from unionstats.contract.periods import parse_period
from unionstats.figures.engine import figures
from unionstats.intake import naming
from unionstats.intake.naming import checked_setting
from unionstats.writing.organisation import organisation_name, union_name

HEAD = ["日期", "活动名称", "类别", "参与人次"]


@pytest.mark.parametrize("name, union", [
    ("某研究所", "某研究所工会"), ("某区总工会", "某区总工会"), ("三山学校工会委员会", "三山学校工会委员会"),
    ("一分会", "一分会"), ("机关工委", "机关工委"), ("  某局 ", "某局工会"), ("", "工会"), (None, "工会"),
    ("某\x07局", "某局工会"), ("ＡＢ中学", "AB中学工会"), ("某县  水利局", "某县 水利局工会"),
], ids=["bare", "federation", "committee", "branch", "committee-short", "spaces", "empty", "none", "control",
        "full-width", "inner-spaces"])
def test_a_name_always_names_a_union(name, union):
    assert union_name(name) == union


def test_without_unit_information_the_file_name_is_never_the_name(tmp_path):
    data = load({"活动": [HEAD, ["2004-03-08", "三八节", "节日活动", 30]]}, name="school_2004")
    assert set(data.events["unit"]) == {""}  # no unit until one is given (naming.py)
    assert organisation_name(data) == "工会" and organisation_name(data, result=figures(data)) == "工会"
    assert organisation_name(data, setting="三山学校") == "三山学校工会"
    assert organisation_name(naming.named(data, "三山学校")) == "三山学校工会"


def test_unit_information_or_a_single_unit_column_names_the_union():
    info = load({"活动": [HEAD, ["2008-03-08", "三八节", "节日活动", 30]],
                 "单位信息": [["单位名称", "某研究所"], ["会员人数", 40]]}, name="2008年报表")
    assert organisation_name(info) == "某研究所工会"
    column = load({"活动": [HEAD + ["单位"], ["2013-04-11", "春游", "参观旅游", 20, "某县水利局"]]}, name="q2")
    assert organisation_name(column) == "某县水利局工会"
    assert organisation_name(column, setting="某县总工会") == "某县水利局工会"  # the rows are one unit's
    assert organisation_name(column, ["某县水利局"], setting="某县总工会") == "某县水利局工会"
    assert organisation_name(column, ["某县水利局", "某县林业局"]) == "工会"  # two chosen: no one unit names it


def test_several_units_take_the_setting_else_plainly_the_union():
    data = load({"活动": [HEAD + ["单位"], ["2024-04-01", "春游", "参观旅游", 20, "一中"],
                          ["2024-04-02", "讲座", "学习培训", 10, "二中"]]}, name="汇总")
    assert organisation_name(data) == "工会"
    assert organisation_name(data, setting="某区教育工会") == "某区教育工会"
    assert organisation_name(data, ["一中", "二中"]) == "工会"
    assert organisation_name(data, ["一中", "三中"]) == "工会"  # chosen units, not the data's, decide


def test_a_views_units_are_those_with_rows_in_its_period():
    rows = [["2008-03-08", "三八节", "节日活动", 30, "某研究所"], ["2013-04-11", "春游", "参观旅游", 20, "某县水利局"]]
    data = load({"活动": [HEAD + ["单位"], *rows]}, name="汇总")
    year, every, empty = (figures(data, parse_period(p) if p else None) for p in ("2008", "", "2010"))
    assert organisation_name(data, result=year) == organisation_name(data, setting="某市总工会", result=year) \
        == f"{rows[0][-1]}工会"
    assert organisation_name(data, result=every) == "工会"
    assert organisation_name(data, setting="某市总工会", result=every) == "某市总工会"
    assert organisation_name(data, result=empty) == "工会"
    assert organisation_name(data, setting="某市总工会", result=empty) == "某市总工会"
    assert organisation_name(data, [rows[1][-1]], result=year) == f"{rows[1][-1]}工会"  # chosen, though silent


def test_the_setting_is_cleaned_and_kept_within_a_unit_name():
    assert checked_setting("  某区\t教育工会\x01 ") == "某区 教育工会"
    assert checked_setting(None) == "" and checked_setting("") == ""
    with pytest.raises(ValueError, match="最多 200 个字"):
        checked_setting("工" * 201)
