"""Directory: CSV imports of the legacy directory (progress, abort flag and report of each upload)

Revision ID: directory_0002
Revises: directory_0001
Create Date: 2026-11-23 12:43:43.366054

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "directory_0002"
down_revision = "directory_0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "directory_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("stored_name", sa.String(length=64), nullable=True),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("step", sa.String(length=20), nullable=False),
        sa.Column("rows_total", sa.Integer(), nullable=False),
        sa.Column("rows_done", sa.Integer(), nullable=False),
        sa.Column("skip_bad_rows", sa.Boolean(), nullable=False),
        sa.Column("abort_requested", sa.Boolean(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("report", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_directory_import_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_import")),
    )
    with op.batch_alter_table("directory_import", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_directory_import_state"), ["state"], unique=False)


def downgrade():
    with op.batch_alter_table("directory_import", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_directory_import_state"))

    op.drop_table("directory_import")
