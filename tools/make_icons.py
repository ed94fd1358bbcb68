"""Render klachtdesk/resources/icons/klachtdesk.svg into the PNG sizes and the Windows ICO.

QT_QPA_PLATFORM=offscreen .venv/bin/python tools/make_icons.py
"""

from __future__ import annotations

import io
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image
from PySide6.QtCore import QBuffer, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from klachtdesk.resources import resource_path

SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(renderer: QSvgRenderer, size: int) -> bytes:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data())


def main() -> int:
    app = QGuiApplication(sys.argv[:1])
    folder = resource_path("icons")
    renderer = QSvgRenderer(str(folder / "klachtdesk.svg"))
    for size in SIZES:
        (folder / f"klachtdesk-{size}.png").write_bytes(render(renderer, size))
    largest = Image.open(io.BytesIO(render(renderer, 256)))
    largest.save(folder / "klachtdesk.ico", sizes=[(s, s) for s in SIZES])
    print(f"{len(SIZES)} PNG sizes and klachtdesk.ico in {folder}")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
