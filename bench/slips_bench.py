"""Benchmark: the paper confirmation slips of 3,000 students x ~25 items against a bare reportlab canvas.

Both sides run as separate processes (interpreter start, imports and font loading included) on the
same generated SlipBatch (pickled to a temp file): ``write_slips`` for the slips, and for the
baseline a canvas that draws the same strings with the same font on the same number of pages,
with no layout logic. Prints both times, the ratio and the PDF sizes.

    .venv/bin/python bench/slips_bench.py [--students 3000] [--items 25]
"""

from __future__ import annotations

import os
import sys

if os.environ.get("SLIPS_BENCH_NO_ACCEL"):
    sys.modules["_rl_accel"] = None  # type: ignore[assignment]  # reportlab falls back to pure Python

import argparse
import pickle
import random
import subprocess
import tempfile
import time
from datetime import date
from pathlib import Path

from desktop_app.domain.national_id import make_valid_id, mask_id
from desktop_app.exports.slips_model import SlipBatch, SlipCategory, SlipItem, SlipStudent

SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周徐蘇葉莊呂江何蕭羅高潘簡朱鍾游彭詹胡施沈余盧梁趙顏柯翁魏孫戴范方宋鄧杜傅侯曹薛丁卓阮馬董温唐藍石蔣古紀姚連馮歐程湯黄田康姜白汪鄒尤巫鐘黎涂龔嚴韓袁金童陸夏柳凃邵"
GIVEN = "家豪志明俊傑建宏俊宏志偉志豪冠宇宗翰承恩柏翰彥廷品睿宥廷子涵詠晴宜蓁欣妤思妤品妍語彤芷晴心妤雨潔佳穎昀蓁羽彤郁婷怡君雅婷佩珊淑芬美玲惠雯靜怡堃喆犇峯綉媖瑈"
SUBJECTS = [
    "國語文",
    "英語文",
    "數學A",
    "數學B",
    "歷史",
    "地理",
    "公民與社會",
    "物理",
    "化學",
    "生物",
    "地球科學",
    "音樂",
    "美術",
    "藝術生活",
    "生活科技",
    "資訊科技",
    "健康與護理",
    "體育",
    "全民國防教育",
    "生涯規劃",
    "家政",
    "第二外國語文－日語",
    "探究與實作：自然科學",
    "多元選修－程式設計入門",
    "彈性學習－自主學習",
    "加深加廣選修－英文閱讀與寫作",
    "應用文",
    "公民與社會專題",
    "數學甲",
    "物理實驗",
]
TITLES = {
    "幹部經歷": [
        "班長",
        "副班長",
        "學藝股長",
        "風紀股長",
        "衛生股長",
        "總務股長",
        "康樂股長",
        "資訊股長",
        "社長",
    ],
    "課程學習成果": [
        "高一國語文報告：我讀《紅樓夢》的人物描寫",
        "物理實驗報告：單擺週期與擺長關係之探討",
        "地理專題：淡水河流域的聚落變遷調查",
        "資訊科技：以 Python 製作校園公車查詢程式",
        "英語文口說作業：介紹我的家鄉",
        "化學探究：家用清潔劑的酸鹼度比較",
    ],
    "多元表現": [
        "全國高中英語演講比賽 佳作",
        "校內科展 第二名",
        "社區服務學習 16 小時",
        "TOEIC 聽讀測驗 785 分",
        "自主學習計畫：AI 影像辨識入門",
        "校際籃球錦標賽 季軍",
        "淨灘志工活動",
    ],
}


