"""The registry of sheet kinds, found through the `unionstats.kinds` entry point group.

A kind is a sheet a clerk fills in and what unionstats does with its rows. unionstats ships its own kinds
(活动, 慰问, 捐款, 比赛, 预算) exactly as a union's own package adds one: a module in `unionstats/kinds/` whose
`KIND` is named under `[project.entry-points."unionstats.kinds"]` in pyproject.toml. Every engine (the loader,
the store, the template, the figures, the pages, the summary, the deck, the exports) loops over `registered()`;
none imports a kind.

The registry lives at the bottom of the house, so that the loader can ask it for sheets: it holds kinds as
objects with a `sheet` and an `order`, and the figures engine reads their `measure`. Everything else a kind
carries is read by the layers above, which know its type (`unionstats.kinds.kind.Kind`).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any, Generic, Protocol, TypeVar

import pandas as pd

from unionstats.contract.periods import Period
from unionstats.contract.schema import Sheet, plain_name

GROUP = "unionstats.kinds"
F = TypeVar("F", covariant=True)
T = TypeVar("T")


@dataclass(frozen=True)
class Card(Generic[T]):
    """A KPI card: its label, the figure it shows (`value` reads it from a period's figures), how to write it, and
    where it comes from (`help`: its formula and what is counted, in a line)."""

    label: str
    value: Callable[[T], float | None]
    unit: str = ""
    money: bool = False
    rate: bool = False
    help: str = ""
    optional: bool = False  # shown only where its figure is known (a budget's card, where a budget exists)

    def shown(self, figures: T) -> bool:
        return not self.optional or self.value(figures) is not None


class SheetKind(Protocol[F]):
    """What the lower layers need of a kind: its sheet, where it stands, and the function that measures its rows
    (the period's rows and the members per unit in, the kind's typed figures out)."""

    @property
    def sheet(self) -> Sheet: ...

    @property
    def order(self) -> int: ...

    def measure(self, rows: pd.DataFrame, members: dict[str, int], view: Any) -> F: ...

    @property
    def reach(self) -> Callable[[Period], Period] | None: ...


class KindError(RuntimeError):
    """A kind that cannot be registered: two with one key, or an entry point that is not a kind."""


_found: dict[str, Any] | None = None  # the entry points' kinds, loaded once
_added: dict[str, Any] = {}  # kinds registered by a call, at start-up


def register(kind: Any) -> None:
    """Add a kind at run time, before a store is opened (an entry point is the way for a package)."""
    if kind.sheet.key in _every():
        raise KindError(f"sheet kind {kind.sheet.key!r} is already registered")
    _added[kind.sheet.key] = kind


def unregister(key: str) -> None:
    _added.pop(key)


def reload() -> None:
    """Read the entry points again: after a package that adds a kind is installed, or put on sys.path."""
    global _found
    _found = None


def _load() -> dict[str, Any]:
    found: dict[str, Any] = {}
    for point in entry_points(group=GROUP):
        for kind in _kinds_of(point.load()):
            if not hasattr(kind, "sheet") or not hasattr(kind, "measure"):
                raise KindError(f"entry point {point.name} = {point.value} is not a sheet kind")
            if kind.sheet.key in found and found[kind.sheet.key] is not kind:
                raise KindError(f"two entry points register the sheet kind {kind.sheet.key!r}")
            found[kind.sheet.key] = kind
    return found


def _kinds_of(loaded: Any) -> list[Any]:
    """An entry point's kinds: the kind it names, or, where it names a package of kinds, the `KIND` of each of the
    package's modules. unionstats names its `kinds` package, so that a new module there is registered as it is."""
    if not hasattr(loaded, "__path__"):
        return [loaded]
    modules = [importlib.import_module(f"{loaded.__name__}.{found.name}") for found in pkgutil.iter_modules(
        loaded.__path__)]
    return [module.KIND for module in modules if hasattr(module, "KIND")]


def _every() -> dict[str, Any]:
    global _found
    if _found is None:
        _found = _load()
        if not _found:
            raise KindError("unionstats 的安装信息中没有任何工作表类型（entry point “unionstats.kinds”）："
                            "请在项目目录重新运行 python -m pip install -e . 后再启动")
    return {**_found, **_added}


def registered() -> list[Any]:
    """Every kind, in the order the pages, the template and the summary show them."""
    return sorted(_every().values(), key=lambda kind: (kind.order, kind.sheet.key))


def kind(key: str) -> Any:
    """The kind of a sheet key; KeyError for none."""
    return _every()[key]


_only: list[Sheet] | None = None  # in a reader's child process: the sheets its parent knows


def sheets() -> list[Sheet]:
    """Every kind's sheet, in order."""
    return list(_only) if _only is not None else [kind.sheet for kind in registered()]


@contextmanager
def only(given: list[Sheet]) -> Iterator[None]:
    """Know exactly these sheets while reading: a reader's child process takes its parent's, since a kind
    registered at run time is unknown to the fork server (and a read in this process changes nothing after it)."""
    global _only
    before, _only = _only, list(given)
    try:
        yield
    finally:
        _only = before


def sheets_by_key() -> dict[str, Sheet]:
    return {sheet.key: sheet for sheet in sheets()}


def sheet(key: str) -> Sheet:
    """The sheet of a key; KeyError for none."""
    return sheets_by_key()[key]


def match_sheet(sheet_name: str) -> list[tuple[int, Sheet]]:
    """Data sheets whose name or alias is contained in `sheet_name`, longest match first."""
    name = plain_name(sheet_name)
    found = []
    for candidate in sheets():
        lengths = [len(n) for n in candidate.names if n.lower() in name]
        if lengths:
            found.append((max(lengths), candidate))
    return sorted(found, key=lambda item: -item[0])
