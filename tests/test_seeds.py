"""The summaries of workbooks shaped like the seeds' three units read like the seeds' own, in form."""

import datetime as dt
import re

import pytest
from seeds import BOOKS, write_all

from unionstats.figures.engine import figures
from unionstats.intake.loading import load_path
from unionstats.writing.organisation import organisation_name
from unionstats.writing.summary import write_summary

TITLES = {"institute_2008.xlsx": "某研究所工会2008年工作总结", "school_2004.xlsx": "三山学校工会2004年工作总结",
          "bureau_2013q2.xlsx": "某县水利局工会2013年第二季度工作总结"}
WHEN = {"institute_2008.xlsx": "全年", "school_2004.xlsx": "全年", "bureau_2013q2.xlsx": "本季度"}


@pytest.fixture(scope="module")
def summaries(tmp_path_factory):
    out = {}
    for path, options in write_all(tmp_path_factory.mktemp("seeds")).items():
        data = load_path(path)
        assert data.report.ok, data.report.records()
        setting = options[1] if options else ""
        out[path.name] = write_summary(figures(data), organisation_name(data, setting=setting),
                                       dated=dt.date(2026, 12, 2))
    return out


@pytest.mark.parametrize("name", list(BOOKS))
def test_each_seed_is_titled_for_its_union_and_natural_period(summaries, name):
    summary = summaries[name]
    text = summary.text()
    assert summary.title == TITLES[name]
    assert f"{WHEN[name]}共组织开展各类活动" in text and "这一时期" not in text
    assert summary.signature() == [TITLES[name].split("20")[0], "2026年12月2日"]
    headings = [line for line in text.splitlines() if re.match(r"^[一二三四五六七八九十]+、", line)]
    assert headings and all(not h.startswith("（") for h in headings)


@pytest.mark.parametrize("name", list(BOOKS))
def test_each_seed_keeps_the_rules_of_the_register(summaries, name):
    text = summaries[name].text()
    assert "““" not in text and "””" not in text
    assert not re.search(r"(项目|比赛|活动)\1", text)
    assert not re.search(r"(?<![\d.])0(\.0+)?(元|万元|人次|次|件|个|%)", text)
    assert "先后1次" not in text and "school_2004" not in text and "institute" not in text
    assert not re.search(r"获得\d+名", text), "a count comes after the prize: 获得个人第二名3名"


def test_the_institutes_awards_and_festivals_read_as_the_office_wrote_them(summaries):
    text = summaries["institute_2008.xlsx"].text()
    assert "在“迎奥运全民健身运动会”女子综合团体项目中获得团体第一名" in text
    assert "在“迎奥运全民健身运动会”个人项目中获得个人第二名3名" in text
    assert "“‘三八’妇女节活动”" in text and "均为省级奖项" in text
    assert "\n需要关注的几个方面" not in text and "\n1.全年没有开展志愿公益类活动" not in text
    assert "全年没有开展志愿公益类活动，活动类型还不够全面。" in text


def test_the_schools_single_donation_is_not_said_to_come_one_after_another(summaries):
    assert "全年组织职工捐款捐物1次，共捐款3260元" in summaries["school_2004.xlsx"].text()
