"""Directory: where each address's position came from (postcode or an officer's manual pin)

Revision ID: directory_0003
Revises: directory_0002
Create Date: 2026-11-23 13:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "directory_0003"
down_revision = "directory_0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("location", schema=None) as batch_op:
        batch_op.add_column(sa.Column("position_source", sa.String(length=10), nullable=True))
    op.execute("UPDATE location SET position_source = 'postcode' WHERE lat IS NOT NULL")


def downgrade():
    with op.batch_alter_table("location", schema=None) as batch_op:
        batch_op.drop_column("position_source")
