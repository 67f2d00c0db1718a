"""The figures of a period and units: pure functions over a Dataset.

Every number the dashboard charts and the summary writes comes from here,
as plain JSON-ready Python: ints for counts, yuan rounded to the fen, None
where a figure is unknown (never a guessed zero). The previous period (环比)
and the same period a year earlier (同比) are given only when the data holds
rows inside them.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from . import schema
from .model import Dataset
from .periods import Period, span_period
from .values import place_number

TOP = 5
UNUSED = frozenset({"person", "notes", "goods_note", "source", "sheet", "row"})
RESULT_ORDER = ("一等奖", "二等奖", "三等奖", "优秀奖", schema.OTHER_AWARD, schema.PARTICIPATION)


def money(value: float) -> float:
    """Yuan to the fen, as a plain float (never -0.0 or a numpy scalar in JSON)."""
    return round(float(value), 2) + 0.0


def select(frame: pd.DataFrame, period: Period | None, units: Iterable[str] | None) -> pd.DataFrame:
    """The rows of the period and units, and only the columns figures use (names, notes and origin stay out)."""
    frame = frame[[c for c in frame.columns if c not in UNUSED]]
    mask = pd.Series(True, index=frame.index)
    if period is not None:
        mask &= period.mask(frame["date"])
    if units:
        mask &= frame["unit"].isin(list(units))
    return frame if mask.all() else frame[mask]


def leading(frame: pd.DataFrame, key: pd.Series, by: list[str], ascending: list[bool]) -> pd.DataFrame:
    """The TOP rows by `key` (smaller first), ties broken by sorting on `by`; sorts only the candidates."""
    if frame.empty:
        return frame
    threshold = key.nsmallest(TOP).max()
    return frame[key <= threshold].sort_values(by, ascending=ascending).head(TOP)


def ordered(keys: Iterable[str], order: Iterable[str]) -> list[str]:
    rank = {k: i for i, k in enumerate(order)}
    return sorted(keys, key=lambda k: (rank.get(k, len(rank)), k))


def sums(frame: pd.DataFrame, by: str, columns: dict[str, str], order: Iterable[str] = ()) -> dict[str, dict]:
    """Per value of `by`: row count and the sums of `columns` ({output name: frame column})."""
    if frame.empty:
        return {}
    grouped = frame.groupby(by, sort=False)
    counts = grouped.size().to_dict()
    totals = {name: grouped[column].sum().to_dict() for name, column in columns.items()}
    casts = {name: money if frame[column].dtype.kind == "f" else int for name, column in columns.items()}
    return {str(key): {"count": int(counts[key]), **{n: casts[n](totals[n][key]) for n in columns}}
            for key in ordered(counts, order)}


def label_blank(series: pd.Series) -> pd.Series:
    return series.where(series != "", schema.UNSPECIFIED)


def event_record(row) -> dict:
    return {"date": row.date.date().isoformat(), "name": row.name, "category": row.category,
            "participants": int(row.participants), "spending": money(row.spending)}


def event_figures(events: pd.DataFrame, members: dict[str, int]) -> dict:
    counted = {"participants": "participants", "spending": "spending"}
    participants, spending = int(events["participants"].sum()), money(events["spending"].sum())
    by_unit = sums(events, "unit", counted)
    for unit, figures in by_unit.items():
        figures["members"] = members.get(unit)
        figures["participation_rate"] = rate(figures["participants"], figures["count"] * (members.get(unit) or 0))
    known = {u: f for u, f in by_unit.items() if f["members"]}
    total_members = sum(members.values()) if members else None
    top = leading(events, -events["participants"], ["participants", "date", "name"], [False, True, True])
    return {
        "count": len(events),
        "participants": participants,
        "spending": spending,
        "members": total_members,
        "participation_rate": rate(sum(f["participants"] for f in known.values()),
                                   sum(f["count"] * f["members"] for f in known.values())),
        "spending_per_member": money(spending / total_members) if total_members else None,
        "spending_per_participant": money(spending / participants) if participants else None,
        "by_category": sums(events, "category", counted, schema.EVENT_CATEGORIES),
        "by_month": by_time(events, "M", counted),
        "by_quarter": by_time(events, "Q", counted),
        "by_unit": by_unit,
        "top": [event_record(r) for r in top.itertuples()],
        "festivals": festival_figures(events),
    }


def by_time(frame: pd.DataFrame, freq: str, columns: dict[str, str]) -> dict[str, dict]:
    """Sums per month ("2024-05") or quarter ("2024Q2"), in time order."""
    periods = frame["date"].dt.to_period(freq)
    return sums(frame.assign(_period=periods), "_period", columns, sorted(periods.unique()))


def festival_figures(events: pd.DataFrame) -> list[dict]:
    """节日活动 grouped by name, the largest first: what a summary names as the year's festivals."""
    festivals = events[events["category"] == "节日活动"]
    grouped = festivals.groupby("name").agg(count=("name", "size"), participants=("participants", "sum"),
                                            spending=("spending", "sum"), first=("date", "min"))
    grouped = grouped.sort_values(["participants", "first"], ascending=[False, True]).head(TOP * 2)
    return [{"name": name, "count": int(r.count), "participants": int(r.participants),
             "spending": money(r.spending), "date": r.first.date().isoformat()}
            for name, r in zip(grouped.index, grouped.itertuples())]


