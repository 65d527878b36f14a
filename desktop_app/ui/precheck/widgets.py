"""Small widgets of the 開課預檢 tab: a file box that accepts drops, and a summary card."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop_app.ui.common import file_dialogs

SPREADSHEET_FILTER = "試算表或 CSV (*.xlsx *.xls *.ods *.csv);;所有檔案 (*)"


class FileDropBox(QFrame):
    """A framed box: title, the chosen file, a 選擇… button; files can be dropped on it.

    Signals:
        file_chosen(str): a file was chosen or dropped.
    """

    file_chosen = Signal(str)

    def __init__(
        self, title: str, hint: str, parent: QWidget | None = None, kind: str = file_dialogs.ROSTERS
    ) -> None:
        super().__init__(parent)
        self._kind = kind
        self.setAcceptDrops(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("fileDropBox")
        self.setStyleSheet(
            "#fileDropBox { border: 1px dashed #8a9bb5; border-radius: 6px; background: #f7f9fc; }"
        )
        self._title = title
        self._path: Path | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        text = QVBoxLayout()
        self.title_label = QLabel(f"<b>{title}</b>")
        self.path_label = QLabel(hint)
        self.path_label.setStyleSheet("color: #555;")
        # wrap instead of widening the window: a 1366×768 screen at 125 % is ~1090 px wide
        self.path_label.setWordWrap(True)
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text.addWidget(self.title_label)
        text.addWidget(self.path_label)
        layout.addLayout(text, 1)
        self.extra = QHBoxLayout()  # room for the caller's widgets (e.g. the plan versions)
        layout.addLayout(self.extra)
        self.button = QPushButton("選擇…")
        self.button.clicked.connect(self.choose)
        layout.addWidget(self.button)

    @property
    def path(self) -> Path | None:
        return self._path

    def set_path(self, path: str | Path | None, note: str = "") -> None:
        self._path = Path(path) if path else None
        if self._path is None:
            return
        self.path_label.setText(f"{self._path.name}{('　' + note) if note else ''}")
        self.path_label.setToolTip(str(self._path))

    def set_note(self, text: str) -> None:
        self.path_label.setText(text)

    def choose(self) -> None:
        path = file_dialogs.open_file(self, f"選擇{self._title}", self._kind, SPREADSHEET_FILTER)
        if path:
            self.file_chosen.emit(str(path))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        for url in event.mimeData().urls():
            if url.isLocalFile():
                event.acceptProposedAction()
                self.file_chosen.emit(url.toLocalFile())
                return


class SummaryCard(QFrame):
    """One code of the summary: code, Chinese title, count; click to filter the table.

    Signals:
        clicked(str): the code.
    """

    clicked = Signal(str)

    def __init__(
        self, code: str, title: str, count: int, severity: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.code = code
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        colour = "#c0392b" if severity == "error" else "#b9770e"
        self._colours = (colour, "#fdecea" if severity == "error" else "#fef5e0", "#f8c9c3" if severity == "error" else "#fbe3ad")
        self._tooltip = f"{code} {title}：{count:,} 筆"
        self.setObjectName("summaryCard")
        self.selected = False
        self.set_selected(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(0)
        head = QLabel(f"<span style='color:{colour}; font-weight:bold'>{code}</span>　<b>{count:,}</b>")
        name = QLabel(title)
        name.setStyleSheet("color: #333; font-size: 11px;")
        name.setMaximumWidth(118)
        name.setWordWrap(True)
        layout.addWidget(head)
        layout.addWidget(name)
        self.setFixedWidth(128)
        self.setFixedHeight(54)

    def set_selected(self, selected: bool) -> None:
        """The card of the code the table is filtered on stands out (thick border, deeper colour)."""
        self.selected = selected
        colour, background, chosen = self._colours
        border = f"3px solid {colour}" if selected else f"1px solid {colour}"
        self.setStyleSheet(
            f"#summaryCard {{ background: {chosen if selected else background}; border: {border}; border-radius: 6px; }}"
        )
        self.setToolTip(self._tooltip + ("（目前只看這個代碼；選「（全部）」看全部）" if selected else "（點一下只看這個代碼）"))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.clicked.emit(self.code)
        super().mousePressEvent(event)
