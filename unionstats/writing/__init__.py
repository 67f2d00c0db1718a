"""Writing: words from figures: the 工作总结, Chinese numbers and money, names, and the store's outcomes.

May import: contract, intake, compliance, store, figures.
"""