def rate(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


def visit_figures(visits: pd.DataFrame) -> dict:
    reasons = sums(visits, "reason", {"count": "count", "amount": "amount"}, schema.VISIT_REASONS)
    groups = sums(visits.assign(group=label_blank(visits["group"])), "group", {"count": "count"},
                  schema.VISIT_GROUPS + (schema.UNSPECIFIED,))
    return {
        "count": int(visits["count"].sum()),
        "amount": money(visits["amount"].sum()),
        "records": len(visits),
        "by_reason": {k: v["count"] for k, v in reasons.items()},
        "by_reason_amount": {k: v["amount"] for k, v in reasons.items()},
        "by_group": {k: v["count"] for k, v in groups.items()},
        "by_month": {k: {"count": v["people"], "amount": v["amount"]}
                     for k, v in by_time(visits, "M", {"people": "count", "amount": "amount"}).items()},
    }


def donation_figures(donations: pd.DataFrame) -> dict:
    counted = {"cash": "cash", "goods": "goods"}
    first_dates = donations.groupby("campaign")["date"].min().sort_values() if len(donations) else pd.Series()
    donors = donations["donors"].dropna()
    return {
        "count": len(donations),
        "cash": money(donations["cash"].sum()),
        "goods": int(donations["goods"].sum()),
        "donors": int(donors.sum()) if len(donors) else None,
        "by_campaign": sums(donations, "campaign", counted, list(first_dates.index)),
        "by_kind": sums(donations.assign(kind=label_blank(donations["kind"])), "kind", counted,
                        schema.DONATION_KINDS + (schema.UNSPECIFIED,)),
    }


def result_rank(result: str) -> int:
    """Smaller is better: 第一名 and 一等奖 rank 1, 第二名 and 二等奖 rank 2, ..."""
    place = place_number(result)
    if place:
        return place
    prizes = {"一等奖": 1, "二等奖": 2, "三等奖": 3, "优秀奖": 4, schema.OTHER_AWARD: 5}
    return prizes.get(result, 99)


def result_order(results: pd.Series) -> list[str]:
    places = sorted((r for r in results.unique() if place_number(r)), key=place_number)
    return places + list(RESULT_ORDER)


def competition_figures(competitions: pd.DataFrame) -> dict:
    won = competitions[competitions["result"] != schema.PARTICIPATION]
    levels = sums(competitions.assign(level=label_blank(competitions["level"]),
                                      won=competitions["awards"].where(
                                          competitions["result"] != schema.PARTICIPATION, 0)),
                  "level", {"awards": "won"}, schema.LEVELS + (schema.UNSPECIFIED,))
    by_result = {}
    for result in ordered(competitions["result"].unique(), result_order(competitions["result"])):
        rows = competitions[competitions["result"] == result]
        by_result[result] = len(rows) if result == schema.PARTICIPATION else int(rows["awards"].sum())
    level_rank = {level: i for i, level in enumerate(reversed(schema.LEVELS))}
    ranks = {result: result_rank(result) for result in won["result"].unique()}
    best = won.assign(rank=won["result"].map(ranks), level_rank=won["level"].map(level_rank).fillna(99))
    best = leading(best, best["rank"] * 100 + best["level_rank"], ["rank", "level_rank", "date", "name"],
                   [True] * 4)
    return {
        "count": len(competitions),
        "names": int(competitions["name"].nunique()),
        "awards": int(won["awards"].sum()),
        "by_level": levels,
        "by_result": by_result,
        "best": [{"date": r.date.date().isoformat(), "name": r.name, "event": r.event, "level": r.level,
                  "entry": r.entry, "result": r.result, "award_name": r.award_name, "awards": int(r.awards)}
                 for r in best.itertuples()],
    }


def period_figures(dataset: Dataset, period: Period | None, units: list[str] | None) -> dict:
    frames = {key: select(frame, period, units) for key, frame in dataset.frames().items()}
    members = {u: m for u, m in dataset.members().items() if not units or u in units}
    in_scope = sorted(set().union(*(f["unit"].unique() for f in frames.values())) | (set(units or []) & set(members)))
    return {
        "period": None if period is None else {"code": period.code, "label": period.label,
                                                "start": period.start.isoformat(), "end": period.end.isoformat()},
        "units": in_scope,
        "events": event_figures(frames["events"], {u: m for u, m in members.items() if u in in_scope}),
        "visits": visit_figures(frames["visits"]),
        "donations": donation_figures(frames["donations"]),
        "competitions": competition_figures(frames["competitions"]),
    }


def has_rows(dataset: Dataset, period: Period, units: list[str] | None) -> bool:
    for frame in dataset.frames().values():
        mask = period.mask(frame["date"])
        if units:
            mask &= frame["unit"].isin(list(units))
        if mask.any():
            return True
    return False


def all_dates(dataset: Dataset) -> pd.Series:
    return pd.concat([f["date"] for f in dataset.frames().values()], ignore_index=True)


def figures(dataset: Dataset, period: Period | None = None, units: list[str] | None = None) -> dict:
    """Figures for the period (default: the span of the data), with 环比 and 同比 where data exists."""
    period = period or span_period(all_dates(dataset))
    result = period_figures(dataset, period, units)
    for key, neighbour in (("previous", period and period.previous()), ("year_ago", period and period.year_ago())):
        has_data = neighbour is not None and neighbour.end < period.start and has_rows(dataset, neighbour, units)
        result[key] = period_figures(dataset, neighbour, units) if has_data else None
    return result


def change(current: float | None, earlier: float | None) -> dict | None:
    """Difference and ratio for 环比/同比; ratio is None when the earlier figure is zero."""
    if current is None or earlier is None:
        return None
    return {"delta": round(current - earlier, 2), "ratio": round((current - earlier) / earlier, 4) if earlier else None}
