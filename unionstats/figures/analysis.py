"""What deserves a leader's attention in a period's figures, decided by rules.

The summary words these findings and the dashboard may show them; the rules
live here, beside the numbers, so a threshold is changed and tested in one
place and the prose never decides what counts as a drop.
"""

from __future__ import annotations

from dataclasses import dataclass

from unionstats.figures.typed import Figures

MAIN_CATEGORIES = ("文体活动", "节日活动", "参观旅游", "学习培训", "民主管理", "志愿公益")
SHARP_DROP = 0.3
CONCENTRATED = 0.5


@dataclass(frozen=True)
class Drop:
    """A figure that fell against the period before: now, and what it was."""

    now: float
    before: float


@dataclass(frozen=True)
class Concentration:
    """One category's share of the activity spending."""

    category: str
    amount: float
    share: float


@dataclass(frozen=True)
class Findings:
    missing_categories: list[str]
    visits_drop: Drop | None
    concentration: Concentration | None
    rate_drop: Drop | None

    def __bool__(self) -> bool:
        return bool(self.missing_categories or self.visits_drop or self.concentration or self.rate_drop)


def missing_categories(result: Figures) -> list[str]:
    """The main kinds of activity not held at all, when some activity was."""
    if not result.events.count:
        return []
    return [c for c in MAIN_CATEGORIES if c not in result.events.by_category]


def visits_drop(result: Figures) -> Drop | None:
    """People visited fell by SHARP_DROP (30%) or more against the period before, like for like."""
    if result.previous is None:
        return None
    now, before = result.previous.pair(lambda f: f.visits.count)
    return Drop(now, before) if before and (before - now) / before >= SHARP_DROP else None


def concentration(result: Figures) -> Concentration | None:
    """One category took more than half of the activity spending (with two or more categories)."""
    events = result.events
    if not events.spending or len(events.by_category) < 2:
        return None
    amount, category = max((g.spending, name) for name, g in events.by_category.items())
    share = amount / events.spending
    return Concentration(category, amount, share) if share > CONCENTRATED else None


def rate_drop(result: Figures) -> Drop | None:
    """The participation rate fell against the period before, like for like."""
    if result.previous is None:
        return None
    rate, earlier = result.previous.pair(lambda f: f.events.participation_rate)
    if rate is None or not earlier or rate >= earlier:
        return None
    return Drop(rate, earlier)


def findings(result: Figures) -> Findings:
    return Findings(missing_categories(result), visits_drop(result), concentration(result), rate_drop(result))
