"""Directory search: covering indexes for the lists of organisations a search tests ids against (serving an
area, with a public address in a ward, near a point), so they are read from the index without the rows

Revision ID: perf_search_0003
Revises: perf_search_0002
Create Date: 2026-11-30 10:30:00

"""

from alembic import op

revision = "perf_search_0003"
down_revision = "perf_search_0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_service_scope_organisation", "service", ["area_scope", "organisation_id"])
    op.create_index("ix_location_ward_organisation", "location", ["ward_code", "confidential", "organisation_id"])
    op.create_index("ix_location_position", "location", ["lat", "lon", "confidential", "organisation_id"])


def downgrade():
    op.drop_index("ix_location_position", table_name="location")
    op.drop_index("ix_location_ward_organisation", table_name="location")
    op.drop_index("ix_service_scope_organisation", table_name="service")
