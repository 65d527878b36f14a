"""The file-only half of the 開課預檢 services: read a plan file, check a roster file.

No database and no SQLAlchemy here, so the command line without ``--db`` starts fast (the
benchmark runs it as a process). :mod:`desktop_app.services.precheck.runs` re-exports these names.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.domain.precheck.model import CheckOptions, PlanCourse, PrecheckResult
from desktop_app.domain.progress import ProgressFn
from desktop_app.services import ServiceError

if TYPE_CHECKING:  # pragma: no cover
    from desktop_app.domain.precheck.plan import CoursePlan


class RosterChangedError(ServiceError):
    """The roster's bytes changed while it was being checked."""


class RosterMissingError(ServiceError):
    """The roster path is not a file (missing, or a folder): F01, the file cannot be read."""


def sha256_file(path: Path | str) -> str:
    return _sha256_size(path)[0]


def _sha256_size(path: Path | str) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


OtherPlans = Sequence[Mapping[str, PlanCourse]] | Callable[[], Sequence[Mapping[str, PlanCourse]]]


def check_roster(
    path: Path | str,
    plan: Mapping[str, PlanCourse],
    options: CheckOptions | None = None,
    progress: ProgressFn | None = None,
    *,
    other_plans: OtherPlans = (),
) -> PrecheckResult:
    """Hash the roster, open it (readers) and run the pure engine on it; never writes the file.

    A file that cannot be opened gives a fatal F01/F02 result (no exception). The rules:
    ``docs/precheck-rules.md``.
    """
    from desktop_app.domain.precheck.engine import check_workbook, failed_result
    from desktop_app.readers import ReaderError, open_workbook

    path = Path(path)
    try:
        sha256, size = _sha256_size(path)
    except OSError:
        sha256, size = "", 0
    try:
        source = open_workbook(path)
    except ReaderError as exc:
        result = failed_result(path.name, exc.code, exc.message, options)
    else:
        result = check_workbook(source, plan, options, progress, other_plans=other_plans)
    result.sha256, result.size = sha256, size
    return result


def read_plan_file(path: Path | str) -> CoursePlan:
    """Read a course-plan export (either header layout) into the engine's plan.

    Raises:
        ServiceError: the file cannot be read or is not a course plan (the message says why).
    """
    from desktop_app.domain.precheck.plan import CoursePlan, PlanError
    from desktop_app.readers import ReaderError, read_workbook

    path = Path(path)
    if not path.is_file():
        raise ServiceError(f"找不到課程計畫檔「{path}」，請確認路徑。")
    try:
        workbook = read_workbook(path)
        return CoursePlan.from_workbook(workbook)
    except ReaderError as exc:
        raise ServiceError(f"課程計畫檔「{path.name}」無法讀取：{exc.message}") from exc
    except PlanError as exc:
        raise ServiceError(f"課程計畫檔「{path.name}」：{exc}") from exc


def plan_courses(plan: CoursePlan) -> dict[str, PlanCourse]:
    """Adapter: the courses of the engine's plan (a code → course mapping, or ``.courses``)."""
    courses = getattr(plan, "courses", None)
    return dict(courses if courses is not None else plan)


def check_roster_file(
    roster: Path | str,
    plan: CoursePlan,
    options: CheckOptions,
    progress: ProgressFn | None = None,
    *,
    other_plans: OtherPlans = (),
) -> PrecheckResult:
    """Run the engine on ``roster``; the SHA-256 taken before reading is compared with one taken after.

    Raises:
        ServiceError: the roster does not exist.
        RosterChangedError: the file changed while it was being checked (the result is discarded).
    """
    roster = Path(roster)
    if roster.is_dir():
        raise RosterMissingError(
            f"「{roster}」是資料夾，不是名冊檔。請選擇資料夾裡的名冊檔（.xlsx / .xls / .ods / .csv）。"
        )
    if not roster.is_file():
        raise RosterMissingError(f"找不到名冊檔「{roster}」，請確認路徑。")
    # check_roster hashes the file before it reads it (result.sha256); hash again once it is done.
    result = check_roster(roster, plan, options, progress, other_plans=other_plans)
    after = sha256_file(roster)
    if not result.sha256:
        result.sha256 = after
    elif result.sha256 != after:
        raise RosterChangedError(
            f"名冊「{roster.name}」在檢核期間被修改（SHA-256 前後不同），本次結果不予採用。"
            "請關閉正在編輯此檔的程式後重新檢核。"
        )
    return result
