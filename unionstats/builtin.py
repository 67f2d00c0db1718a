"""The contract's four sheet kinds: 活动, 慰问, 捐款 and 比赛, registered with their figures, charts,
cards and summary sections."""

from __future__ import annotations

from . import charts, schema, stats
from .kinds import Card, Kind, register
from .summary import Writer

EVENTS = Card("活动次数", ("events", "count"), "次")
PARTICIPANTS = Card("参与人次", ("events", "participants"), "人次")
RATE = Card("平均参与率", ("events", "participation_rate"), rate=True)
SPENDING = Card("活动经费支出", ("events", "spending"), money=True)
PER_MEMBER = Card("人均（按会员）", ("events", "spending_per_member"), money=True)
PER_PARTICIPANT = Card("每人次", ("events", "spending_per_participant"), money=True)
VISITS = Card("慰问人次", ("visits", "count"), "人次")
VISIT_AMOUNT = Card("慰问金额", ("visits", "amount"), money=True)
DONATIONS = Card("捐款捐物次数", ("donations", "count"), "次")
CASH = Card("捐款金额", ("donations", "cash"), money=True)
GOODS = Card("捐赠物资", ("donations", "goods"), "件")
RESULTS = Card("比赛成绩", ("competitions", "count"), "项")
CONTESTS = Card("参加比赛", ("competitions", "names"), "项")
AWARDS = Card("获得奖项", ("competitions", "awards"), "个")

register(Kind(
    schema.EVENTS, stats.event_figures,
    (charts.participation_by_category, charts.participation_over_time, charts.participation_rate_by_unit,
     charts.spending_by_category, charts.spending_over_time, charts.spending_per_head, charts.unit_comparison),
    (EVENTS, PARTICIPANTS, RATE, SPENDING, PER_MEMBER, PER_PARTICIPANT), Writer.activities))
register(Kind(
    schema.VISITS, lambda rows, members: stats.visit_figures(rows),
    (charts.visits_by_reason, charts.visits_by_group), (VISITS, VISIT_AMOUNT), Writer.caring))
register(Kind(
    schema.DONATIONS, lambda rows, members: stats.donation_figures(rows),
    (charts.donations_by_campaign,), (DONATIONS, CASH, GOODS), Writer.donations))
register(Kind(
    schema.COMPETITIONS, lambda rows, members: stats.competition_figures(rows),
    (charts.awards_by_level, charts.awards_by_result), (RESULTS, CONTESTS, AWARDS), Writer.competitions))
