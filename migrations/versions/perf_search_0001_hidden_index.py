"""Directory search: a partial index of the organisations no public search shows (unpublished or inactive),
so a word search leaves them out from the index instead of reading the row of every match

Revision ID: perf_search_0001
Revises: perf_pages_0001
Create Date: 2026-11-30 09:50:00

"""

from alembic import op

revision = "perf_search_0001"
down_revision = "perf_pages_0001"
branch_labels = None
depends_on = None

# The expression app/directory/search.py HIDDEN compiles to on each database (or the index is not used).
WHERE = {
    "sqlite": "NOT (published IS 1 AND status != 'inactive')",
    "postgresql": "NOT (published IS true AND status <> 'inactive')",
}


def upgrade():
    where = WHERE.get(op.get_bind().dialect.name)
    if where:
        op.execute(f"CREATE INDEX ix_organisation_hidden ON organisation (id) WHERE {where}")
    else:
        op.create_index("ix_organisation_hidden", "organisation", ["id"])


def downgrade():
    op.drop_index("ix_organisation_hidden", table_name="organisation")
