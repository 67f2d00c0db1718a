"""Caches bounded by the bytes they hold, for a server that strangers can feed.

A cache bounded by its number of entries is bounded by nothing: sixteen
checked uploads may be sixteen gigabytes. Each cache here is a least-recently
used cache (cachetools) whose size is the bytes its values take (`nbytes`):
when a new value would pass the budget, the oldest go; a value larger than
the whole budget is handed back and not kept. Concurrent callers asking for
the same missing key wait for one computation instead of each starting their
own. Budgets are in megabytes, scaled by UNIONSTATS_CACHE_SCALE (default 1)
for a machine with more or less memory.

These caches live in the process, not in Streamlit's st.cache_data or
st.cache_resource: any browser, signed in or not, can send Streamlit's
"clear cache" message, which empties those for every user.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import threading
import types
from collections.abc import Callable, Hashable
from typing import Any

import cachetools
import cachetools.keys  # (loaded by the package, but its type stub does not name the module)
import pandas as pd

MB = 1 << 20


def scale() -> float:
    return float(os.environ.get("UNIONSTATS_CACHE_SCALE") or 1)


def nbytes(value: Any, _seen: set[int] | None = None) -> int:
    """About how many bytes `value` holds: frames by pandas' own deep count, containers and dataclasses by their
    parts (each object once), anything else by sys.getsizeof."""
    seen = set() if _seen is None else _seen
    if id(value) in seen:
        return 0
    seen.add(id(value))
    if isinstance(value, (type, types.ModuleType, types.FunctionType, types.MethodType, threading.Thread)):
        return sys.getsizeof(value)  # code and machinery, not data: never looked into
    if isinstance(value, (pd.DataFrame, pd.Series, pd.Index)):
        used = value.memory_usage(deep=True)
        return int(used.sum() if hasattr(used, "sum") else used)
    if isinstance(value, (str, bytes, bytearray, int, float, bool)) or value is None:
        return sys.getsizeof(value)
    if isinstance(value, dict):
        return sys.getsizeof(value) + sum(nbytes(k, seen) + nbytes(v, seen) for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return sys.getsizeof(value) + sum(nbytes(v, seen) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return sys.getsizeof(value) + sum(nbytes(getattr(value, f.name), seen) for f in dataclasses.fields(value))
    to_json = getattr(value, "to_plotly_json", None)  # a plotly figure: its data and layout, not its validators
    if to_json is not None:
        return nbytes(to_json(), seen)
    parts = getattr(value, "__dict__", None)
    if parts is not None:
        return sys.getsizeof(value) + nbytes(parts, seen)
    return sys.getsizeof(value)


def lru(megabytes: float) -> cachetools.LRUCache:
    """An LRU cache of at most `megabytes` (times scale()) of values, by nbytes."""
    return cachetools.LRUCache(maxsize=max(1, int(megabytes * scale() * MB)), getsizeof=nbytes)


def kept(megabytes: float, key: Callable[..., Hashable] = cachetools.keys.hashkey):
    """Keep a function's results in an lru(megabytes): the wrapper's `.cache`, emptied by `.cache_clear()`."""
    def decorate(function):
        return cachetools.cached(lru(megabytes), key=key, condition=threading.Condition())(function)
    return decorate


def one_each(entries: int):
    """Keep one result per key, for the latest `entries` keys: for what holds no data of its own (a thread measuring
    ahead, a box of figures bounded by itself), where the bytes it refers to are not what it costs. Concurrent callers
    of a missing key wait for one computation, as with `kept`."""
    def decorate(function):
        return cachetools.cached(cachetools.LRUCache(maxsize=entries), condition=threading.Condition())(function)
    return decorate


class Kept:
    """A bounded cache for callers that bring the computation with the key: `kept.get(key, compute)`."""

    def __init__(self, megabytes: float):
        self.get = kept(megabytes, key=lambda key, compute: cachetools.keys.hashkey(key))(
            lambda key, compute: compute())

    @property
    def cache(self) -> cachetools.LRUCache:
        return self.get.cache

    def __len__(self) -> int:
        return len(self.cache)

    def __contains__(self, key: Hashable) -> bool:
        return cachetools.keys.hashkey(key) in self.cache
