"""The only part of unionstats that imports streamlit: cached loaders, the store, page set-up."""
