"""Backups you can trust.

- The source is checked (``quick_check``; ``integrity_check`` for small files) before each backup,
  and the backup after it; a damaged source is refused (:class:`DamagedSourceError`), so it never
  takes the place of good backups. A backup that fails (disk full, check failed) is removed and
  never takes a kept slot.
- A backup is written as ``*.partial`` and gets its final name
  ``<db>-<YYYYmmdd-HHMMSS-ffffff>-<reason>.sqlite3`` only once verified; ``backups.json`` beside
  it records the check (so 從備份還原 can show "verified" without re-reading 100 MB files).
- Retention by kind and age (:func:`select_kept`): every manual and ``before-*`` backup is kept;
  of the others (start-up), the newest :data:`BACKUPS_KEPT` plus the newest of each of the last
  :data:`BACKUP_DAILY_DAYS` days; the newest verified backup is never deleted.
- An optional second folder (設定 → 備份) gets a copy of each verified backup, pruned the same way.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from desktop_app.config import (
    BACKUP_DAILY_DAYS,
    BACKUPS_KEPT,
    PRIVATE_FILE_MODE,
    backup_dir_for,
    backup_mirror_dir,
    make_private,
)
from desktop_app.storage.db import StorageError, describe_storage_error
from desktop_app.storage.integrity import CheckResult, check_database

log = logging.getLogger(__name__)

BACKUP_SUFFIX = ".sqlite3"
PARTIAL_SUFFIX = ".partial"
MANIFEST = "backups.json"
STAMP_FORMAT = "%Y%m%d-%H%M%S-%f"
DAMAGED_REASON = "before-restore-damaged"

REASON_LABELS = {
    "startup": "開啟時自動備份",
    "manual": "手動備份",
    "before-migration": "升級資料庫前",
    "before-restore": "還原前",
    DAMAGED_REASON: "還原前（損壞的資料庫原檔）",
    "before-delete-batch": "刪除收訖批次前",
    "auto": "自動備份",
}


class BackupError(StorageError):
    """No backup could be made (``str(err)`` says why, in zh-TW); nothing was left half-written."""


class DamagedSourceError(BackupError):
    """The database failed its check: it is not backed up (it would displace good backups)."""


@dataclass(frozen=True)
class BackupEntry:
    """One backup file, as 從備份還原 lists it."""

    path: Path
    created: datetime
    reason: str
    size: int
    verified: bool | None  # None: made by an older version, never checked

    @property
    def reason_label(self) -> str:
        return REASON_LABELS.get(self.reason, self.reason)

    @property
    def always_kept(self) -> bool:
        return is_always_kept(self.reason)


@dataclass(frozen=True)
class BackupOutcome:
    path: Path
    check: CheckResult
    mirror_path: Path | None = None
    mirror_error: str | None = None


def is_always_kept(reason: str) -> bool:
    """Manual, pre-migration, pre-restore and pre-delete backups are never pruned."""
    return reason == "manual" or reason.startswith("before-")


def damaged_message(db_path: Path, check: CheckResult) -> str:
    return (
        f"資料庫「{db_path}」沒有通過完整性檢查（{check.method}：{check.summary()}），"
        "可能已損壞。為保護既有的完好備份，不以它建立備份。"
    )


# --- the manifest --------------------------------------------------------------------------
def _read_manifest(folder: Path) -> dict[str, dict[str, object]]:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_manifest(folder: Path, data: dict[str, dict[str, object]]) -> None:
    tmp = folder / (MANIFEST + PARTIAL_SUFFIX)
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, folder / MANIFEST)
    except OSError as exc:  # the backups themselves are fine; only the "verified" column is lost
        log.warning("backup manifest not written in %s: %s", folder, exc)
        tmp.unlink(missing_ok=True)


def _record(folder: Path, name: str, check: CheckResult) -> None:
    data = _read_manifest(folder)
    data[name] = {"verified": check.ok, "check": check.method, "problems": list(check.problems)}
    _write_manifest(folder, data)


# --- listing -------------------------------------------------------------------------------
def _name_pattern(stem: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(stem)}-(\d{{8}}-\d{{6}}-\d{{6}})-(.+){re.escape(BACKUP_SUFFIX)}$")


def entries_in(folder: Path, stem: str) -> list[BackupEntry]:
    """The backups of database ``stem`` in ``folder``, newest first."""
    if not folder.is_dir():
        return []
    pattern = _name_pattern(stem)
    manifest = _read_manifest(folder)
    found: list[BackupEntry] = []
    for path in folder.iterdir():
        match = pattern.match(path.name)
        if not match or not path.is_file():
            continue
        try:
            created = datetime.strptime(match.group(1), STAMP_FORMAT)
            size = path.stat().st_size
        except (ValueError, OSError):
            continue
        record = manifest.get(path.name)
        verified = record.get("verified") if isinstance(record, dict) else None
        found.append(BackupEntry(path, created, match.group(2), size, verified if isinstance(verified, bool) else None))
    return sorted(found, key=lambda e: (e.created, e.path.name), reverse=True)


def backup_entries(db_path: Path) -> list[BackupEntry]:
    """Backups of this database (in ``backups/`` beside it), newest first."""
    return entries_in(backup_dir_for(Path(db_path)), Path(db_path).stem)


def list_backups(db_path: Path) -> list[Path]:
    """Backup files of this database, newest first."""
    return [entry.path for entry in backup_entries(db_path)]


def newest_verified_backup(db_path: Path) -> BackupEntry | None:
    """The most recent backup that passed its check (what 從最近一次完好的備份還原 restores)."""
    for entry in backup_entries(db_path):
        if entry.verified and entry.size > 0:
            return entry
    return None


# --- retention -----------------------------------------------------------------------------
def is_broken(entry: BackupEntry) -> bool:
    """Empty, or failed its check (a damaged original kept on purpose before a restore excepted)."""
    return entry.size == 0 or (entry.verified is False and not entry.always_kept)


def select_kept(
    entries: list[BackupEntry],
    now: datetime,
    *,
    keep_recent: int = BACKUPS_KEPT,
    daily_days: int = BACKUP_DAILY_DAYS,
) -> set[Path]:
    """Which backups to keep (see the module docstring); broken ones never count."""
    usable = sorted((e for e in entries if not is_broken(e)), key=lambda e: e.created, reverse=True)
    kept = {e.path for e in usable if e.always_kept}
    rotating = [e for e in usable if not e.always_kept]
    kept.update(e.path for e in rotating[:keep_recent])
    oldest_day = (now - timedelta(days=daily_days)).date()
    seen_days: set[object] = set()
    for entry in rotating:  # newest first: the first of each day is that day's newest
        day = entry.created.date()
        if day >= oldest_day and day not in seen_days:
            seen_days.add(day)
            kept.add(entry.path)
    newest_good = next((e for e in usable if e.verified), None) or next(
        (e for e in usable if e.verified is None), None
    )
    if newest_good is not None:
        kept.add(newest_good.path)
    return kept


def prune_folder(folder: Path, stem: str, *, now: datetime | None = None) -> list[Path]:
    """Delete what :func:`select_kept` does not keep (and stale ``*.partial`` files); returns them."""
    entries = entries_in(folder, stem)
    kept = select_kept(entries, now or datetime.now())
    removed = [e.path for e in entries if e.path not in kept]
    for path in removed:
        path.unlink(missing_ok=True)
    for partial in folder.glob(f"{stem}-*{PARTIAL_SUFFIX}"):
        partial.unlink(missing_ok=True)
    if removed:
        manifest = _read_manifest(folder)
        for path in removed:
            manifest.pop(path.name, None)
        _write_manifest(folder, manifest)
        log.info("pruned %d backup(s) in %s", len(removed), folder)
    return removed


def prune_backups(db_path: Path, *, now: datetime | None = None) -> list[Path]:
    return prune_folder(backup_dir_for(Path(db_path)), Path(db_path).stem, now=now)


# --- making backups ------------------------------------------------------------------------
def copy_database(source: Path, target: Path) -> None:
    """Online backup of ``source`` into ``target`` (overwritten)."""
    src = sqlite3.connect(Path(source).resolve().as_uri() + "?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            dst.commit()
        finally:
            dst.close()
    finally:
        src.close()


def _failure(exc: BaseException, target: Path) -> BackupError:
    reason = describe_storage_error(exc) or str(exc)
    return BackupError(f"無法建立備份「{target.name}」（{target.parent}）：{reason}。沒有留下不完整的備份檔。")


def _write_verified_copy(source: Path, folder: Path, name: str, *, online: bool) -> CheckResult:
    """Copy to ``name.partial``, check it, then rename; raises BackupError (partial removed)."""
    partial = folder / (name + PARTIAL_SUFFIX)
    target = folder / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE))
        if online:
            copy_database(source, partial)
        else:
            shutil.copyfile(source, partial)
        check = check_database(partial)
        if not check.ok:
            raise BackupError(
                f"備份「{name}」寫入後沒有通過檢查（{check.summary()}），已刪除這份備份。請確認磁碟是否正常。"
            )
        os.replace(partial, target)
    except BackupError:
        partial.unlink(missing_ok=True)
        raise
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        raise _failure(exc, target) from exc
    make_private(target)
    _record(folder, name, check)
    return check


def backup_database(
    db_path: Path,
    reason: str = "auto",
    *,
    source_check: CheckResult | None = None,
    mirror: Path | bool | None = True,
    now: datetime | None = None,
) -> BackupOutcome | None:
    """Check, copy, verify, prune, mirror. Returns None when there is no database yet.

    Args:
        db_path: the database file.
        reason: ``startup``, ``manual``, ``before-migration``, ``before-restore``, ``before-delete-batch`` …
        source_check: a check of the source already made (at open), to avoid checking twice.
        mirror: True: the folder chosen in 設定; a path; False/None: no second copy.
        now: the time stamp of the backup (tests).

    Raises:
        DamagedSourceError: the source failed its check (no backup is made).
        BackupError: the copy could not be written or did not verify (nothing left behind).
    """
    db_path = Path(db_path)
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    check = source_check or check_database(db_path)
    if not check.ok:
        log.error("not backing up %s: %s", db_path, check.summary())
        raise DamagedSourceError(damaged_message(db_path, check))
    folder = backup_dir_for(db_path)
    name = f"{db_path.stem}-{(now or datetime.now()).strftime(STAMP_FORMAT)}-{reason}{BACKUP_SUFFIX}"
    backup_check = _write_verified_copy(db_path, folder, name, online=True)
    make_private(folder)
    log.info("backup %s verified by %s in %.2f s", name, backup_check.method, backup_check.seconds)
    prune_folder(folder, db_path.stem, now=now)
    outcome = BackupOutcome(folder / name, backup_check)
    second = backup_mirror_dir() if mirror is True else (mirror or None)
    if second is not None:
        outcome = _mirror(outcome, Path(second), db_path.stem, now)
    return outcome


def _mirror(outcome: BackupOutcome, folder: Path, stem: str, now: datetime | None) -> BackupOutcome:
    try:
        if not folder.is_dir():
            raise BackupError(f"找不到第二備份資料夾「{folder}」（隨身碟或網路磁碟是否已連線？）")
        _write_verified_copy(outcome.path, folder, outcome.path.name, online=False)
        prune_folder(folder, stem, now=now)
    except BackupError as exc:
        log.warning("second backup folder: %s", exc)
        return BackupOutcome(outcome.path, outcome.check, None, str(exc))
    return BackupOutcome(outcome.path, outcome.check, folder / outcome.path.name, None)


def create_backup(db_path: Path, reason: str = "auto") -> Path | None:
    """:func:`backup_database` returning only the path (None: no database yet)."""
    outcome = backup_database(db_path, reason)
    return outcome.path if outcome else None


def save_damaged_copy(db_path: Path) -> Path:
    """A byte copy of a damaged database, kept (marked not verified) before it is replaced."""
    db_path = Path(db_path)
    folder = backup_dir_for(db_path)
    name = f"{db_path.stem}-{datetime.now().strftime(STAMP_FORMAT)}-{DAMAGED_REASON}{BACKUP_SUFFIX}"
    target = folder / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(db_path, target)
        wal = Path(str(db_path) + "-wal")
        if wal.exists():
            shutil.copyfile(wal, Path(str(target) + "-wal"))
    except OSError as exc:
        target.unlink(missing_ok=True)
        raise _failure(exc, target) from exc
    make_private(target)
    _record(folder, name, CheckResult(False, "quick_check", ("damaged original",), 0.0))
    return target


def restore_backup(backup: Path, db_path: Path) -> Path | None:
    """Replace the database with ``backup``, after backing up what it replaces.

    The backup is checked first (a damaged backup is refused); a damaged database being replaced
    is kept as a byte copy (``before-restore-damaged``). Returns the safety copy.
    """
    backup, db_path = Path(backup), Path(db_path)
    check = check_database(backup)
    if not check.ok:
        raise BackupError(f"備份「{backup.name}」沒有通過檢查（{check.summary()}），不能用來還原。請選另一份備份。")
    try:
        safety = create_backup(db_path, reason="before-restore")
    except DamagedSourceError:
        safety = save_damaged_copy(db_path)
    try:
        copy_database(backup, db_path)
    except sqlite3.DatabaseError:
        # the damaged file cannot be written through SQLite: replace it as a whole
        tmp = db_path.with_name(db_path.name + PARTIAL_SUFFIX)
        shutil.copyfile(backup, tmp)
        for suffix in ("-wal", "-shm"):
            Path(str(db_path) + suffix).unlink(missing_ok=True)
        os.replace(tmp, db_path)
    make_private(db_path)
    return safety
