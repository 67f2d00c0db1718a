"""The spending rules a store checks against: versions of a rule set, each in force from its start date.

A version is never changed or removed: choosing another province's set, or editing a cap, adds a version (管理
only, recorded in the audit trail). A store with no saved version checks against the built-in default set
(compliance/rules.py's DEFAULT), in force from its document's date.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from unionstats.compliance.rules import DEFAULT, RuleError, RuleSet, Version, builtin, day
from unionstats.store import access, audit, database
from unionstats.store.access import Actor

NOTE_LENGTH = 200


class Rulebook:
    """Read and add rule versions of one store (`Store.rules`)."""

    def __init__(self, engine: sa.Engine, require) -> None:
        self.engine = engine
        self.require = require  # Store._require: a refusal is recorded before it is raised

    def saved(self) -> list[Version]:
        """The saved versions, oldest first."""
        table = database.rule_versions
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(table).order_by(table.c.id)).all()
        return [Version(RuleSet.from_json(row.body), row.start, row.id, row.saved_by, row.saved_at, row.note)
                for row in rows]

    def stamp(self) -> str:
        """Changes when a version is saved: for caches of checks (one small query)."""
        table = database.rule_versions
        with self.engine.connect() as connection:
            return "/".join(map(str, connection.execute(sa.select(sa.func.count(), sa.func.max(table.c.id))).one()))

    def versions(self) -> list[Version]:
        """The versions a check uses, by start date: the saved ones, after the built-in default set for the days
        before the first of them (none when a saved one starts on or before the default's own date)."""
        saved = sorted(self.saved(), key=lambda v: (v.start, v.number))
        default = builtin(DEFAULT)
        if saved and saved[0].start <= default.date:
            return saved
        return [Version(default, default.date), *saved]

    def current(self, today: dt.date | None = None) -> Version:
        """The version in force today (or the earliest, when every one starts later)."""
        today = today or dt.date.today()
        versions = self.versions()
        started = [v for v in versions if v.start <= today]
        return started[-1] if started else versions[0]

    def save(self, actor: Actor, rules: RuleSet, start: dt.date, note: str = "") -> Version:
        """Add `rules` as a new version in force from `start` (管理 only), recorded with what changed."""
        self.require(actor, access.RULES)
        if not isinstance(start, dt.date) or start.year < 1990 or start.year > 2100:
            raise RuleError("执行日期应在 1990 年到 2100 年之间")
        note = " ".join(note.split())[:NOTE_LENGTH]
        before = self.current(start)
        said = changes(before.rules, rules)
        now = dt.datetime.now(dt.UTC)
        with database.writing(self.engine) as connection:
            key = connection.execute(sa.insert(database.rule_versions).values(
                set_key=rules.key, body=rules.as_json(), start=start, saved_by=actor.name[:100], saved_at=now,
                note=note)).inserted_primary_key
            assert key is not None, "a one-row insert into a table with an autoincrement key has its key"
            number = key[0]
            audit.record(connection, actor, access.RULES,
                         detail=f"经费标准第{number}版：{rules.province}，{day(start)}起执行；{said}"
                                + (f"；说明：{note}" if note else ""))
        return Version(rules, start, number, actor.name, now, note)


def changes(before: RuleSet, after: RuleSet) -> str:
    """What a new version changes against the one in force, in words for the audit trail."""
    if before.key != after.key:
        return f"由{before.province}标准改为{after.province}标准"
    caps = {rule.key: rule for rule in before.rules}
    said = [f"{rule.name}上限{caps[rule.key].cap:g}元改为{rule.cap:g}元" for rule in after.rules
            if rule.key in caps and caps[rule.key].cap != rule.cap]
    return "、".join(said) or "上限未变"
