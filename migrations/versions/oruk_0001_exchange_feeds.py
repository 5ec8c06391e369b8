"""Exchange: feeds of other Open Referral UK directories, their import runs, and the listings they created

Revision ID: oruk_0001
Revises: ctn_0002
Create Date: 2026-11-30 06:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "oruk_0001"
down_revision = "ctn_0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "exchange_feed",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("refresh", sa.String(length=10), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_run_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_exchange_feed_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_feed")),
    )
    op.create_table(
        "exchange_feed_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("feed_id", sa.Integer(), nullable=False),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("scheduled", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("summary", sa.String(length=255), nullable=False),
        sa.Column("report", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["feed_id"],
            ["exchange_feed.id"],
            name=op.f("fk_exchange_feed_run_feed_id_exchange_feed"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["user_account.id"],
            name=op.f("fk_exchange_feed_run_requested_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_feed_run")),
    )
    with op.batch_alter_table("exchange_feed_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exchange_feed_run_feed_id"), ["feed_id"], unique=False)
    op.create_table(
        "exchange_feed_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("feed_id", sa.Integer(), nullable=False),
        sa.Column("remote_id", sa.String(length=100), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("imported_version", sa.Integer(), nullable=False),
        sa.Column("first_imported_at", sa.DateTime(), nullable=False),
        sa.Column("last_refreshed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["feed_id"],
            ["exchange_feed.id"],
            name=op.f("fk_exchange_feed_record_feed_id_exchange_feed"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_exchange_feed_record_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_feed_record")),
        sa.UniqueConstraint("feed_id", "remote_id", name="uq_exchange_feed_record_remote"),
    )
    with op.batch_alter_table("exchange_feed_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exchange_feed_record_feed_id"), ["feed_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_exchange_feed_record_organisation_id"), ["organisation_id"], unique=False)


def downgrade():
    op.drop_table("exchange_feed_record")
    op.drop_table("exchange_feed_run")
    op.drop_table("exchange_feed")
