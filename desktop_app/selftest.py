"""``desktop-app --self-test``: check that this installation can do its work, then exit.

Run by the build script on the frozen bundle (offscreen, no display needed) and by IT staff on an
office PC. Each check works in a temporary folder and never touches the user's database:

- database: create a SQLite file, run every Alembic migration up to head, save and read back the
  school profile through the service (with its audit entry);
- pdf: render a one-page PDF with Chinese text in the CJK font that ``exports/fonts.py`` finds
  and read the text back;
- xlsx: write a workbook with openpyxl and read it back through ``readers.read_workbook``;
- qt: Qt starts (offscreen on a Linux box without a display) and has a font for Chinese text;
- resources: the icon, the user guide and the licence texts are where the resource helper looks.

Prints one line per check and a summary; exit status 0 when all pass, 1 otherwise. The report
is also written to the file named by ``DESKTOP_APP_SELFTEST_REPORT``, else to ``self-test.txt``
in the user's data folder: a windowed Windows build has no console to print to.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop_app import APP_NAME, __version__
from desktop_app.config import data_dir

REPORT_ENV = "DESKTOP_APP_SELFTEST_REPORT"
REPORT_FILE = "self-test.txt"
PDF_TEXT = "學習歷程檔案 自我測試：教務處註冊組 113/09/02"
XLSX_ROWS = [["學號", "姓名", "科別"], ["0012345", "王小明", "普通科"], ["0012346", "林美華", "資訊科"]]

CheckFn = Callable[[Path], str]


@dataclass(frozen=True)
class CheckResult:
    key: str  # "database", "pdf", …
    title: str  # zh-TW name shown in the report
    ok: bool
    detail: str  # what was checked, or what failed and what to do
    seconds: float


class SelfTestFailure(RuntimeError):
    """A check found something wrong; the message says what (zh-TW)."""


def check_database(workdir: Path) -> str:
    from desktop_app.services.profile import Profile, get_profile, save_profile
    from desktop_app.storage.migrate import current_revision, head_revision, open_database

    db = open_database(workdir / "selftest.sqlite3", backup=None)
    try:
        head = head_revision()
        current = current_revision(db)
        if current != head:
            raise SelfTestFailure(f"資料庫升級後版本為 {current}，應為 {head}")
        saved = save_profile(db, Profile("011302", "自我測試高級中學", "測試校長"))
        if get_profile(db) != saved:
            raise SelfTestFailure("學校資料寫入後讀回不一致")
    finally:
        db.close()
    return f"暫存資料庫已升級到最新版本 {head}，學校資料寫入並讀回無誤"


def check_pdf(workdir: Path) -> str:
    from pypdf import PdfReader
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from desktop_app.exports.fonts import FontNotFoundError, find_cjk_font

    try:
        font = find_cjk_font()
    except FontNotFoundError as exc:
        raise SelfTestFailure(str(exc)) from None
    path = workdir / "selftest.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    canvas.setTitle("desktop-app self-test")
    canvas.setFont(font.name, 16)
    canvas.drawString(72, A4[1] - 96, PDF_TEXT)
    canvas.showPage()
    canvas.save()
    reader = PdfReader(str(path))
    if len(reader.pages) != 1:
        raise SelfTestFailure(f"PDF 應為 1 頁，實際 {len(reader.pages)} 頁")
    text = "".join(reader.pages[0].extract_text().split())
    if "".join(PDF_TEXT.split()) not in text:
        raise SelfTestFailure(f"PDF 讀回的文字不符（字型 {font.path}）：{text[:60]!r}")
    return f"一頁中文 PDF 產生並讀回無誤（字型 {font.path}）"


def check_xlsx(workdir: Path) -> str:
    from openpyxl import Workbook

    from desktop_app.exports.xlsx_safe import append_safe, save_workbook
    from desktop_app.readers import read_workbook

    path = workdir / "selftest.xlsx"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "名冊"
    for row in XLSX_ROWS:
        append_safe(sheet, row)  # the same cell writer as every export
    save_workbook(book, path)
    read = read_workbook(path)
    got = read.sheet("名冊")
    if got is None:
        raise SelfTestFailure(f"讀回的 xlsx 沒有「名冊」工作表（有：{[s.name for s in read.sheets]}）")
    if got.rows != XLSX_ROWS:
        raise SelfTestFailure(f"xlsx 讀回的內容不符：{got.rows!r}")
    return f"xlsx 寫入並讀回 {len(XLSX_ROWS)} 列無誤（學號前導 0 保留）"


def check_qt(_workdir: Path) -> str:
    # a Linux box without a display (CI, ssh) can still check Qt itself, offscreen
    no_display = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if sys.platform.startswith("linux") and no_display and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import qVersion
    from PySide6.QtGui import QFontDatabase
    from PySide6.QtWidgets import QApplication

    _app = QApplication.instance() or QApplication([sys.argv[0]])  # (alive while fonts are listed)
    families = QFontDatabase.families(QFontDatabase.WritingSystem.TraditionalChinese)
    if not families:
        raise SelfTestFailure(
            "Qt 找不到能顯示繁體中文的字型，畫面上的中文會變成方框。請安裝中文字型（如微軟正黑體）。"
        )
    return f"Qt {qVersion()} 可啟動（{QApplication.platformName()}），可顯示中文的字型 {len(families)} 種"


def check_resources(_workdir: Path) -> str:
    from desktop_app.resources import app_root, missing_required_resources, shipped_resources

    missing = missing_required_resources()
    if missing:
        listed = "、".join(str(p) for p in missing)
        raise SelfTestFailure(f"缺少程式附帶的檔案：{listed}。請重新安裝本程式。")
    files = shipped_resources()
    forms = sum(1 for f in files if f.startswith("forms/"))
    return f"附帶檔案 {len(files)} 個（其中表單 {forms} 個），位於 {app_root()}"


CHECKS: tuple[tuple[str, str, CheckFn], ...] = (
    ("database", "資料庫", check_database),
    ("pdf", "PDF 中文字型", check_pdf),
    ("xlsx", "Excel 讀寫", check_xlsx),
    ("qt", "視窗元件", check_qt),
    ("resources", "附帶檔案", check_resources),
)


def run_checks(
    checks: Sequence[tuple[str, str, CheckFn]] = CHECKS, workdir: Path | None = None
) -> list[CheckResult]:
    """Run each check in a fresh temporary folder (or ``workdir``); one failure does not stop the rest."""
    results = []
    with tempfile.TemporaryDirectory(prefix=f"{APP_NAME}-selftest-", ignore_cleanup_errors=True) as tmp:
        base = Path(workdir) if workdir else Path(tmp)
        for key, title, fn in checks:
            folder = base / key
            folder.mkdir(parents=True, exist_ok=True)
            start = time.perf_counter()
            try:
                detail, ok = fn(folder), True
            except SelfTestFailure as exc:
                detail, ok = str(exc), False
            except Exception as exc:  # an unexpected error is a failed check, with where it happened
                where = traceback.extract_tb(exc.__traceback__)[-1]
                detail = f"{type(exc).__name__}: {exc}（{Path(where.filename).name} 第 {where.lineno} 行）"
                ok = False
            results.append(CheckResult(key, title, ok, detail, time.perf_counter() - start))
    return results


def format_report(results: Sequence[CheckResult]) -> str:
    from desktop_app.resources import is_frozen

    mode = "安裝版" if is_frozen() else "原始碼"
    lines = [
        f"{APP_NAME} {__version__} 自我測試（{mode}；Python {platform.python_version()}，{platform.platform()}）"
    ]
    for r in results:
        lines.append(f"[{'通過' if r.ok else '失敗'}] {r.key:<9} {r.title}：{r.detail}（{r.seconds:.2f} 秒）")
    failed = [r for r in results if not r.ok]
    if failed:
        lines.append(f"結果：{len(failed)} 項失敗（{'、'.join(r.key for r in failed)}）— FAILED")
    else:
        lines.append(f"結果：{len(results)} 項全部通過 — OK")
    return "\n".join(lines)


def run_self_test(checks: Sequence[tuple[str, str, CheckFn]] = CHECKS) -> int:
    """Run the checks, print the report and write it to a file (see the module doc); 0 if all pass."""
    results = run_checks(checks)
    report = format_report(results)
    out = sys.stdout
    if out is not None:
        try:
            out.reconfigure(errors="replace")  # type: ignore[union-attr]  # a cp950 console
        except (AttributeError, ValueError):
            pass
        print(report, file=out, flush=True)
    target = os.environ.get(REPORT_ENV) or str(data_dir() / REPORT_FILE)
    try:
        Path(target).write_text(report + "\n", encoding="utf-8")
    except OSError as exc:  # the report on screen is enough; say why the file is missing
        print(f"無法寫入報告檔 {target}：{exc}", file=sys.stderr)
    return 0 if all(r.ok for r in results) else 1
