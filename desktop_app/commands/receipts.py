"""`desktop-app students …` and `desktop-app receipts …` sub-commands (owned by the receipts feature).

- ``students import FILE [--json OUT] [--preview]``
- ``receipts import FILE --name NAME --start DATE --end DATE [--deadline DATE] [--doc-no TEXT]
  [--mapping JSON] [--exempt CATEGORY:SCOPE] [--dry-run]`` prints the new batch id
- ``receipts progress BATCH --json FILE [--xlsx FILE]``
- ``receipts list``
- ``receipts delete BATCH --yes`` deletes a batch imported by mistake (after a backup); without
  ``--yes`` it only prints what would be removed
- ``receipts slips …`` (added by ``commands/receipts_slips.py`` when present)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from desktop_app.commands import fail, open_db, write_json
from desktop_app.domain.roc_date import format_roc


def batch_id(text: str) -> int:
    """argparse type of BATCH: a zh-TW message instead of "invalid int value"."""
    try:
        value = int(text.strip().lstrip("#"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"批次編號應為數字（「receipts import」印出的編號，或「receipts list」第一欄），收到「{text}」"
        ) from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"批次編號應為正整數，收到「{text}」")
    return value


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add ``students`` and ``receipts`` with their sub-commands."""
    students = sub.add_parser("students", help="學生名冊")
    students_sub = students.add_subparsers(dest="students_command", metavar="SUBCOMMAND", required=True)
    imp = students_sub.add_parser(
        "import", parents=[common], help="匯入（或重新匯入）學生名冊：xlsx / xls / csv（含 CP950 造字）"
    )
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--json", metavar="OUT", help="將結果（新增、更新、身分證號有誤、造字）寫成 JSON")
    imp.add_argument("--preview", action="store_true", help="只預覽，不寫入資料庫")
    imp.add_argument(
        "--strict", action="store_true", help="有任何錯誤列（身分證號、班級、座號有誤）時整批不匯入（預設只略過錯誤列）"
    )
    imp.set_defaults(handler=students_import)

    receipts = sub.add_parser("receipts", help="收訖明細")
    receipts_sub = receipts.add_subparsers(dest="receipts_command", metavar="SUBCOMMAND", required=True)
    rimp = receipts_sub.add_parser("import", parents=[common], help="匯入收訖明細為新批次，印出批次編號")
    rimp.add_argument("file", metavar="FILE")
    rimp.add_argument("--name", required=True, help="批次名稱，例如「113-1 第1梯次」")
    rimp.add_argument(
        "--start", required=True, metavar="DATE", help="確認期間開始日（113/10/15、113年10月15日或 ISO）"
    )
    rimp.add_argument("--end", required=True, metavar="DATE", help="確認期間結束日（至少 3 日）")
    rimp.add_argument("--deadline", metavar="DATE", help="國教署期限")
    rimp.add_argument("--doc-no", default="", metavar="TEXT", help="國教署期限的文號")
    rimp.add_argument(
        "--mapping",
        metavar="JSON",
        help='欄位對應（JSON 字串或 JSON 檔案）：{"national_id": "身分證號", "category": "資料類別", '
        '"title": 7, …}；值為欄名或第幾欄（從 1 起算）。未指定時沿用記住的對應或依欄名推測',
    )
    rimp.add_argument(
        "--exempt",
        action="append",
        default=[],
        metavar="CATEGORY:SCOPE",
        help="免確認設定，可重複，例如 修課紀錄:graduated（scope：graduated、grade3、all）",
    )
    rimp.add_argument(
        "--dry-run", action="store_true", help="只試算（學生比對、未知身分證號、各類筆數），不寫入"
    )
    rimp.add_argument(
        "--strict",
        action="store_true",
        help="有任何無法匯入的列（身分證號不在名冊、學年度／學期／學分／日期有誤）時整批不匯入",
    )
    rimp.set_defaults(handler=receipts_import)

    prog = receipts_sub.add_parser("progress", parents=[common], help="各班各類確認進度")
    prog.add_argument("batch", type=batch_id, metavar="BATCH")
    prog.add_argument("--json", metavar="FILE", help="寫成 JSON")
    prog.add_argument("--xlsx", metavar="FILE", help="匯出 xlsx")
    prog.set_defaults(handler=receipts_progress)

    lst = receipts_sub.add_parser("list", parents=[common], help="列出收訖明細批次")
    lst.set_defaults(handler=receipts_list)

    dele = receipts_sub.add_parser(
        "delete", parents=[common], help="刪除誤匯入的收訖明細批次（含明細、確認狀態、回條、疑義；先自動備份）"
    )
    dele.add_argument("batch", type=batch_id, metavar="BATCH")
    dele.add_argument("--yes", action="store_true", help="確定刪除；未加時只列出將刪除的內容，不刪除")
    dele.set_defaults(handler=receipts_delete)

    try:
        from desktop_app.commands.receipts_slips import register_slips
    except ImportError:
        pass
    else:
        register_slips(receipts_sub, common)
    from desktop_app.commands.receipts_reconcile import register_reconcile

    register_reconcile(receipts_sub, common)


