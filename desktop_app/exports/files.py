"""Where an export writes: the output path checked before any work, the file moved into place whole.

Every writer in ``exports/`` refuses an unusable target with a zh-TW :class:`ServiceError` (never a
traceback) and writes to a temporary file first, so a failed export never leaves half a file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from desktop_app.domain.errors import ServiceError


def check_pdf_target(path: str | Path, what: str = "PDF") -> Path:
    """The output path, refused with a zh-TW message (not a traceback) when it cannot be written."""
    return check_target(path, what, ".pdf")


def save_pdf(canvas: Canvas, tmp: Path, target: Path, what: str = "PDF") -> None:
    """Save the canvas to ``tmp`` and move it over ``target``; disk errors become ServiceError."""
    try:
        canvas.save()
        os.replace(tmp, target)
    except OSError as exc:
        raise ServiceError(
            f"無法寫入{what}「{target}」：{exc.strerror or exc}。"
            "請確認檔案沒有在其他程式（例如 PDF 檢視程式）開啟中，且有寫入權限。"
        ) from None


def check_target(path: str | Path, what: str, suffix: str) -> Path:
    """The output path of an export, checked before any work (one rule for every export).

    A folder is refused, and so is a missing parent folder (a mistyped path should not leave a new
    folder behind; the window's file dialogs only offer folders that exist), each with a zh-TW
    :class:`ServiceError`.

    Args:
        what: the export's name in the messages (成員名單, 簽到表 …).
        suffix: the file type's suffix (".xlsx", ".pdf") for the example file name.
    """
    target = Path(path)
    if target.is_dir():
        raise ServiceError(
            f"無法讀寫檔案「{target}」：這是資料夾，不是檔案。請指定{what}的檔名，例如 {target / (what + suffix)}。"
        )
    if not target.parent.is_dir():
        raise ServiceError(
            f"無法寫入{what}「{target}」：資料夾「{target.parent}」不存在，請先建立或改選位置。"
        )
    return target


@contextmanager
def refused_on_os_error(target: Path, what: str) -> Iterator[None]:
    """Turn a disk error while writing ``target`` into a zh-TW ServiceError (the writers write the
    finished bytes in one go, so nothing half-written is left)."""
    from desktop_app.exports.xlsx_safe import os_error_reason

    try:
        yield
    except OSError as exc:
        raise ServiceError(
            f"無法寫入{what}「{target}」：{os_error_reason(exc)}。"
            "請改選可寫入的位置，並確認檔案未被其他程式（例如 Excel、PDF 檢視程式）開啟。"
        ) from None
