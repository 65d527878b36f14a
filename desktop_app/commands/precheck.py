"""`desktop-app precheck ROSTER --plan PLAN …` (owned by the precheck feature).

Exit status: 0 no errors (warnings allowed), 1 errors found, 2 the file could not be checked
(the JSON, when asked for, still says why).

Where the school code and the ID mask come from: ``--school-code`` first; else the profile of the
database given with ``--db``; else, when no ``--db`` is given but the default database of this
user exists, that database's profile (read only, nothing recorded there); else the roster's 封面.
學年度/學期: ``--year``/``--term``, else the 封面. A run is recorded only with ``--db``.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app.commands import school_year, without_cyclic_gc
from desktop_app.commands.passmarks import add_pass_mark_arguments, pass_mark_settings
from desktop_app.config import default_db_path
from desktop_app.domain.pass_marks import apply_pass_marks, describe, record_pass_marks
from desktop_app.domain.precheck.model import CheckOptions, Finding, PrecheckResult
from desktop_app.domain.roc_date import term_of
from desktop_app.services import ServiceError

if TYPE_CHECKING:  # pragma: no cover
    from desktop_app.storage.db import Database

# Database, SQLAlchemy and openpyxl are imported only when a run needs them: without --db and
# without --report/--annotate the command starts almost as fast as the bare engine (benchmark).

JSON_KEYS = (
    "file",
    "sha256",
    "kind",
    "division",
    "year",
    "term",
    "rows",
    "counts",
    "findings",
    "patterns",
    "offering",
    "seconds",
)


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add ``precheck``."""
    p = sub.add_parser(
        "precheck",
        parents=[common],
        help="開課預檢：以核定課程計畫檢核修課紀錄／成績名冊（不修改名冊）",
        description=(
            "以核定課程計畫檢核名冊，列出所有錯誤與警告。結束代碼：0 無錯誤（可有警告）、1 有錯誤、"
            "2 檔案無法檢核。名冊檔只讀不寫。"
        ),
    )
    p.add_argument("roster", metavar="ROSTER", help="名冊檔（.xlsx / .xls / .ods / .csv）")
    p.add_argument("--plan", required=True, metavar="PLAN", help="課程計畫檔（平臺匯出）")
    p.add_argument(
        "--kind",
        choices=("pre", "final"),
        help="名冊別：pre 預檢（不含成績）、final 成績名冊；預設依封面或欄位判斷",
    )
    p.add_argument(
        "--division", choices=("day", "continuing"), help="部別：day 日間、continuing 進修部；預設自動判斷"
    )
    p.add_argument("--school-code", metavar="CODE", help="學校代碼（預設取資料庫的學校資料，再取封面）")
    p.add_argument("--year", type=school_year, metavar="N", help="學年度（預設取封面）")
    p.add_argument("--term", type=int, choices=(1, 2), help="學期（預設取封面）")
    p.add_argument("--report", metavar="OUT.xlsx", help="輸出檢核報表（xlsx）")
    p.add_argument("--annotate", metavar="OUT.xlsx", help="輸出標註錯誤的名冊副本（原檔不變）")
    p.add_argument("--json", metavar="OUT.json", help="輸出 JSON 結果")
    add_pass_mark_arguments(p)  # --pass-marks FILE, --default-pass-mark N, --other-pass-marks LIST
    p.set_defaults(handler=run_precheck_command)


def _profile_db(args: argparse.Namespace) -> tuple[Database | None, Database | None]:
    """(db to record in, db to read the profile from)."""
    if getattr(args, "db", None):
        from desktop_app.commands import open_db

        db = open_db(args)
        return db, db
    path = default_db_path()
    if path.is_file() and path.stat().st_size > 0:
        from desktop_app.storage.db import Database

        try:
            return None, Database(path, exclusive=False)
        except Exception:  # an unreadable default database must not stop a check
            return None, None
    return None, None


def result_json(result: PrecheckResult, **extra: Any) -> dict[str, Any]:
    """The JSON document of a run: the engine's keys (``engine.result_to_json``, the issue's
    first), error and warning totals, then what the app adds (plan version, run id, diff)."""
    from desktop_app.domain.precheck.engine import result_to_json

    return {
        **result_to_json(result),
        "errors": result.error_count,
        "warnings": result.warning_count,
        **extra,
    }


