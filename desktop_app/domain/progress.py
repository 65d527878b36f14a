"""Progress and cancellation for long services, without Qt.

A long service takes ``progress: ProgressFn | None`` and calls ``progress(done, total)`` now and
then. The caller's callback may raise :class:`Cancelled` to stop the work; the service lets it
propagate, and its transaction (if any) rolls back.
"""

from __future__ import annotations

from collections.abc import Callable

ProgressFn = Callable[[int, int], None]


class Cancelled(Exception):
    """The user cancelled the work."""


def no_progress(_done: int, _total: int) -> None:
    return None
