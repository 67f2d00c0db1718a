"""An index on each data table's unit and date: an import looks up the rows its units already have in its period
(replacing.parts), which without it reads the whole table, a second or more at a federation's million rows.
Frozen once released: never edit.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TABLES = ("events", "visits", "donations", "competitions", "budget")


def upgrade() -> None:
    for table in TABLES:
        op.create_index(f"ix_{table}_unit_date", table, ["unit", "date"], unique=False)


def downgrade() -> None:
    for table in TABLES:
        op.drop_index(f"ix_{table}_unit_date", table_name=table)
