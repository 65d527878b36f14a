"""Is a database file on a network folder? SQLite's WAL mode needs shared memory between the
processes using the file, which network filesystems do not provide, so there the database uses the
rollback journal (``journal_mode=DELETE``) instead (https://www.sqlite.org/wal.html, 'WAL does not
work over a network filesystem').

The detectors take the mount table / the drive-type function as arguments so that the Windows and
Linux rules can be tested anywhere.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

# Linux filesystem types that live on another machine
NETWORK_FS_TYPES = frozenset(
    {
        "nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "coda", "9p", "ceph", "glusterfs",
        "lustre", "gpfs", "davfs", "fuse.sshfs", "fuse.davfs2", "fuse.rclone", "fuse.glusterfs",
        "fuse.cephfs", "fuse.s3fs", "sshfs",
    }
)
DRIVE_REMOTE = 4  # GetDriveTypeW


@dataclass(frozen=True)
class Location:
    """Where a database file lives: ``network`` True with a description (UNC, drive, fs type)."""

    network: bool
    detail: str = ""


def windows_location(path: str, drive_type: Callable[[str], int]) -> Location:
    """UNC paths (``\\\\server\\share``, ``\\\\?\\UNC\\…``) and mapped network drives are network.

    Args:
        path: an absolute Windows path.
        drive_type: ``GetDriveTypeW`` (takes ``"X:\\\\"``, returns 4 for a network drive).
    """
    text = path.replace("/", "\\")
    if text.upper().startswith("\\\\?\\UNC\\"):
        return Location(True, "網路路徑（UNC）")
    if text.startswith("\\\\?\\"):
        text = text[4:]
    if text.startswith("\\\\"):
        return Location(True, "網路路徑（UNC）")
    drive = PureWindowsPath(text).drive
    if len(drive) == 2 and drive[1] == ":" and drive_type(drive.upper() + "\\") == DRIVE_REMOTE:
        return Location(True, f"網路磁碟機 {drive.upper()}")
    return Location(False)


def _unescape_mount(field: str) -> str:
    """/proc/mounts writes space, tab, newline and backslash as octal escapes (\\040 …)."""
    out, i = [], 0
    while i < len(field):
        if field[i] == "\\" and i + 3 < len(field) and field[i + 1 : i + 4].isdigit():
            out.append(chr(int(field[i + 1 : i + 4], 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def linux_location(path: str, mounts_text: str) -> Location:
    """The filesystem of the longest mount point containing ``path`` decides.

    Args:
        path: an absolute, resolved POSIX path.
        mounts_text: the contents of ``/proc/mounts`` (device, mount point, type, …).
    """
    target = PurePosixPath(path)
    best: tuple[int, str, str] | None = None
    for line in mounts_text.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        device, point, fstype = _unescape_mount(fields[0]), _unescape_mount(fields[1]), fields[2]
        mount = PurePosixPath(point)
        if target == mount or mount in target.parents:
            depth = len(mount.parts)
            if best is None or depth >= best[0]:
                best = (depth, fstype, device)
    if best is None:
        return Location(False)
    _depth, fstype, device = best
    if fstype.lower() in NETWORK_FS_TYPES or fstype.lower().startswith(("nfs", "fuse.sshfs")):
        return Location(True, f"網路檔案系統 {fstype}（{device}）")
    return Location(False)


def _windows_drive_type(root: str) -> int:  # pragma: no cover - Windows only
    import ctypes

    if sys.platform != "win32":  # (so mypy checks the call below with --platform win32 only)
        raise OSError("GetDriveTypeW is Windows only")
    return int(ctypes.windll.kernel32.GetDriveTypeW(ctypes.c_wchar_p(root)))


def database_location(path: Path | str) -> Location:
    """Where ``path`` lives on this machine (a local disk when it cannot be told)."""
    text = str(path)
    if sys.platform == "win32":  # pragma: no cover - Windows only
        return windows_location(os.path.abspath(text), _windows_drive_type)
    if text.startswith("\\\\") or text.startswith("//"):
        return Location(True, "網路路徑（UNC）")
    mounts = _read_mounts()
    if mounts is None:
        return Location(False)
    return linux_location(os.path.realpath(text), mounts)


def _read_mounts() -> str | None:
    try:
        return Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:  # not Linux (macOS): treated as local
        return None
