"""pass marks: each listed student's own 及格標準 (開課預檢 R15/W02); which marks a run used.

Revision ID: 0006
Revises: 0005

Slot owned by the pass-marks feature (issue 10). The default and the other marks are rows of the
``setting`` table (no schema change).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "student_pass_mark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("national_id", sa.String(length=10), nullable=False),
        sa.Column("mark", sa.Float(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_student_pass_mark")),
        sa.UniqueConstraint("national_id", name=op.f("uq_student_pass_mark_national_id")),
    )
    with op.batch_alter_table("precheck_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pass_marks_json", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("precheck_run", schema=None) as batch_op:
        batch_op.drop_column("pass_marks_json")
    op.drop_table("student_pass_mark")
