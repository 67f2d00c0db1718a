"""The machine itself is called 本机 wherever a user reads who did something or from where: the batch list and the
audit trail of 数据管理, and the command line's `audit`, whichever way the server saw its loopback address."""

import datetime as dt

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from workbooks import workbook_bytes

from conftest import ROOT
from unionstats.cli import main as cli
from unionstats.store.access import operator
from unionstats.store.accounts import SignInRefused
from unionstats.store.batches import Store
from unionstats.ui import signin

DATA_MANAGEMENT = ROOT / "pages" / "7_数据管理.py"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LOOPBACK = ["127.0.0.1", "::1", "::ffff:127.0.0.1"]


@pytest.fixture
def store_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("UNIONSTATS_DB", url)
    return url


def open_page(monkeypatch, address: str) -> AppTest:
    monkeypatch.setattr(signin, "client_address", lambda: address)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.switch_page(f"pages/{DATA_MANAGEMENT.name}")
    return at.run()


def table_with(at: AppTest, *columns: str) -> pd.DataFrame:
    [found] = [d.value for d in at.dataframe if set(columns) <= set(d.value.columns)]
    return found


@pytest.mark.parametrize("address", LOOPBACK)
def test_an_import_on_the_server_itself_is_by_and_from_the_machine(store_url, monkeypatch, address):
    at = open_page(monkeypatch, address)
    data = workbook_bytes({"活动": [["日期", "活动名称", "类别", "参与人次", "支出"],
                                  [dt.date(2031, 4, 3), "春季健步走", "文体活动", 60, 1800],
                                  [dt.date(2031, 5, 9), "读书会", "文体活动", 25, 300]],
                           "单位信息": [["单位名称", "城南小学工会"]]})
    at.file_uploader(key="upload").set_value(("城南小学.xlsx", data, XLSX)).run()
    [button] = [b for b in at.button if b.label == "导入"]
    button.click().run()
    assert not at.exception
    with pytest.raises(SignInRefused):  # a try from another computer, recorded with its address
        Store(store_url).accounts.sign_in("张科长", "not the password", "10.0.0.7")

    at = open_page(monkeypatch, address)
    batches = table_with(at, "批次", "导入人")
    assert batches.loc[batches["文件"] == "城南小学.xlsx", "导入人"].tolist() == ["本机"]
    trail = table_with(at, "操作", "地址")
    imported = trail[trail["文件"] == "城南小学.xlsx"]
    assert imported[["用户", "操作", "地址"]].values.tolist() == [["本机", "导入", "本机"]]
    assert trail.loc[trail["操作"] == "登录失败", "地址"].tolist() == ["10.0.0.7"]
    assert not trail["地址"].isin(LOOPBACK).any()


def test_the_command_lines_audit_calls_a_loopback_address_the_machine(store_url, capsys):
    store = Store(store_url)
    for address in [*LOOPBACK, "10.0.0.7", ""]:
        with pytest.raises(SignInRefused):
            store.accounts.sign_in("张科长", "not the password", address)
    store.set_organisation(operator("root"), "江城市农业工会")  # done at the command line: no address at all
    assert cli.main(["audit", "--db", store_url]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split("  ")[8] == "地址"
    places = [line.split("  ")[8] for line in lines[1:]]
    assert places == ["本机", "本机", "10.0.0.7", "本机", "本机", "本机"]
