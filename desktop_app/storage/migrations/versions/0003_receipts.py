"""receipts: tables of the 收訖明細 (items, confirmations, slips, mappings, 難字對照表) feature.

Revision ID: 0003
Revises: 0002

Slot owned by the receipts feature: fill upgrade()/downgrade() in place (nothing has shipped yet).
"""

from __future__ import annotations

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
