"""比赛: the results members win in competitions, by level and by place or prize.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from unionstats.charts.chart import (
    Chart,
    bar_chart,
    heading,
    palette,
)
from unionstats.contract import schema
from unionstats.contract.registry import Card
from unionstats.contract.schema import (
    CATEGORY,
    INT,
    NOTES,
    PARTICIPATION,
    RESULT,
    TEXT,
    UNIT,
    Column,
    Sheet,
    _date,
)
from unionstats.figures.engine import (
    UNRANKED,
    day,
    labelled,
    leading,
    lookup,
    ordered,
    tally,
    text,
    totals,
)
from unionstats.figures.typed import Figures
from unionstats.intake.values import place_number
from unionstats.kinds.kind import Kind, Page, Table
from unionstats.writing.chinese import number, quoted
from unionstats.writing.summary import Section, Writer
from unionstats.writing.tables import rows

LEVELS = ("本单位", "系统内", "区县级", "市级", "省级", "全国")

ENTRIES = ("团体", "个人")

RESULTS_CHOSEN = (
    "第一名", "第二名", "第三名", "第四名", "第五名", "第六名", "一等奖", "二等奖", "三等奖", "优秀奖", "参与",
)

SHEET = Sheet(
    "competitions", "比赛", ("比赛成绩", "竞赛", "获奖", "competitions"),
    "每行一项成绩：同一比赛的不同名次分行填写；3名个人第二名填一行，获奖数填 3。",
    (
        _date("比赛日期"),
        Column("name", "赛事名称", ("比赛名称", "名称", "赛事", "name"), TEXT,
               "如：全民健身运动会", required=True, width=28),
        Column("level", "级别", ("赛事级别", "level"), CATEGORY, "从下拉列表选择；可不填",
               choices=LEVELS,
               synonyms={"单位": "本单位", "所级": "本单位", "校级": "本单位", "院内": "本单位",
                         "系统": "系统内", "院级": "系统内", "行业": "系统内",
                         "区级": "区县级", "县级": "区县级", "区": "区县级", "县": "区县级",
                         "市": "市级", "省": "省级", "国家级": "全国", "全国性": "全国"},
               width=10),
        Column("event", "项目", ("比赛项目", "event"), TEXT, "如：女子综合团体、羽毛球", width=16),
        Column("entry", "类型", ("团体/个人", "kind"), CATEGORY, "团体或个人；不填记为个人",
               default="个人", choices=ENTRIES, synonyms={"团队": "团体", "集体": "团体"}, width=8),
        Column("entrants", "参赛人数", ("人数", "entrants"), INT, "整数；可不填", width=10),
        Column("result", "名次", ("奖项", "成绩", "名次/奖项", "result"), RESULT,
               "第一名（冠军）、第二名、第三名、第N名、一等奖、二等奖、三等奖、优秀奖、"
               "其他奖项写奖项名称；未获奖写「参与」或不填", default=PARTICIPATION,
               choices=RESULTS_CHOSEN, width=12),
        Column("awards", "获奖数", ("数量", "award_count"), INT,
               "整数，不小于 1；不填记为 1", default=1, minimum=1, width=8),
        UNIT,
        NOTES,
    ),
    rules=("名次：列表中没有的奖项（如“最佳组织奖”）直接填写奖项名称；3名个人获第二名填一行，获奖数填 3。",),
    example={"date": dt.date(2024, 4, 26), "name": "市直机关职工羽毛球比赛", "level": "市级", "event": "混合团体",
             "entry": "团体", "entrants": 8, "result": "第三名", "awards": 1},
)


@dataclass(frozen=True)
class LevelGroup:
    """Results at one level: rows, and awards won (参与 wins none)."""

    count: int
    awards: int

@dataclass(frozen=True)
class Award:
    date: dt.date
    name: str
    event: str
    level: str
    entry: str
    result: str
    award_name: str
    awards: int

    @property
    def prize(self) -> str:
        """What was won as people say it: the award's own name for 其他奖项, else the result."""
        return self.award_name if self.award_name and self.result == schema.OTHER_AWARD else self.result

