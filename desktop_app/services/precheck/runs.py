"""開課預檢 services. ``list_runs`` is the contract other features read (calendar, self-check).

User actions:

- :func:`import_plan` stores a course plan (課程計畫) as a new version of its 實施學年度.
- :func:`run_precheck` checks a roster against a stored plan version and records the run.
- :func:`check_roster_file` checks without a database (the CLI without ``--db``).

Reads: :func:`list_runs`, :func:`list_plan_versions`, :func:`run_findings`, :func:`diff_run`,
:func:`first_comparison_deadline`.

The engine (``desktop_app.domain.precheck``) is imported lazily so that this module stays cheap to
import for the features that only read the run history.
"""

from __future__ import annotations

import json
import zlib
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, select

from desktop_app.config import os_user
from desktop_app.domain.precheck.model import CheckOptions, Finding, PlanCourse, PrecheckResult
from desktop_app.domain.progress import ProgressFn
from desktop_app.domain.roc_date import Term, format_roc
from desktop_app.services import ServiceError
from desktop_app.services.audit import record
from desktop_app.services.precheck.check import (  # re-exported: the file-only half
    RosterChangedError,  # noqa: F401
    check_roster_file,
    plan_courses,
    read_plan_file,
    sha256_file,
)
from desktop_app.services.profile import get_profile, get_term_dates, mask_pattern
from desktop_app.storage.db import Database
from desktop_app.storage.models import PlanCourseRow, PlanVersion, PrecheckRun, PrecheckRunFindings

if TYPE_CHECKING:  # pragma: no cover
    from desktop_app.domain.pass_marks import PassMarkSettings
    from desktop_app.domain.precheck.plan import CoursePlan

FIRST_COMPARISON_DAYS = 28  # 開學日 + 4 weeks (guideline §3: the 1st comparison)
KIND_LABELS = {"pre": "預檢", "final": "成績"}
DIVISION_LABELS = {"day": "日間", "continuing": "進修部"}


# --------------------------------------------------------------------------- plain objects


@dataclass(frozen=True)
class PrecheckRunInfo:
    id: int
    run_at: datetime
    os_user: str
    year: int | None
    term: int | None
    kind: str  # "pre" | "final"
    division: str  # "day" | "continuing"
    file_name: str
    sha256: str
    error_count: int
    warning_count: int
    seconds: float
    status: str  # "ok" | "failed"
    counts: dict[str, int] = field(default_factory=dict)
    file_size: int = 0
    plan_version_id: int | None = None
    rows: dict[str, int] = field(default_factory=dict)
    source: str = "tab"  # "tab" | "cli" | "demo"
    encoding: str | None = None
    message: str = ""
    pass_marks: dict[str, Any] = field(default_factory=dict)  # the 及格標準 used (empty: not recorded)

    @property
    def kind_label(self) -> str:
        return f"{KIND_LABELS.get(self.kind, self.kind)}／{DIVISION_LABELS.get(self.division, self.division)}"


@dataclass(frozen=True)
class PlanVersionInfo:
    id: int
    year: int  # 實施學年度
    version: int
    file_name: str
    file_date: datetime | None
    file_size: int
    sha256: str
    imported_at: datetime
    os_user: str
    course_count: int

    @property
    def label(self) -> str:
        """e.g. ``114學年度 第2版（plan.xlsx，114/09/01 匯入）``."""
        return (
            f"{self.year}學年度 第{self.version}版（{self.file_name}，"
            f"{format_roc(self.imported_at.date())} 匯入）"
        )


@dataclass(frozen=True)
class PlanImport:
    version: PlanVersionInfo
    created: bool  # False: the very same file was already stored as this version


@dataclass(frozen=True)
class RunOutcome:
    run: PrecheckRunInfo
    result: PrecheckResult
    plan_version: PlanVersionInfo | None


@dataclass(frozen=True)
class StoredFinding:
    """A finding as kept in the run history (P01 and O01 included, one entry each).

    P01 keeps its rule in ``column``, ``affected/total`` in ``value``, the subject in ``expected``
    and the advice in ``message``. O01 keeps the grade in ``column``, the subject in ``value``, the
    credits in ``expected``, the 課程類別 in ``student_class`` and its name in ``student_name``.
    """

    code: str
    severity: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    expected: str | None = None
    student_id: str | None = None
    student_name: str | None = None
    student_class: str | None = None
    student_seat: str | None = None
    course_code: str | None = None

    @property
    def key(self) -> tuple[str | None, ...]:
        """Identity across runs: not the row number (rows move when the roster is re-exported)."""
        return (
            self.code,
            self.sheet,
            self.student_id,
            self.student_name,
            self.course_code,
            self.column,
        )


