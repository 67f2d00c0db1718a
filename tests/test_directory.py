"""The 单位名录: stored by 管理 only and audited, checked row by row, filled from 单位信息, its member counts in the
figures, and the rule of which units were due to report."""

import datetime as dt
from fractions import Fraction

import pandas as pd
import pytest
from seeds import BUREAU, INSTITUTE, SCHOOL
from workbooks import workbook_bytes

from conftest import ROOT
from unionstats.contract import schema
from unionstats.contract.periods import Period, parse_period
from unionstats.figures.due import due_units, unreported_units
from unionstats.figures.engine import figures
from unionstats.store import directory
from unionstats.store.access import ADMIN, REPORTER, VIEWER, Actor, Forbidden, operator
from unionstats.store.batches import IMPORTED, Store
from unionstats.store.directory import DirectoryError

SCHOOL_ACTOR = Actor("王老师", REPORTER, ("第一中学",), address="10.0.0.8")
VIEWER_ACTOR = Actor("李主席", VIEWER, address="10.0.0.9")
ADMIN_ACTOR = Actor("张科长", ADMIN, address="10.0.0.7")
HEAD = ["日期", "活动名称", "类别", "参与人次", "支出"]


@pytest.fixture
def store(url) -> Store:
    return Store(url)


def activities(rows: list[tuple[str, int, float]], unit: str | None = None, members: int | None = None,
               column: bool = False) -> bytes:
    """An 活动 sheet of (date, participants, spending) rows; the unit named in 单位信息 (with its members), or in
    a 单位 column, or nowhere."""
    head = HEAD + (["单位"] if column else [])
    body = [[day, f"活动{i}", "文体活动", people, spent] + ([unit] if column else [])
            for i, (day, people, spent) in enumerate(rows)]
    sheets = {"活动": [head, *body]}
    if unit and not column:
        sheets["单位信息"] = [["单位名称", unit]] + ([["会员人数", members]] if members else [])
    return workbook_bytes(sheets)


def put(store: Store, name: str, data: bytes, actor: Actor | None = None) -> None:
    assert store.import_bytes(data, name, actor=actor).status == IMPORTED


def add_sample(store: Store) -> None:
    """The sample workbook beside the real data, imported as the app imports it."""
    assert store.import_path(ROOT / "data" / "sample.xlsx", actor=operator(directory.SAMPLE_IMPORTER)).ok


def listing(frame: pd.DataFrame) -> list[tuple]:
    return [(u, None if pd.isna(m) else int(m), bool(d)) for u, m, d in zip(frame["unit"], frame["members"],
                                                                              frame["due"])]


def table(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=["unit", "members", "due"], dtype=object)


def settings_trail(store: Store) -> list[tuple]:
    rows = store.audit_trail(ADMIN_ACTOR, action="settings")
    return list(zip(rows["actor"], rows["ok"], rows["detail"]))[::-1]


# Stored by 管理 only, every change recorded.

def test_only_an_admin_replaces_the_directory_and_every_change_is_recorded(store):
    first = table(("第一中学", 80, True), ("第二中学", None, False), ("教育局机关", 12, True))
    for actor in (SCHOOL_ACTOR, VIEWER_ACTOR):
        with pytest.raises(Forbidden):
            store.replace_directory(actor, first)
    assert store.directory().empty
    done = store.replace_directory(ADMIN_ACTOR, first)
    assert (done.added, done.changed, done.removed) == (["第一中学", "第二中学", "教育局机关"], [], [])
    assert listing(store.directory()) == [("第一中学", 80, True), ("第二中学", None, False), ("教育局机关", 12, True)]
    second = table(("第一中学", 81, True), ("第二中学", None, False), ("第三中学", None, None))
    assert store.replace_directory(ADMIN_ACTOR, second).text() == (
        "单位名录已保存：新增1个单位（第三中学），修改1个单位（第一中学），删除1个单位（教育局机关）；现共3个单位")
    assert listing(store.directory()) == [("第一中学", 81, True), ("第二中学", None, False), ("第三中学", None, True)]
    assert store.replace_directory(ADMIN_ACTOR, second).text() == "单位名录没有变化（共3个单位）"
    store.replace_directory(ADMIN_ACTOR, table())
    assert store.directory().empty
    assert settings_trail(store) == [
        ("王老师", False, "被拒绝：您的角色是“填报”，不能修改设置。如需此权限，请联系管理员"),
        ("李主席", False, "被拒绝：您的角色是“查看”，不能修改设置。如需此权限，请联系管理员"),
        ("张科长", True, "单位名录：新增3个单位（第一中学、第二中学、教育局机关）；现共3个单位"),
        ("张科长", True,
         "单位名录：新增1个单位（第三中学），修改1个单位（第一中学），删除1个单位（教育局机关）；现共3个单位"),
        ("张科长", True, "单位名录：删除3个单位（第一中学、第二中学、第三中学）；现共0个单位"),
    ]


