"""A small coloured status badge (ok / warn / bad / neutral)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

STYLES = {
    "ok": "background:#e3f5e1; color:#1b5e20; border:1px solid #81c784;",
    "warn": "background:#fff4d6; color:#7a5200; border:1px solid #f0c36d;",
    "bad": "background:#fde2e1; color:#a3130f; border:1px solid #ef9a9a;",
    "neutral": "background:#eef1f5; color:#37474f; border:1px solid #cfd8dc;",
}


class Badge(QLabel):
    def __init__(self, text: str = "", state: str = "neutral", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self.set_state(state, text)

    def set_state(self, state: str, text: str | None = None) -> None:
        self.state = state
        if text is not None:
            self.setText(text)
        self.setStyleSheet(f"QLabel {{ {STYLES.get(state, STYLES['neutral'])} border-radius:4px; padding:4px 8px; }}")
