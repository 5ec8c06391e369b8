"""CTN: a meeting's venue can be a space in the community assets register

Revision ID: ctn_0002
Revises: bulletins_0001
Create Date: 2026-11-23 13:15:00

"""

from alembic import op

revision = "ctn_0002"
down_revision = "bulletins_0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("ctn_meeting", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_ctn_meeting_asset_id_community_asset"),
            "community_asset",
            ["asset_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("ctn_meeting", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_ctn_meeting_asset_id_community_asset"), type_="foreignkey")
