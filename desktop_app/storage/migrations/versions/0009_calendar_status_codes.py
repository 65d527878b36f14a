"""calendar status codes: a task's status is stored as a code, its zh-TW label shown.

Revision ID: 0009
Revises: 0008

``calendar_task.status`` held the label shown on screen (未開始 進行中 完成 不適用), so rewording a
label needed a data migration. It now holds the ``TaskStatus`` code (todo doing done na); the labels
live in ``domain/calendar.py``. Downgrade writes the labels back.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# frozen copy of the mapping at this revision (the domain's labels may be reworded later)
LABEL_TO_CODE = {"未開始": "todo", "進行中": "doing", "完成": "done", "不適用": "na"}

_task = sa.table("calendar_task", sa.column("status", sa.String))


def _convert(mapping: dict[str, str]) -> None:
    for old, new in mapping.items():
        op.execute(_task.update().where(_task.c.status == old).values(status=new))


def upgrade() -> None:
    _convert(LABEL_TO_CODE)


def downgrade() -> None:
    _convert({code: label for label, code in LABEL_TO_CODE.items()})
