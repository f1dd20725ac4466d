"""The window's local server: started and stopped from the Local server settings page and
the menu, its indicator in the status bar, its failures in words, the chat's line while API
requests hold the engine, and where API use shows (not in the chat list; in the energy
dashboard). A real server on a free port, called with the official `openai` client."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import openai
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from desktop_llm.core.chat.events import ReplyEnded
from desktop_llm.core.tasks.events import TaskEnded
from desktop_llm.ui.main_window import MainWindow
from desktop_llm.ui.server.controls import ServerControls
from desktop_llm.ui.settings.dialog import SettingsDialog
from desktop_llm.ui.settings.editors import set_editor_value
from tests.helpers.gui import (
    REPLY_TIMEOUT_MS,
    WindowFactory,
    requires_model,
    type_and_send,
    write_settings,
)

START_MS = 20_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_page(window: MainWindow, port: int) -> tuple[SettingsDialog, ServerControls]:
    dialog = window.open_server_settings()
    assert dialog.current_page() == "server"
    set_editor_value(dialog.editors["server.port"], port)
    assert dialog.server_controls is not None
    return dialog, dialog.server_controls


def client(url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=url, api_key="none", max_retries=0, timeout=120)


def test_the_settings_page_starts_and_stops_the_server(window: MainWindow, qtbot: QtBot) -> None:
    port = free_port()
    dialog, controls = server_page(window, port)
    assert controls.state_text() == "Stopped"
    assert not controls.copy_button.isEnabled()
    assert not window.server_indicator.isVisible()

    with qtbot.waitSignal(window.server.started, timeout=START_MS) as started:
        qtbot.mouseClick(controls.start_button, Qt.MouseButton.LeftButton)
    url = f"http://127.0.0.1:{port}/v1"
    assert started.args == [url]
    assert controls.state_text() == f"Listening at {url} · 0 requests answered"
    assert controls.start_button.text() == "Stop"
    assert window.server_action.isChecked()
    # The status bar says so too, beside the settings dialog.
    assert window.server_indicator.isVisible()
    assert url in window.server_indicator.text()
    qtbot.mouseClick(controls.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == url
    # A real server: the official client lists the models.
    assert [m.id for m in client(url).models.list()] == [
        m.name for m in window.services.registry.list()
    ]

    with qtbot.waitSignal(window.server.stopped, timeout=START_MS):
        qtbot.mouseClick(controls.start_button, Qt.MouseButton.LeftButton)
    assert controls.state_text() == "Stopped"
    assert controls.start_button.text() == "Start"
    assert not window.server_action.isChecked()
    assert not window.server_indicator.isVisible()
    with pytest.raises(openai.APIConnectionError):
        client(url).models.list()
    dialog.reject()


def test_a_port_already_taken_and_a_network_address_without_a_key_are_said_in_words(
    window: MainWindow, qtbot: QtBot
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        dialog, controls = server_page(window, port)
        with qtbot.waitSignal(window.server.failed, timeout=START_MS) as failed:
            qtbot.mouseClick(controls.start_button, Qt.MouseButton.LeftButton)
    message = failed.args[0]
    assert str(port) in message and "Another program may be using the port" in message
    assert "Traceback" not in message
    assert controls.state_text() == message
    assert controls.state_label.property("tone") == "error"
    assert controls.start_button.text() == "Start"
    assert not window.server_action.isChecked()
    assert not window.server_indicator.isVisible()
    # The failure was shown on the page: the chat's banner stays quiet.
    assert not window.chat_page.banner.isVisible()

    set_editor_value(dialog.editors["server.host"], "0.0.0.0")
    set_editor_value(dialog.editors["server.port"], free_port())
    with qtbot.waitSignal(window.server.failed, timeout=START_MS) as failed:
        qtbot.mouseClick(controls.start_button, Qt.MouseButton.LeftButton)
    assert "0.0.0.0" in failed.args[0] and "API key" in failed.args[0]
    assert controls.state_text() == failed.args[0]
    assert window.server.phase == "stopped"
    dialog.reject()


@pytest.mark.model
@requires_model
def test_the_menu_starts_the_server_the_indicator_counts_and_api_use_shows_apart(
    make_window: WindowFactory, home: Path, qtbot: QtBot
) -> None:
    port = free_port()
    write_settings(home, **{"server.port": port})
    window = make_window()
    url = f"http://127.0.0.1:{port}/v1"
    with qtbot.waitSignal(window.server.started, timeout=START_MS):
        window.server_action.trigger()
    assert window.server_action.isChecked()
    assert window.server_indicator.text() == f"API {url} · 0 requests answered"

    model = window.services.registry.list()[0].name
    answers: list[object] = []

    def ask() -> None:
        reply = client(url).chat.completions.create(
            model=model, messages=[{"role": "user", "content": "Say hi."}], max_tokens=4
        )
        answers.append(reply)

    asking = threading.Thread(target=ask)
    asking.start()
    qtbot.waitUntil(
        lambda: window.server_indicator.text() == f"API {url} · 1 request answered",
        timeout=REPLY_TIMEOUT_MS,
    )
    asking.join(10)
    assert answers and answers[0].choices[0].message.content is not None  # type: ignore[attr-defined]

    # The API's conversation is kept out of the chat list, and out of its search.
    store = window.services.store
    api = store.list_conversations(task="api")
    assert len(api) == 1
    window.chat_page.refresh_sidebar()
    assert api[0].id not in window.chat_page.sidebar.ids()
    assert api[0].id in {hit.conversation_id for hit in store.search("Say hi")}
    window.chat_page.sidebar.search_field.setText("Say hi")
    qtbot.waitUntil(lambda: window.chat_page.sidebar.results_label.isVisible())
    assert api[0].id not in window.chat_page.sidebar.ids()
    window.chat_page.sidebar.search_field.clear()

    # The energy dashboard names the API's use.
    dashboard = window.open_energy_dashboard()
    qtbot.waitUntil(lambda: not dashboard.loading, timeout=20_000)
    assert "API requests" in dashboard.task_chart.labels()

    dashboard.close()

    # Ctrl+Shift+L (the menu's keys) stops it; shortcuts reach the active window only.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    keys = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    with qtbot.waitSignal(window.server.stopped, timeout=START_MS):
        qtbot.keyClick(window, Qt.Key.Key_L, keys)
    assert not window.server_action.isChecked()
    assert not window.server_indicator.isVisible()


@pytest.fixture
def api_turns() -> Iterator[list[threading.Event]]:
    """Two releases for API requests that hold the engine; all set when the test ends."""
    releases = [threading.Event(), threading.Event()]
    yield releases
    for release in releases:
        release.set()


def _hold(window: MainWindow, release: threading.Event) -> None:
    """An API request that holds the engine (the server's ApiJob takes turns this way)."""
    with window.services.host.in_use("api"):
        release.wait(60)


def api_request(window: MainWindow, qtbot: QtBot, release: threading.Event) -> threading.Thread:
    """Start an API request that holds the engine until `release` (or waits in line behind
    the ones before it); returns once it holds or waits."""
    turns = window.services.host.turns

    def in_line() -> int:
        state = turns.state()
        return (state.holder == "api") + state.waiting_api

    before = in_line()
    thread = threading.Thread(target=_hold, args=(window, release))
    thread.start()
    qtbot.waitUntil(lambda: in_line() == before + 1)
    return thread


@pytest.mark.model
@requires_model
def test_a_reply_says_how_many_api_requests_it_waits_for(
    window: MainWindow, qtbot: QtBot, api_turns: list[threading.Event]
) -> None:
    first, second = api_turns
    holders = [api_request(window, qtbot, release) for release in api_turns]

    with qtbot.waitSignal(window.chat_page.reply_finished, timeout=REPLY_TIMEOUT_MS) as ended:
        type_and_send(qtbot, window, "Hello")
        qtbot.waitUntil(lambda: window.status_line.state() == "Waiting for 2 API requests…")
        first.set()
        qtbot.waitUntil(lambda: window.status_line.state() == "Waiting for 1 API request…")
        second.set()
    for holder in holders:
        holder.join(10)
    assert isinstance(ended.args[0], ReplyEnded) and ended.args[0].status == "complete"
    assert "API" not in window.status_line.state()


@pytest.mark.model
@requires_model
def test_stop_while_a_reply_waits_for_api_requests_stops_at_once(
    window: MainWindow, qtbot: QtBot, api_turns: list[threading.Event]
) -> None:
    turns = window.services.host.turns
    holder = api_request(window, qtbot, api_turns[0])
    failures: list[str] = []
    window.chat_page.job_failed.connect(failures.append)
    type_and_send(qtbot, window, "Hello there")
    qtbot.waitUntil(lambda: window.status_line.state() == "Waiting for 1 API request…")
    window.chat_page.stop()  # Esc: the API request still runs; this one leaves the line
    stopped = "Stopped before the model was free: nothing was sent to it."
    qtbot.waitUntil(lambda: window.status_line.state() == stopped, timeout=5000)
    assert turns.state().holder == "api" and turns.state().waiting_window == 0
    # Nothing was stored, and nothing is lost: the message is back in the composer.
    assert window.chat_page.composer.text() == "Hello there"
    conversation = window.chat_page.current_id
    assert conversation is None or window.services.store.messages(conversation) == []
    assert failures == []  # a stop the user asked for is not an error
    qtbot.waitUntil(lambda: window.chat_page.composer.send_button.text() == "Send")
    api_turns[0].set()
    holder.join(10)


@pytest.mark.model
@requires_model
def test_a_task_run_says_it_waits_for_an_api_request(
    window: MainWindow, qtbot: QtBot, api_turns: list[threading.Event]
) -> None:
    holder = api_request(window, qtbot, api_turns[0])
    panel = window.show_task("translate")
    panel.input.setPlainText("Good morning.")
    with qtbot.waitSignal(panel.run_finished, timeout=REPLY_TIMEOUT_MS) as ended:
        qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
        waiting = "Waiting for 1 API request…"
        qtbot.waitUntil(lambda: panel.status_label.text() == waiting)
        assert window.status_line.state() == waiting
        api_turns[0].set()
        # Its turn came: the run's own status goes on from where it was.
        qtbot.waitUntil(lambda: panel.status_label.text() != waiting)
    holder.join(10)
    assert isinstance(ended.args[0], TaskEnded) and ended.args[0].status == "complete"
    assert "API" not in panel.status_label.text()
    assert "API" not in window.status_line.state()


def test_it_starts_with_the_window_when_asked_and_a_failure_shows_in_the_banner(
    make_window: WindowFactory, home: Path, qtbot: QtBot
) -> None:
    port = free_port()
    write_settings(home, **{"server.start_with_window": True, "server.port": port})
    window = make_window()
    qtbot.waitUntil(lambda: window.server.running, timeout=START_MS)
    assert window.server_indicator.isVisible() and window.server_action.isChecked()
    window.close()  # stopped with the window: the port is free again
    with socket.socket() as again:
        again.bind(("127.0.0.1", port))

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        write_settings(home, **{"server.port": taken.getsockname()[1]})
        second = make_window()
        qtbot.waitUntil(lambda: second.server.last_failure is not None, timeout=START_MS)
    # Not started from the settings page: the chat's banner says why, in words.
    message = second.server.last_failure
    assert message is not None and "Another program may be using the port" in message
    qtbot.waitUntil(second.chat_page.banner.isVisible)
    assert message in second.chat_page.banner.text()
    assert not second.server_indicator.isVisible() and not second.server_action.isChecked()
