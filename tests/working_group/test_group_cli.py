"""`desktop-app group status|export` as a process, on a real database file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader

from desktop_app.demo import build_demo_database
from desktop_app.demo.core import CURRENT_YEAR
from desktop_app.services.working_group import delete_member, list_meetings, list_members


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desktop_app", *args], capture_output=True, text=True, timeout=120)


def test_status_names_missing_seats_and_meetings(tmp_path: Path) -> None:
    db = build_demo_database(tmp_path)
    parent = next(m for m in list_members(db, CURRENT_YEAR) if m.seat.label == "家長代表")
    delete_member(db, parent.id)
    db.close()
    out = _cli("group", "status", "--year", str(CURRENT_YEAR), "--db", str(tmp_path / "demo.sqlite3"),
               "--json", str(tmp_path / "s.json"))
    assert out.returncode == 1
    assert "缺少：家長代表" in out.stdout
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert data["composition"]["missing_seats"] == ["家長代表"]
    assert data["meetings"]["1"]["held"] is True
    assert data["regulation"]["covers"] == [True, True, True, True]


def test_status_ok_exit_zero(tmp_path: Path) -> None:
    build_demo_database(tmp_path).close()
    out = _cli("group", "status", "--year", str(CURRENT_YEAR), "--db", str(tmp_path / "demo.sqlite3"))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "組成檢核：符合" in out.stdout


def test_export_xlsx_and_signin_pdf(tmp_path: Path) -> None:
    db = build_demo_database(tmp_path)
    meeting = list_meetings(db, CURRENT_YEAR)[0]
    names = [m.name for m in list_members(db, CURRENT_YEAR)]
    db.close()
    out = _cli("group", "export", "--year", str(CURRENT_YEAR), "--db", str(tmp_path / "demo.sqlite3"),
               "--xlsx", str(tmp_path / "m.xlsx"), "--signin-pdf", str(tmp_path / "s.pdf"),
               "--meeting", str(meeting.id))
    assert out.returncode == 0, out.stderr
    ws = load_workbook(tmp_path / "m.xlsx").active
    assert [ws.cell(r, 3).value for r in range(3, 3 + len(names))] == names
    text = PdfReader(tmp_path / "s.pdf").pages[0].extract_text()
    assert all(n in text for n in names)
    missing = _cli("group", "export", "--year", "114", "--db", str(tmp_path / "demo.sqlite3"),
                   "--signin-pdf", str(tmp_path / "x.pdf"))
    assert missing.returncode == 2 and "--meeting" in missing.stderr


def test_no_font_gives_a_clear_message(tmp_path: Path) -> None:
    from desktop_app.exports.fonts import FontNotFoundError, find_cjk_font

    try:
        find_cjk_font(tmp_path / "nothing.ttf")
    except FontNotFoundError:  # pragma: no cover - only on machines without any CJK font
        pass
    import desktop_app.exports.fonts as fonts

    original = fonts.candidate_fonts
    fonts.candidate_fonts = lambda: [tmp_path / "kaiu.ttf"]  # type: ignore[assignment]
    try:
        import os

        os.environ.pop(fonts.FONT_ENV, None)
        try:
            fonts.find_cjk_font(tmp_path / "missing.ttf")
        except FontNotFoundError as exc:
            message = str(exc)
        else:
            raise AssertionError("expected FontNotFoundError")
    finally:
        fonts.candidate_fonts = original  # type: ignore[assignment]
    assert "kaiu.ttf" in message and "missing.ttf" in message and "設定" in message
