"""Typing Chinese on Linux: an input method Qt can talk to, chosen before Qt starts.

PySide6's wheels carry Qt's IBus input-context plugin but not Fcitx's, and most Chinese
Linux desktops run Fcitx 5 (QT_IM_MODULE=fcitx). Qt then finds no plugin for it and falls
back to plain key presses: no pinyin, no candidates, nothing typed in Chinese. Fcitx 5 also
speaks IBus's protocol (its "IBus frontend" addon, on by default), so when Fcitx is asked
for and this Qt has no plugin for it, the window asks for IBus instead. It must be set
before the QApplication exists: Qt reads QT_IM_MODULE once, when it starts.
"""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping
from dataclasses import dataclass
from pathlib import Path

_IM_VARIABLES = ("QT_IM_MODULE", "QT_IM_MODULES", "XMODIFIERS", "GTK_IM_MODULE")
# Shown once in the window when the fallback is used (app.py keeps the marker file).
NOTE_MARKER = "input-method-note-shown"


@dataclass(frozen=True)
class Fallback:
    asked: str  # what the environment asked for ("fcitx")
    used: str  # what the window uses instead ("ibus")


def _plugins_dir() -> Path:
    from PySide6.QtCore import QLibraryInfo

    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforminputcontexts"


def has_plugin(name: str, plugins: Path | None = None) -> bool:
    """Whether this Qt has an input-context plugin whose file names `name` ("fcitx")."""
    folder = plugins if plugins is not None else _plugins_dir()
    return any(name in p.name for p in folder.glob("*platforminputcontextplugin*"))


def wants_fcitx(env: MutableMapping[str, str]) -> bool:
    return any("fcitx" in env.get(name, "").lower() for name in _IM_VARIABLES)


def choose_input_method(
    env: MutableMapping[str, str] | None = None, plugins: Path | None = None
) -> Fallback | None:
    """Switch QT_IM_MODULE from Fcitx to IBus when this Qt cannot load Fcitx's plugin;
    returns what was done (None: nothing needed)."""
    env = os.environ if env is None else env
    if not sys.platform.startswith("linux") or not wants_fcitx(env):
        return None
    if has_plugin("fcitx", plugins) or not has_plugin("ibus", plugins):
        return None
    env["QT_IM_MODULE"] = "ibus"
    env.pop("QT_IM_MODULES", None)  # Qt 6.7+ reads this list before QT_IM_MODULE
    return Fallback(asked="fcitx", used="ibus")
