"""Rebuild data/sample.xlsx: two years of a fictional institute union's records.

    python data/make_sample.py

The unit, 江城市农业科学研究所工会 with 186 members, is invented; so are the
names in the 对象 column. The calendar is a real union's: festivals in their
months, a sports meet in spring, training and 职代会 early in the year,
visits for illness, weddings, births, funerals and hardship all year round,
and the 重阳 and Spring Festival visits to retirees. 2025 differs from 2024
(more sport, no study session in one quarter, fewer visits in its third
quarter) so that comparisons have something to say. Fixed seed: the same
file every time.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from unionstats import schema  # noqa: E402

OUT = Path(__file__).resolve().parent / "sample.xlsx"
UNIT = "江城市农业科学研究所工会"
MEMBERS = 186
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ("建国", "秀英", "志强", "丽华", "海燕", "国庆", "桂兰", "明", "静", "军", "芳", "磊", "敏", "伟", "娟")

# (month, day, name, category, share of members taking part, yuan per head)
EVENTS = [
    (1, 20, "迎新春职工联欢会", "节日活动", 0.85, 60),
    (2, 12, "元宵节猜灯谜活动", "节日活动", 0.55, 15),
    (3, 8, "三八妇女节女职工插花活动", "节日活动", 0.42, 80),
    (3, 12, "植树节义务植树", "志愿公益", 0.25, 20),
    (3, 26, "第九届职工代表大会第二次会议", "民主管理", 0.35, 30),
    (4, 18, "春季职工健步走", "文体活动", 0.62, 25),
    (4, 25, "工会干部业务培训", "学习培训", 0.08, 150),
    (5, 1, "五一劳动模范座谈会", "节日活动", 0.12, 40),
    (5, 16, "职工羽毛球比赛", "文体活动", 0.28, 35),
    (5, 29, "端午节包粽子活动", "节日活动", 0.5, 30),
    (6, 14, "无偿献血志愿活动", "志愿公益", 0.1, 10),
    (6, 20, "职工书屋读书分享会", "学习培训", 0.16, 12),
    (7, 10, "夏季送清凉慰问一线职工", "节日活动", 0.45, 45),
    (8, 22, "红色教育基地参观学习", "参观旅游", 0.3, 120),
    (9, 10, "庆祝教师节暨青年职工座谈会", "学习培训", 0.14, 20),
    (9, 24, "中秋节游园活动", "节日活动", 0.7, 40),
    (10, 11, "重阳节离退休职工登高活动", "节日活动", 0.2, 60),
    (10, 25, "职工秋季趣味运动会", "文体活动", 0.75, 50),
    (11, 8, "职工心理健康讲座", "学习培训", 0.22, 15),
    (11, 20, "科研骨干疗休养", "参观旅游", 0.09, 900),
    (12, 13, "冬季长跑比赛", "文体活动", 0.33, 30),
    (12, 27, "年度工会工作民主评议会", "民主管理", 0.3, 10),
]
EXTRA_2025 = [
    (3, 30, "职工篮球友谊赛", "文体活动", 0.15, 40),
    (6, 28, "职工摄影作品展", "文体活动", 0.4, 25),
    (9, 6, "职工乒乓球比赛", "文体活动", 0.2, 30),
]
SKIPPED_2025 = {"职工书屋读书分享会", "工会干部业务培训"}

VISIT_AMOUNTS = {"生病住院": 500, "结婚": 1000, "生育": 800, "丧事": 1000, "困难帮扶": 3000, "生日祝寿": 300}
DONATIONS = [
    (4, 20, "慈善一日捐", "集体", 0.85, 0, ""),
    (7, 15, "抗洪救灾捐款", "个人", 0.6, 0, ""),
    (9, 5, "对口帮扶村助学", "集体", 0.0, 0, ""),
    (11, 28, "冬衣捐赠", "个人", 0.0, 1, "新棉衣、新棉被"),
]
COMPETITIONS = [
    (4, 26, "市直机关职工羽毛球比赛", "市级", "混合团体", "团体", 8),
    (5, 18, "全省农业科研系统职工运动会", "系统内", "女子综合团体", "团体", 12),
    (5, 18, "全省农业科研系统职工运动会", "系统内", "跳绳", "个人", 6),
    (8, 30, "区职工技能大赛", "区县级", "农产品检测", "个人", 4),
    (10, 16, "全市职工合唱比赛", "市级", "合唱", "团体", 30),
    (9, 18, "全省职工书法美术摄影作品展", "省级", "书法", "个人", 3),
    (11, 22, "全国农业科研单位职工征文", "全国", "征文", "个人", 5),
    (12, 6, "所职工乒乓球比赛", "本单位", "男子单打", "个人", 24),
]


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def make_events(year: int, rng: random.Random) -> list[list]:
    rows = []
    plan = [e for e in EVENTS if year == 2024 or e[2] not in SKIPPED_2025] + (EXTRA_2025 if year == 2025 else [])
    for month, day, name, category, share, per_head in sorted(plan):
        growth = 1.08 if year == 2025 else 1.0
        people = max(6, round(MEMBERS * share * growth * rng.uniform(0.9, 1.1)))
        spending = round(people * per_head * rng.uniform(0.85, 1.15), 1)
        rows.append([dt.date(year, month, day), name, category, people, spending, "", ""])
    return rows


def make_visits(year: int, rng: random.Random) -> list[list]:
    rows = []
    for month in range(1, 13):
        quiet = year == 2025 and month in (7, 8, 9)
        for _ in range(rng.randint(0, 1) if quiet else rng.randint(1, 3)):
            reason = rng.choice(["生病住院", "生病住院", "结婚", "生育", "丧事", "困难帮扶"])
            group = "女职工" if reason == "生育" else rng.choice(["在职职工", "在职职工", "离退休人员"])
            day = dt.date(year, month, rng.randint(1, 28))
            rows.append([day, reason, group, person(rng), 1, VISIT_AMOUNTS[reason], "", ""])
    rows.append([dt.date(year, 1, 22), "节日慰问", "离退休人员", "", 42, 42 * 300, "", "春节走访慰问离退休职工"])
    rows.append([dt.date(year, 10, 11), "节日慰问", "离退休人员", "", 38, 38 * 200, "", "重阳节慰问"])
    rows.append([dt.date(year, 6, 1), "困难帮扶", "学生", "", 6, 6 * 500, "", "困难职工子女助学"])
    rows.append([dt.date(year, 5, 10), "谈心谈话", "在职职工", "", 5, 0, "", "青年职工谈心"])
    rows.append([dt.date(year, 3, 6), "生日祝寿", "离退休人员", "", 4, 4 * VISIT_AMOUNTS["生日祝寿"], "", "八十寿辰"])
    return sorted(rows, key=lambda r: r[0])


def make_donations(year: int, rng: random.Random) -> list[list]:
    rows = []
    for month, day, campaign, kind, share, goods, note in DONATIONS:
        donors = round(MEMBERS * share) if share else None
        cash = round(donors * rng.uniform(80, 120)) if donors else (8000 if goods == 0 else 0)
        pieces = rng.randint(90, 140) if goods else 0
        rows.append([dt.date(year, month, day), campaign, cash, pieces, note, donors, kind, "", ""])
    return rows


def make_competitions(year: int, rng: random.Random) -> list[list]:
    results = ["第一名", "第二名", "第三名", "一等奖", "二等奖", "三等奖", "优秀奖", "参与"]
    rows = []
    for month, day, name, level, event, entry, entrants in COMPETITIONS:
        result = rng.choice(results)
        awards = 1
        if event == "跳绳":
            result, awards = "第二名", 3
        if name == "全市职工合唱比赛":
            result = "最佳组织奖" if year == 2024 else "一等奖"
        rows.append([dt.date(year, month, day), name, level, event, entry, entrants, result, awards, "", ""])
    if year == 2025:
        rows.append([dt.date(2025, 5, 18), "全省农业科研系统职工运动会", "系统内", "女子综合团体", "团体", 12,
                     "第一名", 1, "", "卫冕"])
    return rows


def write_sample(path: Path = OUT) -> None:
    rng = random.Random(20241)
    book = Workbook()
    book.remove(book.active)
    makers = {"events": make_events, "visits": make_visits, "donations": make_donations,
              "competitions": make_competitions}
    for sheet in schema.DATA_SHEETS:
        ws = book.create_sheet(sheet.name)
        ws.append([c.name for c in sheet.columns])
        for year in (2024, 2025):
            for row in makers[sheet.key](year, rng):
                ws.append(row)
        for column in ws.iter_cols(min_row=2, max_col=1):
            for cell in column:
                cell.number_format = "yyyy-mm-dd"
    info = book.create_sheet("单位信息")
    for row in (["项目", "内容"], ["单位名称", UNIT], ["会员人数", MEMBERS], ["报告期", "2024年至2025年"]):
        info.append(row)
    stamp = dt.datetime(2026, 1, 5, 9, 0)
    book.properties.created = book.properties.modified = stamp
    book.properties.creator = book.properties.lastModifiedBy = "unionstats"
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(with_fixed_times(buffer.getvalue(), stamp))


def with_fixed_times(data: bytes, stamp: dt.datetime) -> bytes:
    """The same archive with every member dated `stamp`, so a rebuild is byte for byte the same."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=stamp.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.isoformat().encode() + b"Z",
                                 content)
            target.writestr(info, content)
    return out.getvalue()


if __name__ == "__main__":
    write_sample()
    print(f"wrote {OUT}")
