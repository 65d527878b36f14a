"""selfcheck: tables of the 自我檢核 (filled forms and answers) feature.

Revision ID: 0005
Revises: 0004

Slot owned by the selfcheck feature: fill upgrade()/downgrade() in place (nothing has shipped yet).
"""

from __future__ import annotations

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
