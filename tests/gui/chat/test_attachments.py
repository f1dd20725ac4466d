"""Attachments in the window: picked or dropped files as chips, sent with the message and
shown under it; files too long for the context say so and go to the Summarize page."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop_llm.ui.chat.composer import Composer
from desktop_llm.ui.main_window import MainWindow
from desktop_llm.ui.tasks.summarize_panel import SummarizePanel
from tests.helpers.gui import REPLY_TIMEOUT_MS, send_and_wait
from tests.helpers.pdf_factory import write_pdf

CHINESE = "第一季度销售额增长百分之十二。\n华东地区表现最好，华南次之。\n"


def _chinese_file(tmp_path: Path) -> Path:
    path = tmp_path / "季度报告.txt"
    path.write_bytes(CHINESE.encode("gbk"))
    return path


def _wait_read(qtbot: QtBot, composer: Composer, count: int) -> None:
    qtbot.waitUntil(lambda: not composer.reading and len(composer.attachments()) == count)


def _drop(widget: QWidget, paths: list[Path]) -> bool:
    """A drag of files from a file manager onto widget: enter, move, drop (as Qt sends them).
    True when the drop was taken."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    point = widget.rect().center()
    copy, left, none = (
        Qt.DropAction.CopyAction,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, QDragEnterEvent(point, copy, mime, left, none))
    QApplication.sendEvent(widget, QDragMoveEvent(point, copy, mime, left, none))
    drop = QDropEvent(QPointF(point), copy, mime, left, none)
    QApplication.sendEvent(widget, drop)
    return drop.isAccepted()


@pytest.fixture
def composer(qtbot: QtBot) -> Composer:
    widget = Composer()
    widget.resize(700, 120)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shutdown()


def test_picked_files_become_removable_chips(
    composer: Composer, qtbot: QtBot, tmp_path: Path
) -> None:
    table = tmp_path / "data.csv"
    table.write_text("a,b\n1,2\n", encoding="utf-8")
    composer.attach_paths([_chinese_file(tmp_path), table])
    _wait_read(qtbot, composer, 2)
    assert [f.name for f in composer.attachments()] == ["季度报告.txt", "data.csv"]
    assert composer.attachments()[0].text == CHINESE
    chips = composer._chips
    assert chips[0].label.text() == f"季度报告.txt · {len(CHINESE.encode('gbk'))} bytes"
    assert chips[1].remove_button.accessibleName() == "Remove data.csv"
    assert composer.files_row.isVisible()
    qtbot.mouseClick(chips[1].remove_button, Qt.MouseButton.LeftButton)
    assert [f.name for f in composer.attachments()] == ["季度报告.txt"]


def test_a_file_that_cannot_be_attached_says_why(
    composer: Composer, qtbot: QtBot, tmp_path: Path
) -> None:
    image = tmp_path / "photo.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with qtbot.waitSignal(composer.attach_failed) as blocker:
        composer.attach_paths([image])
    assert blocker.args[0].startswith("photo.png is not a text file or a PDF")
    qtbot.waitUntil(lambda: not composer.reading)
    assert composer.attachments() == [] and not composer.files_row.isVisible()


def test_a_file_dropped_on_the_editor_is_attached_not_pasted(
    composer: Composer, qtbot: QtBot, tmp_path: Path
) -> None:
    code = tmp_path / "main.rs"
    code.write_text('fn main() { println!("hi"); }\n', encoding="utf-8")
    assert _drop(composer.editor.viewport(), [code])
    _wait_read(qtbot, composer, 1)
    assert composer.attachments()[0].name == "main.rs"
    assert composer.editor.toPlainText() == ""  # not the path as text


def test_files_alone_can_be_sent(composer: Composer, qtbot: QtBot, tmp_path: Path) -> None:
    composer.attach_paths([_chinese_file(tmp_path)])
    _wait_read(qtbot, composer, 1)
    with qtbot.waitSignal(composer.send_requested) as blocker:
        qtbot.keyClick(composer.editor, Qt.Key.Key_Return)
    assert blocker.args == [""]


