"""Numbers, dates and lists written the way a Chinese work summary writes them.

One rule for money throughout: below 10,000 in 元 (whole yuan when whole,
else to the jiao or fen), from 10,000 up in 万元 to two decimals. No
thousands separators in running text, as in the summaries unions hand in.
Amounts shown side by side (a chart's axis, labels and hover; a card's value
and its change) share one unit, 万元 when the largest reaches 10,000
(`money_unit`), so that 0.47万元 stands beside 3.04万元, never 4699元.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from unionstats.figures.engine import relative_change

WAN = 10_000


def plain(number: float, places: int = 2) -> str:
    """Rounded half up as people round (1.005 is 1.01), trailing zeros dropped."""
    exact = Decimal(repr(float(number))).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP) + 0
    text = f"{exact:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def number(value: float) -> str:
    """A count or measure as a summary writes it: 1234, 12.5; never 1,234 or 1.2e+06."""
    return plain(value)


def yuan(amount: float) -> str:
    """An amount on its own: in 万元 from 10,000 up, else in 元."""
    unit = money_unit([amount])
    return money_text(in_unit(amount, unit), unit)


def money_unit(amounts: Iterable[float]) -> str:
    """The one unit for amounts shown side by side: 万元 when the largest reaches 10,000, else 元."""
    return "万元" if max((abs(a) for a in amounts), default=0) >= WAN else "元"


def in_unit(amount: float, unit: str) -> float:
    """Yuan as a number of `unit` (元 or 万元), to the fen (0.000001万元: 15177.2元 is 1.51772, not
    1.5177200000000002)."""
    return round(amount / WAN, 6) if unit == "万元" else amount


def money_text(value: float, unit: str, places: int = 2) -> str:
    """A number of `unit` (元 or 万元, see `in_unit`) to `places` decimals, half up, trailing zeros dropped:
    0.47万元, 4699.5元."""
    return f"{plain(value, places)}{unit}"


def money_label(value: float, unit: str) -> str:
    """A number of `unit` written to be read at a glance (a chart's label, a card's change): 万元 to two
    decimals, 元 in whole yuan from 100 up (4908元, not 4907.7元; the table has the jiao), to the fen below. An
    amount that is not zero but rounds to it is `<0.01万元`, never 0万元 over a bar that is there."""
    places = 0 if unit == "元" and abs(value) >= 100 else 2
    text = money_text(value, unit, places)
    if value and text.removesuffix(unit) in ("0", "-0"):
        return f"<0.01{unit}" if value > 0 else f">-0.01{unit}"
    return text


def percent(ratio: float) -> str:
    """A ratio in per cent to one place, rounded half up in decimal (0.5125 is 51.3%, not 51.2%)."""
    return f"{plain(float(Decimal(repr(float(ratio))) * 100), 1)}%"  # (ratio * 100 in floats: 51.2499… for 0.5125)


def local_time(moment: dt.datetime) -> str:
    """A stored moment (UTC; naive means UTC, as SQLite returns it) in this machine's time zone, to the minute."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return dt.datetime.fromtimestamp(moment.timestamp()).strftime("%Y-%m-%d %H:%M")


def month_day(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def listing(items: list[str], more: bool = False) -> str:
    """`A、B和C`, or `A、B、C等` when the list stands for more than it names.

    Quoted names follow each other without 、, as Chinese punctuation rules have it: “A”“B”等.
    """
    if not items:
        return ""
    separator = "" if all(i.startswith("“") for i in items) else "、"
    if more:
        return separator.join(items) + "等"
    if len(items) == 1:
        return items[0]
    return separator.join(items[:-1]) + "和" + items[-1]


def first_few(items, most: int = 5) -> str:
    """Names in a sentence: all of them up to `most`, else the first `most` and 等."""
    items = list(items)
    return listing(items[:most], more=len(items) > most)


OUTER_QUOTES = {"“": "”", '"': '"', "「": "」", "‘": "’"}


def quoted(name: str) -> str:
    """“name”, with quotes inside it turned to ‘’ as Chinese nesting has it (“‘三八’妇女节活动”), and a name
    already wrapped in quotes not wrapped twice."""
    name = name.strip()
    if len(name) > 2 and OUTER_QUOTES.get(name[0]) == name[-1] and not any(q in name[1:-1] for q in "“”\"「」"):
        name = name[1:-1]
    inner, opening = [], True
    for char in name:
        if char in "“「":
            char = "‘"
        elif char in "”」":
            char = "’"
        elif char == '"':
            char, opening = ("‘" if opening else "’"), not opening
        inner.append(char)
    return f"“{''.join(inner)}”"


def trend(current: float, earlier: float | None, against: str) -> str:
    """`较上季度增长12.5%`, `比去年同期下降3%`, `与上季度持平`; '' when there is nothing to compare."""
    if earlier is None:
        return ""
    if current == earlier:
        return f"与{against}持平"
    ratio = relative_change(current, earlier)
    if ratio is None:
        return ""
    word = "增长" if ratio > 0 else "下降"
    return f"{'较' if against.startswith('上') else '比'}{against}{word}{percent(abs(ratio))}"
