"""One module per tab. ``TAB_CLASSES`` gives the order of the tabs in the window."""

from __future__ import annotations

from desktop_app.ui.tabs.base import BaseTab
from desktop_app.ui.tabs.calendar import CalendarTab
from desktop_app.ui.tabs.precheck import PrecheckTab
from desktop_app.ui.tabs.receipts import ReceiptsTab
from desktop_app.ui.tabs.selfcheck import SelfCheckTab
from desktop_app.ui.tabs.working_group import WorkingGroupTab

TAB_CLASSES: tuple[type[BaseTab], ...] = (
    WorkingGroupTab,
    CalendarTab,
    SelfCheckTab,
    PrecheckTab,
    ReceiptsTab,
)

__all__ = ["TAB_CLASSES", "BaseTab"]
