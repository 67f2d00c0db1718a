"""Charts: what a chart shows, described once, and the rules every drawing of it follows.

May import: contract, intake, store, figures, writing.
"""