def check_output(path: str | None, what: str, suffix: str = ".json") -> None:
    """Refuse an output path that cannot be written, before any work is done (no traceback later):
    the one target rule of every export (:func:`desktop_app.targets.check_target`)."""
    if path:
        from desktop_app.targets import check_target

        check_target(path, what, suffix)


def _write_json_checked(path: str, data: object, what: str) -> None:
    from desktop_app.services import ServiceError

    try:
        write_json(path, data)
    except OSError as exc:
        raise ServiceError(f"無法寫入 {what}「{path}」：{exc.strerror or exc}。") from None


def _visible(text: str) -> str:
    """A terminal shows a 造字 (PUA) character as nothing or a box: spell it ``[U+E000]``."""
    return "".join(f"[U+{ord(c):04X}]" if 0xE000 <= ord(c) <= 0xF8FF else c for c in text)


def students_import(args: argparse.Namespace) -> int:
    from desktop_app.services.receipts.students import (
        import_students,
        invalid_row_text,
        preview_student_import,
    )

    check_output(args.json, "JSON 檔")
    db = open_db(args)
    try:
        result = (
            preview_student_import(db, args.file)
            if args.preview
            else import_students(db, args.file, strict=args.strict)
        )
    finally:
        db.close()
    data = result.as_json()
    verb = "預覽" if args.preview else "匯入"
    print(
        f"{verb}「{result.file_name}」（{result.encoding or '試算表'}）：新增 {data['added']}、更新 {data['updated']}、"
        f"未變 {data['unchanged']}、不在新名冊 {data['gone']}、有誤未匯入 {len(result.invalid)}"
        + (f"；學號補回開頭的 0：{result.student_no_padded} 位（試算表存成數字的學號）" if result.student_no_padded else "")
    )
    # who, not only how many: the clerk checks the changes and the students gone from the master
    lines: list[str] = []
    if len(result.added) <= 30:  # a first import of 3,000 students is not listed name by name
        lines += [f"  新增：第 {r.row} 列 {r.class_name} {r.seat or ''}號 {r.name}" for r in result.added]
    lines += [f"  更新：第 {c.record.row} 列 {c.record.name}（{c.summary}）" for c in result.changed]
    lines += [f"  不在新名冊：{g.class_name} {g.student_no} {g.name} {g.masked_id}" for g in result.gone]
    lines += [f"  {invalid_row_text(r)}（未匯入）" for r in result.invalid]
    lines += [f"  第 {c.row} 列「{c.column}」欄：{c.reason}" for c in result.cleaned]
    for hit in result.pua:
        state = "未對照" if hit.unmapped else "已依難字對照表轉換"
        lines.append(
            f"  第 {hit.row} 列第 {hit.column} 欄（{hit.column_name}）造字 {hit.code_points}：{hit.student}（{state}）"
        )
    for line in lines:
        print(_visible(line), file=sys.stderr)
    if args.json:
        _write_json_checked(args.json, data, "--json 檔案")
    return 0


def _load_mapping(text: str) -> dict[str, object]:
    """``--mapping``: a JSON object given inline, or the name of a UTF-8 JSON file holding one."""
    from desktop_app.services import ServiceError

    raw = text
    if not text.lstrip().startswith("{"):
        path = Path(text)
        if path.is_dir():
            raise ServiceError(f"--mapping「{text}」是資料夾；請給 JSON 檔案，或直接寫 JSON 物件。")
        if not path.is_file():
            raise ServiceError(
                f"--mapping「{text}」既不是 JSON 物件也找不到這個檔案；"
                '請寫成 {"title": "資料內容"}，或給一個 UTF-8 的 JSON 檔案。'
            )
        try:
            raw = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise ServiceError(f"無法讀取對應設定檔「{text}」（請存成 UTF-8）：{exc}") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ServiceError(f"--mapping 不是有效的 JSON：{exc}") from None
    if not isinstance(data, dict):
        raise ServiceError('--mapping 應為 JSON 物件，例如 {"national_id": "身分證號"}')
    return data


