"""Command line: ``desktop-app [--db PATH] [--demo] [--screenshot PNG [--tab NAME]]`` starts the GUI;
``desktop-app <command> …`` runs the same services without Qt."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from desktop_app import __version__
from desktop_app.commands import FEATURE_MODULES
from desktop_app.services import ServiceError


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH", help="資料庫檔案（預設在使用者資料夾）")

    parser = argparse.ArgumentParser(
        prog="desktop-app",
        description="學習歷程檔案 教務處作業系統。不加指令時開啟視窗程式。",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--db", metavar="PATH", help="開啟指定的資料庫檔案")
    parser.add_argument("--demo", action="store_true", help="在暫存資料夾建立示範資料庫並開啟")
    parser.add_argument("--screenshot", metavar="PNG", help="將主視窗畫面存成 PNG 後結束（離屏繪製）")
    parser.add_argument("--tab", metavar="NAME", help="開啟時顯示的分頁（名稱或代號）")
    parser.add_argument("--self-test", action="store_true", help="自我測試：資料庫、PDF、xlsx，然後結束")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in FEATURE_MODULES:
        module = importlib.import_module(f"desktop_app.commands.{name}")
        module.register(sub, common)
    return parser


def run_command(args: argparse.Namespace) -> int:
    """Run a parsed sub-command; user-facing refusals become exit status 2 with the message."""
    try:
        return int(args.handler(args) or 0)
    except Exception as exc:
        # storage (SQLAlchemy) is imported only when a command used it: keeps start-up light
        read_only_error = getattr(sys.modules.get("desktop_app.storage.db"), "ReadOnlyError", ())
        if isinstance(exc, ServiceError) or (read_only_error and isinstance(exc, read_only_error)):
            print(f"錯誤：{exc}", file=sys.stderr)
            return 2
        raise


def main(argv: Sequence[str] | None = None) -> int:
    """The command line without the GUI (``--self-test`` or a sub-command)."""
    args = build_parser().parse_args(argv)
    if args.self_test:
        from desktop_app.selftest import run_self_test

        return run_self_test()
    if args.command is None:
        print("請指定指令，或不加指令執行 desktop-app 開啟視窗程式。", file=sys.stderr)
        return 2
    return run_command(args)
