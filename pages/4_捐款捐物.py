from unionstats.charts import builders as charts
from unionstats.exports import tables
from unionstats.kinds import builtin
from unionstats.ui import show
from unionstats.ui.page import set_up

view = set_up("捐款捐物")
if not show.no_period_notice(view):
    show.cards(view, [builtin.DONATIONS, builtin.CASH,
                      builtin.GOODS])
    show.chart_grid(view, [charts.donations_by_campaign], columns=1)
    labels = {"count": "次数", "cash": "捐款（元）", "goods": "物资（件）"}
    campaigns = tables.category_table(view.result.donations.by_campaign, labels, "项目")
    show.table(tables.readable_money(campaigns), "各项目捐款捐物")
