"""Entry point: ``desktop-app`` and ``python -m desktop_app``: a sub-command, or the GUI."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from desktop_app.log import setup_logging

    setup_logging()  # first: anything that goes wrong from here on is in the log file
    from desktop_app.cli import build_parser, parse_window_args, run_command

    given = list(sys.argv[1:] if argv is None else argv)
    args = parse_window_args(given) or build_parser().parse_args(given)
    if args.self_test:
        from desktop_app.selftest import run_self_test

        return run_self_test()
    if args.command is not None:
        return run_command(args)
    # The storage layer before Qt: once PySide6 is imported, its import hook reads the source of
    # every module imported after it (SQLAlchemy's ~300 modules: ≈0.05 s of start-up).
    import desktop_app.services.working_group
    import desktop_app.storage.migrate
    import desktop_app.storage.models  # noqa: F401
    from desktop_app.ui.app import run_gui

    return run_gui(db_path=args.db, demo=args.demo, screenshot=args.screenshot, tab=args.tab)


if __name__ == "__main__":
    sys.exit(main())
