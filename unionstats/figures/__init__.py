"""Figures: one period's numbers, typed, computed from a Dataset by looping over the registered kinds.

Owns the figures engine and its pandas helpers, the 环比/同比 comparisons, KPI card values and changes, the
observations a leader should see, a period with no data, what a replacement will change, and the caches of
figures kept for every session.

May import: contract, intake, store.
"""
