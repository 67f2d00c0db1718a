"""Alembic's entry point: migrate the connection `database.migrate` hands over, or the configured store."""

from alembic import context

from unionstats.store import database

connection = context.config.attributes.get("connection")


def run(connection) -> None:
    # SQLite cannot alter a column in place: batch mode rebuilds the table (copy, drop, rename) instead.
    context.configure(connection=connection, target_metadata=database.metadata, render_as_batch=True,
                      include_object=database.include_in_migrations)
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    run(connection)
else:
    with database.make_engine(database.resolve_url()).begin() as connection:
        run(connection)
