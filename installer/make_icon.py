"""Draw the application icon with QPainter and write ``resources/icons/app.png`` and ``app.ico``.

Run once when the design changes (the results are committed)::

    QT_QPA_PLATFORM=offscreen python installer/make_icon.py

The ICO holds PNG-compressed images (16–256 px), which Windows Vista and later read; it is
written by hand so no image library beyond Qt is needed.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QGuiApplication,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
)

ROOT = Path(__file__).resolve().parent.parent
ICON_DIR = ROOT / "resources" / "icons"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def draw_icon(size: int) -> QImage:
    """A blue rounded square with a white record sheet and a green check mark."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 256.0, size / 256.0)  # draw on a 256 grid

    gradient = QLinearGradient(QPointF(0, 0), QPointF(0, 256))
    gradient.setColorAt(0.0, QColor("#2F7FD0"))
    gradient.setColorAt(1.0, QColor("#174A8B"))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(gradient))
    p.drawRoundedRect(QRectF(8, 8, 240, 240), 48, 48)

    # the sheet with a folded corner
    sheet = QPainterPath()
    sheet.moveTo(64, 40)
    sheet.lineTo(160, 40)
    sheet.lineTo(196, 76)
    sheet.lineTo(196, 216)
    sheet.lineTo(64, 216)
    sheet.closeSubpath()
    p.setBrush(QColor("#FFFFFF"))
    p.drawPath(sheet)
    fold = QPainterPath()
    fold.moveTo(160, 40)
    fold.lineTo(160, 76)
    fold.lineTo(196, 76)
    fold.closeSubpath()
    p.setBrush(QColor("#C9D8EC"))
    p.drawPath(fold)

    if size >= 32:  # text lines vanish into mud below 32 px
        p.setPen(QPen(QColor("#8AA4C6"), 12, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        for y, right in ((100, 172), (128, 172), (156, 132)):
            p.drawLine(QPointF(88, y), QPointF(right, y))

    # the check badge
    p.setPen(QPen(QColor("#FFFFFF"), 10))
    p.setBrush(QColor("#2E9E4F"))
    p.drawEllipse(QPointF(180, 184), 52, 52)
    p.setPen(
        QPen(QColor("#FFFFFF"), 16, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
    )
    p.setBrush(Qt.BrushStyle.NoBrush)
    check = QPainterPath()
    check.moveTo(156, 186)
    check.lineTo(174, 204)
    check.lineTo(206, 166)
    p.drawPath(check)
    p.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(images: list[tuple[int, bytes]]) -> bytes:
    """An ICO container of PNG images: ICONDIR, one ICONDIRENTRY per image, then the PNGs."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries = b""
    blobs = b""
    for size, blob in images:
        dim = 0 if size >= 256 else size  # 0 means 256 in the ICO header
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset + len(blobs))
        blobs += blob
    return header + entries + blobs


def main() -> int:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    ICON_DIR.mkdir(parents=True, exist_ok=True)
    images = [(size, png_bytes(draw_icon(size))) for size in ICO_SIZES]
    (ICON_DIR / "app.png").write_bytes(dict(images)[256])
    (ICON_DIR / "app.ico").write_bytes(ico_bytes(images))
    print(f"wrote {ICON_DIR / 'app.png'} and {ICON_DIR / 'app.ico'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
