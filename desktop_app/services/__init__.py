"""One function per user action, one transaction each; plain objects out; every change audited.

Conventions: a service takes the :class:`~desktop_app.storage.db.Database` first, opens
``db.transaction()`` itself, writes the audit entry in the same transaction through
:func:`desktop_app.services.audit.record`, and returns frozen dataclasses (never ORM objects).
Bad input raises :class:`ServiceError` with a Chinese message that says what and where.
"""

from desktop_app.domain.errors import ServiceError

__all__ = ["ServiceError"]
