"""The dashboard: the only part of unionstats that imports streamlit.

Owns the page frame, filters and their URL, showing cards, charts and tables, uploads and sign-in.

May import: contract, intake, compliance, store, figures, writing, charts, kinds, exports.
"""
