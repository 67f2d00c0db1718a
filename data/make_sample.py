"""Rebuild data/sample.xlsx: two years of a fictional institute union's records.

    python data/make_sample.py

The dashboard, the tests and the demo need data with the shape of a real
union's year, so that every chart and comparison has something to show. The
unit, 江城市农业科学研究所工会 with 186 members, is invented; so is every name
in the 对象 column. The calendar follows a real union's: festivals on their
lunar dates, 职代会 and training early in the year, sport in spring and
autumn, visits for illness, weddings, births, funerals and hardship all year,
and the Spring Festival and 重阳 visits to retirees. 2025 differs from 2024:
more sport, no study session in its second quarter, fewer visits in its third
quarter. Each year has its budget (预算) per 科目. A fixed seed and fixed archive times give the same file every time.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import sys
import zipfile
from functools import partial
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from unionstats.contract import (
    registry,
    schema,  # noqa: E402
)
from unionstats.exports.template import INFO_HEADERS, NUMBER_FORMATS  # noqa: E402
from unionstats.kinds import budget as budget_kind
from unionstats.kinds import competitions as competitions_kind
from unionstats.kinds import donations as donations_kind
from unionstats.kinds import events as events_kind
from unionstats.kinds import visits as visits_kind

OUT = Path(__file__).resolve().parent / "sample.xlsx"
UNIT = "江城市农业科学研究所工会"
MEMBERS = 186
YEARS = (2024, 2025)
SEED = 20241
STAMP = dt.datetime(2026, 1, 5, 9, 0)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗梁宋郑谢韩唐冯"
MALE_NAMES = ("建国", "志强", "国庆", "晓明", "建军", "磊", "伟", "浩然", "立新", "德明", "宏伟", "俊杰")
FEMALE_NAMES = ("秀英", "丽华", "海燕", "桂兰", "文静", "春芳", "敏", "娟", "子涵", "雨婷", "淑珍", "晓红")

FESTIVALS = {
    "春节": {2024: dt.date(2024, 2, 10), 2025: dt.date(2025, 1, 29)},
    "元宵": {2024: dt.date(2024, 2, 24), 2025: dt.date(2025, 2, 12)},
    "端午": {2024: dt.date(2024, 6, 10), 2025: dt.date(2025, 5, 31)},
    "中秋": {2024: dt.date(2024, 9, 17), 2025: dt.date(2025, 10, 6)},
    "重阳": {2024: dt.date(2024, 10, 11), 2025: dt.date(2025, 10, 29)},
}
BOTH = YEARS

# (when, name, category, share of members taking part, yuan per head, years);
# `when` is (month, day) or (festival, days after it).
EVENTS = [
    ((1, 9), "工会干部业务培训班", "学习培训", 0.08, 160, BOTH),
    (("春节", -8), "迎新春职工联欢会", "节日活动", 0.86, 68, BOTH),
    (("元宵", -1), "元宵节猜灯谜活动", "节日活动", 0.52, 14.5, BOTH),
    (("春节", 17), "新春开工健康义诊", "其他", 0.35, 12, BOTH),
    ((3, 8), "三八妇女节女职工插花活动", "节日活动", 0.4, 78, BOTH),
    ((3, 12), "植树节义务植树", "志愿公益", 0.22, 18, BOTH),
    ((3, 21), "{year}年职工代表大会", "民主管理", 0.32, 35, BOTH),
    ((3, 28), "职工篮球友谊赛", "文体活动", 0.14, 40, (2025,)),
    ((4, 3), "清明节烈士陵园祭扫", "参观旅游", 0.18, 8, BOTH),
    ((4, 12), "春季踏青健身游", "参观旅游", 0.38, 65, (2025,)),
    ((4, 19), "春季职工健步走", "文体活动", 0.62, 25, BOTH),
    ((4, 28), "庆五一劳动模范座谈会", "节日活动", 0.12, 40, BOTH),
    ((5, 14), "职工羽毛球赛", "文体活动", 0.26, 35, BOTH),
    ((5, 23), "职工书屋读书分享会", "学习培训", 0.15, 12, (2024,)),
    (("端午", -3), "端午节包粽子活动", "节日活动", 0.5, 30, BOTH),
    ((6, 14), "无偿献血志愿活动", "志愿公益", 0.09, 10, BOTH),
    ((6, 20), "职工摄影作品展", "文体活动", 0.4, 25, (2025,)),
    ((6, 26), "安全生产知识讲座", "学习培训", 0.3, 8, (2024,)),
    ((7, 9), "夏季送清凉", "其他", 0.45, 45, BOTH),
    ((7, 18), "职工书屋暑期读书分享会", "学习培训", 0.15, 12, (2025,)),
    ((7, 24), "职工子女暑期托管班", "其他", 0.08, 120, BOTH),
    ((8, 8), "全民健身日职工游泳活动", "文体活动", 0.18, 30, BOTH),
    ((8, 22), "红色教育基地参观学习", "参观旅游", 0.28, 110, BOTH),
    ((9, 5), "职工乒乓球比赛", "文体活动", 0.2, 30, (2025,)),
    ((9, 10), "教师节青年科研人员座谈会", "学习培训", 0.12, 20, BOTH),
    (("中秋", -4), "中秋节游园活动", "节日活动", 0.72, 40, BOTH),
    ((9, 26), "农产品检测技能比武", "学习培训", 0.1, 60, BOTH),
    (("重阳", 0), "重阳节离退休职工茶话会", "节日活动", 0.22, 55, BOTH),
    ((10, 25), "职工秋季趣味运动会", "文体活动", 0.76, 48, BOTH),
    ((11, 6), "职工心理健康讲座", "学习培训", 0.2, 15, BOTH),
    ((11, 13), "金秋科研骨干疗休养", "参观旅游", 0.08, 950, BOTH),
    ((11, 20), "职工八段锦培训", "文体活动", 0.2, 20, (2025,)),
    ((11, 27), "走进社区科普志愿服务", "志愿公益", 0.12, 20, BOTH),
    ((12, 5), "国际志愿者日爱心义卖", "志愿公益", 0.15, 6, BOTH),
    ((12, 13), "冬季长跑比赛", "文体活动", 0.32, 30, BOTH),
    ((12, 19), "工会经费审查与财务公开会", "民主管理", 0.06, 0, BOTH),
    ((12, 27), "年度工会工作民主评议会", "民主管理", 0.3, 10, BOTH),
]

# (when, reason, group, 人次 or None for a named person, yuan per 人次, note)
GROUP_VISITS = [
    (("春节", -12), "节日慰问", "离退休人员", 42, 300, "春节走访慰问离退休职工"),
    (("春节", -10), "困难帮扶", "在职职工", 5, 2000, "春节送温暖：困难职工"),
    ((3, 6), "生日祝寿", "离退休人员", 4, 300, "八十寿辰"),
    ((5, 12), "谈心谈话", "在职职工", 5, 0, "青年职工谈心谈话"),
    (("端午", -2), "节日慰问", "在职职工", 24, 100, "端午节慰问野外试验站一线职工"),
    ((8, 25), "困难帮扶", "学生", 5, 1000, "金秋助学：困难职工子女考入大学"),
    (("中秋", -2), "节日慰问", "其他", 3, 500, "中秋慰问驻村帮扶干部"),
    (("重阳", -1), "节日慰问", "离退休人员", 38, 200, "重阳节慰问离退休职工"),
    ((11, 18), "谈心谈话", "在职职工", 4, 0, "新入职职工谈心谈话"),
    ((12, 10), "其他", "其他", 2, 500, "慰问援疆挂职干部家属"),
]
# reason: (group choices, yuan, rows per year)
PERSONAL_VISITS = {
    "生病住院": (("在职职工", "在职职工", "离退休人员"), (500,), 7),
    "结婚": (("在职职工",), (1000,), 3),
    "生育": (("女职工",), (800,), 2),
    "丧事": (("在职职工", "离退休人员"), (1000,), 3),
    "困难帮扶": (("在职职工",), (2000, 3000, 5000), 1),
    "离退休慰问": (("离退休人员",), (400,), 2),
}
QUIET = (2025, (7, 8, 9))

# (month, day, campaign, kind, share of members giving, yuan per donor or total, goods, goods note, years)
DONATIONS = [
    (1, 10, "抗震救灾特殊党费", "特殊党费", 0.31, 200, 0, None, (2025,)),
    (4, 18, "慈善一日捐", "个人", 0.86, 150, 0, None, BOTH),
    (6, 18, "职工书屋图书捐赠", "其他", 0.0, 0, 320, "图书", (2025,)),
    (7, 10, "抗洪救灾捐款", "个人", 0.62, 100, 0, None, (2024,)),
    (9, 20, "结对帮扶村助学捐赠", "集体", 0.0, 10000, 0, None, (2024,)),
    (9, 20, "结对帮扶村助学捐赠", "集体", 0.0, 10000, 60, "书包、文具", (2025,)),
    (11, 28, "冬衣捐赠", "个人", 0.45, 0, 120, "新棉衣、新棉被", BOTH),
]

# (month, day, name, level, event, entry, entrants, {year: (result, awards)})
COMPETITIONS = [
    (4, 26, "市直机关职工羽毛球比赛", "市级", "混合团体", "团体", 8,
     {2024: ("第三名", 1), 2025: ("第一名", 1)}),
    (5, 17, "全省农业科研系统职工运动会", "系统内", "女子综合团体", "团体", 12,
     {2024: ("二等奖", 1), 2025: ("第一名", 1)}),
    (5, 17, "全省农业科研系统职工运动会", "系统内", "跳绳", "个人", 6,
     {2024: ("第二名", 3), 2025: ("第三名", 2)}),
    (5, 17, "全省农业科研系统职工运动会", "系统内", "拔河", "团体", 10,
     {2024: ("参与", 1), 2025: ("第二名", 1)}),
    (6, 20, "区职工广播体操比赛", "区县级", "广播体操", "团体", 20,
     {2024: ("优秀奖", 1), 2025: ("参与", 1)}),
    (8, 30, "区职工技能大赛", "区县级", "农产品质量检测", "个人", 4,
     {2024: ("一等奖", 1), 2025: ("二等奖", 1)}),
    (9, 18, "全省职工书法美术摄影作品展", "省级", "书法", "个人", 3,
     {2024: ("优秀奖", 1)}),
    (9, 18, "全省职工书法美术摄影作品展", "省级", "摄影", "个人", 4,
     {2025: ("二等奖", 1)}),
    (10, 16, "全市职工合唱比赛", "市级", "合唱", "团体", 30,
     {2024: ("二等奖", 1), 2025: ("一等奖", 1)}),
    (10, 16, "全市职工合唱比赛", "市级", "合唱", "团体", 30,
     {2024: ("最佳组织奖", 1)}),
    (10, 30, "市职工篮球联赛", "市级", "男子篮球", "团体", 10,
     {2025: ("第四名", 1)}),
    (11, 22, "全国农业科研单位职工征文", "全国", "征文", "个人", 5,
     {2024: ("三等奖", 1), 2025: ("参与", 1)}),
    (11, 29, "全国农业科技职工创新大赛", "全国", "创新成果", "团体", 3,
     {2024: ("参与", 1)}),
    (12, 6, "所职工乒乓球比赛", "本单位", "男子单打", "个人", 24,
     {2024: ("第一名", 1)}),
    (12, 6, "所职工乒乓球比赛", "本单位", "女子单打", "个人", 16,
     {2025: ("第一名", 1)}),
]


def when(year: int, spec: tuple) -> dt.date:
    first, second = spec
    if isinstance(first, str):
        return FESTIVALS[first][year] + dt.timedelta(days=second)
    return dt.date(year, first, second)


def person(rng: random.Random, group: str, taken: set[str]) -> str:
    """A fictional name not used yet, a woman's for 女职工."""
    given = FEMALE_NAMES if group == "女职工" else MALE_NAMES + FEMALE_NAMES
    while (name := rng.choice(SURNAMES) + rng.choice(given)) in taken:
        pass
    taken.add(name)
    return name


