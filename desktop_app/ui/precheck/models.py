"""Table model of the pre-check findings: a filtered index list over the findings.

Filtering keeps a list of row indexes (no QSortFilterProxyModel: one Python pass over 100,000+
findings is faster than the proxy calling ``data()`` for every row), ``data()`` only formats the
cells on screen, and sorting sorts the index list once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from desktop_app.domain.national_id import DEFAULT_MASK_PATTERN, mask_id
from desktop_app.domain.precheck.labels import mask_ids_in_text
from desktop_app.ui.precheck import style

Index = QModelIndex | QPersistentModelIndex

SEVERITY_LABELS = {"error": "錯誤", "warning": "警告"}


class FindingLike(Protocol):
    """``Finding`` (a fresh run) or ``StoredFinding`` (a run from the history); read-only,
    as both are frozen."""

    @property
    def code(self) -> str: ...

    @property
    def severity(self) -> str: ...

    @property
    def message(self) -> str: ...

    @property
    def sheet(self) -> str | None: ...

    @property
    def row(self) -> int | None: ...

    @property
    def column(self) -> str | None: ...

    @property
    def value(self) -> str | None: ...

    @property
    def expected(self) -> str | None: ...

    @property
    def student_id(self) -> str | None: ...

    @property
    def student_name(self) -> str | None: ...

    @property
    def student_class(self) -> str | None: ...

    @property
    def student_seat(self) -> str | None: ...

    @property
    def course_code(self) -> str | None: ...

# the student first (name, class, seat: who is it), then the rule, then where in the file
COLUMNS = (
    ("姓名", "student_name"),
    ("班級", "student_class"),
    ("座號", "student_seat"),
    ("代碼", "code"),
    ("嚴重度", "severity"),
    ("筆數", "count"),
    ("說明", "message"),
    ("工作表", "sheet"),
    ("列", "row"),
    ("欄位", "column"),
    ("內容", "value"),
    ("應為", "expected"),
    ("身分證號", "student_id"),
    ("課程代碼", "course_code"),
)
ID_HEADER = "身分證號"
STUDENT_ATTRS = ("student_name", "student_class", "student_seat")
# key columns and their minimum widths (px): they never shrink out of sight
MIN_WIDTHS = {"student_name": 70, "student_class": 44, "student_seat": 40, "code": 44, "severity": 48, "count": 40}


class FindingsModel(QAbstractTableModel):
    """Findings with filters by code, severity, sheet, class and a student search."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[FindingLike] = []
        self._visible: list[int] = []
        self._mask = DEFAULT_MASK_PATTERN
        self._filters: dict[str, str | None] = {
            "code": None,
            "severity": None,
            "sheet": None,
            "student_class": None,
        }
        self._search = ""
        self._grouped = False
        self._groups: list[list[int]] = []  # grouped: indexes of one student's findings of one rule
        self._who: dict[str, tuple[str | None, str | None, str | None]] = {}  # ID → name, class, seat

    # --- grouping ---------------------------------------------------------------------------
    @property
    def grouped(self) -> bool:
        return self._grouped

    def set_grouped(self, grouped: bool) -> None:
        """Rows of one student and one rule collapse into one line with a count (筆數)."""
        if grouped == self._grouped:
            return
        self.beginResetModel()
        self._grouped = grouped
        self._groups = self._compute_groups()
        self.endResetModel()

    def _student_key(self, f: FindingLike) -> tuple[str, ...]:
        if f.student_id:
            return ("id", f.student_id)
        if f.student_name or f.student_class:
            return ("who", f.student_name or "", f.student_class or "", f.student_seat or "")
        return ("row", str(id(f)))  # a finding about no student stays on its own line

    def _compute_groups(self) -> list[list[int]]:
        if not self._grouped:
            return []
        groups: dict[tuple[str, ...], list[int]] = {}
        for i in self._visible:
            f = self._all[i]
            groups.setdefault((*self._student_key(f), f.code), []).append(i)
        out = list(groups.values())

        def order(g: list[int]) -> tuple[str, str, str, str]:
            f = self._all[g[0]]
            name, cls, seat = self._who_of(f)
            return (cls or "\uffff", (seat or "").zfill(3), name or "", f.code)

        out.sort(key=order)
        return out

    def _who_of(self, f: FindingLike) -> tuple[str | None, str | None, str | None]:
        """Name, class, seat of a finding; taken from another finding of the same ID when missing."""
        if f.student_name or not f.student_id:
            return f.student_name, f.student_class, f.student_seat
        return self._who.get(f.student_id, (None, f.student_class, f.student_seat))

    def group_at(self, row: int) -> list[FindingLike]:
        """The findings one row stands for (one finding unless grouped)."""
        if self._grouped:
            return [self._all[i] for i in self._groups[row]]
        return [self._all[self._visible[row]]]

    # --- data -------------------------------------------------------------------------------
    def set_findings(self, findings: Sequence[FindingLike], mask_pattern: str = DEFAULT_MASK_PATTERN) -> None:
        self.beginResetModel()
        self._all = list(findings)
        self._mask = mask_pattern
        self._who = {}
        for f in self._all:
            if f.student_id and f.student_name and f.student_id not in self._who:
                self._who[f.student_id] = (f.student_name, f.student_class, f.student_seat)
        self._visible = self._compute_visible()
        self._groups = self._compute_groups()
        self.endResetModel()

    def set_mask(self, mask_pattern: str) -> None:
        """Show the same findings with another ID mask (設定 → 個資與列印 changed)."""
        if mask_pattern == self._mask:
            return
        self.beginResetModel()
        self._mask = mask_pattern
        self.endResetModel()

    def findings(self) -> list[FindingLike]:
        return self._all

    def visible_findings(self) -> list[FindingLike]:
        return [self._all[i] for i in self._visible]

    def finding_at(self, row: int) -> FindingLike:
        if self._grouped:
            return self._all[self._groups[row][0]]
        return self._all[self._visible[row]]

    def distinct(self, attr: str) -> list[str]:
        return sorted({str(v) for f in self._all if (v := getattr(f, attr))})

    # --- filtering --------------------------------------------------------------------------
    def set_filter(self, attr: str, value: str | None) -> None:
        self._filters[attr] = value or None
        self._refilter()

    def set_search(self, text: str) -> None:
        self._search = text.strip().casefold()
        self._refilter()

    def clear_filters(self) -> None:
        for key in self._filters:
            self._filters[key] = None
        self._search = ""
        self._refilter()

    def _refilter(self) -> None:
        self.beginResetModel()
        self._visible = self._compute_visible()
        self._groups = self._compute_groups()
        self.endResetModel()

    def _compute_visible(self) -> list[int]:
        active = [(attr, value) for attr, value in self._filters.items() if value]
        search = self._search
        if not active and not search:
            return list(range(len(self._all)))
        out = []
        for i, f in enumerate(self._all):
            if any(getattr(f, attr) != value for attr, value in active):
                continue
            if search and not self._matches(f, search):
                continue
            out.append(i)
        return out

    @staticmethod
    def _matches(f: FindingLike, search: str) -> bool:
        for value in (f.student_name, f.student_id, f.student_class, f.student_seat, f.course_code):
            if value and search in value.casefold():
                return True
        return False

    # --- Qt interface -----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return len(self._groups) if self._grouped else len(self._visible)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def _text(self, f: FindingLike, attr: str, group: list[int] | None = None) -> str:
        if attr == "count":
            return str(len(group) if group else 1)
        if attr in STUDENT_ATTRS:
            value = self._who_of(f)[STUDENT_ATTRS.index(attr)]
            return "" if value is None else str(value)
        if attr == "row" and group and len(group) > 1:
            rows = [str(self._all[i].row) for i in group if self._all[i].row is not None]
            shown = "、".join(rows[:3])
            return f"{shown} 等 {len(rows)} 列" if len(rows) > 3 else shown
        value = getattr(f, attr)
        if value is None:
            return ""
        if attr == "severity":
            return SEVERITY_LABELS.get(value, value)
        if attr == "student_id" or (attr == "value" and f.column and "".join(f.column.split()) == ID_HEADER):
            # stored runs keep IDs masked with the pattern of their day; apply today's setting too
            return mask_id(str(value).strip(), self._mask)
        if attr == "message":
            return mask_ids_in_text(value, self._mask)
        return str(value)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        group = self._groups[index.row()] if self._grouped else None
        f = self._all[group[0]] if group else self._all[self._visible[index.row()]]
        attr = COLUMNS[index.column()][1]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(f, attr, group)
        if role == Qt.ItemDataRole.ToolTipRole and attr == "message":
            return mask_ids_in_text(f.message, self._mask)
        if role == Qt.ItemDataRole.BackgroundRole and attr in ("code", "severity"):
            return QBrush(QColor(style.BAD_ROW if f.severity == "error" else style.WARNING_ROW))
        if role == Qt.ItemDataRole.TextAlignmentRole and attr in ("row", "count"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section][0]
        return str(section + 1)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        attr = COLUMNS[column][1]
        items = self._all

        def key(i: int) -> tuple[int, Any]:
            if attr in STUDENT_ATTRS:
                value: Any = self._who_of(items[i])[STUDENT_ATTRS.index(attr)]
            elif attr == "count":
                return (0, 1)
            else:
                value = getattr(items[i], attr)
            if value is None or value == "":
                return (2, "")
            return (0, value) if isinstance(value, int) else (1, str(value))

        reverse = order == Qt.SortOrder.DescendingOrder
        self.layoutAboutToBeChanged.emit()
        if self._grouped:
            if attr == "count":
                self._groups.sort(key=len, reverse=reverse)
            else:
                self._groups.sort(key=lambda g: key(g[0]), reverse=reverse)
        else:
            self._visible.sort(key=key, reverse=reverse)
        self.layoutChanged.emit()


def keep_min_widths(view: Any) -> None:
    """Give the key columns (姓名 班級 座號 代碼 嚴重度 筆數) a width they never shrink below."""
    header = view.horizontalHeader()
    mins = {i: MIN_WIDTHS[attr] for i, (_t, attr) in enumerate(COLUMNS) if attr in MIN_WIDTHS}

    def guard(index: int, _old: int, new: int) -> None:
        if index in mins and new < mins[index]:
            header.resizeSection(index, mins[index])

    header.sectionResized.connect(guard)
    for index, width in mins.items():
        if header.sectionSize(index) < width:
            header.resizeSection(index, width)
