"""One message in the chat view: role, Markdown body, status note, and its buttons."""

from __future__ import annotations

from PySide6.QtCore import QSizeF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QGuiApplication,
    QPalette,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_llm.core.i18n import QT_TRANSLATE_NOOP, arg, translate

STATUS_NOTES = {
    "stopped": QT_TRANSLATE_NOOP(
        "ChatPage", "Stopped: you stopped this reply; the text so far was kept."
    ),
    "interrupted": QT_TRANSLATE_NOOP(
        "ChatPage", "Interrupted: the reply did not finish; the text so far was kept."
    ),
    "error": QT_TRANSLATE_NOOP("ChatPage", "Error: the reply could not be written."),
}
# The word before the engine's own explanation ("Interrupted: the process ended").
STATUS_WORDS = {
    "stopped": QT_TRANSLATE_NOOP("ChatPage", "Stopped"),
    "interrupted": QT_TRANSLATE_NOOP("ChatPage", "Interrupted"),
    "error": QT_TRANSLATE_NOOP("ChatPage", "Error"),
}


def status_note(status: str, error: str | None) -> str:
    """The plain-words line shown under a reply that did not complete."""
    if status == "complete" or status == "streaming":
        return ""
    if error:
        # "The process ended" reads on as "Interrupted: the process ended"; acronyms stay.
        if len(error) > 1 and not error[1].isupper():
            error = error[0].lower() + error[1:]
        return arg(translate("ChatPage", "%1: %2"), _status_word(status), error)
    if status in STATUS_NOTES:
        return translate("ChatPage", STATUS_NOTES[status])
    return status.capitalize()


def _status_word(status: str) -> str:
    if status in STATUS_WORDS:
        return translate("ChatPage", STATUS_WORDS[status])
    return status.capitalize()  # a status this version does not know: shown as stored


def _code_background() -> QColor:
    # The application's palette: this view's own Base is transparent (it sits on its frame).
    base = QGuiApplication.palette().color(QPalette.ColorRole.Base)
    base.setAlpha(255)
    # A shade away from the page colour, in light and dark themes alike.
    return base.darker(107) if base.lightness() > 128 else base.lighter(150)


class MarkdownView(QTextBrowser):
    """A read-only, selectable text view whose height follows its content.

    Each message is its own small document, so a streaming reply re-renders alone and the
    rest of the conversation is left as it is.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenExternalLinks(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.viewport().setAutoFillBackground(False)
        self.setStyleSheet("QTextBrowser { background: transparent; }")
        self.document().setDocumentMargin(2)
        # QTextEdit lays the document out at the viewport's width on every resize; its size
        # signal is all that is needed to follow it. (No resizeEvent/sizeHint overrides: each
        # Python override costs a GIL hand-off per layout pass, which stalls the GUI while the
        # engine thread runs Python code.)
        self.document().documentLayout().documentSizeChanged.connect(self._fit_height)

    def set_markdown(self, text: str) -> None:
        self.document().setMarkdown(text)
        self._style_code()
        self._fit_height()

    def set_plain(self, text: str) -> None:
        self.document().setPlainText(text)
        self._fit_height()

    def _style_code(self) -> None:
        """Code blocks in the system's monospace font on a tinted background."""
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        block_format = QTextBlockFormat()
        block_format.setBackground(_code_background())
        block_format.setLeftMargin(6)
        block_format.setRightMargin(6)
        char_format = QTextCharFormat()
        char_format.setFontFamilies([fixed.family(), "monospace"])
        char_format.setFontFixedPitch(True)
        cursor = QTextCursor(self.document())
        block = self.document().begin()
        while block.isValid():
            fmt = block.blockFormat()
            if fmt.hasProperty(QTextFormat.Property.BlockCodeFence) or fmt.hasProperty(
                QTextFormat.Property.BlockCodeLanguage
            ):
                cursor.setPosition(block.position())
                cursor.setPosition(
                    block.position() + block.length() - 1, QTextCursor.MoveMode.KeepAnchor
                )
                cursor.mergeBlockFormat(block_format)
                cursor.mergeCharFormat(char_format)
            block = block.next()

    def _fit_height(self, size: QSizeF | None = None) -> None:
        height = int((size or self.document().size()).height()) + 2
        if height != self.height():
            self.setFixedHeight(height)


