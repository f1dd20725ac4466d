"""Fcitx without its Qt plugin: the window asks for IBus (which Fcitx 5 also speaks) before
Qt starts, instead of silently typing Latin letters only."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_llm import input_method
from tests.gui.conftest import WindowFactory


def _plugins(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "platforminputcontexts"
    folder.mkdir()
    for name in names:
        (folder / f"lib{name}platforminputcontextplugin.so").write_bytes(b"")
    return folder


def test_pyside6_ships_ibus_but_not_fcitx() -> None:
    """The premise, checked on the installed Qt: if a later PySide6 ships Fcitx's plugin,
    this fails and the fallback can go."""
    assert input_method.has_plugin("ibus")
    assert not input_method.has_plugin("fcitx")


@pytest.mark.parametrize(
    "env",
    [
        {"QT_IM_MODULE": "fcitx"},
        {"QT_IM_MODULE": "fcitx5"},
        {"XMODIFIERS": "@im=fcitx"},
        {"GTK_IM_MODULE": "fcitx", "QT_IM_MODULES": "wayland;fcitx"},
    ],
)
def test_fcitx_without_its_plugin_falls_back_to_ibus(tmp_path: Path, env: dict[str, str]) -> None:
    plugins = _plugins(tmp_path, "ibus", "compose")
    fallback = input_method.choose_input_method(env, plugins)
    assert fallback == input_method.Fallback(asked="fcitx", used="ibus")
    assert env["QT_IM_MODULE"] == "ibus" and "QT_IM_MODULES" not in env


def test_fcitx_with_its_plugin_is_left_alone(tmp_path: Path) -> None:
    env = {"QT_IM_MODULE": "fcitx"}
    assert input_method.choose_input_method(env, _plugins(tmp_path, "ibus", "fcitx5")) is None
    assert env == {"QT_IM_MODULE": "fcitx"}


@pytest.mark.parametrize("env", [{}, {"QT_IM_MODULE": "ibus"}, {"XMODIFIERS": "@im=ibus"}])
def test_other_input_methods_are_left_alone(tmp_path: Path, env: dict[str, str]) -> None:
    before = dict(env)
    assert input_method.choose_input_method(env, _plugins(tmp_path, "ibus")) is None
    assert env == before


def test_no_ibus_plugin_either_changes_nothing(tmp_path: Path) -> None:
    env = {"QT_IM_MODULE": "fcitx"}
    assert input_method.choose_input_method(env, _plugins(tmp_path, "compose")) is None
    assert env == {"QT_IM_MODULE": "fcitx"}


def test_the_window_says_it_once(make_window: WindowFactory, tmp_path: Path) -> None:
    from desktop_llm.app import _note_input_method_once

    marker = tmp_path / input_method.NOTE_MARKER
    window = make_window()
    _note_input_method_once(window, marker)
    assert "IBus" in window.chat_page.banner.text() and marker.exists()
    window.chat_page.banner.dismiss()
    second = make_window()
    _note_input_method_once(second, marker)
    assert "IBus" not in second.chat_page.banner.text()