@dataclass(frozen=True)
class RunDiff:
    run: PrecheckRunInfo
    previous: PrecheckRunInfo | None
    fixed: list[StoredFinding]
    new: list[StoredFinding]
    remaining: list[StoredFinding]


@dataclass(frozen=True)
class DeadlineInfo:
    """The 1st comparison of a 學期: within 4 weeks after 開學日."""

    year: int
    term: int
    start_date: date | None  # 開學日 (None: not set in the profile)
    deadline: date | None
    first_run_at: datetime | None  # first recorded (not failed) run of that 學期
    in_time: bool | None  # None: cannot tell yet (no 開學日, or no run and not yet late)
    text: str  # zh-TW one-liner for the tab and the CLI


# --------------------------------------------------------------------------- helpers


def _file_mtime(path: Path) -> datetime | None:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0)
    except OSError:
        return None


def _run_info(r: PrecheckRun) -> PrecheckRunInfo:
    return PrecheckRunInfo(
        r.id,
        r.run_at,
        r.os_user,
        r.year,
        r.term,
        r.kind,
        r.division,
        r.file_name,
        r.sha256,
        r.error_count,
        r.warning_count,
        r.seconds,
        r.status,
        json.loads(r.counts_json or "{}"),
        file_size=r.file_size or 0,
        plan_version_id=r.plan_version_id,
        rows=json.loads(r.rows_json or "{}"),
        source=r.source or "tab",
        encoding=r.encoding,
        message=r.message or "",
        pass_marks=json.loads(r.pass_marks_json) if r.pass_marks_json else {},
    )


def _version_info(v: PlanVersion) -> PlanVersionInfo:
    return PlanVersionInfo(
        v.id,
        v.year,
        v.version,
        v.file_name,
        v.file_date,
        v.file_size,
        v.sha256,
        v.imported_at,
        v.os_user,
        v.course_count,
    )


# --------------------------------------------------------------------------- runs (contract)


def list_runs(db: Database, year: int | None = None, term: int | None = None) -> list[PrecheckRunInfo]:
    """Recorded runs, oldest first; filtered by 學年度/學期 when given."""
    stmt = select(PrecheckRun).order_by(PrecheckRun.run_at, PrecheckRun.id)
    if year is not None:
        stmt = stmt.where(PrecheckRun.year == year)
    if term is not None:
        stmt = stmt.where(PrecheckRun.term == term)
    with db.read() as s:
        return [_run_info(r) for r in s.scalars(stmt)]


def get_run(db: Database, run_id: int) -> PrecheckRunInfo:
    with db.read() as s:
        r = s.get(PrecheckRun, run_id)
        if r is None:
            raise ServiceError(f"找不到預檢紀錄 #{run_id}")
        return _run_info(r)


def run_terms(db: Database) -> list[Term]:
    """The 學期 that have recorded runs, newest first."""
    with db.read() as s:
        pairs = s.execute(
            select(PrecheckRun.year, PrecheckRun.term)
            .where(PrecheckRun.year.is_not(None), PrecheckRun.term.is_not(None))
            .distinct()
        ).all()
    return sorted({Term(y, t) for y, t in pairs if y is not None and t in (1, 2)}, key=lambda t: (t.year, t.term), reverse=True)


# --------------------------------------------------------------------------- course plan


def plan_from_courses(courses: dict[str, PlanCourse], source: str = "") -> CoursePlan:
    """Adapter: the engine's plan object from stored courses."""
    from desktop_app.domain.precheck.plan import CoursePlan

    return CoursePlan.from_courses(courses.values(), source=source)


