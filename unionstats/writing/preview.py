"""What importing a corrected workbook will replace, said before it is done.

数据管理 shows it beside the 导入 button: the units and period the file covers (replacing.scope_of), the stored
rows it would set aside, batch by batch, and the main figures of those units in that period before and after.
After the import, the figures of that scope are exactly the new file's (every counted row of the scope is
replaced), so "after" is computed from the file alone and "before" from what the store counts now.
"""

from __future__ import annotations

from dataclasses import dataclass

from unionstats.contract.registry import registered
from unionstats.figures.engine import period_figures
from unionstats.intake.model import Dataset
from unionstats.store.batches import Store
from unionstats.store.replacing import Part, Scope
from unionstats.writing.cards import card_value, value_text


@dataclass(frozen=True)
class FigureChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Preview:
    scope: Scope
    parts: tuple[Part, ...]
    figures: tuple[FigureChange, ...]

    @property
    def rows(self) -> int:
        return sum(p.rows for p in self.parts)


def preview(stored: Dataset, new: Dataset, scope: Scope, parts: list[Part]) -> Preview:
    """The figures (every kind's cards but rates) of the scope's units in its period: as the store counts them now,
    and from the new workbook. A figure that is zero or unknown both times is left out."""
    units = list(scope.covers())
    before = period_figures(stored, scope.period, units)
    after = period_figures(new, scope.period, units)
    changes = []
    for kind in registered():
        for card in kind.cards:
            if card.rate:
                continue
            was, now = card_value(card, before), card_value(card, after)
            if was or now:
                changes.append(FigureChange(card.label, value_text(card, was), value_text(card, now)))
    return Preview(scope, tuple(parts), tuple(changes))


def replacement(store: Store, dataset: Dataset, name: str, unit_name: str = "") -> Preview | None:
    """What importing `dataset` into `store` with replacing would set aside, and the figures of its scope before
    and after; None when it would replace nothing or could not be imported. Reads only."""
    found = store.replacing(dataset, name, unit_name)
    return None if found is None else preview(store.dataset(), found.dataset, found.scope, found.parts)