def money(rng: random.Random, amount: float) -> float:
    """Mostly whole yuan, sometimes with jiao, as real receipts are."""
    return round(amount, 1) if rng.random() < 0.35 else float(round(amount))


def make_events(year: int, rng: random.Random) -> list[dict]:
    growth = 1.06 if year == 2025 else 1.0
    rows = []
    for spec, name, category, share, per_head, years in EVENTS:
        if year not in years:
            continue
        people = max(6, round(MEMBERS * share * growth * rng.uniform(0.9, 1.1)))
        spending = money(rng, people * per_head * rng.uniform(0.85, 1.15))
        rows.append({"date": when(year, spec), "name": name.format(year=year), "category": category,
                     "participants": people, "spending": spending})
    return sorted(rows, key=lambda r: r["date"])


def make_visits(year: int, rng: random.Random, taken: set[str] | None = None) -> list[dict]:
    rows = [{"date": when(year, spec), "reason": reason, "group": group, "count": count,
             "amount": float(count * per_head), "notes": note}
            for spec, reason, group, count, per_head, note in GROUP_VISITS]
    quiet = QUIET[1] if year == QUIET[0] else ()
    months = [m for m in range(1, 13) if m not in quiet]
    taken = set() if taken is None else taken
    for reason, (groups, amounts, per_year) in PERSONAL_VISITS.items():
        for _ in range(per_year):
            day = dt.date(year, rng.choice(months), rng.randint(1, 28))
            group = rng.choice(groups)
            rows.append({"date": day, "reason": reason, "group": group, "person": person(rng, group, taken),
                         "count": 1, "amount": float(rng.choice(amounts))})
    if quiet:
        rows.append({"date": dt.date(year, quiet[1], 14), "reason": "生病住院", "group": "在职职工",
                     "person": person(rng, "在职职工", taken), "count": 1, "amount": 500.0})
    return sorted(rows, key=lambda r: r["date"])


