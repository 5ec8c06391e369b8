"""Directory: where a service helps people (its wards, the whole borough, or online / by phone only)

Revision ID: res_search_0001
Revises: oruk_0001
Create Date: 2026-11-30 07:05:00

"""

import sqlalchemy as sa
from alembic import op

revision = "res_search_0001"
down_revision = "journeys_0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.add_column(sa.Column("area_scope", sa.String(length=10), nullable=True))
        batch_op.create_index(batch_op.f("ix_service_area_scope"), ["area_scope"], unique=False)
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("placed", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index(batch_op.f("ix_organisation_placed"), ["placed"], unique=False)
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.alter_column("placed", server_default=None, existing_type=sa.Boolean())
    # Services already tagged with wards serve those wards.
    op.execute("UPDATE service SET area_scope = 'wards' WHERE id IN (SELECT service_id FROM service_area)")
    op.execute(
        "UPDATE organisation SET placed = true WHERE id IN (SELECT organisation_id FROM location "
        "WHERE NOT confidential AND lat IS NOT NULL) OR id IN (SELECT organisation_id FROM service WHERE area_scope IS NOT NULL)"
    )


def downgrade():
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_placed"))
        batch_op.drop_column("placed")
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_area_scope"))
        batch_op.drop_column("area_scope")
