"""Reading a 收訖明細 file: the known columns and the header row found by their names."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from desktop_app.domain.errors import ServiceError
from desktop_app.readers import ReaderError, normalize_header, read_workbook

# Two header styles are supported (the real export's columns are unconfirmed, formats.md):
#   A 「收訖明細產出」 style: 身分證號 | 出生日期 | 姓名 | 資料類別 | 學年度 | 學期 | 名稱 | 學分 | 日期 | 說明
#   B vendor style:          學號 | 班級 | 座號 | 學生姓名 | 身分證統一編號 | 生日 | 項目 | 學年 | 學期別 |
#                            課程名稱 | 學分數 | 起訖日期 | 內容說明
# Title rows above the header are skipped; any other shape goes through the mapping step.
RECEIPT_FIELDS: dict[str, tuple[str, bool, tuple[str, ...]]] = {
    "national_id": (
        "身分證號",
        True,
        (
            "身分證號",
            "身分證統一編號",
            "身分證字號",
            "統一編號",
            "學生身分證號",
            "證號",
            "身分證",
            "身份證號",
            "身份證字號",
            "身份證統一編號",
            "學生身份證號",
            "身份證",
        ),
    ),
    "birth_date": ("出生日期", False, ("出生日期", "生日", "出生年月日")),
    "name": ("姓名", False, ("姓名", "學生姓名")),
    "category": (
        "資料類別",
        True,
        ("資料類別", "類別", "項目", "資料項目", "收訖項目", "資料種類", "資料類型", "類型", "名冊別"),
    ),
    "year": ("學年度", False, ("學年度", "學年", "應修課學年度", "實施學年度")),
    "term": ("學期", False, ("學期", "學期別", "應修課學期")),
    "title": (
        "名稱",
        True,
        ("科目名稱", "課程名稱", "名稱", "項目名稱", "成果名稱", "標題", "內容名稱", "擔任職務", "幹部名稱"),
    ),
    "credits": ("學分", False, ("學分", "學分數", "修課學分")),
    "item_date": ("日期", False, ("日期", "開始日期", "起訖日期", "時間", "取得日期", "上傳日期")),
    "detail": ("說明", False, ("說明", "內容說明", "內容", "簡述", "備註")),
    # 修課紀錄 only, when the export carries them: 收訖對照 (services/reconcile.py) matches by code
    "course_code": ("課程代碼", False, ("課程代碼", "科目代碼", "課程代碼(23碼)")),
    "score": ("成績", False, ("成績", "學期成績", "學期學業成績", "分數")),
}
FIELD_LABELS = {k: v[0] for k, v in RECEIPT_FIELDS.items()}
VERBATIM_FIELDS = ("title", "detail", "name")
REQUIRED_FIELDS = tuple(k for k, v in RECEIPT_FIELDS.items() if v[1])


@dataclass(frozen=True)
class ReceiptFile:
    """A 收訖明細 file read as text: its header row and data rows."""

    path: Path
    sha256: str
    sheet_name: str
    header_row: int  # Excel row number of the header
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # data rows after the header
    encoding: str | None = None  # CSV: the detected encoding (reported, never guessed silently)

    @property
    def file_name(self) -> str:
        return self.path.name

    @property
    def signature(self) -> str:
        """The header shape: files with the same headers share a remembered mapping."""
        text = "\x1f".join(normalize_header(h) for h in self.headers)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_receipt_file(path: Path | str) -> ReceiptFile:
    """Read a 收訖明細 file (xlsx/xls/ods/csv); the header row is found by known column names."""
    path = Path(path)
    if path.is_dir():
        raise ServiceError(f"「{path}」是資料夾，不是檔案。請選擇收訖明細檔案（xlsx、xls 或 csv）。")
    try:
        wb = read_workbook(path)
    except ReaderError as exc:
        raise ServiceError(exc.message) from None
    known = {normalize_header(a) for _l, _r, aliases in RECEIPT_FIELDS.values() for a in aliases}
    id_names = {normalize_header(a) for a in RECEIPT_FIELDS["national_id"][2]}
    # the best header row of any sheet, not the first: a 封面 (cover) sheet 「學校代碼|學年度|學期|名冊別」
    # or a title line naming 學年度 and 學期 matches two known names too, but has no 身分證號 column
    chosen = None
    best: tuple[bool, int] | None = None
    for sheet in wb.sheets:
        for index, row in enumerate(sheet.rows[:30]):
            names = {normalize_header(c) for c in row if c}
            score = (bool(names & id_names), len(names & known))
            if score[1] >= 2 and (best is None or score > best):
                best, chosen = score, (sheet, index)
    if chosen is None:
        first = next((sh for sh in wb.sheets if any(any(c.strip() for c in r) for r in sh.rows)), None)
        if first is None:
            raise ServiceError(f"「{path.name}」沒有任何資料。")
        chosen = (first, next(i for i, r in enumerate(first.rows) if any(c.strip() for c in r)))
    sheet, index = chosen
    headers = tuple(h.strip() for h in sheet.rows[index])
    width = len(headers)
    rows = tuple(tuple((list(r) + [""] * width)[:width]) for r in sheet.rows[index + 1 :])
    return ReceiptFile(
        path, hashlib.sha256(path.read_bytes()).hexdigest(), sheet.name, index + 1, headers, rows, wb.encoding
    )
