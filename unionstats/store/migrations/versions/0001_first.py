"""The schema as first released (unionstats 2026-11, its `meta` table at schema version 1). Frozen: never edit.

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "batches",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("row_counts", sa.JSON(), nullable=False),
        sa.Column("skipped_rows", sa.Integer(), nullable=False),
        sa.Column("imported_by", sa.String(length=100), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("replaced_by", sa.Integer(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("content_hash"),
    )
    op.create_index(op.f("ix_batches_state"), "batches", ["state"], unique=False)
    op.create_table(
        "meta",
        sa.Column("key", sa.String(length=50), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "batch_issues",
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("sheet", sa.String(length=100), nullable=False),
        sa.Column("row", sa.Integer(), nullable=True),
        sa.Column("column", sa.String(length=100), nullable=False),
        sa.Column("cell", sa.String(length=20), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["batches.id"],
        ),
    )
    op.create_index(op.f("ix_batch_issues_batch_id"), "batch_issues", ["batch_id"], unique=False)
    op.create_table(
        "batch_units",
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=False),
        sa.Column("first_date", sa.Date(), nullable=True),
        sa.Column("last_date", sa.Date(), nullable=True),
        sa.Column("members", sa.Integer(), nullable=True),
        sa.Column("period_text", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["batches.id"],
        ),
    )
    op.create_index(op.f("ix_batch_units_batch_id"), "batch_units", ["batch_id"], unique=False)
    op.create_index(op.f("ix_batch_units_unit"), "batch_units", ["unit"], unique=False)
    op.create_table(
        "competitions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("sheet", sa.String(length=100), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=True),
        sa.Column("event", sa.Text(), nullable=True),
        sa.Column("entry", sa.String(length=20), nullable=True),
        sa.Column("entrants", sa.BigInteger(), nullable=True),
        sa.Column("result", sa.String(length=20), nullable=True),
        sa.Column("awards", sa.BigInteger(), nullable=True),
        sa.Column("unit", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("award_name", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["batches.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_competitions_batch", "competitions", ["batch_id"], unique=False)
    op.create_index("ix_competitions_date", "competitions", ["date"], unique=False)
    op.create_table(
        "donations",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("sheet", sa.String(length=100), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("campaign", sa.Text(), nullable=False),
        sa.Column("cash", sa.BigInteger(), nullable=True),
        sa.Column("goods", sa.BigInteger(), nullable=True),
        sa.Column("goods_note", sa.Text(), nullable=True),
        sa.Column("donors", sa.BigInteger(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=True),
        sa.Column("unit", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["batches.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_donations_batch", "donations", ["batch_id"], unique=False)
    op.create_index("ix_donations_date", "donations", ["date"], unique=False)
    op.create_table(
        "events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("sheet", sa.String(length=100), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=True),
        sa.Column("participants", sa.BigInteger(), nullable=False),
        sa.Column("spending", sa.BigInteger(), nullable=True),
        sa.Column("unit", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["batches.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_events_batch", "events", ["batch_id"], unique=False)
    op.create_index("ix_events_date", "events", ["date"], unique=False)
    op.create_table(
        "visits",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("sheet", sa.String(length=100), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("group", sa.String(length=20), nullable=True),
        sa.Column("person", sa.Text(), nullable=True),
        sa.Column("count", sa.BigInteger(), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=True),
        sa.Column("unit", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["batches.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_visits_batch", "visits", ["batch_id"], unique=False)
    op.create_index("ix_visits_date", "visits", ["date"], unique=False)
    op.bulk_insert(sa.table("meta", sa.column("key"), sa.column("value")), [{"key": "schema_version", "value": "1"}])


def downgrade() -> None:
    op.drop_index("ix_visits_date", table_name="visits")
    op.drop_index("ix_visits_batch", table_name="visits")
    op.drop_table("visits")
    op.drop_index("ix_events_date", table_name="events")
    op.drop_index("ix_events_batch", table_name="events")
    op.drop_table("events")
    op.drop_index("ix_donations_date", table_name="donations")
    op.drop_index("ix_donations_batch", table_name="donations")
    op.drop_table("donations")
    op.drop_index("ix_competitions_date", table_name="competitions")
    op.drop_index("ix_competitions_batch", table_name="competitions")
    op.drop_table("competitions")
    op.drop_index(op.f("ix_batch_units_unit"), table_name="batch_units")
    op.drop_index(op.f("ix_batch_units_batch_id"), table_name="batch_units")
    op.drop_table("batch_units")
    op.drop_index(op.f("ix_batch_issues_batch_id"), table_name="batch_issues")
    op.drop_table("batch_issues")
    op.drop_table("meta")
    op.drop_index(op.f("ix_batches_state"), table_name="batches")
    op.drop_table("batches")
