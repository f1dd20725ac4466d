"""Where the user types: Enter sends, Shift+Enter starts a new line; Send turns into Stop."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_llm.core.i18n import translate


class MessageEditor(QPlainTextEdit):
    submitted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(
            translate("ChatPage", "Message the model — Enter sends, Shift+Enter adds a line")
        )
        self.setTabChangesFocus(True)
        self._composing = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().contentsChanged.connect(self._fit_height)
        self._fit_height()

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:
        # An input method (pinyin, kana) is composing while it shows pre-edit text; the
        # Enter that ends a composition belongs to it, not to "send".
        self._composing = bool(event.preeditString())
        super().inputMethodEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._composing:
            event.accept()  # neither a send nor a new line under a half-typed word
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.insertPlainText("\n")
            else:
                self.submitted.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def _fit_height(self) -> None:
        # Grows with the text up to eight lines, then scrolls. Measured from the laid-out
        # lines, not the font's line spacing: Chinese and Japanese fall back to a CJK font
        # whose lines are taller than the UI font's, and one line of them would scroll.
        line_height = self.fontMetrics().lineSpacing()
        content = 0.0
        block = self.document().begin()
        while block.isValid():
            layout = block.layout()
            if layout is not None and layout.lineCount():
                content += layout.boundingRect().height()
            else:
                content += line_height
            block = block.next()
        content = min(max(content, line_height), 8 * line_height)
        margins = self.contentsMargins().top() + self.contentsMargins().bottom()
        doc_margin = self.document().documentMargin() * 2
        self.setFixedHeight(math.ceil(content + margins + doc_margin) + 4)


class Composer(QWidget):
    """The editor, the Send/Stop button, and a note while an earlier message is being edited."""

    send_requested = Signal(str)
    stop_requested = Signal()
    edit_cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = MessageEditor(self)
        self.editor.setAccessibleName(translate("ChatPage", "Message"))
        self.editor.submitted.connect(self._submit)
        self.send_button = QPushButton(translate("ChatPage", "Send"))
        self.send_button.setToolTip(translate("ChatPage", "Send (Enter)"))
        self.send_button.clicked.connect(self._on_button)
        self.send_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

        self.edit_note = QLabel(
            translate(
                "ChatPage",
                "Editing a message: Enter sends it as a new branch; the earlier one stays.",
            )
        )
        self.edit_note.setObjectName("editNote")
        self.cancel_edit_button = QToolButton()
        self.cancel_edit_button.setText(translate("ChatPage", "Cancel edit"))
        self.cancel_edit_button.setAutoRaise(True)
        self.cancel_edit_button.clicked.connect(self.cancel_edit)
        self._edit_row = QWidget()
        edit_layout = QHBoxLayout(self._edit_row)
        edit_layout.setContentsMargins(0, 0, 0, 0)
        edit_layout.addWidget(self.edit_note)
        edit_layout.addStretch(1)
        edit_layout.addWidget(self.cancel_edit_button)
        self._edit_row.hide()

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.editor, 1)
        row.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 10)
        layout.setSpacing(4)
        layout.addWidget(self._edit_row)
        layout.addLayout(row)

        self._busy = False
        self.editing = False

    def text(self) -> str:
        return self.editor.toPlainText()

    def set_busy(self, busy: bool) -> None:
        """While a reply is written the button stops it, and Enter does not send."""
        self._busy = busy
        if busy:
            self.send_button.setText(translate("ChatPage", "Stop"))
            self.send_button.setToolTip(translate("ChatPage", "Stop the reply (Esc)"))
        else:
            self.send_button.setText(translate("ChatPage", "Send"))
            self.send_button.setToolTip(translate("ChatPage", "Send (Enter)"))

    def start_edit(self, text: str) -> None:
        self.editing = True
        self.editor.setPlainText(text)
        self.editor.moveCursor(self.editor.textCursor().MoveOperation.End)
        self._edit_row.show()
        self.editor.setFocus()

    def cancel_edit(self) -> None:
        if self.editing:
            self.editing = False
            self._edit_row.hide()
            self.editor.clear()
            self.edit_cancelled.emit()

    def finish_edit(self) -> None:
        self.editing = False
        self._edit_row.hide()

    def _on_button(self) -> None:
        if self._busy:
            self.stop_requested.emit()
        else:
            self._submit()

    def _submit(self) -> None:
        if self._busy:
            return  # one reply at a time; the text stays in the editor
        text = self.editor.toPlainText()
        if text.strip():
            self.send_requested.emit(text)
