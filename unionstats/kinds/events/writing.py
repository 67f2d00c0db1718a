"""活动 in words: its section of the 工作总结, the facts it adds to the opening, the money paragraph, the unit
comparison and the observations, its key figures, its line of `stats`, and the table under 经费支出's charts."""

from __future__ import annotations

import pandas as pd

from unionstats.figures import analysis
from unionstats.figures.typed import Figures
from unionstats.kinds.events.figures import events_of
from unionstats.kinds.events.sheet import CATEGORIES
from unionstats.writing.chinese import listing, month_day, percent, quoted, yuan
from unionstats.writing.summary import Section, Writer, headcount
from unionstats.writing.tables import category_table


def section(writer: Writer) -> Section | None:
    """（一）活动: how many, who took part, by category, the largest, the festivals."""
    events = events_of(writer.result)
    if not events.count:
        return None
    categories = [f"{name}{v.count}次" + (f"、参与{v.participants}人次" if v.participants else "")
                  for name, v in events.by_category.items()]
    joined = (f"，参与职工{events.participants}人次{writer.compare(lambda f: events_of(f).participants, headcount)}"
              if events.participants else "")
    paragraphs = [f"{writer.when}共组织开展各类活动{events.count}次{joined}。"
                  + (f"按类别分，{'；'.join(categories)}。" if len(categories) > 1 else "")]
    top = events.top[0]
    if events.count > 1 and top.participants:
        paragraphs.append(f"其中参与人数最多的是{month_day(top.date)}举办的{quoted(top.name)}，"
                          f"参与职工{top.participants}人次。")
    festivals = events.festivals
    if festivals:
        names = [quoted(f.name) for f in festivals[:4]]
        total = events.by_category["节日活动"]
        joined = f"，共{total.participants}人次参加" if total.participants else ""
        mood = "，营造了温馨和谐的节日氛围" if any(festive(f.name) for f in festivals) else ""
        paragraphs.append(f"围绕传统节日和重要节点，组织开展了{listing(names, more=len(festivals) > 4)}节日活动"
                          f"{total.count}次{joined}{mood}。")
    return Section(activities_heading(events.by_category), paragraphs)



FESTIVE = ("节", "春", "元宵", "元旦", "新年", "除夕", "端午", "中秋", "重阳", "国庆", "三八", "五一", "五四",
           "六一", "七一", "八一", "腊八", "冬至", "清明", "七夕")

def festive(name: str) -> bool:
    """Whether an activity's name says it marks a festival (中秋节游园, 迎新春联欢), so that 节日氛围 is true of it."""
    return any(word in name for word in FESTIVE)

def activities_heading(by_category: dict) -> str:
    """The heading says what was held: 文体活动 only when some were."""
    if "文体活动" in by_category:
        return "组织开展文体活动，丰富职工精神文化生活"
    if set(by_category) <= {"学习培训"}:
        return "加强学习培训，提升职工素质"
    return "组织开展职工活动，增强职工队伍凝聚力"

def spending_table(result: Figures) -> pd.DataFrame:
    labels = {"count": "活动次数", "participants": "参与人次", "spending": "支出（元）"}
    return category_table(events_of(result).by_category, labels, "类别")


def opening(writer: Writer) -> str | None:
    events = events_of(writer.result)
    if not events.count:
        return None
    rate = events.participation_rate if events.participants else None
    return (f"组织开展各类活动{events.count}次"
            + (f"，参与职工{events.participants}人次" if events.participants else "")
            + (f"，平均每次活动参与率{percent(rate)}" if rate is not None else "")
            + (f"，活动经费支出{yuan(events.spending)}" if events.spending else ""))


def funds(writer: Writer) -> str:
    """What the activities cost: in total, per member and per participant, and by category."""
    events = events_of(writer.result)
    if not events.spending:
        return ""
    per_head = []
    if events.spending_per_member:
        per_head.append(f"按会员人数计算人均{yuan(events.spending_per_member)}")
    if events.spending_per_participant:
        per_head.append(f"每人次{yuan(events.spending_per_participant)}")
    shares = sorted(((v.spending, name) for name, v in events.by_category.items() if v.spending), reverse=True)
    structure = "；".join(f"{name}{yuan(amount)}，占{percent(amount / events.spending)}" for amount, name in shares)
    return (f"{writer.when}活动经费支出{yuan(events.spending)}"
            f"{writer.compare(lambda f: events_of(f).spending, yuan)}"
            + (f"，{'，'.join(per_head)}" if per_head else "") + "。"
            + (f"从支出结构看，{structure}。" if len(shares) > 1 else ""))


