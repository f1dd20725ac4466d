"""Settings → Engines: adding an engine writes engines.json and puts its key in the keyring
(a real keyring backend over a file), removing asks first and takes both away; without a
keyring the dialog says so and takes an environment variable's name; Test connection asks a
real llama-cpp-python server, off the GUI thread, and can be cancelled."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from desktop_llm.core.remote_engines import RemoteEngines, make_config
from desktop_llm.ui.main_window import MainWindow
from desktop_llm.ui.settings.engines_page import AddEngineDialog, EnginesPage
from tests.helpers.file_keyring import FileKeyring, file_keyring
from tests.helpers.gguf_factory import require_starter_model
from tests.helpers.llama_server import LlamaServer, llama_server


@pytest.fixture
def ring(tmp_path: Path) -> Iterator[FileKeyring]:
    with file_keyring(tmp_path / "keyring.json") as ring:
        yield ring


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    log = tmp_path_factory.mktemp("server") / "server.log"
    with llama_server(require_starter_model(), log) as running:
        yield running


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that takes connections and never answers (a server gone silent)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]


def engines_page(qtbot: QtBot, window: MainWindow) -> EnginesPage:
    dialog = window.open_settings()
    dialog.show_page("engines")
    assert dialog.current_page() == "engines"
    page = dialog.engines_page
    qtbot.waitUntil(lambda: not page.loading, timeout=5_000)
    return page


def answer_next_box(button: QMessageBox.StandardButton) -> None:
    """Press `button` in the message box the next call opens (it runs its own loop)."""

    def press() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, press)
            return
        box.button(button).click()

    QTimer.singleShot(20, press)


def fill(qtbot: QtBot, dialog: AddEngineDialog, **fields: str) -> None:
    for name, text in fields.items():
        edit = getattr(dialog, f"{name}_edit")
        edit.setFocus()
        qtbot.keyClicks(edit, text)


def test_add_and_remove_round_trip(
    qtbot: QtBot, window: MainWindow, home: Path, ring: FileKeyring
) -> None:
    page = engines_page(qtbot, window)
    assert page.names() == [] and page.empty_label.isVisibleTo(page)
    assert not page.test_button.isEnabled() and not page.remove_button.isEnabled()
    dialog = page.open_add()
    qtbot.waitUntil(lambda: dialog.keyring_ok is True, timeout=5_000)
    # A bad address is refused in words, nothing written.
    fill(qtbot, dialog, name="llama-box", url="192.168.1.5:8080", key="s3cret", watts="250")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "http://HOST:PORT/v1" in dialog.error_label.text()
    assert not (home / "config" / "engines.json").exists()
    dialog.url_edit.clear()
    fill(qtbot, dialog, url="http://127.0.0.1:9/v1")
    with qtbot.waitSignal(window.settings_dialog.engines_changed, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved = json.loads((home / "config" / "engines.json").read_text(encoding="utf-8"))
    assert saved == {
        "llama-box": {
            "url": "http://127.0.0.1:9/v1",
            "key_in_keyring": True,
            "watts": 250.0,
            "connect_timeout_s": 5.0,
            "silence_timeout_s": 60.0,
        }
    }
    assert "s3cret" not in (home / "config" / "engines.json").read_text(encoding="utf-8")
    assert ring.passwords() == {("desktop-llm", "llama-box"): "s3cret"}
    qtbot.waitUntil(lambda: page.names() == ["llama-box"], timeout=5_000)
    row = page.list.topLevelItem(0)
    assert [row.text(i) for i in range(4)] == [
        "llama-box",
        "http://127.0.0.1:9/v1",
        "keyring",
        "250 W",
    ]
    assert page.remove_button.isEnabled()
    # The window lists it at once: nothing serves on port 9, so one disabled line says so.
    picker = window.chat_page.model_picker
    qtbot.waitUntil(lambda: any(g.error for g in picker.remote_groups()), timeout=15_000)
    texts = [picker.itemText(i) for i in range(picker.count())]
    assert "llama-box (127.0.0.1:9)" in texts and "    not reachable" in texts

    # Remove asks first: No keeps it, Yes takes it and its key away.
    answer_next_box(QMessageBox.StandardButton.No)
    page.remove_selected()
    assert page.names() == ["llama-box"]
    answer_next_box(QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(page.changed, timeout=10_000):
        page.remove_selected()
    assert json.loads((home / "config" / "engines.json").read_text(encoding="utf-8")) == {}
    assert ring.passwords() == {}
    qtbot.waitUntil(lambda: page.names() == [], timeout=5_000)
    qtbot.waitUntil(lambda: picker.remote_groups() == [], timeout=5_000)
    assert "llama-box (127.0.0.1:9)" not in [picker.itemText(i) for i in range(picker.count())]
    window.settings_dialog.reject()


def test_without_a_keyring_the_key_goes_in_an_environment_variable(
    qtbot: QtBot, window: MainWindow, home: Path
) -> None:
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        page = engines_page(qtbot, window)
        dialog = page.open_add()
        qtbot.waitUntil(lambda: dialog.keyring_ok is False, timeout=5_000)
        assert not dialog.key_edit.isEnabled()
        assert dialog.keyring_note.isVisibleTo(dialog)
        assert "No keyring is available here" in dialog.keyring_note.text()
        fill(qtbot, dialog, name="team", url="https://gpu.example.org/v1", env="TEAM_KEY")
        with qtbot.waitSignal(page.changed, timeout=10_000):
            qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        saved = json.loads((home / "config" / "engines.json").read_text(encoding="utf-8"))
        assert saved["team"]["api_key_env"] == "TEAM_KEY"
        assert saved["team"].get("key_in_keyring") is False
        qtbot.waitUntil(lambda: page.names() == ["team"], timeout=5_000)
        assert page.list.topLevelItem(0).text(2) == "environment variable TEAM_KEY"
    finally:
        keyring.set_keyring(before)
    window.settings_dialog.reject()


def test_test_connection_asks_the_real_server(
    qtbot: QtBot, make_window, home: Path, server: LlamaServer
) -> None:
    RemoteEngines(home / "config" / "engines.json").add(make_config("llama-box", url=server.url))
    window = make_window()
    page = engines_page(qtbot, window)
    assert page.names() == ["llama-box"] and page.selected_name() == "llama-box"
    started = time.monotonic()
    with qtbot.waitSignal(page.probed, timeout=60_000) as probed:
        qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
        assert time.monotonic() - started < 0.5  # the GUI thread does not wait for it
        assert page.busy.isVisibleTo(page) and page.cancel_button.isVisibleTo(page)
        assert not page.test_button.isEnabled()
    text = probed.args[0]
    assert "Connected: 1 model (smol)." in text
    assert "Tokenizer: yes" in text
    assert "Log-probabilities: yes" in text
    assert not page.busy.isVisibleTo(page) and page.test_button.isEnabled()
    window.settings_dialog.reject()


def test_a_silent_server_can_be_cancelled(
    qtbot: QtBot, make_window, home: Path, silent_port: int
) -> None:
    url = f"http://127.0.0.1:{silent_port}/v1"
    RemoteEngines(home / "config" / "engines.json").add(
        make_config("quiet", url=url, silence_timeout_s=3)
    )
    window = make_window()
    page = engines_page(qtbot, window)
    qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    assert page.testing
    qtbot.wait(300)
    with qtbot.waitSignal(page.probed, timeout=2_000) as probed:
        qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    assert probed.args[0] == "The test was cancelled."
    assert not page.testing and page.test_button.isEnabled()
    assert not page.busy.isVisibleTo(page)
    # Without Cancel, silence ends the test in words within its timeout.
    with qtbot.waitSignal(page.probed, timeout=15_000) as probed:
        qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    assert "sent nothing for 3 s" in probed.args[0]
    qtbot.waitUntil(lambda: page._pool.activeThreadCount() == 0, timeout=10_000)
    window.settings_dialog.reject()
