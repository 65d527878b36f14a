"""開課預檢 exports, the one path of the window and the CLI: the findings report (IDs masked) and
the annotated copy of the roster (full personal data; the roster itself is never written).

The writers check their own targets (the roster itself, a folder, a full disk: a zh-TW
:class:`~desktop_app.exports.precheck_report.ReportError`, itself a ServiceError). Here: nothing to
export is refused the same way in both, before any file is touched.
"""

from __future__ import annotations

from pathlib import Path

from desktop_app.domain.errors import NothingToExportError
from desktop_app.domain.national_id import DEFAULT_MASK_PATTERN
from desktop_app.domain.precheck.model import PrecheckResult
from desktop_app.domain.progress import ProgressFn

NO_RESULT = "尚無檢核結果可匯出。"
NO_ROSTER = "標註副本需要本次開啟後檢核的名冊；請先檢核名冊。"


def require_result(result: PrecheckResult | None) -> PrecheckResult:
    """``result``, or NothingToExportError when there is none (the window asks before its file dialog)."""
    if result is None:
        raise NothingToExportError(NO_RESULT)
    return result


def require_annotatable(roster: Path | str | None, result: PrecheckResult | None) -> tuple[Path, PrecheckResult]:
    """(roster, result) when an annotated copy can be made, else NothingToExportError: no roster
    checked in this session, or one that could not be checked (there is nothing to mark)."""
    if result is None or roster is None:
        raise NothingToExportError(NO_ROSTER)
    if result.fatal:
        raise NothingToExportError(
            f"名冊「{Path(roster).name}」無法檢核，沒有可標註的內容，未產生標註副本。請先修正檔案後重新檢核。"
        )
    return Path(roster), result


def export_report(
    result: PrecheckResult | None,
    path: Path | str,
    *,
    mask_pattern: str = DEFAULT_MASK_PATTERN,
    plan_label: str | None = None,
    roster: Path | str | None = None,
    progress: ProgressFn | None = None,
) -> Path:
    """The findings report of ``result`` as xlsx at ``path`` (ID numbers masked with ``mask_pattern``).

    Raises:
        NothingToExportError: no result yet (no file is written).
        ReportError: ``path`` is the roster itself, or cannot be written.
    """
    checked = require_result(result)
    from desktop_app.exports.files import check_target
    from desktop_app.exports.precheck_report import write_report

    check_target(path, "報表", ".xlsx")  # the one target rule of every export

    return write_report(
        checked, path, mask_pattern=mask_pattern, plan_label=plan_label, roster=roster, progress=progress
    )


def export_annotated_copy(
    roster: Path | str | None,
    result: PrecheckResult | None,
    path: Path | str,
    *,
    progress: ProgressFn | None = None,
) -> Path:
    """A copy of ``roster`` with the cells that have findings coloured and commented, at ``path``.

    Raises:
        NothingToExportError: no checked roster, or one that could not be checked (nothing to
            mark): no file is written.
        ReportError: ``path`` is the roster, the roster cannot be read, or it changed meanwhile.
    """
    source, checked = require_annotatable(roster, result)
    from desktop_app.exports.files import check_target
    from desktop_app.exports.precheck_report import write_annotated_copy

    check_target(path, "標註檔", ".xlsx")  # the one target rule of every export

    return write_annotated_copy(source, checked, path, progress=progress)
