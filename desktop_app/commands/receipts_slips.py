"""`desktop-app receipts slips …` and `desktop-app receipts reminders …` (the print half of 收訖明細).

- ``receipts slips BATCH --out FILE.pdf [--class C] [--pending-only] [--students ID,ID] [--duplex]
  [--allow-missing] [--font PATH] [--open] [--db PATH]``: the paper confirmation slips
- ``receipts reminders BATCH --out FILE.pdf [--class C] [--allow-missing] [--font PATH] [--open]
  [--db PATH]``: the reminder lists for 導師, one page (or more) per class
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.commands import fail, font_file, open_db
from desktop_app.commands.receipts import batch_id

if TYPE_CHECKING:  # (not at run time: the CLI starts without SQLAlchemy)
    pass


def register_slips(receipts_sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add ``slips`` and ``reminders`` under ``desktop-app receipts``."""
    slips = receipts_sub.add_parser(
        "slips", parents=[common], help="產生紙本確認單 PDF（A4，每位學生一頁，含回條條碼）"
    )
    slips.add_argument("batch", type=batch_id, metavar="BATCH", help="收訖明細批次編號")
    slips.add_argument("--out", required=True, metavar="FILE.pdf", help="輸出的 PDF 檔")
    slips.add_argument("--class", dest="class_name", metavar="C", help="只印這一班，例如 301")
    slips.add_argument("--pending-only", action="store_true", help="只印還有類別「未確認」的學生")
    slips.add_argument("--students", metavar="ID,ID", help="只印這些學生（資料庫編號，以逗號分隔）")
    slips.add_argument(
        "--duplex",
        action="store_true",
        help="雙面列印：每位學生從新的一張開始（頁數為奇數的學生補一張空白頁）",
    )
    _add_print_options(slips)
    slips.set_defaults(handler=slips_command)

    rem = receipts_sub.add_parser(
        "reminders", parents=[common], help="產生給導師的確認提醒名單 PDF（每班一頁）"
    )
    rem.add_argument("batch", type=batch_id, metavar="BATCH", help="收訖明細批次編號")
    rem.add_argument("--out", required=True, metavar="FILE.pdf", help="輸出的 PDF 檔")
    rem.add_argument("--class", dest="class_name", metavar="C", help="只印這一班")
    _add_print_options(rem)
    rem.set_defaults(handler=reminders_command)


def _add_print_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-missing",
        action="store_true",
        help="有無法列印的字（造字、字型沒有的字）時仍然列印，並以 [U+XXXX] 標示",
    )
    parser.add_argument(
        "--font", metavar="PATH", type=font_file, help="指定中文字型檔 .ttf／.ttc（預設用「設定 → PDF 字型」或系統字型）"
    )
    parser.add_argument("--open", action="store_true", help="完成後以系統的 PDF 檢視程式開啟")


def _student_ids(text: str | None) -> list[int] | None:
    if not text:
        return None
    try:
        return [int(part) for part in text.replace("，", ",").split(",") if part.strip()]
    except ValueError:
        raise SystemExit(
            fail(f"--students 應為以逗號分隔的學生編號，例如 12,15,31（收到「{text}」）")
        ) from None


def open_with_system_viewer(path: str | Path) -> None:
    """Open a file with the desktop's default application (best effort, never raises)."""
    try:
        if sys.platform == "win32":
            os.startfile(str(path))
        elif sys.platform == "darwin":
            subprocess.Popen(["open", str(path)])
        else:
            subprocess.Popen(["xdg-open", str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError as exc:
        print(f"無法自動開啟 PDF（{exc}），請自行開啟：{path}", file=sys.stderr)


def slips_command(args: argparse.Namespace) -> int:
    from desktop_app.services.receipts.printing import export_slips, print_fonts
    from desktop_app.services.receipts.slips import slip_batch

    db = open_db(args)
    batch = slip_batch(
        db,
        args.batch,
        class_name=args.class_name,
        student_ids=_student_ids(args.students),
        pending_only=args.pending_only,
    )
    if batch.students and not batch.school_name:
        # the slip's title is 〈校名〉學生學習歷程檔案收訖明細確認單: say why the name is missing
        print("注意：尚未設定學校基本資料（校名），確認單標題不會有校名；請在視窗程式「設定 → 學校資料」填寫。",
              file=sys.stderr)  # fmt: skip
    report = export_slips(
        args.out,
        batch,
        chain=print_fonts(db, args.font),
        allow_missing=args.allow_missing,
        duplex=args.duplex,
    )
    print(f"{report.path}")
    print(f"共 {report.students} 位學生、{report.pages} 頁（{report.size_bytes / 1e6:.1f} MB）")
    for problem in report.problems:
        print(f"注意：已以 [{problem.codepoint}] 標示 {problem.describe()}", file=sys.stderr)
    if args.open:
        open_with_system_viewer(report.path)
    return 0


def reminders_command(args: argparse.Namespace) -> int:
    """The reminder PDF through the service the window uses (nothing to print: exit 1, no file)."""
    from desktop_app.services.calendar.reminder_lists import reminder_lists, write_reminder_lists
    from desktop_app.services.receipts.printing import print_fonts

    db = open_db(args)
    lists = reminder_lists(db, args.batch, class_name=args.class_name)
    report = write_reminder_lists(
        lists, args.out, chain=print_fonts(db, args.font), allow_missing=args.allow_missing
    )
    print(f"{report.path}")
    print(f"共 {report.classes} 班、{report.students} 位學生、{report.pages} 頁")
    if args.open:
        open_with_system_viewer(report.path)
    return 0
