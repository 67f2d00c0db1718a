"""A KPI card's words: its value, and its change against an earlier period.

The pages' cards (ui/show.py) and the deck's 主要数据 slide write them alike,
money by the one rule of `chinese.yuan`: `+1.42万元（18.1%） 较上期`,
`+1.5个百分点 较上年`, `与去年同期持平`. A money change is in the unit of the
money beside it (the card's value: 万元 from 10,000 up, else 元), rounded as a
chart's label is (`chinese.money_label`: 万元 to two decimals, 元 in whole yuan
from 100 up, to the fen below): `+0.85万元` beside 1.49万元, never `+8492.9元`.
"""

from __future__ import annotations

from .chinese import in_unit, money_label, money_unit, number, percent, plain, yuan
from .kinds import Card
from .stats import change


def value_text(card: Card, value: float | None) -> str:
    if value is None:
        return "未知"
    if card.rate:
        return percent(value)
    return yuan(value) if card.money else f"{number(value)}{card.unit}"


def change_text(current: float | None, earlier: float | None, against: str, money: bool = False) -> str | None:
    """`+4（12.9%） 较上期`, `-0.16万元（-62%） 较上期` beside 1.04万元, `与上期持平`; None when either figure is
    unknown. Money is written in the unit of `current`."""
    moved = change(current, earlier)
    if moved is None:
        return None
    if moved.delta == 0:
        return f"与{against}持平"
    unit = money_unit([current])
    amount = money_label(in_unit(abs(moved.delta), unit), unit) if money else number(abs(moved.delta))
    sign = "+" if moved.delta > 0 else "-"
    ratio = f"（{percent(moved.ratio)}）" if moved.ratio is not None else ""
    return f"{sign}{amount}{ratio} 较{against}"


def points_text(rate: float | None, earlier: float | None, against: str) -> str | None:
    """A participation rate's change in percentage points: `+1.2个百分点 较上期`, or `与上期持平`."""
    if rate is None or earlier is None:
        return None
    points = plain((rate - earlier) * 100, 1)
    if points in ("0", "-0"):
        return f"与{against}持平"
    return f"{'' if points.startswith('-') else '+'}{points}个百分点 较{against}"


def card_change(card: Card, value: float | None, earlier: float | None, against: str) -> str | None:
    if card.rate:
        return points_text(value, earlier, against)
    return change_text(value, earlier, against, card.money)
