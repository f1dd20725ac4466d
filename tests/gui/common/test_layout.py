"""A layout that holds: the window is usable at 960×600 on every page, in English and in
Chinese, with nothing cut off; it never resizes itself when a run or a reply ends; nothing
moves while a task runs; status messages never cover the status bar's fields; and the
status bar speaks of the page on screen."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QStatusBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop_llm.core.engine.protocol import GenerationStats
from desktop_llm.core.i18n import arg, translate
from desktop_llm.ui.common.elided_label import ElidedLabel
from desktop_llm.ui.common.model_picker import ModelPicker
from desktop_llm.ui.common.status_bar import StatusLine
from desktop_llm.ui.common.translations import install_translations, uninstall_translations
from desktop_llm.ui.main_window import MainWindow
from desktop_llm.ui.mode_switcher import MODES
from tests.gui.conftest import WindowFactory
from tests.helpers.gui import REPLY_TIMEOUT_MS, requires_model, send_and_wait

SMALL = QSize(960, 600)
LONG_NAME = "Meta-Llama-3.1-70B-Instruct-abliterated-imatrix.Q4_K_M-00001-of-00002"


@pytest.fixture(params=["en", "zh_CN"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    assert install_translations(request.param) == request.param
    yield request.param
    uninstall_translations()


def small_window(qtbot: QtBot, make_window: WindowFactory) -> MainWindow:
    window = make_window()
    window.resize(SMALL)
    qtbot.waitUntil(lambda: window.size() == SMALL, timeout=5_000)
    return window


def _in_scrolled_view(widget: QWidget, root: QWidget) -> bool:
    """Inside a scroll area (the chat's messages, a list): shown by scrolling, not cut."""
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def clipped(window: MainWindow, root: QWidget) -> list[str]:
    """Each visible label, button, combo box or line edit under root that is smaller than
    its minimum, taller in words than it is drawn, or outside the window."""
    problems: list[str] = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, QLabel | QAbstractButton | QComboBox | QLineEdit):
            continue
        if not widget.isVisibleTo(window) or _in_scrolled_view(widget, root):
            continue
        name = f"{type(widget).__name__}:{widget.objectName()}"
        text = widget.text() if isinstance(widget, QLabel | QAbstractButton) else ""
        where = f"{name} {text[:50]!r}"
        hint = widget.minimumSizeHint()
        if widget.width() < hint.width() or widget.height() < hint.height():
            problems.append(f"{where}: {widget.size().toTuple()} < {hint.toTuple()}")
        if isinstance(widget, QLabel) and widget.wordWrap() and text:
            needed = widget.heightForWidth(widget.width())
            if widget.height() < needed:
                problems.append(f"{where}: {widget.height()} px high, needs {needed}")
        if isinstance(widget, ModelPicker):
            shown = widget.shown_text()
            if shown != widget.currentText() and not shown.endswith("…"):
                problems.append(f"{where}: {shown!r} cut off")
            if widget.fontMetrics().horizontalAdvance(shown) > widget.width():
                problems.append(f"{where}: {shown!r} wider than the box")
        rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
        if not window.rect().contains(rect):
            problems.append(f"{where}: {rect.getRect()} outside {window.rect().getRect()}")
    return problems


def pages(window: MainWindow) -> Iterator[str]:
    for index, (key, _title) in enumerate(MODES):
        window.show_mode(index)
        QApplication.processEvents()
        yield key


def test_every_page_fits_at_960_by_600(
    qtbot: QtBot, language: str, make_window: WindowFactory
) -> None:
    window = small_window(qtbot, make_window)
    # Long texts where they arrive: a chat title, a file name, a long model name.
    chat = window.chat_page
    chat.title_label.setText("A very long chat title " * 8)
    window.status_line.record("chat", LONG_NAME, "CPU", None)
    window.panels["summarize"].file_label.setText("a-very-long-file-name-" * 6 + ".txt (2 MB)")
    for key in pages(window):
        page = window.pages.currentWidget()
        hint = window.minimumSizeHint()
        assert hint.width() <= SMALL.width() and hint.height() <= SMALL.height(), (key, hint)
        assert window.size() == SMALL, key
        problems = clipped(window, page)
        for bar in (window.status_line, window.switcher, window.toolbar):
            problems += clipped(window, bar)
        assert not problems, (language, key, problems)


