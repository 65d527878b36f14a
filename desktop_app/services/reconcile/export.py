"""收訖對照: the result as an xlsx workbook for circulation (ID numbers masked).

The one export path: the window and the command line both call :func:`export_reconcile_xlsx`.
"""

from __future__ import annotations

from pathlib import Path

from desktop_app.domain.errors import ServiceError
from desktop_app.domain.reconcile_result import ReconcileResult
from desktop_app.services.profile import get_profile
from desktop_app.storage.db import Database

WHAT = "收訖對照"


def export_reconcile_xlsx(db: Database, result: ReconcileResult | None, path: Path | str) -> Path:
    """Write ``result`` (摘要, 各班, 明細) to ``path`` under the school's name; returns the path.

    A result without differences is still written (its summary says the two agree); no result is
    refused, as is a target that cannot be written (a zh-TW :class:`ServiceError`, no file left).
    """
    if result is None:
        raise ServiceError("沒有對照結果可匯出：請先加入名冊並按「開始對照」。")
    # the writers load openpyxl (and files.py reportlab): imported when first needed (start-up time)
    from desktop_app.exports.files import check_target
    from desktop_app.exports.reconcile_xlsx import write_reconcile_xlsx
    from desktop_app.exports.xlsx_safe import os_error_reason

    target = check_target(path, WHAT, ".xlsx")

    profile = get_profile(db)
    try:
        return write_reconcile_xlsx(target, result, profile.name if profile else "")
    except OSError as exc:
        raise ServiceError(
            f"無法寫入{WHAT}「{target}」：{os_error_reason(exc)}（檔案是否在 Excel 開啟中？）"
        ) from None
