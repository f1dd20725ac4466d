"""The composer with Chinese: an input method's composition is never sent half-written,
and one line of CJK text fits without a scrollbar."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QInputMethodEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_llm.ui.chat.composer import MessageEditor


@pytest.fixture
def editor(qtbot: QtBot) -> MessageEditor:
    widget = MessageEditor()
    widget.resize(600, 40)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.setFocus()
    return widget


def _compose(editor: MessageEditor, preedit: str, commit: str = "") -> None:
    event = QInputMethodEvent(preedit, [])
    if commit:
        event.setCommitString(commit)
    QApplication.sendEvent(editor, event)


def test_enter_while_composing_does_not_send(editor: MessageEditor, qtbot: QtBot) -> None:
    sent: list[str] = []
    editor.submitted.connect(lambda: sent.append(editor.toPlainText()))
    _compose(editor, "ni hao")  # pinyin being typed, candidates open
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the input method's Enter: commit the Latin
    assert sent == []
    _compose(editor, "", commit="你好")  # the composition is committed
    assert editor.toPlainText() == "你好" and sent == []
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # now Enter sends
    assert sent == ["你好"]


def test_a_composition_cancelled_with_escape_leaves_nothing(editor: MessageEditor) -> None:
    _compose(editor, "zhong")
    _compose(editor, "")  # the input method ends the composition with nothing committed
    assert editor.toPlainText() == ""


@pytest.mark.parametrize("text", ["你好，今天天气怎么样？", "こんにちは", "Hello 世界"])
def test_one_line_of_cjk_needs_no_scrollbar(editor: MessageEditor, qtbot: QtBot, text: str) -> None:
    editor.setPlainText(text)
    qtbot.wait(50)  # laid out
    assert editor.verticalScrollBar().maximum() == 0
    one_line = editor.height()
    editor.setPlainText(text + "\n" + text)
    qtbot.wait(50)
    assert editor.verticalScrollBar().maximum() == 0 and editor.height() > one_line


def test_a_larger_cjk_font_still_fits(editor: MessageEditor, qtbot: QtBot) -> None:
    font = QFont(editor.font())
    font.setPointSize(font.pointSize() + 6)
    editor.setFont(font)
    editor.setPlainText("中文输入测试")
    qtbot.wait(50)
    assert editor.verticalScrollBar().maximum() == 0
