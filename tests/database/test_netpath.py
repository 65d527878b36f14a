"""Issue 11: a database on a network folder uses the rollback journal, not WAL."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.storage.netpath import DRIVE_REMOTE, linux_location, windows_location

DRIVE_FIXED, DRIVE_REMOVABLE = 3, 2


def drive_types(remote: set[str]):  # type: ignore[no-untyped-def]
    calls: list[str] = []

    def drive_type(root: str) -> int:
        calls.append(root)
        return DRIVE_REMOTE if root[0] in remote else DRIVE_FIXED

    return drive_type, calls


@pytest.mark.parametrize(
    ("path", "network"),
    [
        (r"\\fileserver\教務處\portfolio.sqlite3", True),
        ("//fileserver/share/portfolio.sqlite3", True),
        (r"\\?\UNC\fileserver\share\portfolio.sqlite3", True),
        (r"Z:\學習歷程\portfolio.sqlite3", True),  # a mapped network drive
        (r"z:\portfolio.sqlite3", True),
        (r"C:\Users\clerk\AppData\Local\desktop-app\portfolio.sqlite3", False),
        (r"\\?\C:\data\portfolio.sqlite3", False),
        (r"E:\portfolio.sqlite3", False),  # a USB stick is local
    ],
)
def test_windows_paths(path: str, network: bool) -> None:
    drive_type, calls = drive_types({"Z", "z"})
    assert windows_location(path, drive_type).network is network
    if path[1:3] == ":\\":
        assert calls == [path[0].upper() + ":\\"]


MOUNTS = """\
/dev/sda2 / ext4 rw,relatime 0 0
proc /proc proc rw,nosuid 0 0
tmpfs /run tmpfs rw 0 0
server:/export/school /mnt/school nfs4 rw,relatime,vers=4.2 0 0
//nas/教務 /mnt/nas cifs rw,vers=3.0 0 0
//nas/with\\040space /media/my\\040share smb3 rw 0 0
/dev/sdb1 /mnt/school/local-usb vfat rw 0 0
clerk@host:/srv /home/clerk/remote fuse.sshfs rw 0 0
"""


@pytest.mark.parametrize(
    ("path", "network", "detail"),
    [
        ("/mnt/school/portfolio.sqlite3", True, "nfs4"),
        ("/mnt/nas/portfolio.sqlite3", True, "cifs"),
        ("/media/my share/db/portfolio.sqlite3", True, "smb3"),
        ("/mnt/school/local-usb/portfolio.sqlite3", False, ""),  # a local mount inside an NFS one
        ("/home/clerk/remote/p.sqlite3", True, "fuse.sshfs"),
        ("/home/clerk/.local/share/desktop-app/portfolio.sqlite3", False, ""),
        ("/mnt/schoolish/portfolio.sqlite3", False, ""),  # not a path prefix of /mnt/school
    ],
)
def test_linux_mount_table(path: str, network: bool, detail: str) -> None:
    location = linux_location(path, MOUNTS)
    assert location.network is network
    assert detail in location.detail


def test_database_on_a_network_folder_uses_the_rollback_journal(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The detector decides the journal mode of the real connection (here: this tmp folder is
    reported as an NFS mount through the mount table the detector reads)."""
    from desktop_app.storage import netpath
    from desktop_app.storage.migrate import open_database

    local = open_database(db_path)
    with local.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    local.close()

    table = f"/dev/sda2 / ext4 rw 0 0\nserver:/x {db_path.resolve().parent} nfs rw 0 0\n"
    monkeypatch.setattr(netpath, "_read_mounts", lambda: table)
    remote = open_database(db_path)
    assert remote.location.network and remote.journal_mode == "DELETE"
    with remote.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "delete"
    remote.close()
    assert not Path(str(db_path) + "-wal").exists()
