"""Sheet kinds: one module per kind, or one package where a kind outgrows a module (`events`). unionstats' entry
point in the `unionstats.kinds` group names this package, so each module or package here that defines a `KIND` is
registered, as a union's own package registers its kinds.

A kind's module (or package) holds its sheet, its typed figures and the function that computes them, its charts as
descriptions, its summary section, its cards and its slides. The engines find kinds through
`contract.registry`, never by importing this package.

May import: contract, intake, store, figures, writing, charts.
"""
