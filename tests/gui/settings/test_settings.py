"""The settings dialog: generated from config.OPTIONS, shows the data paths, saves."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QPlainTextEdit, QSpinBox
from pytestqt.qtbot import QtBot

from desktop_llm.core.config import OPTIONS
from desktop_llm.core.engine.protocol import Ready
from desktop_llm.ui.main_window import MainWindow
from desktop_llm.ui.settings.dialog import SettingsDialog


def test_ctrl_comma_opens_settings_with_every_option(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = window.settings_dialog
    assert isinstance(dialog, SettingsDialog) and dialog.isVisible()
    assert set(dialog.editors) == {o.name for o in OPTIONS}
    for option in OPTIONS:
        editor = dialog.editors[option.name]
        if option.type is int:
            assert isinstance(editor, QSpinBox)
            assert (editor.minimum(), editor.maximum()) == (option.minimum, option.maximum)
        elif option.type is float:
            assert isinstance(editor, QDoubleSpinBox)
            assert (editor.minimum(), editor.maximum()) == (option.minimum, option.maximum)
        elif option.multiline:
            assert isinstance(editor, QPlainTextEdit)
        elif option.choices is not None:
            assert isinstance(editor, QComboBox)
    dialog.reject()


def test_settings_show_where_data_lives(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.open_settings()
    paths = window.services.paths
    shown = {title: label.text() for title, label in dialog.path_labels.items()}
    assert shown == {
        "Data folder": str(paths.data_dir),
        "Models": str(paths.models_dir),
        "Database": str(paths.db_path),
        "Settings file": str(paths.settings_path),
        "Logs": str(paths.log_dir),
    }
    dialog.reject()


def test_changing_max_tokens_persists(qtbot: QtBot, window: MainWindow, home: Path) -> None:
    dialog = window.open_settings()
    spin = dialog.editors["generation.max_tokens"]
    assert isinstance(spin, QSpinBox)
    spin.setValue(77)
    prompt = dialog.editors["chat.system_prompt"]
    assert isinstance(prompt, QPlainTextEdit)
    prompt.setPlainText("Answer briefly.\nUse plain words.")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved = json.loads((home / "config" / "settings.json").read_text(encoding="utf-8"))
    assert saved["generation.max_tokens"] == 77
    assert saved["chat.system_prompt"] == "Answer briefly.\nUse plain words."
    assert window.services.settings["generation.max_tokens"] == 77


def test_gpu_layers_follow_the_engine_build(qtbot: QtBot, window: MainWindow) -> None:
    settings, paths = window.services.settings, window.services.paths
    cpu_only = SettingsDialog(settings, paths, Ready(1, "0.3", supports_gpu_offload=False))
    qtbot.addWidget(cpu_only)
    assert not cpu_only.editors["engine.gpu_layers"].isEnabled()
    assert "CPU only" in cpu_only.gpu_note.text()
    assert "make run GPU=cuda" in cpu_only.gpu_note.text()  # how to get another build
    cuda = Ready(1, "0.3", supports_gpu_offload=True, backends=("CPU", "CUDA"))
    with_gpu = SettingsDialog(settings, paths, cuda)
    qtbot.addWidget(with_gpu)
    assert with_gpu.editors["engine.gpu_layers"].isEnabled()
    assert "llama.cpp with CUDA" in with_gpu.gpu_note.text()
    not_started = SettingsDialog(settings, paths, None)
    qtbot.addWidget(not_started)
    assert not not_started.editors["engine.gpu_layers"].isEnabled()


def test_a_bad_value_is_explained_and_nothing_is_saved(
    qtbot: QtBot, window: MainWindow, home: Path
) -> None:
    dialog = window.open_settings()
    default_model = dialog.editors["chat.default_model"]
    before = (home / "config" / "settings.json").read_text(encoding="utf-8")
    # Spin boxes cannot hold a bad value; force one through the option check instead.
    spin = dialog.editors["generation.max_tokens"]
    spin.setMinimum(0)
    spin.setValue(0)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "Max tokens" in dialog.error_label.text()
    assert (home / "config" / "settings.json").read_text(encoding="utf-8") == before
    assert default_model is not None
    dialog.reject()


def test_grid_country_is_picked_from_the_bundled_table(
    qtbot: QtBot, window: MainWindow, home: Path
) -> None:
    dialog = window.open_settings()
    combo = dialog.editors["energy.country"]
    assert isinstance(combo, QComboBox)
    assert combo.currentData() == ""  # the locale's, by default
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert any(label.startswith("France (") for label in labels)
    assert any(label.startswith("China (") for label in labels)
    combo.setCurrentIndex(combo.findData("FR"))
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved = json.loads((home / "config" / "settings.json").read_text(encoding="utf-8"))
    assert saved["energy.country"] == "FR"
    assert "France" in window.services.host.energy.intensity.source


def test_ctrl_shift_e_opens_one_energy_dashboard(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(
        window,
        Qt.Key.Key_E,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dashboard = window.energy_dashboard
    assert dashboard is not None and dashboard.isVisible()
    qtbot.waitUntil(lambda: not dashboard.loading, timeout=30_000)
    assert window.open_energy_dashboard() is dashboard  # the same one, brought forward
    qtbot.waitUntil(lambda: not dashboard.loading, timeout=30_000)
