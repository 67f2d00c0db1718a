from unionstats.ui.compliance import show_compliance_page

show_compliance_page()
