"""工作小組 composition rules (要點 第5點之1) and the per-學期 meeting rule."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from desktop_app.domain.glossary import ICON_BAD, ICON_NA, ICON_OK, ICON_WARN
from desktop_app.domain.roc_date import Term


class Seat(StrEnum):
    """A seat of the group. The value is the code stored in the database; ``label`` is what people read."""

    CONVENER = "convener"
    SECRETARY = "secretary"
    ACADEMIC = "academic"
    STUDENT_AFFAIRS = "student_affairs"
    COUNSELING = "counseling"
    COURSE_COUNSELOR = "course_counselor"
    TEACHER = "teacher"
    PARENT = "parent"
    STUDENT = "student"
    PRACTICE = "practice"
    CONTINUING = "continuing"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The zh-TW name shown on screens, exports and the command line."""
        return SEAT_LABELS[self]


# The one place the seats' zh-TW names live (要點 第5點之1 wording); rewording one needs no migration.
SEAT_LABELS: dict[Seat, str] = {
    Seat.CONVENER: "召集人",
    Seat.SECRETARY: "執行秘書",
    Seat.ACADEMIC: "教務處代表",
    Seat.STUDENT_AFFAIRS: "學務處代表",
    Seat.COUNSELING: "輔導處(室)代表",
    Seat.COURSE_COUNSELOR: "課程諮詢教師代表",
    Seat.TEACHER: "教師代表",
    Seat.PARENT: "家長代表",
    Seat.STUDENT: "學生代表",
    Seat.PRACTICE: "實習處代表",
    Seat.CONTINUING: "進修部代表",
    Seat.OTHER: "其他",
}

SEATS: tuple[Seat, ...] = tuple(Seat)  # in the order the group is listed (召集人 first)

BASE_REQUIRED: tuple[Seat, ...] = (
    Seat.CONVENER,
    Seat.ACADEMIC,
    Seat.STUDENT_AFFAIRS,
    Seat.COUNSELING,
    Seat.COURSE_COUNSELOR,
    Seat.TEACHER,
    Seat.PARENT,
    Seat.STUDENT,
)

# The deck's suggested holder of each seat ("所列代表為建議")
SUGGESTED_HOLDER: dict[Seat, str] = {
    Seat.CONVENER: "校長",
    Seat.SECRETARY: "教務主任",
    Seat.ACADEMIC: "教學組長／註冊組長",
    Seat.STUDENT_AFFAIRS: "學務主任／訓育組長",
    Seat.COUNSELING: "輔導主任",
    Seat.COURSE_COUNSELOR: "課諮師召集人",
    Seat.TEACHER: "教師會代表",
    Seat.PARENT: "家長會代表",
    Seat.STUDENT: "學生會代表",
    Seat.PRACTICE: "實習處主任",
    Seat.CONTINUING: "進修部主任",
}

# Other names people type or find in sheets for a seat (short names, the pre-code labels' spellings)
_SEAT_ALIASES: dict[str, Seat] = {
    "輔導室代表": Seat.COUNSELING,
    "輔導處代表": Seat.COUNSELING,
    "課諮師代表": Seat.COURSE_COUNSELOR,
    "課程諮詢教師": Seat.COURSE_COUNSELOR,
}
_SEAT_BY_TEXT: dict[str, Seat] = {
    **{seat.value: seat for seat in Seat},
    **{label: seat for seat, label in SEAT_LABELS.items()},
    **_SEAT_ALIASES,
}


def parse_seat(text: str | None) -> Seat | None:
    """The seat a code or a zh-TW name stands for (full-width parentheses, short names); None if none."""
    value = (text or "").strip().replace("（", "(").replace("）", ")")
    return _SEAT_BY_TEXT.get(value) or _SEAT_BY_TEXT.get(value.lower())


def required_seats(has_practice_office: bool, has_continuing_division: bool) -> list[Seat]:
    """Seats the group must fill: the base seats, plus 實習處/進修部 when the school has them."""
    seats = list(BASE_REQUIRED)
    if has_practice_office:
        seats.append(Seat.PRACTICE)
    if has_continuing_division:
        seats.append(Seat.CONTINUING)
    return seats


@dataclass(frozen=True)
class SeatHolder:
    name: str
    seat: Seat
    title: str = ""


@dataclass(frozen=True)
class CompositionResult:
    year: int
    ok: bool
    convener_ok: bool
    missing_seats: list[Seat] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # what fails the rule (zh-TW)
    suggestions: list[str] = field(default_factory=list)  # advice that does not fail the rule
    filled: dict[Seat, list[str]] = field(default_factory=dict)  # seat → member names

    @property
    def summary(self) -> str:
        if self.ok:
            return "組成符合要點第5點之1"
        return "；".join(self.problems)


