"""The idle baseline is measured on the engine thread and never holds up a reply."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.helpers.energy_fakes import laptop_rapl
from tests.helpers.gui import REPLY_TIMEOUT_MS, WindowFactory, requires_model, send_and_wait

pytestmark = [pytest.mark.model, requires_model]


def test_a_reply_interrupts_the_baseline_and_a_quiet_moment_completes_it(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A laptop's RAPL tree (made by the test: this machine has none), so the meter is real
    # RAPL code and the baseline has to wait out its window.
    sysfs = tmp_path / "sys"
    laptop_rapl(sysfs)
    monkeypatch.setenv("DESKTOP_LLM_SYSFS", str(sysfs))
    window = make_window()
    store = window.services.store

    job = window.measure_baseline(seconds=60.0)
    assert job is not None and window.engine.busy
    started = time.monotonic()
    ended = send_and_wait(qtbot, window, "Hello!")
    assert time.monotonic() - started < 50  # it did not wait out the 60 s window
    assert job.worker.quit_requested.is_set()
    assert ended.energy is not None and ended.energy.source == "rapl"
    assert store.latest_baseline("rapl", "cpu") is None  # an interrupted window is not kept

    job = window.measure_baseline(seconds=0.3)
    assert job is not None
    qtbot.waitUntil(lambda: not window.engine.busy, timeout=REPLY_TIMEOUT_MS)
    baseline = store.latest_baseline("rapl", "cpu")
    assert baseline is not None and baseline.watts == 0.0 and baseline.seconds >= 0.3
    assert window.measure_baseline() is None  # once per session
