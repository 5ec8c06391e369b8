"""Directory search: ranked by field (name, then services and categories, then all the text), a vocabulary
of synonyms officers keep, and an index of the directory's words for spelling suggestions

Revision ID: res_search_0002
Revises: res_search_0001
Create Date: 2026-11-30 07:10:00

"""

import re
from collections import Counter

import sqlalchemy as sa
from alembic import op

revision = "res_search_0002"
down_revision = "res_search_0001"
branch_labels = None
depends_on = None

COLUMNS = "search_name, search_keywords, search_text"
SQLITE_FTS = [
    f"""CREATE VIRTUAL TABLE organisation_fts USING fts5(
        {COLUMNS}, content='organisation', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER organisation_fts_insert AFTER INSERT ON organisation BEGIN
        INSERT INTO organisation_fts(rowid, {COLUMNS}) VALUES (new.id, new.search_name, new.search_keywords, new.search_text); END""",
    f"""CREATE TRIGGER organisation_fts_delete AFTER DELETE ON organisation BEGIN
        INSERT INTO organisation_fts(organisation_fts, rowid, {COLUMNS})
        VALUES ('delete', old.id, old.search_name, old.search_keywords, old.search_text); END""",
    f"""CREATE TRIGGER organisation_fts_update AFTER UPDATE OF {COLUMNS} ON organisation BEGIN
        INSERT INTO organisation_fts(organisation_fts, rowid, {COLUMNS})
        VALUES ('delete', old.id, old.search_name, old.search_keywords, old.search_text);
        INSERT INTO organisation_fts(rowid, {COLUMNS}) VALUES (new.id, new.search_name, new.search_keywords, new.search_text); END""",
    "INSERT INTO organisation_fts(organisation_fts) VALUES ('rebuild')",
]
# The expression app/directory/search.py queried when this revision was written (an expression index must match
# the query's expression). Since perf_search_0002 the same expression is a stored generated column,
# organisation.search_vector, with its own GIN index, and search.py reads that column instead.
POSTGRES_VECTOR = (
    "(setweight(to_tsvector('english'::regconfig, search_name), 'A') || "
    "setweight(to_tsvector('english'::regconfig, search_keywords), 'B') || "
    "setweight(to_tsvector('english'::regconfig, search_text), 'C'))"
)
WORD_RE = re.compile(r"[^\W\d_]{3,60}")


def _drop_old_index(dialect):
    if dialect == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS organisation_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS organisation_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_organisation_search")


def upgrade():
    dialect = op.get_bind().dialect.name
    op.create_table(
        "search_synonym",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.Column("related", sa.Text(), nullable=False),
        sa.Column("note", sa.String(length=255), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user_account.id"],
            name=op.f("fk_search_synonym_updated_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_synonym")),
    )
    op.create_table(
        "search_word",
        sa.Column("word", sa.String(length=60), nullable=False),
        sa.Column("documents", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("word", name=op.f("pk_search_word")),
    )
    _drop_old_index(dialect)
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_name", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("search_keywords", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.alter_column("search_name", server_default=None, existing_type=sa.Text())
        batch_op.alter_column("search_keywords", server_default=None, existing_type=sa.Text())

    bind = op.get_bind()
    # The new fields for listings already there: the name, and the services' names and terms.
    keywords = {}
    for org_id, name in bind.execute(sa.text("SELECT organisation_id, name FROM service")):
        keywords.setdefault(org_id, []).append(name)
    for org_id, name in bind.execute(
        sa.text(
            "SELECT s.organisation_id, t.name FROM service s JOIN service_taxonomy_term st ON st.service_id = s.id "
            "JOIN taxonomy_term t ON t.id = st.taxonomy_term_id"
        )
    ):
        keywords.setdefault(org_id, []).append(name)
    counts = Counter()
    for org_id, name, text, published in bind.execute(
        sa.text("SELECT id, name, search_text, published FROM organisation")
    ):
        bind.execute(
            sa.text("UPDATE organisation SET search_name = :name, search_keywords = :keywords WHERE id = :id"),
            {"name": name, "keywords": " ".join(keywords.get(org_id, [])), "id": org_id},
        )
        counts.update({w.lower() for w in WORD_RE.findall(text or "")})
    if counts:
        bind.execute(
            sa.text("INSERT INTO search_word (word, documents) VALUES (:word, :documents)"),
            [{"word": w, "documents": n} for w, n in counts.items()],
        )

    if dialect == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
    elif dialect == "postgresql":
        op.execute(f"CREATE INDEX ix_organisation_search ON organisation USING gin ({POSTGRES_VECTOR})")


def downgrade():
    dialect = op.get_bind().dialect.name
    _drop_old_index(dialect)
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_column("search_keywords")
        batch_op.drop_column("search_name")
    op.drop_table("search_word")
    op.drop_table("search_synonym")
    if dialect == "sqlite":
        for statement in (
            """CREATE VIRTUAL TABLE organisation_fts USING fts5(
            search_text, content='organisation', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')""",
            """CREATE TRIGGER organisation_fts_insert AFTER INSERT ON organisation BEGIN
            INSERT INTO organisation_fts(rowid, search_text) VALUES (new.id, new.search_text); END""",
            """CREATE TRIGGER organisation_fts_delete AFTER DELETE ON organisation BEGIN
            INSERT INTO organisation_fts(organisation_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END""",
            """CREATE TRIGGER organisation_fts_update AFTER UPDATE OF search_text ON organisation BEGIN
            INSERT INTO organisation_fts(organisation_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
            INSERT INTO organisation_fts(rowid, search_text) VALUES (new.id, new.search_text); END""",
            "INSERT INTO organisation_fts(organisation_fts) VALUES ('rebuild')",
        ):
            op.execute(statement)
    elif dialect == "postgresql":
        op.execute(
            "CREATE INDEX ix_organisation_search ON organisation USING gin (to_tsvector('english', search_text))"
        )
