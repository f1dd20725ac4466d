"""The model manager's "Make smaller…": the types with their sizes for this model (the ones
that would not shrink it greyed out), the requantization note, progress, Cancel, and the new
model in the list and the pickers; the GUI thread never waits on the quantizer."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_llm.core.models.quantize import QUANTIZING_DIRNAME
from desktop_llm.ui.main_window import MainWindow
from desktop_llm.ui.models.quantize_dialog import QuantizeDialog
from tests.gui.models.test_model_manager import open_manager, rows_loaded
from tests.helpers.gui import requires_model

pytestmark = [pytest.mark.model, requires_model]

STARTER = "SmolLM2-135M-Instruct.Q4_1"
MADE = "SmolLM2-135M-Instruct.Q4_0"


def open_dialog(qtbot: QtBot, window: MainWindow) -> QuantizeDialog:
    manager = open_manager(qtbot, window)
    installed = manager.installed
    qtbot.waitUntil(lambda: rows_loaded(manager), timeout=30_000)
    assert installed.select(STARTER)
    assert installed.quantize_button.isEnabled()
    qtbot.mouseClick(installed.quantize_button, Qt.MouseButton.LeftButton)
    dialog = installed.quantize_dialog
    assert dialog is not None and dialog.isVisible()
    # The sizes come from llama.cpp's dry run in a child process: the dialog answers meanwhile.
    qtbot.waitUntil(lambda: bool(dialog.estimates), timeout=60_000)
    return dialog


def test_make_smaller_through_to_the_new_row(qtbot: QtBot, window: MainWindow) -> None:
    dialog = open_dialog(qtbot, window)
    usable = dialog.usable_types()
    assert "Q4_0" in usable and "Q3_K_M" in usable
    # Larger types, and k-quants that this model's 576-wide rows make larger, are refused.
    assert "Q8_0" not in usable and "Q4_K_M" not in usable
    texts = {dialog.types.item(i).text() for i in range(dialog.types.count())}
    assert "Q4_K_M · about 105.5 MB (not smaller)" in texts
    assert dialog.chosen() == "Q4_0"  # the default pick
    assert dialog.note_label.isVisibleTo(dialog)
    assert "already quantized (Q4_1)" in dialog.note_label.text()

    installed = window.model_manager.installed  # type: ignore[union-attr]
    with qtbot.waitSignal(installed.models_changed, timeout=120_000):
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
        assert dialog.running and not dialog.start_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)

    chosen = installed.selected()
    assert chosen is not None and chosen.name == MADE and chosen.quantization == "Q4_0"
    assert chosen.size_bytes < 98_362_432
    manager = window.model_manager
    assert manager is not None
    assert manager.status_label.text().startswith(f"Made {MADE} (91.7 MB, 7% smaller)")
    assert "already quantized (Q4_1)" in installed.about_label.text()
    assert MADE in window.chat_page.model_picker.names()


def test_cancel_stops_the_quantizer_and_keeps_nothing(qtbot: QtBot, window: MainWindow) -> None:
    dialog = open_dialog(qtbot, window)
    assert dialog.choose("Q3_K_M")
    scratch = window.services.paths.models_dir / QUANTIZING_DIRNAME

    def writing() -> bool:
        return scratch.is_dir() and any(p.suffix == ".tmp" for p in scratch.iterdir())

    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(writing, timeout=60_000)
    # Hold the quantizer mid-file, so the cancel surely lands before it could finish.
    (child,) = [c for c in multiprocessing.active_children() if c.name == "desktop-llm-quantize"]
    assert child.pid is not None
    os.kill(child.pid, signal.SIGSTOP)
    clicked = time.monotonic()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running, timeout=10_000)
    assert time.monotonic() - clicked < 5
    assert dialog.isVisible() and dialog.status_label.text() == "Cancelled; nothing was written."
    assert not list(scratch.parent.glob("*.gguf")) and not list(scratch.iterdir())
    assert not multiprocessing.active_children()
    assert dialog.start_button.isEnabled()
    dialog.reject()
