"""The first-run welcome page: the starter explained, models that fit, the grid country."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_llm.core.models.fit import FITS_FRACTION
from desktop_llm.ui.common.model_picker import STARTER_HINT
from desktop_llm.ui.welcome.dialog import OFFLINE_WORDS, WelcomeDialog
from tests.helpers.gguf_factory import write_tiny_gguf
from tests.helpers.gui import WindowFactory
from tests.helpers.hub_server import FakeHub, closed_port

WAIT_MS = 30_000


def open_welcome(qtbot: QtBot, make_window: WindowFactory) -> WelcomeDialog:
    window = make_window(welcome=True)
    qtbot.waitUntil(lambda: window.welcome_dialog is not None, timeout=5_000)
    dialog = window.welcome_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_first_launch_offline_explains_the_starter_and_asks_the_country(
    qtbot: QtBot, make_window: WindowFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No network: nothing listens where the Hub should be. (HF_HUB_OFFLINE would do too, but
    # huggingface_hub reads it once, at import, and later tests would inherit it.)
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{closed_port()}")
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")  # a Chinese user: China's grid, not the world's
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MEASUREMENT", raising=False)
    dialog = open_welcome(qtbot, make_window)
    window = dialog.parent()

    text = " ".join(label.text() for label in dialog.findChildren(type(dialog.offline_label)))
    assert "SmolLM2 135M, is tiny" in text
    assert 2 <= len(dialog.rows) <= 3  # this machine has room for the small catalog models
    for row in dialog.rows:
        hint = row.suggestion.hint
        assert hint.verdict == "fits" and hint.needed_bytes <= FITS_FRACTION * hint.available_bytes
    # Offline: the page says so, and the Download buttons cannot be pressed in vain.
    qtbot.waitUntil(dialog.offline_label.isVisible, timeout=WAIT_MS)
    assert dialog.offline_label.text() == OFFLINE_WORDS
    assert not any(row.download_button.isEnabled() for row in dialog.rows)
    assert dialog.country.currentData() == "CN"

    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    settings = window.services.settings  # type: ignore[union-attr]
    assert settings["energy.country"] == "CN" and settings["ui.show_welcome"] is False
    assert STARTER_HINT in window.chat_page.model_picker.currentText()  # type: ignore[union-attr]
    # Dismissed once, it does not come back.
    again = make_window(welcome=True)
    qtbot.wait(100)
    assert again.welcome_dialog is None


def test_a_suggested_model_downloads_from_its_button(
    qtbot: QtBot, make_window: WindowFactory, hub: FakeHub, tmp_path: Path
) -> None:
    dialog = open_welcome(qtbot, make_window)
    window = dialog.parent()
    first = dialog.rows[0]
    model, file = first.suggestion.model, first.suggestion.file
    # A small stand-in for the real file, served under the catalog's repo and name.
    hub.add_file(model.repo, write_tiny_gguf(tmp_path / "stand-in.gguf"), name=file.filename)
    downloads = window.downloads  # type: ignore[union-attr]
    with qtbot.waitSignal(downloads.finished, timeout=WAIT_MS) as done:
        qtbot.mouseClick(first.download_button, Qt.MouseButton.LeftButton)
    assert done.args[0].state == "done", done.args[0].error
    assert not first.download_button.isEnabled()
    installed = window.services.paths.models_dir / file.filename  # type: ignore[union-attr]
    assert installed.is_file()
    assert not dialog.offline_label.isVisible()  # the Hub answered
    dialog.reject()  # closing is a dismissal too
    assert window.services.settings["ui.show_welcome"] is False  # type: ignore[union-attr]


def test_a_window_with_history_shows_no_welcome(qtbot: QtBot, make_window: WindowFactory) -> None:
    first = make_window()
    first.services.store.add_message(first.chat_page.current_id, "user", "hello")
    again = make_window(welcome=True)
    qtbot.wait(100)
    assert again.welcome_dialog is None