def _courses_of_year(
    file_name: str, courses: dict[str, PlanCourse], year: int | None, default_year: int | None
) -> tuple[int, dict[str, PlanCourse]]:
    """The 實施學年度 a plan file is imported as, and its courses of that year.

    ``year`` given: keep that year's courses (and those without a year). Otherwise the file's one
    year, or ``default_year`` for a file without the column; several years must be chosen from.
    """
    years = Counter(c.year for c in courses.values() if c.year is not None)
    if year is None and not years and default_year is not None:
        year = default_year
    if year is not None:
        courses = {code: c for code, c in courses.items() if c.year in (None, year)}
        if not courses:
            raise ServiceError(f"課程計畫檔「{file_name}」沒有 {year} 學年度的課程。")
        return year, courses
    if not years:
        raise ServiceError(f"課程計畫檔「{file_name}」沒有「實施學年度」欄，請指定實施學年度（例如 114）。")
    if len(years) > 1:
        listed = "、".join(str(y) for y in sorted(years))
        raise ServiceError(
            f"課程計畫檔「{file_name}」含多個實施學年度（{listed}），請指定要匯入的學年度，"
            "或自平臺分別匯出各學年度。"
        )
    return next(iter(years)), courses


def import_plan(
    db: Database, path: Path | str, *, year: int | None = None, default_year: int | None = None
) -> PlanImport:
    """Store a course plan as the next version of its 實施學年度.

    Args:
        path: the platform export (.xlsx/.xls/.ods/.csv).
        year: keep only that 實施學年度 (for a file holding several years; also names the year of
            a file without the column).
        default_year: the year of a file that has no 實施學年度 column (the vendor layout).

    Returns:
        The stored version; ``created`` is False when the same file (same SHA-256) is already the
        latest version of that year (nothing is stored again).
    """
    path = Path(path)
    courses = plan_courses(read_plan_file(path))
    if not courses:
        raise ServiceError(f"課程計畫檔「{path.name}」沒有任何課程，請確認匯出的是課程計畫。")
    year, courses = _courses_of_year(path.name, courses, year, default_year)
    digest = sha256_file(path)
    size = path.stat().st_size
    with db.transaction() as s:
        latest = s.scalar(
            select(PlanVersion).where(PlanVersion.year == year).order_by(PlanVersion.version.desc()).limit(1)
        )
        if latest is not None and latest.sha256 == digest:
            return PlanImport(_version_info(latest), created=False)
        version = PlanVersion(
            year=year,
            version=(latest.version + 1) if latest is not None else 1,
            file_name=path.name,
            file_date=_file_mtime(path),
            file_size=size,
            sha256=digest,
            imported_at=datetime.now().replace(microsecond=0),
            os_user=os_user(),
            course_count=len(courses),
        )
        s.add(version)
        s.flush()
        s.execute(
            insert(PlanCourseRow),
            [
                {
                    "version_id": version.id,
                    "code": c.code,
                    "name": c.name,
                    "credits": c.credits,
                    "methods": c.methods,
                    "attributes": c.attributes,
                    "course_type": c.course_type,
                    "year": c.year if c.year is not None else year,
                }
                for c in courses.values()
            ],
        )
        info = _version_info(version)
        record(
            s,
            "precheck.plan_import",
            "precheck_plan_version",
            version.id,
            summary=f"匯入課程計畫 {info.year}學年度 第{info.version}版（{path.name}，{len(courses)} 門課）",
            after={"file": path.name, "sha256": digest, "courses": len(courses)},
        )
    return PlanImport(info, created=True)


def list_plan_versions(db: Database, year: int | None = None) -> list[PlanVersionInfo]:
    """Stored plan versions, newest year and version first."""
    stmt = select(PlanVersion).order_by(PlanVersion.year.desc(), PlanVersion.version.desc())
    if year is not None:
        stmt = stmt.where(PlanVersion.year == year)
    with db.read() as s:
        return [_version_info(v) for v in s.scalars(stmt)]


def get_plan_version(db: Database, version_id: int) -> PlanVersionInfo | None:
    with db.read() as s:
        v = s.get(PlanVersion, version_id)
        return None if v is None else _version_info(v)


def plan_version_for(db: Database, year: int | None) -> PlanVersionInfo | None:
    """The plan to check a roster of 學年度 ``year`` with: the latest version of that year, else
    the latest version of the closest earlier year, else the newest version stored."""
    versions = list_plan_versions(db)
    if not versions:
        return None
    if year is not None:
        for v in versions:  # newest first
            if v.year <= year:
                return v
    return versions[0]


