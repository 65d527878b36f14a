"""Self-check form definitions (自我檢核表): the schema and a loader for the YAML files in ``forms/``.

A form file is validated on YAML *nodes*, so every refusal names the file, the line and the reason
(``FormError``). A bad file is skipped; the other forms still load (:func:`load_forms`).

File layout (one form per file)::

    id: portfolio-selfcheck          # [a-z0-9_-]
    title: 學生學習歷程檔案工作自我檢核表
    version: "1.0"
    effective: 113/08/01             # ROC or ISO date
    description: …                   # optional
    sections:
      - id: A
        title: 一、工作小組
        help: …                      # optional
        items:
          - id: A1
            text: 工作小組由校長擔任召集人
            answer: rating           # rating | yes_no | date | number | text
            help: …                  # optional
            basis: 要點第5點之1       # optional: where the item comes from
            evidence: wg_convener    # optional: a built-in check, or a list of them
            required: true           # optional (default: true for rating/yes_no)
            unit: 場                  # optional, number items only
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from desktop_app.domain.roc_date import RocDateError, format_roc, parse_roc_date


class AnswerType(StrEnum):
    RATING = "rating"  # 符合 / 部分符合 / 不符合 / 不適用
    YES_NO = "yes_no"  # 是 / 否
    DATE = "date"
    NUMBER = "number"
    TEXT = "text"

    @property
    def label(self) -> str:
        return ANSWER_TYPE_LABELS[self]

    @property
    def choices(self) -> tuple[str, ...]:
        if self is AnswerType.RATING:
            return RATING_CHOICES
        if self is AnswerType.YES_NO:
            return YES_NO_CHOICES
        return ()


RATING_CHOICES = ("符合", "部分符合", "不符合", "不適用")
YES_NO_CHOICES = ("是", "否")
ANSWER_TYPE_LABELS = {
    AnswerType.RATING: "符合程度",
    AnswerType.YES_NO: "是／否",
    AnswerType.DATE: "日期",
    AnswerType.NUMBER: "數字",
    AnswerType.TEXT: "文字",
}

_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,49}$")


# dates the app knows and offers for date items (key → what it is)
PREFILL_SOURCES = {
    "wg_meeting_date": "本學期第一次工作小組會議日期（工作小組分頁）",
    "upload_deadline": "本學期學生上傳課程學習成果的期限（作業期程）",
    "receipts_period_end": "本學期收訖明細確認期間的結束日（收訖明細批次）",
}


@dataclass(frozen=True)
class ItemDef:
    id: str
    text: str
    answer_type: AnswerType
    help: str = ""
    basis: str = ""
    evidence: tuple[str, ...] = ()
    required: bool = True
    unit: str = ""
    line: int = 0  # line in the form file (for messages)
    prefill: str = ""  # date items: a date the app knows (PREFILL_SOURCES), offered as the answer


@dataclass(frozen=True)
class SectionDef:
    id: str
    title: str
    items: tuple[ItemDef, ...]
    help: str = ""


@dataclass(frozen=True)
class FormDef:
    id: str
    title: str
    version: str
    effective: date
    sections: tuple[SectionDef, ...]
    description: str = ""
    source: Path | None = None
    id_line: int = 0

    def items(self) -> list[ItemDef]:
        return [item for section in self.sections for item in section.items]

    def item(self, item_id: str) -> ItemDef:
        for item in self.items():
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def section_of(self, item_id: str) -> SectionDef:
        for section in self.sections:
            if any(i.id == item_id for i in section.items):
                return section
        raise KeyError(item_id)

    @property
    def label(self) -> str:
        return f"{self.title}（{self.version} 版，{format_roc(self.effective)} 生效）"


@dataclass(frozen=True)
class FormError:
    """Why a form file was refused: ``file``, 1-based ``line`` (0 when unknown), ``reason`` (zh-TW)."""

    file: Path
    line: int
    reason: str

    def __str__(self) -> str:
        where = f"{self.file.name} 第 {self.line} 行" if self.line else self.file.name
        return f"表單檔 {where}：{self.reason}"


class FormFileError(ValueError):
    def __init__(self, error: FormError) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass(frozen=True)
class FormCatalog:
    """The forms that loaded and the files that were refused."""

    forms: tuple[FormDef, ...] = ()
    errors: tuple[FormError, ...] = field(default_factory=tuple)

    def get(self, form_id: str) -> FormDef | None:
        return next((f for f in self.forms if f.id == form_id), None)


# --- answers -----------------------------------------------------------------------------------
def normalise_answer(item: ItemDef, raw: object) -> str | None:
    """The stored form of an answer (None = unanswered); ValueError with a zh-TW message if invalid.

    Stored forms: the choice label (rating / yes_no), an ISO date, a plain decimal, free text.
    """
    if raw is None:
        return None
    text = raw.isoformat() if isinstance(raw, date) else str(raw).strip()
    if not text:
        return None
    kind = item.answer_type
    if kind in (AnswerType.RATING, AnswerType.YES_NO):
        if kind is AnswerType.YES_NO:
            text = {"yes": "是", "no": "否", "y": "是", "n": "否"}.get(text.lower(), text)
        if text not in kind.choices:
            raise ValueError(f"第 {item.id} 項的答案「{text}」不是可選的答案（{'、'.join(kind.choices)}）")
        return text
    if kind is AnswerType.DATE:
        try:
            return parse_roc_date(text).isoformat()
        except RocDateError as exc:
            raise ValueError(f"第 {item.id} 項：{exc}") from None
    if kind is AnswerType.NUMBER:
        try:
            number = Decimal(text.replace(",", ""))
        except InvalidOperation:
            raise ValueError(f"第 {item.id} 項的答案「{text}」不是數字") from None
        if not number.is_finite():
            raise ValueError(f"第 {item.id} 項的答案「{text}」不是數字")
        normalised = format(number.normalize(), "f")
        return normalised
    return text


def display_answer(item: ItemDef, stored: str | None) -> str:
    """How a stored answer is shown (dates in ROC form)."""
    if stored is None or stored == "":
        return ""
    if item.answer_type is AnswerType.DATE:
        try:
            return format_roc(date.fromisoformat(stored))
        except ValueError:
            return stored
    if item.answer_type is AnswerType.NUMBER and item.unit:
        return f"{stored} {item.unit}"
    return stored


# --- loading -----------------------------------------------------------------------------------
class _Reader:
    """Validates one file's node tree; raises FormFileError at the first problem."""

    def __init__(self, path: Path, known_rules: Collection[str] | None) -> None:
        self.path = path
        self.known_rules = known_rules

    def fail(self, node: Node | None, reason: str) -> FormFileError:
        line = node.start_mark.line + 1 if node is not None else 0
        return FormFileError(FormError(self.path, line, reason))

    def mapping(
        self, node: Node, what: str, allowed: Iterable[str], required: Iterable[str]
    ) -> dict[str, tuple[Node, Node]]:
        if not isinstance(node, MappingNode):
            raise self.fail(node, f"{what}應為「鍵: 值」的對照表")
        allowed = tuple(allowed)
        out: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if key is None or key not in allowed:
                raise self.fail(key_node, f"{what}有不認得的欄位「{key}」（可用：{', '.join(allowed)}）")
            if key in out:
                raise self.fail(key_node, f"{what}的欄位「{key}」重複出現")
            out[key] = (key_node, value_node)
        for key in required:
            if key not in out:
                raise self.fail(node, f"{what}缺少必填欄位「{key}」")
        return out

    def text(self, node: Node, what: str, *, allow_empty: bool = False) -> str:
        if not isinstance(node, ScalarNode):
            raise self.fail(node, f"{what}應為文字")
        value = str(node.value).strip()
        if not value and not allow_empty:
            raise self.fail(node, f"{what}不可空白")
        return value

    def ident(self, node: Node, what: str) -> str:
        value = self.text(node, what)
        if not _ID_RE.match(value):
            raise self.fail(node, f"{what}「{value}」只能用英數字、底線、連字號或句點（最多 50 字）")
        return value

    def boolean(self, node: Node, what: str) -> bool:
        if isinstance(node, ScalarNode) and node.tag.endswith(":bool"):
            return node.value.lower() in ("true", "yes", "on")
        raise self.fail(node, f"{what}應為 true 或 false")

    def sequence(self, node: Node, what: str) -> list[Node]:
        if not isinstance(node, SequenceNode):
            raise self.fail(node, f"{what}應為清單（每項以「- 」開頭）")
        if not node.value:
            raise self.fail(node, f"{what}不可為空清單")
        return list(node.value)

    def form(self, root: Node | None) -> FormDef:
        if root is None:
            raise self.fail(None, "檔案是空的")
        top = self.mapping(
            root,
            "表單",
            ("id", "title", "version", "effective", "description", "sections"),
            ("id", "title", "version", "effective", "sections"),
        )
        form_id = self.ident(top["id"][1], "表單代號 id")
        title = self.text(top["title"][1], "表單名稱 title")
        version = self.text(top["version"][1], "版本 version")
        eff_node = top["effective"][1]
        try:
            effective = parse_roc_date(self.text(eff_node, "生效日 effective"))
        except RocDateError as exc:
            raise self.fail(eff_node, f"生效日 effective：{exc}") from None
        description = (
            self.text(top["description"][1], "說明", allow_empty=True) if "description" in top else ""
        )
        seen_sections: set[str] = set()
        seen_items: set[str] = set()
        sections = []
        for sec_node in self.sequence(top["sections"][1], "sections"):
            sec = self.mapping(sec_node, "段落", ("id", "title", "help", "items"), ("id", "title", "items"))
            sec_id = self.ident(sec["id"][1], "段落代號 id")
            if sec_id in seen_sections:
                raise self.fail(sec["id"][1], f"段落代號「{sec_id}」重複")
            seen_sections.add(sec_id)
            items = tuple(
                self.item(n, seen_items) for n in self.sequence(sec["items"][1], f"段落 {sec_id} 的 items")
            )
            sections.append(
                SectionDef(
                    sec_id,
                    self.text(sec["title"][1], "段落標題 title"),
                    items,
                    self.text(sec["help"][1], "說明", allow_empty=True) if "help" in sec else "",
                )
            )
        return FormDef(
            form_id,
            title,
            version,
            effective,
            tuple(sections),
            description,
            self.path,
            top["id"][1].start_mark.line + 1,
        )

    def item(self, node: Node, seen: set[str]) -> ItemDef:
        fields = self.mapping(
            node,
            "檢核項目",
            ("id", "text", "answer", "help", "basis", "evidence", "required", "unit", "prefill"),
            ("id", "text", "answer"),
        )
        item_id = self.ident(fields["id"][1], "項目代號 id")
        if item_id in seen:
            raise self.fail(fields["id"][1], f"項目代號「{item_id}」重複")
        seen.add(item_id)
        answer_node = fields["answer"][1]
        answer_text = self.text(answer_node, "答案類型 answer")
        try:
            answer_type = AnswerType(answer_text)
        except ValueError:
            allowed = ", ".join(t.value for t in AnswerType)
            raise self.fail(
                answer_node, f"項目 {item_id} 的答案類型「{answer_text}」不認得（可用：{allowed}）"
            ) from None
        evidence: tuple[str, ...] = ()
        if "evidence" in fields:
            ev_node = fields["evidence"][1]
            ev_nodes = ev_node.value if isinstance(ev_node, SequenceNode) else [ev_node]
            names = []
            for n in ev_nodes:
                name = self.text(n, f"項目 {item_id} 的佐證規則 evidence")
                if self.known_rules is not None and name not in self.known_rules:
                    raise self.fail(n, f"項目 {item_id} 的佐證規則「{name}」不是內建的檢查")
                names.append(name)
            evidence = tuple(names)
            if evidence and answer_type not in (AnswerType.RATING, AnswerType.YES_NO):
                raise self.fail(ev_node, f"項目 {item_id}：只有 rating 或 yes_no 項目可以設定佐證規則")
        required = answer_type in (AnswerType.RATING, AnswerType.YES_NO)
        if "required" in fields:
            required = self.boolean(fields["required"][1], f"項目 {item_id} 的 required")
        unit = ""
        if "unit" in fields:
            if answer_type is not AnswerType.NUMBER:
                raise self.fail(fields["unit"][0], f"項目 {item_id}：只有 number 項目可以設定單位 unit")
            unit = self.text(fields["unit"][1], "單位 unit")
        prefill = ""
        if "prefill" in fields:
            prefill = self.text(fields["prefill"][1], f"項目 {item_id} 的帶入日期 prefill")
            if answer_type is not AnswerType.DATE:
                raise self.fail(fields["prefill"][0], f"項目 {item_id}：只有 date 項目可以設定帶入日期 prefill")
            if prefill not in PREFILL_SOURCES:
                raise self.fail(
                    fields["prefill"][1],
                    f"項目 {item_id} 的帶入日期「{prefill}」不認得（可用：{', '.join(PREFILL_SOURCES)}）",
                )
        return ItemDef(
            id=item_id,
            text=self.text(fields["text"][1], f"項目 {item_id} 的內容 text"),
            answer_type=answer_type,
            help=self.text(fields["help"][1], "說明", allow_empty=True) if "help" in fields else "",
            basis=self.text(fields["basis"][1], "依據", allow_empty=True) if "basis" in fields else "",
            evidence=evidence,
            required=required,
            unit=unit,
            line=node.start_mark.line + 1,
            prefill=prefill,
        )


