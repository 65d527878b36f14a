from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from desktop_app.demo import build_demo_database
from desktop_app.ui.main_window import MainWindow


def test_window_has_the_five_tabs_and_menus(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = build_demo_database(tmp_path)
    window = MainWindow(db)
    qtbot.addWidget(window)
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles == ["工作小組", "作業期程", "自我檢核", "開課預檢", "收訖明細"]
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus[:3] == ["檔案(&F)", "設定(&S)", "工具(&T)"]
    assert window.show_tab("收訖明細") and window.tabs.currentIndex() == 4
    assert window.show_tab("working_group") and window.tabs.currentIndex() == 0
    assert not window.show_tab("nope")
    db.close()


def test_screenshot_option_writes_a_png(tmp_path: Path) -> None:
    out = tmp_path / "shot.png"
    proc = subprocess.run(
        [sys.executable, "-m", "desktop_app", "--demo", "--screenshot", str(out), "--tab", "工作小組"],
        capture_output=True, text=True, timeout=180,
    )
    assert proc.returncode == 0, proc.stderr
    image = QImage(str(out))
    assert image.width() >= 1000 and image.height() >= 600
