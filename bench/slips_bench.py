"""Benchmark: the paper confirmation slips of 3,000 students x ~25 items against a bare reportlab canvas.

Both sides run as separate processes (interpreter start, imports and font loading included) on the
same generated SlipBatch (pickled to a temp file): ``write_slips`` for the slips, and for the
baseline a canvas that draws the same strings with the same font on the same number of pages,
with no layout logic. Prints both times, the ratio and the PDF sizes.

    .venv/bin/python bench/slips_bench.py [--students 3000] [--items 25]
"""

from __future__ import annotations

import argparse
import pickle
import random
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from desktop_app.domain.national_id import make_valid_id, mask_id
from desktop_app.exports.slips_model import SlipBatch, SlipCategory, SlipItem, SlipStudent

SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周徐蘇葉莊呂江何蕭羅高潘簡朱鍾游彭詹胡施沈余盧梁趙顏柯翁魏孫戴范方宋鄧杜傅侯曹薛丁卓阮馬董温唐藍石蔣古紀姚連馮歐程湯黄田康姜白汪鄒尤巫鐘黎涂龔嚴韓袁金童陸夏柳凃邵"
GIVEN = "家豪志明俊傑建宏俊宏志偉志豪冠宇宗翰承恩柏翰彥廷品睿宥廷子涵詠晴宜蓁欣妤思妤品妍語彤芷晴心妤雨潔佳穎昀蓁羽彤郁婷怡君雅婷佩珊淑芬美玲惠雯靜怡堃喆犇峯綉媖瑈"
SUBJECTS = [
    "國語文", "英語文", "數學A", "數學B", "歷史", "地理", "公民與社會", "物理", "化學", "生物", "地球科學",
    "音樂", "美術", "藝術生活", "生活科技", "資訊科技", "健康與護理", "體育", "全民國防教育", "生涯規劃",
    "家政", "第二外國語文－日語", "探究與實作：自然科學", "多元選修－程式設計入門", "彈性學習－自主學習",
    "加深加廣選修－英文閱讀與寫作", "應用文", "公民與社會專題", "數學甲", "物理實驗",
]
TITLES = {
    "幹部經歷": ["班長", "副班長", "學藝股長", "風紀股長", "衛生股長", "總務股長", "康樂股長", "資訊股長", "社長"],
    "課程學習成果": [
        "高一國語文報告：我讀《紅樓夢》的人物描寫", "物理實驗報告：單擺週期與擺長關係之探討",
        "地理專題：淡水河流域的聚落變遷調查", "資訊科技：以 Python 製作校園公車查詢程式",
        "英語文口說作業：介紹我的家鄉", "化學探究：家用清潔劑的酸鹼度比較",
    ],
    "多元表現": [
        "全國高中英語演講比賽 佳作", "校內科展 第二名", "社區服務學習 16 小時", "TOEIC 聽讀測驗 785 分",
        "自主學習計畫：AI 影像辨識入門", "校際籃球錦標賽 季軍", "淨灘志工活動",
    ],
}


def make_batch(students: int = 3000, items: int = 25, seed: int = 11302) -> SlipBatch:
    """A realistic batch: classes of 30-40, ~items per student spread over the four categories."""
    rnd = random.Random(seed)
    out: list[SlipStudent] = []
    class_no, seat = 101, 0
    class_size = rnd.randint(30, 40)
    for sid in range(1, students + 1):
        seat += 1
        if seat > class_size:
            class_no, seat, class_size = class_no + 1, 1, rnd.randint(30, 40)
        name = rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.choice((1, 2, 2, 2))))
        n = max(4, int(rnd.gauss(items, 3)))
        counts = {"修課紀錄": n * 12 // 25, "幹部經歷": n * 3 // 25, "課程學習成果": n * 5 // 25}
        counts["多元表現"] = n - sum(counts.values())
        cats = []
        for cat, count in counts.items():
            if cat == "修課紀錄":
                its = [
                    SlipItem(year="113", term=str(1 + i % 2), title=rnd.choice(SUBJECTS), credits=str(rnd.choice((1, 2, 2, 3, 4))))
                    for i in range(count)
                ]
            else:
                its = [
                    SlipItem(year="113", term=str(1 + i % 2), title=rnd.choice(TITLES[cat]),
                             date=f"113/{rnd.randint(9, 12):02d}/{rnd.randint(1, 28):02d}")
                    for i in range(count)
                ]
            cats.append(SlipCategory(cat, its, exempt=(cat == "修課紀錄" and class_no >= 300 and sid % 7 == 0)))
        out.append(
            SlipStudent(
                student_id=sid,
                class_name=str(class_no),
                seat=seat,
                student_no=f"{113000 + sid:06d}",
                name=name,
                masked_id=mask_id(make_valid_id(f"{rnd.choice('ABEFH')}{rnd.choice('12')}{rnd.randint(0, 9999999):07d}")),
                categories=cats,
            )
        )
    return SlipBatch(
        batch_id=7,
        school_name="臺北市立示範高級中學",
        batch_name="113-1 收訖明細第1梯次",
        term_title="113學年度第1學期",
        period_start=date(2024, 10, 15),
        period_end=date(2024, 10, 21),
        deadline=date(2024, 10, 31),
        students=out,
    )
