"""Directory: where a service helps people (its wards, the whole borough, or online / by phone only)

Revision ID: res_search_0001
Revises: oruk_0001
Create Date: 2026-11-30 07:05:00

"""
import sqlalchemy as sa
from alembic import op

revision = "res_search_0001"
down_revision = "oruk_0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.add_column(sa.Column("area_scope", sa.String(length=10), nullable=True))
    # Services already tagged with wards serve those wards.
    op.execute("UPDATE service SET area_scope = 'wards' WHERE id IN (SELECT service_id FROM service_area)")


def downgrade():
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.drop_column("area_scope")
