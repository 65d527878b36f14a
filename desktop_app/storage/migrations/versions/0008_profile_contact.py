"""profile contact: the office and phone the printed slips name for questions.

Revision ID: 0008
Revises: 0005

Adds to school_profile the contact line printed on the paper confirmation slips (承辦單位 and
電話／分機), set under 設定 → 學校資料; and to wg_meeting the meeting's start time (時間, printed on
the sign-in sheet).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("wg_meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("start_time", sa.String(length=20), server_default="", nullable=False))
    with op.batch_alter_table("school_profile", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("contact_office", sa.String(length=100), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("contact_phone", sa.String(length=100), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("school_profile", schema=None) as batch_op:
        batch_op.drop_column("contact_phone")
        batch_op.drop_column("contact_office")
    with op.batch_alter_table("wg_meeting", schema=None) as batch_op:
        batch_op.drop_column("start_time")
