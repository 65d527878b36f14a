"""receipt status codes: confirmation and objection statuses stored as codes, not zh-TW labels.

Revision ID: 0011
Revises: 0010

``receipt_confirmation.status`` (未確認 已確認 有疑義 免確認 視為已確認) and ``objection.status``
(受理 處理中 已更正(重新提交) 查無誤(已回覆)) held the labels people read; they now hold the codes
of ``domain.receipts.ConfirmationStatus`` / ``ObjectionStatus`` (the labels live there), so a label
can be reworded without touching data. Downgrade writes the labels back. The maps are spelled out
here, not imported: a migration must keep meaning what it meant when it was written.
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

CONFIRMATION = {
    "未確認": "pending",
    "已確認": "confirmed",
    "有疑義": "objection",
    "免確認": "exempt",
    "視為已確認": "deemed",
}
OBJECTION = {
    "受理": "received",
    "處理中": "in_progress",
    "已更正(重新提交)": "corrected",
    "查無誤(已回覆)": "no_error",
}
TABLES = (("receipt_confirmation", CONFIRMATION), ("objection", OBJECTION))


def _convert(forward: bool) -> None:
    connection = op.get_bind()
    for table, labels in TABLES:
        for label, code in labels.items():
            old, new = (label, code) if forward else (code, label)
            connection.exec_driver_sql(f"update {table} set status = ? where status = ?", (new, old))


def upgrade() -> None:
    _convert(forward=True)


def downgrade() -> None:
    _convert(forward=False)