def check_composition(
    year: int,
    members: Iterable[SeatHolder],
    *,
    principal: str | None,
    has_practice_office: bool,
    has_continuing_division: bool,
) -> CompositionResult:
    """Check a year's group against 要點第5點之1 and the school profile."""
    members = list(members)
    filled: dict[Seat, list[str]] = {}
    for m in members:
        filled.setdefault(m.seat, []).append(m.name)
    problems: list[str] = []
    suggestions: list[str] = []

    conveners = filled.get(Seat.CONVENER, [])
    convener_ok = False
    if not members:
        problems.append(f"{year}學年度尚未建立工作小組成員")
    if principal is None:
        problems.append("尚未設定學校資料（校長），無法確認召集人")
    elif len(conveners) > 1:
        problems.append(f"召集人只能有一位（目前有 {len(conveners)} 位：{'、'.join(conveners)}）")
    elif conveners and conveners[0].replace(" ", "") != principal.replace(" ", ""):
        problems.append(f"召集人應由校長 {principal} 擔任（目前為 {conveners[0]}）")
    elif conveners:
        convener_ok = True

    missing = [
        seat for seat in required_seats(has_practice_office, has_continuing_division) if not filled.get(seat)
    ]
    if missing:
        text = "缺少：" + "、".join(seat.label for seat in missing)
        if Seat.CONVENER in missing and principal:
            text += f"（召集人應由校長 {principal} 擔任）"
        problems.append(text)
    if not filled.get(Seat.SECRETARY):
        suggestions.append("建議由教務主任擔任執行秘書")
    if not has_practice_office and filled.get(Seat.PRACTICE):
        suggestions.append("學校資料未勾選設有實習處，但小組有實習處代表")
    if not has_continuing_division and filled.get(Seat.CONTINUING):
        suggestions.append("學校資料未勾選設有進修部，但小組有進修部代表")
    return CompositionResult(
        year=year,
        ok=not problems,
        convener_ok=convener_ok,
        missing_seats=missing,
        problems=problems,
        suggestions=suggestions,
        filled=filled,
    )


def meetings_per_term(terms_with_meetings: Iterable[int]) -> dict[int, bool]:
    """{1: held?, 2: held?}: the group meets at least once every 學期."""
    held = set(terms_with_meetings)
    return {1: 1 in held, 2: 2 in held}


@dataclass(frozen=True)
class RegulationStatus:
    """補充規定 checklist: 訂定 → 會議 → 公告, and content (一)–(四)."""

    drafted: bool
    passed: bool
    announced: bool
    covers: tuple[bool, bool, bool, bool]

    COVER_TITLES = (
        "(一)工作小組之組成、運作及督導",
        "(二)學生學習歷程檔案資料建置之方式、人員、期程及內容",
        "(三)學生學習歷程檔案資料相關研習之規劃",
        "(四)辦理成效評核及獎勵",
    )

    @property
    def complete(self) -> bool:
        return self.drafted and self.passed and self.announced and all(self.covers)

    @property
    def missing_covers(self) -> list[str]:
        return [t for t, c in zip(self.COVER_TITLES, self.covers, strict=True) if not c]

    @property
    def line(self) -> str:
        def mark(flag: bool) -> str:
            return ICON_OK if flag else ICON_BAD  # the glossary's marks, as 自我檢核 shows them

        text = f"訂定{mark(self.drafted)} → 會議{mark(self.passed)} → 公告{mark(self.announced)}"
        if self.missing_covers:
            text += "；內容未涵蓋：" + "、".join(self.missing_covers)
        return text


MEETING_STATE_TEXT = {
    "held": f"{ICON_OK} 已開會",
    "missing": f"{ICON_BAD} 未開會（學期已結束）",
    "pending": f"{ICON_WARN} 尚未開會（本學期內須召開）",
    "upcoming": f"{ICON_NA} 學期尚未開始",
}


def meeting_states(year: int, held: dict[int, bool], today: date) -> dict[int, str]:
    """Per 學期: held | missing (ended without a meeting) | pending (current, none yet) | upcoming."""
    from desktop_app.domain.roc_date import Term

    states: dict[int, str] = {}
    for term in (1, 2):
        t = Term(year, term)
        if held.get(term):
            states[term] = "held"
        elif today > t.end:
            states[term] = "missing"
        elif today >= t.start:
            states[term] = "pending"
        else:
            states[term] = "upcoming"
    return states


_TITLE_ENDINGS = ("長", "主任", "師", "員", "代表", "教授", "秘書", "幹事", "督學", "顧問", "家長", "人")


def split_guest(line: str) -> tuple[str, str]:
    """(職稱, 姓名) of one 列席人員 line: 「資訊組長 周志強」, 「周志強 資訊組長」, 「周志強（資訊組長）」.

    A line of one word is a name with no title.
    """
    text = " ".join(line.replace("\u3000", " ").split())
    for open_, close in (("（", "）"), ("(", ")")):
        if text.endswith(close) and open_ in text:
            name, _, title = text[: -len(close)].partition(open_)
            return title.strip(), name.strip()
    parts = [p for p in text.replace("，", " ").replace(",", " ").replace("、", " ").split(" ") if p]
    if len(parts) < 2:
        return "", text
    first, rest = parts[0], " ".join(parts[1:])
    if not first.endswith(_TITLE_ENDINGS) and parts[-1].endswith(_TITLE_ENDINGS):
        return parts[-1], " ".join(parts[:-1])
    return first, rest


# --- records (plain values the services return and the exports read) --------------------------
@dataclass(frozen=True)
class MemberInput:
    """A member as entered (validated by the service)."""

    year: int
    name: str
    seat: str  # a Seat, or its code or zh-TW name as typed (normalised to a Seat when saved)
    title: str = ""
    unit: str = ""
    term_start: date | None = None
    term_end: date | None = None
    note: str = ""


@dataclass(frozen=True)
class MemberInfo(MemberInput):
    """A stored member."""

    seat: Seat  # show ``seat.label``
    id: int = 0
    sort_order: int = 0


@dataclass(frozen=True)
class MeetingInfo:
    """A stored meeting, with its attendees' ids and names."""

    id: int
    year: int
    term: int
    held_on: date
    title: str
    location: str = ""
    agenda: str = ""
    minutes: str = ""
    guests: str = ""
    attachments: tuple[str, ...] = ()
    attendee_ids: tuple[int, ...] = ()
    attendee_names: tuple[str, ...] = field(default_factory=tuple)
    start_time: str = ""

    @property
    def term_title(self) -> str:
        return Term(self.year, self.term).title
