"""Spending rules as data: a province's caps on what a union may spend on a 慰问 or an activity.

A rule file (provinces/*.toml, one per province) names its document (title, 文号, date, source) and lists rules;
each rule says which sheet and categories it covers, the cap in 元, and what the cap applies to (`per`):

- `record`: one row's amount;
- `person-event`: one person at one event, the row's amount over its 人次;
- `member-year`: one member's total in a calendar year, summed over the rows that name them (对象);
- `activity-head`: an activity's spending over its 参与人次.

A store keeps versions of a set (store/rulebook.py); each is in force from a date. A file that breaks the format
raises `RuleError` with a Chinese message naming the rule and the field.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from dataclasses import asdict, dataclass, replace
from importlib import resources

from unionstats.contract import registry

RECORD, PERSON_EVENT, MEMBER_YEAR, ACTIVITY_HEAD = "record", "person-event", "member-year", "activity-head"
SCOPES = {RECORD: "每条记录", PERSON_EVENT: "每人每次", MEMBER_YEAR: "每人每年", ACTIVITY_HEAD: "活动人均"}
SHEETS = {"visits": "慰问", "events": "活动"}
CATEGORY_COLUMN = {"visits": "reason", "events": "category"}
DEFAULT = "anhui"  # the set a store uses until its 管理 chooses one


def day(date: dt.date) -> str:
    return f"{date.year}年{date.month}月{date.day}日"


class RuleError(ValueError):
    """A rule file or an edited cap that cannot be used; the message says where, in Chinese."""


@dataclass(frozen=True)
class Rule:
    key: str
    name: str
    sheet: str
    per: str
    cap: float
    categories: tuple[str, ...] = ()  # 事由 or 类别 it covers; () covers every row of the sheet
    months: tuple[int, ...] = ()  # only rows dated in these months; () every month
    article: str = ""  # what the document says

    @property
    def scope(self) -> str:
        return SCOPES[self.per]

    @property
    def covers(self) -> str:
        """What the rule covers, in words: "节日慰问（1—2月）"."""
        what = "、".join(self.categories) or f"全部{SHEETS[self.sheet]}"
        return what + (f"（{'、'.join(f'{m}月' for m in self.months)}）" if self.months else "")


@dataclass(frozen=True)
class RuleSet:
    key: str
    province: str
    title: str
    date: dt.date
    rules: tuple[Rule, ...]
    number: str = ""
    source: str = ""

    @property
    def cited(self) -> str:
        """The document as a citation: 《title》（文号，date）."""
        return f"《{self.title}》（{'，'.join(filter(None, [self.number, day(self.date)]))}）"

    def with_caps(self, caps: dict[str, float]) -> RuleSet:
        """The same rules with some caps changed (`caps` by rule key); a cap must be a positive amount."""
        unknown = set(caps) - {rule.key for rule in self.rules}
        if unknown:
            raise RuleError(f"没有这条标准：{'、'.join(sorted(unknown))}")
        names = {rule.key: rule.name for rule in self.rules}
        for key, cap in caps.items():
            _positive(cap, f"“{names[key]}”")
        return replace(self, rules=tuple(replace(rule, cap=float(caps.get(rule.key, rule.cap)))
                                         for rule in self.rules))

    def as_json(self) -> str:
        data = asdict(self)
        data["date"] = self.date.isoformat()
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> RuleSet:
        data = json.loads(text)
        return parsed({**data, "date": dt.date.fromisoformat(data["date"])})


@dataclass(frozen=True)
class Version:
    """A rule set as a store keeps it: its number (0: the built-in set, not yet saved), in force from `start`."""

    rules: RuleSet
    start: dt.date
    number: int = 0
    saved_by: str = ""
    saved_at: dt.datetime | None = None
    note: str = ""

    @property
    def label(self) -> str:
        which = f"第{self.number}版" if self.number else ""  # (0: the set as shipped, never saved)
        return f"{self.rules.province}标准{which}（{day(self.start)}起执行）"


def builtin(key: str) -> RuleSet:
    """A province's set shipped with unionstats, by its file's name (anhui, guizhou)."""
    try:
        text = resources.files("unionstats.compliance").joinpath("provinces", f"{key}.toml").read_text("utf-8")
    except (FileNotFoundError, OSError):
        raise RuleError(f"没有名为“{key}”的内置经费标准；可选：{'、'.join(builtin_keys())}") from None
    return loads(text, f"{key}.toml")


def builtin_keys() -> list[str]:
    folder = resources.files("unionstats.compliance").joinpath("provinces")
    return sorted(entry.name.removesuffix(".toml") for entry in folder.iterdir() if entry.name.endswith(".toml"))


def builtin_sets() -> dict[str, RuleSet]:
    return {key: builtin(key) for key in builtin_keys()}


def loads(text: str, where: str = "标准文件") -> RuleSet:
    """A rule set from a TOML file's text; RuleError names the file, the rule and the field at fault."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        at = re.search(r"line (\d+), column (\d+)", str(error))
        near = f"第{at[1]}行第{at[2]}列附近" if at else "文件末尾" if "end of document" in str(error) else ""
        near = f"：{near}写法有误（文字要写在引号里，每项写作 名称 = 值，[[rules]] 的括号成对）" if near else ""
        raise RuleError(f"{where}不是有效的 TOML 文件{near}") from None
    return parsed(data, where)