@pytest.mark.model
def test_a_dropped_file_goes_with_the_message_and_shows_under_it(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    page = window.chat_page
    minutes = write_pdf(tmp_path / "minutes.pdf", [["Budget approved.", "Next: May 4"]])
    assert _drop(page.chat_view.viewport(), [minutes, _chinese_file(tmp_path)])
    _wait_read(qtbot, page.composer, 2)
    send_and_wait(qtbot, window, "What was decided?")
    assert page.composer.attachments() == [] and not page.composer.files_row.isVisible()

    user = page.chat_view.message_widgets()[0]
    assert user.role == "user" and user.message_id > 0
    assert [f.name for f in user.attachments()] == ["minutes.pdf", "季度报告.txt"]
    stored = page.store.attachments(page.current_id)[user.message_id]  # type: ignore[arg-type]
    assert [a.name for a in stored] == ["minutes.pdf", "季度报告.txt"]
    # A click opens the text the model was given.
    views = user.attachment_list.views  # type: ignore[union-attr]
    assert views[0].button.text().startswith("minutes.pdf · ")
    qtbot.mouseClick(views[1].button, Qt.MouseButton.LeftButton)
    assert views[1].expanded and views[1].text_view.toPlainText() == CHINESE  # type: ignore[union-attr]
    qtbot.mouseClick(views[1].button, Qt.MouseButton.LeftButton)
    assert not views[1].expanded

    # Reopened from the store (a restart), the message still shows its files.
    page.open_conversation(page.current_id)  # type: ignore[arg-type]
    reopened = page.chat_view.message_widgets()[0]
    assert [f.name for f in reopened.attachments()] == ["minutes.pdf", "季度报告.txt"]


@pytest.mark.model
def test_files_too_long_stay_in_the_composer_and_can_be_summarized(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    page = window.chat_page
    report = tmp_path / "annual report.md"
    report.write_text("Revenue grew in every region this year. " * 400, encoding="utf-8")
    page.composer.attach_paths([report])
    _wait_read(qtbot, page.composer, 1)
    editor = page.composer.editor
    editor.setFocus()
    qtbot.keyClicks(editor, "Sum this up")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.composer.too_long_shown, timeout=REPLY_TIMEOUT_MS)
    qtbot.waitUntil(lambda: not page.reply_busy, timeout=REPLY_TIMEOUT_MS)

    message = page.composer.too_long_label.text()
    assert message.startswith("The attached files need about ")
    assert "the model reads 1,024 at once" in message
    # Nothing was sent or stored; the text and the file are back where they were.
    assert editor.toPlainText() == "Sum this up"
    assert [f.name for f in page.composer.attachments()] == ["annual report.md"]
    assert page.chat_view.message_widgets() == []
    assert page.store.all_messages(page.current_id) == []  # type: ignore[arg-type]
    assert page.banner.text() == ""  # said once, in the composer

    qtbot.mouseClick(page.composer.summarize_button, Qt.MouseButton.LeftButton)
    panel = window.panels["summarize"]
    assert isinstance(panel, SummarizePanel)
    assert window.mode() == "summarize"
    qtbot.waitUntil(lambda: panel.input_loader.text() == report.read_text(encoding="utf-8"))
    assert panel.source_name == "annual report.md"
    assert panel.file_label.text() == "annual report.md"
    # The file left the message; the typed text stays for the chat.
    assert page.composer.attachments() == [] and editor.toPlainText() == "Sum this up"
    assert not page.composer.too_long_shown


def test_the_attach_action_is_in_the_chat_menu(window: MainWindow) -> None:
    assert window.attach_action.shortcut().toString() == "Ctrl+Shift+A"
    keys = [a.shortcut().toString() for a in window.actions() if not a.shortcut().isEmpty()]
    assert keys.count("Ctrl+Shift+A") == 1


def test_drag_enter_accepts_files_only(window: MainWindow) -> None:
    page = window.chat_page
    for urls, accepted in (([QUrl.fromLocalFile("/tmp/x.txt")], True), ([], False)):
        mime = QMimeData()
        if urls:
            mime.setUrls(urls)
        else:
            mime.setText("plain text")
        event = QDragEnterEvent(
            QPoint(5, 5),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        page.dragEnterEvent(event)
        assert event.isAccepted() == accepted
