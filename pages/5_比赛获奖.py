from unionstats.charts import builders as charts
from unionstats.exports import tables
from unionstats.kinds import builtin
from unionstats.ui import show
from unionstats.ui.page import set_up

view = set_up("比赛获奖")
if not show.no_period_notice(view):
    show.cards(view, [builtin.RESULTS, builtin.CONTESTS, builtin.AWARDS])
    show.chart_grid(view, [charts.awards_by_level, charts.awards_by_result])
    show.table(tables.rows(view.dataset, "competitions", view.period, view.units), "比赛成绩明细")
