"""Discover and downloads in the window: the catalog, a Hub search, file listings with fit
hints, and real downloads from the loopback Hub (tests/hub_server.py), with faults."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStatusBar
from pytestqt.qtbot import QtBot

from desktop_llm.core.models.catalog import load_catalog
from desktop_llm.core.models.download import DOWNLOADS_DIRNAME, PROGRESS_INTERVAL, DownloadSnapshot
from desktop_llm.core.models.gguf_file import format_bytes
from desktop_llm.core.services import open_services
from desktop_llm.ui.models.discover_view import DiscoverView
from desktop_llm.ui.models.download_manager import DownloadManager
from desktop_llm.ui.models.downloads import (
    DownloadIndicator,
    DownloadsView,
    format_duration,
    progress_words,
)
from desktop_llm.ui.models.manager_dialog import DISCOVER_TAB, ModelManagerDialog
from tests.gui.conftest import WindowFactory
from tests.helpers.gguf_factory import tiny_metadata, write_gguf
from tests.helpers.hub_server import FakeHub, closed_port

REPO = "me/tiny-GGUF"
MB = 1 << 20
WAIT_MS = 30_000


def gguf_of(path: Path, mb: int = 2) -> Path:
    """A valid GGUF of about mb MiB (the name is in its metadata, so files differ)."""
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


@pytest.fixture
def make_discover(manager: DownloadManager, qtbot: QtBot) -> Iterator:
    views: list[DiscoverView] = []

    def make(context_length: int = 2048, offload: bool = False) -> DiscoverView:
        view = DiscoverView(manager, context_length=context_length, offload=offload)
        qtbot.addWidget(view)
        view.resize(1000, 700)
        view.show()
        views.append(view)
        return view

    yield make
    for view in views:
        view.shutdown()


def installed(models: Path) -> list[str]:
    return sorted(p.name for p in models.iterdir() if p.suffix == ".gguf")


def partials(models: Path) -> list[str]:
    d = models / DOWNLOADS_DIRNAME
    return sorted(p.name for p in d.iterdir()) if d.exists() else []


def list_texts(view: DiscoverView) -> list[str]:
    return [view.model_list.item(i).text() for i in range(view.model_list.count())]


# --- wording ---------------------------------------------------------------------------


def test_durations_and_progress_in_words(manager: DownloadManager):
    assert format_duration(45) == "45 s"
    assert format_duration(80) == "1 min 20 s"
    assert format_duration(120) == "2 min"
    assert format_duration(2 * 3600 + 5 * 60 + 7) == "2 h 5 min"
    snap = DownloadSnapshot(
        "a/b", "x.gguf", "main", "running", 412_000_000, 1_100_000_000, 8_300_000, 80.0,
        None, None, None,  # type: ignore[arg-type]
    )  # fmt: skip
    assert progress_words(snap) == "412.0 MB of 1.1 GB · 8.3 MB/s · 1 min 20 s left"


# --- catalog, search and listings ------------------------------------------------------


def test_search_lists_repos_by_downloads_and_files_with_fit_hints(
    hub: FakeHub, make_discover, tmp_path: Path, qtbot: QtBot
):
    hub.add_repo("someone/Tiny-GGUF", downloads=10, likes=1)
    hub.add_repo("popular/Tiny-Chat-GGUF", downloads=5000, likes=321)
    hub.add_repo("middle/tiny-instruct-GGUF", downloads=70, likes=4)
    hub.add_repo("other/not-a-match-GGUF", downloads=99999)
    small = gguf_of(tmp_path / "tiny-chat-q4_k_m.gguf", 1)
    big = gguf_of(tmp_path / "tiny-chat-q8_0.gguf", 2)
    hub.add_file("popular/Tiny-Chat-GGUF", small)
    hub.add_file("popular/Tiny-Chat-GGUF", big)

    view = make_discover()
    view.search("tiny")
    assert view.status_label.text() == "Searching…"
    qtbot.waitUntil(lambda: view.mode == "search", timeout=WAIT_MS)
    texts = list_texts(view)
    assert [t.split("\n")[0] for t in texts] == [
        "popular/Tiny-Chat-GGUF",
        "middle/tiny-instruct-GGUF",
        "someone/Tiny-GGUF",
    ]
    assert "5,000 downloads" in texts[0] and "321 likes" in texts[0]
    assert "↓ 10 downloads · ♥ 1 like" in texts[2]
    assert view.status_label.isHidden()
    assert view.offline_label.isHidden()

    view.model_list.setCurrentRow(0)
    qtbot.waitUntil(lambda: len(view.file_rows) == 2, timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: all(r.hint is not None for r in view.file_rows.values()), timeout=WAIT_MS
    )
    row = view.file_rows[small.name]
    assert row.size_label.text() == "· " + format_bytes(small.stat().st_size)  # exact: no "≈"
    assert row.entry.exact and row.entry.sha256
    assert row.quant_label.text().startswith("<b>Q4_K_M</b>")
    assert "4-bit" in row.explain_label.text()
    assert row.fit_label.text().startswith("Fits: Needs about")
    assert "2,048 tokens" in row.fit_label.text()
    assert view.file_rows[big.name].entry.quantization == "Q8_0"
    assert hub.unknown == []


def test_a_newer_search_supersedes_an_older_one(hub: FakeHub, make_discover, qtbot: QtBot):
    hub.add_repo("a/alpha-GGUF", downloads=1)
    hub.add_repo("b/beta-GGUF", downloads=2)
    view = make_discover()
    view.search("alpha")
    view.search("beta")
    qtbot.waitUntil(lambda: view.mode == "search", timeout=WAIT_MS)
    # Both answers land; only the newest one counts.
    qtbot.wait(300)
    assert [t.split("\n")[0] for t in list_texts(view)] == ["b/beta-GGUF"]
    view.search("")  # an empty search goes back to the catalog
    assert view.mode == "catalog"


def test_catalog_model_lists_its_files_then_the_hubs_exact_ones(
    hub: FakeHub, make_discover, tmp_path: Path, qtbot: QtBot
):
    catalog = load_catalog()
    first = catalog[0]
    view = make_discover()
    assert len(list_texts(view)) == len(catalog)
    assert view.current_repo == first.repo  # the first model is chosen at once
    # Before the Hub answers: the catalog's files, approximate sizes.
    assert set(view.file_rows) >= {f.filename for f in first.files}
    assert view.file_rows[first.recommended_file.filename].size_label.text().startswith("· ≈ ")
    # The repo is not served: the catalog's files stay, and the view says why.
    qtbot.waitUntil(lambda: "No such repository" in view.files_status.text(), timeout=WAIT_MS)
    assert "catalog's estimates" in view.files_status.text()
    assert view.offline_label.isHidden()

    # Served: the Hub's exact listing replaces the estimate.
    served = gguf_of(tmp_path / first.recommended_file.filename, 1)
    hub.add_file(first.repo, served)
    view.select_repo(catalog[1].repo)
    view.select_repo(first.repo)
    qtbot.waitUntil(
        lambda: list(view.file_rows) == [served.name] and view.file_rows[served.name].entry.exact,
        timeout=WAIT_MS,
    )
    row = view.file_rows[served.name]
    assert row.size_label.text() == "· " + format_bytes(served.stat().st_size)
    assert "recommended" in row.quant_label.text()
    assert view.offline_label.isHidden()
    assert row.download_button.isEnabled() and not row.download_button.toolTip()
    assert first.licence in view.about_label.text()
    qtbot.waitUntil(lambda: row.hint is not None, timeout=WAIT_MS)


def test_offline_mode_shows_the_offline_label_and_the_catalog(
    hub: FakeHub, make_discover, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    view = make_discover()
    assert view.offline_label.isVisible()
    text = view.offline_label.text()
    assert text.startswith("You are offline")
    assert "Installed models keep working; the catalog is shown from the app itself." in text
    assert "Downloads wait until the Hub can be reached." in text
    assert len(list_texts(view)) == len(load_catalog())
    # The catalog's files still show, with fit hints (no network needed for those).
    qtbot.waitUntil(
        lambda: bool(view.file_rows) and all(r.hint for r in view.file_rows.values()),
        timeout=WAIT_MS,
    )
    # Every Download button is off, and says why (not "Unset HF_HUB_OFFLINE" after a click).
    for row in view.file_rows.values():
        assert row.download_button.isVisible() and not row.download_button.isEnabled()
        assert row.download_button.toolTip() == (
            "Downloading needs the Hugging Face Hub: offline mode is on (HF_HUB_OFFLINE), "
            "so the Hugging Face Hub is not contacted."
        )
    view.download(next(iter(view.file_rows)))
    assert view.manager.snapshots() == []
    view.select_repo(load_catalog()[1].repo)  # another model's rows are off too
    qtbot.waitUntil(lambda: not view.busy, timeout=WAIT_MS)
    assert view.file_rows
    assert not any(r.download_button.isEnabled() for r in view.file_rows.values())
    view.search("qwen")
    qtbot.waitUntil(lambda: not view.busy, timeout=WAIT_MS)
    assert view.mode == "catalog"
    assert view.offline_label.isVisible()
    assert hub.requests == []


def test_no_server_shows_the_offline_label(
    make_discover, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
):
    endpoint = f"http://127.0.0.1:{closed_port()}"
    monkeypatch.setenv("HF_ENDPOINT", endpoint)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    view = make_discover()
    qtbot.waitUntil(lambda: view.offline_label.isVisible(), timeout=WAIT_MS)
    assert view.offline_label.text() == (
        f"You are offline: cannot reach the Hugging Face Hub at {endpoint}. "
        "Installed models keep working; the catalog is shown from the app itself. "
        "Downloads wait until the Hub can be reached."
    )
    assert view.file_rows
    for row in view.file_rows.values():
        assert not row.download_button.isEnabled()
        assert row.download_button.toolTip() == (
            "Downloading needs the Hugging Face Hub: cannot reach the Hugging Face Hub at "
            f"{endpoint}."
        )
    view.search("qwen")
    qtbot.waitUntil(lambda: view.status_label.isHidden(), timeout=WAIT_MS)
    assert view.mode == "catalog"
    assert len(list_texts(view)) == len(load_catalog())


def test_will_not_fit_asks_first(hub: FakeHub, make_discover, tmp_path: Path, qtbot: QtBot):
    f = gguf_of(tmp_path / "huge-q4_k_m.gguf", 1)
    hub.add_file(REPO, f, fake_size=50 * 10**12)  # 50 TB advertised
    view = make_discover()
    view.search("tiny")
    qtbot.waitUntil(lambda: view.mode == "search" and bool(view.repos), timeout=WAIT_MS)
    view.select_repo(REPO)
    qtbot.waitUntil(
        lambda: f.name in view.file_rows and view.file_rows[f.name].hint is not None,
        timeout=WAIT_MS,
    )
    row = view.file_rows[f.name]
    assert row.fit_label.text().startswith("Will not fit: ")
    asked: list[str] = []
    view.confirm_will_not_fit = lambda entry, hint: asked.append(entry.filename) or False
    qtbot.mouseClick(row.download_button, Qt.MouseButton.LeftButton)
    assert asked == [f.name]
    assert view.manager.snapshots() == []


# --- downloads -------------------------------------------------------------------------


def test_download_from_the_listing_completes_with_a_full_progress_row(
    hub: FakeHub, make_discover, manager: DownloadManager, models: Path, tmp_path: Path,
    qtbot: QtBot,
):  # fmt: skip
    f = gguf_of(tmp_path / "tiny-q4_k_m.gguf", 3)
    hub.add_file(REPO, f, chunk_delay=0.002)
    view = make_discover()
    downloads = DownloadsView(manager)
    indicator = DownloadIndicator(manager)
    bar = QStatusBar()
    bar.addPermanentWidget(indicator)  # as the window does
    qtbot.addWidget(downloads)
    qtbot.addWidget(bar)
    downloads.show()
    bar.show()
    assert indicator.isHidden()  # nothing active
    seen: list[DownloadSnapshot] = []
    manager.changed.connect(seen.append)
    indicator_texts: list[str] = []
    manager.changed.connect(
        lambda _s: indicator_texts.append(indicator.text() if indicator.isVisible() else "")
    )

    view.search("tiny")
    qtbot.waitUntil(lambda: bool(view.repos), timeout=WAIT_MS)
    view.select_repo(REPO)
    qtbot.waitUntil(lambda: f.name in view.file_rows, timeout=WAIT_MS)
    row = view.file_rows[f.name]
    with qtbot.waitSignal(manager.finished, timeout=WAIT_MS) as done:
        qtbot.mouseClick(row.download_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: row.download_button.isHidden(), timeout=WAIT_MS)
        assert row.state_label.isVisible()
    snap: DownloadSnapshot = done.args[0]
    assert snap.state == "done"
    assert snap.path == models / f.name
    assert snap.path.read_bytes() == f.read_bytes()
    assert installed(models) == [f.name]
    assert partials(models) == []

    drow = downloads.row_for(REPO, f.name)
    assert drow is not None
    assert drow.progress.value() == drow.progress.maximum()
    assert drow.state_label.text() == "Installed"
    assert drow.show_button.isVisible() and not drow.pause_button.isVisible()
    assert row.state_label.text() == "Installed"
    qtbot.waitUntil(lambda: indicator.isHidden(), timeout=WAIT_MS)
    assert manager.active_count == 0
    assert any(t.startswith("↓ 1 download · ") for t in indicator_texts)
    # Throttled: never more than about 10 progress signals a second per download.
    running = [s for s in seen if s.state == "running"]
    assert running, "no progress was shown"
    assert any(s.bytes_done and s.total for s in running)


def test_progress_signals_are_throttled(
    hub: FakeHub, manager: DownloadManager, tmp_path: Path, qtbot: QtBot
):
    import time

    f = gguf_of(tmp_path / "slow-q4_0.gguf", 2)
    hub.add_file(REPO, f, chunk_delay=0.03)  # 32 chunks: about 1 s
    times: list[float] = []
    manager.changed.connect(
        lambda s: times.append(time.monotonic()) if s.state == "running" else None
    )
    started = time.monotonic()
    with qtbot.waitSignal(manager.finished, timeout=WAIT_MS):
        manager.start(REPO, f.name)
    elapsed = time.monotonic() - started
    # The core reports progress at most every PROGRESS_INTERVAL; the window only coalesces
    # (a busy GUI thread gets the newest snapshot), so it never shows more than that.
    assert len(times) >= 3
    assert len(times) <= elapsed / PROGRESS_INTERVAL + 2


def test_dropped_connection_still_completes(
    hub: FakeHub, manager: DownloadManager, models: Path, tmp_path: Path, qtbot: QtBot
):
    f = gguf_of(tmp_path / "flaky-q4_0.gguf", 2)
    served = hub.add_file(REPO, f, drop_after=700_000, drop_times=2)
    with qtbot.waitSignal(manager.finished, timeout=WAIT_MS) as done:
        manager.start(REPO, f.name)
    assert done.args[0].state == "done"
    assert (models / f.name).read_bytes() == f.read_bytes()
    assert served.gets == 3
    # Each retry resumes where the partial ends (whole chunks kept), never from zero.
    starts = [int(r.removeprefix("bytes=").rstrip("-")) for r in hub.ranges(f.name)[1:]]
    assert len(starts) == 2 and 0 < starts[0] < starts[1] < f.stat().st_size


def test_wrong_hash_fails_with_the_checksum_message_and_installs_nothing(
    hub: FakeHub, manager: DownloadManager, models: Path, tmp_path: Path, qtbot: QtBot
):
    f = gguf_of(tmp_path / "bad-q4_0.gguf", 1)
    hub.add_file(REPO, f, wrong_sha256=True)
    view = DownloadsView(manager)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(manager.finished, timeout=WAIT_MS) as done:
        manager.start(REPO, f.name)  # the queue asks the Hub for size and sha256
    snap = done.args[0]
    assert snap.state == "failed"
    assert "does not match the Hub's checksum" in snap.error
    row = view.row_for(REPO, f.name)
    assert row is not None
    assert row.error_label.isVisible()
    assert "does not match the Hub's checksum" in row.error_label.text()
    assert row.state_label.text() == "Failed"
    assert row.resume_button.text() == "Try again"
    assert row.cancel_button.isHidden()  # the partial is gone already: nothing to delete
    assert installed(models) == []
    assert partials(models) == []


def test_pause_then_resume_completes(
    hub: FakeHub, manager: DownloadManager, models: Path, tmp_path: Path, qtbot: QtBot
):
    f = gguf_of(tmp_path / "pausable-q4_0.gguf", 4)
    served = hub.add_file(REPO, f, chunk_delay=0.01)
    view = DownloadsView(manager)
    qtbot.addWidget(view)
    view.show()
    manager.start(REPO, f.name)
    qtbot.waitUntil(lambda: view.row_for(REPO, f.name) is not None, timeout=WAIT_MS)
    row = view.row_for(REPO, f.name)
    qtbot.waitUntil(lambda: row.snapshot.bytes_done > 200_000, timeout=WAIT_MS)
    qtbot.mouseClick(row.pause_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: row.snapshot.state == "paused", timeout=WAIT_MS)
    assert row.resume_button.isVisible() and row.state_label.text().startswith("Paused")
    assert any(p.endswith(".part") for p in partials(models))
    assert any(p.endswith(".part.json") for p in partials(models))
    assert manager.active_count == 1  # paused still counts
    served.faults.chunk_delay = 0
    with qtbot.waitSignal(manager.finished, timeout=WAIT_MS) as done:
        qtbot.mouseClick(row.resume_button, Qt.MouseButton.LeftButton)
    assert done.args[0].state == "done"
    assert (models / f.name).read_bytes() == f.read_bytes()
    assert any(r and r != "bytes=0-" for r in hub.ranges(f.name)[1:])  # resumed, not restarted
    qtbot.waitUntil(lambda: manager.active_count == 0, timeout=WAIT_MS)


def test_cancel_removes_the_partial(
    hub: FakeHub, manager: DownloadManager, models: Path, tmp_path: Path, qtbot: QtBot
):
    f = gguf_of(tmp_path / "cancelled-q4_0.gguf", 4)
    hub.add_file(REPO, f, chunk_delay=0.02)
    view = DownloadsView(manager)
    qtbot.addWidget(view)
    view.show()
    view.confirm_cancel = lambda snap: pytest.fail("a small download is cancelled without asking")
    manager.start(REPO, f.name)
    qtbot.waitUntil(lambda: view.row_for(REPO, f.name) is not None, timeout=WAIT_MS)
    row = view.row_for(REPO, f.name)
    qtbot.waitUntil(lambda: row.snapshot.bytes_done > 100_000, timeout=WAIT_MS)
    with qtbot.waitSignal(manager.finished, timeout=WAIT_MS) as done:
        qtbot.mouseClick(row.cancel_button, Qt.MouseButton.LeftButton)
    assert done.args[0].state == "cancelled"
    assert partials(models) == []
    assert installed(models) == []
    assert row.state_label.text() == "Cancelled"
    assert not row.cancel_button.isVisible()
    assert view.clear_button.isEnabled()
    view.clear_finished()
    assert view.row_for(REPO, f.name) is None
    assert view.empty_label.isVisible()


def test_shutdown_keeps_the_partial_and_a_new_manager_finishes_it(
    hub: FakeHub, models: Path, tmp_path: Path, qtbot: QtBot
):
    f = gguf_of(tmp_path / "interrupted-q4_0.gguf", 4)
    served = hub.add_file(REPO, f, chunk_delay=0.02)
    first = DownloadManager(models)
    try:
        first.start(REPO, f.name)
        qtbot.waitUntil(
            lambda: (s := first.find(REPO, f.name)) is not None and s.bytes_done > 200_000,
            timeout=WAIT_MS,
        )
    finally:
        first.shutdown()
    first.shutdown()  # idempotent
    assert download_threads() == []
    assert sorted(partials(models)) == [
        f"me--tiny-GGUF--{f.name}.part",
        f"me--tiny-GGUF--{f.name}.part.json",
        f"me--tiny-GGUF--{f.name}.part.lock",  # free: no process holds it
    ]
    assert installed(models) == []
    assert first.find(REPO, f.name).state == "paused"

    served.faults.chunk_delay = 0
    second = DownloadManager(models)
    try:
        with qtbot.waitSignal(second.finished, timeout=WAIT_MS) as done:
            assert second.resume_interrupted() == 1
        assert done.args[0].state == "done"
        assert (models / f.name).read_bytes() == f.read_bytes()
        assert partials(models) == []
    finally:
        second.shutdown()
    assert download_threads() == []


def test_starter_model_downloads_from_the_loopback_hub(
    hub: FakeHub, manager: DownloadManager, models: Path, qtbot: QtBot, starter_model: Path
):
    repo = "HuggingFaceTB/SmolLM2-135M-Instruct-GGUF"
    hub.add_file(repo, starter_model)
    indicator = DownloadIndicator(manager)
    qtbot.addWidget(indicator)
    with qtbot.waitSignal(manager.finished, timeout=120_000) as done:
        manager.start(repo, starter_model.name)
    assert done.args[0].state == "done"
    assert done.args[0].path == models / starter_model.name
    assert (models / starter_model.name).stat().st_size == starter_model.stat().st_size
    assert indicator.isHidden()


def test_shutdown_does_not_wait_for_a_silent_hub(
    manager: DownloadManager, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
):
    import socket
    import time

    from desktop_llm.ui.models import discover_view

    silent = socket.socket()  # accepts connections (backlog) and never answers
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{silent.getsockname()[1]}")
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr(discover_view, "SHUTDOWN_WAIT_MS", 300)
    view = DiscoverView(manager, context_length=2048, offload=False)
    qtbot.addWidget(view)
    view.search("anything")
    assert view.busy
    pool = view._pool
    start = time.monotonic()
    view.shutdown()
    assert time.monotonic() - start < 3
    assert pool.parent() is not view  # left to finish on its own
    silent.close()  # the calls in flight now fail at once
    assert pool.waitForDone(15_000)
    pool.deleteLater()


def test_fit_hints_follow_the_engine_settings_while_the_manager_is_open(
    hub: FakeHub, manager: DownloadManager, home: Path, tmp_path: Path, qtbot: QtBot
):
    hub.add_repo("popular/Tiny-Chat-GGUF", downloads=5000)
    small = gguf_of(tmp_path / "tiny-chat-q4_k_m.gguf", 1)
    hub.add_file("popular/Tiny-Chat-GGUF", small)
    services = open_services()
    dialog = ModelManagerDialog(services, manager)
    qtbot.addWidget(dialog)
    try:
        dialog.show()
        dialog.show_tab(DISCOVER_TAB)
        view = dialog.discover
        view.search("tiny")
        qtbot.waitUntil(lambda: view.mode == "search", timeout=WAIT_MS)
        view.model_list.setCurrentRow(0)

        def hint_for(tokens: str) -> bool:
            row = view.file_rows.get(small.name)
            return (
                row is not None
                and row.hint is not None
                and f"for {tokens} tokens" in (row.fit_label.text())
            )

        qtbot.waitUntil(lambda: hint_for("1,024"), timeout=WAIT_MS)  # the home's setting
        services.settings.set("engine.context_length", 8192)
        qtbot.waitUntil(lambda: hint_for("8,192"), timeout=WAIT_MS)
        # A change made on another thread reaches the dialog on the GUI thread.
        worker = threading.Thread(
            target=services.settings.set, args=("engine.context_length", 4096)
        )
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: hint_for("4,096"), timeout=WAIT_MS)

        dialog.close()  # no longer listening...
        services.settings.set("engine.context_length", 2048)
        qtbot.wait(300)
        assert view.context_length == 4096 and hint_for("4,096")
        dialog.show()  # ...and brought up to date when shown again
        qtbot.waitUntil(lambda: hint_for("2,048"), timeout=WAIT_MS)
    finally:
        dialog.shutdown()
        services.close()


def test_discover_says_which_hub_it_searches(
    make_window: WindowFactory, hub: FakeHub, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    """hub.endpoint set in the settings: Discover names the mirror, and its search goes
    there (the window's own path: Services.hub())."""
    monkeypatch.delenv("HF_ENDPOINT")
    hub.add_repo("someone/mirrored-GGUF", downloads=7)
    window = make_window()
    window.services.settings.set("hub.endpoint", hub.url)
    dialog = window.open_model_manager(tab=1)
    view = dialog.discover
    assert hub.url.rstrip("/") in view.endpoint_label.text()
    assert "mirror" in view.endpoint_label.text()
    view.search("mirrored")
    qtbot.waitUntil(lambda: view.model_list.count() == 1, timeout=10_000)
    assert any(r.path == "/api/models" for r in hub.requests)
    window.services.settings.set("hub.endpoint", "")
    view.hide()
    view.show()
    assert view.endpoint_label.text() == "Searching the Hugging Face Hub (https://huggingface.co)."


def shown_text(rich: str) -> str:
    """What a rich-text label shows, as text (an <img> would be an object character)."""
    from PySide6.QtGui import QTextDocument

    document = QTextDocument()
    document.setHtml(rich)
    return document.toPlainText()


def test_hub_data_shows_literally_never_as_markup(hub: FakeHub, make_discover, qtbot: QtBot):
    """A Hub id (and its author) carrying <img>, <a href> and <b> is shown as those
    characters: never a picture loaded from disk, a link or bold text."""
    hostile = "<b>me</b>/<img src=x><a href='file:///etc/passwd'>tiny</a>-GGUF"
    hub.add_repo(hostile, downloads=3)
    view = make_discover()
    query = "<a href='file"
    view.search(query)
    qtbot.waitUntil(lambda: view.mode == "search", timeout=WAIT_MS)
    assert [t.split("\n")[0] for t in list_texts(view)] == [hostile]
    assert shown_text(view.list_title.text()).startswith(f"Hub results for “{query}”")
    view.model_list.setCurrentRow(0)
    qtbot.waitUntil(lambda: view.current_repo == hostile, timeout=WAIT_MS)
    assert shown_text(view.title_label.text()) == hostile
    assert shown_text(view.about_label.text()).startswith("by <b>me<")
    assert "<img" not in view.title_label.text() and "<a " not in view.about_label.text()
