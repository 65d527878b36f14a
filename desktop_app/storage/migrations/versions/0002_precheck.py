"""precheck: tables of the 開課預檢 (plan versions, findings of runs) feature.

Revision ID: 0002
Revises: 0001

Slot owned by the precheck feature: fill upgrade()/downgrade() in place (nothing has shipped yet).
"""

from __future__ import annotations

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
