"""捐款捐物: money and goods the members give, by campaign and by way of giving.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from unionstats.charts.chart import (
    CASH as CASH_COLOUR,
)
from unionstats.charts.chart import (
    GOODS as GOODS_COLOUR,
)
from unionstats.charts.chart import (
    Chart,
    Series,
    heading,
)
from unionstats.contract import schema
from unionstats.contract.registry import Card
from unionstats.contract.schema import (
    CATEGORY,
    INT,
    MONEY,
    NOTES,
    OTHER,
    TEXT,
    UNIT,
    Column,
    Sheet,
    _date,
)
from unionstats.figures.engine import (
    labelled,
    money,
    totals,
)
from unionstats.figures.typed import Figures
from unionstats.kinds.kind import Kind, Page, Table
from unionstats.writing.chinese import quoted, yuan
from unionstats.writing.summary import Section, Writer
from unionstats.writing.tables import category_table

WAYS = ("集体", "个人", "特殊党费", OTHER)

SHEET = Sheet(
    "donations", "捐款", ("捐款捐物", "捐赠", "捐助", "donations"),
    "每行一笔捐款或捐物；捐款金额与物资件数至少填一项。",
    (
        _date("捐款日期"),
        Column("campaign", "项目", ("捐款项目", "用途", "名称", "campaign"), TEXT,
               "如：抗震救灾、慈善一日捐", required=True, width=20),
        Column("cash", "捐款金额", ("金额", "捐款", "cash"), MONEY,
               "单位：元；不填记为 0", default=0.0, width=12),
        Column("goods", "物资件数", ("物资", "件数", "捐物件数", "goods"), INT,
               "整数；不填记为 0", default=0, width=10),
        Column("goods_note", "物资说明", ("物资名称", "goods_note"), TEXT, "如：新衣物、新棉被", width=20),
        Column("donors", "参与人数", ("人数", "donors"), INT, "整数；可不填", width=10),
        Column("kind", "方式", ("捐款方式", "kind"), CATEGORY, "从下拉列表选择；可不填",
               choices=WAYS, synonyms={"党费": "特殊党费", "单位": "集体", "工会": "集体"},
               width=10),
        UNIT,
        NOTES,
    ),
    at_least_one=("cash", "goods"),
    example={"date": dt.date(2024, 5, 20), "campaign": "慈善一日捐", "cash": 12680.0, "goods": 0, "donors": 158,
             "kind": "集体"},
)


@dataclass(frozen=True)
class DonationGroup:
    count: int
    cash: float
    goods: int

@dataclass(frozen=True)
class DonationFigures:
    count: int = 0
    cash: float = 0.0
    goods: int = 0
    donors: int | None = None
    by_campaign: dict[str, DonationGroup] = field(default_factory=dict)
    by_kind: dict[str, DonationGroup] = field(default_factory=dict)


def donation_figures(donations: pd.DataFrame) -> DonationFigures:
    """捐款: donations (rows), cash, goods and donors, by campaign (first date first) and by kind."""
    sums = {"cash": "cash", "goods": "goods"}
    first_dates = donations.groupby(labelled(donations["campaign"]), sort=False)["date"].min()
    donors = donations["donors"].dropna()
    return DonationFigures(
        count=len(donations),
        cash=money(donations["cash"].sum()),
        goods=int(donations["goods"].sum()),
        donors=int(donors.sum()) if len(donors) else None,
        by_campaign=totals(donations, "campaign", DonationGroup, sums, first_dates.sort_values(kind="stable").index),
        by_kind=totals(donations, "kind", DonationGroup, sums, WAYS + (schema.UNSPECIFIED,)),
    )


COUNT: Card[Figures] = Card("捐款捐物次数", lambda f: f.of(KIND).count, "次", help="捐款表的行数：每行一次捐款或捐物")

CASH: Card[Figures] = Card("捐款金额", lambda f: f.of(KIND).cash, money=True, help="捐款表“捐款金额”之和")

GOODS: Card[Figures] = Card("捐赠物资", lambda f: f.of(KIND).goods, "件", help="捐款表“物资件数”之和")


def donations_by_campaign(result: Figures, scope: str) -> Chart:
    by = result.of(KIND).by_campaign
    series = (Series(tuple(v.cash for v in by.values()), "元", "捐款", (CASH_COLOUR,)),
              Series(tuple(v.goods for v in by.values()), "件", "物资", (GOODS_COLOUR,))) if by else ()
    return Chart(heading(result.period, "各项目捐款与捐物", scope), tuple(by), series, empty="本期没有捐款捐物记录",
                 help="捐款：各项目“捐款金额”之和；物资：各项目“物资件数”之和；项目按首次捐款日期排列")

def section(writer: Writer) -> Section | None:
        donations = writer.result.of(KIND)
        if not donations.count:
            return None
        gave = []
        if donations.cash:
            gave.append(f"捐款{yuan(donations.cash)}")
        if donations.goods:
            gave.append(f"捐赠物资{donations.goods}件")
        donors = f"，参与职工{donations.donors}人次" if donations.donors else ""
        times = f"先后{donations.count}次组织职工捐款捐物" if donations.count > 1 else "组织职工捐款捐物1次"
        paragraphs = [f"积极响应上级号召，{writer.when}{times}，"
                      f"共{'、'.join(gave)}{donors}。"]
        if len(donations.by_campaign) > 1:
            parts = []
            for name, v in donations.by_campaign.items():
                what = [x for x in (f"捐款{yuan(v.cash)}" if v.cash else "",
                                    f"捐赠物资{v.goods}件" if v.goods else "") if x]
                parts.append(f"{quoted(name)}{'、'.join(what)}")
            paragraphs.append(f"其中，{'；'.join(parts)}。")
        return Section("积极开展捐款捐物，奉献爱心", paragraphs)

def campaign_table(result: Figures) -> pd.DataFrame:
    labels = {"count": "次数", "cash": "捐款（元）", "goods": "物资（件）"}
    return category_table(result.of(KIND).by_campaign, labels, "项目")


def opening(writer: Writer) -> str | None:
    donations = writer.result.of(KIND)
    return f"组织捐款捐物{donations.count}次" if donations.count else None


def key_figures(result: Figures) -> list[tuple[str, str]]:
    donations = result.of(KIND)
    rows = [("捐款", yuan(donations.cash), donations.cash), ("捐赠物资", f"{donations.goods}件", donations.goods)]
    return [(label, value) for label, value, shown in rows if shown]


def line(result: Figures) -> str:
    donations = result.of(KIND)
    return f"捐款 {donations.count} 次，{yuan(donations.cash)}，物资 {donations.goods} 件"


KIND: Kind[DonationFigures] = Kind(
    SHEET, lambda rows, members, view: donation_figures(rows), 30,
    (donations_by_campaign,), (COUNT, CASH, GOODS), section, migrated=True,
    pages=(Page("捐款捐物", "pages/4_捐款捐物.py", ":material/favorite:", (COUNT, CASH, GOODS),
                (donations_by_campaign,), columns=1,
                table=Table("各项目捐款捐物", lambda dataset, period, units, result: campaign_table(result))),),
    overview_cards=(CASH,),
    opening=opening, key_figures=key_figures, line=line,
)
