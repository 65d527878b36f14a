"""A ``QAbstractTableModel`` over a list of plain objects, with column definitions and sorting.

Data is computed per visible cell (``data()`` is only asked for what is on screen), so a list of
100,000+ objects scrolls smoothly; sorting sorts the Python list once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
OBJECT_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True)
class Column(Generic[T]):
    title: str
    text: Callable[[T], Any]
    sort_key: Callable[[T], Any] | None = None
    align_right: bool = False
    background: Callable[[T], str | None] | None = None  # a colour name or "#rrggbb"
    tooltip: Callable[[T], str | None] | None = None


class ListTableModel(QAbstractTableModel, Generic[T]):
    def __init__(self, columns: Sequence[Column[T]], rows: Sequence[T] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[T] = list(rows)

    # --- data -------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[T]:
        return self._rows

    def row_object(self, row: int) -> T:
        return self._rows[row]

    # --- Qt interface -----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        obj = self._rows[index.row()]
        col = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = col.text(obj)
            return "" if value is None else str(value)
        if role == SORT_ROLE:
            return (col.sort_key or col.text)(obj)
        if role == OBJECT_ROLE:
            return obj
        if role == Qt.ItemDataRole.TextAlignmentRole and col.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and col.background is not None:
            colour = col.background(obj)
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.ToolTipRole and col.tooltip is not None:
            return col.tooltip(obj)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._columns[section].title
        return str(section + 1)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        col = self._columns[column]
        key = col.sort_key or col.text

        def safe_key(obj: T) -> tuple[int, Any]:
            value = key(obj)
            if value is None or value == "":
                return (1, "")
            return (0, value) if isinstance(value, (int, float)) else (0, str(value))

        self.layoutAboutToBeChanged.emit()
        try:
            self._rows.sort(key=safe_key, reverse=order == Qt.SortOrder.DescendingOrder)
        except TypeError:  # mixed types: fall back to text
            self._rows.sort(key=lambda o: str(key(o)), reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutChanged.emit()
