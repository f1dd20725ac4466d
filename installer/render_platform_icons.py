"""Render the app icon (SVG) into Windows' .ico or macOS' .icns: installer/desktop-llm.spec.

    python render_platform_icons.py ICON.svg OUT.ico       (Windows: the executable's icon)
    python render_platform_icons.py ICON.svg OUT.icns      (macOS: needs iconutil)
    python render_platform_icons.py ICON.svg OUT.iconset   (the folder iconutil reads)

The PNGs are rendered with Qt, as installer/linux/render_icons.py renders them for the .deb
(its rasterize()). The .ico is written here, not with Qt's ICO plugin, which writes one
image per file: an ICONDIR header, one 16-byte entry per size, then each image as a PNG
(PNG entries: Windows Vista and later). The .icns is made by macOS' iconutil from an
.iconset folder (icon_<n>x<n>.png and icon_<n>x<n>@2x.png, 16 to 512 points).
"""

import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "linux"))

from render_icons import rasterize

ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 96, 128, 256)
ICONSET_POINTS = (16, 32, 128, 256, 512)


def png_bytes(image) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise OSError("cannot encode a PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICO file holding each {size: PNG} (sizes 1 to 256; 256 is written as 0)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))  # reserved, type 1 (icon), count
    offset = len(header) + 16 * len(pngs)
    entries, images = b"", b""
    for size, png in sorted(pngs.items()):
        dim = 0 if size == 256 else size
        # width, height, colour count, reserved, planes, bits per pixel, size, offset
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(png), offset)
        offset += len(png)
        images += png
    return header + entries + images


def write_iconset(svg: str, folder: Path) -> bool:
    sizes = sorted({p * k for p in ICONSET_POINTS for k in (1, 2)})
    images = rasterize(svg, sizes)
    if images is None:
        return False
    folder.mkdir(parents=True, exist_ok=True)
    for points in ICONSET_POINTS:
        for scale, suffix in ((1, ""), (2, "@2x")):
            target = folder / f"icon_{points}x{points}{suffix}.png"
            target.write_bytes(png_bytes(images[points * scale]))
    return True


def main(svg: str, out: str) -> int:
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.suffix == ".ico":
        images = rasterize(svg, ICO_SIZES)
        if images is None:
            return 1
        target.write_bytes(ico_bytes({s: png_bytes(i) for s, i in images.items()}))
    elif target.suffix == ".iconset":
        if not write_iconset(svg, target):
            return 1
    elif target.suffix == ".icns":
        iconutil = shutil.which("iconutil")
        if iconutil is None:
            print("render_platform_icons: .icns needs macOS' iconutil", file=sys.stderr)
            return 1
        with tempfile.TemporaryDirectory() as tmp:
            iconset = Path(tmp) / "desktop-llm.iconset"
            if not write_iconset(svg, iconset):
                return 1
            subprocess.run([iconutil, "-c", "icns", "-o", str(target), str(iconset)], check=True)
    else:
        print(f"render_platform_icons: {out}: not .ico, .icns or .iconset", file=sys.stderr)
        return 1
    print(f"render_platform_icons: wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:]))