def parsed(data: dict, where: str = "标准") -> RuleSet:
    for name in ("key", "province", "title", "date"):
        if not data.get(name):
            raise RuleError(f"{where}缺少“{name}”")
    if not isinstance(data["date"], dt.date):
        raise RuleError(f"{where}的“date”应为日期，如 2018-03-12")
    entries = data.get("rules") or []
    if not entries:
        raise RuleError(f"{where}没有任何标准（[[rules]]）")
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise RuleError(f"{where}的标准应逐条写在 [[rules]] 下")
    rules = tuple(_rule(entry, f"{where}第{i}条标准") for i, entry in enumerate(entries, 1))
    keys = [rule.key for rule in rules]
    if len(set(keys)) != len(keys):
        raise RuleError(f"{where}中标准的 key 重复：{'、'.join(sorted({k for k in keys if keys.count(k) > 1}))}")
    return RuleSet(str(data["key"]), str(data["province"]), str(data["title"]), data["date"], rules,
                   str(data.get("number", "")), str(data.get("source", "")))


def _rule(entry: dict, where: str) -> Rule:
    for name in ("key", "name", "sheet", "per", "cap"):
        if name not in entry or entry[name] in ("", None):
            raise RuleError(f"{where}缺少“{name}”")
    for name in ("key", "name", "sheet", "per", "article"):
        if not isinstance(entry.get(name, ""), str):
            raise RuleError(f"{where}的“{name}”应为文字，写在引号里")
    for name in ("categories", "months"):
        if not isinstance(entry.get(name, []), list):
            example = "[1, 2]" if name == "months" else '["节日慰问"]'
            raise RuleError(f"{where}的“{name}”应为列表，写在方括号里，如 {name} = {example}")
    if entry["sheet"] not in SHEETS:
        raise RuleError(f"{where}的“sheet”应为 {' 或 '.join(SHEETS)}，而不是“{entry['sheet']}”")
    if entry["per"] not in SCOPES:
        raise RuleError(f"{where}的“per”应为 {'、'.join(SCOPES)} 之一，而不是“{entry['per']}”")
    if (entry["per"] == ACTIVITY_HEAD) != (entry["sheet"] == "events"):
        raise RuleError(f"{where}：活动人均（activity-head）只用于活动表，活动表也只按活动人均核对")
    _positive(entry["cap"], where)
    months = tuple(entry.get("months", ()))
    if any(not isinstance(m, int) or not 1 <= m <= 12 for m in months):
        raise RuleError(f"{where}的“months”应为 1 到 12 的整数")
    categories = tuple(map(str, entry.get("categories", ())))
    known = known_categories(entry["sheet"])
    if unknown := [c for c in categories if c not in known]:
        raise RuleError(f"{where}的“categories”中“{'、'.join(unknown)}”不是{SHEETS[entry['sheet']]}表的类别；"
                        f"可选：{'、'.join(known)}")
    return Rule(str(entry["key"]), str(entry["name"]), entry["sheet"], entry["per"], float(entry["cap"]),
                categories, months, str(entry.get("article", "")))


def known_categories(sheet_key: str) -> tuple[str, ...]:
    """The 事由 (慰问) or 类别 (活动) a rule may name: the sheet's own choices."""
    sheet = next(s for s in registry.sheets() if s.key == sheet_key)
    return sheet.column(CATEGORY_COLUMN[sheet_key]).choices


def is_cap(value) -> bool:
    """Whether a value can be a cap: a number of 元 above 0 (not a truth value, not NaN)."""
    return not isinstance(value, bool) and isinstance(value, int | float) and value > 0


def _positive(cap, where: str) -> None:
    if not is_cap(cap):
        raise RuleError(f"{where}的上限应为大于 0 的金额（元），而不是“{cap}”")
