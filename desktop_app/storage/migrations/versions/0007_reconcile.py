"""reconcile: 收訖對照 (receipt batch vs the final roster) runs and the clerk's explanations; the
course code and score a 收訖明細 file may carry.

Revision ID: 0007
Revises: 0005

Slot owned by the reconcile feature (issue 14); the lead re-chains the ids when merging.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("receipt_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("course_code", sa.String(length=30), server_default="", nullable=False))
        batch_op.add_column(sa.Column("score", sa.String(length=20), server_default="", nullable=False))

    op.create_table(
        "reconcile_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("term", sa.Integer(), nullable=True),
        sa.Column("run_at", sa.DateTime(), nullable=False),
        sa.Column("run_by", sa.String(length=100), nullable=False),
        sa.Column("files", sa.Text(), nullable=False),
        sa.Column("counts", sa.Text(), nullable=False),
        sa.Column("missing", sa.Text(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["receipt_batch.id"],
            name=op.f("fk_reconcile_run_batch_id_receipt_batch"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reconcile_run")),
    )
    with op.batch_alter_table("reconcile_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reconcile_run_batch_id"), ["batch_id"], unique=False)

    op.create_table(
        "reconcile_explanation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("national_id", sa.String(length=10), nullable=False),
        sa.Column("item_key", sa.String(length=300), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("explained_at", sa.DateTime(), nullable=False),
        sa.Column("explained_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["receipt_batch.id"],
            name=op.f("fk_reconcile_explanation_batch_id_receipt_batch"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reconcile_explanation")),
        sa.UniqueConstraint(
            "batch_id", "national_id", "item_key", name=op.f("uq_reconcile_explanation_batch_id")
        ),
    )
    with op.batch_alter_table("reconcile_explanation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reconcile_explanation_batch_id"), ["batch_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("reconcile_explanation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reconcile_explanation_batch_id"))
    op.drop_table("reconcile_explanation")
    with op.batch_alter_table("reconcile_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reconcile_run_batch_id"))
    op.drop_table("reconcile_run")
    with op.batch_alter_table("receipt_item", schema=None) as batch_op:
        batch_op.drop_column("score")
        batch_op.drop_column("course_code")
