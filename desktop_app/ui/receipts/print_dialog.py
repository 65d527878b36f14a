"""Printing from the 收訖明細 tab when some characters would not print: the choice the CLI has
(``--allow-missing``) — fix the 難字對照表 first, print with ``[U+XXXX]`` marks, or cancel."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop_app.domain.print_problems import PrintProblem
from desktop_app.ui.common.list_model import Column, ListTableModel
from desktop_app.ui.receipts.common import make_table

CHOICE_CANCEL = "cancel"
CHOICE_PUA_TABLE = "pua_table"
CHOICE_PRINT_MARKED = "print_marked"


class PrintProblemsDialog(QDialog):
    """Lists the characters that would not print (which students, which characters).

    After ``exec()``, ``choice`` is :data:`CHOICE_PUA_TABLE` (go and add the 造字 to the
    難字對照表), :data:`CHOICE_PRINT_MARKED` (print anyway, each such character as ``[U+XXXX]``)
    or :data:`CHOICE_CANCEL`.
    """

    def __init__(self, problems: list[PrintProblem], what: str = "確認單", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.problems = problems
        self.choice = CHOICE_CANCEL
        self.setWindowTitle(f"有無法列印的字：{what}")
        self.resize(820, 420)
        layout = QVBoxLayout(self)
        pua = [p for p in problems if p.kind == "造字"]
        students = {s for p in problems for s in p.students}
        intro = QLabel(
            f"有 {len(problems)} 個字元無法正確列印（{len(students)} 位學生），為避免印出空白方框，尚未產生{what}。\n"
            "造字：名冊中的造字尚未在「難字對照表」對照到真正的字；缺字：已安裝的字型都沒有這個字"
            "（請安裝含此字的字型，例如全字庫 TW-Sung Ext-B）。",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        model: ListTableModel[PrintProblem] = ListTableModel(
            [
                Column("碼位", lambda p: p.codepoint),
                Column("種類", lambda p: p.kind, background=lambda p: "#ffd9b3" if p.kind == "造字" else "#f8d7da"),
                Column("人數", lambda p: len(p.students), align_right=True),
                Column("出現在（學生）", lambda p: "、".join(p.students), tooltip=lambda p: "\n".join(p.students)),
            ],
            problems,
            self,
        )
        self.table = make_table(model, self, sortable=False)
        self.table.resizeColumnsToContents()
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.pua_button = QPushButton("到難字對照表補字", self)
        self.pua_button.setEnabled(bool(pua))
        self.pua_button.setToolTip(
            "切換到「難字對照表」，為造字填入真正的字（已存的姓名會一併更正）"
            if pua
            else "這些是字型沒有的字，不是造字：請安裝含此字的字型"
        )
        self.print_button = QPushButton("仍要列印（以 [U+XXXX] 標示）", self)
        self.print_button.setToolTip("無法列印的字印成 [U+XXXX]，請再以手寫補正")
        self.cancel_button = QPushButton("取消", self)
        self.pua_button.clicked.connect(lambda: self._done(CHOICE_PUA_TABLE))
        self.print_button.clicked.connect(lambda: self._done(CHOICE_PRINT_MARKED))
        self.cancel_button.clicked.connect(self.reject)
        buttons.addWidget(self.pua_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)
        self.cancel_button.setDefault(True)

    def first_pua_code(self) -> str:
        """``U+E000`` of the first unmapped 造字 (to fill in the 難字對照表), or ``""``."""
        return next((p.codepoint for p in self.problems if p.kind == "造字"), "")

    def _done(self, choice: str) -> None:
        self.choice = choice
        self.accept()
