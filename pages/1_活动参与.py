from unionstats.charts import builders as charts
from unionstats.exports import tables
from unionstats.kinds import builtin
from unionstats.ui import show
from unionstats.ui.page import set_up

view = set_up("活动参与")
if not show.no_period_notice(view):
    show.cards(view, [builtin.EVENTS, builtin.PARTICIPANTS, builtin.RATE])
    show.chart_grid(view, charts.for_view(view.result, [
        charts.participation_by_category, charts.participation_over_time, charts.participation_rate_by_unit,
        charts.unit_comparison]))
    show.table(tables.readable_money(tables.rows(view.dataset, "events", view.period, view.units)), "活动明细")
