"""The library refuses what a role does not allow, whatever a page showed, and records the refusal."""

import pytest
import sqlalchemy as sa
from workbooks import workbook_bytes

from unionstats.store import access, database
from unionstats.store.access import ADMIN, REPORTER, VIEWER, Actor, Forbidden
from unionstats.store.batches import IMPORTED, Store

HEAD = ["日期", "活动名称", "类别", "参与人次", "单位"]


def book(*units: str, month: int = 4, people: int = 10) -> bytes:
    rows = [[f"2024-{month:02d}-0{i + 1}", f"活动{i}", "文体活动", people, unit] for i, unit in enumerate(units)]
    return workbook_bytes({"活动": [HEAD, *rows]})


@pytest.fixture
def store(url) -> Store:
    return Store(url)


SCHOOL = Actor("王老师", REPORTER, ("第一中学",), address="10.0.0.8")
VIEWER_ACTOR = Actor("李主席", VIEWER, address="10.0.0.9")
ADMIN_ACTOR = Actor("张科长", ADMIN, address="10.0.0.7")


def trail(store: Store) -> list[tuple]:
    rows = store.audit_trail(ADMIN_ACTOR)
    return list(zip(rows["actor"], rows["action"], rows["ok"]))[::-1]


def test_each_role_may_do_what_its_table_says():
    assert [a for a in sorted(access.ALLOWED[ADMIN]) if not SCHOOL.may(a)] == [
        "audit", "delete", "export", "export_full", "restore", "rules", "settings", "users"]
    assert not any(VIEWER_ACTOR.may(a) for a in access.ALLOWED[ADMIN])
    assert all(ADMIN_ACTOR.may(a) for a in access.DOING)


def test_a_reporter_imports_its_own_units_rows_and_nothing_else(store):
    result = store.import_bytes(book("第一中学", "第一中学"), "一中.xlsx", actor=SCHOOL)
    assert result.status == IMPORTED
    assert store.batches()["imported_by"].tolist() == ["王老师"]
    with pytest.raises(Forbidden, match="本单位（第一中学）.*其他单位：第二中学"):
        store.import_bytes(book("第一中学", "第二中学", month=5), "两校.xlsx", actor=SCHOOL)
    assert len(store.batches()) == 1


def test_a_reporter_replaces_only_its_own_units_rows_in_a_batch_of_several(store):
    store.import_bytes(book("第一中学", "第二中学"), "区汇总.xlsx", actor=ADMIN_ACTOR)
    result = store.import_bytes(book("第一中学", people=99), "一中更正.xlsx", replace=True, actor=SCHOOL)
    assert result.status == IMPORTED and result.replaced == [1]
    assert store.batches()["state"].tolist() == ["active", "active"]
    events = store.dataset().events
    assert dict(zip(events["unit"], events["participants"])) == {"第二中学": 10, "第一中学": 99}
    assert trail(store)[-1] == ("王老师", "replace", True)


def test_a_reporter_cannot_replace_rows_stored_under_a_file_name_it_does_not_own(store):
    store.import_bytes(book("一中更正"), "一中更正.xlsx", actor=ADMIN_ACTOR)
    with store.engine.begin() as connection:  # as a store from before units had to be named keeps it
        connection.execute(sa.update(database.batch_units).values(named=False))
    with pytest.raises(Forbidden, match="一中更正"):
        store.import_bytes(book("第一中学", people=99), "一中更正.xlsx", replace=True, actor=SCHOOL)
    assert store.batches()["state"].tolist() == ["active"]
    assert trail(store)[-1] == ("王老师", "replace", False)


def test_a_reporter_replaces_its_own_batch(store):
    store.import_bytes(book("第一中学"), "一中.xlsx", actor=SCHOOL)
    result = store.import_bytes(book("第一中学", people=12), "一中更正.xlsx", replace=True, actor=SCHOOL)
    assert result.status == IMPORTED and result.replaced == [1]
    assert int(store.dataset().events["participants"].sum()) == 12


