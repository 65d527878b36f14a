"""calendar: tables of the 作業期程 (template mapping, official deadlines) feature.

Revision ID: 0004
Revises: 0003

Adds the timing-word overrides table and, on calendar_task, the data source of a task, the
rosters an official deadline concerns and the "dates set by hand" flag.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_timing",
        sa.Column("word", sa.String(length=50), nullable=False),
        sa.Column("start_anchor", sa.String(length=10), nullable=False),
        sa.Column("start_days", sa.Integer(), nullable=False),
        sa.Column("due_anchor", sa.String(length=10), nullable=False),
        sa.Column("due_days", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("word", name=op.f("pk_calendar_timing")),
    )
    with op.batch_alter_table("calendar_task", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source", sa.String(length=20), server_default="", nullable=False))
        batch_op.add_column(sa.Column("rosters", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(
            sa.Column("dates_locked", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_index(
            batch_op.f("ix_calendar_task_template_key"), ["year", "template_key"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("calendar_task", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_task_template_key"))
        batch_op.drop_column("dates_locked")
        batch_op.drop_column("rosters")
        batch_op.drop_column("source")
    op.drop_table("calendar_timing")
