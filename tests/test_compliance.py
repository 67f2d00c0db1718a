"""The spending check: each finding worked out here from the rows and the rule file the test writes."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest

from unionstats.compliance import rules
from unionstats.compliance.check import check
from unionstats.compliance.rules import RuleError, Version, builtin, loads
from unionstats.contract.periods import Period
from unionstats.store.access import ADMIN, VIEWER, Actor, Forbidden
from unionstats.store.batches import Store

ANHUI, GUIZHOU = builtin("anhui"), builtin("guizhou")
SINCE_2018 = Version(ANHUI, dt.date(2018, 1, 1))
ADMIN_ACTOR = Actor("张科长", ADMIN)


def visits(*rows: tuple) -> pd.DataFrame:
    """Rows of (date, reason, person, count, amount[, unit]) as the model's 慰问 frame, each at Excel row 2, 3, …"""
    frame = pd.DataFrame([(*row, "一中")[:6] for row in rows],
                         columns=["date", "reason", "person", "count", "amount", "unit"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame.assign(sheet="慰问", row=range(2, len(frame) + 2), source="一中.xlsx", group="", notes="")


def events(*rows: tuple) -> pd.DataFrame:
    """Rows of (date, category, participants, spending) as the model's 活动 frame."""
    frame = pd.DataFrame(rows, columns=["date", "category", "participants", "spending"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame.assign(unit="一中", sheet="活动", row=range(2, len(frame) + 2), source="一中.xlsx", name="活动")


def places(found) -> list[tuple]:
    return [(f.rule.key, f.row, f.amount, f.cap) for f in found.findings]


def test_a_cap_exactly_met_passes_and_one_yuan_over_is_found_with_its_place():
    found = check({"visits": visits(("2025-03-01", "生病住院", "王某", 1, 1000.0),
                                    ("2025-03-02", "生病住院", "李某", 1, 1001.0))}, [SINCE_2018])
    assert places(found) == [("illness", 3, 1001.0, 1000.0)]
    finding = found.findings[0]
    assert (finding.over, finding.date, finding.unit, finding.sheet, finding.source) == (
        1.0, dt.date(2025, 3, 2), "一中", "慰问", "一中.xlsx")
    assert found.checked == 2 and found.versions == (SINCE_2018,)


def test_a_person_event_cap_divides_a_row_by_its_people():
    # 3 人次 sharing 1800元 is 600元 each: exactly 结婚's cap; 1803元 is 601元 each
    found = check({"visits": visits(("2025-05-01", "结婚", "", 3, 1800.0), ("2025-05-02", "结婚", "", 3, 1803.0))},
                  [SINCE_2018])
    assert places(found) == [("wedding-birth", 3, 601.0, 600.0)]
    assert (found.findings[0].people, found.findings[0].excess, found.over) == (3, 3.0, 3.0)


def test_a_members_third_festival_gift_of_the_year_goes_over_the_yearly_cap():
    rows = visits(("2025-01-20", "节日慰问", "王某", 1, 600.0), ("2025-06-01", "节日慰问", "王某", 1, 500.0),
                  ("2025-06-01", "节日慰问", "李某", 1, 500.0),  # another member: her own total
                  ("2025-09-20", "节日慰问", "王某", 1, 401.0),  # 600 + 500 + 401 = 1501
                  ("2025-12-30", "节日慰问", "王某", 1, 100.0),  # still over: 1601
                  ("2026-01-20", "节日慰问", "王某", 1, 600.0))  # a new year starts from nothing
    found = check({"visits": rows}, [SINCE_2018])
    assert places(found) == [("festival", 5, 1501.0, 1500.0), ("festival", 6, 1601.0, 1500.0)]
    assert [f.excess for f in found.findings] == [1.0, 100.0]  # the second row adds only its own 100元
    assert found.over == 101.0 and found.unnamed == 0


def test_the_same_name_in_another_unit_is_another_member():
    rows = visits(("2025-01-20", "节日慰问", "王某", 1, 1000.0, "一中"),
                  ("2025-02-20", "节日慰问", "王某", 1, 1000.0, "二中"))
    assert check({"visits": rows}, [SINCE_2018]).findings == ()


def test_a_row_without_a_person_is_checked_per_head_and_counted_as_such():
    rows = visits(("2025-02-01", "节日慰问", "", 1, 1600.0),  # one unnamed person, over the year's cap by itself
                  ("2025-02-02", "节日慰问", "", 100, 30000.0),  # 300元 a head: under
                  ("2025-02-03", "节日慰问", "王某", 4, 8000.0))  # a name, but 4 人次: 2000元 a head, over
    found = check({"visits": rows}, [SINCE_2018])
    assert places(found) == [("festival", 2, 1600.0, 1500.0), ("festival", 4, 2000.0, 1500.0)]
    assert found.unnamed == 3 and found.over == 100 + 4 * 500


def test_two_provinces_check_the_same_rows_by_their_own_rules():
    rows = visits(("2025-01-25", "节日慰问", "王某", 1, 600.0),  # 春节: 贵州 500 a head, 安徽 counts to 1500
                  ("2025-06-01", "节日慰问", "王某", 1, 300.0),  # 端午: 贵州 200 a head
                  ("2025-09-30", "节日慰问", "王某", 1, 650.0),  # 安徽: 600 + 300 + 650 = 1550
                  ("2025-10-10", "生病住院", "王某", 1, 1200.0))  # 安徽 1000; 贵州 has no such rule
    anhui = check({"visits": rows}, [Version(ANHUI, dt.date(2018, 1, 1))])
    guizhou = check({"visits": rows}, [Version(GUIZHOU, dt.date(2018, 1, 1))])
    assert places(anhui) == [("festival", 4, 1550.0, 1500.0), ("illness", 5, 1200.0, 1000.0)]
    assert places(guizhou) == [("spring-festival", 2, 600.0, 500.0), ("other-festivals", 3, 300.0, 200.0),
                               ("other-festivals", 4, 650.0, 200.0)]


def test_a_cap_changed_mid_year_checks_each_row_by_the_version_in_force_on_its_date():
    lowered = Version(ANHUI.with_caps({"illness": 800, "festival": 1000}), dt.date(2025, 7, 1), number=2)
    rows = visits(("2025-06-30", "生病住院", "王某", 1, 900.0),  # old cap 1000: fine
                  ("2025-07-01", "生病住院", "李某", 1, 900.0),  # new cap 800: over
                  ("2025-03-01", "节日慰问", "赵某", 1, 900.0),
                  ("2025-09-01", "节日慰问", "赵某", 1, 200.0))  # 1100 so far, over the new yearly 1000
    found = check({"visits": rows}, [lowered, SINCE_2018])
    assert places(found) == [("illness", 3, 900.0, 800.0), ("festival", 5, 1100.0, 1000.0)]
    assert {f.version.number for f in found.findings} == {2}
    assert found.versions == (SINCE_2018, lowered)
    assert check({"visits": rows}, [lowered, SINCE_2018], Period.of("quarter", 2025, 2)).versions == (SINCE_2018,)


def test_a_period_reports_its_own_rows_but_a_yearly_total_counts_the_months_before():
    rows = visits(("2025-02-01", "节日慰问", "王某", 1, 1400.0), ("2025-09-01", "节日慰问", "王某", 1, 200.0),
                  ("2025-09-02", "生病住院", "王某", 1, 5000.0, "二中"))
    third = check({"visits": rows}, [SINCE_2018], Period.of("quarter", 2025, 3), units=["一中"])
    assert places(third) == [("festival", 3, 1600.0, 1500.0)]
    assert third.checked == 1
    assert check({"visits": rows}, [SINCE_2018], Period.of("quarter", 2025, 1)).findings == ()


def test_rows_dated_before_every_version_are_not_checked_but_counted():
    found = check({"visits": visits(("2017-05-01", "生病住院", "王某", 1, 5000.0))}, [SINCE_2018])
    assert (found.findings, found.checked, found.unchecked) == ((), 0, 1)


RULE_FILE = """
key = "test"
province = "测试省"
title = "测试办法"
date = 2020-01-01

[[rules]]
key = "trip"
name = "春秋游"
sheet = "events"
categories = ["参观旅游"]
per = "activity-head"
cap = 200

[[rules]]
key = "any-visit"
name = "单笔慰问"
sheet = "visits"
per = "record"
cap = 3000
"""


def test_an_activity_is_checked_per_head_and_a_record_cap_per_row():
    own = Version(loads(RULE_FILE), dt.date(2020, 1, 1))
    found = check({"events": events(("2025-04-01", "参观旅游", 40, 8000.0),  # 200 a head: the cap
                                    ("2025-04-02", "参观旅游", 40, 8040.0),  # 201 a head
                                    ("2025-04-03", "文体活动", 10, 9000.0),  # not a trip
                                    ("2025-04-04", "参观旅游", 0, 500.0)),  # no one counted: cannot be checked
                   "visits": visits(("2025-04-05", "丧事", "", 2, 3001.0))}, [own])
    assert places(found) == [("trip", 3, 201.0, 200.0), ("any-visit", 2, 3001.0, 3000.0)]
    assert [f.excess for f in found.findings] == [40.0, 1.0]
    assert found.unchecked == 1


def test_the_table_lists_each_finding_with_its_place_and_the_version_used():
    lowered = Version(ANHUI.with_caps({"illness": 800}), dt.date(2025, 7, 1), number=2)
    rows = visits(("2025-03-02", "生病住院", "王某", 1, 1500.0), ("2025-08-01", "生病住院", "李某", 2, 1800.0))
    table = check({"visits": rows.assign(batch_id=[7, 9])}, [SINCE_2018, lowered]).table()
    assert table.to_dict("records") == [
        {"标准": "生病住院慰问", "口径": "每人每次", "单位": "一中", "日期": dt.date(2025, 3, 2), "金额（元）": 1500.0,
         "上限（元）": 1000.0, "超出（元）": 500.0, "批次": 7, "工作表": "慰问", "行": 2, "文件": "一中.xlsx",
         "依据": "安徽省标准（2018年1月1日起执行）"},
        {"标准": "生病住院慰问", "口径": "每人每次", "单位": "一中", "日期": dt.date(2025, 8, 1), "金额（元）": 900.0,
         "上限（元）": 800.0, "超出（元）": 100.0, "批次": 9, "工作表": "慰问", "行": 3, "文件": "一中.xlsx",
         "依据": "安徽省标准第2版（2025年7月1日起执行）"}]


def test_a_finding_carries_no_name():
    found = check({"visits": visits(("2025-03-02", "生病住院", "王秘密", 1, 1500.0))}, [SINCE_2018])
    assert found.findings
    assert "王秘密" not in repr(found.findings) + found.table().to_csv()
    assert not any("person" in field.name for field in dataclasses.fields(found.findings[0]))


@pytest.mark.parametrize(("change", "said"), [
    (lambda text: text.replace('per = "record"', 'per = "per-year"'), "第2条标准的“per”应为"),
    (lambda text: text.replace('categories = ["参观旅游"]', 'categories = ["旅游"]'), "“旅游”不是活动表的类别"),
    (lambda text: text.replace("cap = 3000", "cap = -5"), "第2条标准的上限应为大于 0 的金额"),
    (lambda text: text.replace('name = "单笔慰问"\n', ""), "第2条标准缺少“name”"),
    (lambda text: text.replace('key = "any-visit"', 'key = "trip"'), "key 重复：trip"),
    (lambda text: text.replace("date = 2020-01-01", 'date = "去年"'), "“date”应为日期"),
    (lambda text: text + "[[rules", "不是有效的 TOML 文件：文件末尾写法有误"),
    (lambda text: text.replace('name = "春秋游"', "name = 春秋游"), "不是有效的 TOML 文件：第9行第8列附近写法有误"),
    (lambda text: text.replace('categories = ["参观旅游"]', "categories = 5"), "第1条标准的“categories”应为列表"),
    (lambda text: text.replace('sheet = "events"', 'sheet = ["events"]'), "第1条标准的“sheet”应为文字"),
    (lambda text: text.replace('per = "record"', 'per = "record"\nmonths = 5'), "第2条标准的“months”应为列表"),
    (lambda text: text.replace('per = "record"', 'per = "record"\nmonths = [13]'), "“months”应为 1 到 12"),
    (lambda text: text.split("[[rules]]")[0] + "rules = [1]", "标准应逐条写在 \\[\\[rules\\]\\] 下"),
    (lambda text: text.split("[[rules]]")[0], "没有任何标准"),
    (lambda text: text.replace('province = "测试省"\n', ""), "测试.toml缺少“province”"),
    (lambda text: text.replace('per = "activity-head"', 'per = "person-event"'),
     "活动人均（activity-head）只用于活动表"),
])
def test_a_broken_rule_file_is_refused_with_a_message_naming_the_rule_and_field(change, said):
    with pytest.raises(RuleError, match=said):
        loads(change(RULE_FILE), "测试.toml")


def test_edited_caps_must_be_positive_and_name_a_rule():
    with pytest.raises(RuleError, match="^“生病住院慰问”的上限应为大于 0 的金额（元），而不是“0”$"):
        ANHUI.with_caps({"illness": 0})
    with pytest.raises(RuleError, match="没有这条标准：flowers"):
        ANHUI.with_caps({"flowers": 100})


def test_every_shipped_rule_file_cites_its_source_and_loads():
    for key, rule_set in rules.builtin_sets().items():
        assert rule_set.key == key and rule_set.source and rule_set.title and rule_set.rules
        assert all(rule.article for rule in rule_set.rules)


def test_a_store_keeps_every_version_records_the_change_and_checks_by_date(url):
    store = Store(url)
    assert [v.number for v in store.rules.versions()] == [0]  # the built-in set until one is saved
    with pytest.raises(Forbidden):
        store.rules.save(Actor("李主席", VIEWER), ANHUI, dt.date(2025, 1, 1))
    store.rules.save(ADMIN_ACTOR, ANHUI.with_caps({"illness": 800}), dt.date(2025, 7, 1), "省总工会调整")
    store.rules.save(ADMIN_ACTOR, GUIZHOU, dt.date(2026, 1, 1))
    assert [(v.number, v.start) for v in store.rules.versions()] == [
        (0, ANHUI.date), (1, dt.date(2025, 7, 1)), (2, dt.date(2026, 1, 1))]
    trail = store.audit_trail(ADMIN_ACTOR)
    said = trail.loc[(trail["action"] == "rules") & trail["ok"], "detail"].tolist()
    assert said == ["经费标准第2版：贵州省，2026年1月1日起执行；由安徽省标准改为贵州省标准",
                    "经费标准第1版：安徽省，2025年7月1日起执行；生病住院慰问上限1000元改为800元；说明：省总工会调整"]
    refused = trail.loc[trail["actor"] == "李主席"]
    assert refused["action"].tolist() == ["rules"] and not refused["ok"].any()
    # a version starting on or before the built-in set's own date takes its place
    store.rules.save(ADMIN_ACTOR, GUIZHOU, dt.date(2000, 1, 1))
    assert [v.number for v in store.rules.versions()] == [3, 1, 2]


def test_a_stored_finding_names_its_batch(url):
    from workbooks import workbook_bytes

    store = Store(url)
    head = ["日期", "事由", "对象", "人次", "金额", "单位"]
    store.import_bytes(workbook_bytes({"慰问": [head, ["2025-03-01", "住院", "王某", 1, 1200, "一中"],
                                                 ["2025-03-02", "住院", "李某", 1, 900, "一中"]]}), "一中.xlsx")
    batch = int(store.batches()["id"].iloc[-1])
    found = store.compliance(Period.of("year", 2025))
    assert [(f.batch, f.sheet, f.row, f.amount, f.source) for f in found.findings] == [(batch, "慰问", 2, 1200.0,
                                                                                       "一中.xlsx")]
    assert store.compliance(Period.of("year", 2025), units=["二中"]).findings == ()


def test_the_sample_breaks_a_rule_so_a_first_start_shows_findings(url):
    store = Store(url)
    store.ensure_sample()
    rows = store.dataset().tables["visits"]
    year = int(rows["date"].dt.year.max())
    mine = rows[rows["date"].dt.year == year]
    caps = {rule.categories[0]: rule.cap for rule in ANHUI.rules if rule.per == rules.PERSON_EVENT}
    caps |= {"结婚": 600, "生育": 600}
    per_head = mine["amount"] / mine["count"]
    expected = sorted(mine.loc[per_head > mine["reason"].map(caps).fillna(float("inf")), "row"].tolist())
    expected += mine.loc[(mine["reason"] == "节日慰问") & (per_head > 1500), "row"].tolist()  # (no 对象 there)
    found = store.compliance(Period.of("year", year))
    assert expected and sorted(f.row for f in found.findings) == sorted(expected)


def test_a_saved_version_keeps_who_when_and_why_and_words_its_change_against_the_one_in_force_on_its_start(url):
    store = Store(url)
    stamp = store.rules.stamp()
    first = store.rules.save(ADMIN_ACTOR, ANHUI.with_caps({"illness": 800}), dt.date(2025, 7, 1), "  省总\n调整 ")
    assert store.rules.stamp() != stamp
    earlier = store.rules.save(ADMIN_ACTOR, ANHUI.with_caps({"illness": 900}), dt.date(2025, 3, 1))
    assert (first.rules.rules, first.number, first.note) == (ANHUI.with_caps({"illness": 800}).rules, 1, "省总 调整")
    saved = store.rules.saved()
    assert [(v.number, v.saved_by, v.note, v.rules) for v in saved] == [
        (1, "张科长", "省总 调整", first.rules), (2, "张科长", "", earlier.rules)]
    assert all(v.saved_at is not None for v in saved)
    trail = store.audit_trail(ADMIN_ACTOR)
    assert trail.loc[trail["action"] == "rules", "detail"].iloc[0].endswith("生病住院慰问上限1000元改为900元")
    assert store.rules.current(dt.date(2025, 4, 1)).number == 2
    assert store.rules.current(dt.date(2025, 8, 1)).number == 1
    for start in (dt.date(1989, 12, 31), dt.date(2101, 1, 1)):
        with pytest.raises(RuleError, match="执行日期应在 1990 年到 2100 年之间"):
            store.rules.save(ADMIN_ACTOR, ANHUI, start)
    store.rules.save(ADMIN_ACTOR, ANHUI, dt.date(1990, 1, 1))
    store.rules.save(ADMIN_ACTOR, ANHUI, dt.date(2100, 12, 31))


def test_a_version_starting_on_the_built_in_sets_own_date_takes_its_place(url):
    store = Store(url)
    store.rules.save(ADMIN_ACTOR, GUIZHOU, ANHUI.date)
    assert [v.number for v in store.rules.versions()] == [1]


def test_activities_alone_are_checked_and_both_sheets_rows_are_counted():
    own = Version(loads(RULE_FILE), dt.date(2020, 1, 1))
    trips = events(("2025-04-01", "参观旅游", 10, 2010.0), ("2025-04-02", "文体活动", 10, 100.0))
    assert places(check({"events": trips}, [own])) == [("trip", 2, 201.0, 200.0)]
    both = check({"visits": visits(("2025-04-05", "丧事", "", 1, 10.0)), "events": trips}, [own])
    assert both.checked == 3


def test_findings_of_one_day_are_in_the_order_of_their_batches():
    rows = visits(("2025-03-02", "生病住院", "", 1, 1500.0), ("2025-03-02", "生病住院", "", 1, 1600.0))
    found = check({"visits": rows.assign(batch_id=[9, 4])}, [SINCE_2018])
    assert [(f.batch, f.row) for f in found.findings] == [(4, 3), (9, 2)]


def test_what_a_rule_file_leaves_out_is_empty_not_a_word():
    own = loads(RULE_FILE)
    assert (own.number, own.source) == ("", "")
    assert [rule.article for rule in own.rules] == ["", ""]
    assert loads(RULE_FILE.replace("cap = 200", "cap = 0.5")).rules[0].cap == 0.5  # half a 元 is still a cap
    assert own.cited == "《测试办法》（2020年1月1日）"


def test_a_rule_added_by_a_later_version_covers_only_its_own_categories_from_its_start():
    first = Version(loads(RULE_FILE.split("[[rules]]")[0] + "[[rules]]" + RULE_FILE.split("[[rules]]")[2]),
                    dt.date(2020, 1, 1))  # only 单笔慰问
    later = Version(loads(RULE_FILE), dt.date(2025, 6, 1), number=1)  # adds 春秋游
    trips = events(("2025-05-01", "参观旅游", 1, 500.0), ("2025-06-02", "参观旅游", 1, 500.0),
                   ("2025-06-03", "文体活动", 1, 500.0))
    assert places(check({"events": trips}, [first, later])) == [("trip", 3, 500.0, 200.0)]


def test_a_members_name_is_the_same_with_spaces_around_it_and_cents_do_not_add_up_to_a_finding():
    rows = visits(("2025-01-20", "节日慰问", "王某", 1, 500.1), ("2025-06-01", "节日慰问", " 王某 ", 1, 500.2),
                  ("2025-09-20", "节日慰问", "王某", 1, 499.7),  # 1500.0000000000002 in floating point: the cap
                  ("2025-10-01", "节日慰问", "王某", 1, 0.01))
    assert places(check({"visits": rows}, [SINCE_2018])) == [("festival", 5, 1500.01, 1500.0)]


def test_an_activity_with_no_one_and_nothing_spent_is_not_counted_as_unchecked():
    own = Version(loads(RULE_FILE), dt.date(2020, 1, 1))
    trips = events(("2025-04-01", "参观旅游", 0, 0.0), ("2025-04-02", "参观旅游", 0, 10.0),
                   ("2025-04-03", "参观旅游", 1, 300.0))
    trips["participants"] = pd.array([0, pd.NA, 1], dtype="Int64")  # (a nullable column, as a workbook gives)
    found = check({"events": trips}, [own])
    assert (places(found), found.unchecked) == ([("trip", 4, 300.0, 200.0)], 1)
