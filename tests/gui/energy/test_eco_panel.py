"""Eco mode in the window: the energy dashboard's "Calibrate eco mode…" runs a real (short)
calibration of the starter model on the engine queue and shows its table and the thread count
eco mode now uses; Stop stores nothing and leaves the state as it was; the words follow the
energy.eco setting; the task pages' pickers mark eco mode's suggestion (the least-energy
model on the task's front) while eco mode is on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_llm.core.eco import FILE_NAME, Calibrations
from desktop_llm.core.eco_calibration import CalibrationProgress
from desktop_llm.core.models import starter_model_path
from desktop_llm.core.services import Services, open_services
from desktop_llm.ui.energy.dashboard import EnergyDashboard
from desktop_llm.ui.energy.eco_panel import EcoPanel
from tests.gui.energy.test_which_model import stored_run
from tests.helpers.gui import WindowFactory, requires_model, write_settings

LOAD_TIMEOUT_MS = 20_000
CALIBRATION_TIMEOUT_MS = 240_000


@pytest.fixture
def services(home: Path) -> Iterator[Services]:
    opened = open_services()
    opened.settings.set("energy.eco", "always")
    yield opened
    opened.close()


@pytest.fixture
def dashboard(qtbot: QtBot, services: Services) -> Iterator[EnergyDashboard]:
    dialog = EnergyDashboard(services)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.eco.state_loaded, timeout=LOAD_TIMEOUT_MS):
        dialog.show()
    dialog.tabs.setCurrentIndex(2)  # How is this measured?
    yield dialog
    dialog.shutdown()


def small(panel: EcoPanel) -> None:
    panel.tokens, panel.rounds, panel.threads = 8, 1, [1, 2]


@pytest.mark.model
@requires_model
def test_calibrate_runs_a_real_calibration_and_shows_the_chosen_thread_count(
    qtbot: QtBot, dashboard: EnergyDashboard, services: Services, home: Path
) -> None:
    panel = dashboard.eco
    assert panel.isVisibleTo(dashboard.tabs.widget(2))
    assert panel.words.text().startswith("Eco mode is on, but this model is not calibrated yet")
    assert not panel.table.isVisibleTo(panel)
    small(panel)
    labels: list[str] = []
    with qtbot.waitSignal(panel.calibration_finished, timeout=CALIBRATION_TIMEOUT_MS) as done:
        panel.calibrate_button.click()
        job = panel.job
        assert job is not None and not panel.calibrate_button.isEnabled()
        assert panel.run_row.isVisibleTo(panel) and panel.stop_button.isEnabled()
        # The window's one engine queue: a reply or task run is refused meanwhile.
        assert "Eco mode is being calibrated" in (dashboard.engine.refusal() or "")
        job.worker.yielded.connect(lambda _e: labels.append(panel.progress_label.text()))
    assert done.args == [True]
    assert "Measuring 1 thread, round 1 of 1" in labels
    assert "Measuring 2 threads, round 1 of 1" in labels
    [calibration] = Calibrations(home / "config" / FILE_NAME).all()
    best = calibration.best
    assert best is not None and [e.threads for e in calibration.entries] == [1, 2]
    qtbot.waitUntil(lambda: panel.state is not None and panel.state.calibration is not None)
    words = panel.words.text()
    threads = "1 thread" if best.threads == 1 else f"{best.threads} threads"
    assert words.startswith(f"Eco mode: {threads}, {best.joules_per_token:.3g} J per token")
    table = panel.table.text()
    assert "Threads" in table and "J per token" in table and "Tokens/s" in table
    for entry in calibration.entries:
        assert f"{entry.joules_per_token:.3g}" in table
    assert table.count("eco mode uses it") == 1
    assert not panel.run_row.isVisibleTo(panel) and panel.calibrate_button.isEnabled()

    # Stop: nothing stored, the state as it was.
    stored = (home / "config" / FILE_NAME).read_bytes()

    def stop_at_first(event: object) -> None:
        if isinstance(event, CalibrationProgress) and not panel.stopped:
            panel.stop()

    with qtbot.waitSignal(panel.calibration_finished, timeout=CALIBRATION_TIMEOUT_MS) as done:
        job = panel.run_calibration()
        assert job is not None
        job.worker.yielded.connect(stop_at_first)
    assert done.args == [False]
    assert panel.status.text().startswith("Stopped. Nothing was stored")
    assert (home / "config" / FILE_NAME).read_bytes() == stored
    with qtbot.waitSignal(panel.state_loaded, timeout=LOAD_TIMEOUT_MS):
        panel.refresh()
    assert panel.words.text() == words and panel.table.text() == table

    # The words follow the setting.
    with qtbot.waitSignal(panel.state_loaded, timeout=LOAD_TIMEOUT_MS):
        services.settings.set("energy.eco", "off")
    assert panel.words.text() == "Eco mode is off."
    assert panel.table.isVisibleTo(panel)  # the calibration is still shown
    services.host.close()


@requires_model
def test_the_task_pickers_mark_eco_modes_pick_while_eco_mode_is_on(
    home: Path, make_window: WindowFactory, qtbot: QtBot
) -> None:
    starter = starter_model_path()
    assert starter is not None
    name = starter.stem
    write_settings(home, **{"energy.eco": "always"})
    with_runs = open_services()
    try:
        # Both on the sentiment front; the starter uses less energy: eco mode's pick.
        stored_run(with_runs.store, name, "Q4_1", 0.6, 0.5)
        stored_run(with_runs.store, "Other", "Q8_0", 0.9, 2.0)
        # On the translate front the starter costs more: not the pick there.
        stored_run(with_runs.store, name, "Q4_1", 0.6, 2.0, task="translate")
        stored_run(with_runs.store, "Other", "Q8_0", 0.5, 0.2, task="translate")
    finally:
        with_runs.close()
    window = make_window()
    sentiment = window.panels["sentiment"].model_picker
    translate = window.panels["translate"].model_picker
    qtbot.waitUntil(lambda: sentiment.eco_pick() == name, timeout=LOAD_TIMEOUT_MS)
    index = sentiment.findData(name)
    assert sentiment.itemText(index).endswith("(eco pick)")
    assert sentiment.itemText(index).startswith("★ ")
    assert "Eco mode suggests it" in sentiment.itemData(index, Qt.ItemDataRole.ToolTipRole)
    assert translate.eco_pick() == "Other"  # not installed: nothing to mark
    assert "(eco pick)" not in translate.itemText(translate.findData(name))
    assert "eco pick" not in window.chat_page.model_picker.currentText()

    # Eco mode off: the mark goes, the front's star stays.
    with qtbot.waitSignal(window.front_marks.refreshed, timeout=LOAD_TIMEOUT_MS):
        window.services.settings.set("energy.eco", "off")
    assert sentiment.eco_pick() is None
    assert sentiment.itemText(index).startswith("★ ")
    assert "(eco pick)" not in sentiment.itemText(index)