def make_donations(year: int, rng: random.Random) -> list[dict]:
    rows = []
    for month, day, campaign, kind, share, yuan, goods, note, years in DONATIONS:
        if year not in years:
            continue
        donors = round(MEMBERS * share * rng.uniform(0.95, 1.05)) or None
        cash = donors * yuan * rng.uniform(0.8, 1.2) if donors else yuan
        rows.append({"date": dt.date(year, month, day), "campaign": campaign, "cash": float(round(cash)),
                     "goods": goods, "goods_note": note, "donors": donors, "kind": kind})
    return rows


def make_competitions(year: int, rng: random.Random) -> list[dict]:
    rows = []
    for month, day, name, level, event, entry, entrants, outcomes in COMPETITIONS:
        if year in outcomes:
            result, awards = outcomes[year]
            rows.append({"date": dt.date(year, month, day), "name": name, "level": level, "event": event,
                         "entry": entry, "entrants": entrants, "result": result, "awards": awards})
    return rows


# 预算: each year's budget per 科目, set at the start of the year from the year before; 2024's 参观旅游 and
# 2025's 文体活动 outrun theirs, and no sheet records 业务支出 (cadre training, meetings).
BUDGETS = {
    "节日活动": (32000, 32000), "文体活动": (18000, 20000), "参观旅游": (16000, 25000), "学习培训": (6000, 6000),
    "民主管理": (3500, 3500), "志愿公益": (2000, 2000), "其他活动": (6000, 8000), "节日慰问": (25000, 25000),
    "困难帮扶": (20000, 20000), "生病住院": (4000, 4000), "结婚": (3000, 3000), "生育": (2000, 2000),
    "丧事": (3000, 3000), "生日祝寿": (1500, 1500), "离退休慰问": (1000, 1000), "业务支出": (8000, 8000),
}