def write_json_fast(path: str | Path, data: dict[str, Any]) -> None:
    """Compact UTF-8 JSON. ``json.dumps`` without ``indent`` runs the C encoder in one shot;
    ``json.dump`` to a file (or any ``indent``) falls back to the pure-Python one (~0.4 s here)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)


def _failed_json(
    roster: Path, message: str, options: CheckOptions, code: str | None = None
) -> dict[str, Any]:
    """The JSON of a run that could not start. ``code`` (F01 for a roster that is missing or a
    folder) is counted like any finding, so ``counts`` says why as well as ``error``."""
    from desktop_app.domain.precheck.rules import RULES
    from desktop_app.services.precheck.check import sha256_file

    sha = ""
    size = 0
    if roster.is_file():
        try:
            sha = sha256_file(roster)
            size = roster.stat().st_size
        except OSError:
            pass
    findings: list[dict[str, Any]] = []
    if code is not None:
        findings.append(dict(vars(Finding(code, RULES[code].severity, message))))  # same keys as a run
    return {
        "file": roster.name,
        "sha256": sha,
        "kind": options.kind,
        "division": options.division,
        "year": options.year,
        "term": options.term,
        "rows": {},
        "counts": {code: 1} if code is not None else {},
        "findings": findings,
        "patterns": [],
        "offering": [],
        "seconds": 0.0,
        "size": size,
        "fatal": True,
        "error": message,
    }


def _summary(result: PrecheckResult) -> list[str]:
    from desktop_app.domain.precheck.rules import RULES

    kinds = {"pre": "預檢名冊（不含成績）", "final": "成績／修課紀錄名冊"}
    divisions = {"day": "日間", "continuing": "進修部（學校）"}
    term = f"{result.year}學年度第{result.term}學期" if result.year and result.term else "學期未定"
    lines = [
        f"開課預檢：{Path(result.file).name}（{term}，{kinds.get(result.kind or '', '名冊別未定')}，"
        f"{divisions.get(result.division or '', '部別未定')}）",
    ]
    if result.rows:
        lines.append("讀取：" + "；".join(f"{s} {n:,} 列" for s, n in result.rows.items()))
    lines.append(f"錯誤 {result.error_count:,}、警告 {result.warning_count:,}（{result.seconds:.2f} 秒）")
    for code in sorted(result.counts, key=lambda c: ("FWRPO".find(c[:1]) % 9, c)):
        title = RULES[code].title_zh if code in RULES else ""
        lines.append(f"  {code} {title}：{result.counts[code]:,}")
    if result.patterns:
        lines.append(f"相同錯誤樣態 {len(result.patterns)} 項：請先檢查成績系統設定或程式，整批更正。")
    if result.offering:
        lines.append(f"開課比對：{len(result.offering)} 門本學期應開課程在名冊中沒有學生。")
    if result.pua:  # formats.md: report every 造字 found (details in the report's 造字 sheet)
        lines.append(f"造字：{len(result.pua)} 處儲存格含造字（難字），請以難字對照表修正後再列印。")
    return lines


def _print_safely(text: str) -> None:
    """Print on any console: a Windows console in cp950 cannot show every character (造字, symbols)."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        try:
            reconfigure(errors="replace")
        except (ValueError, OSError):  # pragma: no cover - exotic streams
            pass
    try:
        print(text, flush=True)
    except BrokenPipeError:  # `… | head`: the reader left; the files and the exit code still count
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _refuse(
    args: argparse.Namespace, roster: Path, message: str, options: CheckOptions, code: str | None = None
) -> int:
    """A run that could not start: the message on stderr, exit 2; the JSON, when asked for, says why."""
    if args.json:
        write_json_fast(args.json, _failed_json(roster, message, options, code))
    print(f"錯誤：{message}", file=sys.stderr)
    return 2


def _check(
    args: argparse.Namespace, roster: Path, options: CheckOptions, db: Database | None, svc: Any
) -> tuple[PrecheckResult, Any]:
    """(result, plan version or None): the plan imported into ``db`` (or read from its file), the
    pass marks applied, the roster checked. Refusals (bad plan, roster, pass marks) are ServiceError."""
    from desktop_app.services.precheck import check as files

    plan_version = None
    if db is not None:
        fallback_year = args.year or term_of(date.today()).year
        plan_version = svc.import_plan(db, args.plan, default_year=fallback_year).version
        plan = svc.load_plan(db, plan_version.id)
        version_id = plan_version.id
        other_plans: Any = lambda: svc.other_plan_versions(db, version_id)  # noqa: E731 (重修)
    else:
        plan, other_plans = files.read_plan_file(args.plan), ()
    marks = pass_mark_settings(args, db)  # a bad --pass-marks file: exit 2, says where
    options = apply_pass_marks(options, marks)
    result = files.check_roster_file(roster, plan, options, other_plans=other_plans)
    record_pass_marks(result, marks)
    return result, plan_version


