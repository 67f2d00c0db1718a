"""The 工作总结's downloads are named after its title as the user left it: safe on Windows, never empty."""

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT
from unionstats.ui import signin
from unionstats.writing.filenames import MOST, safe_name, title_name

GENERATED = "江城市农业科学研究所工会2025年第三季度工作总结"


@pytest.mark.parametrize("title, name", [
    ("城东中学工会2025年工作总结", "城东中学工会2025年工作总结"),
    ('关于2025年上/下半年工会工作的"总结"', "关于2025年上下半年工会工作的总结"),
    ("工会\\工作:总结*?<>|", "工会工作总结"),
    ("  工会　工作总结\t. ", "工会 工作总结"),
    ("工作总结...", "工作总结"),
    ("工会\x00工作\x1f总结", "工会工作总结"),
    ("/:*?", ""),
])
def test_a_title_is_made_safe_for_a_file_name(title, name):
    assert safe_name(title) == name


def test_a_long_first_line_is_cut_to_a_usable_name():
    assert safe_name("工" * (MOST + 20)) == "工" * MOST


def test_the_edited_first_line_names_the_file():
    text = f"{GENERATED}\n\n正文。\n"
    assert title_name(text, GENERATED) == GENERATED
    retitled = "城东中学工会第三季度工作小结"
    assert title_name(text.replace(GENERATED, retitled), GENERATED) == retitled
    assert title_name("\n\n  新的标题  \n正文。", GENERATED) == "新的标题", "blank lines before it are skipped"


@pytest.mark.parametrize("text", ["", "\n \n", '/:*?"<>|\n正文。'])
def test_an_empty_or_unusable_title_falls_back_to_the_generated_one(text):
    assert title_name(text, GENERATED) == GENERATED


def test_the_summary_page_names_both_files_after_the_edited_title(tmp_path, monkeypatch, downloads):
    monkeypatch.setattr(signin, "client_address", lambda: "127.0.0.1")
    monkeypatch.setenv("UNIONSTATS_DB", f"sqlite:///{tmp_path / 'store.db'}")  # a new store holds the sample
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["year"], at.query_params["period"] = "2025", "Q3"
    at.switch_page("pages/6_工作总结.py")
    at.run()
    generated = at.text_area[0].value
    assert generated.splitlines()[0] == GENERATED and downloads == [f"{GENERATED}.docx", f"{GENERATED}.txt"]
    downloads.clear()
    at.text_area[0].input(generated.replace(GENERATED, "农科所工会三季度工作总结（送审稿）/定稿", 1)).run()
    assert downloads == ["农科所工会三季度工作总结（送审稿）定稿.docx", "农科所工会三季度工作总结（送审稿）定稿.txt"]


def test_a_name_loses_the_dots_and_spaces_windows_drops_also_where_it_is_cut():
    assert safe_name(" .2025年工作总结. ") == "2025年工作总结"
    assert safe_name("年" * (MOST - 1) + ". 后") == "年" * (MOST - 1)  # cut after the dot: the dot goes too


def test_with_no_title_left_the_file_is_called_gongzuo_zongjie():
    assert title_name("\n  \n", "/:*") == "工作总结"
