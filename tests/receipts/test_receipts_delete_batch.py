"""Deleting a receipt batch imported by mistake: one transaction, everything of the batch gone,
the other batch and the students untouched, an audit entry with the counts; the CLI refuses
without --yes and backs up before deleting; the tab's button asks with the counts first."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import func, select

from desktop_app.exports.slips_model import slip_code
from desktop_app.services import ServiceError
from desktop_app.services.audit import list_entries
from desktop_app.services.receipts.batches import batch_contents, delete_batch, list_batches
from desktop_app.services.receipts.confirmation import list_student_statuses, set_exemptions
from desktop_app.services.receipts.importing import import_receipts
from desktop_app.services.receipts.objections import open_objection
from desktop_app.services.receipts.slips import scan_slip
from desktop_app.services.receipts.students import import_students
from desktop_app.storage.backup import list_backups
from desktop_app.storage.models import (
    Confirmation,
    Objection,
    ReceiptBatch,
    ReceiptExemption,
    ReceiptItem,
    SlipReturn,
    Student,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "receipts"
MODELS = (ReceiptItem, Confirmation, SlipReturn, Objection, ReceiptExemption)


def _two_batches(db) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    import_students(db, DATA / "students.csv")
    today = date.today()
    ids = []
    for name in ("正確批次", "誤匯入批次"):
        result = import_receipts(
            db, DATA / "receipts_style_a.xlsx", name=name, start=today, end=date.fromordinal(today.toordinal() + 4)
        )
        ids.append(result.batch_id)
    wrong = ids[1]
    sid = list_student_statuses(db, wrong)[0].student_id
    assert scan_slip(db, wrong, slip_code(wrong, sid)).outcome == "ok"
    open_objection(db, wrong, sid, "多元表現", statement="名次有誤")
    set_exemptions(db, wrong, [("修課紀錄", "graduated")])
    return ids[0], wrong


def _per_batch(db, batch_id: int) -> list[int]:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return [
            s.scalar(select(func.count()).select_from(m).where(m.batch_id == batch_id)) or 0 for m in MODELS
        ]


def test_delete_batch_removes_everything_of_the_batch_only(profile_db) -> None:  # type: ignore[no-untyped-def]
    keep, wrong = _two_batches(profile_db)
    kept_before = _per_batch(profile_db, keep)
    wrong_before = _per_batch(profile_db, wrong)
    contents = batch_contents(profile_db, wrong)
    assert [
        contents.items, contents.confirmations, contents.slip_returns, contents.objections, contents.exemptions
    ] == wrong_before  # fmt: skip
    assert contents.slip_returns == 1 and contents.objections == 1 and contents.exemptions == 1
    with profile_db.read() as s:
        students = s.scalar(select(func.count()).select_from(Student))

    deleted = delete_batch(profile_db, wrong)

    assert deleted == contents
    assert _per_batch(profile_db, wrong) == [0, 0, 0, 0, 0]
    assert _per_batch(profile_db, keep) == kept_before
    assert [b.id for b in list_batches(profile_db)] == [keep]
    with profile_db.read() as s:
        assert s.get(ReceiptBatch, wrong) is None
        assert s.scalar(select(func.count()).select_from(Student)) == students
    entry = list_entries(profile_db, entity="receipt_batch", limit=1)[0]
    assert entry.action == "receipts.delete_batch" and entry.entity_id == str(wrong)
    assert "誤匯入批次" in entry.summary and "receipts_style_a.xlsx" in entry.summary
    assert f"收訖明細 {contents.items} 筆" in entry.summary and "疑義 1 件" in entry.summary
    before = json.loads(entry.before or "{}")
    assert before["items"] == contents.items and len(before["sha256"]) == 64

    with pytest.raises(ServiceError, match="找不到收訖明細批次"):
        delete_batch(profile_db, wrong)


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *map(str, args)], capture_output=True, text=True, timeout=120
    )


def test_cli_delete_refuses_without_yes_then_backs_up_and_deletes(profile_db) -> None:  # type: ignore[no-untyped-def]
    keep, wrong = _two_batches(profile_db)
    items = batch_contents(profile_db, wrong).items
    path = profile_db.path
    profile_db.close()  # the CLI takes the instance lock

    refused = run("receipts", "delete", str(wrong), "--db", path)
    assert refused.returncode == 2
    assert "誤匯入批次" in refused.stdout and f"收訖明細 {items} 筆" in refused.stdout
    assert "--yes" in refused.stderr
    listed = run("receipts", "list", "--db", path)
    assert "誤匯入批次" in listed.stdout  # nothing deleted

    done = run("receipts", "delete", str(wrong), "--yes", "--db", path)
    assert done.returncode == 0, done.stderr
    assert "已刪除" in done.stdout and "備份" in done.stderr
    backups = list_backups(path)
    backup = next(b for b in backups if b.name.endswith("before-delete-batch.sqlite3"))
    with sqlite3.connect(backup) as conn:  # the backup still holds the deleted batch
        assert conn.execute("SELECT name FROM receipt_batch WHERE id = ?", (wrong,)).fetchone() == ("誤匯入批次",)
    conn.close()
    listed = run("receipts", "list", "--db", path)
    assert "誤匯入批次" not in listed.stdout and listed.stdout.startswith(f"{keep}\t")

    missing = run("receipts", "delete", str(wrong), "--yes", "--db", path)
    assert missing.returncode != 0 and "找不到收訖明細批次" in missing.stderr


def test_cli_delete_on_a_database_in_use_is_refused_without_a_backup(profile_db) -> None:  # type: ignore[no-untyped-def]
    _keep, wrong = _two_batches(profile_db)  # profile_db stays open: it holds the instance lock
    done = run("receipts", "delete", str(wrong), "--yes", "--db", profile_db.path)
    assert done.returncode == 2 and "只能檢視" in done.stderr
    assert list_backups(profile_db.path) == []
    assert wrong in [b.id for b in list_batches(profile_db)]


def answer_box(button_text: str, seen: list[str]) -> None:
    """Click ``button_text`` in the next message box, after noting its text."""

    def act() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, act)
            return
        seen.append(box.text())
        for button in box.buttons():
            if button.text() == button_text:
                button.click()
                return
        box.reject()

    QTimer.singleShot(0, act)


def test_delete_batch_button_asks_with_counts_backs_up_and_deletes(qtbot, tab, batch_db) -> None:  # type: ignore[no-untyped-def]
    """The 收訖批次 view: the button asks with the counts, a cancel removes nothing, a yes backs up
    first and deletes batch 2 (「本批」); the tab moves to the batch that is left."""
    tab.views.setCurrentWidget(tab.batches_view)
    assert tab.batch_id == 2
    contents = batch_contents(batch_db, 2)
    view = tab.batches_view
    assert view.delete_button.isEnabled()

    seen: list[str] = []
    answer_box("取消", seen)
    view.delete_button.click()
    assert [b.id for b in list_batches(batch_db)] == [1, 2]  # cancelled: nothing removed
    assert "收訖批次「本批」" in seen[0] and f"收訖明細 {contents.items} 筆" in seen[0]
    assert f"確認狀態 {contents.confirmations} 筆" in seen[0] and "備份" in seen[0]
    assert list_backups(batch_db.path) == []

    answer_box("刪除批次", seen)
    view.delete_button.click()
    assert [b.id for b in list_batches(batch_db)] == [1]
    assert [b.name for b in list_backups(batch_db.path) if b.name.endswith("before-delete-batch.sqlite3")]
    # the tab moved to the batch that is left, in the combo and in the list
    assert tab.batch_id == 1 and tab.batch_combo.count() == 1
    assert view.model.rowCount() == 1 and "已刪除批次「本批」" in view.period_message.text()
