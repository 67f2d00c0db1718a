"""Chinese numerals as periods, places and headings use them: 第二季度, 第十二名, 一、（二）."""

from __future__ import annotations

DIGITS = "零一二三四五六七八九"


def chinese_to_int(text: str) -> int | None:
    """12 for 12 or 十二, up to 九十九 in Chinese numerals; None for what is no number (十十, 二十三十). More than 18
    digits are 10**18, a number at least that large (Python refuses to read more than 4300 digits)."""
    if text.isdigit():
        digits = text.lstrip("0") or "0"
        return int(digits) if len(digits) <= 18 else 10**18
    if text == "十":
        return 10
    if "十" in text:
        tens, _, units = text.partition("十")
        if len(tens) > 1 or len(units) > 1 or not set(tens + units) <= set(DIGITS[1:]):
            return None
        return (DIGITS.index(tens) if tens else 1) * 10 + (DIGITS.index(units) if units else 0)
    return DIGITS.index(text) if len(text) == 1 and text in DIGITS else None


def int_to_chinese(number: int) -> str:
    if number < 10:
        return DIGITS[number]
    if number < 20:
        return "十" + (DIGITS[number - 10] if number > 10 else "")
    if number < 100:
        return DIGITS[number // 10] + "十" + (DIGITS[number % 10] if number % 10 else "")
    return str(number)
