"""A model's own settings in the window: the Installed view's "Settings…" opens a dialog
that reads the file's limits off the GUI thread, says inline why a value cannot be saved,
checks the template on Save, and keeps what it saves in model_settings.json."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from pytestqt.qtbot import QtBot

from desktop_llm.core.engine.chat_template import CHATML_TEMPLATE
from desktop_llm.core.model_settings import ModelLimits, ModelOverrides
from desktop_llm.core.models import read_gguf
from desktop_llm.core.services import Services, open_services
from desktop_llm.ui.models.installed_view import InstalledView
from desktop_llm.ui.models.model_settings_dialog import ModelSettingsDialog
from tests.helpers.gui import requires_model

pytestmark = [requires_model]

STARTER = "SmolLM2-135M-Instruct.Q4_1"
WAIT_MS = 30_000


@pytest.fixture
def services(home: Path) -> Iterator[Services]:
    opened = open_services()
    yield opened
    opened.close()


@pytest.fixture
def view(services: Services, qtbot: QtBot) -> Iterator[InstalledView]:
    installed = InstalledView(services)
    qtbot.addWidget(installed)
    installed.resize(1000, 650)
    installed.show()
    yield installed
    installed.shutdown()


def open_dialog(view: InstalledView, qtbot: QtBot) -> ModelSettingsDialog:
    qtbot.waitUntil(lambda: bool(view.table_model.rows), timeout=WAIT_MS)
    assert not view.settings_button.isEnabled()  # nothing chosen yet
    assert view.select(STARTER)
    assert view.settings_button.isEnabled()
    qtbot.mouseClick(view.settings_button, Qt.MouseButton.LeftButton)
    dialog = view.settings_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.limits is not None, timeout=WAIT_MS)
    return dialog


def n(value: int) -> str:
    """A number as the window writes it (the locale's grouping)."""
    return QLocale().toString(value)


def saved_file(services: Services) -> dict:
    path = services.host.model_settings.path
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def test_values_are_checked_as_typed_with_the_reason(
    view: InstalledView, services: Services, qtbot: QtBot
) -> None:
    dialog = open_dialog(view, qtbot)
    assert dialog.windowTitle() == f"Settings for {STARTER}"
    context = dialog.editors["context_length"]
    # Empty fields stand for the app-wide values, which their placeholders name.
    assert context.text() == "" and context.placeholderText() == f"App-wide: {n(1024)}"
    assert dialog.hints["context_length"].text() == (
        f"256 to {n(8192)} tokens (what the model was trained for)."
    )
    assert dialog.hints["gpu_layers"].text().startswith("-1 (all) to 30; 0 runs on the CPU.")
    assert dialog.hints["threads"].text() == (
        f"1 to {os.cpu_count()} (the CPU threads of this computer)."
    )
    assert dialog.save_button.isEnabled()

    qtbot.keyClicks(context, "100")
    problem = dialog.problems["context_length"]
    assert problem.isVisible()
    assert problem.text() == (
        "The context length must be from 256 to 8,192 tokens: 8,192 is what this model was "
        "trained for."
    )
    assert context.accessibleDescription() == problem.text()
    assert not dialog.save_button.isEnabled()
    context.setText("512")
    assert problem.isHidden() and dialog.save_button.isEnabled()

    threads = dialog.editors["threads"]
    qtbot.keyClicks(threads, "four")
    assert dialog.problems["threads"].text() == "Threads must be a whole number."
    threads.setText(str((os.cpu_count() or 1) + 1))
    assert dialog.problems["threads"].text().startswith("Threads must be from 1 to ")
    threads.setText("1")
    dialog.editors["gpu_layers"].setText("31")
    assert dialog.problems["gpu_layers"].text() == (
        "GPU layers must be from -1 (all) to 30, the layers this model has."
    )
    dialog.editors["gpu_layers"].setText("-1")
    assert all(p.isHidden() for p in dialog.problems.values())
    assert dialog.save_button.isEnabled()
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert saved.args[0] == (f"Saved the settings of {STARTER}; they apply when it is next loaded.")
    assert saved_file(services) == {
        STARTER: {"context_length": 512, "gpu_layers": -1, "threads": 1}
    }
    assert services.host.load_spec(services.registry.resolve(STARTER)).n_ctx == 512


def test_a_broken_template_is_refused_on_save_and_reset_goes_back_to_the_defaults(
    view: InstalledView, services: Services, qtbot: QtBot
) -> None:
    services.host.model_settings.update(STARTER, _limits(services), context_length=2048, threads=1)
    dialog = open_dialog(view, qtbot)
    assert dialog.editors["context_length"].text() == "2048"  # what was saved before
    qtbot.mouseClick(dialog.copy_template_button, Qt.MouseButton.LeftButton)
    assert "<|im_start|>" in dialog.template_edit.toPlainText()  # the model's own, to edit
    dialog.template_edit.setPlainText("{% for m in messages %}{{ m.content }")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    problem = dialog.problems["chat_template"]
    qtbot.waitUntil(problem.isVisible, timeout=WAIT_MS)
    assert problem.text() == "The chat template does not work: unexpected '}' (line 1)"
    assert dialog.note_label.text() == "Nothing was saved: fix what is marked."
    assert dialog.isVisible()
    assert saved_file(services) == {STARTER: {"context_length": 2048, "threads": 1}}
    dialog.template_edit.setPlainText(CHATML_TEMPLATE)
    assert problem.isHidden()  # the old reason goes with the text it was about

    qtbot.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)
    assert all(e.text() == "" for e in dialog.editors.values())
    assert dialog.template_edit.toPlainText() == ""
    # The refusal arrives before the check's end: Save takes a click again only after that.
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=WAIT_MS)
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert saved.args[0] == f"{STARTER} uses the app-wide settings again."
    assert saved_file(services) == {}
    assert services.host.model_settings.get(STARTER) == ModelOverrides()


def test_cancel_keeps_what_was_saved(view: InstalledView, services: Services, qtbot: QtBot):
    dialog = open_dialog(view, qtbot)
    dialog.editors["threads"].setText("1")
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Cancel), Qt.MouseButton.LeftButton
    )
    assert not dialog.isVisible()
    assert saved_file(services) == {}


def _limits(services: Services) -> ModelLimits:
    return ModelLimits.of(read_gguf(services.registry.resolve(STARTER).path))
