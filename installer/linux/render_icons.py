"""Render the app icon (SVG) into the hicolor PNG sizes, with Qt: `make dist` (the .deb).

    python render_icons.py ICON.svg OUT_DIR     → OUT_DIR/<n>x<n>/apps/desktop-llm.png

Qt renders it offscreen, so no rsvg-convert or Inkscape is needed on the build machine.
rasterize() is also what installer/render_platform_icons.py uses (.ico and .icns).
"""

import os
import sys
from pathlib import Path

SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)

_app = None  # the QGuiApplication, kept for the life of the process


def rasterize(svg: str, sizes):
    """{size: QImage} of the SVG at each size (square, transparent), or None if unreadable."""
    global _app
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    # QPainter on a QImage needs a QGuiApplication for fonts.
    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(svg)
    if not renderer.isValid():
        print(f"{Path(sys.argv[0]).stem}: cannot read {svg}", file=sys.stderr)
        return None
    images = {}
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        images[size] = image
    return images


def main(svg: str, out: str) -> int:
    images = rasterize(svg, SIZES)
    if images is None:
        return 1
    for size, image in images.items():
        target = Path(out) / f"{size}x{size}" / "apps" / "desktop-llm.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(target), "PNG"):
            print(f"render_icons: cannot write {target}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:]))
