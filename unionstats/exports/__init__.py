"""Exports: the files unionstats writes: the template, the workbook, the Word summary, the deck and pictures.

Each renders descriptions (sheets, the summary's document model, chart descriptions); none parses another's
output back.

May import: contract, intake, compliance, store, figures, writing, charts, kinds.
"""
