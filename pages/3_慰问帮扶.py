from unionstats.charts import builders as charts
from unionstats.exports import tables
from unionstats.kinds import builtin
from unionstats.ui import show
from unionstats.ui.page import set_up

view = set_up("慰问帮扶")
if not show.no_period_notice(view):
    show.cards(view, [builtin.VISITS, builtin.VISIT_AMOUNT])
    show.chart_grid(view, [charts.visits_by_reason, charts.visits_by_group])
    show.table(tables.readable_money(tables.visit_reasons(view.result)), "按事由统计（不显示慰问对象姓名）")
