"""What a page shows: the store, the filters chosen, and the figures of that view."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from unionstats.contract.periods import Period
from unionstats.figures.due import due_units
from unionstats.figures.typed import Comparison, Figures
from unionstats.intake.model import Dataset
from unionstats.store import access
from unionstats.store.access import Actor
from unionstats.store.batches import Store
from unionstats.ui.caches import stored_due_units, stored_organisation
from unionstats.writing.organisation import organisation_name


@dataclass
class View:
    store: Store
    dataset: Dataset
    period: Period | None
    units: list[str] | None
    result: Figures
    comparison: str
    presenting: bool
    sample: bool
    revision: str = ""  # the store's, when the figures came from it
    key: str = ""  # what the figures depend on (cache.figures_key): a cache key for what is built from them
    actor: Actor = access.standalone("")  # who is looking (signin.current_actor): every change names it

    @property
    def scope(self) -> str:
        if self.units:
            return "、".join(self.units[:3]) + ("等" if len(self.units) > 3 else "")
        names = self.result.units
        return names[0] if len(names) == 1 else "全部单位"

    @property
    def earlier(self) -> Comparison | None:
        return self.result.earlier(self.comparison)

    @cached_property
    def organisation(self) -> str:
        """The union the view's summary, deck and file names are for (organisation.organisation_name); the stored
        setting is read once per run, however often the page asks."""
        setting = self.store.organisation()
        if self.revision:
            return stored_organisation(self.store.url, self.revision, tuple(self.units or ()), setting, self.result)
        return organisation_name(self.dataset, self.units, setting, self.result)

    @cached_property
    def due_units(self) -> list[str]:
        """The units that were due to report in the view's period (due.due_units): the summary names those
        that sent nothing."""
        if self.revision:
            return list(stored_due_units(self.store.url, self.revision, self.result.period, tuple(self.units or ())))
        return due_units(self.dataset, self.store.directory(), self.result.period, self.units)

