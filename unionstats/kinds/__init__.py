"""Sheet kinds: one module per kind, each registered through the `unionstats.kinds` entry point group.

A kind's module holds its sheet, its typed figures and the function that computes them, its charts as
descriptions, its summary section, its cards and its slides. The engines find kinds through
`contract.kinds`, never by importing this package.

May import: contract, intake, store, figures, writing, charts.
"""
