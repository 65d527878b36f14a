"""One module per tab (``ui/<feature>/tab.py``). ``TAB_SPECS`` gives the order of the tabs in the window.

A tab's module is imported, and the tab built, when it is first shown (start-up imports only the
first tab's code); ``TAB_CLASSES`` imports them all, for code that needs the classes themselves.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop_app.ui.common.tab_base import BaseTab


@dataclass(frozen=True)
class TabSpec:
    key: str
    title: str
    module: str
    class_name: str

    def load(self) -> type[BaseTab]:
        """Import the tab's module and return its class."""
        cls = getattr(importlib.import_module(self.module), self.class_name)
        assert cls.key == self.key and cls.title == self.title, self
        return cls


TAB_SPECS: tuple[TabSpec, ...] = (
    TabSpec("working_group", "工作小組", "desktop_app.ui.working_group.tab", "WorkingGroupTab"),
    TabSpec("calendar", "作業期程", "desktop_app.ui.calendar.tab", "CalendarTab"),
    TabSpec("selfcheck", "自我檢核", "desktop_app.ui.selfcheck.tab", "SelfCheckTab"),
    TabSpec("precheck", "開課預檢", "desktop_app.ui.precheck.tab", "PrecheckTab"),
    TabSpec("receipts", "收訖明細", "desktop_app.ui.receipts.tab", "ReceiptsTab"),
)


def __getattr__(name: str) -> object:
    if name == "TAB_CLASSES":
        return tuple(spec.load() for spec in TAB_SPECS)
    if name == "BaseTab":
        from desktop_app.ui.common.tab_base import BaseTab

        return BaseTab
    raise AttributeError(name)


# TAB_CLASSES and BaseTab are served lazily by __getattr__ above
__all__ = ["TAB_SPECS", "TabSpec"]