def _plan_extra(result: PrecheckResult, plan_version: Any) -> dict[str, Any]:
    """The JSON's additions to the engine's keys: the plan version, the fatal error, the pass marks."""
    extra: dict[str, Any] = {}
    if plan_version is not None:
        extra["plan"] = {
            "file": plan_version.file_name,
            "sha256": plan_version.sha256,
            "year": plan_version.year,
            "version": plan_version.version,
        }
    if result.fatal:
        extra["error"] = "；".join(f.message for f in result.findings if f.severity == "error") or "檔案無法檢核"
    extra["pass_marks"] = result.pass_marks
    return extra


def _record(
    db: Database, svc: Any, result: PrecheckResult, plan_version: Any, lines: list[str], extra: dict[str, Any]
) -> None:
    """Record the run in ``db``; the comparison with the previous run and the deadline go to ``lines``."""
    run = svc.record_run(db, result, plan_version_id=plan_version.id if plan_version else None, source="cli")
    extra["run_id"] = run.id
    diff = svc.diff_run(db, run.id)
    if diff.previous is not None:
        lines.append(
            f"與上次（#{diff.previous.id}）相比：已修正 {len(diff.fixed):,}、新增 {len(diff.new):,}、仍待修正 {len(diff.remaining):,}"
        )
        extra["diff"] = {
            "previous_run": diff.previous.id,
            "fixed": len(diff.fixed),
            "new": len(diff.new),
            "remaining": len(diff.remaining),
        }
    lines.append(f"已記錄於資料庫（預檢紀錄 #{run.id}，課程計畫 {plan_version.label if plan_version else '—'}）")
    if result.year and result.term:
        lines.append(svc.first_comparison_deadline(db, result.year, result.term).text)


def _run(
    args: argparse.Namespace, roster: Path, options: CheckOptions, db: Database | None, profile_db: Database | None
) -> int:
    from desktop_app.services.precheck.check import RosterMissingError

    svc: Any = None
    if profile_db is not None:
        from desktop_app.services.precheck import runs as svc

        options = svc.resolve_options(profile_db, options)
    try:
        result, plan_version = _check(args, roster, options, db, svc)
    except ServiceError as exc:
        return _refuse(args, roster, str(exc), options, "F01" if isinstance(exc, RosterMissingError) else None)
    extra = _plan_extra(result, plan_version)
    lines = _summary(result)
    if result.kind != "pre":
        lines.insert(1, "及格標準：" + describe(result.pass_marks))
    if db is not None and svc is not None:
        _record(db, svc, result, plan_version, lines, extra)
    status = 2 if result.fatal else (1 if result.error_count else 0)
    if args.json:
        write_json_fast(args.json, result_json(result, **extra))
        lines.append(f"JSON：{args.json}")
    if args.report or args.annotate:
        status = _write_files(args, roster, result, options, plan_version, lines, status)
    _print_safely("\n".join(lines))
    return status


def run_precheck_command(args: argparse.Namespace) -> int:
    with without_cyclic_gc():
        return _precheck_command(args)


def _precheck_command(args: argparse.Namespace) -> int:
    roster = Path(args.roster)
    school_code = args.school_code.strip().upper() if args.school_code else None
    options = CheckOptions(args.kind, args.division, school_code, args.year, args.term)
    if (args.year is None) != (args.term is None):
        return _refuse(args, roster, "--year 與 --term 須一起指定（例如 --year 114 --term 1）。", options)
    db, profile_db = _profile_db(args)
    try:
        return _run(args, roster, options, db, profile_db)
    finally:
        if db is not None:
            db.close()
        elif profile_db is not None:
            profile_db.close()


def _write_files(
    args: argparse.Namespace,
    roster: Path,
    result: PrecheckResult,
    options: CheckOptions,
    plan_version: Any,
    lines: list[str],
    status: int,
) -> int:
    """--report and --annotate, through the same services as the window (openpyxl is imported only here)."""
    from desktop_app.services.precheck.export import export_annotated_copy, export_report

    try:
        if args.report:
            plan_label = plan_version.label if plan_version else Path(args.plan).name
            export_report(result, args.report, roster=roster, mask_pattern=options.mask_pattern, plan_label=plan_label)
            lines.append(f"報表：{args.report}")
        if args.annotate:
            export_annotated_copy(roster, result, args.annotate)
            lines.append(f"標註副本：{args.annotate}（原名冊未修改）")
    except ServiceError as exc:
        print(f"錯誤：{exc}", file=sys.stderr)
        status = 2
    return status
