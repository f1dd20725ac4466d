"""The window's download queue: it lives as long as the main window, so downloads go on
when the model manager dialog closes.

DownloadManager wraps a core DownloadQueue (desktop_llm/core/models/download.py), whose own
threads do the work and report DownloadSnapshots to a listener, progress at most every
PROGRESS_INTERVAL. The listener only stores the newest snapshot per download (under a lock)
and wakes the GUI thread with a queued signal, so no widget is touched from those threads
and a slow GUI thread never builds a backlog (snapshots coalesce).

shutdown() pauses what runs (the partial and its sidecar stay in <models>/.downloads) and
joins the queue's threads; resume_interrupted() at the next start-up picks those partials
up again.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from desktop_llm.core.models.download import FINISHED, Download, DownloadQueue, DownloadSnapshot
from desktop_llm.core.models.hub import HubClient, default_endpoint

ACTIVE_STATES = frozenset({"queued", "running", "verifying", "paused"})


def _download_of(item: DownloadSnapshot | Download) -> Download:
    return item.download if isinstance(item, DownloadSnapshot) else item


class _LazyHub:
    """The queue's HubClient, made on first use (on a worker thread): importing
    huggingface_hub takes a while and must not slow the window's start-up."""

    def __init__(self, factory: Callable[[], HubClient]) -> None:
        self._factory = factory
        self._client: HubClient | None = None
        self._lock = threading.Lock()

    def _get(self) -> HubClient:
        with self._lock:
            if self._client is None:
                self._client = self._factory()
            return self._client

    def __getattr__(self, name: str) -> Any:
        return getattr(self._get(), name)


# --- the manager -------------------------------------------------------------------------


class DownloadManager(QObject):
    """Owned by the MainWindow for the app's lifetime (downloads go on when the dialog
    closes). Wraps a core DownloadQueue; marshals its worker-thread snapshots to the GUI
    thread."""

    # DownloadSnapshot, on the GUI thread: each state change, and progress at most as often
    # as the core's queue reports it (PROGRESS_INTERVAL), coalesced when the GUI lags.
    changed = Signal(object)
    finished = Signal(object)  # DownloadSnapshot in state done / failed / cancelled
    active_changed = Signal(int)  # downloads queued, running, verifying or paused

    _wake = Signal()  # internal: emitted from worker threads, received queued

    def __init__(
        self,
        models_dir: Path,
        hub_factory: Callable[[], HubClient] = HubClient,
        parent: QObject | None = None,
        hub_endpoint: Callable[[], str] = default_endpoint,
        **queue_options: Any,
    ) -> None:
        super().__init__(parent)
        self.models_dir = Path(models_dir)
        self.hub_factory = hub_factory
        # Where searches and downloads go, for the Discover tab to say (no network).
        self.hub_endpoint = hub_endpoint
        self._queue = DownloadQueue(self.models_dir, _LazyHub(hub_factory), **queue_options)  # type: ignore[arg-type]
        self._lock = threading.Lock()
        self._pending: dict[Download, DownloadSnapshot] = {}  # worker -> GUI, newest only
        self._woken = False
        self._states: dict[Download, str] = {}  # newest state seen on the GUI thread
        self._active = 0
        self._closed = False
        self._wake.connect(self._drain, Qt.ConnectionType.QueuedConnection)
        self._queue.add_listener(self._on_snapshot)

    # -- public ---------------------------------------------------------------------

    def start(
        self,
        repo: str,
        filename: str,
        revision: str = "main",
        *,
        size: int | None = None,
        sha256: str | None = None,
    ) -> None:
        """Queue a download. Nothing here touches the network: the queue's worker
        resolves the size and hash when they are not given. A file already downloading
        is resumed (if paused) rather than started twice."""
        if self._closed:
            return
        self._queue.add(repo, filename, revision, expected_size=size, expected_sha256=sha256)

    def resume_interrupted(self) -> int:
        """Resume the partial downloads an earlier run left on disk; how many."""
        if self._closed:
            return 0
        return len(self._queue.resume_pending())

    def pause(self, item: DownloadSnapshot | Download) -> None:
        _download_of(item).pause()

    def resume(self, item: DownloadSnapshot | Download) -> None:
        if not self._closed:
            _download_of(item).resume()

    def cancel(self, item: DownloadSnapshot | Download) -> None:
        _download_of(item).cancel()

    def snapshots(self) -> list[DownloadSnapshot]:
        """Every download of this run, oldest first, as it is now."""
        return [d.snapshot() for d in self._queue.downloads()]

    def find(self, repo: str, filename: str) -> DownloadSnapshot | None:
        """The newest download of this file in this run, or None."""
        for d in reversed(self._queue.downloads()):
            if d.repo == repo and d.filename == filename:
                return d.snapshot()
        return None

    @property
    def active_count(self) -> int:
        return self._active

    def shutdown(self) -> None:
        """Pause what runs (partials kept for the next start) and join the worker
        threads. Idempotent."""
        if self._closed:
            return
        self._closed = True
        self._queue.close()
        self._drain()  # the last snapshots (paused) reach the views now
        self._queue.remove_listener(self._on_snapshot)

    # -- worker threads -------------------------------------------------------------

    def _on_snapshot(self, snap: DownloadSnapshot) -> None:
        with self._lock:
            self._pending[snap.download] = snap
            if self._woken:
                return
            self._woken = True
        with contextlib.suppress(RuntimeError):  # the manager was deleted under a late worker
            self._wake.emit()

    # -- GUI thread -----------------------------------------------------------------

    @Slot()
    def _drain(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, {}
            self._woken = False
        for snap in pending.values():
            self._offer(snap)
        self._update_active()

    def _offer(self, snap: DownloadSnapshot) -> None:
        d = snap.download
        before = self._states.get(d)
        self._states[d] = snap.state
        self.changed.emit(snap)
        if snap.state in FINISHED and before != snap.state:
            self.finished.emit(snap)

    def _update_active(self) -> None:
        active = sum(1 for s in self._states.values() if s in ACTIVE_STATES)
        if active != self._active:
            self._active = active
            self.active_changed.emit(active)
