"""What deserves a leader's attention, decided by rules: a sharp drop, a fall, money spent in one place.

The kinds apply these rules to their figures and the summary words what they find; the thresholds live here,
so a threshold is changed and tested in one place and the prose never decides what counts as a drop.
"""

from __future__ import annotations

from dataclasses import dataclass

SHARP_DROP = 0.3
CONCENTRATED = 0.5


@dataclass(frozen=True)
class Drop:
    """A figure that fell against the period before: now, and what it was."""

    now: float
    before: float


@dataclass(frozen=True)
class Concentration:
    """One part's share of a whole (a category's of the activity spending)."""

    category: str
    amount: float
    share: float


def sharp_drop(now: float | None, before: float | None) -> Drop | None:
    """The figure fell by SHARP_DROP (30%) or more; none without an earlier figure above 0."""
    if now is None or not before:
        return None
    return Drop(now, before) if (before - now) / before >= SHARP_DROP else None


def fell(now: float | None, before: float | None) -> Drop | None:
    """The figure is below what it was; none when either is unknown or the earlier one is 0."""
    if now is None or not before or now >= before:
        return None
    return Drop(now, before)


def concentration(parts: dict[str, float], whole: float) -> Concentration | None:
    """One of two or more parts holds more than half (CONCENTRATED) of the whole."""
    if not whole or len(parts) < 2:
        return None
    amount, name = max((amount, name) for name, amount in parts.items())
    share = amount / whole
    return Concentration(name, amount, share) if share > CONCENTRATED else None
