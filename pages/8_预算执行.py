from unionstats.ui.kind_page import show_page

show_page("预算执行")
