"""The line under each chart slide's title is a sentence a chairman can read out, its figures those of the rows the
test builds: the total, the largest part and its share, ties named together, entries without a place said so."""

import datetime as dt
import io
import re

import pandas as pd
import pytest
from builders import dataset
from pptx import Presentation

from conftest import ROOT
from unionstats.contract.periods import parse_period
from unionstats.exports.deck import deck_bytes
from unionstats.exports.deck.shapes import NOTE_EMS, ems
from unionstats.figures.engine import figures
from unionstats.intake.loading import load_path
from unionstats.writing.chinese import percent

D = dt.date
Q2 = parse_period("2025Q2")
EAST, WEST = "城东中学工会", "西湖小学工会"


def subtitles(data, period=Q2, organisation="甲工会") -> dict[str, str]:
    """Each slide's title (without the period) and the line under it."""
    deck = Presentation(io.BytesIO(deck_bytes(figures(data, period), organisation)))
    found = {}
    for slide in list(deck.slides)[1:]:
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame and s.text_frame.text]
        note = next((s.text_frame.text for s in slide.shapes if s.name == "副标题"), "")
        found[texts[0].removeprefix(period.label)] = note
    return found


def test_a_competition_entered_without_a_place_says_so():
    data = dataset(competitions=[dict(date=D(2025, 6, 3), name="市职工乒乓球赛", level="市级", result="参与")])
    assert subtitles(data)["成绩分布（按名次/奖项）"] == "参赛1项，均未获奖"


def test_places_are_listed_and_entries_without_one_follow():
    rows = [("第一名", 2), ("一等奖", 1), ("参与", None), ("参与", None)]
    data = dataset(competitions=[dict(date=D(2025, 5, i + 1), name=f"比赛{i}", level="市级", result=result,
                                      **({"awards": awards} if awards else {}))
                                 for i, (result, awards) in enumerate(rows)])
    entered = sum(result == "参与" for result, _ in rows)
    assert subtitles(data)["成绩分布（按名次/奖项）"] == f"获得第一名2个和一等奖1个，另有{entered}项参赛未获奖"


def test_the_largest_part_is_named_with_its_share_of_the_total():
    held = [("文体活动", 60), ("文体活动", 45), ("节日活动", 38), ("学习培训", 20)]
    data = dataset(events=[dict(date=D(2025, 4, i + 1), name=f"活动{i}", category=category, participants=people,
                                spending=0.0) for i, (category, people) in enumerate(held)])
    by = pd.DataFrame(held, columns=["category", "people"]).groupby("category")["people"].sum()
    top = by.idxmax()
    assert subtitles(data)["各类活动参与人次"] == (f"参与人次合计{by.sum()}人次，最多的是{top}"
                                               f"（{by[top]}人次，占{percent(by[top] / by.sum())}）")


def test_parts_that_tie_are_named_together_and_one_part_is_all():
    data = dataset(visits=[dict(date=D(2025, 5, 3), reason="生病住院", group="在职职工", count=1, amount=500.0),
                           dict(date=D(2025, 6, 8), reason="丧事", group="在职职工", count=1, amount=800.0)])
    said = subtitles(data)
    assert said["慰问人次（按事由）"] == "慰问人次合计2人次，生病住院和丧事各1人次"
    assert said["慰问人次（按对象类别）"] == "慰问人次合计2人次，全部为在职职工"


def test_rates_of_several_units_say_the_highest_and_the_lowest():
    members = {EAST: 50, WEST: 40}
    held = {EAST: [30, 20], WEST: [32]}
    data = dataset(events=[dict(date=D(2025, 4, 10 + i), name=f"活动{i}", category="文体活动", participants=people,
                                spending=0.0, unit=unit) for unit, counts in held.items()
                           for i, people in enumerate(counts)], members=members)
    rates = {unit: round(sum(counts) / (len(counts) * members[unit]) * 100, 1) for unit, counts in held.items()}
    high, low = max(rates, key=rates.get), min(rates, key=rates.get)
    assert subtitles(data, organisation="城区教育工会")["各单位平均参与率"] == \
        f"平均参与率最高的是{high}（{rates[high]:g}%），最低的是{low}（{rates[low]:g}%）"


def test_long_unit_names_make_a_shorter_sentence_that_keeps_to_its_line():
    long_names = ["江城市农业科学研究所机关第一党支部工会小组", "江城市农业科学研究所后勤服务中心分工会委员会"]
    data = dataset(events=[dict(date=D(2025, 4, 10 + i), name="健步走", category="文体活动", participants=20 + i,
                                spending=100.0, unit=unit) for i, unit in enumerate(long_names)],
                   members=dict.fromkeys(long_names, 40))
    said = subtitles(data, organisation="城区工会")
    assert said["各单位平均参与率"].startswith(f"平均参与率最高的是{long_names[1]}")
    assert all(ems(line) <= NOTE_EMS for line in said.values()), said


@pytest.mark.parametrize("period", ["2024", "2025Q2", "2025-06", "2024-08", "2025H2"])
def test_no_line_of_the_sample_is_a_bare_fragment(period):
    """The old lines read 参与最多，1个: a name, 最多 and a figure, with no word of what was counted."""
    said = subtitles(load_path(ROOT / "data" / "sample.xlsx"), parse_period(period), None)
    charts = {title: line for title, line in said.items() if title not in ("主要数据", "工作要点", "工作要点（续）")}
    fragments = [line for line in charts.values() if re.search(r"^[^，]{1,8}(最多|最高)，\d", line)]
    assert any(charts.values()) and not fragments, fragments
    assert all(ems(line) <= NOTE_EMS for line in charts.values())
