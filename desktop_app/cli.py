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

# argparse's own texts (usage, errors) in zh-TW: argparse looks its messages up through the
# module-level gettext alias ``_`` at call time, so a translating function there covers them all.
ARGPARSE_ZH_TW = {
    "usage: ": "用法：",
    "positional arguments": "位置參數",
    "options": "選項",
    "show this help message and exit": "顯示說明後結束",
    "show program's version number and exit": "顯示版本後結束",
    "the following arguments are required: %s": "缺少必要的參數：%s",
    "unrecognized arguments: %s": "無法辨識的參數：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "「%(value)s」不是可用的選項（可選：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "參數 %(argument_name)s：%(message)s",
    "invalid %(type)s value: %(value)r": "「%(value)s」格式不符（例如學年度應為數字 114）",
    "expected one argument": "需要一個值",
    "%(prog)s: error: %(message)s\n": "%(prog)s：錯誤：%(message)s\n（加上 --help 可看用法）\n",
    "ambiguous option: %(option)s could match %(matches)s": "選項 %(option)s 不明確，可能是：%(matches)s",
    "not allowed with argument %s": "不能與參數 %s 同時使用",
    "one of the arguments %s is required": "需要下列參數之一：%s",
}


def _translate(message: str) -> str:
    return ARGPARSE_ZH_TW.get(message, message)


argparse._ = _translate  # type: ignore[attr-defined]


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
