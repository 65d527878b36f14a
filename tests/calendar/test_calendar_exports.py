"""Exports (.ics, .xlsx, PDF agenda) read back with their libraries; the CLI; migration 0004."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from pypdf import PdfReader

from desktop_app.cli import main as cli_main
from desktop_app.domain.roc_date import format_roc
from desktop_app.exports.calendar_ics import write_ics
from desktop_app.exports.calendar_pdf import write_agenda_pdf
from desktop_app.exports.calendar_xlsx import write_xlsx
from desktop_app.services.calendar.deadlines import deadline_items
from desktop_app.services.calendar.planning import plan_year
from desktop_app.services.calendar.tasks import OfficialInput, add_official, list_tasks, mark_done
from desktop_app.storage.db import Database
from desktop_app.storage.migrate import current_revision, head_revision, open_database, upgrade

TODAY = date(2025, 10, 15)


@pytest.fixture
def planned(profile_db):  # type: ignore[no-untyped-def]
    plan_year(profile_db, 114)
    tasks = {t.template_key: t for t in list_tasks(profile_db, 114)}
    mark_done(profile_db, tasks["maintenance@1"].id, date(2025, 8, 28), "模組已更新")
    add_official(
        profile_db,
        OfficialInput(
            year=114,
            title="預檢名冊提交至中央資料庫",
            start_date=date(2025, 9, 11),
            due_date=date(2025, 11, 10),
            doc_no="臺教國署高字第1120113411號",
            rosters="預檢_修課紀錄名冊",
        ),
    )
    return profile_db


def test_ics_parses_back_with_the_same_events(planned, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    items = deadline_items(planned, 114, today=TODAY)
    path = write_ics(items, tmp_path / "cal.ics", "測試 作業期程")
    cal = Calendar.from_ical(path.read_bytes())
    events = cal.walk("VEVENT")
    dated = [i for i in items if i.due_date is not None]
    assert len(events) == len(dated)
    got = {
        str(e["UID"]): (e.decoded("DTSTART"), e.decoded("DTEND"), str(e["SUMMARY"]), str(e["DESCRIPTION"]))
        for e in events
    }
    assert len(got) == len(dated)  # unique UIDs
    for item in dated:
        uid = f"114-{item.key.replace(':', '-')}@calendar.desktop-app"
        start, end, summary, description = got[uid]
        assert start == item.due_date and (end - start).days == 1
        assert item.title in summary
        assert f"截止：{format_roc(item.due_date)}" in description
    official = next(v for v in got.values() if "預檢名冊提交" in v[2])
    assert official[2].startswith("【國教署】") and "臺教國署高字第1120113411號" in official[3]
    assert "期間：114/09/11－114/11/10" in official[3]


def test_xlsx_has_every_item_with_roc_dates(planned, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    items = deadline_items(planned, 114, today=TODAY)
    path = write_xlsx(items, tmp_path / "cal.xlsx", "作業期程")
    ws = load_workbook(path).active
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert len(rows) == len(items)
    header = [c.value for c in ws[2]]
    due_col, state_col, doc_col = header.index("截止"), header.index("期限狀態"), header.index("文號")
    assert [r[due_col] or None for r in rows] == [format_roc(i.due_date) or None for i in items]
    assert "逾期" in {r[state_col] for r in rows}
    assert "臺教國署高字第1120113411號" in {r[doc_col] for r in rows}


def test_pdf_agenda_text_has_tasks_with_roc_dates(planned, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    items = deadline_items(planned, 114, today=TODAY)
    path = write_agenda_pdf(
        items, tmp_path / "agenda.pdf", year=114, school_name="國立示範高級中學", today=TODAY
    )
    reader = PdfReader(str(path))
    text = "".join(page.extract_text() for page in reader.pages).replace(" ", "")
    assert "114學年度學生學習歷程檔案作業期程" in text
    assert "114學年度第1學期" in text and "114學年度第2學期" in text
    for key in ("precheck-first@1", "training-system@2", "maintenance@1"):
        task = next(t for t in list_tasks(planned, 114) if t.template_key == key)
        assert format_roc(task.due_date) in text
        assert task.work.replace(" ", "") in text
    assert "臺教國署高字第1120113411號" in text
    assert "網管人員" in text and "逾期" in text and "完成" in text
    fonts = {
        str(f.get_object()["/BaseFont"])
        for page in reader.pages
        for f in page["/Resources"]["/Font"].values()
    }
    assert not any("MSung" in f for f in fonts)  # an embedded TrueType font, never a CID font


def test_cli_plan_twice_export_and_due(profile_db, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = str(profile_db.path)
    profile_db.close()
    assert cli_main(["calendar", "plan", "--year", "114", "--db", path]) == 0
    assert "新增 30 項" in capsys.readouterr().out
    assert cli_main(["calendar", "plan", "--year", "114", "--db", path]) == 0
    assert "新增 0 項，更新 0 項，未變更 30 項" in capsys.readouterr().out

    ics, xlsx, pdf = tmp_path / "a.ics", tmp_path / "a.xlsx", tmp_path / "a.pdf"
    code = cli_main(
        [
            "calendar",
            "export",
            "--year",
            "114",
            "--db",
            path,
            "--ics",
            str(ics),
            "--xlsx",
            str(xlsx),
            "--pdf",
            str(pdf),
        ]
    )
    assert code == 0 and ics.stat().st_size and xlsx.stat().st_size and pdf.read_bytes().startswith(b"%PDF")

    out_json = tmp_path / "due.json"
    assert (
        cli_main(
            ["calendar", "due", "--days", "7", "--today", "114/09/10", "--json", str(out_json), "--db", path]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "逾期 1 項" in printed and "114/08/31" in printed
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert {i["state"] for i in data["items"]} == {"overdue", "due-soon"}
    assert any(i["due_date_roc"] == "114/09/14" and i["title"] == "操作訓練" for i in data["items"])


def test_cli_plan_refuses_without_term_dates(db_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    open_database(db_path).close()
    assert cli_main(["calendar", "plan", "--year", "116", "--db", str(db_path)]) == 2
    assert "開學日尚未設定" in capsys.readouterr().err


def test_migration_0004_upgrades_a_database_at_0003(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    db = Database(path)
    upgrade(db, "0003")
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "insert into calendar_task (year, term, item, work, content, timing, owners, status, note,"
            " is_official, doc_no, template_key, sort_order) values"
            " (113, 1, '一 行政規劃', '工作小組會議', '', '每學期', '工作小組', '未開始', '', 0, '', '', 0)"
        )
    db.close()
    db = open_database(path)
    assert current_revision(db) == head_revision()
    tasks = list_tasks(db, 113)
    assert [(t.work, t.source, t.rosters, t.dates_locked) for t in tasks] == [("工作小組會議", "", "", False)]
    db.close()


def test_migration_0009_stores_status_codes_and_downgrades_to_labels(tmp_path: Path) -> None:
    from alembic import command

    from desktop_app.domain.calendar import TaskStatus
    from desktop_app.storage.migrate import alembic_config

    path = tmp_path / "labels.sqlite3"
    db = Database(path)
    upgrade(db, "0008")
    labels = ("未開始", "進行中", "完成", "不適用")
    with db.engine.begin() as conn:
        for n, label in enumerate(labels):
            conn.exec_driver_sql(
                "insert into calendar_task (year, term, item, work, content, timing, owners, status, note,"
                " is_official, doc_no, template_key, sort_order, source, rosters, dates_locked) values"
                f" (113, 1, '一 行政規劃', '工作{n}', '', '', '', '{label}', '', 0, '', '', {n}, '', '', 0)"
            )
    db.close()
    db = open_database(path)
    assert current_revision(db) == head_revision()
    with db.engine.connect() as conn:
        stored = [r[0] for r in conn.exec_driver_sql("select status from calendar_task order by sort_order")]
    assert stored == ["todo", "doing", "done", "na"]
    # every screen still shows the label the row had
    tasks = sorted(list_tasks(db, 113), key=lambda t: t.sort_order)
    assert [t.status for t in tasks] == list(TaskStatus)
    assert [t.status.label for t in tasks] == list(labels)
    db.close()

    db = Database(path)
    with db.engine.begin() as conn:
        config = alembic_config(db.path)
        config.attributes["connection"] = conn
        command.downgrade(config, "0008")
    with db.engine.connect() as conn:
        stored = [r[0] for r in conn.exec_driver_sql("select status from calendar_task order by sort_order")]
    assert stored == list(labels)
    db.close()
