"""`desktop-app passmarks …` (及格標準 list and settings) and the pass-mark options of ``precheck``.

- ``passmarks import FILE [--replace] [--dry-run] [--json OUT]``: preview and store a list
  (身分證號 or 學號 → 及格標準); a file with a bad row is refused whole (exit 2, nothing stored).
- ``passmarks show [--json OUT]``: the settings and the list (IDs masked).
- ``passmarks set [--default N] [--others 50,40]``: the default and the school's other marks.
- ``passmarks set-student WHO MARK`` / ``passmarks remove WHO``: one student (身分證號 or 學號).

``precheck`` takes ``--pass-marks FILE``, ``--default-pass-mark N`` and ``--other-pass-marks
LIST``; with ``--db`` the stored settings and list are used unless these flags override them.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from desktop_app.commands import open_db, write_json
from desktop_app.domain.pass_marks import (
    PassMarkError,
    PassMarkSettings,
    format_mark,
    normalize_others,
    parse_mark,
    parse_marks,
)

if TYPE_CHECKING:  # pragma: no cover
    from desktop_app.storage.db import Database


def mark_argument(text: str) -> float:
    """An argparse type: a mark from 0 to 100."""
    try:
        return parse_mark(text)
    except PassMarkError as exc:
        raise argparse.ArgumentTypeError(f"及格標準{exc}") from None


def marks_argument(text: str) -> tuple[float, ...]:
    """An argparse type: marks such as ``50,40``."""
    try:
        return parse_marks(text)
    except PassMarkError as exc:
        raise argparse.ArgumentTypeError(f"及格標準{exc}") from None


def add_pass_mark_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``precheck`` options for 及格標準."""
    parser.add_argument(
        "--pass-marks",
        metavar="FILE",
        help="個別學生及格標準名單（xlsx/csv，欄位：身分證號或學號、及格標準）；有 --db 時取代資料庫中的名單",
    )
    parser.add_argument(
        "--default-pass-mark", type=mark_argument, metavar="N", help="預設及格標準（預設 60，或資料庫的設定）"
    )
    parser.add_argument(
        "--other-pass-marks",
        type=marks_argument,
        metavar="LIST",
        help="學校使用的其他及格標準，例如 50,40（成績介於其間且及格者列為 W02 及格標準待確認）",
    )


def pass_mark_settings(args: argparse.Namespace, db: Database | None) -> PassMarkSettings:
    """The marks a ``precheck`` run uses: the stored ones (with ``--db``), overridden by the flags.

    Raises:
        PassMarkFileError: the ``--pass-marks`` file cannot be used (the message says where and why).
    """
    from desktop_app.services.precheck.pass_marks_file import load_pass_mark_file

    if db is not None:
        from desktop_app.services.precheck.pass_marks import stored_pass_marks, student_numbers

        base = stored_pass_marks(db)
        nos: dict[str, str] | None = student_numbers(db)
    else:
        base, nos = PassMarkSettings(), None
    default = args.default_pass_mark if args.default_pass_mark is not None else base.default
    others = args.other_pass_marks if args.other_pass_marks is not None else base.others
    students, source, listed = base.students, base.source, base.listed
    if args.pass_marks:
        parsed = load_pass_mark_file(args.pass_marks, nos)
        by_id = {nid: no for no, nid in (nos or {}).items()}
        marks: dict[str, float] = {}
        for row in parsed.rows:
            marks[row.key] = row.mark
            if row.national_id:
                marks.setdefault(row.national_id, row.mark)
                if by_id.get(row.national_id):
                    marks.setdefault(by_id[row.national_id], row.mark)
        students, source, listed = marks, parsed.file_name, len(parsed.rows)
    return PassMarkSettings(default, normalize_others(others, default), students, source, listed)


# --------------------------------------------------------------------------- passmarks command


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """``passmarks import|show|set|set-student|remove``."""
    parser = sub.add_parser("passmarks", help="及格標準：預設與其他及格標準、個別學生名單（匯入、檢視、修改）")
    inner = parser.add_subparsers(dest="passmarks_command", metavar="SUBCOMMAND", required=True)

    imp = inner.add_parser(
        "import", parents=[common], help="匯入個別學生及格標準名單（xlsx/csv：身分證號或學號、及格標準）"
    )
    imp.add_argument("file", metavar="FILE", help="名單檔")
    imp.add_argument("--replace", action="store_true", help="以此檔取代整份名單（檔案中沒有的學生自名單移除）")
    imp.add_argument("--dry-run", action="store_true", help="只預覽（新增、變更、未變、有誤的列），不寫入")
    imp.add_argument("--json", metavar="OUT.json", help="預覽結果另存為 JSON")
    imp.set_defaults(handler=run_import)

    show = inner.add_parser("show", parents=[common], help="列出及格標準設定與個別學生名單（身分證號遮罩）")
    show.add_argument("--json", metavar="OUT.json", help="另存為 JSON")
    show.set_defaults(handler=run_show)

    st = inner.add_parser("set", parents=[common], help="設定預設及格標準與學校的其他及格標準")
    st.add_argument("--default", type=mark_argument, metavar="N", help="預設及格標準，例如 60")
    st.add_argument("--others", metavar="LIST", help="其他及格標準，例如 50,40；空字串表示無")
    st.set_defaults(handler=run_set)

    one = inner.add_parser("set-student", parents=[common], help="新增或修改一位學生的及格標準")
    one.add_argument("who", metavar="WHO", help="身分證號或學號")
    one.add_argument("mark", metavar="MARK", help="及格標準（0–100）")
    one.set_defaults(handler=run_set_student)

    rm = inner.add_parser("remove", parents=[common], help="自名單移除一位學生（改依預設及格標準）")
    rm.add_argument("who", metavar="WHO", help="身分證號或學號")
    rm.set_defaults(handler=run_remove)