@pytest.mark.parametrize("actor", [SCHOOL, VIEWER_ACTOR], ids=["reporter", "viewer"])
def test_only_an_admin_deletes_restores_exports_and_reads_the_trail(store, actor):
    store.import_bytes(book("第一中学"), "一中.xlsx", actor=ADMIN_ACTOR)
    for attempt in (lambda: store.delete(1, actor=actor), lambda: store.restore(1, actor=actor),
                    lambda: store.exported(actor, full=False), lambda: store.exported(actor, full=True),
                    lambda: store.audit_trail(actor)):
        with pytest.raises(Forbidden, match=f"“{actor.role}”"):
            attempt()
    assert store.batches()["state"].tolist() == ["active"]


def test_a_viewer_cannot_import(store):
    with pytest.raises(Forbidden, match="“查看”，不能导入数据"):
        store.import_bytes(book("第一中学"), "一中.xlsx", actor=VIEWER_ACTOR)
    assert store.is_empty()


def test_a_reporter_without_units_is_told_to_ask_for_them(store):
    with pytest.raises(Forbidden, match="还没有指定所属单位"):
        store.import_bytes(book("第一中学"), "一中.xlsx", actor=Actor("新人", REPORTER))


def test_every_change_and_every_refusal_is_in_the_trail(store):
    store.import_bytes(book("第一中学"), "一中.xlsx", actor=SCHOOL)
    store.import_bytes(book("第一中学", people=12), "一中（更正）.xlsx", replace=True, actor=SCHOOL)
    with pytest.raises(Forbidden):
        store.delete(2, actor=SCHOOL)
    store.delete(2, actor=ADMIN_ACTOR)
    store.restore(1, actor=ADMIN_ACTOR)
    store.exported(ADMIN_ACTOR, full=False, file_name="导出.xlsx")
    assert trail(store) == [("王老师", "import", True), ("王老师", "replace", True), ("王老师", "delete", False),
                            ("张科长", "delete", True), ("张科长", "restore", True), ("张科长", "export", True)]
    rows = store.audit_trail(ADMIN_ACTOR)
    first = rows.iloc[-1]
    assert (first["batch_id"], first["file_name"], first["units"], first["address"]) == (
        1, "一中.xlsx", "第一中学", "10.0.0.8")
    assert rows["at"].is_monotonic_decreasing
    replaced = rows[rows["action"] == "replace"].iloc[0]
    assert (replaced["batch_id"], replaced["file_name"], replaced["units"]) == (2, "一中（更正）.xlsx", "第一中学")
    assert store.audit_trail(ADMIN_ACTOR, user="王老师")["action"].tolist() == ["delete", "replace", "import"]
    assert rows[rows["actor"] == "张科长"]["batch_id"].fillna(0).tolist() == [0, 1, 2]


@pytest.mark.parametrize("address, role", [("127.0.0.1", ADMIN), ("::1", ADMIN), ("::ffff:127.0.0.1", ADMIN),
                                           ("::ffff:10.1.2.3", VIEWER), ("10.1.2.3", VIEWER), ("", VIEWER),
                                           ("not an address", VIEWER)],
                         ids=["v4", "v6", "v4-mapped", "lan-mapped", "lan", "none", "junk"])
def test_standalone_mode_lets_only_the_machine_itself_change_the_store(store, address, role):
    actor = access.standalone(address)
    assert actor.role == role
    if role == VIEWER:
        with pytest.raises(Forbidden, match="单机模式下只有在本机"):
            store.import_bytes(book("第一中学"), "一中.xlsx", actor=actor)
    else:
        assert store.import_bytes(book("第一中学"), "一中.xlsx", actor=actor).status == IMPORTED


