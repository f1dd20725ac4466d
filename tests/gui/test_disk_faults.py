"""The window on a full disk and over a folder it cannot use (issue 13, finding 10)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_llm import app as app_module
from desktop_llm.core.paths import HOME_ENV
from desktop_llm.ui.main_window import MainWindow
from tests.helpers.faults_disk import fill_database
from tests.helpers.gui import REPLY_TIMEOUT_MS, type_and_send


def test_a_data_folder_that_cannot_be_made_is_said_in_a_dialog(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: 'The app could not start: Something went wrong (NotADirectoryError…)'."""
    (tmp_path / "plain-file").write_text("x")
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "plain-file" / "home"))
    shown: list[str] = []
    monkeypatch.setattr(
        app_module, "_show_message_box", lambda _parent, text: shown.append(text)
    )  # the start-up error path's dialog, recorded instead of waiting for a click

    assert app_module.run_app([]) == 1
    (text,) = shown
    assert text.startswith("The app cannot use the folder ")
    assert str(tmp_path / "plain-file" / "home" / "data") in text
    assert "Something went wrong" not in text and "Error" not in text


def test_a_message_that_cannot_be_saved_goes_back_to_the_composer(
    qtbot: QtBot, window: MainWindow
) -> None:
    fill_database(window.services.store)
    page = window.chat_page
    words = "Keep these words. " * 3000
    with qtbot.waitSignal(page.job_failed, timeout=REPLY_TIMEOUT_MS) as blocker:
        page.composer.editor.setPlainText(words)  # typed, without 54,000 key events
        type_and_send(qtbot, window, "")
    assert "could not be saved" in blocker.args[0]
    qtbot.waitUntil(lambda: not page.reply_busy)
    assert page.composer.text() == words
    assert [w.text() for w in page.chat_view.message_widgets()] == []
    assert all(
        window.services.store.messages(c.id) == []
        for c in window.services.store.list_conversations()
    )
