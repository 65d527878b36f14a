"""receipts: tables of the 收訖明細 (items, confirmations, slips, mappings, 難字對照表) feature.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("student", schema=None) as batch_op:
        batch_op.add_column(sa.Column("in_master", sa.Boolean(), server_default="1", nullable=False))

    op.create_table(
        "receipt_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("year", sa.String(length=10), nullable=False),
        sa.Column("term", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("credits", sa.String(length=10), nullable=False),
        sa.Column("item_date", sa.String(length=40), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["receipt_batch.id"],
            name=op.f("fk_receipt_item_batch_id_receipt_batch"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["student_id"], ["student.id"], name=op.f("fk_receipt_item_student_id_student")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipt_item")),
    )
    with op.batch_alter_table("receipt_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_receipt_item_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_receipt_item_student_id"), ["student_id"], unique=False)

    op.create_table(
        "receipt_confirmation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["receipt_batch.id"],
            name=op.f("fk_receipt_confirmation_batch_id_receipt_batch"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["student_id"], ["student.id"], name=op.f("fk_receipt_confirmation_student_id_student")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipt_confirmation")),
        sa.UniqueConstraint(
            "batch_id", "student_id", "category", name=op.f("uq_receipt_confirmation_batch_id")
        ),
    )
    with op.batch_alter_table("receipt_confirmation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_receipt_confirmation_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_receipt_confirmation_student_id"), ["student_id"], unique=False)

    op.create_table(
        "receipt_exemption",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["receipt_batch.id"],
            name=op.f("fk_receipt_exemption_batch_id_receipt_batch"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipt_exemption")),
        sa.UniqueConstraint("batch_id", "category", "scope", name=op.f("uq_receipt_exemption_batch_id")),
    )
    with op.batch_alter_table("receipt_exemption", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_receipt_exemption_batch_id"), ["batch_id"], unique=False)

    op.create_table(
        "receipt_slip_return",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("scanned_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["receipt_batch.id"],
            name=op.f("fk_receipt_slip_return_batch_id_receipt_batch"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["student_id"], ["student.id"], name=op.f("fk_receipt_slip_return_student_id_student")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipt_slip_return")),
        sa.UniqueConstraint("batch_id", "student_id", name=op.f("uq_receipt_slip_return_batch_id")),
    )
    with op.batch_alter_table("receipt_slip_return", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_receipt_slip_return_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_receipt_slip_return_student_id"), ["student_id"], unique=False)

    op.create_table(
        "column_mapping",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.Column("headers", sa.Text(), nullable=False),
        sa.Column("mapping", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_column_mapping")),
        sa.UniqueConstraint("kind", "signature", name=op.f("uq_column_mapping_kind")),
    )
    op.create_table(
        "pua_char",
        sa.Column("code_point", sa.Integer(), nullable=False),
        sa.Column("real_char", sa.String(length=4), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("code_point", name=op.f("pk_pua_char")),
    )


def downgrade() -> None:
    op.drop_table("pua_char")
    op.drop_table("column_mapping")
    for table in ("receipt_slip_return", "receipt_exemption", "receipt_confirmation", "receipt_item"):
        op.drop_table(table)
    with op.batch_alter_table("student", schema=None) as batch_op:
        batch_op.drop_column("in_master")