def load_plan(db: Database, version_id: int) -> CoursePlan:
    with db.read() as s:
        version = s.get(PlanVersion, version_id)
        if version is None:
            raise ServiceError(f"找不到課程計畫版本 #{version_id}，請重新匯入課程計畫。")
        name = version.file_name
        rows = s.execute(
            select(
                PlanCourseRow.code,
                PlanCourseRow.name,
                PlanCourseRow.credits,
                PlanCourseRow.methods,
                PlanCourseRow.attributes,
                PlanCourseRow.course_type,
                PlanCourseRow.year,
            ).where(PlanCourseRow.version_id == version_id)
        ).all()
    return plan_from_courses({r[0]: PlanCourse(*r) for r in rows}, source=name)


def other_plan_versions(db: Database, version_id: int) -> list[CoursePlan]:
    """Every stored plan version but ``version_id``, newest first: 重修成績 codes belong to an
    earlier year's plan (docs/precheck-rules.md, 重修成績)."""
    return [load_plan(db, v.id) for v in list_plan_versions(db) if v.id != version_id]


# --------------------------------------------------------------------------- checking


def resolve_options(db: Database | None, options: CheckOptions) -> CheckOptions:
    """Fill what the user left open from the database: school code (profile) and ID mask."""
    if db is None:
        return options
    if options.school_code is None:
        profile = get_profile(db)
        if profile is not None:
            options = replace(options, school_code=profile.school_code)
    return replace(options, mask_pattern=mask_pattern(db))


def run_precheck(
    db: Database,
    roster: Path | str,
    *,
    plan_version_id: int,
    options: CheckOptions | None = None,
    source: str = "tab",
    progress: ProgressFn | None = None,
    pass_marks: PassMarkSettings | None = None,
) -> RunOutcome:
    """Check ``roster`` against a stored plan version and record the run (one transaction).

    ``pass_marks``: the 及格標準 to judge by (None: the stored settings and list); the result's
    ``pass_marks`` says which were used.
    """
    from desktop_app.services.precheck.pass_marks import (
        apply_pass_marks,
        record_pass_marks,
        stored_pass_marks,
    )

    version = get_plan_version(db, plan_version_id)
    if version is None:
        raise ServiceError(f"找不到課程計畫版本 #{plan_version_id}，請重新匯入課程計畫。")
    plan = load_plan(db, plan_version_id)
    marks = pass_marks if pass_marks is not None else stored_pass_marks(db)
    options = apply_pass_marks(resolve_options(db, options or CheckOptions()), marks)
    result = check_roster_file(
        roster, plan, options, progress, other_plans=lambda: other_plan_versions(db, plan_version_id)
    )
    record_pass_marks(result, marks)
    run = record_run(db, result, plan_version_id=plan_version_id, source=source)
    return RunOutcome(run, result, version)


def stored_findings(result: PrecheckResult) -> list[StoredFinding]:
    """Findings, patterns (P01) and offering gaps (O01) of a result as history entries."""
    out = [StoredFinding(**_finding_fields(f)) for f in result.findings]
    for p in result.patterns:
        out.append(
            StoredFinding(
                "P01",
                "warning",
                p.advice,
                column=p.rule,
                value=f"{p.affected}/{p.total}",
                course_code=p.course_code,
                expected=p.subject,
            )
        )
    for g in result.offering:
        out.append(
            StoredFinding(
                "O01",
                "warning",
                f"{g.category_name}「{g.subject}」應於本學期開課（{g.grade} 年級），名冊中沒有修課學生",
                value=g.subject,
                expected=g.credits,
                column=str(g.grade),
                course_code=g.course_code,
                student_class=g.category,
                student_name=g.category_name,
            )
        )
    return out


_FIELDS = (
    "code",
    "severity",
    "message",
    "sheet",
    "row",
    "column",
    "value",
    "expected",
    "student_id",
    "student_name",
    "student_class",
    "student_seat",
    "course_code",
)


def _finding_fields(f: Finding) -> dict[str, Any]:
    return {name: getattr(f, name) for name in _FIELDS}


def _pack(findings: list[StoredFinding]) -> bytes:
    rows = [[getattr(f, name) for name in _FIELDS] for f in findings]
    return zlib.compress(json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6)


