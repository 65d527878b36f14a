"""The 作業期程 exports (.ics, xlsx, PDF agenda): one function each, called by the window and the CLI.

Each takes the database, a 學年度 and the output path, and writes one file or raises a zh-TW
:class:`ServiceError` (nothing written): a 學年度 with no item is refused (an empty agenda helps no
one), an unusable path is refused before any work, a disk error or a missing CJK font is a message.
The writers (``exports/calendar_*.py``) are imported when first used (start-up stays light).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from desktop_app.domain.calendar import DeadlineItem
from desktop_app.domain.errors import NothingToExportError, ServiceError
from desktop_app.services.calendar.deadlines import deadline_items
from desktop_app.services.profile import FONT_PATH_KEY, get_profile, get_setting
from desktop_app.storage.db import Database

ICS = "ics"
XLSX = "xlsx"
PDF = "pdf"
KINDS = (ICS, XLSX, PDF)
_WHAT = {ICS: "作業期程行事曆檔", XLSX: "作業期程表", PDF: "作業期程議程"}  # (in messages and example file names)


@dataclass(frozen=True)
class CalendarExport:
    """What every calendar export writes: the 學年度's items, its school and title."""

    year: int
    items: tuple[DeadlineItem, ...]
    school_name: str
    today: date

    @property
    def title(self) -> str:
        """``示範高中 114學年度作業期程`` (the .ics calendar name, the xlsx heading)."""
        return f"{self.school_name} {self.year}學年度作業期程".strip()


def export_ics(db: Database, year: int, path: str | Path, *, today: date | None = None) -> Path:
    """The 學年度's dated items as an iCalendar file (Outlook / Google 日曆)."""
    from desktop_app.exports.calendar_ics import write_ics

    data = _collect(db, year, today)
    return _write(ICS, path, lambda target: write_ics(data.items, target, data.title))


def export_xlsx(db: Database, year: int, path: str | Path, *, today: date | None = None) -> Path:
    """The 學年度's items as one xlsx sheet (ROC dates, overdue rows tinted)."""
    from desktop_app.exports.calendar_xlsx import write_xlsx

    data = _collect(db, year, today)
    return _write(XLSX, path, lambda target: write_xlsx(data.items, target, data.title))


def export_agenda_pdf(db: Database, year: int, path: str | Path, *, today: date | None = None) -> Path:
    """The printable agenda of the 學年度 (one table per 學期) for the working-group meeting."""
    from desktop_app.exports.calendar_pdf import write_agenda_pdf

    data = _collect(db, year, today)
    font_path = get_setting(db, FONT_PATH_KEY) or None
    return _write(
        PDF,
        path,
        lambda target: write_agenda_pdf(
            data.items,
            target,
            year=year,
            school_name=data.school_name,
            today=data.today,
            font_path=font_path,
        ),
    )


def export_calendar(
    db: Database, year: int, kind: str, path: str | Path, *, today: date | None = None
) -> Path:
    """One of the exports by kind (``ics`` / ``xlsx`` / ``pdf``): the window's 匯出 menu."""
    exporters = {ICS: export_ics, XLSX: export_xlsx, PDF: export_agenda_pdf}
    if kind not in exporters:
        raise ServiceError(f"不支援的匯出格式「{kind}」：應為 {'、'.join(KINDS)}")
    return exporters[kind](db, year, path, today=today)


def _collect(db: Database, year: int, today: date | None) -> CalendarExport:
    """The items to export; a 學年度 without any is refused (the same rule for window and CLI)."""
    today = today or date.today()
    items: Sequence[DeadlineItem] = deadline_items(db, year, today=today)
    if not items:
        raise NothingToExportError(
            f"{year}學年度沒有任何作業期程項目，未匯出任何檔案。"
            f"請先執行 desktop-app calendar plan --year {year}（或在「作業期程」分頁按「規劃學年度」）。"
        )
    profile = get_profile(db)
    return CalendarExport(year, tuple(items), profile.name if profile else "", today)


def _write(kind: str, path: str | Path, write: Callable[[Path], Path]) -> Path:
    """Check the target, write, and turn a disk error or a missing font into a ServiceError."""
    from desktop_app.exports.files import check_target
    from desktop_app.exports.fonts import FontNotFoundError
    from desktop_app.exports.xlsx_safe import os_error_reason

    target = check_target(path, _WHAT[kind], f".{kind}")
    try:
        return write(target)
    except FontNotFoundError as exc:
        raise ServiceError(str(exc)) from None
    except OSError as exc:
        raise ServiceError(
            f"無法寫入{_WHAT[kind]}「{target}」：{os_error_reason(exc)}。"
            "請確認資料夾可寫入，且檔案沒有在其他程式（例如 Excel）開啟中。"
        ) from None