def make_budget(year: int, rng: random.Random) -> list[dict]:
    return [{"date": year, "subject": subject, "amount": float(amounts[YEARS.index(year)])}
            for subject, amounts in BUDGETS.items()]


MAKERS = {events_kind.SHEET.key: make_events, visits_kind.SHEET.key: make_visits,
          donations_kind.SHEET.key: make_donations, competitions_kind.SHEET.key: make_competitions,
          budget_kind.SHEET.key: make_budget}


def build_book() -> Workbook:
    rng = random.Random(SEED)
    makers = {**MAKERS, visits_kind.SHEET.key: partial(make_visits, taken=set())}
    book = Workbook()
    book.remove(book.active)
    for sheet in registry.sheets():
        ws = book.create_sheet(sheet.name)
        ws.append([c.name for c in sheet.columns])
        for year in YEARS:
            for row in makers[sheet.key](year, rng):
                ws.append([row.get(c.key) for c in sheet.columns])
        format_sheet(ws, sheet)
    write_info(book.create_sheet(schema.INFO_SHEET_NAMES[0]))
    book.properties.created = book.properties.modified = STAMP
    book.properties.creator = book.properties.lastModifiedBy = "unionstats"
    return book


def format_sheet(ws, sheet: schema.Sheet) -> None:
    for index, column in enumerate(sheet.columns, 1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
        if column.kind not in NUMBER_FORMATS:
            continue
        for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.number_format = NUMBER_FORMATS[column.kind]
    ws.freeze_panes = "A2"


def write_info(ws) -> None:
    values = {"unit": UNIT, "members": MEMBERS, "period": f"{YEARS[0]}年—{YEARS[-1]}年"}
    ws.append(list(INFO_HEADERS))
    for key, (label, _aliases) in schema.INFO_ITEMS.items():
        ws.append([label, values[key]])
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 14, 30


def write_sample(path: Path = OUT) -> None:
    buffer = io.BytesIO()
    build_book().save(buffer)
    path.write_bytes(with_fixed_times(buffer.getvalue()))


def with_fixed_times(data: bytes) -> bytes:
    """The same archive with every member and the modified time set to STAMP: rebuilds match byte for byte."""
    source = zipfile.ZipFile(io.BytesIO(data))
    stamp = STAMP.isoformat().encode() + b"Z"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, content)
            info = zipfile.ZipInfo(item.filename, date_time=STAMP.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, content)
    return out.getvalue()


if __name__ == "__main__":
    write_sample()
    print(f"wrote {OUT}")
