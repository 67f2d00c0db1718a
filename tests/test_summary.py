import datetime as dt
import itertools
import re

import pytest
from builders import dataset
from hypothesis import given, settings
from hypothesis import strategies as st
from workbooks import load

from conftest import ROOT
from unionstats import schema
from unionstats.loading import load_path
from unionstats.periods import parse_period
from unionstats.stats import figures
from unionstats.summary import write_summary

SAMPLE = load_path(ROOT / "data" / "sample.xlsx")
NUMBER = re.compile(r"(\d+(?:\.\d+)?)(万元|%)?")


def numbers_in(value, out: list) -> list:
    """Every number the statistics hold, dates split into their parts."""
    if isinstance(value, bool) or value is None:
        return out
    if isinstance(value, (int, float)):
        out.append(float(value))
    elif isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        out.extend(float(part) for part in value.split("-"))
    elif isinstance(value, dict):
        for key, item in value.items():
            numbers_in(item, out)
            if isinstance(key, str):
                numbers_in(key, out)
    elif isinstance(value, list):
        for item in value:
            numbers_in(item, out)
    return out


def allowed(result: dict) -> tuple[set, set]:
    """What the text may say: the figures, and percentages any two of them make."""
    values = set(numbers_in(result, []))
    plain = {round(v, 2) for v in values}
    percents = {round(v * 100, 1) for v in values if 0 <= v <= 1}
    for a, b in itertools.permutations(values, 2):
        if b:
            percents.add(round(100 * a / b, 1))
            percents.add(round(100 * abs(a - b) / b, 1))
    return plain, percents


def untraced(text: str, result: dict) -> list[str]:
    plain, percents = allowed(result)
    wan = {round(v / 10_000, 2) for v in plain}
    problems = []
    for line in text.splitlines():
        line = re.sub(r"^\d+、", "", line)
        for match in NUMBER.finditer(line):
            number, unit = float(match.group(1)), match.group(2)
            ok = number in (wan if unit == "万元" else percents if unit == "%" else plain)
            if not ok:
                problems.append(f"{match.group(0)} in: {line[:60]}")
    return problems


@pytest.mark.parametrize("code", ["2024", "2025", "2024H1", "2025H2", *[f"{y}Q{q}" for y in (2024, 2025)
                                                                        for q in (1, 2, 3, 4)], "2025-09"])
def test_every_number_in_the_sample_summaries_is_a_statistic(code):
    result = figures(SAMPLE, parse_period(code))
    summary = write_summary(result)
    assert untraced(summary.text(), result) == []
    assert untraced("\n".join(v for _, v in summary.key_figures), result) == []


def test_the_register_of_a_quarter():
    summary = write_summary(figures(SAMPLE, parse_period("2025Q3")))
    assert summary.title == "江城市农业科学研究所工会2025年第三季度工作总结"
    assert summary.opening.startswith("2025年第三季度，江城市农业科学研究所工会")
    assert [s.heading for s in summary.sections][:2] == ["组织开展文体活动，丰富职工精神文化生活",
                                                         "坚持走访慰问，把组织关怀送到职工心坎上"]
    text = summary.text()
    assert "（一）" in text and "（二）" in text
    assert "较上季度" in text and "比去年同期" in text
    events = SAMPLE.events[SAMPLE.events["date"].between("2025-07-01", "2025-09-30")]
    top = events.sort_values(["participants", "date"], ascending=[False, True]).iloc[0]
    assert f"其中参与人数最多的是{top.date.month}月{top.date.day}日举办的“{top['name']}”" in text


def test_a_year_compares_only_with_the_year_before():
    text = write_summary(figures(SAMPLE, parse_period("2025"))).text()
    assert "较上年" in text and "去年同期" not in text and "上季度" not in text
    first_year = write_summary(figures(SAMPLE, parse_period("2024"))).text()
    assert "较上年" not in first_year


def test_money_follows_one_rule():
    text = write_summary(figures(SAMPLE, parse_period("2025"))).text()
    spending = SAMPLE.events[SAMPLE.events["date"].dt.year == 2025]["spending"].sum()
    assert spending > 10_000
    assert f"活动经费支出{spending / 10_000:.2f}".rstrip("0").rstrip(".") + "万元" in text
    assert not re.search(r"\d{5,}(\.\d+)?元", text), "amounts from 10,000 are written in 万元"
    assert not re.search(r"\d,\d{3}", text), "no thousands separators in running text"


def test_names_from_the_person_column_never_appear():
    names = set(SAMPLE.visits["person"]) - {""}
    assert len(names) > 10
    for code in ("2024", "2025Q2"):
        text = write_summary(figures(SAMPLE, parse_period(code))).text()
        assert not [n for n in names if n in text]


