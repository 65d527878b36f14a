"""Per-user UI settings (window geometry, last folders): an INI file in the user's data folder.

These belong to the person at this PC, not to the school's database (which may sit on a shared
drive), so they are not stored in the database. ``DESKTOP_APP_DATA_DIR`` moves them with the data
folder (tests use it to stay isolated).
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from desktop_app.config import data_dir

SETTINGS_FILE = "ui-settings.ini"


def ui_settings() -> QSettings:
    """The settings file (``ui-settings.ini`` in the data folder)."""
    return QSettings(str(data_dir() / SETTINGS_FILE), QSettings.Format.IniFormat)