def _unpack(data: bytes) -> list[StoredFinding]:
    return [StoredFinding(*row) for row in json.loads(zlib.decompress(data).decode("utf-8"))]


def record_run(
    db: Database,
    result: PrecheckResult,
    *,
    plan_version_id: int | None,
    source: str = "tab",
    message: str = "",
    run_at: datetime | None = None,
) -> PrecheckRunInfo:
    """Store one run with its findings (compressed) and an audit entry."""
    from desktop_app.domain.precheck.labels import masked_finding

    pattern = mask_pattern(db)
    # the history keeps no full ID number (messages quote the ID they are about)
    findings = [masked_finding(f, pattern) for f in stored_findings(result)]
    status = "failed" if result.fatal else "ok"
    if result.fatal and not message:
        message = "；".join(f.message for f in result.findings if f.code in ("F01", "F02", "F05"))
    with db.transaction() as s:
        run = PrecheckRun(
            run_at=(run_at or datetime.now()).replace(microsecond=0),
            os_user=os_user(),
            year=result.year,
            term=result.term,
            kind=result.kind or "pre",
            division=result.division or "day",
            file_name=Path(result.file).name,
            file_size=result.size,
            sha256=result.sha256,
            plan_version_id=plan_version_id,
            rows_json=json.dumps(result.rows, ensure_ascii=False),
            counts_json=json.dumps(result.counts, ensure_ascii=False, sort_keys=True),
            error_count=result.error_count,
            warning_count=result.warning_count,
            seconds=round(result.seconds, 3),
            status=status,
            encoding=result.encoding,
            source=source,
            message=message,
            pass_marks_json=json.dumps(result.pass_marks, ensure_ascii=False) if result.pass_marks else None,
        )
        s.add(run)
        s.flush()
        s.execute(
            insert(PrecheckRunFindings),
            [{"run_id": run.id, "finding_count": len(findings), "data": _pack(findings)}],
        )
        info = _run_info(run)
        term = f"{result.year}-{result.term}" if result.year and result.term else "學期未定"
        record(
            s,
            "precheck.run",
            "precheck_run",
            run.id,
            summary=(
                f"開課預檢 {info.file_name}（{term}，{info.kind_label}）："
                f"錯誤 {info.error_count}、警告 {info.warning_count}"
            ),
            after={"sha256": result.sha256, "counts": result.counts, "plan_version_id": plan_version_id},
        )
    return info


def result_from_run(db: Database, run_id: int) -> PrecheckResult:
    """Rebuild a run's result from the history (for the tab and for exporting an old run)."""
    from desktop_app.domain.precheck.model import OfferingGap, Pattern

    run = get_run(db, run_id)
    result = PrecheckResult(
        file=run.file_name,
        sha256=run.sha256,
        size=run.file_size,
        encoding=run.encoding,
        kind=run.kind,  # type: ignore[arg-type]  # a RosterKind, stored as text by record_run
        division=run.division,  # type: ignore[arg-type]  # a Division, stored as text by record_run
        year=run.year,
        term=run.term,
        rows=dict(run.rows),
        counts=dict(run.counts),
        seconds=run.seconds,
        fatal=run.status == "failed",
    )
    result.pass_marks = dict(run.pass_marks)
    for f in run_findings(db, run_id):
        if f.code == "P01":
            affected, _, total = (f.value or "0/0").partition("/")
            result.patterns.append(
                Pattern(
                    f.column or "",
                    f.course_code or "",
                    f.expected or "",
                    int(affected or 0),
                    int(total or 0),
                    f.message,
                )
            )
        elif f.code == "O01":
            result.offering.append(
                OfferingGap(
                    f.course_code or "",
                    f.value or "",
                    int(f.column or 0),
                    f.student_class or "",
                    f.student_name or "",
                    f.expected or "",
                )
            )
        else:
            result.findings.append(Finding(**{name: getattr(f, name) for name in _FIELDS}))
    return result


def run_findings(db: Database, run_id: int) -> list[StoredFinding]:
    with db.read() as s:
        data = s.scalar(select(PrecheckRunFindings.data).where(PrecheckRunFindings.run_id == run_id))
    return [] if data is None else _unpack(data)


