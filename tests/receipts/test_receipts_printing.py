"""The one export path of 收訖明細 (services/receipts/printing.py): the same checks for the window
and the CLI — the target refused before any work, nothing to export refused, no file left behind."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop_app.domain.errors import ServiceError
from desktop_app.services.calendar.reminder_lists import reminder_lists, write_reminder_lists
from desktop_app.services.receipts.importing import import_receipts
from desktop_app.services.receipts.printing import (
    NO_STUDENTS,
    export_progress_xlsx,
    export_slips,
    print_fonts,
)
from desktop_app.services.receipts.slips import slip_batch
from desktop_app.services.receipts.students import import_students

DATA = Path(__file__).resolve().parents[1] / "data" / "receipts"


@pytest.fixture
def batch(profile_db):  # type: ignore[no-untyped-def]
    import_students(profile_db, DATA / "students.csv")
    today = date.today()
    result = import_receipts(
        profile_db, DATA / "receipts_style_a.xlsx", name="本批", start=today - timedelta(days=1), end=today + timedelta(days=3)
    )
    return profile_db, result.batch_id


def test_no_student_means_no_slips_file(batch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, batch_id = batch
    empty = slip_batch(db, batch_id, class_name="999")
    target = tmp_path / "slips.pdf"
    with pytest.raises(ServiceError) as err:
        export_slips(target, empty, chain=print_fonts(db))
    assert str(err.value) == NO_STUDENTS and not target.exists()
    with pytest.raises(ServiceError, match="沒有符合條件的學生"):
        write_reminder_lists(reminder_lists(db, batch_id, class_name="999"), tmp_path / "r.pdf", chain=print_fonts(db))
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob("*.xlsx")) and not (tmp_path / "no").exists()


def test_unusable_targets_are_refused_before_any_work(batch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, batch_id = batch
    with pytest.raises(ServiceError, match="是資料夾"):
        export_progress_xlsx(db, batch_id, tmp_path)
    with pytest.raises(ServiceError, match="不存在"):
        export_slips(tmp_path / "no" / "s.pdf", slip_batch(db, batch_id), chain=print_fonts(db))
    with pytest.raises(ServiceError, match="不存在"):
        write_reminder_lists(reminder_lists(db, batch_id), tmp_path / "no" / "r.pdf", chain=print_fonts(db))
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob("*.xlsx")) and not (tmp_path / "no").exists()


def test_progress_xlsx_shows_the_chinese_labels(batch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, batch_id = batch
    path = export_progress_xlsx(db, batch_id, tmp_path / "p.xlsx")
    wb = load_workbook(path)
    students = [list(r) for r in wb["學生名單"].iter_rows(min_row=4, values_only=True)]
    assert students and all(any(str(v).endswith("未確認") for v in row if v) for row in students)
    assert wb["確認進度"]["F3"].value == "有疑義" and wb["確認進度"]["G3"].value == "未確認"
