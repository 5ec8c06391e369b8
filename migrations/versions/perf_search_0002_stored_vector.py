"""Directory search on PostgreSQL: the weighted search vector stored in a generated column (GIN-indexed), so
ranking reads it instead of running to_tsvector over three fields of every match

Revision ID: perf_search_0002
Revises: perf_search_0001
Create Date: 2026-11-30 10:00:00

"""

from alembic import op

revision = "perf_search_0002"
down_revision = "perf_search_0001"
branch_labels = None
depends_on = None

# The same weights as before (name A, services and categories B, all the text C); app/directory/search.py
# reads the column. SQLite keeps its FTS5 table.
VECTOR = (
    "(setweight(to_tsvector('english'::regconfig, search_name), 'A') || "
    "setweight(to_tsvector('english'::regconfig, search_keywords), 'B') || "
    "setweight(to_tsvector('english'::regconfig, search_text), 'C'))"
)


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"ALTER TABLE organisation ADD COLUMN search_vector tsvector GENERATED ALWAYS AS {VECTOR} STORED")
    op.execute("DROP INDEX IF EXISTS ix_organisation_search")
    op.execute("CREATE INDEX ix_organisation_search ON organisation USING gin (search_vector)")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_organisation_search")
    op.execute("ALTER TABLE organisation DROP COLUMN search_vector")
    op.execute(f"CREATE INDEX ix_organisation_search ON organisation USING gin ({VECTOR})")