class MessageWidget(QFrame):
    """A user or assistant message. Assistant text is Markdown; user text is shown as typed."""

    copy_requested = Signal(int)
    edit_requested = Signal(int)
    regenerate_requested = Signal(int)

    def __init__(
        self,
        message_id: int,
        role: str,
        content: str,
        status: str = "complete",
        error: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.message_id = message_id
        self.role = role
        self.status = status
        self.error = error
        self._text = content
        self.setObjectName("userMessage" if role == "user" else "assistantMessage")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)

        self.role_label = QLabel(
            translate("ChatPage", "You") if role == "user" else translate("ChatPage", "Assistant")
        )
        font = self.role_label.font()
        font.setBold(True)
        self.role_label.setFont(font)

        self.copy_button = self._button(
            translate("ChatPage", "Copy"),
            translate("ChatPage", "Copy this message to the clipboard"),
        )
        self.copy_button.clicked.connect(self._copy)
        self.edit_button = self._button(
            translate("ChatPage", "Edit"),
            translate("ChatPage", "Edit your last message and send it again"),
        )
        self.edit_button.clicked.connect(lambda: self.edit_requested.emit(self.message_id))
        self.regenerate_button = self._button(
            translate("ChatPage", "Regenerate"), translate("ChatPage", "Write this reply again")
        )
        self.regenerate_button.clicked.connect(
            lambda: self.regenerate_requested.emit(self.message_id)
        )
        self.edit_button.hide()
        self.regenerate_button.hide()

        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(self.role_label)
        header.addStretch(1)
        header.addWidget(self.edit_button)
        header.addWidget(self.regenerate_button)
        header.addWidget(self.copy_button)

        self.body = MarkdownView(self)
        self.note = QLabel()
        self.note.setObjectName("statusNote")
        self.note.setWordWrap(True)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note.hide()
        self.cost = QLabel()
        self.cost.setObjectName("costLine")
        self.cost.setEnabled(False)  # the palette's quiet, disabled text colour
        self.cost.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.cost.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 8)
        layout.setSpacing(2)
        layout.addLayout(header)
        layout.addWidget(self.body)
        layout.addWidget(self.note)
        layout.addWidget(self.cost)
        self.render()
        self._show_status()

    def _button(self, text: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        return button

    # --- content -------------------------------------------------------------------------

    def text(self) -> str:
        return self._text

    def append(self, text: str) -> None:
        """Add streamed text; the view calls render() on its own clock, not per token."""
        self._text += text

    def render(self) -> None:
        if self.role == "user":
            self.body.set_plain(self._text)
        elif self._text:
            self.body.set_markdown(self._text)
        elif self.status == "streaming":
            self.body.set_plain("…")
        else:
            self.body.set_plain("")

    def finish(self, status: str, content: str, error: str | None) -> None:
        self.status, self.error, self._text = status, error, content
        self.render()
        self._show_status()

    def _show_status(self) -> None:
        note = status_note(self.status, self.error)
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.copy_button.setEnabled(self.status != "streaming")

    def set_cost(self, line: str, tooltip: str) -> None:
        """What the reply cost in energy and carbon; an empty line hides it."""
        self.cost.setText(line)
        self.cost.setToolTip(tooltip)
        self.cost.setVisible(bool(line))

    def set_actions(self, *, can_edit: bool, can_regenerate: bool) -> None:
        self.edit_button.setVisible(can_edit)
        self.regenerate_button.setVisible(can_regenerate)

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self._text)
        self.copy_requested.emit(self.message_id)
