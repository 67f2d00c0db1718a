"""The contract's four sheet kinds: 活动, 慰问, 捐款 and 比赛, registered with their figures, charts,
cards and summary sections."""

from __future__ import annotations

from unionstats.charts import builders as charts
from unionstats.contract import schema
from unionstats.contract.registry import Card
from unionstats.figures import engine as stats
from unionstats.kinds.kind import Kind
from unionstats.writing.summary import Writer

EVENTS = Card("活动次数", lambda f: f.events.count, "次", help="活动表的行数：每行一次活动")
PARTICIPANTS = Card("参与人次", lambda f: f.events.participants, "人次",
                    help="各次活动“参与人次”之和；同一职工参加几次活动按几人次计")
RATE = Card("平均参与率", lambda f: f.events.participation_rate, rate=True,
            help="参与人次 ÷（活动次数 × 会员人数），只计填写了会员人数（单位信息或单位名录）的单位")
SPENDING = Card("活动经费支出", lambda f: f.events.spending, money=True, help="各次活动“支出”之和")
PER_MEMBER = Card("人均（按会员）", lambda f: f.events.spending_per_member, money=True,
                  help="填写了会员人数的单位的活动经费支出 ÷ 这些单位的会员人数之和")
PER_PARTICIPANT = Card("每人次", lambda f: f.events.spending_per_participant, money=True,
                       help="活动经费支出 ÷ 参与人次")
VISITS = Card("慰问人次", lambda f: f.visits.count, "人次", help="慰问表“人次”之和；一行可记多人次")
VISIT_AMOUNT = Card("慰问金额", lambda f: f.visits.amount, money=True, help="慰问表“金额”之和（慰问金及慰问品）")
DONATIONS = Card("捐款捐物次数", lambda f: f.donations.count, "次", help="捐款表的行数：每行一次捐款或捐物")
CASH = Card("捐款金额", lambda f: f.donations.cash, money=True, help="捐款表“捐款金额”之和")
GOODS = Card("捐赠物资", lambda f: f.donations.goods, "件", help="捐款表“物资件数”之和")
RESULTS = Card("比赛成绩", lambda f: f.competitions.count, "项",
               help="比赛表的行数：每行一项成绩，只参赛未获奖的也计在内")
CONTESTS = Card("参加比赛", lambda f: f.competitions.names, "项", help="比赛表中不同“赛事名称”的个数")
AWARDS = Card("获得奖项", lambda f: f.competitions.awards, "个",
              help="名次不是“参与”的各行“获奖数”之和（未填获奖数的按1个计）")

EVENTS_KIND = Kind(
    schema.EVENTS, stats.event_figures, 10,
    (charts.participation_by_category, charts.participation_over_time, charts.participation_rate_by_unit,
     charts.spending_by_category, charts.spending_over_time, charts.spending_per_head, charts.unit_comparison),
    (EVENTS, PARTICIPANTS, RATE, SPENDING, PER_MEMBER, PER_PARTICIPANT), Writer.activities, migrated=True)
VISITS_KIND = Kind(
    schema.VISITS, lambda rows, members: stats.visit_figures(rows), 20,
    (charts.visits_by_reason, charts.visits_by_group), (VISITS, VISIT_AMOUNT), Writer.caring, migrated=True)
DONATIONS_KIND = Kind(
    schema.DONATIONS, lambda rows, members: stats.donation_figures(rows), 30,
    (charts.donations_by_campaign,), (DONATIONS, CASH, GOODS), Writer.donations, migrated=True)
COMPETITIONS_KIND = Kind(
    schema.COMPETITIONS, lambda rows, members: stats.competition_figures(rows), 40,
    (charts.awards_by_level, charts.awards_by_result), (RESULTS, CONTESTS, AWARDS), Writer.competitions, migrated=True)
