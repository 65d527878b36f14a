from datetime import date

import pytest

from desktop_app.domain.working_group import SEATS, Seat
from desktop_app.services import ServiceError
from desktop_app.services.audit import list_entries
from desktop_app.services.profile import Profile, save_profile
from desktop_app.services.working_group import (
    MeetingInput,
    MemberInput,
    RegulationInput,
    add_meeting,
    add_member,
    add_regulation,
    composition_check,
    copy_members,
    delete_member,
    list_meetings,
    list_members,
    list_regulations,
    meeting_indicator,
    update_member,
)

BASE = [
    ("林志明", "召集人"), ("陳美玲", "執行秘書"), ("黃俊傑", "教務處代表"), ("張家豪", "學務處代表"),
    ("李雅婷", "輔導處（室）代表"), ("王建民", "課程諮詢教師代表"), ("劉怡君", "教師代表"),
    ("蔡宗翰", "家長代表"), ("許芷瑜", "學生代表"),
]  # fmt: skip


def _profile(db, practice: bool, continuing: bool) -> None:  # type: ignore[no-untyped-def]
    save_profile(db, Profile("011302", "測試高中", "林志明", practice, continuing))


def _add_base(db, year: int = 114) -> None:  # type: ignore[no-untyped-def]
    for name, seat in BASE:
        add_member(db, MemberInput(year, name, seat))


def test_school_without_practice_or_continuing_is_complete_with_base_seats(db) -> None:  # type: ignore[no-untyped-def]
    _profile(db, False, False)
    _add_base(db)
    result = composition_check(db, 114)
    assert result.ok and result.convener_ok and result.missing_seats == []


def test_school_with_practice_and_continuing_names_the_missing_seats(db) -> None:  # type: ignore[no-untyped-def]
    _profile(db, True, True)
    _add_base(db)
    result = composition_check(db, 114)
    assert not result.ok
    assert [s.label for s in result.missing_seats] == ["實習處代表", "進修部代表"]
    assert "缺少：實習處代表、進修部代表" in result.summary
    add_member(db, MemberInput(114, "鄭文雄", "實習處代表"))
    assert [s.label for s in composition_check(db, 114).missing_seats] == ["進修部代表"]
    add_member(db, MemberInput(114, "謝佩珊", "進修部代表"))
    assert composition_check(db, 114).ok


def test_convener_must_be_the_principal(db) -> None:  # type: ignore[no-untyped-def]
    _profile(db, False, False)
    _add_base(db)
    convener = next(m for m in list_members(db, 114) if m.seat.label == "召集人")
    update_member(db, convener.id, MemberInput(114, "陳美玲", "召集人"))
    result = composition_check(db, 114)
    assert not result.convener_ok and not result.ok
    assert any("應由校長 林志明" in p for p in result.problems)


def test_missing_convener_and_no_members(db) -> None:  # type: ignore[no-untyped-def]
    _profile(db, False, False)
    empty = composition_check(db, 114)
    assert not empty.ok and Seat.CONVENER in empty.missing_seats and len(empty.missing_seats) == 8
    for name, seat in BASE[1:]:
        add_member(db, MemberInput(114, name, seat))
    assert composition_check(db, 114).missing_seats == [Seat.CONVENER]


def test_bad_seat_and_name_are_refused(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ServiceError, match="不是工作小組的席次"):
        add_member(db, MemberInput(114, "某人", "校友代表"))
    with pytest.raises(ServiceError, match="姓名"):
        add_member(db, MemberInput(114, " ", "教師代表"))
    assert len(SEATS) == 12


def test_copy_last_year_in_one_action(db) -> None:  # type: ignore[no-untyped-def]
    _add_base(db, 113)
    copies = copy_members(db, 113, 114)
    assert [m.name for m in copies] == [n for n, _ in BASE]
    assert len(list_members(db, 113)) == len(list_members(db, 114)) == len(BASE)
    with pytest.raises(ServiceError, match="已有"):
        copy_members(db, 113, 114)


def test_meeting_indicator_per_term(db) -> None:  # type: ignore[no-untyped-def]
    _add_base(db)
    assert meeting_indicator(db, 114) == {1: False, 2: False}
    ids = tuple(m.id for m in list_members(db, 114))[:3]
    info = add_meeting(db, MeetingInput(date(2025, 9, 10), "第1次會議", attendee_ids=ids, guests="來賓甲"))
    assert (info.year, info.term) == (114, 1)
    assert info.attendee_names == ("林志明", "陳美玲", "黃俊傑")
    assert meeting_indicator(db, 114) == {1: True, 2: False}
    add_meeting(db, MeetingInput(date(2026, 1, 31), "學期末會議"))  # still 114-1
    assert meeting_indicator(db, 114) == {1: True, 2: False}
    add_meeting(db, MeetingInput(date(2026, 2, 1), "第2學期會議"))
    assert meeting_indicator(db, 114) == {1: True, 2: True}
    assert len(list_meetings(db, 114)) == 3


def test_regulation_status_and_order_rules(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ServiceError, match="早於"):
        add_regulation(db, RegulationInput("v1", drafted_on=date(2024, 9, 5), passed_on=date(2024, 9, 1),
                                           meeting_name="校務會議"))
    with pytest.raises(ServiceError, match="會議名稱"):
        add_regulation(db, RegulationInput("v1", passed_on=date(2024, 9, 26)))
    r = add_regulation(db, RegulationInput("v1", drafted_on=date(2024, 9, 5), covers=(True, True, False, False)))
    assert r.status.line.startswith("訂定√ → 會議╳ → 公告╳")
    assert "(三)學生學習歷程檔案資料相關研習之規劃" in r.status.missing_covers
    assert not list_regulations(db)[0].status.complete


def test_every_change_is_audited(db) -> None:  # type: ignore[no-untyped-def]
    m = add_member(db, MemberInput(114, "甲", "教師代表"))
    update_member(db, m.id, MemberInput(114, "乙", "教師代表"))
    delete_member(db, m.id)
    actions = [e.action for e in list_entries(db, entity="member")]
    assert actions == ["member.delete", "member.update", "member.add"]
    update = list_entries(db, entity="member")[1]
    assert '"甲"' in (update.before or "") and '"乙"' in (update.after or "")
