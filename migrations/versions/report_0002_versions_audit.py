"""Reporting workflow: published versions of a quarter's report (reopening creates the next version) and the
audit trail of changes.

Revision ID: report_0002
Revises: report_0001
Create Date: 2026-11-30 06:30:00

"""

from alembic import op
import sqlalchemy as sa

revision = "report_0002"
down_revision = "report_0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("reporting_period", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.create_table(
        "reporting_report_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("snapshot", sa.Text(), nullable=False),
        sa.Column("approved_at", sa.DateTime(), nullable=False),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("reopened_at", sa.DateTime(), nullable=True),
        sa.Column("reopened_by_id", sa.Integer(), nullable=True),
        sa.Column("reopen_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["approved_by_id"],
            ["user_account.id"],
            name=op.f("fk_reporting_report_version_approved_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["reporting_period.id"],
            name=op.f("fk_reporting_report_version_period_id_reporting_period"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reopened_by_id"],
            ["user_account.id"],
            name=op.f("fk_reporting_report_version_reopened_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reporting_report_version")),
        sa.UniqueConstraint("period_id", "number", name="uq_reporting_report_version_number"),
    )
    with op.batch_alter_table("reporting_report_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reporting_report_version_period_id"), ["period_id"], unique=False)
    op.create_table(
        "reporting_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=400), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["reporting_period.id"],
            name=op.f("fk_reporting_change_period_id_reporting_period"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_reporting_change_user_id_user_account"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reporting_change")),
    )
    with op.batch_alter_table("reporting_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reporting_change_period_id"), ["period_id"], unique=False)


def downgrade():
    with op.batch_alter_table("reporting_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reporting_change_period_id"))
    op.drop_table("reporting_change")
    with op.batch_alter_table("reporting_report_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reporting_report_version_period_id"))
    op.drop_table("reporting_report_version")
    with op.batch_alter_table("reporting_period", schema=None) as batch_op:
        batch_op.drop_column("version")
