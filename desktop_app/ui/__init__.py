"""The Qt GUI. The only package (with the entry point) that imports PySide6."""

from __future__ import annotations

import sys


def _guard_singleton_refcounts() -> None:
    """Work around a shiboken 6.12 reference-count bug on Python < 3.12.

    PySide6 6.12 returns ``None`` from void C++ methods (``setText``, ``setStyleSheet`` …) without
    taking a reference, as if ``None`` were immortal (it is only from Python 3.12 on). On 3.11 each
    such call drops ``None``'s reference count by one; after some tens of thousands of calls the
    interpreter aborts ("Fatal Python error: none_dealloc", also seen as bool_dealloc). Giving
    ``None``, ``True`` and ``False`` a reference count no session can use up makes them
    effectively immortal, which is what the extension assumes.
    """
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    if getattr(sys, "_desktop_app_refcount_guard", False):
        return
    import ctypes

    for obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(obj)).value += 1 << 40  # ob_refcnt is the first field
    sys._desktop_app_refcount_guard = True  # type: ignore[attr-defined]  # our own flag on sys: once per process


_guard_singleton_refcounts()
