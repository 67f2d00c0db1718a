"""A KPI card's words: its value, and its change against an earlier period.

The pages' cards (ui/show.py) and the deck's 主要数据 slide write them alike,
money by the one rule of `chinese.yuan`: `+1.42万元（18.1%） 较上期`,
`+1.5个百分点 较上年`, `与去年同期持平`.
"""

from __future__ import annotations

from .chinese import number, percent, plain, yuan
from .kinds import Card
from .stats import change


def value_text(card: Card, value: float | None) -> str:
    if value is None:
        return "未知"
    if card.rate:
        return percent(value)
    return yuan(value) if card.money else f"{number(value)}{card.unit}"


def change_text(current: float | None, earlier: float | None, against: str, money: bool = False) -> str | None:
    """`+4（12.9%） 较上期`, `-1.6万元（-62%） 较上期`, `与上期持平`; None when either figure is unknown."""
    moved = change(current, earlier)
    if moved is None:
        return None
    if moved.delta == 0:
        return f"与{against}持平"
    amount = yuan(abs(moved.delta)) if money else number(abs(moved.delta))
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