def test_the_same_data_gives_the_same_text():
    first = write_summary(figures(SAMPLE, parse_period("2024H2"))).text()
    again = write_summary(figures(load_path(ROOT / "data" / "sample.xlsx"), parse_period("2024H2"))).text()
    assert first == again


def test_a_sparse_file_with_two_sheets_leaves_out_what_it_lacks():
    data = load({"活动": [["日期", "活动名称", "类别", "参与人次"], ["2024-05-04", "青年座谈会", "学习培训", 35]],
                 "慰问": [["日期", "事由", "人次", "金额"], ["2024-04-09", "住院", 1, 500]]}, name="城南小学工会")
    summary = write_summary(figures(data, parse_period("2024Q2")))
    text = summary.text()
    assert [s.heading for s in summary.sections] == [
        "组织开展文体活动，丰富职工精神文化生活", "坚持走访慰问，把组织关怀送到职工心坎上", "需要关注的几个方面"]
    assert "捐款" not in text and "比赛" not in text and "经费支出" not in text
    assert not re.search(r"(?<![\d.])0(\.0+)?(元|万元|人次|次|件|个|%)", text), "never a zero figure"
    assert "城南小学工会2024年第二季度工作总结" == summary.title


def test_a_period_without_data_says_so_in_one_sentence():
    summary = write_summary(figures(SAMPLE, parse_period("2023Q2")))
    assert summary.sections == []
    assert summary.opening.count("。") == 1 and "没有" in summary.opening


def test_observations_are_drawn_from_the_numbers():
    text = write_summary(figures(SAMPLE, parse_period("2025Q3"))).text()
    assert "需要关注的几个方面" in text
    def quarter(frame, start, end):
        return frame[frame["date"].between(start, end)]

    held = set(quarter(SAMPLE.events, "2025-07-01", "2025-09-30")["category"])
    missing = [c for c in ("文体活动", "节日活动", "参观旅游", "学习培训", "民主管理", "志愿公益") if c not in held]
    assert missing, "the sample's 2025Q3 lacks some categories"
    named = missing[0] if len(missing) == 1 else "、".join(missing[:-1]) + "和" + missing[-1]
    assert f"没有开展{named}类活动" in text
    now = quarter(SAMPLE.visits, "2025-07-01", "2025-09-30")["count"].sum()
    before = quarter(SAMPLE.visits, "2025-04-01", "2025-06-30")["count"].sum()
    assert (before - now) / before >= 0.3
    assert f"看望慰问{now}人次，上季度为{before}人次，较上季度下降{(before - now) / before * 100:.1f}%" in text


def test_markdown_has_the_title_and_headings():
    markdown = write_summary(figures(SAMPLE, parse_period("2024Q2"))).markdown()
    assert markdown.startswith("# 江城市农业科学研究所工会2024年第二季度工作总结\n")
    assert "\n## （一）" in markdown


RECORDS = st.fixed_dictionaries({
    "events": st.lists(st.fixed_dictionaries({
        "date": st.dates(dt.date(2023, 1, 1), dt.date(2024, 12, 31)),
        "name": st.sampled_from(["联欢会", "健步走", "讲座"]),
        "category": st.sampled_from(schema.EVENT_CATEGORIES), "participants": st.integers(0, 400),
        "spending": st.integers(0, 5_000_000).map(lambda f: f / 100), "unit": st.just("甲")}), max_size=15),
    "visits": st.lists(st.fixed_dictionaries({
        "date": st.dates(dt.date(2023, 1, 1), dt.date(2024, 12, 31)), "reason": st.sampled_from(schema.VISIT_REASONS),
        "group": st.sampled_from(("",) + schema.VISIT_GROUPS), "count": st.integers(1, 30),
        "amount": st.integers(0, 2_000_000).map(lambda f: f / 100), "unit": st.just("甲")}), max_size=10),
    "competitions": st.lists(st.fixed_dictionaries({
        "date": st.dates(dt.date(2023, 1, 1), dt.date(2024, 12, 31)), "name": st.sampled_from(["运动会", "合唱"]),
        "level": st.sampled_from(schema.LEVELS), "event": st.sampled_from(["", "跳绳"]),
        "result": st.sampled_from(schema.RESULT_CHOICES), "awards": st.integers(1, 4), "unit": st.just("甲")}),
        max_size=6),
})


@settings(max_examples=60, deadline=None)
@given(RECORDS, st.sampled_from(["2024", "2024H2", "2024Q2", "2024-03"]), st.sampled_from([None, 120]))
def test_every_number_in_a_random_summary_is_a_statistic(records, code, members):
    data = dataset(records["events"], records["visits"], competitions=records["competitions"],
                   members={"甲": members} if members else None)
    result = figures(data, parse_period(code))
    text = write_summary(result).text()
    assert untraced(text, result) == []
    assert not re.search(r"(?<![\d.])0(\.0+)?(元|万元)", text)
