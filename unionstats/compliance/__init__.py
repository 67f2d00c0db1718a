"""经费合规: spending rules as data (rules.py, one TOML file per province in provinces/) and the check of rows
against the caps in force on each row's date (check.py).

It takes the model's frames and returns findings that name a row's place, never its 对象, so the store (which
keeps rule versions and hands its rows in), an import's check screen and the command line share one check.

May import: contract.
"""