def test_a_directory_change_moves_the_stores_revision(store):
    put(store, "一中.xlsx", activities([("2024-04-03", 30, 100)], "第一中学", 50))
    before = store.revision()
    store.replace_directory(ADMIN_ACTOR, table(("第一中学", 60, True)))
    after = store.revision()
    assert after != before and after.split("/")[:3] == before.split("/")[:3]
    store.replace_directory(ADMIN_ACTOR, table(("第一中学", 60, True)))
    assert store.revision() == after, "an unchanged directory is not written again"


# Checked row by row.

def test_every_bad_cell_is_named_by_its_row_and_column_and_nothing_is_stored(store):
    store.replace_directory(ADMIN_ACTOR, table(("第一中学", 80, True)))
    bad = table(
        ("第二中学", "abc", True),          # row 1
        (None, 40, True),                   # row 2: a count without a name
        ("工" * (schema.UNIT_LENGTH + 1), None, True),
        ("第三中学", 0, True),
        (None, None, True),                 # row 5: an empty row is skipped
        (" 第二中学 ", 2.5, "也许"),          # row 6: a duplicate once cleaned
        ("第四中学", schema.MAX_MEMBERS + 1, False),
        ("第五中学", schema.MAX_MEMBERS, "否"),
    )
    with pytest.raises(DirectoryError) as caught:
        store.replace_directory(ADMIN_ACTOR, bad)
    assert caught.value.problems == [
        "第1行「会员人数」：会员人数“abc”不是数字，请填写整数，或留空",
        "第2行「单位」：单位名称不能为空，请填写单位名称，或删除这一行",
        f"第3行「单位」：单位名称超过 {schema.UNIT_LENGTH} 个字符（现为 {schema.UNIT_LENGTH + 1} 个），请缩短",
        "第4行「会员人数」：会员人数“0”小于 1，请填写不小于 1 的整数，或留空",
        "第6行「单位」：“第二中学”与第1行重复，每个单位只填一行",
        "第6行「会员人数」：会员人数“2.5”不是整数，请填写整数，或留空",
        "第6行「应报送」：“也许”应为“是”或“否”，请填写是或否",
        "第7行「会员人数」：会员人数“100000001”超出合理范围（不超过 100,000,000），请核对，或留空",
    ]
    assert str(caught.value).startswith("单位名录未保存，请改正：第1行「会员人数」")
    assert listing(store.directory()) == [("第一中学", 80, True)]
    assert len(settings_trail(store)) == 1


def test_names_are_cleaned_as_the_loader_cleans_a_unit_cell():
    rows = directory.checked(table(("  第一\u0001中学 ", "1,200", "是"), ("第二  中学", None, "不报送"),
                                   ("第三中学", 7.0, 0), ("第四中学", None, "√")))
    assert listing(rows) == [("第一中学", 1200, True), ("第二 中学", None, False), ("第三中学", 7, False),
                             ("第四中学", None, True)]


def test_a_csv_file_in_gbk_is_read_with_its_own_line_numbers(store):
    lines = ["单位名称,会员人数,应报送", "第一中学,80,是", "", "第二中学,,否", "第三中学,八十,是", "第一中学,5,"]
    text = "\n".join(lines)
    frame, first_row = directory.read_csv(text.encode("gb18030"))
    with pytest.raises(DirectoryError) as caught:
        store.replace_directory(ADMIN_ACTOR, frame, first_row)
    assert caught.value.problems == ["第5行「会员人数」：会员人数“八十”不是数字，请填写整数，或留空",
                                     "第6行「单位」：“第一中学”与第2行重复，每个单位只填一行"]
    good = "\ufeff单位,会员人数\n第一中学,80\n第二中学,\n"
    store.replace_directory(ADMIN_ACTOR, *directory.read_csv(good.encode("utf-8")))
    assert listing(store.directory()) == [("第一中学", 80, True), ("第二中学", None, True)]


