"""The remote engines' models in the window: every picker lists a real llama-cpp-python
server's models under the engine's name, the model manager shows them read-only, a chat
reply runs on the remote model with the status line saying where, and a server that never
answers is shown as not reachable while the window keeps responding."""

from __future__ import annotations

import itertools
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from desktop_llm.core.remote_engines import RemoteEngines, make_config
from desktop_llm.ui.common.model_picker import ModelPicker
from desktop_llm.ui.main_window import MainWindow
from desktop_llm.ui.models.manager_dialog import REMOTE_TAB
from tests.helpers.gguf_factory import require_starter_model
from tests.helpers.gui import WindowFactory, send_and_wait
from tests.helpers.llama_server import LlamaServer, llama_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    log = tmp_path_factory.mktemp("server") / "server.log"
    with llama_server(require_starter_model(), log) as running:
        yield running


def add_engine(home: Path, name: str, url: str, **values: object) -> None:
    RemoteEngines(home / "config" / "engines.json").add(make_config(name, url=url, **values))


def pickers(window: MainWindow) -> list[ModelPicker]:
    return [
        window.chat_page.model_picker,
        window.chat_page.settings_panel.model_picker,
        *(panel.model_picker for panel in window.panels.values()),
    ]


def listed(window: MainWindow) -> bool:
    return not window.remote_models.loading and bool(window.remote_models.groups())


def choose(picker: ModelPicker, name: str) -> None:
    """As a user picks an entry of the list."""
    index = picker.findData(name)
    assert index >= 0, name
    picker.setCurrentIndex(index)
    picker.activated.emit(index)


def test_every_picker_lists_the_servers_models_under_the_engine(
    qtbot: QtBot, make_window: WindowFactory, home: Path, server: LlamaServer
) -> None:
    add_engine(home, "llama-box", server.url)
    window = make_window()
    qtbot.waitUntil(lambda: listed(window), timeout=15_000)
    title = f"llama-box ({server.host})"
    for picker in pickers(window):
        texts = [picker.itemText(i) for i in range(picker.count())]
        heading = texts.index(title)
        assert texts[heading + 1] == "    smol"
        assert picker.itemData(heading + 1) == "llama-box/smol"
        assert picker.itemData(heading) is None  # the heading cannot be chosen
        assert "llama-box/smol" in picker.names()
        assert picker.remote_engine("llama-box/smol") == "llama-box"
        assert texts[-1] == "Manage models…"
    # The model manager: a section per engine, read-only.
    manager = window.open_model_manager(REMOTE_TAB)
    assert manager.remote is not None
    tree = manager.remote.tree
    section = tree.topLevelItem(0)
    assert section.text(0) == title and section.child(0).text(0) == "smol"
    assert not hasattr(manager.remote, "delete_button")


def test_a_chat_reply_runs_on_the_remote_model(
    qtbot: QtBot, make_window: WindowFactory, home: Path, server: LlamaServer
) -> None:
    add_engine(home, "llama-box", server.url)
    window = make_window()
    qtbot.waitUntil(lambda: listed(window), timeout=15_000)
    choose(window.chat_page.model_picker, "llama-box/smol")
    states: list[str] = []
    window.chat_page.state_changed.connect(states.append)
    ended = send_and_wait(qtbot, window, "Say hello in three words.")
    assert ended.status == "complete" and ended.content.strip()
    assert ended.model_name == "llama-box/smol"
    assert "Answering on llama-box…" in states
    assert window.status_line.page_status("chat").device == f"remote ({server.host})"
    # The chat keeps its remote model: a new window picks it again once the list comes.
    store = window.services.store
    assert store.get_conversation(window.chat_page.current_id).model == "llama-box/smol"


def test_a_server_that_never_answers_is_not_reachable_and_nothing_freezes(
    qtbot: QtBot, make_window: WindowFactory, home: Path, server: LlamaServer
) -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        add_engine(home, "quiet", f"http://127.0.0.1:{port}/v1", silence_timeout_s=2)
        add_engine(home, "llama-box", server.url)
        ticks: list[float] = []
        timer = QTimer()
        timer.setInterval(20)
        timer.timeout.connect(lambda: ticks.append(time.monotonic()))
        timer.start()
        started = time.monotonic()
        window = make_window()
        try:
            # The live server's models come first; the silent one does not hold them up.
            picker = window.chat_page.model_picker
            qtbot.waitUntil(lambda: "llama-box/smol" in picker.names(), timeout=10_000)
            assert any(g.engine == "quiet" and g.loading for g in picker.remote_groups())
            texts = [picker.itemText(i) for i in range(picker.count())]
            assert "    listing its models…" in texts
            qtbot.waitUntil(lambda: not window.remote_models.loading, timeout=20_000)
        finally:
            timer.stop()
        quiet = next(g for g in picker.remote_groups() if g.engine == "quiet")
        assert quiet.error is not None and "sent nothing" in quiet.error
        texts = [picker.itemText(i) for i in range(picker.count())]
        assert f"quiet (127.0.0.1:{port})" in texts and "    not reachable" in texts
        line = texts.index("    not reachable")
        assert picker.itemData(line) is None
        waited = [b - a for a, b in itertools.pairwise(ticks) if a > started + 1.0]
        assert waited and max(waited) < 0.5, max(waited)  # the GUI thread kept turning
