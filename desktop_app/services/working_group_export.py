"""工作小組 exports, the one path of the window and the CLI: the member list (xlsx) and a meeting's
sign-in sheet (PDF). Each checks its target first and refuses an empty export (no file written)."""

from __future__ import annotations

from pathlib import Path

from desktop_app.domain.errors import NothingToExportError
from desktop_app.domain.working_group import MeetingInfo
from desktop_app.services.printing import pdf_font_path, school_name
from desktop_app.services.working_group import composition_check, list_members
from desktop_app.storage.db import Database

MEMBER_LIST = "成員名單"
SIGNIN_SHEET = "簽到表"


def export_member_list(db: Database, year: int, path: Path | str) -> Path:
    """The 學年度's members with the composition check, as xlsx at ``path``.

    Raises:
        NothingToExportError: the 學年度 has no members (no file is written).
        ServiceError: ``path`` is a folder or cannot be written.
    """
    from desktop_app.exports.files import check_target, refused_on_os_error
    from desktop_app.exports.working_group import write_member_list_xlsx

    members = list_members(db, year)
    if not members:
        raise NothingToExportError(
            f"{year}學年度尚未建立工作小組成員，未匯出成員名單。請先在「工作小組」分頁新增成員，"
            "或按「複製上學年度成員」。"
        )
    target = check_target(path, MEMBER_LIST, ".xlsx")
    with refused_on_os_error(target, MEMBER_LIST):
        return write_member_list_xlsx(
            target, school_name=school_name(db), year=year, members=members, composition=composition_check(db, year)
        )


def export_signin_sheet(db: Database, meeting: MeetingInfo, path: Path | str) -> Path:
    """The sign-in sheet of ``meeting`` (its 學年度's members, then its guests) as PDF at ``path``.

    Raises:
        NothingToExportError: nobody to sign: no members that 學年度 and no guests (no file written).
        ServiceError: ``path`` is a folder or cannot be written.
        FontNotFoundError: no embeddable CJK font (the message lists what was looked for).
    """
    from desktop_app.exports.files import check_target, refused_on_os_error
    from desktop_app.exports.working_group import write_signin_pdf

    members = list_members(db, meeting.year)
    if not members and not meeting.guests.strip():
        raise NothingToExportError(
            f"{meeting.year}學年度尚未建立工作小組成員，會議「{meeting.title}」也沒有列席人員，未產生簽到表。"
            "請先在「工作小組」分頁新增成員。"
        )
    target = check_target(path, SIGNIN_SHEET, ".pdf")
    with refused_on_os_error(target, SIGNIN_SHEET):
        return write_signin_pdf(
            target, school_name=school_name(db), meeting=meeting, members=members, font_path=pdf_font_path(db)
        )
