"""The one rule for where an export (or a ``--json`` output) may write, with no heavy import.

Used by ``exports/`` (every writer) and ``commands/`` (the ``--json`` outputs), so the window and
the command line refuse the same targets with the same zh-TW words.
"""

from __future__ import annotations

from pathlib import Path

from desktop_app.domain.errors import ServiceError

__all__ = ["check_target"]


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
        blocker = next((p for p in target.parents if p.exists()), None)
        if blocker is not None and not blocker.is_dir():
            raise ServiceError(
                f"無法寫入{what}「{target}」：路徑中有一段不是資料夾（「{blocker}」是檔案），請改選位置。"
            )
        raise ServiceError(
            f"無法寫入{what}「{target}」：資料夾「{target.parent}」不存在，請先建立或改選位置。"
        )
    return target
