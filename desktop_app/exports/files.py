"""Where an export writes: the output path checked before any work, the file moved into place whole.

Every writer in ``exports/`` refuses an unusable target with a zh-TW :class:`ServiceError` (never a
traceback) and writes to a temporary file first, so a failed export never leaves half a file.
"""

from __future__ import annotations

import os
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from desktop_app.domain.errors import ServiceError


def check_pdf_target(path: str | Path, what: str = "PDF") -> Path:
    """The output path, refused with a zh-TW message (not a traceback) when it cannot be written."""
    return check_target(path, what, ".pdf")


def check_target(path: str | Path, what: str, suffix: str) -> Path:
    """:func:`check_pdf_target` for any kind of file (``suffix`` names the example file)."""
    target = Path(path)
    if target.is_dir():
        raise ServiceError(f"「{target}」是資料夾，請指定{what}的檔名，例如 {target / (what + suffix)}。")
    if not target.parent.is_dir():
        raise ServiceError(
            f"無法寫入{what}「{target}」：資料夾「{target.parent}」不存在，請先建立或改選位置。"
        )
    return target


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