def _print_preview(preview: Any) -> None:
    print(
        f"及格標準名單「{preview.file_name}」（工作表「{preview.sheet}」）："
        f"新增 {len(preview.added)}、變更 {len(preview.changed)}、未變 {preview.unchanged}、"
        + (f"將移除 {preview.not_in_file}" if preview.replace else f"名單中其他 {preview.not_in_file} 人保留")
    )
    for c in preview.changed:
        who = " ".join(x for x in (c.class_name, c.name, c.masked_id) if x)
        print(f"  變更 第 {c.row} 列 {who}：{format_mark(c.old)} → {format_mark(c.new)}")
    if preview.bad:
        print(f"有誤 {len(preview.bad)} 列：")
        print(preview.bad_text)


def run_import(args: argparse.Namespace) -> int:
    from desktop_app.services.precheck.pass_marks import import_pass_marks, preview_pass_mark_import
    from desktop_app.services.precheck.pass_marks_file import PassMarkFileError

    db = open_db(args)
    try:
        preview = preview_pass_mark_import(db, args.file, replace=args.replace)
        if args.json:
            write_json(args.json, preview.as_json())
        _print_preview(preview)
        if args.dry_run:
            print("（預覽，未寫入）")
            return 2 if preview.bad else 0
        try:
            import_pass_marks(db, args.file, replace=args.replace)
        except PassMarkFileError as exc:
            print(f"錯誤：{exc}", file=sys.stderr)
            return 2
        print("已匯入。")
        return 0
    finally:
        db.close()


def run_show(args: argparse.Namespace) -> int:
    from desktop_app.services.precheck.pass_marks import get_pass_mark_settings, list_pass_marks

    db = open_db(args)
    try:
        settings = get_pass_mark_settings(db)
        entries = list_pass_marks(db)
    finally:
        db.close()
    others = "、".join(format_mark(m) for m in settings.others) or "無"
    print(f"預設及格標準 {format_mark(settings.default)} 分；其他及格標準：{others}")
    print(f"個別學生名單 {len(entries)} 人")
    for e in entries:
        seat = f"{e.seat:02d}" if e.seat is not None else ""
        print(f"  {e.class_name}\t{seat}\t{e.student_no}\t{e.name}\t{e.masked_id}\t{e.mark_text}\t{e.source}")
    if args.json:
        write_json(
            args.json,
            {
                "default": settings.default,
                "others": list(settings.others),
                "students": [
                    {
                        "id": e.masked_id,
                        "student_no": e.student_no,
                        "name": e.name,
                        "class": e.class_name,
                        "seat": e.seat,
                        "mark": e.mark,
                        "source": e.source,
                    }
                    for e in entries
                ],
            },
        )
    return 0


def run_set(args: argparse.Namespace) -> int:
    from desktop_app.services.precheck.pass_marks import get_pass_mark_settings, save_pass_mark_settings

    if args.default is None and args.others is None:
        print("錯誤：請用 --default N 或 --others LIST 指定要設定的及格標準。", file=sys.stderr)
        return 2
    db = open_db(args)
    try:
        current = get_pass_mark_settings(db)
        saved = save_pass_mark_settings(
            db,
            args.default if args.default is not None else current.default,
            args.others if args.others is not None else current.others,
        )
    finally:
        db.close()
    others = "、".join(format_mark(m) for m in saved.others) or "無"
    print(f"已設定：預設及格標準 {format_mark(saved.default)} 分；其他及格標準：{others}")
    return 0


def run_set_student(args: argparse.Namespace) -> int:
    from desktop_app.services.precheck.pass_marks import set_student_pass_mark

    db = open_db(args)
    try:
        info = set_student_pass_mark(db, args.who, args.mark)
    finally:
        db.close()
    who = " ".join(x for x in (info.class_name, info.name, info.masked_id) if x)
    print(f"已設定 {who} 的及格標準為 {info.mark_text} 分")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    from desktop_app.services.precheck.pass_marks import remove_student_pass_mark

    db = open_db(args)
    try:
        info = remove_student_pass_mark(db, args.who)
    finally:
        db.close()
    print(f"已自名單移除 {info.name or info.masked_id}，改依預設及格標準判斷。")
    return 0
