"""Idle unload in the window: the status line says the model was unloaded, and that it
loads again when the next message is sent; a change in the settings dialog applies at once."""

from __future__ import annotations

from pathlib import Path

import psutil
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_llm.core.model_host import ModelLoading
from tests.helpers.gui import WindowFactory, requires_model, send_and_wait, write_settings


@requires_model
def test_the_status_line_shows_the_unload_and_the_next_message_is_answered(
    qtbot: QtBot, make_window: WindowFactory, home: Path
) -> None:
    write_settings(home, **{"engine.idle_unload_minutes": 0})
    window = make_window()
    first = send_and_wait(qtbot, window, "Hello")
    assert first.status == "complete"
    pid = window.services.host.pid
    assert pid is not None

    # Turned on in the settings dialog: it applies without a restart.
    dialog = window.open_settings()
    dialog.editors["engine.idle_unload_minutes"].setValue(0.1)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert window.services.settings["engine.idle_unload_minutes"] == 0.1

    status = window.status_line
    qtbot.waitUntil(lambda: "unloaded" in status.state(), timeout=30_000)
    assert status.state() == "Model unloaded after 0.1 min idle to free memory"
    assert not psutil.pid_exists(pid) and window.services.host.pid is None

    # Connected after the window's own slot, so each event's state is already shown.
    loading: list[tuple[ModelLoading, str]] = []
    window.engine.event.connect(
        lambda event: (
            loading.append((event, status.state())) if isinstance(event, ModelLoading) else None
        )
    )
    second = send_and_wait(qtbot, window, "Hello again")
    assert second.status == "complete" and second.content.strip()
    assert [(e.again_after_idle, state) for e, state in loading] == [
        (True, f"Loading {first.model_name} again (it was unloaded to save memory)…")
    ]
    assert window.services.host.pid not in (None, pid)
    assert status.state() == "Ready"
