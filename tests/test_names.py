"""Whose name a view carries, and a workbook that names no unit.

The store holds the sample (江城市农业科学研究所工会, 2024-2025) beside the seed workbooks of tests/seeds.py: a
research institute's 2008 (单位信息), a county bureau's 2013 second quarter (a 单位 column) and a school's 2004
that names no unit, its title row (A1 of the 活动 sheet) reading 三山学校工会2004年工作情况统计表. Every name
expected below is read from the cells the test wrote.
"""

from pathlib import Path

import docx
import pytest
from pptx import Presentation
from seeds import BUREAU, INSTITUTE, write_all
from streamlit.delta_generator import DeltaGenerator
from streamlit.testing.v1 import AppTest

from conftest import ROOT
from unionstats import cli
from unionstats.access import operator
from unionstats.ui import signin

SAMPLE = ROOT / "data" / "sample.xlsx"
MANAGE = "pages/7_数据管理.py"
SUMMARY = "pages/6_工作总结.py"

INSTITUTE_UNIT = dict(INSTITUTE["单位信息"])["单位名称"]  # 某研究所
BUREAU_UNIT = BUREAU["活动"][1][BUREAU["活动"][0].index("单位")]  # 某县水利局
SAMPLE_UNIT = "江城市农业科学研究所工会"  # the sample's 单位信息


def union(unit: str) -> str:
    """How a unit's name reads as its union's: 某研究所 is 某研究所工会."""
    return unit if unit.endswith("工会") else f"{unit}工会"


@pytest.fixture
def seeds(tmp_path) -> dict[str, Path]:
    return {path.name: path for path in write_all(tmp_path / "seeds")}


@pytest.fixture
def run(capsys):
    def run(*args):
        capsys.readouterr()
        code = cli.main([str(a) for a in args])
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return code, out, err

    return run


@pytest.fixture
def db(tmp_path, seeds, run) -> list[str]:
    """A store of several units: the sample, the institute's 2008 and the bureau's 2013 second quarter."""
    where = ["--db", f"sqlite:///{tmp_path / 'store.db'}"]
    for path in (SAMPLE, seeds["institute_2008.xlsx"], seeds["bureau_2013q2.xlsx"]):
        code, _, err = run("import", path, *where)
        assert code == 0, err
    return where


def slide_texts(slide) -> list[str]:
    return [s.text_frame.text for s in slide.shapes if s.has_text_frame and s.text_frame.text]


# A view whose rows all come from one unit carries that unit's union name; a view of several units the setting.

def test_a_view_of_one_units_rows_is_that_units_summary_deck_and_word_file(run, db, tmp_path):
    name = union(INSTITUTE_UNIT)
    code, out, err = run("summary", "--period", "2008", "--docx", tmp_path / "总结.docx", *db)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == f"{name}2008年工作总结"
    assert lines[2].startswith(f"2008年，{name}在上级工会")
    assert lines[-2] == name
    paragraphs = [p.text for p in docx.Document(tmp_path / "总结.docx").paragraphs if p.text.strip()]
    assert paragraphs[0] == f"{name}2008年工作总结" and paragraphs[-2] == name
    assert "工会" not in {p.strip() for p in paragraphs}

    code, _, err = run("deck", "--period", "2008", *db, tmp_path / "汇报.pptx")
    assert code == 0, err
    assert slide_texts(Presentation(tmp_path / "汇报.pptx").slides[0])[:2] == [name, "2008年工作汇报"]

    code, out, _ = run("summary", "--period", "2013Q2", *db)
    assert out.splitlines()[0] == f"{union(BUREAU_UNIT)}2013年第二季度工作总结"


def test_the_setting_names_views_of_several_units_and_never_a_view_of_one(run, db):
    code, out, _ = run("summary", *db)  # every row: three units
    assert out.splitlines()[0].startswith("工会2008年1月15日至")  # nothing names the three together
    assert run("summary", "--period", "2010", *db)[1].splitlines()[0] == "工会2010年工作总结"  # an empty year
    assert run("settings", "--unit-name", "江城市农业工会", *db)[0] == 0
    assert run("summary", *db)[1].splitlines()[0].startswith("江城市农业工会2008年1月15日至")
    assert run("summary", "--period", "2008", *db)[1].splitlines()[0] == f"{union(INSTITUTE_UNIT)}2008年工作总结"
    assert run("summary", "--period", "2025", *db)[1].splitlines()[0] == f"{union(SAMPLE_UNIT)}2025年工作总结"
    two = run("summary", "--unit", INSTITUTE_UNIT, "--unit", BUREAU_UNIT, *db)[1]
    assert two.splitlines()[0].startswith("江城市农业工会")  # two units chosen: the setting


# The dashboard: the summary page and the file names of the downloads.

@pytest.fixture
def downloads(monkeypatch) -> list[str]:
    """The file names of every download button drawn."""
    names = []
    real = DeltaGenerator.download_button

    def recording(self, label, data, file_name=None, *args, **kwargs):
        names.append(file_name)
        return real(self, label, data, file_name, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", recording)
    return names


@pytest.fixture
def page_store(tmp_path, monkeypatch, seeds):
    """The app's store: the sample (imported on the first visit), then the institute's and the bureau's files."""
    from unionstats.store import Store

    monkeypatch.setattr(signin, "client_address", lambda: "127.0.0.1")
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("UNIONSTATS_DB", url)
    page()
    store = Store(url)
    for name in ("institute_2008.xlsx", "bureau_2013q2.xlsx"):
        assert store.import_path(seeds[name]).status == "imported"
    return store


def page(path: str | None = None, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    if path is not None:
        at.switch_page(path)
    return at.run()


def test_the_dashboard_names_a_view_of_one_units_rows_after_that_union(page_store, downloads):
    name = union(INSTITUTE_UNIT)
    at = page(year="2008")
    assert not at.exception
    assert downloads[-2:] == [f"{name}2008年工作汇报.pptx", f"{name}2008年图表.zip"]
    at = page(SUMMARY, year="2008")
    text = at.text_area[0].value
    assert text.startswith(f"{name}2008年工作总结\n") and text.rstrip().splitlines()[-2] == name
    assert f"{name}2008年工作总结.docx" in downloads
    page_store.set_organisation(operator("测试"), "江城市农业工会")
    assert page(SUMMARY, year="2008").text_area[0].value.startswith(f"{name}2008年工作总结\n")
    assert page(SUMMARY, year="2025").text_area[0].value.startswith(f"{union(SAMPLE_UNIT)}2025年工作总结\n")
