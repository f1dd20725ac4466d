"""The Summarize panel with the real starter model: short and long texts, stop, reopen,
files in legacy Chinese encodings, and a 5 MB text that must not freeze the window."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_llm.core.tasks.events import TaskEnded
from desktop_llm.ui.main_window import MainWindow
from desktop_llm.ui.tasks import summarize_panel
from desktop_llm.ui.tasks.summarize_panel import SummarizePanel, coverage_line
from tests.helpers.gui import (
    REPLY_TIMEOUT_MS,
    WindowFactory,
    requires_model,
    switch_with_keys,
    write_settings,
)

SHORT_TEXT = (
    "The city council met on Tuesday to discuss the new park. Residents asked for more "
    "trees, benches and a playground. The mayor said the budget allows for two of the three."
)
TOPICS = (
    "The harbour town of Westmere depends on fishing, and its fleet of forty boats leaves "
    "before dawn every day except Sunday.",
    "A new bridge over the river was opened in March; it cut the drive to the city from an "
    "hour to twenty minutes.",
    "The school on the hill has three hundred pupils and a library that stays open late on "
    "Thursdays for adults.",
    "Every August the town holds a music festival in the market square, with bands from "
    "all over the region.",
    "Farmers in the valley grow apples, pears and barley, and sell them at the Saturday "
    "market near the church.",
    "The old railway station became a museum of local history, with photographs of the "
    "great flood of 1953.",
)


def long_text() -> str:
    """About 1,500 tokens: several parts with a 512-token context."""
    paragraphs = [" ".join(TOPICS[(i + j) % len(TOPICS)] for j in range(3)) for i in range(12)]
    return "\n\n".join(paragraphs)


def small_context(home: Path) -> None:
    write_settings(home, **{"engine.context_length": 512, "summarize.max_tokens": 40})


def run_and_wait(qtbot: QtBot, panel: SummarizePanel) -> TaskEnded:
    with qtbot.waitSignal(panel.run_finished, timeout=REPLY_TIMEOUT_MS * 2) as blocker:
        assert panel.run(), panel.banner.text()
    ended = blocker.args[0]
    assert isinstance(ended, TaskEnded), panel.banner.text()
    return ended


def open_panel(qtbot: QtBot, window: MainWindow) -> SummarizePanel:
    switch_with_keys(qtbot, window, Qt.Key.Key_3)
    assert window.current_panel() is window.panels["summarize"]
    return window.panels["summarize"]


@pytest.mark.model
@requires_model
def test_summarize_a_short_text_and_reopen(qtbot: QtBot, window: MainWindow) -> None:
    panel = open_panel(qtbot, window)
    panel.input.setPlainText(SHORT_TEXT)
    panel.set_length("sentence")

    ended = run_and_wait(qtbot, panel)

    assert ended.status == "complete"
    assert ended.output.strip()
    assert panel.summary_text().strip()
    assert panel.progress_labels == ["summarizing"]
    assert panel.coverage_label.text().startswith("Covered 31 words")
    assert "in one part" in panel.coverage_label.text()

    panel.clear()
    panel.set_length("bullets")
    with qtbot.waitSignal(panel.run_opened):
        panel.history.list.setCurrentRow(0)
    assert panel.input.toPlainText() == SHORT_TEXT
    assert panel.summary_text().strip()
    assert panel.length() == "sentence"
    assert panel.coverage_label.text().startswith("Covered 31 words")


@pytest.mark.model
@requires_model
def test_a_text_longer_than_the_context_is_summarized_in_parts(
    qtbot: QtBot, home: Path, make_window: WindowFactory, tmp_path: Path
) -> None:
    small_context(home)
    window = make_window()
    panel = open_panel(qtbot, window)
    path = tmp_path / "westmere.txt"
    path.write_text(long_text(), encoding="utf-8")
    with qtbot.waitSignal(panel.file_loaded, timeout=10_000):
        panel.load_file(path)
    assert panel.source_name == "westmere.txt"

    ended = run_and_wait(qtbot, panel)

    assert ended.status == "complete", ended.error
    labels = panel.progress_labels
    assert any(label.startswith("part 2 of") for label in labels), labels
    assert "combining" in labels
    parts = ended.summary["parts"]
    assert parts >= 3
    assert ended.summary["combine_rounds"] >= 1
    assert f"in {parts} parts and" in panel.coverage_label.text()
    assert panel.summary_text().strip()
    run = panel.services.tasks.open_run(ended.conversation_id)
    assert run.status == "complete"
    assert run.conversation.title == "Summary of westmere.txt"


@pytest.mark.model
@requires_model
def test_stop_keeps_the_parts_summarized(
    qtbot: QtBot, home: Path, make_window: WindowFactory
) -> None:
    small_context(home)
    window = make_window()
    panel = open_panel(qtbot, window)
    panel.input.setPlainText(long_text())
    with qtbot.waitSignal(panel.run_finished, timeout=REPLY_TIMEOUT_MS * 2) as blocker:
        assert panel.run()
        qtbot.waitUntil(
            lambda: any(label.startswith("part 2 of") for label in panel.progress_labels),
            timeout=REPLY_TIMEOUT_MS,
        )
        qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
    ended = blocker.args[0]

    assert isinstance(ended, TaskEnded)
    assert ended.status == "stopped"
    assert ended.output.strip()  # the first part's summary
    assert panel.summary_text().strip()
    assert panel.status_label.text().startswith("Stopped")
    assert panel.coverage_label.text().startswith("Stopped after")
    assert panel.services.tasks.open_run(ended.conversation_id).status == "stopped"


def test_gbk_file_shows_its_encoding(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[threading.Thread] = []
    real_read = summarize_panel.read_text_file

    def spy(path: Path):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        return real_read(path)

    monkeypatch.setattr(summarize_panel, "read_text_file", spy)
    panel = open_panel(qtbot, window)
    text = "市议会周二开会讨论新公园。居民们要求种更多的树，增加长椅和游乐场。\n" * 20
    path = tmp_path / "议会.txt"
    path.write_bytes(text.encode("gbk"))

    with qtbot.waitSignal(panel.file_loaded, timeout=10_000):
        panel.load_file(path)

    assert panel.input.toPlainText() == text
    assert "GB" in panel.file_label.text()  # GBK or GB18030: the reader names what it used
    assert panel.file_label.text().startswith("议会.txt")
    assert threads == [threads[0]] and threads[0] is not threading.main_thread()


def test_five_megabytes_do_not_freeze_the_window(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    panel = open_panel(qtbot, window)
    line = "The quick brown fox jumps over the lazy dog near the river bank. " * 2 + "\n"
    path = tmp_path / "big.txt"
    path.write_text(line * (5_000_000 // len(line)), encoding="utf-8")

    # The GUI thread keeps handling events while the file is read and decoded.
    started = time.perf_counter()
    with qtbot.waitSignal(panel.file_loaded, timeout=20_000):
        panel.load_file(path)
        assert time.perf_counter() - started < 0.2  # load_file only queues the read
    assert panel.input.document().characterCount() > 4_900_000
    assert "5.0 MB" in panel.file_label.text()

    # Typing into the big text stays instant: nothing walks the text per keystroke.
    panel.input.moveCursor(panel.input.textCursor().MoveOperation.End)
    started = time.perf_counter()
    qtbot.keyClicks(panel.input, "more")
    assert time.perf_counter() - started < 0.5
    assert "characters" in panel.input_note.text()


def test_coverage_line_words() -> None:
    summary = {"words": 12345, "parts": 37, "parts_done": 37, "combine_rounds": 2}
    assert (
        coverage_line(summary, 5_200_000, "complete")
        == "Covered 12,345 words (5.2 MB) in 37 parts and 2 combining rounds."
    )
    assert (
        coverage_line({"words": 1, "parts": 1}, None, "complete") == "Covered 1 word in one part."
    )
    assert coverage_line({"words": 50, "parts": 4, "parts_done": 1}, 300, "stopped") == (
        "Stopped after 1 of 4 parts; the text had 50 words (300 bytes)."
    )


def test_the_summary_line_says_characters_for_chinese() -> None:
    from desktop_llm.ui.tasks.summarize_panel import coverage_line

    chinese = {"words": 322, "cjk_words": 300, "parts": 1}
    english = {"words": 322, "cjk_words": 0, "parts": 1}
    assert coverage_line(chinese, None, "complete") == "Covered 322 characters in one part."
    assert coverage_line(english, None, "complete") == "Covered 322 words in one part."