def load_form(path: Path | str, known_rules: Collection[str] | None = None) -> FormDef:
    """Load and validate one form file; raises :class:`FormFileError` (file, line, reason)."""
    path = Path(path)
    reader = _Reader(path, known_rules)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormFileError(FormError(path, 0, f"不是 UTF-8 編碼的文字檔（位元組 {exc.start}）")) from None
    except OSError as exc:
        raise FormFileError(FormError(path, 0, f"無法讀取：{exc.strerror or exc}")) from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        problem = exc.problem or exc.context or "格式錯誤"
        raise FormFileError(FormError(path, line, f"YAML 格式錯誤：{problem}")) from None
    except yaml.YAMLError as exc:
        raise FormFileError(FormError(path, 0, f"YAML 格式錯誤：{exc}")) from None
    return reader.form(root)


def load_forms(directory: Path | str, known_rules: Collection[str] | None = None) -> FormCatalog:
    """Every ``*.yaml`` / ``*.yml`` in ``directory`` (sorted by name); bad files are reported and skipped."""
    directory = Path(directory)
    forms: list[FormDef] = []
    errors: list[FormError] = []
    if not directory.is_dir():
        return FormCatalog((), (FormError(directory, 0, "找不到表單資料夾"),))
    files = sorted(p for p in directory.iterdir() if p.suffix.lower() in (".yaml", ".yml") and p.is_file())
    for path in files:
        try:
            form = load_form(path, known_rules)
        except FormFileError as exc:
            errors.append(exc.error)
            continue
        clash = next((f for f in forms if f.id == form.id), None)
        if clash is not None:
            errors.append(
                FormError(
                    path,
                    form.id_line,
                    f"表單代號「{form.id}」已由 {clash.source.name if clash.source else '另一檔案'} 使用",
                )
            )
            continue
        forms.append(form)
    return FormCatalog(tuple(forms), tuple(errors))
