"""The settings dialog: pages generated from config.OPTIONS, default models picked from the
installed ones, reasons inline, defaults restored per page, the data paths, saving."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLineEdit, QPlainTextEdit, QSpinBox
from pytestqt.qtbot import QtBot

from desktop_llm.core.config import OPTIONS, OPTIONS_BY_NAME
from desktop_llm.core.engine.protocol import Ready
from desktop_llm.ui.common import theme
from desktop_llm.ui.common.style import Scheme
from desktop_llm.ui.main_window import MainWindow
from desktop_llm.ui.settings.dialog import SettingsDialog
from desktop_llm.ui.settings.model_choice import ModelChoice
from desktop_llm.ui.settings.pages import page_of, unplaced
from tests.gui.common.test_theme import AA, _ink, contrast
from tests.helpers.gguf_factory import write_tiny_gguf
from tests.helpers.gui import SHORT_REPLY_TOKENS, WindowFactory, write_settings


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


# -- pages, default models, inline reasons, restoring ---------------------------------------


def test_every_option_is_on_a_page_listed_by_name(qtbot: QtBot, window: MainWindow) -> None:
    assert unplaced() == []  # a new option gets a place in ui/settings/pages.py
    dialog = window.open_settings()
    titles = [dialog.page_list.item(i).text() for i in range(dialog.page_list.count())]
    assert titles == [
        "General",
        "Models",
        "Engines",
        "Tasks",
        "Energy",
        "Local server",
        "Appearance",
    ]
    assert dialog.page_list.accessibleName() == "Settings pages"
    on_pages = [n for view in dialog.pages.values() for n in view.options]
    assert sorted(on_pages) == sorted(o.name for o in OPTIONS)  # each once
    assert page_of("ui.theme") == "appearance" and page_of("energy.country") == "energy"
    assert page_of("translate.default_model") == "tasks"
    for name, editor in dialog.editors.items():
        assert editor.accessibleName(), name
    dialog.reject()


def _activate(qtbot: QtBot, dialog: SettingsDialog) -> None:
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    qtbot.wait(50)


def test_pages_change_with_the_keyboard(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.open_settings()
    _activate(qtbot, dialog)
    assert dialog.current_page() == "general"
    assert dialog.focusWidget() is dialog.page_list
    qtbot.keyClick(dialog.page_list, Qt.Key.Key_Down)
    assert dialog.current_page() == "models"
    spin = dialog.editors["generation.max_tokens"]
    spin.setFocus()
    modifier = Qt.KeyboardModifier.ControlModifier
    _activate(qtbot, dialog)  # the offscreen platform may hand activation back late
    qtbot.keyClick(spin, Qt.Key.Key_PageDown, modifier)
    assert dialog.current_page() == "engines"
    qtbot.keyClick(dialog.page_list, Qt.Key.Key_PageUp, modifier)
    qtbot.keyClick(dialog.page_list, Qt.Key.Key_PageUp, modifier)
    assert dialog.current_page() == "general"
    qtbot.keyClick(dialog.page_list, Qt.Key.Key_PageUp, modifier)  # round to the last
    assert dialog.current_page() == "appearance"
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog.page_list, Qt.Key.Key_Escape)


def test_enter_saves(qtbot: QtBot, window: MainWindow, home: Path) -> None:
    dialog = window.open_settings()
    dialog.show_page("models")
    spin = dialog.editors["generation.max_tokens"]
    assert isinstance(spin, QSpinBox)
    spin.setFocus()
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin, "55")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(spin, Qt.Key.Key_Return)
    saved = json.loads((home / "config" / "settings.json").read_text(encoding="utf-8"))
    assert saved["generation.max_tokens"] == 55


def test_a_value_out_of_range_is_explained_inline_and_never_saved(
    qtbot: QtBot, window: MainWindow, home: Path
) -> None:
    dialog = window.open_settings()
    qtbot.waitExposed(dialog)
    before = (home / "config" / "settings.json").read_text(encoding="utf-8")
    dialog.show_page("models")
    spin = dialog.editors["engine.threads"]
    assert isinstance(spin, QSpinBox)
    spin.setFocus()
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin, "0")
    reason = dialog.problem_labels["engine.threads"]
    assert reason.isVisible() and reason.text() == "Threads must be at least 1"
    assert reason.property("tone") == "error"
    assert dialog.pages["models"].item.data(Qt.ItemDataRole.AccessibleDescriptionRole)
    # Leaving the field keeps what was typed (Qt would put the old number back unsaid),
    # and neither Enter nor Save writes anything.
    dialog.page_list.setFocus()
    assert spin.text() == "0" and reason.isVisible()
    qtbot.keyClick(dialog.page_list, Qt.Key.Key_Down)  # away to the Tasks page
    qtbot.keyClick(dialog.editors["translate.temperature"], Qt.Key.Key_Return)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.current_page() == "models"
    assert dialog.focusWidget() is spin  # brought to the field
    assert dialog.error_label.text() == "Engine: Threads must be at least 1."
    assert (home / "config" / "settings.json").read_text(encoding="utf-8") == before
    qtbot.keyClicks(spin, "2")  # "02"
    assert not reason.isVisible()
    assert dialog.pages["models"].item.data(Qt.ItemDataRole.AccessibleDescriptionRole) is None
    dialog.reject()


def test_a_hub_mirror_that_is_not_an_address_is_refused(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.open_settings()
    line = dialog.editors["hub.endpoint"]
    assert isinstance(line, QLineEdit)
    qtbot.keyClicks(line, "hf-mirror.com")
    assert "must be a web address" in dialog.problem_labels["hub.endpoint"].text()
    dialog.save()
    assert dialog.isVisible() and window.services.settings["hub.endpoint"] == ""
    line.setText("https://hf-mirror.com")
    assert dialog.problem_labels["hub.endpoint"].isHidden()
    with qtbot.waitSignal(dialog.accepted):
        dialog.save()
    assert window.services.settings["hub.endpoint"] == "https://hf-mirror.com"


def _models(dialog: SettingsDialog, name: str) -> ModelChoice:
    combo = dialog.editors[name]
    assert isinstance(combo, ModelChoice)
    return combo


def test_default_models_are_picked_from_the_installed_ones(
    qtbot: QtBot, make_window: WindowFactory, home: Path
) -> None:
    models_dir = home / "data" / "models"
    for name in ("alpha", "beta"):
        write_tiny_gguf(models_dir / f"{name}.gguf")
    write_settings(
        home, **{"translate.default_model": "gpt-5-ultra", "summarize.default_model": "BETA"}
    )
    window = make_window()
    dialog = window.open_settings()
    qtbot.waitUntil(lambda: not dialog.loading_models, timeout=10_000)
    chat = _models(dialog, "chat.default_model")
    names = [chat.itemData(i) for i in range(chat.count())]
    assert names[0] == "" and {"alpha", "beta"} <= set(names)
    assert chat.currentIndex() == 0 and chat.value() == ""
    first = window.services.registry.list()[0].name
    assert chat.itemText(0) == f"(first installed: {first})"
    # A name that is no longer installed stays, said to be missing, and is saved as it was.
    translate = _models(dialog, "translate.default_model")
    assert translate.value() == "gpt-5-ultra"
    assert translate.currentText() == "gpt-5-ultra — not installed"
    note = dialog.problem_labels["translate.default_model"]
    assert not note.isHidden() and note.property("tone") == "warning"
    assert "gpt-5-ultra is not installed" in note.text()
    # Another case of an installed name means that model.
    assert _models(dialog, "summarize.default_model").value() == "beta"
    # Picking the chat's model names it as what the tasks follow.
    sentiment = _models(dialog, "sentiment.default_model")
    chat.setCurrentIndex(chat.findData("alpha"))
    assert sentiment.itemText(0) == "(the chat model: alpha)"
    with qtbot.waitSignal(dialog.accepted):
        dialog.save()
    settings = window.services.settings
    assert settings["chat.default_model"] == "alpha"
    assert settings["translate.default_model"] == "gpt-5-ultra"
    assert settings["summarize.default_model"] == "beta"
    assert settings["sentiment.default_model"] == ""
    # Picked from the list, the missing one is gone for good.
    dialog = window.open_settings()
    qtbot.waitUntil(lambda: not dialog.loading_models, timeout=10_000)
    translate = _models(dialog, "translate.default_model")
    translate.setCurrentIndex(translate.findData("beta"))
    assert dialog.problem_labels["translate.default_model"].isHidden()
    assert translate.findData("gpt-5-ultra") >= 0  # still offered until saved
    with qtbot.waitSignal(dialog.accepted):
        dialog.save()
    assert settings["translate.default_model"] == "beta"


def test_restore_defaults_puts_back_one_page(qtbot: QtBot, window: MainWindow, home: Path) -> None:
    dialog = window.open_settings()
    qtbot.waitUntil(lambda: not dialog.loading_models, timeout=10_000)
    models, tasks = dialog.pages["models"], dialog.pages["tasks"]
    assert models.restore_button.isEnabled()  # the test's settings: short replies
    assert not tasks.restore_button.isEnabled()
    temperature = dialog.editors["translate.temperature"]
    assert isinstance(temperature, QDoubleSpinBox)
    temperature.setValue(1.5)
    assert tasks.restore_button.isEnabled()
    dialog.show_page("tasks")
    qtbot.mouseClick(tasks.restore_button, Qt.MouseButton.LeftButton)
    assert temperature.value() == OPTIONS_BY_NAME["translate.temperature"].default
    assert not tasks.restore_button.isEnabled()
    assert window.services.settings["translate.temperature"] != 1.5  # nothing saved yet
    max_tokens = dialog.editors["generation.max_tokens"]
    assert isinstance(max_tokens, QSpinBox) and max_tokens.value() == SHORT_REPLY_TOKENS
    dialog.restore_defaults("models")
    assert max_tokens.value() == OPTIONS_BY_NAME["generation.max_tokens"].default
    assert dialog.editors["translate.temperature"] is temperature
    with qtbot.waitSignal(dialog.accepted):
        dialog.save()
    saved = json.loads((home / "config" / "settings.json").read_text(encoding="utf-8"))
    assert saved["generation.max_tokens"] == OPTIONS_BY_NAME["generation.max_tokens"].default


def test_the_grid_country_hint_speaks_of_the_list(window: MainWindow) -> None:
    dialog = window.open_settings()
    doc = dialog.doc_labels["energy.country"].text()
    assert "two-letter" not in doc and "code" not in doc
    dialog.reject()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_descriptions_are_readable(qtbot: QtBot, window: MainWindow, scheme: Scheme) -> None:
    theme.use_theme(scheme)
    dialog = window.open_settings()
    qtbot.waitExposed(dialog)
    dialog.show_page("energy")
    doc = dialog.doc_labels["energy.country"]
    qtbot.waitExposed(doc)
    assert doc.isEnabled()  # read by a screen reader, not greyed out
    ink, background = _ink(doc)
    assert contrast(ink, background) >= AA, (ink.name(), background.name())
    dialog.reject()
