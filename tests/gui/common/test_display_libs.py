"""desktop_llm.display_libs: a missing X11 library is named, with the package to install,
before Qt would abort with "Could not load the Qt platform plugin xcb".

The "missing library" is real: a shared object built here that needs a library which is
then deleted, so the dynamic loader fails on it exactly as on the xcb plugin of a minimal
Debian.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from desktop_llm import display_libs


def _plugin_needing_absent_library(tmp_path: Path) -> Path:
    """A loadable-looking plugin whose dependency libdesktopllm-absent.so.7 is gone."""
    (tmp_path / "absent.c").write_text("int absent_symbol(void) { return 7; }\n")
    (tmp_path / "plugin.c").write_text(
        "int absent_symbol(void);\nint plugin_entry(void) { return absent_symbol(); }\n"
    )
    absent = tmp_path / "libdesktopllm-absent.so.7"
    plugin = tmp_path / "libqfake.so"
    cc = ["cc", "-shared", "-fPIC"]
    subprocess.run(
        [*cc, "-Wl,-soname,libdesktopllm-absent.so.7", "-o", absent, tmp_path / "absent.c"],
        check=True,
    )
    subprocess.run(
        [*cc, "-o", plugin, tmp_path / "plugin.c", f"-L{tmp_path}", "-l:libdesktopllm-absent.so.7"],
        check=True,
    )
    absent.unlink()
    return plugin


def test_a_missing_dependency_is_named(tmp_path: Path) -> None:
    plugin = _plugin_needing_absent_library(tmp_path)
    missing = display_libs.missing_libraries(plugin)
    assert missing[0] == "libdesktopllm-absent.so.7"
    message = display_libs.problem(plugin)
    assert message is not None
    assert message.startswith("The window cannot open")
    assert "libdesktopllm-absent.so.7" in message


def test_known_libraries_are_named_with_their_debian_packages() -> None:
    message = display_libs.explain(["libxcb-cursor.so.0", "libxcb-icccm.so.4"])
    assert "sudo apt-get install libxcb-cursor0 libxcb-icccm4\n" in message
    assert "works without them" in message


def test_a_damaged_plugin_is_reported_as_not_loading(tmp_path: Path) -> None:
    broken = tmp_path / "libqxcb.so"
    broken.write_bytes(b"\x7fELF" + b"\0" * 60)  # a truncated ELF header
    message = display_libs.problem(broken)
    assert message is not None and "does not load" in message


def test_this_systems_xcb_plugin_loads() -> None:
    """The suite's machine has the libraries (README's list): nothing is reported."""
    plugin = display_libs.xcb_plugin()
    assert plugin is not None and plugin.name == "libqxcb.so"
    assert display_libs.missing_libraries(plugin) == []
    done = subprocess.run(
        [sys.executable, "-m", "desktop_llm.display_libs"], capture_output=True, text=True
    )
    assert (done.returncode, done.stderr) == (0, "")


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, True),
        ({"QT_QPA_PLATFORM": "xcb"}, True),
        ({"QT_QPA_PLATFORM": "xcb:dpi=96"}, True),
        ({"QT_QPA_PLATFORM": "offscreen"}, False),
        ({"QT_QPA_PLATFORM": "wayland;xcb"}, False),
        ({"XDG_SESSION_TYPE": "wayland"}, False),
        ({"XDG_SESSION_TYPE": "x11"}, True),
    ],
)
def test_which_sessions_use_xcb(env: dict[str, str], expected: bool) -> None:
    assert display_libs.uses_xcb(env) is expected


def test_the_loaders_words_are_found_behind_a_frozen_builds_wrapper(tmp_path: Path) -> None:
    """PyInstaller's ctypes raises its own OSError "from" the loader's: the name survives."""
    plugin = _plugin_needing_absent_library(tmp_path)
    try:
        try:
            __import__("ctypes").CDLL(str(plugin))
        except OSError as loader:
            raise OSError(f"Failed to load dynlib/dll {str(plugin)!r}.") from loader
    except OSError as wrapped:
        assert "libdesktopllm-absent.so.7" not in str(wrapped)
        assert "libdesktopllm-absent.so.7" in display_libs._loader_words(wrapped)
