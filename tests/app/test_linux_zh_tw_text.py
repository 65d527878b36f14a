"""On Linux the Qt file dialog is all zh-TW, and UI text uses the Taiwan face of AR PL UMing rather
than its CN face (issue 12, 8)."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont, QFontDatabase, QImage, QPainter
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel

from desktop_app.ui.app import make_app


def test_file_dialog_texts_are_chinese(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    make_app()
    for source in ("&Look in:", "Files of &type:", "&Open", "&Save"):
        assert QCoreApplication.translate("QFileDialog", source) != source, source
    dialog = QFileDialog(None, "選擇學生名冊", str(tmp_path), "試算表 (*.xlsx)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    qtbot.addWidget(dialog)
    labels = [label.text() for label in dialog.findChildren(QLabel) if label.text()]
    assert labels and not any(ch.isascii() and ch.isalpha() for text in labels for ch in text.replace("&", "")[:1]), labels
    assert "查詢(&L)：" in labels and "檔案類型(&T)：" in labels


def _render(text: str, font: QFont) -> QImage:
    image = QImage(80, 40, QImage.Format.Format_RGB32)
    image.fill(0xFFFFFF)
    painter = QPainter(image)
    painter.setFont(font)
    painter.drawText(4, 30, text)
    painter.end()
    return image


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fontconfig's CN/TW faces are a Linux matter")
def test_ui_text_uses_the_taiwan_face(qtbot) -> None:  # type: ignore[no-untyped-def]
    make_app()
    families = set(QFontDatabase.families())
    if not {"AR PL UMing TW", "AR PL UMing CN"} <= families:
        pytest.skip("fonts-arphic-uming not installed")
    app_font = QApplication.font()
    if "Noto Sans CJK TC" in families:  # .ci/setup installs it: it draws 啟 as 啟, not 啓
        assert app_font.families()[0] == "Noto Sans CJK TC"
        shown = QFont(app_font)
        shown.setPointSize(18)
        qi = _render("啟", shown)
        assert qi == _render("啟", QFont("Noto Sans CJK TC", 18))
        assert qi != _render("啓", QFont("Noto Sans CJK TC", 18))
        assert qi != _render("啟", QFont("AR PL UMing TW", 18))
        return
    assert app_font.families()[0] == "AR PL UMing TW"
    # 令 is the character of the UI's text that the two faces draw differently (AR PL UMing draws
    # 啟 alike in all its faces); the app's font must draw it as the TW face does
    tw = _render("令", QFont("AR PL UMing TW", 18))
    cn = _render("令", QFont("AR PL UMing CN", 18))
    assert tw != cn
    shown = QFont(app_font)
    shown.setPointSize(18)
    assert _render("令", shown) == tw
