"""``desktop-app db create PATH`` (the only way the command line makes a new database) and
``desktop-app db check PATH`` (integrity check and the backups, for support)."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop_app.commands import fail


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("db", help="資料庫檔案：建立、檢查")
    inner = parser.add_subparsers(dest="db_command", metavar="COMMAND", required=True)
    create = inner.add_parser("create", help="建立新的（空的）資料庫檔案")
    create.add_argument("path", metavar="PATH", help="新資料庫的檔名（例如 D:\\教務\\portfolio.sqlite3）")
    create.set_defaults(handler=db_create)
    check = inner.add_parser("check", help="檢查資料庫是否完好，並列出備份")
    check.add_argument("path", metavar="PATH", help="資料庫檔案")
    check.set_defaults(handler=db_check)


def db_create(args: argparse.Namespace) -> int:
    from desktop_app.storage.migrate import open_database

    path = Path(args.path)
    if path.exists():
        return fail(f"錯誤：「{path}」已存在，沒有建立新的資料庫（既有資料未變更）。")
    with open_database(path, backup=None, create=True) as db:
        print(f"已建立資料庫：{db.path}")
    return 0


def db_check(args: argparse.Namespace) -> int:
    from desktop_app.storage.backup import backup_entries
    from desktop_app.storage.db import check_database_file
    from desktop_app.storage.integrity import check_database
    from desktop_app.storage.migrate import DatabaseMissingError

    path = Path(args.path)
    check_database_file(path)
    if not path.exists():
        raise DatabaseMissingError(path)
    result = check_database(path)
    state = "完好" if result.ok else f"損壞：{result.summary()}"
    print(f"{path}：{state}（{result.method}，{result.seconds:.2f} 秒）")
    for entry in backup_entries(path):
        verified = {True: "已驗證", False: "未通過檢查", None: "未檢查"}[entry.verified]
        print(f"{entry.created:%Y-%m-%d %H:%M:%S}\t{entry.reason_label}\t{entry.size:,} bytes\t{verified}\t{entry.path.name}")
    return 0 if result.ok else 1
