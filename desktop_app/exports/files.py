"""Where an export writes: the output path checked before any work, the file moved into place whole.

The target rule itself is :func:`desktop_app.targets.check_target` (re-exported here).

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
from desktop_app.targets import (
    check_target as check_target,  # re-exported: the writers and services use it from here
)


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