def units(writer: Writer) -> list[Section]:
    """The units side by side: who took part most and least, and who spent what share."""
    events, parts = events_of(writer.result), []
    rated = sorted(((u.participation_rate, name) for name, u in events.by_unit.items()
                    if u.participation_rate is not None and u.count), key=lambda pair: (-pair[0], pair[1]))
    counted = sorted(((u.participants, name) for name, u in events.by_unit.items() if u.participants),
                     key=lambda pair: (-pair[0], pair[1]))
    if len(rated) > 1 and rated[0][0] != rated[-1][0]:
        (high, most), (low, least) = rated[0], rated[-1]
        parts.append(Section("职工参与情况", [
            f"按平均每次活动参与率计，{len(rated)}个单位中{most}最高，为{percent(high)}；"
            f"{least}最低，为{percent(low)}。"]))
    elif len(counted) > 1 and counted[0][0] != counted[-1][0]:
        (high, most), (low, least) = counted[0], counted[-1]
        parts.append(Section("职工参与情况", [
            f"按参与人次计，{len(counted)}个单位中{most}最多，为{high}人次；{least}最少，为{low}人次。"]))
    spent = sorted(((u.spending, name) for name, u in events.by_unit.items() if u.spending),
                   key=lambda pair: (-pair[0], pair[1]))
    if len(spent) > 1:
        shown = [f"{name}{yuan(amount)}，占{percent(amount / events.spending)}" for amount, name in spent[:5]]
        rest = spent[5:]
        if rest:
            others = sum(amount for amount, _ in rest)
            shown.append(f"其余{len(rest)}个单位合计{yuan(others)}，占{percent(others / events.spending)}")
        parts.append(Section("经费使用情况", [f"各单位活动经费支出中，{'；'.join(shown)}。"]))
    return parts


MAIN_CATEGORIES = CATEGORIES[:-1]  # (but 其他)


def missing_categories(result: Figures) -> list[str]:
    """The main kinds of activity not held at all, when some activity was."""
    events = events_of(result)
    if not events.count:
        return []
    return [c for c in MAIN_CATEGORIES if c not in events.by_category]


def concentration(result: Figures) -> analysis.Concentration | None:
    """One category took more than half of the activity spending (with two or more categories)."""
    events = events_of(result)
    return analysis.concentration({name: g.spending for name, g in events.by_category.items()}, events.spending)


def rate_drop(result: Figures) -> analysis.Drop | None:
    """The participation rate fell against the period before, like for like."""
    if result.previous is None:
        return None
    return analysis.fell(*result.previous.pair(lambda f: events_of(f).participation_rate))


def observations(writer: Writer) -> list[tuple[int, str]]:
    """Categories never held (ranked first), spending in one category (third), a falling rate (fourth)."""
    notes = []
    missing = missing_categories(writer.result)
    if missing:
        notes.append((1, f"{writer.when}没有开展{listing(missing)}类活动，活动类型还不够全面。"))
    spent = concentration(writer.result)
    if spent:
        notes.append((3, f"经费支出较为集中，{spent.category}支出{yuan(spent.amount)}，"
                         f"占活动经费的{percent(spent.share)}。"))
    dropped = rate_drop(writer.result)
    if dropped:
        notes.append((4, f"{writer.comparable}平均每次活动参与率为{percent(dropped.now)}，低于{writer.before}的"
                         f"{percent(dropped.before)}，职工参与的积极性有待进一步调动。"))
    return notes


def key_figures(result: Figures) -> list[tuple[str, str]]:
    events = events_of(result)
    rows = [("活动次数", f"{events.count}次", events.count),
            ("参与人次", f"{events.participants}人次", events.participants),
            ("平均参与率", percent(events.participation_rate or 0),
             events.participation_rate is not None and events.participants),
            ("活动经费支出", yuan(events.spending), events.spending)]
    return [(label, value) for label, value, shown in rows if shown]


def line(result: Figures) -> str:
    events = events_of(result)
    return f"活动 {events.count} 次，参与 {events.participants} 人次，支出 {yuan(events.spending)}"
