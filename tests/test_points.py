"""The 工作总结's points for a slide: sentences of its own that carry figures, cut only where a clause ends."""

import datetime as dt

from builders import dataset

from unionstats.contract.periods import parse_period
from unionstats.figures.engine import figures
from unionstats.writing.points import MOST, clipped, section_sentences, summary_points
from unionstats.writing.summary import UNITS_HEADING, Section, Summary, write_summary

D = dt.date


def test_the_activities_point_is_the_sentence_with_the_counts_of_the_rows():
    held = [(D(2025, 4, 3), "春季健步走", "文体活动", 60), (D(2025, 5, 4), "青年读书会", "学习培训", 25),
            (D(2025, 6, 9), "端午包粽子", "节日活动", 44)]
    data = dataset(events=[dict(date=day, name=name, category=category, participants=people, spending=100.0)
                           for day, name, category, people in held], members={"甲单位": 50})
    points = summary_points(write_summary(figures(data, parse_period("2025Q2")), "甲工会"), one_unit=True)
    first, *_ = points
    assert first.sentences[0] == f"本季度共组织开展各类活动{len(held)}次，参与职工{sum(p for *_, p in held)}人次。"
    most = max(held, key=lambda row: row[3])
    assert first.sentences[1] == (f"其中参与人数最多的是{most[0].month}月{most[0].day}日举办的“{most[1]}”，"
                                  f"参与职工{most[3]}人次。")


def test_a_long_sentence_keeps_its_first_clauses_and_never_ends_on_what_it_singles_out():
    sentence = ("本季度共组织开展各类活动12次，参与职工300人次，其中与上季度可比的单位180人次，"
                "较上季度这些单位组织的各类活动的参与人次合计增长了20%，增幅为近年同期最高")
    assert clipped(sentence) == "本季度共组织开展各类活动12次，参与职工300人次。"
    assert len(clipped(sentence)) <= MOST
    assert clipped("共捐款2万元") == "共捐款2万元。"


def test_a_listing_is_said_whole_or_not_at_all():
    listing = "按类别分，" + "；".join(f"第{i}类活动{i}次、参与{10 * i}人次" for i in range(1, 9))
    section = Section("组织开展职工活动",
                      [f"本季度共组织开展各类活动36次。{listing}。其中参与人数最多的是5月1日的“游园”。"])
    assert section_sentences(section) == ("本季度共组织开展各类活动36次。", "其中参与人数最多的是5月1日的“游园”。")
    alone = Section("组织开展职工活动", [f"本季度共组织开展各类活动36次。{listing}。"])
    assert len(listing) > MOST and section_sentences(alone) == ("本季度共组织开展各类活动36次。",)


def test_ranked_notes_keep_their_order_figures_or_not():
    notes = Section("需要关注的几个方面", ["1.本季度没有开展学习培训类活动，活动类型还不够全面。",
                                   "2.看望慰问6人次，较上季度下降50%。", "3.经费支出较为集中。"])
    assert section_sentences(notes) == ("本季度没有开展学习培训类活动，活动类型还不够全面。",
                                        "看望慰问6人次，较上季度下降50%。")


def test_the_units_section_is_left_out_for_one_unit_and_the_rest_renumbered():
    summary = Summary("某工会2025年工作总结", "开头。", [Section("组织开展职工活动", ["全年开展活动3次。"]),
                                               Section(UNITS_HEADING, ["全年共有1个单位报送了数据。"]),
                                               Section("需要关注的几个方面", ["活动类型还不够全面。"])])
    assert [p.heading for p in summary_points(summary)] == ["一、组织开展职工活动", f"二、{UNITS_HEADING}",
                                                             "三、需要关注的几个方面"]
    alone = [p.heading for p in summary_points(summary, one_unit=True)]
    assert alone == ["一、组织开展职工活动", "二、需要关注的几个方面"]
