"""Typed models. One module per feature; importing this package registers them all.

Each feature owns its module and its migration (see ``storage/migrations/versions``).
"""

from desktop_app.storage.models.base import Base
from desktop_app.storage.models.calendar import *  # noqa: F403
from desktop_app.storage.models.core import *  # noqa: F403
from desktop_app.storage.models.pass_marks import *  # noqa: F403
from desktop_app.storage.models.precheck import *  # noqa: F403
from desktop_app.storage.models.receipts import *  # noqa: F403
from desktop_app.storage.models.reconcile import *  # noqa: F403
from desktop_app.storage.models.selfcheck import *  # noqa: F403
from desktop_app.storage.models.working_group import *  # noqa: F403

__all__ = ["Base"]
