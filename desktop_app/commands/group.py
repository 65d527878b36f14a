"""``desktop-app group status|export``: the 工作小組 composition check, meetings and exports.

Services are imported inside the handlers: the command line starts fast for every command.
"""

from __future__ import annotations

import argparse
from datetime import date

from desktop_app.commands import fail, open_db, school_year, write_json
from desktop_app.domain.glossary import ICON_BAD
from desktop_app.domain.roc_date import Term, format_roc
from desktop_app.domain.working_group import MEETING_STATE_TEXT, meeting_states


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    group = sub.add_parser("group", help="工作小組：組成檢核、會議、匯出")
    gsub = group.add_subparsers(dest="group_command", metavar="ACTION", required=True)

    status = gsub.add_parser("status", parents=[common], help="組成檢核與各學期會議（有缺席次或未開會時結束代碼為 1）")
    status.add_argument("--year", type=school_year, required=True, help="學年度，例如 114")
    status.add_argument("--json", metavar="FILE", help="另存 JSON")
    status.set_defaults(handler=status_command)

    export = gsub.add_parser("export", parents=[common], help="匯出成員名單 xlsx、會議簽到表 PDF")
    export.add_argument("--year", type=school_year, required=True, help="學年度")
    export.add_argument("--xlsx", metavar="FILE", help="成員名單 xlsx")
    export.add_argument("--signin-pdf", metavar="FILE", help="簽到表 PDF（需 --meeting）")
    export.add_argument("--meeting", type=int, metavar="ID", help="會議編號（見 group status）")
    export.set_defaults(handler=export_command)


def status_command(args: argparse.Namespace) -> int:
    """Print the composition check and the per-學期 meeting indicator; exit 1 when something is missing."""
    from desktop_app.services.working_group import (
        composition_check,
        list_meetings,
        list_members,
        list_regulations,
        meeting_indicator,
    )

    with open_db(args) as db:
        result = composition_check(db, args.year)
        indicator = meeting_indicator(db, args.year)
        meetings = list_meetings(db, args.year)
        members = list_members(db, args.year)
        regulations = list_regulations(db)
    states = meeting_states(args.year, indicator, date.today())
    print(f"{args.year}學年度 工作小組（{len(members)} 人）")
    print(f"組成檢核：{'符合' if result.ok else '不符合'}")
    for problem in result.problems:
        print(f"  {ICON_BAD} {problem}")
    for suggestion in result.suggestions:
        print(f"  • {suggestion}")
    for term in (1, 2):
        held = [m for m in meetings if m.term == term]
        mark = MEETING_STATE_TEXT[states[term]]
        dates = "、".join(f"{format_roc(m.held_on)}（編號 {m.id}）" for m in held)
        print(f"{Term(args.year, term).title}：{mark}{'：' + dates if dates else ''}")
    if regulations:
        print(f"補充規定（{regulations[-1].version}）：{regulations[-1].status.line}")
    else:
        print("補充規定：尚未建立")
    if args.json:
        write_json(
            args.json,
            {
                "year": args.year,
                "composition": {
                    "ok": result.ok,
                    "convener_ok": result.convener_ok,
                    "missing_seats": [seat.label for seat in result.missing_seats],
                    "problems": result.problems,
                    "suggestions": result.suggestions,
                    "members": len(members),
                },
                "meetings": {
                    str(term): {
                        "held": indicator[term],
                        "state": states[term],
                        "meetings": [
                            {"id": m.id, "date": format_roc(m.held_on), "title": m.title}
                            for m in meetings
                            if m.term == term
                        ],
                    }
                    for term in (1, 2)
                },
                "regulation": (
                    {
                        "version": regulations[-1].version,
                        "drafted": regulations[-1].status.drafted,
                        "passed": regulations[-1].status.passed,
                        "announced": regulations[-1].status.announced,
                        "covers": list(regulations[-1].covers),
                    }
                    if regulations
                    else None
                ),
            },
        )
    return 0 if result.ok and "missing" not in states.values() else 1


def export_command(args: argparse.Namespace) -> int:
    """Member list and/or sign-in sheet through the same services as the window. An empty export
    (no members) is refused by the service: message and exit 1, no file."""
    from desktop_app.services import ServiceError
    from desktop_app.services.printing import FontNotFoundError
    from desktop_app.services.working_group import get_meeting
    from desktop_app.services.working_group_export import export_member_list, export_signin_sheet

    if not args.xlsx and not args.signin_pdf:
        return fail("請指定 --xlsx 或 --signin-pdf（會議簽到表需同時指定 --meeting）")
    if args.signin_pdf and args.meeting is None:
        return fail("產生簽到表需指定會議編號 --meeting（可用 group status 查詢）")
    with open_db(args) as db:
        if args.xlsx:
            print(f"成員名單：{export_member_list(db, args.year, args.xlsx)}")
        if args.signin_pdf:
            try:
                meeting = get_meeting(db, args.meeting)
            except ServiceError as exc:
                return fail(f"錯誤：{exc}。請用 desktop-app group status --year {args.year} 查看各會議的編號。")
            try:
                out = export_signin_sheet(db, meeting, args.signin_pdf)
            except FontNotFoundError as exc:
                return fail(str(exc))
            print(f"簽到表：{out}")
    return 0
