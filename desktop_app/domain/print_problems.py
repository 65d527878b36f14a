"""Characters that would not print (an unmapped 造字, or one no installed font has): found by the
PDF writers before printing, listed by the window and the CLI."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PrintProblem:
    """A character that would not print: an unmapped 造字 (PUA) or one no installed font has."""

    char: str
    kind: str  # "造字" or "缺字"
    students: tuple[str, ...]  # "301 5號 王〔U+E000〕明", in slip order; "（表頭）" for batch text

    @property
    def codepoint(self) -> str:
        return f"U+{ord(self.char):04X}"

    def describe(self, limit: int = 8) -> str:
        """One zh-TW line: which character, why, and which students."""
        if self.kind == "造字":
            why = "造字（私用區字元），請在「難字對照表」對照到正確的字後重新匯入或更正姓名"
        else:
            why = "已安裝的字型都沒有這個字，請安裝含此字的字型（例如全字庫 TW-Sung Ext-B）"
        who = "、".join(self.students[:limit])
        if len(self.students) > limit:
            who += f" 等 {len(self.students)} 人"
        return f"{self.codepoint}：{why}。出現在：{who}"