@dataclass(frozen=True)
class CompetitionFigures:
    count: int = 0
    names: int = 0
    awards: int = 0
    by_level: dict[str, LevelGroup] = field(default_factory=dict)
    by_result: dict[str, int] = field(default_factory=dict)
    best: list[Award] = field(default_factory=list)


PRIZE_RANKS = {"一等奖": 1, "二等奖": 2, "三等奖": 3, "优秀奖": 4, schema.OTHER_AWARD: 5}

RESULT_ORDER = (*PRIZE_RANKS, schema.PARTICIPATION)

def result_rank(result: str) -> int:
    """Smaller is better: 第一名 and 一等奖 rank 1, 第二名 and 二等奖 rank 2, 优秀奖 4, 其他奖项 5."""
    return place_number(result) or PRIZE_RANKS.get(result, UNRANKED)

def result_order(results: Iterable[str]) -> list[str]:
    """第一名, 第二名, ... then 一等奖, 二等奖, 三等奖, 优秀奖, 其他奖项, 参与."""
    return sorted((r for r in results if place_number(r)), key=lambda r: place_number(r) or 0) + list(RESULT_ORDER)

def level_rank(level: str) -> int:
    """Smaller is higher: 全国 0, 省级 1, ... 本单位 5; no level after all of them."""
    return LEVELS[::-1].index(level) if level in LEVELS else len(LEVELS)

def award_record(row) -> Award:
    return Award(day(row.date), text(row.name), text(row.event), text(row.level), text(row.entry), row.result,
                 text(row.award_name), int(row.awards))

def competition_figures(competitions: pd.DataFrame) -> CompetitionFigures:
    """比赛: entries (rows), contests, awards (参与 is none) by level and result, the best results."""
    results = labelled(competitions["result"], schema.PARTICIPATION)
    won = (results != schema.PARTICIPATION).to_numpy()
    rows = competitions.assign(result=results, won=np.where(won, competitions["awards"].to_numpy(), 0))
    by_result = tally(rows, "result", ["won"])
    winners = rows[won]
    winners = winners.assign(rank=lookup(winners["result"], result_rank),
                             level_rank=lookup(winners["level"], level_rank))
    best = leading(winners, ["rank", "level_rank", "date", "name"], [True] * 4)
    return CompetitionFigures(
        count=len(competitions),
        names=int(competitions["name"].nunique()),
        awards=int(rows["won"].sum()),
        by_level=totals(rows, "level", LevelGroup, {"awards": "won"}, LEVELS + (schema.UNSPECIFIED,)),
        by_result={result: int(by_result.at[result, "rows" if result == schema.PARTICIPATION else "won"])
                   for result in ordered(by_result.index, result_order(by_result.index))},
        best=[award_record(r) for r in best.itertuples()],
    )


COUNT: Card[Figures] = Card("比赛成绩", lambda f: f.of(KIND).count, "项",
               help="比赛表的行数：每行一项成绩，只参赛未获奖的也计在内")

CONTESTS: Card[Figures] = Card("参加比赛", lambda f: f.of(KIND).names, "项", help="比赛表中不同“赛事名称”的个数")

AWARDS: Card[Figures] = Card("获得奖项", lambda f: f.of(KIND).awards, "个",
              help="名次不是“参与”的各行“获奖数”之和（未填获奖数的按1个计）")


LEVEL_COLOURS = palette(LEVELS[::-1])


def awards_by_level(result: Figures, scope: str) -> Chart:
    by = {k: v.awards for k, v in result.of(KIND).by_level.items() if v.awards}
    return bar_chart(heading(result.period, "获奖数（按级别）", scope), list(by), list(by.values()), "个",
                     colours=LEVEL_COLOURS, empty="本期没有获奖记录",
                     help="获奖数：各级别比赛记录的“获奖数”之和；名次为“参与”的不算获奖")


