"""Draw Tomoshibi's icon (a lamp flame on a dark rounded square) and write PNG, ICO and ICNS files.

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make_icons.py

The outputs in packaging/icons/ are committed; run this again only to change the drawing. ICO and
ICNS are written here directly (both hold PNG images), so no imaging library is needed beyond Qt.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QRadialGradient,
)

OUT = Path(__file__).resolve().parent / "icons"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types holding PNG data, by pixel size.
ICNS_TYPES = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08", 512: b"ic09", 1024: b"ic10"}


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = float(size)
    # Background: a night-blue rounded square, lighter towards the flame.
    background = QRadialGradient(QPointF(s * 0.5, s * 0.55), s * 0.7)
    background.setColorAt(0.0, QColor("#2b3a55"))
    background.setColorAt(1.0, QColor("#141a26"))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(background)
    p.drawRoundedRect(QRectF(s * 0.04, s * 0.04, s * 0.92, s * 0.92), s * 0.2, s * 0.2)
    # Glow around the flame.
    glow = QRadialGradient(QPointF(s * 0.5, s * 0.52), s * 0.36)
    glow.setColorAt(0.0, QColor(255, 190, 90, 150))
    glow.setColorAt(1.0, QColor(255, 190, 90, 0))
    p.setBrush(glow)
    p.drawEllipse(QPointF(s * 0.5, s * 0.52), s * 0.36, s * 0.36)
    # The flame: a teardrop, warm gradient, with a pale core.
    p.setBrush(_flame_gradient(s, "#ff8a1f", "#ffd36b"))
    p.drawPath(_teardrop(s, 0.5, 0.16, 0.74, 0.2))
    p.setBrush(_flame_gradient(s, "#ffe9a8", "#fffbe8"))
    p.drawPath(_teardrop(s, 0.5, 0.4, 0.74, 0.09))
    # The lamp's dish.
    p.setBrush(QColor("#c9a46a"))
    p.drawRoundedRect(QRectF(s * 0.3, s * 0.76, s * 0.4, s * 0.07), s * 0.03, s * 0.03)
    p.end()
    return image


def _flame_gradient(s: float, bottom: str, top: str) -> QLinearGradient:
    gradient = QLinearGradient(QPointF(0, s * 0.75), QPointF(0, s * 0.15))
    gradient.setColorAt(0.0, QColor(bottom))
    gradient.setColorAt(1.0, QColor(top))
    return gradient


def _teardrop(s: float, cx: float, top: float, bottom: float, half_width: float) -> QPainterPath:
    """A flame shape from its tip at ``top`` to its round base at ``bottom`` (fractions of the size)."""
    path = QPainterPath(QPointF(s * cx, s * top))
    mid = top + (bottom - top) * 0.62
    path.cubicTo(
        QPointF(s * (cx + half_width * 0.3), s * (top + 0.12)),
        QPointF(s * (cx + half_width), s * (mid - 0.08)),
        QPointF(s * (cx + half_width), s * mid),
    )
    path.cubicTo(
        QPointF(s * (cx + half_width), s * (bottom - 0.02)),
        QPointF(s * (cx + half_width * 0.5), s * bottom),
        QPointF(s * cx, s * bottom),
    )
    path.cubicTo(
        QPointF(s * (cx - half_width * 0.5), s * bottom),
        QPointF(s * (cx - half_width), s * (bottom - 0.02)),
        QPointF(s * (cx - half_width), s * mid),
    )
    path.cubicTo(
        QPointF(s * (cx - half_width), s * (mid - 0.08)),
        QPointF(s * (cx - half_width * 0.3), s * (top + 0.12)),
        QPointF(s * cx, s * top),
    )
    return path


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICO file whose images are PNGs (read by Windows Vista and later)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = 6 + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, blob in sorted(pngs.items()):
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICO directory
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset)
        blobs += blob
        offset += len(blob)
    return header + entries + blobs


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    body = b"".join(
        ICNS_TYPES[size] + struct.pack(">I", 8 + len(blob)) + blob for size, blob in sorted(pngs.items())
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    OUT.mkdir(exist_ok=True)
    pngs = {size: png_bytes(draw(size)) for size in sorted(set(ICO_SIZES) | set(ICNS_TYPES))}
    (OUT / "tomoshibi.png").write_bytes(pngs[256])
    (OUT / "tomoshibi.ico").write_bytes(ico_bytes({s: pngs[s] for s in ICO_SIZES}))
    (OUT / "tomoshibi.icns").write_bytes(icns_bytes({s: pngs[s] for s in ICNS_TYPES if s <= 512}))
    for path in sorted(OUT.iterdir()):
        print(f"{path.relative_to(OUT.parent.parent)}: {path.stat().st_size} bytes")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
