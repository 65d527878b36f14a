"""收訖對照: the value types of one run (the rosters read, the detail rows, the result).

Plain frozen dataclasses, shared by the service that builds them (``services/reconcile/``), the
xlsx writer (``exports/reconcile_xlsx.py``), the window and the command line. No Qt, no SQLAlchemy.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol

from desktop_app.domain.reconcile import (
    KEY_CODE,
    KEY_TITLE,
    KEY_TITLE_CREDITS,
    KIND_LABELS,
    KINDS,
    MISMATCH,
    MISSING,
    NO_RECEIPT,
    NOT_IN_ROSTER,
    RosterCourse,
)
from desktop_app.domain.roc_date import Term

DIVISION_LABELS = {"day": "日間", "continuing": "進修部", "": "未標示"}
KEY_NAMES = (KEY_CODE, KEY_TITLE_CREDITS, KEY_TITLE)


class ReconciledBatch(Protocol):
    """What a run needs of the 收訖明細 batch it compared (the receipts feature's batch info)."""

    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def year(self) -> int | None: ...
    @property
    def term(self) -> int | None: ...
    @property
    def period_start(self) -> date: ...
    @property
    def period_end(self) -> date: ...


def _batch_term_title(batch: ReconciledBatch) -> str:
    """The batch's 學期 as the receipts feature names it (a batch may lack its 學期, or its 學年度)."""
    if batch.year and batch.term in (1, 2):
        return Term(batch.year, batch.term).title
    return f"{batch.year}學年度" if batch.year else batch.name


# -- a roster as read -------------------------------------------------------------------------------
@dataclass(frozen=True)
class RosterFile:
    path: Path
    size: int
    sha256: str
    division: str  # "day" | "continuing" | "" (not told by cover or columns)
    school_code: str
    year: int | None  # from the 封面
    term: int | None
    sheets: dict[str, int]  # sheet → data rows read
    skipped: dict[str, int]  # sheet → rows not compared ((缺) sheets, 進修部 補考成績)
    not_submitted: int  # rows of 課程類別 8/9 codes (not submitted, except 科目屬性 D)
    rows: tuple[RosterCourse, ...] = field(repr=False)
    # students not in the batch: national id → (rows, first row); they can only be 名冊有、無收訖
    others: dict[str, tuple[int, RosterCourse]] = field(default_factory=dict, repr=False)
    terms: set[tuple[str, str]] = field(default_factory=set)  # (學年度, 學期) of the rows read

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def term_title(self) -> str:
        if self.year and self.term:
            return Term(self.year, self.term).title
        return "（封面無學年度學期）"

    @property
    def compared_rows(self) -> int:
        """Data rows taken into the comparison (those of 課程類別 8/9 left out)."""
        return sum(self.sheets.values()) - self.not_submitted

    def info(self) -> dict[str, object]:
        return {
            "name": self.name,
            "path": str(self.path.resolve()),
            "size": self.size,
            "sha256": self.sha256,
            "division": self.division,
            "year": self.year,
            "term": self.term,
            "sheets": self.sheets,
            "skipped": self.skipped,
            "not_submitted": self.not_submitted,
        }


# -- the result ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReconcileRow:
    """One detail row, with the student as the student master (or the roster's 備註) knows them."""

    kind: str
    student_id: int | None
    national_id: str  # full; shown masked (``masked_id``) everywhere except one student's detail
    masked_id: str
    name: str
    class_name: str
    seat: str
    student_no: str
    code: str = ""
    title: str = ""  # the roster's 科目名稱 (or the received one for 多出)
    year: str = ""
    term: str = ""
    credits: str = ""
    score: str = ""
    received_code: str = ""
    received_title: str = ""
    received_credits: str = ""
    received_score: str = ""
    fields: tuple[str, ...] = ()
    key: str = ""
    source: str = ""  # roster file / sheet / row
    receipt_row: int = 0  # row in the 收訖明細 file
    count: int = 0
    item_key: str = ""
    note: str = ""  # the clerk's explanation (未收訖 / 名冊有、無收訖)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def year_term(self) -> str:
        return f"{self.year}-{self.term}" if self.year or self.term else ""

    @property
    def difference_text(self) -> str:
        if self.kind == MISMATCH:
            return self._mismatch_text()
        if self.kind == NO_RECEIPT:
            return f"名冊有 {self.count} 筆修課紀錄，收訖明細中沒有此學生的修課紀錄"
        if self.kind == NOT_IN_ROSTER:
            return f"收到 {self.count} 筆修課紀錄，但所選名冊中沒有此學生"
        if self.kind == MISSING:
            return "名冊有，中央資料庫未收到"
        return "中央資料庫收到，名冊中沒有"

    def _mismatch_text(self) -> str:
        parts = []
        if "科目名稱" in self.fields:
            parts.append(f"科目名稱：名冊「{self.title}」／收訖「{self.received_title}」")
        if "學分" in self.fields:
            parts.append(f"學分：名冊 {self.credits or '—'}／收訖 {self.received_credits or '—'}")
        if "成績" in self.fields:
            parts.append(f"成績：名冊 {self.score or '—'}／收訖 {self.received_score or '—'}")
        return "；".join(parts)

    @property
    def unexplained(self) -> bool:
        return self.kind in (MISSING, NO_RECEIPT) and not self.note

    @property
    def note_text(self) -> str:
        """The clerk's note as lists show it: 「（未說明）」 on a 未收訖 row without one."""
        return self.note or ("（未說明）" if self.kind in (MISSING, NO_RECEIPT) else "")

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "kind_label": self.kind_label,
            "class": self.class_name,
            "seat": self.seat,
            "student_no": self.student_no,
            "name": self.name,
            "national_id": self.masked_id,
            "code": self.code,
            "title": self.title,
            "year": self.year,
            "term": self.term,
            "credits": self.credits,
            "score": self.score,
            "received": {
                "code": self.received_code,
                "title": self.received_title,
                "credits": self.received_credits,
                "score": self.received_score,
                "row": self.receipt_row,
            },
            "fields": list(self.fields),
            "key": self.key,
            "source": self.source,
            "count": self.count,
            "difference": self.difference_text,
            "note": self.note,
        }


