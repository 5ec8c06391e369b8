"""Accounts: how each officer hears of their to-do list (immediately or a daily digest), and the to-do items
each has been e-mailed about

Revision ID: journeys_0001
Revises: sec_a_0001
Create Date: 2026-11-30 07:20:00

"""

import sqlalchemy as sa
from alembic import op

revision = "journeys_0001"
down_revision = "report_0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("todo_emails", sa.String(length=10), server_default="immediate", nullable=False))
        batch_op.add_column(sa.Column("todo_digest_sent_on", sa.Date(), nullable=True))
    op.create_table(
        "todo_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("item_key", sa.String(length=200), nullable=False),
        sa.Column("notified_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_todo_notice_user_id_user_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_todo_notice")),
        sa.UniqueConstraint("user_id", "item_key", name="uq_todo_notice_user_item"),
    )
    with op.batch_alter_table("todo_notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_todo_notice_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("todo_notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_todo_notice_user_id"))
    op.drop_table("todo_notice")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("todo_digest_sent_on")
        batch_op.drop_column("todo_emails")
