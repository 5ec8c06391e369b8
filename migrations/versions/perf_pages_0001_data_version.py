"""Public data versions: each scope of public data (directory, places, assets, covenant, ctn) has a version that
every write moves on, so cached figures, lists and map points are keyed on it and never show a stale listing

Revision ID: perf_pages_0001
Revises: editor_0001
Create Date: 2026-11-30 09:50:00

"""

import random

import sqlalchemy as sa
from alembic import op

revision = "perf_pages_0001"
down_revision = "editor_0001"
branch_labels = None
depends_on = None

SCOPES = ("assets", "covenant", "ctn", "directory", "places")


def upgrade():
    table = op.create_table(
        "data_version",
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_data_version")),
    )
    op.bulk_insert(table, [{"scope": scope, "version": random.randrange(1, 2**53)} for scope in SCOPES])


def downgrade():
    op.drop_table("data_version")
