"""Downloads against the loopback Hub: real bytes over real sockets, with faults."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import threading
import time
from pathlib import Path

import pytest

from desktop_llm.core.models.download import (
    DOWNLOADS_DIRNAME,
    PROGRESS_INTERVAL,
    Download,
    DownloadQueue,
    DownloadSnapshot,
)
from desktop_llm.core.models.hub import HubClient
from desktop_llm.core.models.registry import ModelRegistry
from tests.helpers.gguf_factory import require_starter_model, tiny_metadata, write_gguf
from tests.helpers.hub_server import FakeHub, closed_port

REPO = "me/test-GGUF"
MB = 1 << 20


def big_gguf(path: Path, mb: int = 4) -> Path:
    """A valid GGUF of about mb MiB (one F32 tensor of zeros... and a marker so two files
    with different names differ)."""
    n = mb * MB // 4
    md = tiny_metadata(name=path.name)
    return write_gguf(path, md, [("token_embd.weight", "F32", (1024, n // 1024))])


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def models(tmp_path: Path) -> Path:
    d = tmp_path / "models"
    d.mkdir()
    return d


@pytest.fixture
def queue(models: Path, hub: FakeHub):
    delays: list[float] = []
    q = DownloadQueue(models, HubClient(), sleep=delays.append)
    q.delays = delays  # type: ignore[attr-defined]
    yield q
    q.close()
    assert not [t for t in threading.enumerate() if t.name.startswith("download-")]


def gguf_names(models: Path) -> list[str]:
    return sorted(p.name for p in models.iterdir() if p.suffix == ".gguf")


def leftovers(models: Path) -> list[str]:
    d = models / DOWNLOADS_DIRNAME
    return sorted(p.name for p in d.iterdir()) if d.exists() else []


def wait_for(cond, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_starter_model_downloads_and_matches(hub: FakeHub, queue: DownloadQueue, models: Path):
    starter = require_starter_model()
    hub.add_file("HuggingFaceTB/SmolLM2-135M-Instruct-GGUF", starter)
    seen: list[DownloadSnapshot] = []
    queue.add_listener(seen.append)
    d = queue.add("HuggingFaceTB/SmolLM2-135M-Instruct-GGUF", starter.name)
    assert queue.wait(120)
    assert d.state == "done", d.error
    assert d.path == models / starter.name
    assert (
        sha256(d.path)
        == hub.repos["HuggingFaceTB/SmolLM2-135M-Instruct-GGUF"].files[starter.name].sha256
    )
    states = [s.state for s in seen]
    assert states[0] == "queued" and states[-1] == "done"
    assert "running" in states and "verifying" in states
    done = [s.bytes_done for s in seen if s.state == "running"]
    assert done == sorted(done)
    assert seen[-1].bytes_done == seen[-1].total == starter.stat().st_size
    assert leftovers(models) == []
    names = [m.name for m in ModelRegistry(models, include_bundled=False).list()]
    assert names == [starter.stem]
    assert hub.unknown == []


def test_progress_is_reported_at_most_every_interval(
    hub: FakeHub, queue: DownloadQueue, tmp_path: Path
):
    f = big_gguf(tmp_path / "slow-q4_0.gguf", 2)
    hub.add_file(REPO, f, chunk_delay=0.03)  # 32 chunks: about 1 s
    times: list[float] = []
    queue.add_listener(lambda s: times.append(time.monotonic()) if s.state == "running" else None)
    d = queue.add(REPO, f.name)
    assert queue.wait(60) and d.state == "done", d.error
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert len(times) >= 3
    assert min(gaps) >= PROGRESS_INTERVAL * 0.9


def test_dropped_connection_resumes_with_range(
    hub: FakeHub, queue: DownloadQueue, models: Path, tmp_path: Path
):
    src = big_gguf(tmp_path / "src" / "drop-Q4_K_M.gguf")
    hub.add_file(REPO, src, drop_after=MB, drop_times=2)
    d = queue.add(REPO, src.name)
    assert queue.wait(30)
    assert d.state == "done", d.error
    assert sha256(d.path) == sha256(src)
    assert hub.ranges(src.name) == [None, f"bytes={MB}-", f"bytes={2 * MB}-"]
    assert queue.delays == [1.0, 1.0]  # progress was made each time: no growth


def test_backoff_grows_then_gives_up_keeping_the_partial(models: Path, monkeypatch):
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{closed_port()}")
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    delays: list[float] = []
    d = Download(
        models, REPO, "x.gguf", expected_size=10, expected_sha256="a" * 64, sleep=delays.append
    )
    assert d.run() == "failed"
    assert delays == [1.0, 2.0, 4.0, 8.0, 16.0]
    assert "kept failing (cannot connect to the Hub)" in d.error
    assert "try again to resume" in d.error


def test_wrong_checksum_is_refused_and_deleted(
    hub: FakeHub, queue: DownloadQueue, models: Path, tmp_path: Path
):
    src = big_gguf(tmp_path / "src" / "bad-Q8_0.gguf", 1)
    hub.add_file(REPO, src, wrong_sha256=True)
    d = queue.add(REPO, src.name)
    assert queue.wait(30)
    assert d.state == "failed"
    assert d.error.startswith("The downloaded file does not match the Hub's checksum")
    assert gguf_names(models) == [] and leftovers(models) == []


def test_not_a_gguf_is_refused(hub: FakeHub, queue: DownloadQueue, models: Path, tmp_path: Path):
    src = tmp_path / "src" / "fake-Q4_0.gguf"
    src.parent.mkdir()
    src.write_bytes(b"<html>not a model</html>" * 100)
    hub.add_file(REPO, src)
    d = queue.add(REPO, src.name)
    assert queue.wait(30)
    assert d.state == "failed"
    assert "not a usable GGUF model" in d.error and "fake-Q4_0.gguf" in d.error
    assert gguf_names(models) == [] and leftovers(models) == []


def test_not_found(hub: FakeHub, queue: DownloadQueue, models: Path, tmp_path: Path):
    src = big_gguf(tmp_path / "src" / "gone.gguf", 1)
    hub.add_file(REPO, src, missing=True)
    d = queue.add(REPO, src.name)
    e = queue.add("nobody/nothing", "x.gguf")
    assert queue.wait(30)
    assert d.state == e.state == "failed"
    assert d.error.startswith("No such repository or file")
    assert e.error.startswith("No such repository or file")
    assert leftovers(models) == []


@pytest.mark.parametrize("action", ["cancel", "pause"])
def test_stalled_server_stops_fast(
    hub: FakeHub, queue: DownloadQueue, models: Path, tmp_path: Path, action: str
):
    src = big_gguf(tmp_path / "src" / "slow.gguf", 2)
    hub.add_file(REPO, src, stall_after=256 * 1024)
    d = queue.add(REPO, src.name)
    wait_for(lambda: d.snapshot().bytes_done >= 256 * 1024)
    time.sleep(0.1)  # well inside the stall
    start = time.monotonic()
    getattr(d, action)()
    assert d.wait(1.0)
    assert time.monotonic() - start < 1.0
    if action == "cancel":
        assert d.state == "cancelled"
        assert leftovers(models) == []
    else:
        assert d.state == "paused"
        part = models / DOWNLOADS_DIRNAME / "me--test-GGUF--slow.gguf.part"
        assert part.stat().st_size == 256 * 1024
        hub.repos[REPO].files[src.name].faults.stall_after = None
        d.resume()
        assert queue.wait(30) and d.state == "done", d.error
        assert sha256(d.path) == sha256(src)
        assert hub.ranges(src.name)[-1] == f"bytes={256 * 1024}-"
    assert gguf_names(models) == (["slow.gguf"] if action == "pause" else [])


def test_no_server_fails_in_plain_words(models: Path, monkeypatch):
    endpoint = f"http://127.0.0.1:{closed_port()}"
    monkeypatch.setenv("HF_ENDPOINT", endpoint)
    q = DownloadQueue(models)
    try:
        d = q.add(REPO, "a.gguf")
        assert q.wait(10)
    finally:
        q.close()
    assert d.state == "failed"
    assert d.error == (
        f"Cannot reach the Hugging Face Hub at {endpoint}. You can still use the models you have."
    )


def test_offline_mode_fails_without_a_request(hub: FakeHub, models: Path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    d = Download(models, REPO, "a.gguf")
    assert d.run() == "failed"
    assert d.error.startswith("Offline mode is on (HF_HUB_OFFLINE)")
    assert hub.requests == []


def test_restart_resumes_from_the_sidecar(hub: FakeHub, models: Path, tmp_path: Path):
    src = big_gguf(tmp_path / "src" / "restart-Q5_K_M.gguf", 3)
    served = hub.add_file(REPO, src, stall_after=MB)
    first = DownloadQueue(models, HubClient())
    d = first.add(REPO, src.name)
    wait_for(lambda: d.snapshot().bytes_done >= MB)
    first.close()  # the app quits: running downloads pause, partials stay
    assert d.state == "paused"
    served.faults.stall_after = None

    second = DownloadQueue(models, HubClient())
    try:
        pending = second.pending_from_disk()
        assert [(p.repo, p.filename, p.bytes_on_disk) for p in pending] == [(REPO, src.name, MB)]
        assert pending[0].sha256 == served.sha256 and pending[0].size == served.size
        (resumed,) = second.resume_pending()
        assert second.wait(30)
        assert resumed.state == "done", resumed.error
    finally:
        second.close()
    assert sha256(resumed.path) == sha256(src)
    assert hub.ranges(src.name)[-1] == f"bytes={MB}-"
    assert leftovers(models) == []


def test_a_download_still_queued_at_quit_is_found_at_the_next_start(
    hub: FakeHub, models: Path, tmp_path: Path
):
    running = big_gguf(tmp_path / "src" / "first.gguf", 2)
    waiting = big_gguf(tmp_path / "src" / "second.gguf", 1)
    hub.add_file(REPO, running, stall_after=MB)
    served = hub.add_file(REPO, waiting)
    first = DownloadQueue(models, HubClient())
    a = first.add(REPO, running.name)
    b = first.add(REPO, waiting.name)
    wait_for(lambda: a.snapshot().bytes_done >= MB)
    assert b.state == "queued"
    first.close()
    assert (a.state, b.state) == ("paused", "paused")

    second = DownloadQueue(models, HubClient())
    try:
        pending = {p.filename: p for p in second.pending_from_disk()}
        assert set(pending) == {running.name, waiting.name}
        assert pending[waiting.name].bytes_on_disk == 0
        hub.repos[REPO].files[running.name].faults.stall_after = None
        resumed = {d.filename: d for d in second.resume_pending()}
        assert second.wait(30)
        assert resumed[waiting.name].state == "done", resumed[waiting.name].error
        assert resumed[running.name].state == "done", resumed[running.name].error
    finally:
        second.close()
    assert sha256(models / waiting.name) == served.sha256
    assert leftovers(models) == []


def test_changed_file_on_the_hub_restarts_from_zero(hub: FakeHub, models: Path, tmp_path: Path):
    src = big_gguf(tmp_path / "src" / "changed.gguf", 1)
    hub.add_file(REPO, src)
    d = Download(models, REPO, src.name, hub=HubClient())
    # An old partial whose sidecar names another sha256: not trusted.
    part, side = d.part_path, d.sidecar_path
    part.parent.mkdir(parents=True)
    part.write_bytes(b"x" * 1000)
    side.write_text(json.dumps({"repo": REPO, "filename": src.name, "sha256": "b" * 64}))
    assert d.run() == "done", d.error
    assert sha256(d.path) == sha256(src)
    assert hub.ranges(src.name) == [None]


def test_not_enough_disk_is_refused_before_starting(
    hub: FakeHub, queue: DownloadQueue, models: Path, tmp_path: Path
):
    src = big_gguf(tmp_path / "src" / "huge.gguf", 1)
    hub.add_file(REPO, src, fake_size=10**15)
    d = queue.add(REPO, src.name)
    assert queue.wait(10)
    assert d.state == "failed"
    assert d.error.startswith("Not enough free disk space for huge.gguf: it needs 1000.0 TB")
    assert "GB free" in d.error or "TB free" in d.error or "MB free" in d.error
    assert hub.ranges(src.name) == []
    assert gguf_names(models) == [] and leftovers(models) == []


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs Linux /dev/full")
def test_disk_full_while_writing(hub: FakeHub, models: Path, tmp_path: Path):
    src = big_gguf(tmp_path / "src" / "full.gguf", 1)
    served = hub.add_file(REPO, src)
    d = Download(models, REPO, src.name, hub=HubClient())
    d.part_path.parent.mkdir(parents=True)
    # A real ENOSPC: the partial is /dev/full, every write to it fails with ENOSPC.
    d.part_path.symlink_to("/dev/full")
    d.sidecar_path.write_text(
        json.dumps(
            {"repo": REPO, "filename": src.name, "sha256": served.sha256, "size": served.size}
        )
    )
    assert d.run() == "failed"
    assert d.error.startswith("The disk is full: full.gguf could not be written")
    assert "is kept; free some space and resume" in d.error
    assert gguf_names(models) == []


def test_queue_runs_in_order_one_at_a_time(
    hub: FakeHub, queue: DownloadQueue, models: Path, tmp_path: Path
):
    files = [big_gguf(tmp_path / "src" / f"m{i}-Q4_0.gguf", 1) for i in range(3)]
    for f in files:
        hub.add_file(REPO, f, chunk_delay=0.001)
    started: list[str] = []
    running: set[str] = set()
    overlap: list[set[str]] = []
    lock = threading.Lock()

    def listen(s: DownloadSnapshot) -> None:
        with lock:
            if s.state == "running" and s.filename not in running:
                if s.filename not in started:
                    started.append(s.filename)
                running.add(s.filename)
                if len(running) > 1:
                    overlap.append(set(running))
            elif s.state in ("done", "failed"):
                running.discard(s.filename)

    queue.add_listener(listen)
    ds = [queue.add(REPO, f.name) for f in files]
    assert [d.state for d in ds[1:]] == ["queued", "queued"]
    assert queue.wait(30)
    assert [d.state for d in ds] == ["done"] * 3
    assert started == [f.name for f in files]
    assert overlap == []
    assert gguf_names(models) == [f.name for f in files]


def test_cancel_while_queued_and_name_clashes(
    hub: FakeHub, queue: DownloadQueue, models: Path, tmp_path: Path
):
    src = big_gguf(tmp_path / "src" / "clash.gguf", 1)
    hub.add_file(REPO, src)
    (models / "clash.gguf").write_bytes(b"the user's own different file")
    first = queue.add(REPO, src.name)
    assert queue.wait(30) and first.state == "done", first.error
    assert first.path == models / "clash-2.gguf"
    assert (models / "clash.gguf").read_bytes() == b"the user's own different file"
    again = queue.add(REPO, src.name)  # identical file already there: reused
    assert queue.wait(30) and again.path == models / "clash-2.gguf"
    assert gguf_names(models) == ["clash-2.gguf", "clash.gguf"]

    d = Download(models, REPO, src.name)
    d.cancel()
    assert d.state == "cancelled" and d.run() == "cancelled"


def test_two_processes_never_write_one_partial(hub: FakeHub, tmp_path: Path):
    """The CLI downloads; the window (here: a Download in this process) tries the same file
    meanwhile. Before the lock both appended to one .part and a file twice its size was
    installed as checked."""
    import subprocess
    import sys

    src = big_gguf(tmp_path / "src" / "twice.gguf", 2)
    hub.add_file(REPO, src, chunk_delay=0.01)
    from desktop_llm.core.paths import AppPaths

    env = {**os.environ, "DESKTOP_LLM_HOME": str(tmp_path / "home")}
    models = AppPaths.from_env(env).ensure().models_dir
    cli = subprocess.Popen(
        [sys.executable, "-m", "desktop_llm", "models", "download", REPO, src.name],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    part = models / DOWNLOADS_DIRNAME / "me--test-GGUF--twice.gguf.part"
    wait_for(lambda: part.exists() and part.stat().st_size > 0, 30)
    second = Download(models, REPO, src.name)
    assert second.run() == "failed"
    assert second.error == (
        "twice.gguf is already being downloaded by another window or command of this app. "
        "Its progress is kept there; try again once it has finished."
    )
    _out, err = cli.communicate(timeout=120)
    assert cli.returncode == 0, err
    assert gguf_names(models) == ["twice.gguf"]
    assert sha256(models / "twice.gguf") == sha256(src)
    # Once the first has finished, the lock is free again.
    assert Download(models, REPO, src.name).run() == "done"


def test_a_redirect_loop_fails_in_words_and_the_thread_ends(
    hub: FakeHub, queue: DownloadQueue, models: Path, tmp_path: Path
):
    src = big_gguf(tmp_path / "src" / "loop.gguf", 1)
    hub.add_file(REPO, src, redirect_loop=True)
    d = queue.add(REPO, src.name)
    assert queue.wait(30)
    assert d.state == "failed"
    assert d.error is not None and "redirects in a loop" in d.error
    assert gguf_names(models) == []


def test_a_file_of_unknown_size_is_refused_before_a_byte(
    hub: FakeHub, models: Path, tmp_path: Path
):
    """Before: a file listed without a size streamed until the disk was full."""
    src = big_gguf(tmp_path / "src" / "unsized.gguf", 1)
    hub.add_file(REPO, src)
    hub.hostile = "unsized"
    d = Download(models, REPO, src.name)
    assert d.run() == "failed"
    assert d.error == (
        "The server does not say how large unsized.gguf is, so it is not downloaded: an "
        "endless file could fill the disk."
    )
    assert gguf_names(models) == [] and leftovers(models) == []


def test_a_file_named_with_a_leading_dot_is_installed_and_listed(
    hub: FakeHub, queue: DownloadQueue, models: Path, tmp_path: Path
):
    """It used to be installed as models/.dotted-Q4_0.gguf and never listed."""
    src = big_gguf(tmp_path / "src" / ".dotted-Q4_0.gguf", 1)
    hub.add_file(REPO, src)
    d = queue.add(REPO, src.name)
    assert queue.wait(30) and d.state == "done", d.error
    assert d.path == models / ".dotted-Q4_0.gguf" and sha256(d.path) == sha256(src)
    listed = ModelRegistry(models, include_bundled=False).list()
    assert [(m.name, m.path) for m in listed] == [(".dotted-Q4_0", d.path)]
    assert leftovers(models) == []  # the partial, its sidecar and its lock are gone
