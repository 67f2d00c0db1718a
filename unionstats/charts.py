"""Figures for the dashboard, built from `stats.figures` (plotly only, no streamlit).

Every chart names its period and unit in the title, keeps one colour per
category on every page, says 人次 or 元 on its axis and in its hover, and
when there is nothing to draw shows a short sentence instead of empty axes.
"""

from __future__ import annotations

import html

import plotly.graph_objects as go

from . import schema
from .chinese import number, yuan
from .figures import Figures

FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
PALETTE = ("#C0392B", "#2E86C1", "#28B463", "#D68910", "#8E44AD", "#17A589", "#7F8C8D", "#E84393", "#34495E",
           "#B7950B")
COLOURS = {
    **dict(zip(schema.EVENT_CATEGORIES, PALETTE)),
    **dict(zip(schema.VISIT_REASONS, PALETTE)),
    **dict(zip(schema.VISIT_GROUPS + (schema.UNSPECIFIED,), PALETTE[3:])),
    **dict(zip(reversed(schema.LEVELS), PALETTE)),
    schema.UNSPECIFIED: "#95A5A6",
}
CASH, GOODS, LINE = "#C0392B", "#2E86C1", "#C0392B"


def safe(text: str) -> str:
    """Plotly renders a few HTML tags in labels; text from spreadsheets must show as typed."""
    return html.escape(str(text), quote=False)


def style(figure: go.Figure, title: str, large: bool = False) -> go.Figure:
    size = 22 if large else 15
    figure.update_layout(
        title={"text": safe(title), "x": 0.01, "font": {"size": size + 3}},
        font={"family": FONT, "size": size},
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        plot_bgcolor="white",
        legend={"orientation": "h", "y": -0.15},
        hoverlabel={"font": {"family": FONT}},
        height=520 if large else 400,
    )
    figure.update_xaxes(showgrid=False, automargin=True)
    figure.update_yaxes(gridcolor="#E5E5E5", automargin=True, rangemode="tozero")
    return figure


def empty(title: str, message: str, large: bool = False) -> go.Figure:
    figure = go.Figure()
    figure.add_annotation(text=message, showarrow=False, font={"size": 18, "color": "#7F8C8D"},
                          xref="paper", yref="paper", x=0.5, y=0.5)
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return style(figure, title, large)


def bars(title: str, labels: list[str], values: list[float], unit: str, large: bool = False,
         horizontal: bool = False) -> go.Figure:
    colours = [COLOURS.get(label, PALETTE[i % len(PALETTE)]) for i, label in enumerate(labels)]
    labels = [safe(label) for label in labels]
    text = [value_text(v, unit) for v in values]
    label_axis, value_axis = ("y", "x") if horizontal else ("x", "y")
    number = ":,.2f" if unit == "元" else ":,"
    trace = go.Bar(
        x=values if horizontal else labels, y=labels if horizontal else values, marker_color=colours,
        orientation="h" if horizontal else "v", text=text, textposition="outside", cliponaxis=False,
        hovertemplate=f"%{{{label_axis}}}：%{{{value_axis}{number}}} {unit}<extra></extra>",
    )
    figure = go.Figure(trace)
    axis = {"title": {"text": unit}}
    if horizontal:
        figure.update_xaxes(**axis)
        figure.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=labels)
    else:
        figure.update_yaxes(**axis)
        figure.update_xaxes(categoryorder="array", categoryarray=labels)
    return style(figure, title, large)


def value_text(value: float, unit: str) -> str:
    """A bar's or point's label: money by the one rule of `chinese.yuan`, other numbers as they are."""
    return yuan(value) if unit == "元" else f"{number(value)}{'%' if unit == '%' else ''}"


def heading(result: Figures, what: str, scope: str) -> str:
    period = result.period.label if result.period else ""
    return f"{scope} {period}{what}".strip()


def participation_by_category(result: Figures, scope: str, large: bool = False) -> go.Figure:
    title = heading(result, "各类活动参与人次", scope)
    by = result.events.by_category
    if not by:
        return empty(title, "本期没有活动记录", large)
    return bars(title, list(by), [v.participants for v in by.values()], "人次", large)


def over_time(result: Figures, sheet: str, key: str, what: str, unit: str, scope: str,
              large: bool = False) -> go.Figure:
    title = heading(result, what, scope)
    by = result.sheet(sheet).by_month
    if not by:
        return empty(title, "本期没有记录", large)
    labels = [f"{k[:4]}年{int(k[5:])}月" for k in by]
    values = [getattr(v, key) for v in by.values()]
    figure = go.Figure(go.Scatter(
        x=labels, y=values, mode="lines+markers+text", line={"color": LINE, "width": 3},
        text=[value_text(v, unit) for v in values], textposition="top center",
        hovertemplate=f"%{{x}}：%{{y:,}} {unit}<extra></extra>"))
    figure.update_yaxes(title={"text": unit})
    return style(figure, title, large)


