"""The store's schema history as Alembic migrations, run when a store opens (`database.migrate`).

`versions/0001_first.py` is the schema as first released, frozen: it must not
change. A change to `database.py`'s tables needs a new script beside it
(`python -m alembic -c unionstats/store/migrations/alembic.ini revision --autogenerate -m "..."`
from the project root), and tests/test_database.py fails until there is one.
"""
