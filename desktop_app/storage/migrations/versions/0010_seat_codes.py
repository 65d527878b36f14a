"""seat codes: 工作小組 seats stored as English codes instead of their zh-TW names.

Revision ID: 0010
Revises: 0009

``wg_member.seat`` held the seat's zh-TW name (召集人, 教師代表 …), so rewording a name meant a data
migration. It now holds a code (``convener``, ``teacher`` …); the names live in
``desktop_app.domain.working_group.SEAT_LABELS``. The table below is frozen as of this revision: it
must not follow later rewordings of the labels. A value that is neither a known name nor a code is
left as it is (the app reads it as 其他).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# code → the zh-TW name stored before this revision
LABELS = {
    "convener": "召集人",
    "secretary": "執行秘書",
    "academic": "教務處代表",
    "student_affairs": "學務處代表",
    "counseling": "輔導處(室)代表",
    "course_counselor": "課程諮詢教師代表",
    "teacher": "教師代表",
    "parent": "家長代表",
    "student": "學生代表",
    "practice": "實習處代表",
    "continuing": "進修部代表",
    "other": "其他",
}
# spellings the old input accepted and normalised; mapped too in case a row slipped in unnormalised
ALIASES = {
    "輔導處（室）代表": "counseling",
    "輔導室代表": "counseling",
    "輔導處代表": "counseling",
    "課諮師代表": "course_counselor",
    "課程諮詢教師": "course_counselor",
}

_member = sa.table("wg_member", sa.column("seat", sa.String))


def _rewrite(mapping: dict[str, str]) -> None:
    for old, new in mapping.items():
        op.execute(_member.update().where(_member.c.seat == old).values(seat=new))


def upgrade() -> None:
    _rewrite({label: code for code, label in LABELS.items()} | ALIASES)


def downgrade() -> None:
    _rewrite(LABELS)
