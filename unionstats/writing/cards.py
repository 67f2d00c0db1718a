"""A KPI card's words: its value, and its change against an earlier period.

The pages' cards (ui/show.py) and the deck's 主要数据 slide write them alike,
money by the one rule of `chinese.yuan`: `+1.42万元（18.1%） 较上期`,
`+1.5个百分点 较上年`, `与去年同期持平`. A money change is in the unit of the
money beside it (the card's value: 万元 from 10,000 up, else 元), rounded as a
chart's label is (`chinese.money_label`: 万元 to two decimals, 元 in whole yuan
from 100 up, to the fen below): `+0.85万元` beside 1.49万元, never `+8492.9元`.
"""

from __future__ import annotations

from dataclasses import dataclass

from unionstats.contract.registry import Card
from unionstats.figures.engine import change
from unionstats.figures.typed import Comparison, Figures
from unionstats.writing.chinese import in_unit, money_label, money_unit, number, percent, plain, yuan


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
    if moved is None or current is None:
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


def card_value(card: Card, result: Figures) -> float | None:
    return card.value(result)


@dataclass(frozen=True)
class CardChange:
    """A card's change against one earlier period, like for like: the change (`+321（18.6%） 较上年`), and the
    figures it is measured between (`上年：1725人次`; where some unit reported only now, the change is not the
    card's own figure's: `可比 +75（4.3%） 较上年` and `可比：本期1800人次，上年1725人次`)."""

    text: str
    earlier: str
    comparable: bool


def card_comparison(card: Card, comparison: Comparison | None, against: str) -> CardChange | None:
    """The card's change against `comparison` (stats.figures' like-for-like rule); None when there is none or
    either figure is unknown."""
    if comparison is None:
        return None
    now, earlier = comparison.pair(lambda f: card_value(card, f))
    text = card_change(card, now, earlier, against)
    if text is None:
        return None
    if comparison.same_units:
        return CardChange(text, f"{against}：{value_text(card, earlier)}", False)
    return CardChange(f"可比 {text}", f"可比：本期{value_text(card, now)}，{against}{value_text(card, earlier)}", True)


def left_out_note(comparison: Comparison | None, against: str, when: str = "本期") -> str:
    """Which units a comparison leaves out, for a scope line, '' when none:
    `与上年对比按可比口径，不含红星小学（上年报送、本期未报送）`."""
    if comparison is None or not comparison.left_out:
        return ""
    return f"与{against}对比按可比口径，不含{left_out_units([(comparison, against)], when)}"


def left_out_units(compared: list[tuple[Comparison, str]], when: str = "本期") -> str:
    """The units some comparison leaves out, each once with why: `红星小学（上年报送、本期未报送）、某局（本期新报送）`."""
    reasons: dict[str, list[str]] = {}
    for comparison, against in compared:
        for unit in comparison.dropped:
            reasons.setdefault(unit, []).append(f"{against}报送、{when}未报送")
        for unit in comparison.added:
            reasons.setdefault(unit, []).append(f"{when}新报送")
    named = [f"{unit}（{'；'.join(dict.fromkeys(why))}）" for unit, why in list(reasons.items())[:MOST_NAMED]]
    more = f"等{len(reasons)}个单位" if len(reasons) > MOST_NAMED else ""
    return "、".join(named) + more


MOST_NAMED = 5
