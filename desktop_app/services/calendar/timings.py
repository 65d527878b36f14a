"""The task template and the timing words (開學初, 學期中 …): the template's defaults, the school's
overrides, and their checks."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from pathlib import Path

import yaml
from sqlalchemy import select

from desktop_app.domain.calendar import (
    ANCHOR_END,
    ANCHORS,
    UPLOAD_AFTER_END_DAYS,
    Template,
    TemplateError,
    TimingRule,
    parse_template,
)
from desktop_app.domain.errors import ServiceError
from desktop_app.resources import resource_path
from desktop_app.services.audit import record
from desktop_app.storage.db import Database
from desktop_app.storage.models import CalendarTiming

TEMPLATE_FILE = "task_template.yaml"
# the timing word of Q&A (九) (students upload until ≥ 2 weeks after the 休業式)
UPLOAD_RULE_WORD = "休業式後2週"


def load_template(path: Path | None = None) -> Template:
    """The shipped task template (``resources/task_template.yaml``) or ``path``."""
    path = path or resource_path(TEMPLATE_FILE)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ServiceError(f"找不到作業期程範本「{path}」，請重新安裝程式") from None
    except yaml.YAMLError as exc:
        raise ServiceError(f"作業期程範本「{path}」格式錯誤：{exc}") from None
    try:
        return parse_template(data)
    except TemplateError as exc:
        raise ServiceError(f"{exc}（檔案：{path}）") from None


@dataclass(frozen=True)
class TimingRuleInfo:
    rule: TimingRule
    overridden: bool  # the school changed the template's default
    default: TimingRule | None  # the template's rule (None: a word the school added)


def list_timing_rules(db: Database, template: Template | None = None) -> list[TimingRuleInfo]:
    """The timing words: the template's defaults with the school's overrides applied."""
    template = template or load_template()
    with db.read() as s:
        overrides = {o.word: _rule_of(o) for o in s.scalars(select(CalendarTiming))}
    out = [TimingRuleInfo(overrides.get(r.word, r), r.word in overrides, r) for r in template.timings]
    defaults = template.timing_map()
    out += [TimingRuleInfo(r, True, None) for w, r in sorted(overrides.items()) if w not in defaults]
    return out


def timing_map(db: Database, template: Template | None = None) -> dict[str, TimingRule]:
    return {info.rule.word: info.rule for info in list_timing_rules(db, template)}


def _rule_of(row: CalendarTiming) -> TimingRule:
    return TimingRule(
        row.word, row.start_anchor, row.start_days, row.due_anchor, row.due_days, row.description
    )


def validate_timing_rule(rule: TimingRule) -> TimingRule:
    word = rule.word.strip()
    if not word:
        raise ServiceError("請輸入時程用語（例如 開學初）")
    for anchor in (rule.start_anchor, rule.due_anchor):
        if anchor not in ANCHORS:
            raise ServiceError(f"時程「{word}」的基準「{anchor}」應為開學日、休業式或無")
    if (rule.start_anchor == "none") != (rule.due_anchor == "none"):
        raise ServiceError(f"時程「{word}」的開始與截止基準必須同為「無（待公告）」或同為日期")
    if abs(rule.start_days) > 200 or abs(rule.due_days) > 200:
        raise ServiceError(f"時程「{word}」的天數應在 ±200 天內")
    if (
        rule.start_anchor == rule.due_anchor
        and rule.start_anchor != "none"
        and rule.start_days > rule.due_days
    ):
        raise ServiceError(
            f"時程「{word}」的開始（{rule.start_days:+d} 天）晚於截止（{rule.due_days:+d} 天）"
        )
    if word == UPLOAD_RULE_WORD and not (
        rule.due_anchor == ANCHOR_END and rule.due_days >= UPLOAD_AFTER_END_DAYS
    ):
        raise ServiceError(
            f"時程「{word}」的截止不得早於休業式後 {UPLOAD_AFTER_END_DAYS} 天"
            "（國教署 Q&A（九）：除高三第2學期外，學生上傳課程學習成果至少至休業式後2週）"
        )
    return replace(rule, word=word, description=rule.description.strip())


def save_timing_rule(db: Database, rule: TimingRule) -> TimingRule:
    """Store the school's mapping of one timing word (used by the next planning)."""
    rule = validate_timing_rule(rule)
    with db.transaction() as s:
        row = s.get(CalendarTiming, rule.word)
        before = None if row is None else asdict(_rule_of(row))
        if row is None:
            row = CalendarTiming(word=rule.word)
            s.add(row)
        row.start_anchor = rule.start_anchor
        row.start_days = rule.start_days
        row.due_anchor = rule.due_anchor
        row.due_days = rule.due_days
        row.description = rule.description
        record(
            s,
            "calendar.timing.save",
            "calendar_timing",
            rule.word,
            summary=f"時程對照「{rule.word}」：{rule.describe()}",
            before=before,
            after=asdict(rule),
        )
    return rule


def reset_timing_rule(db: Database, word: str) -> None:
    """Drop the school's override: the template's default applies again."""
    with db.transaction() as s:
        row = s.get(CalendarTiming, word)
        if row is None:
            return
        before = asdict(_rule_of(row))
        s.delete(row)
        record(
            s,
            "calendar.timing.reset",
            "calendar_timing",
            word,
            summary=f"時程對照「{word}」還原為範本預設",
            before=before,
        )
