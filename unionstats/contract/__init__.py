"""The contract: what a workbook holds and what every layer agrees on.

Owns the sheets and their columns (`schema`), reporting periods (`periods`) and the registry of sheet kinds
(`kinds`), which finds each kind through the `unionstats.kinds` entry point group.

May import: nothing of unionstats.
"""
