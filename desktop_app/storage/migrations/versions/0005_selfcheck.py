"""selfcheck: tables of the 自我檢核 (filled forms and answers) feature.

Revision ID: 0005
Revises: 0004

Slot owned by the selfcheck feature.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sc_fill",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.String(length=50), nullable=False),
        sa.Column("form_version", sa.String(length=50), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("term", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("finalised_at", sa.DateTime(), nullable=True),
        sa.Column("finalised_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sc_fill")),
        sa.UniqueConstraint("form_id", "year", "term", name=op.f("uq_sc_fill_form_id")),
    )
    with op.batch_alter_table("sc_fill", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sc_fill_year"), ["year"], unique=False)

    op.create_table(
        "sc_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fill_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(length=50), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("suggested", sa.Text(), nullable=True),
        sa.Column("evidence_status", sa.String(length=10), nullable=False),
        sa.Column("evidence_summary", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["fill_id"], ["sc_fill.id"], name=op.f("fk_sc_answer_fill_id_sc_fill"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sc_answer")),
        sa.UniqueConstraint("fill_id", "item_id", name=op.f("uq_sc_answer_fill_id")),
    )
    with op.batch_alter_table("sc_answer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sc_answer_fill_id"), ["fill_id"], unique=False)

    op.create_table(
        "sc_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=1000), nullable=False),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["sc_answer.id"],
            name=op.f("fk_sc_attachment_answer_id_sc_answer"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sc_attachment")),
    )
    with op.batch_alter_table("sc_attachment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sc_attachment_answer_id"), ["answer_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sc_attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sc_attachment_answer_id"))
    op.drop_table("sc_attachment")
    with op.batch_alter_table("sc_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sc_answer_fill_id"))
    op.drop_table("sc_answer")
    with op.batch_alter_table("sc_fill", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sc_fill_year"))
    op.drop_table("sc_fill")
