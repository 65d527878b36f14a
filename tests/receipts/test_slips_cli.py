"""`desktop-app receipts slips|reminders` on the demo database."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop_app.cli import main
from desktop_app.demo import build_demo_database
from desktop_app.services.receipts.batches import list_batches
from desktop_app.services.receipts.slips import slip_batch


@pytest.fixture
def demo(tmp_path: Path) -> tuple[Path, int]:
    db = build_demo_database(tmp_path / "demo")
    return tmp_path / "demo" / "demo.sqlite3", list_batches(db)[-1].id


def test_slips_command_writes_pdf_and_prints_path_and_pages(
    demo: tuple[Path, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path, batch_id = demo
    out = tmp_path / "slips.pdf"
    assert main(["receipts", "slips", str(batch_id), "--out", str(out), "--db", str(db_path)]) == 0
    printed = capsys.readouterr().out
    pages = len(PdfReader(str(out)).pages)
    assert str(out) in printed and f"{pages} 頁" in printed

    from desktop_app.storage.migrate import open_database

    batch = slip_batch(open_database(db_path, backup=None), batch_id)
    assert pages >= len(batch.students) > 0
    one_class = batch.students[0].class_name
    out2 = tmp_path / "class.pdf"
    args = [
        "receipts",
        "slips",
        str(batch_id),
        "--out",
        str(out2),
        "--class",
        one_class,
        "--db",
        str(db_path),
    ]
    assert main(args) == 0
    text = "".join(p.extract_text() for p in PdfReader(str(out2)).pages)
    in_class = [s for s in batch.students if s.class_name == one_class]
    others = [s for s in batch.students if s.class_name != one_class]
    assert all(s.name in text for s in in_class)
    assert not any(s.name in text for s in others if s.name not in {x.name for x in in_class})

    chosen = [batch.students[0].student_id, batch.students[-1].student_id]
    out3 = tmp_path / "chosen.pdf"
    ids = ",".join(str(i) for i in chosen)
    assert (
        main(
            ["receipts", "slips", str(batch_id), "--out", str(out3), "--students", ids, "--db", str(db_path)]
        )
        == 0
    )
    assert len(PdfReader(str(out3)).pages) >= 2


def test_pending_only_and_unknown_filters(
    demo: tuple[Path, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path, batch_id = demo
    out = tmp_path / "pending.pdf"
    assert (
        main(["receipts", "slips", str(batch_id), "--out", str(out), "--pending-only", "--db", str(db_path)])
        == 0
    )
    text = "".join(p.extract_text() for p in PdfReader(str(out)).pages)
    assert "目前狀態：未確認" not in text  # 未確認 is the default: not printed as a status
    status = main(
        [
            "receipts",
            "slips",
            str(batch_id),
            "--out",
            str(tmp_path / "x.pdf"),
            "--class",
            "999",
            "--db",
            str(db_path),
        ]
    )
    assert status == 1 and "沒有符合條件的學生" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_reminders_command(
    demo: tuple[Path, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path, batch_id = demo
    out = tmp_path / "rem.pdf"
    assert main(["receipts", "reminders", str(batch_id), "--out", str(out), "--db", str(db_path)]) == 0
    assert "班" in capsys.readouterr().out
    text = PdfReader(str(out)).pages[0].extract_text()
    assert "1.收訖明細請於" in text and "導師簽名" in text


def test_slips_duplex_flag_in_installed_command_and_contact_from_profile(
    demo: tuple[Path, int], tmp_path: Path
) -> None:
    import os
    import shutil
    import subprocess
    import sys

    db_path, batch_id = demo
    exe = shutil.which("desktop-app", path=str(Path(sys.executable).parent)) or "desktop-app"
    out = tmp_path / "duplex.pdf"
    run = subprocess.run(
        [exe, "receipts", "slips", str(batch_id), "--out", str(out), "--duplex", "--db", str(db_path)],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    pages = [p.extract_text() for p in PdfReader(str(out)).pages]
    starts = [i for i, t in enumerate(pages) if "第 1 頁／共" in t]
    assert starts and all(i % 2 == 0 for i in starts) and len(pages) % 2 == 0
    # the demo profile's contact line (設定 → 學校資料) and a print date on the slips
    flat = pages[0].replace("\n", "")
    assert "有疑問請洽：教務處註冊組（電話 (02)2345-6789 分機 123）" in flat
    assert "列印日期：" in flat
