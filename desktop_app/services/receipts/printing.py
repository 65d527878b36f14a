"""Every file the 收訖明細 feature writes, one function each, called alike by the window and the CLI.

Each export takes plain objects (or a batch number), checks the target with
:mod:`desktop_app.exports.files` before any work, refuses an empty export with a zh-TW
:class:`ServiceError` (no file is written), then calls its writer in ``exports/``:

- :func:`export_slips`: the paper confirmation slips (紙本確認單), PDF
- the reminder lists for 導師 (PDF): :mod:`desktop_app.services.calendar.reminder_lists`
- :func:`export_progress_xlsx`: the progress per class and the per-student list, xlsx

Characters that would not print are listed first (:func:`slip_print_problems`) so a caller can
offer the choices before writing.
"""

from __future__ import annotations

from pathlib import Path

from desktop_app.domain.errors import NothingToExportError, ServiceError
from desktop_app.domain.print_problems import PrintProblem
from desktop_app.domain.progress import ProgressFn
from desktop_app.exports.files import check_pdf_target, check_target
from desktop_app.exports.fonts import FontChain, FontNotFoundError, _register, font_chain
from desktop_app.exports.receipts_progress import write_progress_xlsx
from desktop_app.exports.reminders import ReminderReport
from desktop_app.exports.slips import SlipReport, check_printable, write_slips
from desktop_app.exports.slips_model import SlipBatch
from desktop_app.exports.xlsx_safe import os_error_reason
from desktop_app.services.profile import FONT_PATH_KEY, get_profile, get_setting
from desktop_app.services.receipts.batches import get_batch
from desktop_app.services.receipts.confirmation import batch_progress, list_student_statuses
from desktop_app.storage.db import Database

__all__ = [
    "NO_STUDENTS",
    "FontChain",
    "FontMissingError",
    "PrintProblem",
    "ReminderReport",
    "SlipReport",
    "check_slips_wanted",
    "export_progress_xlsx",
    "export_slips",
    "print_fonts",
    "slip_print_problems",
]

NO_STUDENTS = "沒有符合條件的學生可列印（請檢查批次、班級或所選學生），未產生 PDF。"


class FontMissingError(ServiceError):
    """No embeddable Chinese TrueType font: the message lists what was looked for."""


def print_fonts(db: Database, font_path: str | Path | None = None) -> FontChain:
    """The fonts to print with: ``font_path`` (the CLI's ``--font``), else the 「PDF 字型」 setting,
    else the installed ones. Refused with :class:`FontMissingError` (a ServiceError) when none can
    print Chinese."""
    if font_path and _register(Path(font_path)) is None:  # a TrueType font that cannot print Chinese
        raise ServiceError(f"--font「{font_path}」無法使用：字型檔損毀，或沒有中文字（例如只有英文字型）。")
    try:
        return font_chain(font_path or get_setting(db, FONT_PATH_KEY) or None, lazy=True)
    except FontNotFoundError as exc:
        raise FontMissingError(str(exc)) from None


# --- slips ---------------------------------------------------------------------------------------
def check_slips_wanted(batch: SlipBatch) -> None:
    """Refuse a slip batch with no student (nothing to print): the rule every caller shares."""
    if not batch.students:
        raise NothingToExportError(NO_STUDENTS)


def slip_print_problems(batch: SlipBatch, chain: FontChain) -> list[PrintProblem]:
    """The characters of ``batch`` that would not print with ``chain``."""
    return check_printable(batch, chain)


def export_slips(
    path: str | Path,
    batch: SlipBatch,
    *,
    chain: FontChain,
    allow_missing: bool = False,
    duplex: bool = False,
    progress: ProgressFn | None = None,
) -> SlipReport:
    """Write the slips of ``batch`` (from :func:`~.slips.slip_batch`) to one PDF.

    Raises:
        ServiceError: an unusable target, no student, or characters that would not print
            (unless ``allow_missing``: then each is printed as ``[U+XXXX]`` and reported).
    """
    target = check_pdf_target(path, "確認單")
    check_slips_wanted(batch)
    return write_slips(target, batch, chain=chain, allow_missing=allow_missing, duplex=duplex, progress=progress)


# --- progress ------------------------------------------------------------------------------------
def export_progress_xlsx(db: Database, batch_id: int, path: str | Path) -> Path:
    """Write the progress per class and category, with the per-student 「學生名單」 sheet.

    Raises:
        ServiceError: an unusable target, a batch with no confirmation to count, a disk error.
    """
    target = check_target(path, "確認進度", ".xlsx")
    batch = get_batch(db, batch_id)
    rows = batch_progress(db, batch_id)
    if not rows:
        raise ServiceError(f"批次「{batch.name}」沒有任何確認狀態可匯出，未產生檔案。")
    profile = get_profile(db)
    try:
        return write_progress_xlsx(
            target,
            batch,
            rows,
            profile.name if profile else "",
            students=list_student_statuses(db, batch_id),
        )
    except OSError as exc:
        raise ServiceError(
            f"無法寫入確認進度「{target}」：{os_error_reason(exc)}。請改選可寫入的位置，並確認檔案未被 Excel 開啟。"
        ) from None
