"""The Sentiment panel with the real starter model: one text, batches of lines and CSV
columns, export, stop, reopen; and a 1,000-result batch that must not stall the window."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_llm.core.tasks.events import SentimentResult, TaskEnded, TaskProgress, TaskStarted
from desktop_llm.core.tasks.sentiment import LABELS
from desktop_llm.ui.main_window import MainWindow
from desktop_llm.ui.tasks.sentiment_panel import BATCH, SINGLE, SentimentPanel
from tests.helpers.gui import REPLY_TIMEOUT_MS, requires_model, switch_with_keys

LINES = [
    "I love this phone, the camera is amazing",
    "The battery died after one day, awful",
    "The box is blue",
    "Great service and very friendly staff",
    "Never buying from this shop again",
    "The parcel arrived on Monday",
    "Best purchase I made this year",
    "The manual has forty pages",
]


def open_panel(qtbot: QtBot, window: MainWindow) -> SentimentPanel:
    switch_with_keys(qtbot, window, Qt.Key.Key_4)
    assert window.current_panel() is window.panels["sentiment"]
    return window.panels["sentiment"]


def run_and_wait(qtbot: QtBot, panel: SentimentPanel) -> TaskEnded:
    with qtbot.waitSignal(panel.run_finished, timeout=REPLY_TIMEOUT_MS) as blocker:
        assert panel.run(), panel.banner.text()
    ended = blocker.args[0]
    assert isinstance(ended, TaskEnded), panel.banner.text()
    return ended


def export(qtbot: QtBot, panel: SentimentPanel, path: Path) -> list[dict[str, str]]:
    assert panel.export_button.isEnabled()
    with qtbot.waitSignal(panel.exported, timeout=10_000):
        panel.export_csv(path)
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


@pytest.mark.model
@requires_model
def test_one_text_gets_a_label_and_three_bars(qtbot: QtBot, window: MainWindow) -> None:
    panel = open_panel(qtbot, window)
    assert panel.mode == SINGLE
    panel.single_input.setPlainText("What a wonderful day, I am so happy with the result!")

    ended = run_and_wait(qtbot, panel)

    assert ended.status == "complete"
    label = panel.result_label.text().lower()
    assert label in LABELS
    assert label == ended.output
    values = panel.bars.values()
    assert set(values) == set(LABELS)
    assert sum(values.values()) == pytest.approx(1.0, abs=1e-3)
    assert max(values, key=values.__getitem__) == label

    # Reopen after clearing: the text, the label and the bars come back.
    panel.clear()
    assert panel.result_label.text() == "" and panel.bars.values() == {}
    with qtbot.waitSignal(panel.run_opened):
        panel.history.list.setCurrentRow(0)
    assert panel.mode == SINGLE
    assert panel.single_input.toPlainText().startswith("What a wonderful day")
    assert panel.result_label.text().lower() == label
    assert panel.bars.values() == pytest.approx(values, abs=1e-6)


@pytest.mark.model
@requires_model
def test_batch_of_lines_fills_the_table_and_chart_and_exports(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    panel = open_panel(qtbot, window)
    qtbot.mouseClick(panel.batch_button, Qt.MouseButton.LeftButton)
    assert panel.mode == BATCH
    panel.batch_input.setPlainText("\n".join(LINES[:4]) + "\n\n" + "\n".join(LINES[4:]))
    inserted: list[int] = []
    resets: list[bool] = []
    panel.results.rowsInserted.connect(lambda _p, first, last: inserted.append(last - first + 1))
    panel.results.modelReset.connect(lambda: resets.append(True))

    ended = run_and_wait(qtbot, panel)

    assert ended.status == "complete"
    assert panel.results.rowCount() == 8
    assert inserted == [1] * 8  # one row per result, never a rebuild
    assert len(resets) == 1  # only when the run began
    counts = panel.chart.counts()
    assert sum(counts.values()) == 8
    assert counts == {label: ended.summary["labels"].get(label, 0) for label in LABELS}
    assert "Classified 8 texts" in panel.status_label.text()
    rows = panel.results.rows()
    assert [r.text for r in rows] == LINES
    assert all(r.label in LABELS for r in rows)

    records = export(qtbot, panel, tmp_path / "out.csv")
    assert len(records) == 8
    assert list(records[0]) == ["text", "label", "p_positive", "p_negative", "p_neutral"]
    assert [r["text"] for r in records] == LINES
    assert [r["label"] for r in records] == [r.label for r in rows]

    # Reopen: the table and the chart come back from the store.
    panel.clear()
    assert panel.results.rowCount() == 0
    with qtbot.waitSignal(panel.run_opened):
        panel.history.list.setCurrentRow(0)
    assert panel.mode == BATCH
    assert panel.results.rowCount() == 8
    assert panel.chart.counts() == counts
    assert panel.batch_input.toPlainText().splitlines() == LINES


@pytest.mark.model
@requires_model
def test_csv_column_is_guessed_and_kept_in_the_export(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    panel = open_panel(qtbot, window)
    path = tmp_path / "reviews.csv"
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["id", "review", "stars"])
        for i, line in enumerate(LINES[:4], start=1):
            writer.writerow([i, line, 5 - i])

    with qtbot.waitSignal(panel.file_loaded, timeout=10_000):
        panel.load_file(path)
    assert panel.mode == BATCH
    assert [panel.column_combo.itemText(i) for i in range(panel.column_combo.count())] == [
        "id",
        "review",
        "stars",
    ]
    assert panel.column() == "review"
    assert panel.column_combo.isVisible()

    ended = run_and_wait(qtbot, panel)

    assert ended.status == "complete"
    assert panel.results.rowCount() == 4
    records = export(qtbot, panel, tmp_path / "reviews-results.csv")
    assert list(records[0]) == [
        "id",
        "review",
        "stars",
        "label",
        "p_positive",
        "p_negative",
        "p_neutral",
    ]
    assert [r["id"] for r in records] == ["1", "2", "3", "4"]
    assert (
        panel.services.tasks.runs("sentiment")[0].title
        == "4 texts from reviews.csv, column “review”"
    )


@pytest.mark.model
@requires_model
def test_stop_keeps_the_results_so_far(qtbot: QtBot, window: MainWindow) -> None:
    panel = open_panel(qtbot, window)
    panel.set_mode(BATCH)
    panel.batch_input.setPlainText("\n".join(LINES * 6))
    with qtbot.waitSignal(panel.run_finished, timeout=REPLY_TIMEOUT_MS) as blocker:
        assert panel.run()
        qtbot.waitUntil(lambda: panel.results.rowCount() >= 2, timeout=REPLY_TIMEOUT_MS)
        qtbot.keyClick(panel.batch_input, Qt.Key.Key_Escape)
    ended = blocker.args[0]

    assert isinstance(ended, TaskEnded)
    assert ended.status == "stopped"
    shown = panel.results.rowCount()
    assert 2 <= shown < len(LINES) * 6
    assert sum(panel.chart.counts().values()) == shown
    assert panel.status_label.text().startswith("Stopped")
    assert f"{shown} of 48 texts" in panel.status_label.text()
    assert len(panel.services.tasks.open_run(ended.conversation_id).items) == shown
    assert panel.export_button.isEnabled()


def test_a_thousand_results_cost_little_each(qtbot: QtBot, window: MainWindow) -> None:
    """Drives the panel with the events of a 1,000-item batch, as the engine would."""
    panel = open_panel(qtbot, window)
    panel.set_mode(BATCH)
    panel._run_mode = BATCH
    panel.begin_output()
    resets: list[bool] = []
    panel.results.modelReset.connect(lambda: resets.append(True))
    n = 1000
    panel.handle_event(TaskStarted(1, "sentiment", n))
    started = time.perf_counter()
    slowest = 0.0
    for i in range(n):
        label = LABELS[i % 3]
        probabilities = dict.fromkeys(LABELS, 0.1) | {label: 0.8}
        before = time.perf_counter()
        panel.handle_event(SentimentResult(i, f"text number {i}", label, probabilities))
        panel.handle_event(TaskProgress(i + 1, n, f"item {i + 1} of {n}"))
        if i % 50 == 0:
            qtbot.wait(1)  # let it paint now and then, as the event loop would
        slowest = max(slowest, time.perf_counter() - before)
    elapsed = time.perf_counter() - started
    panel.handle_event(TaskEnded(1, "complete", "", None, {"items": n, "items_done": n}))

    assert panel.results.rowCount() == n
    assert not resets
    assert panel.chart.counts() == {"positive": 334, "negative": 333, "neutral": 333}
    assert panel.progress_label.text() == f"Item {n} of {n}"
    # Far below the 50-100 ms between real results: the window stays responsive.
    assert elapsed < 5.0, elapsed
    assert elapsed / n < 0.005, elapsed / n


@pytest.mark.model
@requires_model
def test_a_run_says_what_it_cost_and_keeps_it_in_history(qtbot: QtBot, window: MainWindow) -> None:
    panel = open_panel(qtbot, window)
    panel.set_mode(BATCH)
    panel.batch_input.setPlainText("\n".join(LINES[:3]))
    ended = run_and_wait(qtbot, panel)
    line = panel.cost_label.text()
    # One stored batch, so one model-call record; estimated on this machine.
    assert line.startswith("≈ ") and "CO2e" in line and "1 model call" in line
    assert "Estimated" in panel.cost_label.toolTip()
    panel.clear()
    assert panel.cost_label.text() == ""
    panel.open_run(ended.conversation_id)
    assert panel.cost_label.text() == line


@pytest.mark.model
@requires_model
@pytest.mark.parametrize(("setting", "bom"), [("on", True), ("off", False), ("auto", False)])
def test_csv_export_starts_with_a_bom_for_spreadsheets(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, setting: str, bom: bool
) -> None:
    """Excel and WPS in a Chinese locale read a CSV without a byte-order mark as GBK: with
    ui.csv_bom on (automatic: when the window is in Chinese; this one is English) the file
    starts with one, and Chinese text reads back whole."""
    window.services.settings.set("ui.csv_bom", setting)
    panel = open_panel(qtbot, window)
    panel.set_mode(BATCH)
    panel.batch_input.setPlainText("这家店的服务太好了\n电池一天就坏了")
    run_and_wait(qtbot, panel)
    path = tmp_path / "结果.csv"
    assert panel.export_button.isEnabled()
    with qtbot.waitSignal(panel.exported, timeout=10_000):
        panel.export_csv(path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") is bom
    with path.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    assert [r["text"] for r in rows] == ["这家店的服务太好了", "电池一天就坏了"]
