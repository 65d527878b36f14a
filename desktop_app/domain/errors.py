"""The one user-facing refusal type, shared by every layer below the UI.

Services, readers and exports raise :class:`ServiceError` with a zh-TW message that says what and
where; the window shows ``str(err)`` in a dialog and the CLI prints it and exits 2. It lives in
``domain`` so that ``exports`` can raise it without importing ``services``.
"""


class ServiceError(ValueError):
    """A user-facing refusal; ``str(err)`` is the zh-TW message to show."""


class NothingToExportError(ServiceError):
    """An export with nothing in it: no file is written. The window shows the message; the CLI
    prints it and exits 1 (the same status as a check that found something missing)."""
