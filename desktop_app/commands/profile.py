"""`desktop-app profile show|set`: the school profile (學校資料) and the 學期 dates, for IT staff who
script a school's set-up (e.g. before ``calendar plan`` on a new database).

``set`` goes through the same services as the 學校資料 dialog, so it checks the same things and
writes the same audit entries.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from datetime import date

from desktop_app.commands import fail, open_db, write_json
from desktop_app.domain.roc_date import RocDateError, Term, format_roc, parse_roc_date

_YES = {"yes", "y", "true", "1", "是", "有"}
_NO = {"no", "n", "false", "0", "否", "無"}


def _term(text: str) -> Term:
    try:
        return Term.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _date(text: str) -> date:
    try:
        return parse_roc_date(text)
    except RocDateError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _yes_no(text: str) -> bool:
    value = text.strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise argparse.ArgumentTypeError(f"請寫 yes 或 no（有／無），收到「{text}」")


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """``profile show`` and ``profile set``."""
    parser = sub.add_parser("profile", help="學校資料與學期日期：查看、設定")
    inner = parser.add_subparsers(dest="profile_command", metavar="SUBCOMMAND", required=True)

    show = inner.add_parser("show", parents=[common], help="顯示學校資料與各學期的開學日、休業式")
    show.add_argument("--json", metavar="FILE", help="另存為 JSON 檔")
    show.set_defaults(handler=run_show)

    put = inner.add_parser(
        "set",
        parents=[common],
        help="設定學校資料及／或一個學期的日期（與「設定 → 學校資料」相同的檢查，寫入操作紀錄）",
    )
    put.add_argument("--code", metavar="CODE", help="學校代碼（6 個英數字元，例如 011302）")
    put.add_argument("--name", metavar="TEXT", help="校名")
    put.add_argument("--principal", metavar="NAME", help="校長姓名")
    put.add_argument("--practice-office", type=_yes_no, metavar="yes|no", help="本校設有實習處")
    put.add_argument("--continuing-division", type=_yes_no, metavar="yes|no", help="本校設有進修部")
    put.add_argument("--term", type=_term, metavar="TERM", help="學期，例如 113-1（與 --start 一起用）")
    put.add_argument("--start", type=_date, metavar="DATE", help="該學期開學日，例如 113/08/30")
    put.add_argument("--end", type=_date, metavar="DATE", help="該學期休業式，例如 114/01/20")
    put.set_defaults(handler=run_set)


def run_show(args: argparse.Namespace) -> int:
    from desktop_app.services.profile import get_profile, list_term_dates

    db = open_db(args)
    try:
        profile = get_profile(db)
        terms = list_term_dates(db)
    finally:
        db.close()
    if profile is None:
        print("尚未設定學校資料（用 desktop-app profile set --code … --name … --principal … 設定）。")
    else:
        print(f"學校代碼：{profile.school_code}")
        print(f"校名：{profile.name}")
        print(f"校長：{profile.principal}")
        print(f"實習處：{'有' if profile.has_practice_office else '無'}")
        print(f"進修部：{'有' if profile.has_continuing_division else '無'}")
    if terms:
        print("學期日期：")
        for t in terms:
            end = format_roc(t.end_date) if t.end_date else "（未設定）"
            print(f"  {t.as_term.title}　開學日 {format_roc(t.start_date)}　休業式 {end}")
    else:
        print("學期日期：尚未設定")
    if args.json:
        write_json(
            args.json,
            {
                "profile": None
                if profile is None
                else {
                    "school_code": profile.school_code,
                    "name": profile.name,
                    "principal": profile.principal,
                    "has_practice_office": profile.has_practice_office,
                    "has_continuing_division": profile.has_continuing_division,
                },
                "terms": [
                    {
                        "term": t.as_term.label,
                        "start_date": format_roc(t.start_date),
                        "end_date": format_roc(t.end_date) if t.end_date else None,
                    }
                    for t in terms
                ],
            },
        )
        print(f"已寫入 {args.json}")
    return 0


def run_set(args: argparse.Namespace) -> int:
    from desktop_app.services.profile import (
        Profile,
        get_profile,
        save_profile,
        set_term_dates,
        validate_profile,
        validate_term_dates,
    )

    profile_fields = {
        "school_code": args.code,
        "name": args.name,
        "principal": args.principal,
        "has_practice_office": args.practice_office,
        "has_continuing_division": args.continuing_division,
    }
    changes = {k: v for k, v in profile_fields.items() if v is not None}
    if args.term is None and (args.start is not None or args.end is not None):
        return fail("錯誤：--start／--end 須與 --term 一起使用（例如 --term 113-1 --start 113/08/30）。")
    if args.term is not None and args.start is None:
        return fail(f"錯誤：請用 --start 指定 {args.term.title} 的開學日（例如 --start 113/08/30）。")
    if not changes and args.term is None:
        return fail("錯誤：沒有要設定的項目。可用 --code、--name、--principal、--practice-office、"
                    "--continuing-division，或 --term 113-1 --start 日期 [--end 日期]。")
    db = open_db(args)
    try:
        if changes:
            current = get_profile(db) or Profile("", "", "")
            wanted = replace(current, **changes)
            validate_profile(wanted)  # the whole profile is checked before anything is written
        if args.term is not None:  # checked before anything is written: all or nothing
            validate_term_dates(args.term.year, args.term.term, args.start, args.end)
        if changes:
            saved = save_profile(db, wanted)
            print(f"已儲存學校資料：{saved.school_code} {saved.name}（校長 {saved.principal}）")
        if args.term is not None:
            td = set_term_dates(db, args.term.year, args.term.term, args.start, args.end)
            end = format_roc(td.end_date) if td.end_date else "（未設定）"
            print(f"已設定 {args.term.title}：開學日 {format_roc(td.start_date)}　休業式 {end}")
    finally:
        db.close()
    return 0
