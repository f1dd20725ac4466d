"""A real reply metered while real busy-loop processes keep the CPUs busy is marked
contended; the same reply without them shows a smaller share of other work.

The machine running the tests may be busy with other tests, so the quiet figure is not
asserted absolutely: the share with the hogs is compared with the quiet replies' shares in
the same test (the smaller of two, one before and one after).
"""

from __future__ import annotations

import multiprocessing as mp
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil
import pytest

from desktop_llm.core.chat.events import ReplyEnded
from desktop_llm.core.energy.comparable import comparable_rows
from desktop_llm.core.energy.contention import CONTENDED_SHARE
from desktop_llm.core.services import Services, open_services
from desktop_llm.core.store import Energy

pytestmark = pytest.mark.model


def _spin(stop: mp.synchronize.Event) -> None:  # type: ignore[name-defined]
    while not stop.is_set():
        for _ in range(100_000):
            pass


@contextmanager
def cpu_hogs(count: int) -> Iterator[None]:
    """count busy-loop processes (children of the test process, not of the app's worker)."""
    context = mp.get_context("spawn")
    stop = context.Event()
    processes = [context.Process(target=_spin, args=(stop,), daemon=True) for _ in range(count)]
    for process in processes:
        process.start()
    try:
        time.sleep(1.0)  # spinning before the reply's window opens
        yield
    finally:
        stop.set()
        for process in processes:
            process.join(5)
            if process.is_alive():
                process.kill()
                process.join()


@pytest.fixture
def services(home: Path, starter_model: Path) -> Iterator[Services]:
    opened = open_services()
    yield opened
    opened.close()


def _reply_energy(services: Services, text: str) -> Energy:
    ended = None
    for event in services.chat.send(None, text):
        if isinstance(event, ReplyEnded):
            ended = event
    assert ended is not None and ended.status == "complete"
    energy = services.store.energy_for(ended.message_id)
    assert energy is not None and energy.other_cpu_share is not None
    return energy


def test_a_reply_beside_cpu_hogs_is_marked_contended(services: Services) -> None:
    _reply_energy(services, "Warm up.")  # loads the model outside the measured replies
    quiet_before = _reply_energy(services, "Name a colour.")
    with cpu_hogs(psutil.cpu_count() or 2):
        busy = _reply_energy(services, "Name a colour.")
    quiet_after = _reply_energy(services, "Name a colour.")

    quiet_share = min(quiet_before.other_cpu_share or 0.0, quiet_after.other_cpu_share or 0.0)
    assert busy.contended is True
    assert busy.other_cpu_share is not None and busy.other_cpu_share >= CONTENDED_SHARE
    assert busy.other_cpu_share > quiet_share
    # The flag follows the share, whatever the machine was doing.
    for record in (quiet_before, quiet_after):
        assert record.contended == (record.other_cpu_share >= CONTENDED_SHARE)

    rows = services.store.energy_rows()
    chosen = comparable_rows(services.store)
    assert chosen.contended == sum(1 for r in rows if r.energy.contended) >= 1
    assert all(not row.energy.contended for row in chosen.records)