@pytest.mark.parametrize("data, says", [
    (b"", "文件是空的"),
    ("会员人数,应报送\n80,是\n".encode(), "没有找到「单位」列"),
    (b"\xff\xfe\x00\xd8\x00", "不是 UTF-8 或 GBK 编码的 CSV 文件"),
])
def test_an_unusable_csv_file_is_a_message(data, says):
    with pytest.raises(DirectoryError, match=says):
        directory.read_csv(data)


# Filled from the 单位信息 already stored.

def test_importing_from_unit_information_takes_named_units_and_their_latest_member_count(store):
    add_sample(store)
    put(store, "一中2023.xlsx", activities([("2023-04-03", 30, 100)], "第一中学", 50))
    put(store, "一中2024.xlsx", activities([("2024-04-03", 31, 100)], "第一中学", 55))
    put(store, "一中2024下.xlsx", activities([("2024-09-03", 32, 100)], "第一中学"))  # no count: 55 stays latest
    put(store, "二中.xlsx", activities([("2024-04-05", 20, 0)], "第二中学", column=True))
    put(store, "四中.xlsx", activities([("2024-04-06", 9, 0)], "第四中学", 70))
    store.delete(int(store.batches()["id"].max()))
    store.replace_directory(ADMIN_ACTOR, table(("第三中学", 12, False), ("第一中学", None, False)))
    done = store.import_directory(ADMIN_ACTOR)
    assert listing(store.directory()) == [("第三中学", 12, False), ("第一中学", 55, False), ("第二中学", None, True)]
    assert (done.added, done.changed, done.removed) == (["第二中学"], ["第一中学"], [])
    assert "school_2004" not in set(store.directory()["unit"])
    assert settings_trail(store)[-1] == (
        "张科长", True, "从单位信息导入单位名录：新增1个单位（第二中学），修改1个单位（第一中学）；现共3个单位")
    assert store.import_directory(ADMIN_ACTOR).text() == "单位名录已是最新：没有需要补充的单位或会员人数（共3个单位）"
    with pytest.raises(Forbidden):
        store.import_directory(VIEWER_ACTOR)


def test_the_sample_alone_gives_no_unit_to_import(store):
    add_sample(store)
    assert store.import_directory(ADMIN_ACTOR).text() == (
        "没有可导入的单位：已导入的工作簿都没有写明单位名称（示例数据不导入）")
    assert store.directory().empty


def test_the_sample_importer_is_the_apps():
    from unionstats.store import sample

    assert directory.SAMPLE_IMPORTER == sample.SAMPLE_USER


# The directory's member counts in the figures.

def test_participation_and_spending_per_member_use_the_directorys_member_counts(store):
    written = {  # unit: (activities as (date, participants, spending), 单位信息's members)
        "第一中学": ([("2024-04-03", 30, 1000.0), ("2024-05-03", 40, 500.5)], 50),
        "第二中学": ([("2024-04-10", 10, 300.0)], None),
        "第三中学": ([("2024-06-01", 12, 240.0)], 30),
        "第四中学": ([("2024-06-02", 5, 99.0)], None),
    }
    for unit, (rows, members) in written.items():
        put(store, f"{unit}.xlsx", activities(rows, unit, members))
    store.replace_directory(ADMIN_ACTOR, table(("第一中学", 80, True), ("第二中学", 20, True), ("第五中学", 9, True)))
    counts = {"第一中学": 80, "第二中学": 20, "第三中学": 30}  # the directory's, else 单位信息's
    known = {u: rows for u, (rows, _) in written.items() if u in counts}
    people = sum(p for rows in known.values() for _, p, _ in rows)
    places = sum(len(rows) * counts[u] for u, rows in known.items())
    spent = sum(Fraction(str(s)) for rows in known.values() for _, _, s in rows)
    events = figures(store.dataset(), parse_period("2024Q2")).events
    assert events.members == sum(counts.values())
    assert Fraction(events.participation_rate).limit_denominator(10**6) == Fraction(people, places)
    assert events.spending_per_member == round(float(spent / sum(counts.values())), 2)
    assert {u: g.members for u, g in events.by_unit.items()} == {**counts, "第四中学": None}
    store.replace_directory(ADMIN_ACTOR, table())
    assert figures(store.dataset(), parse_period("2024Q2")).events.members == 50 + 30, "单位信息's counts again"


