"""Plain data for the paper confirmation slips (紙本確認單) and reminder lists.

Interface between the receipt services (which build these from the database) and the PDF writers
in ``exports/slips.py`` / ``exports/reminders.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from desktop_app.domain.receipts import ConfirmationStatus

CATEGORIES = ("修課紀錄", "幹部經歷", "課程學習成果", "多元表現")


def slip_code(batch_id: int, student_id: int) -> str:
    """The barcode payload of a slip's 回條: batch + student (Code 128 friendly)."""
    return f"RB{batch_id:04d}S{student_id:06d}"


def parse_slip_code(text: str) -> tuple[int, int] | None:
    """(batch_id, student_id) from a scanned code, or None when it is not one of ours."""
    value = text.strip().upper()
    if len(value) != 13 or not value.startswith("RB") or value[6] != "S":
        return None
    head, tail = value[2:6], value[7:]
    if not (head.isdigit() and tail.isdigit()):
        return None
    return int(head), int(tail)


@dataclass(frozen=True)
class SlipItem:
    """One receipt item as printed: for 修課紀錄 學年度/學期, 科目名稱, 學分; otherwise title and date."""

    year: str = ""  # 學年度
    term: str = ""  # 學期
    title: str = ""  # 科目名稱 or achievement title
    credits: str = ""  # 學分 (修課紀錄)
    date: str = ""  # ROC date text (other categories)


@dataclass(frozen=True)
class SlipCategory:
    name: str  # one of CATEGORIES
    items: list[SlipItem] = field(default_factory=list)
    exempt: bool = False  # 免確認
    status: ConfirmationStatus = ConfirmationStatus.PENDING


@dataclass(frozen=True)
class SlipStudent:
    student_id: int  # database id (for the barcode)
    class_name: str
    seat: int | None
    student_no: str
    name: str
    masked_id: str
    categories: list[SlipCategory] = field(default_factory=list)
    notice: str = ""  # printed above the student's first page (e.g. 收訖對照: 請先至註冊組)


@dataclass(frozen=True)
class SlipBatch:
    batch_id: int
    school_name: str
    batch_name: str
    term_title: str  # e.g. 113學年度第1學期
    period_start: date
    period_end: date
    deadline: date | None  # 國教署's deadline: for the office, never printed on a student's slip
    students: list[SlipStudent] = field(default_factory=list)
    contact_line: str = ""  # 「有疑問請洽：教務處註冊組（電話 …）」 from the school profile
    printed_on: date | None = None  # the print date on every page (today when None)