def receipts_import(args: argparse.Namespace) -> int:
    from desktop_app.services import ServiceError
    from desktop_app.services.receipts.importing import dry_run_receipts, import_receipts
    from desktop_app.services.receipts.mapping import merge_mapping, suggest_mapping
    from desktop_app.services.receipts.reading import FIELD_LABELS, read_receipt_file

    exemptions = []
    for text in args.exempt:
        category, _, scope = text.partition(":")
        if not scope:
            raise ServiceError(f"--exempt「{text}」應寫成 類別:範圍，例如 修課紀錄:graduated")
        exemptions.append((category.strip(), scope.strip()))
    db = open_db(args)
    try:
        rf = read_receipt_file(args.file)
        mapping = suggest_mapping(db, rf).mapping
        if args.mapping:
            # the user's --mapping changes the guess (as the mapping step of the tab does): fields it
            # names are set ("" or null unmaps one), the others keep the remembered/guessed column
            mapping = merge_mapping(mapping, _load_mapping(args.mapping), rf.headers)
        used = "、".join(
            f"{label}←{rf.headers[mapping[f]]}" for f, label in FIELD_LABELS.items() if f in mapping
        )
        where = f"（CSV，{rf.encoding}）" if rf.encoding else f"工作表「{rf.sheet_name}」"
        source = f"「{rf.file_name}」{where}第 {rf.header_row} 列標題"
        print(f"讀取{source}；欄位對應：{used}", file=sys.stderr)
        if args.dry_run:
            dry = dry_run_receipts(db, rf, mapping)
            print(dry.summary())
            for u in dry.unknown:
                print(_visible(f"  第 {u.row} 列 {u.masked_id} {u.name}：{u.reason}"), file=sys.stderr)
            for p in (*dry.errors, *dry.rejected, *dry.cleaned):
                print(_visible(f"  {p.message}"), file=sys.stderr)
            return 0 if dry.ok and not (args.strict and (dry.rejected or dry.unknown)) else 2
        result = import_receipts(
            db,
            rf,
            name=args.name,
            start=args.start,
            end=args.end,
            deadline=args.deadline,
            doc_no=args.doc_no,
            mapping=mapping,
            exemptions=exemptions,
            strict=args.strict,
        )
    finally:
        db.close()
    print(result.dry_run.summary(), file=sys.stderr)
    for u in result.dry_run.unknown:
        print(_visible(f"  第 {u.row} 列 {u.masked_id} {u.name}：{u.reason}，未匯入"), file=sys.stderr)
    for p in (*result.dry_run.rejected, *result.dry_run.cleaned):
        print(_visible(f"  {p.message}"), file=sys.stderr)
    for w in result.warnings:
        print(f"注意：{w}", file=sys.stderr)
    print(result.batch_id)
    return 0


def receipts_progress(args: argparse.Namespace) -> int:
    from desktop_app.domain.receipts import TOTAL_CLASS
    from desktop_app.services.receipts.confirmation import progress_json
    from desktop_app.services.receipts.printing import export_progress_xlsx

    if not args.json and not args.xlsx:
        return fail("請指定 --json FILE 或 --xlsx FILE")
    check_output(args.json, "JSON 檔")
    db = open_db(args)
    try:
        data = progress_json(db, args.batch)
        if args.xlsx:
            export_progress_xlsx(db, args.batch, args.xlsx)
    finally:
        db.close()
    if args.json:
        _write_json_checked(args.json, data, "--json 檔案")
    rows = data["rows"]
    assert isinstance(rows, list)  # progress_json's rows: one dict per class and category
    for row in rows:
        if row["class"] == TOTAL_CLASS:
            print(
                f"{row['category']}：已確認 {row['confirmed']}、有疑義 {row['objection']}、未確認 {row['pending']}、"
                f"免確認 {row['exempt']}（共 {row['students']} 人）"
            )
    return 0


def receipts_list(args: argparse.Namespace) -> int:
    from desktop_app.services.receipts.batches import list_batches

    db = open_db(args)
    try:
        batches = list_batches(db)
    finally:
        db.close()
    for b in batches:
        print(
            f"{b.id}\t{b.name}\t{format_roc(b.period_start)}–{format_roc(b.period_end)}\t"
            f"疑義 {b.objections_open}/{b.objections_total}\t{b.file_name}"
        )
    return 0


def receipts_delete(args: argparse.Namespace) -> int:
    from desktop_app.services.receipts.batches import batch_contents, delete_batch
    from desktop_app.storage.backup import create_backup

    db = open_db(args)
    try:
        contents = batch_contents(db, args.batch)
        if not args.yes:
            print(_visible(f"將刪除{contents.summary()}。"))
            return fail("未刪除：確定要刪除請加上 --yes（刪除前會自動備份資料庫）。")
        if db.read_only:  # refused before a backup is made for nothing
            from desktop_app.storage.db import ReadOnlyError

            raise ReadOnlyError(db.path)
        backup = create_backup(db.path, reason="before-delete-batch")
        contents = delete_batch(db, args.batch)
    finally:
        db.close()
    print(_visible(f"已刪除{contents.summary()}。"))
    if backup is not None:
        print(f"刪除前的備份：{backup}", file=sys.stderr)
    return 0
