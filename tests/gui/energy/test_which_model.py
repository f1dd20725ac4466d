""" "Which model?" in the energy dashboard: evaluation results written through the Store into
a real SQLite file, read back off the GUI thread and drawn; a real evaluation with the
starter model run (and stopped, and resumed) from the dashboard; the task pages' pickers
marking the models on their task's Pareto front."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_llm.core.evaluation.results import front_sentence, latest_results
from desktop_llm.core.evaluation.runner import EvalItemDone, EvalStarted
from desktop_llm.core.models import starter_model_path
from desktop_llm.core.services import Services, open_services
from desktop_llm.core.store import EvaluationItem, EvaluationRun, Store
from desktop_llm.ui.energy.dashboard import EnergyDashboard
from desktop_llm.ui.energy.which_model import ModelChoiceDialog, WhichModelView
from tests.helpers.gui import WindowFactory, requires_model

LOAD_TIMEOUT_MS = 20_000
EVAL_TIMEOUT_MS = 180_000


def stored_run(
    store: Store,
    model: str,
    quantization: str | None,
    score: float,
    joules: float | None,
    *,
    task: str = "sentiment",
    items: int = 4,
    measured: bool = False,
) -> EvaluationRun:
    """A complete evaluation run of `items` items, as the runner would have stored it."""
    run = store.start_evaluation_run(
        EvaluationRun(
            task=task,
            model=model,
            model_file=f"{model}.gguf",
            model_sha256=model.encode().hex().ljust(64, "0")[:64],
            quantization=quantization,
            dataset_version="1-test",
            settings={"n_threads": 2},
            settings_key="k",
            items=items,
            metric="macro_f1",
            threads=2,
            device="CPU",
        )
    )
    for index in range(items):
        store.add_evaluation_item(
            run.id,
            EvaluationItem(
                item_id=f"item-{index}",
                output="positive",
                score=score,
                joules=joules,
                seconds=0.5,
                measured=None if joules is None else measured,
                meter_source=None if joules is None else ("rapl" if measured else "estimate"),
                error=None,
                conversation_id=None,
            ),
        )
    return store.finish_evaluation_run(
        run.id,
        "complete",
        score=score,
        details=None,
        joules_per_item=joules,
        measured=None if joules is None else measured,
        meter_source=None if joules is None else ("rapl" if measured else "estimate"),
    )


def flat(pairs: list[tuple[float, float]]) -> list[float]:
    return [value for pair in pairs for value in pair]


@pytest.fixture
def services(home: Path) -> Iterator[Services]:
    opened = open_services()
    yield opened
    opened.close()


def open_dashboard(qtbot: QtBot, services: Services) -> EnergyDashboard:
    dialog = EnergyDashboard(services)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.which_model.loaded, timeout=LOAD_TIMEOUT_MS):
        dialog.show()
    dialog.tabs.setCurrentWidget(dialog.which_model)
    return dialog


@pytest.fixture
def dashboard(qtbot: QtBot, services: Services) -> Iterator[EnergyDashboard]:
    dialog = open_dashboard(qtbot, services)
    yield dialog
    dialog.shutdown()


def test_the_scatter_draws_every_result_and_the_front_through_its_points(
    qtbot: QtBot, services: Services
) -> None:
    store = services.store
    stored_run(store, "Small", "Q4_1", 0.78, 0.31)
    stored_run(store, "Large-Q4_K_M", "Q4_K_M", 0.90, 1.2)
    stored_run(store, "Dear", "Q8_0", 0.70, 0.9)  # beaten on both axes by Large
    stored_run(store, "Best", "F16", 0.95, 3.0)
    stored_run(store, "Unmetered", "Q4_0", 0.99, None)  # no energy figure: not drawn
    stored_run(store, "Translator", "Q4_0", 0.5, 0.5, task="translate")
    dialog = open_dashboard(qtbot, services)
    try:
        view = dialog.which_model
        assert dialog.tabs.tabText(dialog.tabs.indexOf(view)) == "Which model?"
        assert view.task() == "sentiment" and view.stack.currentIndex() == 1
        chart = view.chart
        # Each point labelled with the model and its quantization (not repeated), the
        # front first (cheapest first), then the dominated one.
        assert chart.point_labels() == ["Small Q4_1", "Large-Q4_K_M", "Best F16", "Dear Q8_0"]
        assert chart.front_series.count() == 3 and chart.others_series.count() == 1
        assert flat(chart.line_points()) == pytest.approx([0.31, 0.78, 1.2, 0.90, 3.0, 0.95])
        assert chart.front_line.isVisible() and not chart.is_log_scale()
        # The names beside their points do not overlap one another.
        rects = chart.label_rects()
        assert len(rects) == 4
        assert not any(a.intersects(b) for i, a in enumerate(rects) for b in rects[i + 1 :])

        # The sentence of results.py, under the chart; the estimate said.
        results = latest_results(store, "sentiment")
        sentence = view.sentence.text()
        assert sentence == front_sentence("sentiment", results)
        assert sentence.startswith("For sentiment, Small Q4_1 scores 0.78 at 0.31 J per text;")
        assert "Best F16 scores 0.95 at 3.00 J: ten times the energy for 17 more points." in (
            sentence
        )
        assert "estimates, not meter readings" in sentence
        note = view.note.text()
        assert "Small checks, not benchmarks" in note and "4 items" in note
        assert "Energy estimated from CPU time, not measured" in note
        assert "Not drawn (no score or no energy figure): Unmetered Q4_0." in note

        # A point's tooltip: score, joules per item, items, measured or estimated.
        small = next(r for r in chart.results if r.model == "Small")
        tip = chart.tooltip_for(small)
        assert tip.splitlines() == [
            "Small Q4_1",
            "Score: 0.78",
            "Energy: 0.31 J per item, estimated from CPU time, not measured",
            "Items: 4",
            "On the front: no other model scores as well for less energy",
        ]
        point = chart.front_series.points()[0]
        assert chart.result_at(chart.front_series, point) == small
        dear = next(r for r in chart.results if r.model == "Dear")
        assert "On the front" not in chart.tooltip_for(dear)

        # Another task: its own results; one point is its own front, without a line.
        with qtbot.waitSignal(view.loaded, timeout=LOAD_TIMEOUT_MS):
            view.set_task("translate")
        assert chart.point_labels() == ["Translator Q4_0"]
        assert not chart.front_line.isVisible()
        assert view.sentence.text().startswith(
            "For translation, Translator Q4_0 scores best and uses the least energy: 0.50 at "
            "0.50 J per sentence."
        )
        assert chart.chart().axes(Qt.Orientation.Horizontal)[0].titleText() == (
            "Energy per sentence (J)"
        )

        # No evaluation of summaries: the empty state says how to fill it.
        with qtbot.waitSignal(view.loaded, timeout=LOAD_TIMEOUT_MS):
            view.set_task("summarize")
        assert view.stack.currentIndex() == 0
        assert "No evaluation of summaries yet." in view.empty_label.text()
        assert "Run an evaluation:" in view.empty_label.text()
        assert "desktop-llm eval --task summarize" in view.empty_label.text()
        assert view.empty_run_button.isVisibleTo(view)
    finally:
        dialog.shutdown()


def test_joules_that_span_orders_of_magnitude_are_drawn_on_a_log_axis(
    qtbot: QtBot, services: Services
) -> None:
    stored_run(services.store, "Tiny", "Q4_0", 0.6, 0.2, measured=True)
    stored_run(services.store, "Huge", "Q8_0", 0.9, 40.0, measured=True)
    dialog = open_dashboard(qtbot, services)
    try:
        chart = dialog.which_model.chart
        assert chart.is_log_scale()
        assert flat(chart.line_points()) == pytest.approx([0.2, 0.6, 40.0, 0.9])
        assert "estimate" not in dialog.which_model.sentence.text()
        assert "measured (rapl)" in chart.tooltip_for(chart.results[0])
    finally:
        dialog.shutdown()


@requires_model
def test_an_empty_dashboard_offers_to_run_an_evaluation(
    qtbot: QtBot, dashboard: EnergyDashboard
) -> None:
    view = dashboard.which_model
    assert view.stack.currentIndex() == 0
    text = view.empty_label.text()
    assert text.startswith("No evaluation of sentiment yet.")
    assert "Run an evaluation:" in text and "desktop-llm eval --task sentiment" in text
    # The button lists the installed models off the GUI thread, then asks which to run:
    # every one not marked broken, ticked.
    view.empty_run_button.click()
    qtbot.waitUntil(lambda: view._chooser is not None and view._chooser.isVisible())
    chooser = view._chooser
    assert isinstance(chooser, ModelChoiceDialog)
    starter = starter_model_path()
    assert chooser.chosen() == [str(starter)]
    assert chooser.run_button.isEnabled()
    chooser.list.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert chooser.chosen() == [] and not chooser.run_button.isEnabled()
    chooser.reject()
    assert not view.running


@pytest.mark.model
@requires_model
def test_an_evaluation_runs_from_the_dashboard_stops_and_resumes(
    qtbot: QtBot, dashboard: EnergyDashboard, services: Services
) -> None:
    view: WhichModelView = dashboard.which_model
    events: list[object] = []
    labels: list[str] = []

    def seen(event: object) -> None:
        events.append(event)
        labels.append(view.progress_label.text())
        if isinstance(event, EvalItemDone) and not view.stopped:
            view.stop()  # Stop after the first item

    view.evaluation_event.connect(seen)
    with qtbot.waitSignal(view.evaluation_finished, timeout=EVAL_TIMEOUT_MS):
        job = view.run_evaluation("sentiment", limit=3)
        assert job is not None and view.running
        assert view.run_row.isVisibleTo(view) and view.stop_button.isEnabled()
        assert not view.run_button.isEnabled()
        # The engine is the window's one queue: another task is refused meanwhile.
        assert "An evaluation (Sentiment) is running" in (dashboard.engine.refusal() or "")
    assert not view.running and not view.run_row.isVisibleTo(view)
    assert view.run_button.isEnabled()
    assert "SmolLM2-135M-Instruct.Q4_1: item 1 of 3" in labels
    assert view.status.text().startswith("Stopped. The items done are kept")
    (run,) = services.store.evaluation_runs("sentiment")
    assert run.status == "stopped" and 1 <= run.items_done < 3
    kept = run.items_done
    # A stopped run is not a result: still the empty state.
    qtbot.waitUntil(lambda: view.data is not None and view.data.task == "sentiment")
    assert view.stack.currentIndex() == 0

    events.clear()
    view.evaluation_event.disconnect(seen)
    view.evaluation_event.connect(events.append)
    with (
        qtbot.waitSignal(view.loaded, timeout=EVAL_TIMEOUT_MS),
        qtbot.waitSignal(view.evaluation_finished, timeout=EVAL_TIMEOUT_MS),
    ):
        assert view.run_evaluation("sentiment", limit=3) is not None
    started = next(e for e in events if isinstance(e, EvalStarted))
    assert started.resumed and started.done == kept and started.total == 3
    assert sum(isinstance(e, EvalItemDone) for e in events) == 3 - kept
    (run,) = services.store.evaluation_runs("sentiment")
    assert run.status == "complete" and run.items_done == 3
    qtbot.waitUntil(lambda: view.stack.currentIndex() == 1, timeout=LOAD_TIMEOUT_MS)
    assert view.chart.point_labels() == ["SmolLM2-135M-Instruct.Q4_1"]
    assert view.sentence.text().startswith(
        "For sentiment, SmolLM2-135M-Instruct.Q4_1 scores best and uses the least energy:"
    )
    assert "3 items" in view.note.text()
    services.host.close()


@requires_model
def test_the_task_pickers_mark_the_models_on_their_task_front(
    home: Path, make_window: WindowFactory, qtbot: QtBot
) -> None:
    starter = starter_model_path()
    assert starter is not None
    name = starter.stem
    with_runs = open_services()
    try:
        stored_run(with_runs.store, name, "Q4_1", 0.6, 0.5)
        stored_run(with_runs.store, "Other", "Q8_0", 0.5, 2.0)  # dominated
    finally:
        with_runs.close()
    window = make_window()
    sentiment = window.panels["sentiment"].model_picker
    translate = window.panels["translate"].model_picker
    qtbot.waitUntil(lambda: sentiment.front() == {name}, timeout=LOAD_TIMEOUT_MS)
    index = sentiment.findData(name)
    assert sentiment.itemText(index).startswith("★ ")
    assert "Best energy for its quality" in sentiment.itemData(index, Qt.ItemDataRole.ToolTipRole)
    assert translate.front() == frozenset()
    assert not translate.itemText(translate.findData(name)).startswith("★")
    assert "★" not in window.chat_page.model_picker.currentText()
    assert sentiment.current_name() == name  # the mark changes the label, not the choice

    # An evaluation finishing in the dashboard refreshes the marks.
    stored_run(window.services.store, name, "Q4_1", 0.4, 0.3, task="translate")
    dashboard = window.open_energy_dashboard()
    with qtbot.waitSignal(window.front_marks.refreshed, timeout=LOAD_TIMEOUT_MS):
        dashboard.which_model.evaluation_finished.emit("translate")
    assert translate.front() == {name}
    assert translate.itemText(translate.findData(name)).startswith("★ ")