@pytest.mark.parametrize("peer, headers, seen", [
    (None, {}, "127.0.0.1"), ("10.0.0.5", {}, "10.0.0.5"), ("10.0.0.5", {"X-Forwarded-For": "127.0.0.1"}, "10.0.0.5"),
    (None, {"X-Forwarded-For": "10.0.0.9"}, "10.0.0.9"),
    (None, {"X-Forwarded-For": "127.0.0.1, 10.0.0.9"}, "10.0.0.9"),
    (None, {"X-Forwarded-For": "127.0.0.1", "X-Real-IP": "10.1.2.3"}, "10.1.2.3"),
    (None, {"x-forwarded-for": "10.1.2.3,"}, "10.1.2.3"),
    (None, {"Forwarded": "for=10.1.2.3"}, "10.1.2.3"),
    (None, {"Forwarded": 'for="[2001:db8::7]:4711";proto=https, for=127.0.0.1'}, "2001:db8::7"),
    (None, {"X-Forwarded-For": " "}, "经代理（地址未知）"),
    (None, {"X-Forwarded-For": "127.0.0.1", "X-Real-IP": "::1"}, "经代理（地址未知）"),
    ("", {"X-Forwarded-For": "not-an-address,"}, "经代理（地址未知）"),
    ("127.0.0.2", {}, "127.0.0.2"),
    (None, {"CF-Connecting-IP": "127.0.0.1"}, "经代理（地址未知）"),
], ids=["this-machine", "lan", "lan-claims-this-machine", "proxied", "proxied-spoofed", "real-ip-beside-loopback",
        "empty-last-entry", "forwarded-only", "forwarded-ipv6-port", "blank-header", "all-loopback-through-proxy",
        "garbled", "other-loopback", "other-header"])
def test_any_forwarding_header_means_a_proxy_and_never_this_machine(peer, headers, seen):
    address = access.seen_address(peer, headers)
    assert address == seen
    assert access.standalone(address).role == (ADMIN if not headers and not peer else VIEWER)


def test_standalone_actors_are_named_and_keep_their_address():
    assert access.standalone("127.0.0.1") == Actor("本机", ADMIN, address="127.0.0.1", how=access.STANDALONE)
    assert access.standalone("10.1.2.3") == Actor("访客", VIEWER, address="10.1.2.3", how=access.STANDALONE)
    assert access.standalone(None).address == ""
    assert access.is_this_machine("fe80::1%eth0") is False and access.is_this_machine("::1%lo") is True
    assert access.is_this_machine(None) is False and access.is_this_machine("127.0.0.2") is False


def test_an_unknown_role_may_do_nothing():
    assert not any(Actor("x", "超级").may(action) for action in access.DOING)


def test_refusals_say_exactly_why():
    assert access.refusal(access.standalone("10.0.0.1"), access.DELETE) == (
        "单机模式下只有在本机打开的页面可以删除批次；其他电脑只能查看。如需在其他电脑上操作，请让管理员创建账号后登录")
    assert access.refusal(Actor("新人", REPORTER), access.IMPORT) == (
        "您的账号还没有指定所属单位，不能导入或替换数据。请联系管理员为账号指定单位")
    school = Actor("王", REPORTER, ("一中", "二中"))
    five, six = [f"校{i}" for i in range(5)], [f"校{i}" for i in range(6)]
    assert access.refusal(school, access.IMPORT, ["一中", *five]) == (
        "您只能导入和替换本单位（一中、二中）的数据，其中含有其他单位：校0、校1、校2、校3、校4。"
        "请只填报本单位的数据，或请管理员操作")
    assert access.refusal(school, access.IMPORT, six).endswith("校4等。请只填报本单位的数据，或请管理员操作")
    assert access.refusal(school, access.IMPORT, ["二中"]) == ""


def test_only_an_admin_names_the_organisation_and_it_is_recorded(store):
    for actor in (SCHOOL, VIEWER_ACTOR):
        with pytest.raises(Forbidden):
            store.set_organisation(actor, "某区教育工会")
    assert store.organisation() == ""
    assert store.set_organisation(ADMIN_ACTOR, " 某区\x01教育工会 ") == "某区教育工会"
    assert store.organisation() == "某区教育工会"
    store.set_organisation(ADMIN_ACTOR, "")
    assert store.organisation() == ""
    rows = store.audit_trail(ADMIN_ACTOR, action="settings")
    assert list(zip(rows["actor"], rows["ok"], rows["detail"]))[::-1] == [
        ("王老师", False, "被拒绝：" + access.refusal(SCHOOL, access.SETTINGS)),
        ("李主席", False, "被拒绝：" + access.refusal(VIEWER_ACTOR, access.SETTINGS)),
        ("张科长", True, "单位名称改为“某区教育工会”"), ("张科长", True, "清除单位名称")]
