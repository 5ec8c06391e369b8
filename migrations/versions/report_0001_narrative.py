"""Reporting narrative: each KPI result's commentary and explanation of variance; a risk's closure or merger
into another risk (000_0692e8566ba44968.txt:1268 footnote 25), and the quarter it happened in.

Revision ID: report_0001
Revises: ctn_0002
Create Date: 2026-11-30 06:20:00

"""

from alembic import op
import sqlalchemy as sa

revision = "report_0001"
down_revision = "sec_a_0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("reporting_kpi_result", schema=None) as batch_op:
        batch_op.add_column(sa.Column("commentary", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("variance_explanation", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("reporting_risk", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ended_in_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("end_note", sa.Text(), nullable=False, server_default=""))
        batch_op.create_foreign_key(
            batch_op.f("fk_reporting_risk_ended_in_id_reporting_period"),
            "reporting_period",
            ["ended_in_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_reporting_risk_merged_into_id_reporting_risk"),
            "reporting_risk",
            ["merged_into_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("reporting_risk", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_reporting_risk_merged_into_id_reporting_risk"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_reporting_risk_ended_in_id_reporting_period"), type_="foreignkey")
        batch_op.drop_column("end_note")
        batch_op.drop_column("merged_into_id")
        batch_op.drop_column("ended_in_id")
    with op.batch_alter_table("reporting_kpi_result", schema=None) as batch_op:
        batch_op.drop_column("variance_explanation")
        batch_op.drop_column("commentary")
