from unionstats.charts import builders as charts
from unionstats.exports import tables
from unionstats.kinds import builtin
from unionstats.ui import show
from unionstats.ui.page import set_up

view = set_up("经费支出")
if not show.no_period_notice(view):
    show.cards(view, [builtin.SPENDING, builtin.PER_MEMBER, builtin.PER_PARTICIPANT])
    show.chart_grid(view, charts.for_view(view.result, [charts.spending_by_category, charts.spending_over_time,
                                                        charts.spending_per_head]))
    labels = {"count": "活动次数", "participants": "参与人次", "spending": "支出（元）"}
    spending = tables.category_table(view.result.events.by_category, labels, "类别")
    show.table(tables.readable_money(spending), "各类活动经费")
