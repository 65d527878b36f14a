"""The 導師 reminder lists of a 收訖明細 batch (one PDF, each class on its own pages): the one export
path the window (收訖明細 → 列印導師提醒名單…) and the CLI (``receipts reminders``) both take.

The lists are read first (:func:`reminder_lists`, in the caller's thread: the window then checks the
characters with the user and writes in a worker thread without touching the database), then
written by :func:`write_reminder_lists`. Nothing to print is one rule for both: a zh-TW
:class:`ServiceError` and no file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.domain.errors import NothingToExportError, ServiceError
from desktop_app.domain.progress import ProgressFn
from desktop_app.services.profile import get_profile
from desktop_app.services.receipts import ReminderLine, batch_term_title, get_batch, reminder_lines
from desktop_app.storage.db import Database

if TYPE_CHECKING:  # the writers load reportlab: imported when first used
    from desktop_app.exports.fonts import FontChain
    from desktop_app.exports.reminders import ReminderReport
    from desktop_app.exports.slips import PrintProblem

NOTHING_TO_PRINT = "沒有符合條件的學生（請檢查批次編號或班級），未產生 PDF。"


@dataclass(frozen=True)
class ReminderLists:
    """What the reminder PDF prints: the lines per class, the school and the batch's title."""

    by_class: Mapping[str, Sequence[ReminderLine]]
    school_name: str
    batch_title: str  # ``113學年度第1學期　113-1 第1梯次``

    @property
    def students(self) -> int:
        return sum(len(lines) for lines in self.by_class.values())


def reminder_lists(db: Database, batch_id: int, class_name: str | None = None) -> ReminderLists:
    """The reminder lines of a batch (or of one class) grouped by class; ServiceError when none."""
    lines = reminder_lines(db, batch_id, class_name=class_name)
    if not lines:
        raise NothingToExportError(NOTHING_TO_PRINT)
    by_class: dict[str, list[ReminderLine]] = {}
    for line in lines:
        by_class.setdefault(line.class_name, []).append(line)
    info = get_batch(db, batch_id)
    profile = get_profile(db)
    title = "　".join(t for t in (batch_term_title(info), info.name) if t)
    return ReminderLists(by_class, profile.name if profile else "", title)


def unprintable_in_reminder_lists(lists: ReminderLists, chain: FontChain) -> list[PrintProblem]:
    """The characters that would not print with ``chain`` (造字 not mapped, missing glyphs)."""
    from desktop_app.exports.reminders import check_reminders_printable

    return check_reminders_printable(lists.by_class, chain)


def write_reminder_lists(
    lists: ReminderLists,
    path: str | Path,
    *,
    font_path: str | Path | None = None,
    chain: FontChain | None = None,
    allow_missing: bool = False,
    progress: ProgressFn | None = None,
) -> ReminderReport:
    """Write the reminder PDF to ``path`` (checked first; written whole or not at all).

    Raises ServiceError: nothing to print, an unusable path, no CJK font, characters that would
    print as boxes (unless ``allow_missing``: then marked ``[U+XXXX]``).
    """
    from desktop_app.exports.fonts import FontNotFoundError
    from desktop_app.exports.reminders import write_reminders

    if not lists.students:
        raise NothingToExportError(NOTHING_TO_PRINT)
    try:
        return write_reminders(
            path,
            lists.by_class,
            school_name=lists.school_name,
            batch_title=lists.batch_title,
            font_path=font_path,
            progress=progress,
            allow_missing=allow_missing,
            chain=chain,
        )
    except FontNotFoundError as exc:
        raise ServiceError(str(exc)) from None