def awards_by_result(result: Figures, scope: str) -> Chart:
    by = result.of(KIND).by_result
    return bar_chart(heading(result.period, "成绩分布（按名次/奖项）", scope), list(by), list(by.values()), "个",
                     empty="本期没有比赛记录", help="成绩分布：各名次/奖项的“获奖数”之和；“参与”按比赛记录条数计",
                     additive=False)

LEVEL_WORDS = {"全国": "全国性", "省级": "省级", "市级": "市级", "区县级": "区县级", "系统内": "系统内",
               "本单位": "本单位"}

def pieces(value: float) -> str:
    return f"{number(value)}个"

def achievement(best: Award) -> str:
    """在“运动会”跳绳项目中获得个人第二名3名; 在“排球赛”中获得团体第三名. The unit's own names are kept."""
    place = f"在{quoted(best.name)}"
    event = best.event.strip()
    if event and event not in best.name and event not in ENTRY_WORDS:
        place += event if event.endswith(("项目", "比赛", "赛")) else f"{event}项目"
    prize = best.prize
    if best.result != schema.OTHER_AWARD and best.entry in ENTRY_WORDS:
        prize = f"{best.entry}{prize}"
    if best.awards > 1:
        prize += f"{best.awards}{'名' if best.entry == '个人' else '个'}"
    return f"{place}中获得{prize}"

ENTRY_WORDS = ("个人", "团体")


def section(writer: Writer) -> Section | None:
        competitions = writer.result.of(KIND)
        if not competitions.count:
            return None
        awards = competitions.awards
        won = f"，获得各类奖项{awards}个{writer.compare(lambda f: f.of(KIND).awards, pieces)}" if awards else ""
        paragraphs = [f"{writer.when}组织职工参加各类比赛{competitions.names}项{won}。"]
        levels = [(LEVEL_WORDS.get(level, level), v.awards) for level, v in
                  sorted(competitions.by_level.items(), key=lambda kv: level_rank(kv[0])) if v.awards]
        if awards and len(levels) > 1:
            paragraphs[-1] += f"其中{'、'.join(f'{word}{n}个' for word, n in levels)}。"
        elif awards and levels and levels[0][0] != schema.UNSPECIFIED:
            paragraphs[-1] = paragraphs[-1].removesuffix("。") + f"，均为{levels[0][0]}奖项。"
        best = [achievement(b) for b in competitions.best[:4]]
        if best:
            paragraphs.append(f"主要成绩有：{'；'.join(best)}。")
        return Section("积极参加各类比赛，展示职工风采", paragraphs)




def opening(writer: Writer) -> str | None:
    awards = writer.result.of(KIND).awards
    return f"在各类比赛中获得奖项{awards}个" if awards else None


def key_figures(result: Figures) -> list[tuple[str, str]]:
    awards = result.of(KIND).awards
    return [("获得奖项", f"{awards}个")] if awards else []


def line(result: Figures) -> str:
    competitions = result.of(KIND)
    return f"比赛成绩 {competitions.count} 项，获奖 {competitions.awards} 个"


KIND: Kind[CompetitionFigures] = Kind(
    SHEET, lambda rows, members, view: competition_figures(rows), 40,
    (awards_by_level, awards_by_result), (COUNT, CONTESTS, AWARDS), section, migrated=True,
    pages=(Page("比赛获奖", "pages/5_比赛获奖.py", ":material/emoji_events:", (COUNT, CONTESTS, AWARDS),
                (awards_by_level, awards_by_result),
                table=Table("比赛成绩明细", lambda dataset, period, units, result:
                            rows(dataset, "competitions", period, units))),),
    overview_cards=(AWARDS,),
    opening=opening, key_figures=key_figures, line=line,
)
