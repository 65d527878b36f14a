"""The window's event hub: a tab says what it changed; the tabs (and the banner) that show it reload.

Each tab names what it shows (``BaseTab.shows``) and publishes what it changed
(``BaseTab.publish``); the window subscribes every built tab to the topics it shows. What shows what:

============  =================================================================================
工作小組       working_group, profile (the composition check reads the principal, the divisions)
作業期程       calendar + the progress it derives: working_group (meetings), precheck (runs),
              receipts (batches), profile (學期 dates)
自我檢核       selfcheck + its evidence: working_group, calendar, precheck, receipts, profile
開課預檢       precheck, pass_marks (the line above the results), profile (學期 list, deadline),
              settings (the ID mask)
收訖明細       receipts, students, settings (the ID mask)
banner        calendar, working_group, precheck, receipts, profile (the same as 作業期程)
============  =================================================================================

``database_replaced`` (another database opened, or restored from a backup) rebuilds every tab.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QObject, Signal, SignalInstance


class Topic(StrEnum):
    """What changed. The value names the hub's signal: ``<value>_changed``."""

    WORKING_GROUP = "working_group"
    CALENDAR = "calendar"
    SELFCHECK = "selfcheck"
    PRECHECK = "precheck"
    PASS_MARKS = "pass_marks"
    RECEIPTS = "receipts"
    STUDENTS = "students"
    PROFILE = "profile"  # 學校資料 and 學期 dates
    SETTINGS = "settings"  # 個資與列印 (the ID mask, the PDF font)


class AppEvents(QObject):
    """Signals ``<topic>_changed(source)``: ``source`` is the tab that made the change (it has
    already reloaded itself) or None (the window: a menu dialog); ``database_replaced()``."""

    working_group_changed = Signal(object)
    calendar_changed = Signal(object)
    selfcheck_changed = Signal(object)
    precheck_changed = Signal(object)
    pass_marks_changed = Signal(object)
    receipts_changed = Signal(object)
    students_changed = Signal(object)
    profile_changed = Signal(object)
    settings_changed = Signal(object)
    database_replaced = Signal()

    def signal(self, topic: Topic) -> SignalInstance:
        """The signal of ``topic`` (e.g. ``receipts_changed``)."""
        signal: SignalInstance = getattr(self, f"{topic.value}_changed")
        return signal

    def publish(self, topic: Topic, source: object = None) -> None:
        self.signal(topic).emit(source)