def test_a_long_model_name_is_elided_in_the_picker(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = small_window(qtbot, make_window)
    picker = window.chat_page.model_picker
    width = picker.width()
    picker.setItemText(picker.currentIndex(), LONG_NAME)
    QApplication.processEvents()
    assert picker.width() == width and window.size() == SMALL  # the box did not grow
    assert picker.shown_text().endswith("…") and picker.shown_text() != LONG_NAME
    assert picker.fontMetrics().horizontalAdvance(picker.shown_text()) < picker.width()
    assert not clipped(window, window.chat_page)


@pytest.mark.parametrize("size", ["960x600", "smallest"])
def test_a_done_line_stays_on_one_line(qtbot: QtBot, make_window: WindowFactory, size: str) -> None:
    window = small_window(qtbot, make_window)
    if size == "smallest":  # the window at its very minimum: still one line
        window.resize(window.minimumSizeHint())
        qtbot.waitUntil(lambda: window.size() == window.minimumSizeHint(), timeout=5_000)
    for panel in window.panels.values():
        window.show_task(panel.task)
        panel.set_status(arg(translate("TaskPanel", "Done in %1 s."), "12.3"))
        QApplication.processEvents()
        label = panel.status_label
        line = label.fontMetrics().lineSpacing()
        flags = int(Qt.TextFlag.TextWordWrap)
        drawn = label.fontMetrics().boundingRect(
            QRect(0, 0, label.width(), 1000), flags, label.text()
        )
        assert drawn.height() < 2 * line, panel.task  # one line of text
        assert label.width() > label.fontMetrics().horizontalAdvance(label.text()), panel.task


def test_marking_a_busy_mode_moves_nothing(
    qtbot: QtBot, language: str, make_window: WindowFactory
) -> None:
    window = small_window(qtbot, make_window)
    page = window.pages.geometry()
    for key, _title in MODES:
        window.switcher.set_busy(key)
        QApplication.processEvents()
        assert window.pages.geometry() == page, key
        assert not clipped(window, window.switcher), key
    window.switcher.set_busy(None)


def test_status_messages_never_cover_the_fields(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = small_window(qtbot, make_window)
    status: StatusLine = window.status_line
    stats = GenerationStats(10, 20, 0, 130.0, 900.0, 42.5, "stop")
    status.record("chat", LONG_NAME, "CPU", None)
    status.set_stats(stats)
    status.set_state("Ready")
    long_message = "Downloaded a-model-with-a-long-name.gguf; it is in the model list now. " * 4
    status.showMessage(long_message, 60_000)
    QApplication.processEvents()

    shown = [status.state_label, *(f for f in status.fields() if f.isVisible())]
    assert len(shown) == 5, [label.text() for label in shown]
    rects = [QRect(label.mapTo(status, QPoint(0, 0)), label.size()) for label in shown]
    for i, a in enumerate(rects):
        assert status.rect().contains(a), (shown[i].text(), a.getRect())
        for j, b in enumerate(rects[i + 1 :], start=i + 1):
            assert not a.intersects(b), (shown[i].text(), shown[j].text())
    # The message is in the state's place, cut with "…"; QStatusBar paints nothing over.
    assert status.state() == long_message and status.currentMessage() == long_message
    assert QStatusBar.currentMessage(status) == ""  # what QStatusBar would paint over them
    assert isinstance(status.state_label, ElidedLabel) and status.state_label.is_elided()
    assert status.state_label.elided_text().endswith("…")
    assert window.size() == SMALL
    # The state comes back when the message is cleared (or times out).
    status.clearMessage()
    assert status.state() == "Ready" and status.currentMessage() == ""
    status.showMessage("Copied to the clipboard.", 50)
    qtbot.waitUntil(lambda: status.state() == "Ready", timeout=2_000)
    # A new state replaces a message at once.
    status.showMessage("Settings saved.", 60_000)
    status.set_state("Writing…")
    assert status.state() == "Writing…" and status.currentMessage() == ""


def geometry(widgets: list[QWidget], window: MainWindow) -> list[tuple[int, int, int, int]]:
    return [QRect(w.mapTo(window, QPoint(0, 0)), w.size()).getRect() for w in widgets]


@pytest.mark.model
@requires_model
def test_the_window_holds_its_size_and_nothing_moves_during_a_run(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = small_window(qtbot, make_window)
    chat_end = send_and_wait(qtbot, window, "Name one colour.")
    assert window.size() == SMALL
    chat_speed = window.status_line.speed_label.text()
    assert chat_end.stats is not None and chat_speed.endswith("tokens/s")

    panel = window.show_task("translate")
    QApplication.processEvents()
    # The translate page ran nothing yet: no chat speed is shown as if it were its own.
    assert not window.status_line.speed_label.isVisible()
    assert window.status_line.model_label.text().startswith("Model:")
    panel.set_languages("en", "fr")
    panel.input.setPlainText(
        "The lighthouse keeper climbed the stairs every evening.\n\n"
        "Ships passed the rocky coast safely because of his work."
    )
    watched: list[QWidget] = [
        panel.input,
        panel.output,
        panel.status_label,
        panel.run_button,
        panel.stop_button,
        panel.clear_button,
        panel.copy_button,
        panel.history,
        window.switcher,
    ]
    before = geometry(watched, window)
    during: list[list[tuple[int, int, int, int]]] = []
    panel.progress_seen.connect(lambda _label: during.append(geometry(watched, window)))
    with qtbot.waitSignal(panel.run_finished, timeout=REPLY_TIMEOUT_MS) as blocker:
        assert panel.run()
        QApplication.processEvents()
        assert panel.progress.isVisible() and not panel.cost_label.isVisible()
        during.append(geometry(watched, window))
    ended = blocker.args[0]
    assert ended is not None and ended.status == "complete", panel.banner.text()
    QApplication.processEvents()

    assert window.size() == SMALL
    assert during and all(g == before for g in during), (before, during)
    assert not panel.progress.isVisible()
    # The status may take a second line for an outcome; the buttons stay where they were.
    after = geometry(watched, window)
    assert after[3:7] == before[3:7]  # the buttons
    assert [g[2] for g in after] == [g[2] for g in before]  # no width changed
    assert not clipped(window, panel)

    # The status bar speaks of the page on screen: the run's speed here, the reply's there.
    run_status = window.status_line.page_status("translate")
    assert run_status.speed is not None and run_status.model
    assert run_status.device == "CPU"
    run_speed = window.status_line.speed_label.text()
    window.show_mode(0)
    assert window.status_line.speed_label.text() == chat_speed
    window.show_task("translate")
    assert window.status_line.speed_label.text() == run_speed

    # A second reply ends: still the same size.
    window.show_mode(0)
    send_and_wait(qtbot, window, "And another one?")
    QApplication.processEvents()
    assert window.size() == SMALL
    # What the runs left on screen (results, status lines, speeds) still fits everywhere.
    for key in pages(window):
        hint = window.minimumSizeHint()
        assert hint.width() <= SMALL.width() and hint.height() <= SMALL.height(), (key, hint)
        assert not clipped(window, window.pages.currentWidget()), key
        assert not clipped(window, window.status_line), key
