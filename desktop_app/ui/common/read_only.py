"""Read-only databases (another window holds the lock): widgets that change data are disabled,
with a tooltip that says why and what to do."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QWidget

READ_ONLY_TOOLTIP = (
    "資料庫以唯讀方式開啟（另一個視窗或另一台電腦正在使用），不能修改。請關閉另一個視窗後重新開啟本程式。"
)


def lock_read_only(widgets: Iterable[QWidget]) -> None:
    """Disable widgets that would change data, with a tooltip saying why."""
    for widget in widgets:
        widget.setEnabled(False)
        widget.setToolTip(READ_ONLY_TOOLTIP)


def enable_with_reason(widget: QWidget, enabled: bool, reason: str) -> None:
    """Enable ``widget``, or disable it with a tooltip that says why (its own tooltip comes back
    when it is enabled again). A greyed-out button that does not say why leaves a clerk guessing."""
    base = widget.property("_base_tooltip")
    if base is None:
        base = widget.toolTip()
        widget.setProperty("_base_tooltip", base)
    widget.setEnabled(enabled)
    if enabled:
        widget.setToolTip(str(base))
    else:
        widget.setToolTip(f"{base}\n（目前不能用：{reason}）" if base else f"目前不能用：{reason}")
