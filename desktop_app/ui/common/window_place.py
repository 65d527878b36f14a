"""Where the main window opens: within the screen's available area (taskbar excluded), or where
it was last closed when that place still fits one of the current screens."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRect
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QDialog, QWidget

from desktop_app.ui.common.settings import ui_settings

PREFERRED_WIDTH = 1280
PREFERRED_HEIGHT = 800
# a window not shown yet has no frame: allow for a title bar and borders (Windows 10/11: 31 + 8 px)
FRAME_ALLOWANCE_W = 16
FRAME_ALLOWANCE_H = 40
KEY = "main_window"


def _screens() -> list[QScreen]:
    return list(QGuiApplication.screens())


def fits_a_screen(frame: QRect) -> bool:
    """True when ``frame`` (the window with its title bar) lies inside one screen's available area."""
    return any(screen.availableGeometry().contains(frame) for screen in _screens())


def default_geometry(screen: QScreen | None) -> QRect:
    """The client rectangle of a first window: 1280×800 or less, centred in the available area."""
    screen = screen or QGuiApplication.primaryScreen()
    avail = screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 800)
    width = min(PREFERRED_WIDTH, avail.width() - FRAME_ALLOWANCE_W)
    height = min(PREFERRED_HEIGHT, avail.height() - FRAME_ALLOWANCE_H)
    x = avail.x() + (avail.width() - width) // 2
    title_bar = FRAME_ALLOWANCE_H - FRAME_ALLOWANCE_W // 2
    y = avail.y() + title_bar + max(0, (avail.height() - height - FRAME_ALLOWANCE_H) // 2)
    return QRect(x, y, width, height)


def place_window(window: QWidget) -> bool:
    """Give ``window`` its saved geometry when it fits the current screens, else the default.

    Returns True when the saved geometry was used.
    """
    settings = ui_settings()
    settings.beginGroup(KEY)
    client = settings.value("geometry")
    frame = settings.value("frame")
    maximized = str(settings.value("maximized", "false")).lower() == "true"
    settings.endGroup()
    if isinstance(client, QRect) and isinstance(frame, QRect) and client.isValid() and fits_a_screen(frame):
        window.setGeometry(client)
        if maximized:
            window.setProperty("_restore_maximized", True)
        return True
    window.setGeometry(default_geometry(window.screen()))
    return False


def save_window_place(window: QWidget) -> None:
    """Remember where ``window`` is (its normal, not maximised, rectangle)."""
    client = window.normalGeometry() if window.isMaximized() else window.geometry()
    frame_extra_w = window.frameGeometry().width() - window.geometry().width()
    frame_extra_h = window.frameGeometry().height() - window.geometry().height()
    left = window.geometry().x() - window.frameGeometry().x()
    top = window.geometry().y() - window.frameGeometry().y()
    frame = QRect(client.x() - left, client.y() - top, client.width() + frame_extra_w, client.height() + frame_extra_h)
    settings = ui_settings()
    settings.beginGroup(KEY)
    settings.setValue("geometry", client)
    settings.setValue("frame", frame)
    settings.setValue("maximized", window.isMaximized())
    settings.endGroup()
    settings.sync()


class _DialogFitter(QObject):
    """Keeps every dialog inside the available area of its screen: a dialog made for a large
    screen (1100×640, 1000×720) is shrunk and centred on a 1024×768 or 1366×768 office screen."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QDialog) and watched.isWindow():
            fit_to_screen(watched)
        return False


def fit_to_screen(widget: QWidget) -> None:
    """Shrink (and re-centre) a top-level widget that would not fit its screen's available area."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    avail = screen.availableGeometry()
    max_w, max_h = avail.width() - FRAME_ALLOWANCE_W, avail.height() - FRAME_ALLOWANCE_H
    if widget.width() <= max_w and widget.height() <= max_h and avail.contains(widget.frameGeometry()):
        return
    width, height = min(widget.width(), max_w), min(widget.height(), max_h)
    widget.resize(width, height)
    widget.move(avail.x() + (avail.width() - width) // 2, avail.y() + max(0, (avail.height() - height - FRAME_ALLOWANCE_H) // 2))


def install_dialog_fitter(app: QCoreApplication) -> None:
    """Fit every dialog the application shows (see :class:`_DialogFitter`)."""
    if getattr(app, "_dialog_fitter", None) is None:
        fitter = _DialogFitter(app)
        app.installEventFilter(fitter)
        app._dialog_fitter = fitter  # type: ignore[attr-defined]  # kept alive as long as the app
