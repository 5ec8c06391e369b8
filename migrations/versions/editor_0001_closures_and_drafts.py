"""Directory: holiday closures of services, and listing drafts kept between the task list's pages

Revision ID: editor_0001
Revises: res_search_0002
Create Date: 2026-11-30 09:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "editor_0001"
down_revision = "res_search_0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "closure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uuid"),
    )
    with op.batch_alter_table("closure", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_closure_service_id"), ["service_id"], unique=False)
    op.create_table(
        "listing_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("contact", sa.Text(), nullable=False),
        sa.Column("touched", sa.String(length=255), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=False),
        sa.Column("draft_revision", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["owner_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("owner_id", "organisation_id", name="uq_listing_draft_owner_listing"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("listing_draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_listing_draft_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_listing_draft_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_listing_draft_updated_at"), ["updated_at"], unique=False)


def downgrade():
    op.drop_table("listing_draft")
    op.drop_table("closure")
