"""installer/check-system-libs.sh: what `make run` says when Qt's xcb libraries are missing."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "installer" / "check-system-libs.sh"
ALL = [
    "libxcb-icccm.so.4",
    "libxcb-keysyms.so.1",
    "libxcb-cursor.so.0",
    "libxcb-image.so.0",
    "libxcb-render-util.so.0",
    "libxcb-shape.so.0",
    "libxcb-xkb.so.1",
    "libxkbcommon-x11.so.0",
    "libEGL.so.1",
    "libfontconfig.so.1",
    "libdbus-1.so.3",
]


def _run_with(tmp_path: Path, sonames: list[str]) -> subprocess.CompletedProcess[str]:
    """The script, with an ldconfig that knows only these libraries."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    listing = "\n".join(f"\t{name} (libc6,x86-64) => /usr/lib/{name}" for name in sonames)
    fake = bin_dir / "ldconfig"
    fake.write_text(f"#!/bin/sh\ncat <<'END'\n{listing}\nEND\n", encoding="utf-8")
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    return subprocess.run(["sh", str(SCRIPT)], capture_output=True, text=True, env=env, check=False)


def test_missing_xcb_libraries_are_named_with_their_packages(tmp_path: Path) -> None:
    present = [n for n in ALL if n not in ("libxcb-cursor.so.0", "libxcb-icccm.so.4")]
    result = _run_with(tmp_path, present)
    assert result.returncode == 1
    assert "sudo apt-get install libxcb-icccm4 libxcb-cursor0\n" in result.stdout


def test_nothing_is_said_when_everything_is_there(tmp_path: Path) -> None:
    result = _run_with(tmp_path, ALL)
    assert result.returncode == 0 and result.stdout == ""
