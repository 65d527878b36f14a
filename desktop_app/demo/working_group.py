"""Demo 工作小組: a full group for 113 and 114 學年度, two meetings, one 補充規定 version."""

from __future__ import annotations

from datetime import date, timedelta

from desktop_app.demo.core import CURRENT_YEAR, demo_term_dates
from desktop_app.domain.roc_date import ROC_OFFSET
from desktop_app.services.working_group import (
    MeetingInput,
    MemberInput,
    RegulationInput,
    add_meeting,
    add_member,
    add_regulation,
    copy_members,
    list_members,
)
from desktop_app.storage.db import Database

DEMO_MEMBERS = [
    ("林志明", "召集人", "校長", "校長室"),
    ("陳美玲", "執行秘書", "教務主任", "教務處"),
    ("黃俊傑", "教務處代表", "註冊組長", "教務處"),
    ("吳淑芬", "教務處代表", "教學組長", "教務處"),
    ("張家豪", "學務處代表", "學務主任", "學務處"),
    ("李雅婷", "輔導處(室)代表", "輔導主任", "輔導室"),
    ("王建民", "課程諮詢教師代表", "課諮師召集人", "教務處"),
    ("劉怡君", "教師代表", "教師會理事長", "教師會"),
    ("蔡宗翰", "家長代表", "家長會長", "家長會"),
    ("許芷瑜", "學生代表", "學生會會長", "學生會"),
    ("鄭文雄", "實習處代表", "實習主任", "實習處"),
    ("謝佩珊", "進修部代表", "進修部主任", "進修部"),
]


def _past(d: date) -> date:
    return min(d, date.today())


def seed(db: Database) -> None:
    previous = CURRENT_YEAR - 1
    ad = previous + ROC_OFFSET
    for name, seat, title, unit in DEMO_MEMBERS:
        add_member(db, MemberInput(previous, name, seat, title, unit, date(ad, 8, 1), date(ad + 1, 7, 31)))
    copy_members(db, previous, CURRENT_YEAR)
    ids = tuple(m.id for m in list_members(db, CURRENT_YEAR))
    prev_start = demo_term_dates(previous)[2][0]
    add_meeting(
        db,
        MeetingInput(
            held_on=prev_start + timedelta(days=14),
            title=f"{previous}學年度第2學期學習歷程檔案工作小組會議",
            attendee_ids=ids[:11],
            location="行政大樓第一會議室",
            start_time="12:10",
            agenda="一、收訖明細確認期間\n二、本學期自我檢核",
            minutes="決議：收訖明細確認期間訂為 5 日。",
        ),
    )
    start = demo_term_dates(CURRENT_YEAR)[1][0]
    add_meeting(
        db,
        MeetingInput(
            held_on=_past(start + timedelta(days=9)),
            title=f"{CURRENT_YEAR}學年度第1學期學習歷程檔案工作小組第1次會議",
            attendee_ids=ids[:10],
            guests="資訊組長 周志強\n林美惠（課程諮詢師）",
            location="行政大樓第一會議室",
            start_time="14:00",
            agenda="一、本學年度任務分工及作業期程\n二、開課預檢分工\n三、補充規定修正草案\n四、上學期評核管考（自我檢核）",
            minutes="決議：\n1. 作業期程照案通過。\n2. 開課預檢由註冊組於開學後四週內完成第1次比對。",
        ),
    )
    add_regulation(
        db,
        RegulationInput(
            version="113年9月修正",
            drafted_on=date(2024, 9, 5),
            passed_on=date(2024, 9, 26),
            meeting_name="113學年度第1學期第1次校務會議",
            announced_on=date(2024, 10, 1),
            url="https://www.example.edu.tw/portfolio-rules",
            covers=(True, True, True, True),
        ),
    )
