"""Render firecase.svg to firecase.png (256 px) and a multi-size firecase.ico (PNG entries).

Run from the repository root: QT_QPA_PLATFORM=offscreen python resources/icons/make_raster.py
"""

import struct
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

app = QGuiApplication([])
r = QSvgRenderer("resources/icons/firecase.svg")
pngs = []
for s in (16, 24, 32, 48, 64, 128, 256):
    img = QImage(s, s, QImage.Format_ARGB32)
    img.fill(Qt.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.Antialiasing)
    r.render(p, QRectF(0, 0, s, s))
    p.end()
    ba = QByteArray()
    buf = QBuffer(ba)
    buf.open(QIODevice.WriteOnly)
    img.save(buf, "PNG")
    pngs.append((s, bytes(ba)))
out = struct.pack("<HHH", 0, 1, len(pngs))
offset = 6 + 16 * len(pngs)
data = b""
for s, png in pngs:
    out += struct.pack("<BBBBHHII", s % 256, s % 256, 0, 0, 1, 32, len(png), offset + len(data))
    data += png
Path("resources/icons/firecase.ico").write_bytes(out + data)
img = QImage(256, 256, QImage.Format_ARGB32)
img.fill(Qt.transparent)
p = QPainter(img)
p.setRenderHint(QPainter.Antialiasing)
r.render(p, QRectF(0, 0, 256, 256))
p.end()
img.save("resources/icons/firecase.png")
