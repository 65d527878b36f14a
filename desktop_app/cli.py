"""Command line: ``desktop-app [--db PATH] [--demo] [--screenshot PNG [--tab NAME]]`` starts the GUI;
``desktop-app <command> …`` runs the same services without Qt."""

from __future__ import annotations

import argparse
import errno
import importlib
import logging
import re
import sys
from collections.abc import Iterable, Sequence
from typing import Any, NoReturn

from desktop_app import __version__
from desktop_app.commands import FEATURE_MODULES
from desktop_app.domain.errors import NothingToExportError
from desktop_app.services import ServiceError

# argparse's own texts are English; the users read zh-TW (messages that argparse builds itself)
_ARGPARSE_MESSAGES: tuple[tuple[str, str], ...] = (
    (r"the following arguments are required: (.*)", r"缺少必要的參數：\1"),
    (r"one of the arguments (.*) is required", r"必須指定其中一個參數：\1"),
    (r"unrecognized arguments: (.*)", r"無法辨識的參數：\1"),
    (r"ambiguous option: (\S+) could match (.*)", r"選項 \1 不明確，可能是：\2"),
    (r"argument (\S+): invalid int value: (.*)", r"參數 \1 須為整數，收到 \2"),
    (r"argument (\S+): invalid float value: (.*)", r"參數 \1 須為數字，收到 \2"),
    (r"argument (\S+): invalid choice: (.*) \(choose from (.*)\)", r"參數 \1 不接受 \2；可用：\3"),
    (r"argument (\S+): expected one argument", r"參數 \1 後面須接一個值"),
    (r"argument (\S+): expected at least one argument", r"參數 \1 後面至少須接一個值"),
    (r"argument (\S+): not allowed with argument (.*)", r"參數 \1 不能與 \2 同時使用"),
    (r"argument (\S+): (.*)", r"參數 \1：\2"),
)


_OS_ERRORS = {
    errno.EISDIR: "這是資料夾，不是檔案",
    errno.EACCES: "沒有權限",
    errno.EPERM: "沒有權限",
    errno.ENOENT: "找不到檔案或資料夾",
    errno.ENOTDIR: "路徑中有一段不是資料夾",
    errno.ENOSPC: "磁碟空間不足",
    errno.EROFS: "磁碟為唯讀",
}


def translate_argparse_message(message: str) -> str:
    """An argparse error message in zh-TW (unknown messages are returned unchanged)."""
    for pattern, replacement in _ARGPARSE_MESSAGES:
        if re.fullmatch(pattern, message, flags=re.DOTALL):
            return re.sub(pattern, replacement, message, count=1, flags=re.DOTALL)
    return message


class _ZhHelpFormatter(argparse.HelpFormatter):
    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class ZhArgumentParser(argparse.ArgumentParser):
    """argparse with zh-TW usage, section titles, help option and error messages.

    Sub-parsers inherit the class (``add_subparsers`` uses ``type(self)``).
    """

    def __init__(self, *args: Any, add_help: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _ZhHelpFormatter)
        kwargs["add_help"] = False  # ours, with a zh-TW help text (below)
        super().__init__(*args, **kwargs)
        self._positionals.title = "參數"
        self._optionals.title = "選項"
        if add_help:
            self.add_argument(
                "-h", "--help", action="help", default=argparse.SUPPRESS, help="顯示本說明後結束"
            )

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"錯誤：{translate_argparse_message(message)}\n請用「{self.prog} -h」查看用法。\n")


class _NotWindowArgs(Exception):
    pass


class _QuietParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # the full parser says what is wrong
        raise _NotWindowArgs(message)


def _add_window_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH", help="開啟指定的資料庫檔案")
    parser.add_argument("--demo", action="store_true", help="在暫存資料夾建立示範資料庫並開啟")
    parser.add_argument("--screenshot", metavar="PNG", help="將主視窗畫面存成 PNG 後結束（離屏繪製）")
    parser.add_argument("--tab", metavar="NAME", help="開啟時顯示的分頁（名稱或代號）")
    parser.add_argument("--self-test", action="store_true", help="自我測試：資料庫、PDF、xlsx，然後結束")


def parse_window_args(argv: Sequence[str]) -> argparse.Namespace | None:
    """The options of a plain window start (``--db``, ``--demo``, ``--screenshot``, ``--tab``,
    ``--self-test``) without importing every sub-command's module (≈50 ms of start-up); None when
    ``argv`` holds anything else (a sub-command, ``-h``, ``--version``, a mistake): the full parser
    then handles it."""
    if any(arg in ("-h", "--help", "--version") for arg in argv):
        return None
    parser = _QuietParser(prog="desktop-app", add_help=False, allow_abbrev=False)
    _add_window_options(parser)
    try:
        args, rest = parser.parse_known_args(list(argv))
    except _NotWindowArgs:
        return None
    if rest:
        return None
    args.command = None
    return args


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: a sub-command's own --db must not reset one given earlier on the line
    # (``desktop-app --db X calendar due`` or ``desktop-app calendar --db X due``)
    common.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help="資料庫檔案（預設在使用者資料夾）")

    parser = ZhArgumentParser(
        prog="desktop-app",
        description="學習歷程檔案 教務處作業系統。不加指令時開啟視窗程式。",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}", help="顯示版本後結束"
    )
    _add_window_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in FEATURE_MODULES:
        module = importlib.import_module(f"desktop_app.commands.{name}")
        module.register(sub, common)
    return parser


def run_command(args: argparse.Namespace) -> int:
    """Run a parsed sub-command; user-facing refusals become exit status 2 with the message."""
    try:
        return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        print("已中斷。", file=sys.stderr)
        return 130
    except Exception as exc:
        # storage (SQLAlchemy) is imported only when a command used it: keeps start-up light
        storage = sys.modules.get("desktop_app.storage.db")
        refusals = tuple(
            getattr(storage, name) for name in ("ReadOnlyError", "DatabaseFileError") if hasattr(storage, name)
        )
        if isinstance(exc, NothingToExportError):  # the same refusal as the window's, no file written
            print(str(exc), file=sys.stderr)
            return 1
        if isinstance(exc, ServiceError) or (refusals and isinstance(exc, refusals)):
            logging.getLogger("desktop_app.cli").info("command refused: %s", type(exc).__name__)
            print(f"錯誤：{exc}", file=sys.stderr)
            return 2
        described = storage.describe_storage_error(exc) if storage is not None else None
        if described:  # disk full, read-only file … from a write outside Database.transaction
            logging.getLogger("desktop_app.cli").error("storage error: %s", exc)
            print(f"錯誤：{described}。", file=sys.stderr)
            return 2
        if isinstance(exc, OSError):  # an output file in a read-only folder, a path that is a folder …
            where = f"「{exc.filename}」" if exc.filename else ""
            reason = _OS_ERRORS.get(exc.errno or 0, exc.strerror or str(exc))
            print(
                f"錯誤：無法讀寫檔案{where}：{reason}。請確認路徑正確、資料夾可寫入，"
                "且檔案未被其他程式（例如 Excel）開啟。",
                file=sys.stderr,
            )
            return 2
        from desktop_app.log import current_log_path, log_exception, log_path

        log_exception(f"unexpected error in command {getattr(args, 'command', '?')}", exc)
        print(
            f"錯誤：發生未預期的錯誤（{type(exc).__name__}），動作未完成。"
            f"詳細資料已寫入記錄檔：{current_log_path() or log_path()}（請提供給資訊人員）。",
            file=sys.stderr,
        )
        return 2


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