def participation_over_time(result: Figures, scope: str, large: bool = False) -> go.Figure:
    return over_time(result, "events", "participants", "各月参与人次", "人次", scope, large)


def spending_over_time(result: Figures, scope: str, large: bool = False) -> go.Figure:
    return over_time(result, "events", "spending", "各月活动经费支出", "元", scope, large)


def participation_rate_by_unit(result: Figures, scope: str, large: bool = False) -> go.Figure:
    title = heading(result, "各单位平均参与率", scope)
    rates = {u: v.participation_rate for u, v in result.events.by_unit.items()
             if v.participation_rate is not None}
    if not rates:
        return empty(title, "未填写会员人数，无法计算参与率（请在「单位信息」表填写会员人数）", large)
    return bars(title, list(rates), [round(r * 100, 1) for r in rates.values()], "%", large,
                horizontal=len(rates) > 4)


def spending_by_category(result: Figures, scope: str, large: bool = False) -> go.Figure:
    title = heading(result, "各类活动经费支出", scope)
    by = {k: v for k, v in result.events.by_category.items() if v.spending}
    if not by:
        return empty(title, "本期没有经费支出记录", large)
    return bars(title, list(by), [v.spending for v in by.values()], "元", large)


def spending_per_head(result: Figures, scope: str, large: bool = False) -> go.Figure:
    title = heading(result, "各单位人均活动经费", scope)
    units = {u: v.spending / v.members for u, v in result.events.by_unit.items() if v.members}
    if not units:
        return empty(title, "未填写会员人数，无法计算人均经费", large)
    return bars(title, list(units), [round(v, 2) for v in units.values()], "元", large, horizontal=len(units) > 4)


def visits_by_reason(result: Figures, scope: str, large: bool = False) -> go.Figure:
    title = heading(result, "慰问人次（按事由）", scope)
    by = result.visits.by_reason
    if not by:
        return empty(title, "本期没有慰问记录", large)
    return bars(title, list(by), [v.people for v in by.values()], "人次", large)


def visits_by_group(result: Figures, scope: str, large: bool = False) -> go.Figure:
    title = heading(result, "慰问人次（按对象类别）", scope)
    by = result.visits.by_group
    if not by:
        return empty(title, "本期没有慰问记录", large)
    return bars(title, list(by), [v.people for v in by.values()], "人次", large)


def donations_by_campaign(result: Figures, scope: str, large: bool = False) -> go.Figure:
    title = heading(result, "各项目捐款与捐物", scope)
    by = result.donations.by_campaign
    if not by:
        return empty(title, "本期没有捐款捐物记录", large)
    names = [safe(name) for name in by]
    figure = go.Figure([
        go.Bar(name="捐款（元）", x=names, y=[v.cash for v in by.values()], marker_color=CASH,
               text=[yuan(v.cash) for v in by.values()], textposition="outside", cliponaxis=False,
               hovertemplate="%{x}：捐款 %{y:,.2f} 元<extra></extra>"),
        go.Bar(name="物资（件）", x=names, y=[v.goods for v in by.values()], marker_color=GOODS, yaxis="y2",
               text=[f"{v.goods}" for v in by.values()], textposition="outside", cliponaxis=False,
               hovertemplate="%{x}：物资 %{y:,} 件<extra></extra>"),
    ])
    figure.update_layout(barmode="group", yaxis={"title": {"text": "元"}},
                         yaxis2={"title": {"text": "件"}, "overlaying": "y", "side": "right", "showgrid": False,
                                 "rangemode": "tozero"})
    return style(figure, title, large)


def awards_by_level(result: Figures, scope: str, large: bool = False) -> go.Figure:
    title = heading(result, "获奖数（按级别）", scope)
    by = {k: v.awards for k, v in result.competitions.by_level.items() if v.awards}
    if not by:
        return empty(title, "本期没有获奖记录", large)
    return bars(title, list(by), list(by.values()), "个", large)


def awards_by_result(result: Figures, scope: str, large: bool = False) -> go.Figure:
    title = heading(result, "成绩分布（按名次/奖项）", scope)
    by = result.competitions.by_result
    if not by:
        return empty(title, "本期没有比赛记录", large)
    return bars(title, list(by), list(by.values()), "个", large)


def unit_comparison(result: Figures, scope: str, large: bool = False) -> go.Figure:
    title = heading(result, "各单位活动参与人次", scope)
    by = result.events.by_unit
    if len(by) < 2:
        return empty(title, "只有一个单位，无需比较", large)
    ranked = sorted(by.items(), key=lambda kv: -kv[1].participants)[:20]
    return bars(title, [u for u, _ in ranked], [v.participants for _, v in ranked], "人次", large, horizontal=True)
