"""The OK / 取消 button row of a dialog, with zh-TW texts."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox

StandardButton = QDialogButtonBox.StandardButton


def ok_cancel_buttons(
    dialog: QDialog,
    ok_text: str = "確定",
    *,
    on_accept: Callable[[], object] | None = None,
    ok_button: StandardButton = StandardButton.Ok,
) -> QDialogButtonBox:
    """A button box with an accept button (``ok_button`` labelled ``ok_text``) and 取消.

    Args:
        dialog: the dialog 取消 rejects (and the accept button accepts, unless ``on_accept``).
        ok_text: the accept button's text, e.g. 確定, 儲存, 匯入.
        on_accept: called instead of ``dialog.accept`` (it checks and saves, then accepts).
        ok_button: the standard button that accepts (Ok, or Save for a form that saves).

    Returns:
        The box; ``box.button(ok_button)`` is the accept button.
    """
    box = QDialogButtonBox(ok_button | StandardButton.Cancel)
    box.button(ok_button).setText(ok_text)
    box.button(StandardButton.Cancel).setText("取消")
    box.accepted.connect(on_accept if on_accept is not None else dialog.accept)
    box.rejected.connect(dialog.reject)
    return box