def previous_run(db: Database, run: PrecheckRunInfo) -> PrecheckRunInfo | None:
    """The latest earlier run of the same roster kind, division and 學期 that could be checked."""
    stmt = (
        select(PrecheckRun)
        .where(
            PrecheckRun.kind == run.kind,
            PrecheckRun.division == run.division,
            PrecheckRun.status == "ok",
            PrecheckRun.id != run.id,
            (PrecheckRun.run_at < run.run_at)
            | ((PrecheckRun.run_at == run.run_at) & (PrecheckRun.id < run.id)),
        )
        .order_by(PrecheckRun.run_at.desc(), PrecheckRun.id.desc())
        .limit(1)
    )
    stmt = stmt.where(PrecheckRun.year.is_(None) if run.year is None else PrecheckRun.year == run.year)
    stmt = stmt.where(PrecheckRun.term.is_(None) if run.term is None else PrecheckRun.term == run.term)
    with db.read() as s:
        r = s.scalar(stmt)
        return None if r is None else _run_info(r)


def diff_findings(
    previous: list[StoredFinding], current: list[StoredFinding]
) -> tuple[list[StoredFinding], list[StoredFinding], list[StoredFinding]]:
    """(fixed, new, remaining), matched by :attr:`StoredFinding.key` as multisets."""
    left = Counter(f.key for f in previous)
    fixed: list[StoredFinding] = []
    remaining: list[StoredFinding] = []
    new: list[StoredFinding] = []
    for f in current:
        if left[f.key] > 0:
            left[f.key] -= 1
            remaining.append(f)
        else:
            new.append(f)
    for f in reversed(previous):  # the last ones of a key are the unmatched ones
        if left[f.key] > 0:
            left[f.key] -= 1
            fixed.append(f)
    fixed.reverse()
    return fixed, new, remaining


def diff_run(db: Database, run_id: int) -> RunDiff:
    """What was fixed / is new / remains since the previous run of the same kind and 學期."""
    run = get_run(db, run_id)
    prev = previous_run(db, run)
    current = run_findings(db, run_id)
    if prev is None:
        return RunDiff(run, None, [], current, [])
    fixed, new, remaining = diff_findings(run_findings(db, prev.id), current)
    return RunDiff(run, prev, fixed, new, remaining)


# --------------------------------------------------------------------------- deadline


def first_comparison_deadline(db: Database, year: int, term: int, today: date | None = None) -> DeadlineInfo:
    """The 1st comparison of 學期 (year, term) is due 開學日 + 4 weeks; was a run recorded in time?"""
    today = today or date.today()
    title = Term(year, term).title
    dates = get_term_dates(db, year, term)
    with db.read() as s:
        first = s.scalar(
            select(func.min(PrecheckRun.run_at)).where(
                PrecheckRun.year == year, PrecheckRun.term == term, PrecheckRun.status == "ok"
            )
        )
    if dates is None:
        return DeadlineInfo(
            year,
            term,
            None,
            None,
            first,
            None,
            f"{title}尚未設定開學日，無法計算第1次比對期限（請在學校資料設定開學日）。",
        )
    deadline = dates.start_date + timedelta(days=FIRST_COMPARISON_DAYS)
    head = f"{title}第1次比對期限：{format_roc(deadline)}（開學日 {format_roc(dates.start_date)} 後4週）"
    if first is not None:
        when = format_roc(first.date())
        if first.date() <= deadline:
            return DeadlineInfo(
                year, term, dates.start_date, deadline, first, True, f"{head}，已於 {when} 完成"
            )
        return DeadlineInfo(
            year, term, dates.start_date, deadline, first, False, f"{head}，首次預檢於 {when}，已逾期"
        )
    if today <= deadline:
        left = (deadline - today).days
        return DeadlineInfo(
            year, term, dates.start_date, deadline, None, None, f"{head}，尚未執行（剩 {left} 天）"
        )
    return DeadlineInfo(year, term, dates.start_date, deadline, None, False, f"{head}，逾期未執行")


FATAL_CODES = ("F01", "F02", "F05")


def counts_as_done(run: PrecheckRunInfo) -> bool:
    """A run that checked its roster: recorded "ok" and without F01/F02/F05 (file unreadable, not
    decodable, no data). A failed run compared nothing: it never marks the 1st 開課比對 as done nor
    serves as self-check evidence."""
    return run.status == "ok" and not any(run.counts.get(code) for code in FATAL_CODES)
