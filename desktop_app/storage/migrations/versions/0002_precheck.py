"""precheck: tables of the 開課預檢 (plan versions, findings of runs) feature.

Revision ID: 0002
Revises: 0001

Slot owned by the precheck feature.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "precheck_plan_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("file_date", sa.DateTime(), nullable=True),
        sa.Column("file_size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("os_user", sa.String(length=100), nullable=False),
        sa.Column("course_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_precheck_plan_version")),
        sa.UniqueConstraint("year", "version", name=op.f("uq_precheck_plan_version_year")),
    )
    with op.batch_alter_table("precheck_plan_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_precheck_plan_version_year"), ["year"], unique=False)

    op.create_table(
        "precheck_plan_course",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=23), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("credits", sa.String(length=6), nullable=False),
        sa.Column("methods", sa.String(length=6), nullable=False),
        sa.Column("attributes", sa.String(length=4), nullable=False),
        sa.Column("course_type", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["precheck_plan_version.id"],
            name=op.f("fk_precheck_plan_course_version_id_precheck_plan_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_precheck_plan_course")),
        sa.UniqueConstraint("version_id", "code", name=op.f("uq_precheck_plan_course_version_id")),
    )
    with op.batch_alter_table("precheck_plan_course", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_precheck_plan_course_version_id"), ["version_id"], unique=False)

    op.create_table(
        "precheck_run_findings",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("finding_count", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["precheck_run.id"],
            name=op.f("fk_precheck_run_findings_run_id_precheck_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_precheck_run_findings")),
    )

    with op.batch_alter_table("precheck_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("encoding", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("source", sa.String(length=10), nullable=False, server_default="tab"))
        batch_op.add_column(sa.Column("message", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("precheck_run", schema=None) as batch_op:
        batch_op.drop_column("message")
        batch_op.drop_column("source")
        batch_op.drop_column("encoding")
    op.drop_table("precheck_run_findings")
    with op.batch_alter_table("precheck_plan_course", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_precheck_plan_course_version_id"))
    op.drop_table("precheck_plan_course")
    with op.batch_alter_table("precheck_plan_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_precheck_plan_version_year"))
    op.drop_table("precheck_plan_version")