def full_id(sid: int) -> str:
    """A valid, unique fictional ID per student number (3137 is coprime with 10**7)."""
    return make_valid_id(f"{'ABEFH'[sid % 5]}{1 + sid % 2}{sid * 3137 % 10_000_000:07d}")


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
                    SlipItem(
                        year="113",
                        term=str(1 + i % 2),
                        title=rnd.choice(SUBJECTS),
                        credits=str(rnd.choice((1, 2, 2, 3, 4))),
                    )
                    for i in range(count)
                ]
            else:
                its = [
                    SlipItem(
                        year="113",
                        term=str(1 + i % 2),
                        title=rnd.choice(TITLES[cat]),
                        date=f"113/{rnd.randint(9, 12):02d}/{rnd.randint(1, 28):02d}",
                    )
                    for i in range(count)
                ]
            cats.append(
                SlipCategory(cat, its, exempt=(cat == "修課紀錄" and class_no >= 300 and sid % 7 == 0))
            )
        out.append(
            SlipStudent(
                student_id=sid,
                class_name=str(class_no),
                seat=seat,
                student_no=f"{113000 + sid:06d}",
                name=name,
                masked_id=mask_id(full_id(sid)),
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


# --------------------------------------------------------------------------------------------
# The two sides, each run in its own process


def _strings_of(batch: SlipBatch, student: SlipStudent) -> list[str]:
    """The text a slip page set shows: fixed labels plus the student's fields and items."""
    from desktop_app.domain.roc_date import format_roc_long

    texts = [
        f"{batch.school_name}學生學習歷程檔案收訖明細確認單",
        f"{batch.term_title}　{batch.batch_name}",
        "第 1 頁／共 1 頁",
        "班級",
        student.class_name,
        "座號",
        str(student.seat),
        "學號",
        student.student_no,
        "姓名",
        student.name,
        "身分證號",
        student.masked_id,
        f"確認期間：{format_roc_long(batch.period_start)}至{format_roc_long(batch.period_end)}",
        "請親自核對下列資料是否與你上傳的相符，並於前完成確認：正確者勾「資料正確」，有錯誤者勾「有疑義」",
        "並寫明哪一筆、哪裡有誤；由學生及家長簽名後，沿虛線剪下回條交回。期限內未確認也未提出疑義者，",
        "資料視為已確認。標示「免確認」的類別不需確認。",
    ]
    for cat in student.categories:
        texts += [f"{cat.name}（共 {len(cat.items)} 筆）", "學年度-學期", "名稱", "日期"]
        for item in cat.items:
            texts += [f"{item.year}-{item.term}", item.title, item.credits or item.date]
    texts += [
        "請沿虛線剪下回條，於前交回",
        "回條",
        f"收訖明細確認單　{batch.term_title}",
        f"班級：{student.class_name}　　座號：{student.seat}　　姓名：{student.name}",
    ]
    for cat in student.categories:
        texts += [cat.name, "資料正確", "有疑義"]
    texts += [
        "疑義說明（勾「有疑義」者請寫明類別、哪一筆、哪裡有誤）：",
        "學生簽名：",
        "家長簽名：",
        "日期：　　　年　　　月　　　日",
    ]
    return texts


def run_baseline(batch: SlipBatch, out: Path, pages: int) -> None:
    """Bare reportlab: the same strings, same font, same page count; a fixed grid, no layout."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from desktop_app.exports.fonts import find_cjk_font

    font = find_cjk_font()
    canvas = Canvas(str(out), pagesize=A4, pageCompression=1, initialFontName=font.name)
    per_student = max(1, pages // max(1, len(batch.students)))
    extra = pages - per_student * len(batch.students)
    for i, student in enumerate(batch.students):
        texts = _strings_of(batch, student)
        n_pages = per_student + (1 if i < extra else 0)
        chunk = -(-len(texts) // n_pages)
        for p in range(n_pages):
            canvas.setFont(font.name, 9)
            y = 800.0
            for text in texts[p * chunk : (p + 1) * chunk]:
                canvas.drawString(40, y, text)
                y -= 11
            canvas.showPage()
    canvas.save()


def run_slips(batch: SlipBatch, out: Path) -> int:
    from desktop_app.exports.slips import write_slips

    return write_slips(out, batch, allow_missing=True).pages


def _child(kind: str, batch_file: Path, out: Path, pages: int) -> None:
    batch = pickle.loads(batch_file.read_bytes())
    if kind == "slips":
        print(run_slips(batch, out))
    else:
        run_baseline(batch, out, pages)
        print(pages)


def _timed(kind: str, batch_file: Path, out: Path, pages: int = 0, accel: bool = True) -> tuple[float, int]:
    env = dict(os.environ)
    env.pop("SLIPS_BENCH_NO_ACCEL", None)
    if not accel:
        env["SLIPS_BENCH_NO_ACCEL"] = "1"
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(batch_file), str(out), str(pages)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    return time.perf_counter() - start, int(done.stdout.strip().splitlines()[-1])


def build_database(batch: SlipBatch, folder: Path) -> tuple[Path, int]:
    """A real database with the batch's students and items, made through the receipts services."""
    import csv

    from desktop_app.services.receipts.importing import import_receipts
    from desktop_app.services.receipts.students import import_students
    from desktop_app.storage.migrate import open_database

    db_path = folder / "bench.sqlite3"
    db = open_database(db_path, backup=None)
    master, receipts = folder / "master.csv", folder / "receipts.csv"
    with master.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["學號", "姓名", "身分證號", "出生日期", "部別", "年級", "班級", "座號", "學籍狀態"])
        for st in batch.students:
            grade = str(int(st.class_name) // 100)
            out.writerow([st.student_no, st.name, full_id(st.student_id), "0920315", "日間部", grade,
                          st.class_name, st.seat, "在學"])  # fmt: skip
    with receipts.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(
            ["身分證號", "出生日期", "姓名", "資料類別", "學年度", "學期", "名稱", "學分", "日期", "說明"]
        )
        for st in batch.students:
            for cat in st.categories:
                for it in cat.items:
                    out.writerow([full_id(st.student_id), "0920315", st.name, cat.name, it.year, it.term,
                                  it.title, it.credits, it.date, ""])  # fmt: skip
    import_students(db, master)
    result = import_receipts(
        db, receipts, name=batch.batch_name, start=batch.period_start, end=batch.period_end,
        deadline=batch.deadline, today=batch.period_start,
    )  # fmt: skip
    return db_path, result.batch_id


def _timed_cli(db_path: Path, batch_id: int, out: Path, accel: bool) -> tuple[float, int]:
    env = dict(os.environ)
    env.pop("SLIPS_BENCH_NO_ACCEL", None)
    if not accel:
        env["SLIPS_BENCH_NO_ACCEL"] = "1"
    code = (
        "import os, sys\n"
        "if os.environ.get('SLIPS_BENCH_NO_ACCEL'): sys.modules['_rl_accel'] = None\n"
        "from desktop_app.cli import main\n"
        f"raise SystemExit(main(['receipts', 'slips', '{batch_id}', '--out', {str(out)!r}, '--db', {str(db_path)!r}]))"
    )
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    pages = int(done.stdout.split("、")[1].split(" 頁")[0].strip())
    return elapsed, pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=3000)
    parser.add_argument("--items", type=int, default=25)
    parser.add_argument(
        "--db",
        action="store_true",
        help="also build a real database through the services and time `desktop-app receipts slips`",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run each side N times, interleaved, and keep the fastest (the machine may be shared)",
    )
    parser.add_argument("--child", nargs=4, metavar=("KIND", "BATCH", "OUT", "PAGES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, batch_file, out, pages = args.child
        _child(kind, Path(batch_file), Path(out), int(pages))
        return 0
    try:
        import _rl_accel  # noqa: F401  (the C extension of the rl-accel package)

        modes = [("with rl-accel", True), ("without rl-accel", False)]
    except ImportError:
        modes = [("rl-accel not installed", True)]
    batch = make_batch(args.students, args.items)
    items = sum(len(c.items) for s in batch.students for c in s.categories)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        batch_file = folder / "batch.pickle"
        batch_file.write_bytes(pickle.dumps(batch))
        slips_pdf, base_pdf = folder / "slips.pdf", folder / "baseline.pdf"
        print(
            f"slips bench: {len(batch.students)} students, {items} items "
            f"({items / len(batch.students):.1f} each)"
        )
        print(f"each time: the fastest of {max(1, args.repeat)} interleaved run(s)")
        print(
            "mode: write_slips() in a subprocess on a generated SlipBatch (no database); "
            "baseline = bare reportlab canvas drawString of the same strings, same font, same page count"
        )
        for label, accel in modes:
            t_slips = t_base = float("inf")
            for _ in range(max(1, args.repeat)):
                t, pages = _timed("slips", batch_file, slips_pdf, accel=accel)
                t_slips = min(t_slips, t)
                t_base = min(t_base, _timed("baseline", batch_file, base_pdf, pages, accel=accel)[0])
            size = slips_pdf.stat().st_size
            print(f"[{label}] pages: {pages}")
            print(f"[{label}] slips PDF:    {t_slips:7.2f} s  {size / 1e6:6.2f} MB")
            print(f"[{label}] baseline PDF: {t_base:7.2f} s  {base_pdf.stat().st_size / 1e6:6.2f} MB")
            print(
                f"[{label}] ratio slips/baseline: {t_slips / t_base:.2f}  (target <= 1.5; PDF < 30 MB: "
                f"{'OK' if size < 30e6 else 'TOO BIG'})"
            )
        if args.db:
            t0 = time.perf_counter()
            db_path, batch_id = build_database(batch, folder)
            print(f"mode: CLI `desktop-app receipts slips` on a database built through the services "
                  f"({time.perf_counter() - t0:.1f} s to import); baseline as above")  # fmt: skip
            for label, accel in modes:
                t_cli = t_base = float("inf")
                for _ in range(max(1, args.repeat)):
                    t, pages = _timed_cli(db_path, batch_id, slips_pdf, accel)
                    t_cli = min(t_cli, t)
                    t_base = min(t_base, _timed("baseline", batch_file, base_pdf, pages, accel=accel)[0])
                size = slips_pdf.stat().st_size
                print(f"[{label}] CLI slips: {t_cli:7.2f} s  {size / 1e6:6.2f} MB, {pages} pages; "
                      f"baseline {t_base:7.2f} s; ratio {t_cli / t_base:.2f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
