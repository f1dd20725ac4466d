"""Can Qt's X11 (xcb) platform plugin load on this system? If not, which packages to install.

On a minimal Linux the window does not open without a few xcb libraries, and Qt only says
"Could not load the Qt platform plugin xcb" before aborting: too late and too vague for a
user. This module asks the dynamic loader itself, by loading the plugin Qt would load
(dlopen names the first library it cannot find), so what it reports is what Qt would hit,
whether the libraries come from the system or from a frozen bundle. `make run` runs it as
`python -m desktop_llm.display_libs`; the window runs it before Qt picks its platform; the
frozen build's `--smoke-test` runs it whatever platform the test itself uses.

Only QtCore is imported: its plugin path, nothing that needs a display.
"""

from __future__ import annotations

import ctypes
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path

# What a minimal Debian or Ubuntu lacks for the xcb plugin: soname -> the package holding it.
PACKAGES: dict[str, str] = {
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3",
}
_NOT_FOUND = re.compile(r"([\w.+-]+\.so(?:\.\d+)*): cannot open shared object file")


def xcb_plugin() -> Path | None:
    """The xcb platform plugin of the Qt this process uses; None off Linux or if absent."""
    if not sys.platform.startswith("linux"):
        return None
    from PySide6.QtCore import QLibraryInfo

    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    plugin = plugins / "platforms" / "libqxcb.so"
    return plugin if plugin.is_file() else None


def uses_xcb(env: Mapping[str, str] | None = None) -> bool:
    """Whether Qt will load the xcb plugin when the window opens (Linux only)."""
    env = os.environ if env is None else env
    if not sys.platform.startswith("linux"):
        return False
    asked = env.get("QT_QPA_PLATFORM", "").strip()
    if asked:
        # "wayland;xcb" tries xcb only if the first fails; the first is what counts here.
        return asked.split(";")[0].split(":")[0] == "xcb"
    # Qt 6 prefers Wayland in a Wayland session and falls back to xcb only if that fails.
    return env.get("XDG_SESSION_TYPE", "").lower() != "wayland"


def missing_libraries(plugin: Path) -> list[str]:
    """The shared libraries the plugin needs that cannot be loaded; [] when it loads.
    OSError when it fails to load for another reason (a damaged file, another architecture)."""
    try:
        ctypes.CDLL(str(plugin))
    except OSError as exc:
        first = _NOT_FOUND.search(_loader_words(exc))
        if first is None:
            raise
        missing = [first.group(1)]
    else:
        return []
    # The loader stops at the first; the usual others are asked for one by one, so the
    # user installs everything in one go.
    for soname in PACKAGES:
        if soname not in missing and not _loads(soname):
            missing.append(soname)
    return missing


def _loader_words(exc: BaseException) -> str:
    """The loader's own message. A frozen build's ctypes (PyInstaller) replaces it with
    "Failed to load dynlib/dll ..." and keeps the loader's as the cause."""
    words = []
    seen: BaseException | None = exc
    while seen is not None:
        words.append(str(seen))
        seen = seen.__cause__
    return "\n".join(words)


def _loads(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def explain(missing: list[str]) -> str:
    """The message for the user: what is missing, and the command that installs it."""
    packages = sorted({PACKAGES[name] for name in missing if name in PACKAGES})
    unknown = [name for name in missing if name not in PACKAGES]
    lines = [
        "The window cannot open: Qt's X11 platform plugin needs system libraries that "
        f"are not installed ({', '.join(missing)})."
    ]
    if packages:
        lines.append(f"On Debian or Ubuntu: sudo apt-get install {' '.join(packages)}")
        lines.append("On Fedora: the matching xcb-util-* and libxkbcommon-x11 packages.")
    if unknown:
        lines.append("Install the package that provides: " + ", ".join(unknown))
    lines.append("The command line (desktop-llm chat, translate, ...) works without them.")
    return "\n".join(lines)


def problem(plugin: Path | None = None) -> str | None:
    """explain() for the xcb plugin (this Qt's, unless one is given); None when it loads."""
    plugin = plugin if plugin is not None else xcb_plugin()
    if plugin is None:
        return None
    try:
        missing = missing_libraries(plugin)
    except OSError as exc:
        return (
            "The window cannot open: Qt's X11 platform plugin does not load "
            f"({_loader_words(exc).splitlines()[-1]})."
        )
    return explain(missing) if missing else None


def main() -> int:
    found = problem()
    if found is None:
        return 0
    print(found, file=sys.stderr)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
