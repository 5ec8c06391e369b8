"""Security: a session version per account (sign-out and password resets end sessions server-side), and
rate-limit counters in the database shared by every web worker

Revision ID: sec_a_0001
Revises: ctn_0002
Create Date: 2026-11-30 06:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "sec_a_0001"
down_revision = "oruk_0001"
branch_labels = None
depends_on = None


def upgrade():
    # Existing accounts start with an empty version: their next sign-in gives them one, and a session
    # from before this migration (which carries none) is no longer honoured.
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_version", sa.String(length=43), server_default="", nullable=False))
    op.create_table(
        "rate_limit_window",
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key_hash", name=op.f("pk_rate_limit_window")),
    )
    with op.batch_alter_table("rate_limit_window", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rate_limit_window_expires_at"), ["expires_at"], unique=False)


def downgrade():
    with op.batch_alter_table("rate_limit_window", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rate_limit_window_expires_at"))
    op.drop_table("rate_limit_window")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("session_version")
