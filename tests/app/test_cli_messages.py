"""The command line's messages and refusals: --db anywhere on the line, zh-TW argparse messages,
bad database files, empty years, bad numbers, unknown meetings, unwritable outputs (written as
regressions of an acceptance review)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from desktop_app.cli import main, translate_argparse_message
from desktop_app.demo import build_demo_database
from desktop_app.demo.core import CURRENT_YEAR
from desktop_app.services.calendar.reminders import due_items
from desktop_app.storage.db import DatabaseFileError
from desktop_app.storage.migrate import open_database


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    build_demo_database(folder).close()
    return folder / "demo.sqlite3"


@pytest.mark.parametrize(
    "line",
    [
        ["calendar", "--db", "{db}", "due", "--today", "{today}", "--json", "{out}"],
        ["--db", "{db}", "calendar", "due", "--today", "{today}", "--json", "{out}"],
        ["calendar", "due", "--today", "{today}", "--db", "{db}", "--json", "{out}"],
    ],
)
def test_db_option_counts_wherever_it_stands(line: list[str], demo_db: Path, tmp_path: Path) -> None:
    today = "115/11/28"
    with open_database(demo_db, backup=None) as db:
        from desktop_app.domain.roc_date import parse_roc_date

        expected = len(due_items(db, days=7, today=parse_roc_date(today)))
    assert expected > 0  # the demo has due items, so an empty answer means the wrong database
    out = tmp_path / "due.json"
    args = [a.format(db=demo_db, today=today, out=out) for a in line]
    assert main(args) == 0
    assert len(json.loads(out.read_text(encoding="utf-8"))["items"]) == expected


def test_argparse_errors_are_zh_tw(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["group", "status", "--db", str(demo_db)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "缺少必要的參數：--year" in err and "用法：" in err
    assert "required" not in err and "usage" not in err
    with pytest.raises(SystemExit):
        main(["selfcheck", "evidence", "--term", "113-3", "--db", str(demo_db)])
    err = capsys.readouterr().err
    assert "參數 --term：無法辨識的學期「113-3」" in err and "error" not in err
    with pytest.raises(SystemExit):
        main(["group", "export", "--year", "115", "--meeting", "abc"])
    assert "參數 --meeting 須為整數，收到 'abc'" in capsys.readouterr().err


def test_help_is_zh_tw(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["calendar", "due", "-h"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：desktop-app calendar due")
    assert "選項" in out and "顯示本說明後結束" in out
    assert "options" not in out and "show this help" not in out


def test_translate_argparse_message_leaves_unknown_text() -> None:
    assert translate_argparse_message("unrecognized arguments: --x") == "無法辨識的參數：--x"
    assert translate_argparse_message("其他訊息") == "其他訊息"


@pytest.mark.parametrize("content", [b"hello, not a database\n", bytes(range(256)) * 20])
def test_a_file_that_is_not_sqlite_is_refused_clearly(
    content: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(content)
    assert main(["group", "status", "--year", "115", "--db", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "不是 SQLite 格式" in err and str(bad) in err and "Traceback" not in err
    assert bad.read_bytes() == content  # nothing written into the stranger's file
    with pytest.raises(DatabaseFileError):
        open_database(bad)


def test_a_folder_given_as_database_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", "due", "--db", str(tmp_path)]) == 2
    assert "是資料夾，不是資料庫檔案" in capsys.readouterr().err


def test_fresh_database_in_missing_folder_is_created(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "x" / "new.sqlite3"
    # a --db that does not exist is never created silently (issue 11) ...
    assert main(["group", "status", "--year", "115", "--db", str(path)]) == 2
    assert "找不到資料庫檔案" in capsys.readouterr().err and not path.exists()
    # ... `db create` makes it (and its folder)
    assert main(["db", "create", str(path)]) == 0
    assert main(["group", "status", "--year", "115", "--db", str(path)]) == 1  # nothing set up yet
    out = capsys.readouterr().out
    assert "尚未建立工作小組成員" in out and path.exists()


def test_locked_unmigrated_database_is_refused_not_crashed(tmp_path: Path) -> None:
    from desktop_app.storage.db import Database

    path = tmp_path / "empty.sqlite3"
    holder = Database(path)  # holds the instance lock; the schema was never created
    try:
        with pytest.raises(DatabaseFileError, match="尚未升級"):
            open_database(path)
    finally:
        holder.close()


def test_empty_year_exports_nothing_and_says_so(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = tmp_path / "agenda.pdf"
    assert main(["calendar", "export", "--year", "100", "--pdf", str(pdf), "--db", str(demo_db)]) == 1  # nothing to export: exit 1, as every export
    assert "100學年度沒有任何作業期程項目" in capsys.readouterr().err and not pdf.exists()
    xlsx = tmp_path / "members.xlsx"
    assert main(["group", "export", "--year", "100", "--xlsx", str(xlsx), "--db", str(demo_db)]) == 1
    assert "100學年度尚未建立工作小組成員" in capsys.readouterr().err and not xlsx.exists()


def test_negative_days_refused(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", "due", "--days", "-3", "--db", str(demo_db)]) == 2
    assert "--days 須為 0 或正整數" in capsys.readouterr().err


def test_unknown_meeting_says_where_to_find_ids(demo_db: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    line = ["group", "export", "--year", str(CURRENT_YEAR), "--signin-pdf", str(tmp_path / "s.pdf")]
    assert main([*line, "--meeting", "999", "--db", str(demo_db)]) == 2
    err = capsys.readouterr().err
    assert "找不到會議（編號 999）" in err and f"group status --year {CURRENT_YEAR}" in err


def test_output_that_cannot_be_written_is_a_message(demo_db: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["group", "export", "--year", str(CURRENT_YEAR), "--xlsx", str(tmp_path), "--db", str(demo_db)]) == 2
    err = capsys.readouterr().err
    assert "無法讀寫檔案" in err and "這是資料夾" in err


def test_evidence_counts_partial_apart(demo_db: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "ev.json"
    assert main(["selfcheck", "evidence", "--term", f"{CURRENT_YEAR}-1", "--json", str(out), "--db", str(demo_db)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    labels = [f["status_label"] for f in report["findings"]]
    assert report["counts"] == {k: labels.count(k) for k in ("符合", "部分符合", "不符合", "尚無資料")}
    printed = capsys.readouterr().out
    assert f"部分符合 {labels.count('部分符合')}" in printed
    # the zh-TW title, not the English rule id, on the printed line
    assert "工作小組由校長擔任召集人" in printed and "wg_convener" not in printed


@pytest.mark.parametrize("year", ["99999", "0", "-5", "abc"])
def test_year_out_of_range_is_refused(year: str, demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for line in (["group", "status"], ["calendar", "plan"]):
        with pytest.raises(SystemExit) as exit_info:
            main([*line, "--year", year, "--db", str(demo_db)])
        assert exit_info.value.code == 2
        err = capsys.readouterr().err
        assert "學年度須為民國年 100–" in err and f"收到「{year}」" in err and "Traceback" not in err


def test_json_into_a_missing_folder_is_refused_like_the_exports(demo_db: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "new" / "folder" / "status.json"
    assert main(["group", "status", "--year", str(CURRENT_YEAR), "--json", str(out), "--db", str(demo_db)]) == 2
    assert f"資料夾「{out.parent}」不存在" in capsys.readouterr().err and not (tmp_path / "new").exists()
    out.parent.mkdir(parents=True)
    main(["group", "status", "--year", str(CURRENT_YEAR), "--json", str(out), "--db", str(demo_db)])
    assert json.loads(out.read_text(encoding="utf-8"))["year"] == CURRENT_YEAR


def test_evidence_labels_use_the_answer_scale_words() -> None:
    from desktop_app.domain.selfcheck import RATING_CHOICES
    from desktop_app.services.selfcheck_evidence import FAILS, HOLDS, STATUS_LABELS

    # the evidence speaks the same words as the answers a person picks (符合/部分符合/不符合/不適用)
    assert STATUS_LABELS[HOLDS] in RATING_CHOICES and STATUS_LABELS[FAILS] in RATING_CHOICES


def test_ics_description_does_not_repeat_the_status() -> None:
    from desktop_app.domain.calendar import DeadlineItem, TaskStatus
    from desktop_app.exports.calendar_ics import event_description

    def item(status: TaskStatus, state: str) -> DeadlineItem:
        return DeadlineItem(
            key="task:1", kind="task", year=115, term=1, item="二 研習規劃", title="操作訓練", content="系統操作",
            owners="網管人員", start_date=None, due_date=date(2026, 9, 14), status=status, done_on=None, state=state,
        )  # fmt: skip

    assert "狀態：完成\n" in event_description(item(TaskStatus.DONE, "done")) + "\n"
    assert "狀態：未開始（逾期）" in event_description(item(TaskStatus.NOT_STARTED, "overdue"))


def test_another_programs_sqlite_file_is_not_migrated(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE grades (x)")
    with pytest.raises(DatabaseFileError, match="不是本系統的資料庫"):
        open_database(path)
    with sqlite3.connect(path) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")] == ["grades"]


def test_a_database_from_a_newer_version_is_refused(demo_db: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    import shutil
    import sqlite3

    path = tmp_path / "future.sqlite3"
    shutil.copy(demo_db, path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_future'")
    assert main(["group", "status", "--year", "115", "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert "較新版本的程式建立的（資料庫版本 0099_future）" in err and "Traceback" not in err
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0099_future"


def test_due_on_an_unplanned_year_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "create", str(tmp_path / "new.sqlite3")]) == 0
    assert main(["calendar", "due", "--today", "115/11/28", "--db", str(tmp_path / "new.sqlite3")]) == 0
    out = capsys.readouterr().out
    assert "逾期 0 項" in out and "115學年度尚未規劃作業期程" in out and "calendar plan --year 115" in out


def test_due_on_the_planned_demo_has_no_such_note(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", "due", "--today", "115/11/28", "--db", str(demo_db)]) == 0
    assert "尚未規劃" not in capsys.readouterr().out
