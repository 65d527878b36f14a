"""calendar: tables of the 作業期程 (template mapping, official deadlines) feature.

Revision ID: 0004
Revises: 0003

Slot owned by the calendar feature: fill upgrade()/downgrade() in place (nothing has shipped yet).
"""

from __future__ import annotations

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
