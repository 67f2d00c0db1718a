"""`python -m unionstats`: one module per group of commands, in Chinese.

May import: every layer but ui.
"""
