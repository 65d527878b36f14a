"""`desktop-app calendar …` sub-commands (owned by the calendar feature).

- ``calendar plan --year N [--no-update]``: plan the 學年度 from the template (idempotent; prints
  what it created and updated).
- ``calendar export --year N [--ics FILE] [--xlsx FILE] [--pdf FILE]``
- ``calendar due [--days 7] [--json FILE] [--today 115/11/28]``: overdue and upcoming items.
"""

from __future__ import annotations

import argparse
from datetime import date

from desktop_app.commands import fail, open_db, school_year, write_json
from desktop_app.domain.roc_date import RocDateError, format_roc, parse_roc_date, school_year_of


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add ``calendar plan|export|due``."""
    parser = sub.add_parser("calendar", help="作業期程：規劃學年度、匯出、到期提醒", parents=[common])
    calendar_sub = parser.add_subparsers(dest="calendar_command", metavar="ACTION", required=True)

    plan = calendar_sub.add_parser(
        "plan", help="依範本規劃一個學年度（重複執行不會重複新增）", parents=[common]
    )
    plan.add_argument("--year", type=school_year, required=True, help="學年度（民國年，例如 114）")
    plan.add_argument("--no-update", action="store_true", help="只新增尚未規劃的工作，不更新已規劃工作的日期")
    plan.set_defaults(handler=_plan)

    export = calendar_sub.add_parser("export", help="匯出 .ics / .xlsx / PDF 議程", parents=[common])
    export.add_argument("--year", type=school_year, required=True, help="學年度（民國年）")
    export.add_argument("--ics", metavar="FILE", help="iCalendar 檔（Outlook / Google 日曆）")
    export.add_argument("--xlsx", metavar="FILE", help="Excel 檔")
    export.add_argument("--pdf", metavar="FILE", help="可列印的 PDF 議程")
    export.set_defaults(handler=_export)

    due = calendar_sub.add_parser("due", help="列出逾期與即將到期的項目", parents=[common])
    due.add_argument("--days", type=int, default=7, help="幾天內到期（預設 7）")
    due.add_argument("--json", metavar="FILE", help="另存為 JSON")
    due.add_argument("--today", metavar="DATE", help="以指定日期計算（民國日期，預設今天）")
    due.set_defaults(handler=_due)


def _plan(args: argparse.Namespace) -> int:
    from desktop_app.services.calendar.planning import plan_year

    with open_db(args) as db:
        result = plan_year(db, args.year, update_existing=not args.no_update)
    print(
        f"{args.year}學年度作業期程：新增 {result.created} 項，更新 {len(result.updated)} 項，"
        f"未變更 {result.unchanged} 項"
    )
    for change in result.updated:
        print(f"  更新 {change.label}：{'；'.join(change.changes)}")
    for kept in result.kept:
        print(f"  保留 {kept}")
    for term in result.missing_terms:
        print(f"  注意：{term}尚未設定開學日，該學期未規劃")
    return 0


def _export(args: argparse.Namespace) -> int:
    """Each requested file through the export service the window uses (one rule for both)."""
    from desktop_app.services.calendar.exports import export_agenda_pdf, export_ics, export_xlsx

    targets = [
        (f, path)
        for f, path in ((export_ics, args.ics), (export_xlsx, args.xlsx), (export_agenda_pdf, args.pdf))
        if path
    ]
    if not targets:
        return fail("請至少指定 --ics、--xlsx 或 --pdf 其中一個輸出檔")
    with open_db(args) as db:
        for export, path in targets:
            out = export(db, args.year, path)  # refusals: cli.run_command (nothing to export: exit 1)
            print(f"已匯出 {out}")
    return 0


def _due(args: argparse.Namespace) -> int:
    from desktop_app.services.calendar.reminders import due_items
    from desktop_app.services.calendar.tasks import list_tasks

    if args.days < 0:
        return fail(f"--days 須為 0 或正整數（幾天內到期），收到 {args.days}")
    try:
        today = parse_roc_date(args.today) if args.today else date.today()
    except RocDateError as exc:
        return fail(str(exc))
    with open_db(args) as db:
        items = due_items(db, days=args.days, today=today)
        year = school_year_of(today)
        unplanned = not list_tasks(db, year)
    overdue = [i for i in items if i.state == "overdue"]
    soon = [i for i in items if i.state == "due-soon"]
    print(f"{format_roc(today)}：逾期 {len(overdue)} 項，{args.days} 天內到期 {len(soon)} 項")
    if unplanned:  # "0 items" would read as "all is well"
        print(f"注意：{year}學年度尚未規劃作業期程，請先執行 desktop-app calendar plan --year {year}")
    for i in items:
        mark = "逾期" if i.state == "overdue" else "將到期"
        official = "【國教署】" if i.is_official else ""
        print(f"  [{mark}] {format_roc(i.due_date)} {official}{i.title}：{i.content}　主責：{i.owners}")
    if args.json:
        write_json(
            args.json,
            {
                "today": today.isoformat(),
                "days": args.days,
                "items": [
                    {
                        "key": i.key,
                        "kind": i.kind,
                        "state": i.state,
                        "year": i.year,
                        "term": i.term,
                        "item": i.item,
                        "title": i.title,
                        "content": i.content,
                        "owners": i.owners,
                        "start_date": i.start_date,
                        "due_date": i.due_date,
                        "due_date_roc": format_roc(i.due_date),
                        "status": i.status_label,
                        "is_official": i.is_official,
                        "doc_no": i.doc_no,
                    }
                    for i in items
                ],
            },
        )
    return 0
