"""Offline, the list of downloads says so: Resume and Try again are off with the reason
(tooltip and a line in the row), a failure's stale "offline" message is not left behind,
and they come back on once the Hub is reached (real downloads from the loopback Hub)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_llm.core.services import open_services
from desktop_llm.ui.models.download_manager import DownloadManager
from desktop_llm.ui.models.downloads import DownloadsView
from desktop_llm.ui.models.manager_dialog import ModelManagerDialog
from tests.helpers.gguf_factory import tiny_metadata, write_gguf
from tests.helpers.hub_server import FakeHub, closed_port

REPO = "me/tiny-GGUF"
MB = 1 << 20
WAIT_MS = 30_000
OFFLINE_REASON = "offline mode is on (HF_HUB_OFFLINE), so the Hugging Face Hub is not contacted."


def gguf_of(path: Path, mb: int = 2) -> Path:
    n = mb * MB // 4
    md = tiny_metadata(name=path.name)
    return write_gguf(path, md, [("token_embd.weight", "F32", (1024, n // 1024))])


def download_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("download-")]


@pytest.fixture
def models(tmp_path: Path) -> Path:
    d = tmp_path / "models"
    d.mkdir()
    return d


@pytest.fixture
def manager(models: Path, qtbot: QtBot) -> Iterator[DownloadManager]:
    m = DownloadManager(models, backoff_base=0.05)
    yield m
    m.shutdown()
    assert download_threads() == []


def make_view(manager: DownloadManager, qtbot: QtBot) -> DownloadsView:
    view = DownloadsView(manager)
    qtbot.addWidget(view)
    view.show()
    return view


def test_a_paused_download_cannot_resume_offline_and_says_why(
    hub: FakeHub,
    manager: DownloadManager,
    models: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
):
    f = gguf_of(tmp_path / "pausable-q4_0.gguf", 4)
    served = hub.add_file(REPO, f, chunk_delay=0.01)
    manager.start(REPO, f.name)
    view = make_view(manager, qtbot)
    qtbot.waitUntil(lambda: view.row_for(REPO, f.name) is not None, timeout=WAIT_MS)
    row = view.row_for(REPO, f.name)
    qtbot.waitUntil(lambda: row.snapshot.bytes_done > 200_000, timeout=WAIT_MS)
    qtbot.mouseClick(row.pause_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: row.snapshot.state == "paused", timeout=WAIT_MS)
    assert row.resume_button.isEnabled() and row.offline_label.isHidden()

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    offline = make_view(manager, qtbot)  # the manager opened while offline
    row = offline.row_for(REPO, f.name)
    assert row is not None and row.resume_button.isVisible()
    assert not row.resume_button.isEnabled()
    why = f"Resuming needs the Hugging Face Hub: {OFFLINE_REASON}"
    assert row.resume_button.toolTip() == why
    assert row.offline_label.isVisible() and row.offline_label.text() == why
    qtbot.mouseClick(row.resume_button, Qt.MouseButton.LeftButton)
    qtbot.wait(100)
    assert row.snapshot.state == "paused"  # a disabled button does nothing

    monkeypatch.delenv("HF_HUB_OFFLINE")
    offline.set_offline(None)  # the Hub is reached again (Discover found it)
    assert row.resume_button.isEnabled() and row.resume_button.toolTip() == ""
    assert row.offline_label.isHidden()
    served.faults.chunk_delay = 0
    with qtbot.waitSignal(manager.finished, timeout=WAIT_MS) as done:
        qtbot.mouseClick(row.resume_button, Qt.MouseButton.LeftButton)
    assert done.args[0].state == "done"
    assert (models / f.name).read_bytes() == f.read_bytes()


def test_a_download_that_failed_offline_leaves_no_stale_message(
    hub: FakeHub,
    manager: DownloadManager,
    models: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
):
    f = gguf_of(tmp_path / "later-q4_0.gguf", 1)
    hub.add_file(REPO, f)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    view = make_view(manager, qtbot)
    with qtbot.waitSignal(manager.finished, timeout=WAIT_MS) as failed:
        manager.start(REPO, f.name)
    assert failed.args[0].state == "failed"
    assert "Unset HF_HUB_OFFLINE" in (failed.args[0].error or "")
    row = view.row_for(REPO, f.name)
    assert row.state_label.text() == "Failed"
    # The row says what holds now, once, instead of the core's advice to unset a variable.
    assert row.error_label.isHidden()
    why = f"Trying again needs the Hugging Face Hub: {OFFLINE_REASON}"
    assert row.offline_label.text() == why and row.resume_button.toolTip() == why
    assert row.resume_button.text() == "Try again" and not row.resume_button.isEnabled()

    monkeypatch.delenv("HF_HUB_OFFLINE")
    view.set_offline(None)
    # Online again: "offline mode is on" is no longer true, so it is not shown either.
    assert row.error_label.isHidden() and row.offline_label.isHidden()
    assert row.resume_button.isEnabled()
    with qtbot.waitSignal(manager.finished, timeout=WAIT_MS) as done:
        qtbot.mouseClick(row.resume_button, Qt.MouseButton.LeftButton)
    assert done.args[0].state == "done"
    assert row.error_label.isHidden()
    assert (models / f.name).is_file()


def test_the_manager_passes_what_discover_finds_to_the_downloads(
    hub: FakeHub,
    manager: DownloadManager,
    home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
):
    f = gguf_of(tmp_path / "elsewhere-q4_0.gguf", 1)
    hub.add_file(REPO, f)
    endpoint = f"http://127.0.0.1:{closed_port()}"
    monkeypatch.setenv("HF_ENDPOINT", endpoint)
    with qtbot.waitSignal(manager.finished, timeout=WAIT_MS):
        manager.start(REPO, f.name)  # no Hub there: it fails
    services = open_services()
    dialog = ModelManagerDialog(services, manager)
    qtbot.addWidget(dialog)
    try:
        dialog.show()
        row = dialog.downloads_view.row_for(REPO, f.name)
        assert row is not None and row.snapshot.state == "failed"
        # Discover tries the Hub, finds it out of reach, and the downloads follow.
        qtbot.waitUntil(lambda: dialog.discover.offline is not None, timeout=WAIT_MS)
        assert not row.resume_button.isEnabled()
        assert row.offline_label.text() == (
            f"Trying again needs the Hugging Face Hub: cannot reach the Hugging Face Hub at "
            f"{endpoint}."
        )
        assert row.error_label.isHidden()
        dialog.discover.offline_changed.emit(None)  # reached again (a search came back)
        assert row.resume_button.isEnabled() and row.offline_label.isHidden()
        dialog.show_status("Downloaded x.gguf; it is in the Installed list now.")
        dialog.show_tab(1)
        assert dialog.status_label.text() == ""  # a line about the other tab goes
    finally:
        dialog.shutdown()
        services.close()
