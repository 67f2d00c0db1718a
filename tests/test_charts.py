import pytest

from conftest import ROOT
from unionstats import charts
from unionstats.loading import load_path
from unionstats.periods import parse_period
from unionstats.stats import figures

RESULT = figures(load_path(ROOT / "data" / "sample.xlsx"), parse_period("2025"))
EMPTY = figures(load_path(ROOT / "data" / "sample.xlsx"), parse_period("2019"))
BUILDERS = [charts.participation_by_category, charts.participation_over_time, charts.participation_rate_by_unit,
            charts.spending_by_category, charts.spending_over_time, charts.spending_per_head,
            charts.visits_by_reason, charts.visits_by_group, charts.donations_by_campaign, charts.awards_by_level,
            charts.awards_by_result]


@pytest.mark.parametrize("build", BUILDERS, ids=lambda b: b.__name__)
def test_titles_name_the_scope_and_period_and_fonts_are_cjk(build):
    figure = build(RESULT, "江城农科所工会")
    assert figure.layout.title.text.startswith("江城农科所工会 2025年")
    assert "Noto Sans CJK SC" in figure.layout.font.family
    assert figure.data, "a chart with data draws traces"


@pytest.mark.parametrize("build", BUILDERS, ids=lambda b: b.__name__)
def test_no_data_is_a_sentence_not_empty_axes(build):
    figure = build(EMPTY, "某工会")
    assert not figure.data
    [note] = figure.layout.annotations
    assert note.text and not figure.layout.xaxis.visible


def test_bars_carry_the_figures_and_their_unit():
    figure = charts.participation_by_category(RESULT, "工会")
    [bar] = figure.data
    by = RESULT["events"]["by_category"]
    assert list(bar.x) == list(by) and list(bar.y) == [v["participants"] for v in by.values()]
    assert figure.layout.yaxis.title.text == "人次" and "人次" in bar.hovertemplate
    money = charts.spending_by_category(RESULT, "工会")
    assert money.layout.yaxis.title.text == "元" and "元" in money.data[0].hovertemplate


def test_a_category_keeps_its_colour_on_every_chart():
    participation = charts.participation_by_category(RESULT, "工会").data[0]
    spending = charts.spending_by_category(RESULT, "工会").data[0]
    colour = dict(zip(participation.x, participation.marker.color))
    assert all(colour[c] == k for c, k in zip(spending.x, spending.marker.color))


def test_text_from_spreadsheets_is_shown_as_typed_not_as_html():
    result = {**RESULT, "donations": {**RESULT["donations"],
                                      "by_campaign": {"<b>粗体</b>": {"count": 1, "cash": 10.0, "goods": 0}}}}
    figure = charts.donations_by_campaign(result, "<i>单位</i>")
    assert list(figure.data[0].x) == ["&lt;b&gt;粗体&lt;/b&gt;"]
    assert "&lt;i&gt;" in figure.layout.title.text


def test_presenting_makes_everything_larger():
    normal, large = (charts.visits_by_reason(RESULT, "工会", flag) for flag in (False, True))
    assert large.layout.font.size > normal.layout.font.size and large.layout.height > normal.layout.height
