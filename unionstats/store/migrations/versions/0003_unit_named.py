"""Whether a batch's unit name came from the workbook or stands in from the file name (issue 12). Frozen once
released: never edit.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("batch_units") as batch:
        batch.add_column(sa.Column("named", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("batch_units") as batch:
        batch.drop_column("named")
