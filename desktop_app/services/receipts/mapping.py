"""Column mapping of a 收訖明細 file: guessed from header names, remembered per header shape,
changed by the user."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.errors import ServiceError
from desktop_app.readers import normalize_header
from desktop_app.services.receipts.reading import FIELD_LABELS, RECEIPT_FIELDS, REQUIRED_FIELDS, ReceiptFile
from desktop_app.storage.db import Database
from desktop_app.storage.models import (
    ColumnMapping,
)

MAPPING_KIND = "receipts"


@dataclass(frozen=True)
class MappingGuess:
    mapping: dict[str, int]  # field -> column index (0-based)
    remembered: bool  # True when taken from a previous import of the same header shape


def guess_mapping(headers: tuple[str, ...] | list[str]) -> dict[str, int]:
    """Best guess of field → column from header names: exact alias first, then containment."""
    normalized = [normalize_header(h) for h in headers]
    found: dict[str, int] = {}
    for exact in (True, False):
        for field_name, (_label, _req, aliases) in RECEIPT_FIELDS.items():
            if field_name in found:
                continue
            for alias in aliases:
                hit = next(
                    (
                        i
                        for i, h in enumerate(normalized)
                        if i not in found.values() and h and (h == alias if exact else alias in h)
                    ),
                    None,
                )
                if hit is not None:
                    found[field_name] = hit
                    break
    return found


def suggest_mapping(db: Database, rf: ReceiptFile) -> MappingGuess:
    """The remembered mapping for this header shape, else the guess from header names."""
    with db.read() as s:
        row = s.scalar(
            select(ColumnMapping).where(
                ColumnMapping.kind == MAPPING_KIND, ColumnMapping.signature == rf.signature
            )
        )
        if row is not None:
            stored = json.loads(row.mapping)
            mapping = {
                f: int(i) for f, i in stored.items() if f in RECEIPT_FIELDS and 0 <= int(i) < len(rf.headers)
            }
            return MappingGuess(mapping, True)
    return MappingGuess(guess_mapping(rf.headers), False)


def _mapping_field(key: object) -> str:
    by_label = {label: f for f, label in FIELD_LABELS.items()}
    field_name = key if key in RECEIPT_FIELDS else by_label.get(str(key))
    if field_name is None:
        raise ServiceError(
            f"對應設定的欄位「{key}」不認得；可用：{'、'.join(f'{f}（{label}）' for f, label in FIELD_LABELS.items())}"
        )
    return str(field_name)


def parse_mapping_spec(spec: dict[str, object], headers: tuple[str, ...]) -> dict[str, int]:
    """A user mapping {field or 中文欄名: header text or 1-based column number} → field → index."""
    normalized = [normalize_header(h) for h in headers]
    out: dict[str, int] = {}
    for key, value in spec.items():
        field_name = _mapping_field(key)
        if value is None or value == "":
            continue
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            index = int(value) - 1
            if not 0 <= index < len(headers):
                raise ServiceError(
                    f"對應設定「{key}」指向第 {value} 欄，但檔案只有 {len(headers)} 欄（欄號從 1 起算）。"
                )
        else:
            wanted = normalize_header(value)
            if wanted not in normalized:
                raise ServiceError(
                    f"對應設定「{key}」指向欄名「{value}」，但檔案標題列沒有這一欄（有：{'、'.join(headers)}）。"
                )
            index = normalized.index(wanted)
        out[field_name] = index
    return out


def merge_mapping(base: dict[str, int], spec: dict[str, object], headers: tuple[str, ...]) -> dict[str, int]:
    """The user's changes (``spec``, as :func:`parse_mapping_spec` reads it) applied to ``base``.

    Fields the spec names take its column ("" or null unmaps the field); the others keep the
    base's column unless the spec gave that column to another field. So ``{"title": "資料內容"}``
    is enough to fix one wrong guess, as in the mapping step of the tab.
    """
    chosen = parse_mapping_spec(spec, headers)
    cleared = {_mapping_field(k) for k, v in spec.items() if v is None or v == ""}
    taken = set(chosen.values())
    out = {f: i for f, i in base.items() if f not in chosen and f not in cleared and i not in taken}
    out.update(chosen)
    return out


def check_mapping(mapping: dict[str, int], rf: ReceiptFile) -> None:
    missing = [FIELD_LABELS[f] for f in REQUIRED_FIELDS if f not in mapping]
    if missing:
        raise ServiceError(
            f"「{rf.file_name}」的欄位對應缺少：{'、'.join(missing)}。"
            f"請在對應步驟指定這些欄位在檔案中的哪一欄（檔案的欄名：{'、'.join(h for h in rf.headers if h)}）。"
        )
    used: dict[int, str] = {}
    for f, i in mapping.items():
        if i in used:
            raise ServiceError(
                f"欄位對應重複：「{FIELD_LABELS[used[i]]}」與「{FIELD_LABELS[f]}」都指向「{rf.headers[i]}」欄。"
            )
        used[i] = f


def remember_mapping(s: Session, rf: ReceiptFile, mapping: dict[str, int]) -> None:
    row = s.scalar(
        select(ColumnMapping).where(
            ColumnMapping.kind == MAPPING_KIND, ColumnMapping.signature == rf.signature
        )
    )
    if row is None:
        row = ColumnMapping(kind=MAPPING_KIND, signature=rf.signature)
        s.add(row)
    row.headers = json.dumps(list(rf.headers), ensure_ascii=False)
    row.mapping = json.dumps(mapping, sort_keys=True)
    row.updated_at = datetime.now().replace(microsecond=0)