# Which units were due to report.

def quarters_store(store: Store) -> dict[str, list[str]]:
    """Several units over the years and the sample beside them; the dates each unit has rows on, as the test
    wrote them."""
    written = {
        "第一中学": ["2023-01-09", "2024-02-01"],
        "第二中学": ["2023-11-20"],
        "第三中学": ["2024-03-03"],
        "三山学校": ["2023-02-14"],
        "第五中学": ["2022-02-02"],
    }
    add_sample(store)
    for unit, days in written.items():
        rows = [(day, 10, 0) for day in days]
        put(store, f"{unit}.xlsx", activities(rows, unit, column=True))
    return written


def rows_in(written: dict[str, list[str]], *periods: Period) -> set[str]:
    return {u for u, days in written.items() for day in days
            if any(p.contains(dt.date.fromisoformat(day)) for p in periods)}


def test_without_a_directory_the_units_that_reported_the_quarter_before_or_a_year_before_were_due(store):
    written = quarters_store(store)
    data, quarter = store.dataset(), parse_period("2024Q1")
    expected = sorted(rows_in(written, quarter.previous(), quarter.year_ago()))
    assert expected == ["三山学校", "第一中学", "第二中学"]
    assert due_units(data, store.directory(), quarter, None) == expected
    assert due_units(data, None, quarter, []) == expected
    assert due_units(data, None, quarter, ["第二中学", "第三中学"]) == ["第二中学"]
    assert unreported_units(data, None, quarter) == sorted(set(expected) - rows_in(written, quarter))
    assert due_units(data, None, parse_period("2030")) == [], "nothing before an empty period"
    assert due_units(data, None, None) == []
    sample_unit = "江城市农业科学研究所工会"  # the sample, set aside by the first real import, is never due
    assert sample_unit not in due_units(data, None, parse_period("2025Q3"))
    assert unreported_units(data, None, parse_period("2026Q1")) == []


def test_with_a_directory_its_units_marked_due_were_due_whether_they_reported_or_not(store):
    written = quarters_store(store)
    store.replace_directory(ADMIN_ACTOR, table(("第一中学", None, True), ("第五中学", None, True),
                                               ("第三中学", None, False), ("第六中学", 40, True)))
    data, listed, quarter = store.dataset(), store.directory(), parse_period("2024Q1")
    assert due_units(data, listed, quarter) == ["第一中学", "第五中学", "第六中学"]
    assert due_units(data, listed, parse_period("2030")) == ["第一中学", "第五中学", "第六中学"]
    assert due_units(data, listed, None) == ["第一中学", "第五中学", "第六中学"]
    assert due_units(data, listed, quarter, ["第三中学", "第六中学", "第二中学"]) == ["第六中学"]
    unreported = sorted({"第一中学", "第五中学", "第六中学"} - rows_in(written, quarter))
    assert unreported_units(data, listed, quarter) == unreported == ["第五中学", "第六中学"]


def test_the_units_of_other_years_were_not_due_in_a_year_with_nothing_before_it(tmp_path):
    """The store of the review: 2008's institute, 2004's school that names no unit, a 2013 bureau, a 2024
    school and the sample; in 2008 only the institute reported, and no unit had reported in 2007."""
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    add_sample(store)
    for name, sheets in (("institute_2008.xlsx", INSTITUTE), ("bureau_2013q2.xlsx", BUREAU)):
        put(store, name, workbook_bytes(sheets))
    school = store.import_bytes(workbook_bytes(SCHOOL), "school_2004.xlsx", unit_name="三山学校")  # names no unit
    assert school.status == IMPORTED
    put(store, "红星小学.xlsx", activities([("2024-03-10", 40, 1000)], "红星小学", 80))
    data, year = store.dataset(), parse_period("2008")
    assert due_units(data, store.directory(), year) == unreported_units(data, store.directory(), year) == []
    assert due_units(data, None, parse_period("2005")) == ["三山学校"]
    store.import_directory(ADMIN_ACTOR)
    assert listing(store.directory()) == [("三山学校", None, True), ("某县水利局", None, True), ("某研究所", 46, True),
                                          ("红星小学", 80, True)]
    assert unreported_units(data, store.directory(), year) == ["三山学校", "某县水利局", "红星小学"]