def with_note(row: ReconcileRow, note: str) -> ReconcileRow:
    return ReconcileRow(**{**row.__dict__, "note": note.strip()})


@dataclass(frozen=True)
class ReconcileResult:
    batch: ReconciledBatch
    year: int | None
    term: int | None
    files: tuple[RosterFile, ...]
    rows: tuple[ReconcileRow, ...]
    counts: dict[str, int]
    matched: int
    matched_by: dict[str, int]
    received_items: int
    roster_rows: int
    out_of_scope: int
    notes: tuple[str, ...]
    seconds: float
    run_id: int | None = None

    @property
    def differs(self) -> bool:
        return any(self.counts.values())

    @property
    def term_title(self) -> str:
        return Term(self.year, self.term).title if self.year and self.term else _batch_term_title(self.batch)

    @property
    def unexplained(self) -> int:
        return sum(1 for r in self.rows if r.unexplained)

    def class_counts(self) -> list[tuple[str, dict[str, int]]]:
        """Per class: the count of each kind, classes sorted."""
        per: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(KINDS, 0))
        for r in self.rows:
            per[r.class_name or "（無班級）"][r.kind] += 1
        return sorted(per.items())

    def keys_text(self) -> str:
        used = [f"{k} {n} 筆" for k, n in self.matched_by.items() if n]
        return "比對鍵：" + ("、".join(used) if used else "（沒有比對到的項目）")

    def as_json(self) -> dict[str, object]:
        """``counts`` first (missing, extra, mismatch, no_receipt, not_in_roster), then the rows."""
        return {
            "counts": {k: self.counts[k] for k in KINDS},
            "rows": [r.as_dict() for r in self.rows],
            "batch": {"id": self.batch.id, "name": self.batch.name},
            "year": self.year,
            "term": self.term,
            "rosters": [f.info() for f in self.files],
            "matched": self.matched,
            "matched_by": self.matched_by,
            "received_items": self.received_items,
            "roster_rows": self.roster_rows,
            "out_of_scope": self.out_of_scope,
            "unexplained": self.unexplained,
            "notes": list(self.notes),
            "run_id": self.run_id,
        }
