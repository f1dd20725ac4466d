"""One message in the chat view: role, Markdown body, status note, and its buttons."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QPoint, QSize, QSizeF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QPalette,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
    QTextFrameFormat,
    QTextTable,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QTextBrowser,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_llm.core.chat.attachments import AttachedFile
from desktop_llm.core.i18n import QT_TRANSLATE_NOOP, arg, translate
from desktop_llm.ui.chat.attachment_view import AttachmentList
from desktop_llm.ui.chat.code_block import CodeBlock, CodeHighlighter
from desktop_llm.ui.chat.segments import Segment, split_segments
from desktop_llm.ui.common.icons import set_icon
from desktop_llm.ui.common.style import color
from desktop_llm.ui.common.theme import follow_scheme

ACTION_ICON_SIZE = 16

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
        self.setAccessibleName(translate("ChatPage", "Message text"))
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
        self._style_tables()
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

    def _style_tables(self) -> None:
        """Tables with ruled cells (Qt's Markdown tables have no borders), header row bold."""
        frames = self.document().rootFrame().childFrames()
        if not frames:
            return
        rule = QGuiApplication.palette().color(QPalette.ColorRole.Mid)
        for frame in frames:
            if not isinstance(frame, QTextTable):
                continue
            fmt = frame.format()
            fmt.setBorder(1)
            fmt.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
            fmt.setBorderBrush(rule)
            fmt.setBorderCollapse(True)
            fmt.setCellSpacing(0)
            fmt.setCellPadding(4)
            fmt.setHeaderRowCount(1)
            frame.setFormat(fmt)
            bold = QTextCharFormat()
            bold.setFontWeight(QFont.Weight.Bold)
            cursor = QTextCursor(self.document())
            for column in range(frame.columns()):
                cell = frame.cellAt(0, column)
                cursor.setPosition(cell.firstCursorPosition().position())
                cursor.setPosition(
                    cell.lastCursorPosition().position(), QTextCursor.MoveMode.KeepAnchor
                )
                cursor.mergeCharFormat(bold)

    def _fit_height(self, size: QSizeF | None = None) -> None:
        height = int((size or self.document().size()).height()) + 2
        if height != self.height():
            self.setFixedHeight(height)


class RichText(QWidget):
    """A message's body: Markdown prose views and code blocks, in order.

    Re-rendered on every streaming frame, it re-uses its widgets: a part whose source did
    not change is left alone, so only the part being written (usually the last) is laid out
    again, however long the reply already is.
    """

    def __init__(
        self, highlighter: CodeHighlighter | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        self._highlighter = highlighter
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self._parts: list[MarkdownView | CodeBlock] = []
        self._sources: list[tuple[Segment, bool] | str] = []

    def parts(self) -> list[MarkdownView | CodeBlock]:
        return list(self._parts)

    def code_blocks(self) -> list[CodeBlock]:
        return [p for p in self._parts if isinstance(p, CodeBlock)]

    def toPlainText(self) -> str:  # as QTextEdit's, which this body replaced
        return "\n".join(
            p.code() if isinstance(p, CodeBlock) else p.toPlainText() for p in self._parts
        )

    def set_plain(self, text: str) -> None:
        """Text shown exactly as typed, in one view."""
        view = self._part(0, MarkdownView)
        if self._sources[0] != text:
            view.set_plain(text)
            self._sources[0] = text
        self._trim(1)

    def set_markdown(self, text: str, *, final: bool = True) -> None:
        """Markdown; `final` is False while the text is still streaming in."""
        segments = split_segments(text)
        for index, segment in enumerate(segments):
            closed = final or segment.closed
            kind = CodeBlock if segment.kind == "code" else MarkdownView
            part = self._part(index, kind)
            if self._sources[index] == (segment, closed):
                continue
            self._sources[index] = (segment, closed)
            if isinstance(part, CodeBlock):
                part.set_code(segment.text, segment.language, final=closed)
            else:
                part.set_markdown(segment.text)
        self._trim(len(segments))

    def restyle(self) -> None:
        """Render the prose again (its code and table colours come from the palette)."""
        for index, part in enumerate(self._parts):
            source = self._sources[index]
            if isinstance(part, MarkdownView) and isinstance(source, tuple):
                part.set_markdown(source[0].text)

    def _part(self, index: int, kind: type[MarkdownView] | type[CodeBlock]) -> Any:
        if index < len(self._parts) and type(self._parts[index]) is kind:
            return self._parts[index]
        self._trim(index)
        part = CodeBlock(self._highlighter, self) if kind is CodeBlock else MarkdownView(self)
        self._layout.addWidget(part)
        self._parts.append(part)
        self._sources.append("")
        return part

    def _trim(self, count: int) -> None:
        while len(self._parts) > count:
            part = self._parts.pop()
            self._sources.pop()
            part.hide()
            self._layout.removeWidget(part)
            part.deleteLater()


class MessageWidget(QFrame):
    """A user or assistant message. Assistant text is Markdown; user text is shown as typed."""

    copy_requested = Signal(int)
    edit_requested = Signal(int)
    regenerate_requested = Signal(int)
    version_requested = Signal(int)  # the id of the version to show instead of this one

    def __init__(
        self,
        message_id: int,
        role: str,
        content: str,
        status: str = "complete",
        error: str | None = None,
        parent: QWidget | None = None,
        highlighter: CodeHighlighter | None = None,
    ) -> None:
        super().__init__(parent)
        self.message_id = message_id
        self.role = role
        self.status = status
        self.error = error
        self._text = content
        self._marks: tuple[str, ...] = ()  # a search's words, highlighted in the text
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
            "copy",
            translate("ChatPage", "Copy"),
            translate("ChatPage", "Copy this message to the clipboard"),
        )
        self.copy_button.clicked.connect(self._copy)
        self.edit_button = self._button(
            "edit",
            translate("ChatPage", "Edit"),
            translate(
                "ChatPage",
                "Edit this message and send it again: a new branch starts here, this one "
                "stays as the other version",
            ),
        )
        self.edit_button.clicked.connect(lambda: self.edit_requested.emit(self.message_id))
        self.regenerate_button = self._button(
            "regenerate",
            translate("ChatPage", "Regenerate"),
            translate("ChatPage", "Write this reply again; this one stays as a version"),
        )
        self.regenerate_button.clicked.connect(
            lambda: self.regenerate_requested.emit(self.message_id)
        )
        self.edit_button.hide()
        self.regenerate_button.hide()
        self._build_version_switcher()
        # Tab follows the header as drawn: ‹, ›, Edit, Regenerate, Copy.
        QWidget.setTabOrder(self.previous_button, self.next_button)
        QWidget.setTabOrder(self.next_button, self.edit_button)
        QWidget.setTabOrder(self.edit_button, self.regenerate_button)
        QWidget.setTabOrder(self.regenerate_button, self.copy_button)

        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(self.role_label)
        header.addWidget(self.previous_button)
        header.addWidget(self.version_label)
        header.addWidget(self.next_button)
        header.addStretch(1)
        header.addWidget(self.edit_button)
        header.addWidget(self.regenerate_button)
        header.addWidget(self.copy_button)

        self.attachment_list: AttachmentList | None = None  # made for the first file
        self.body = RichText(highlighter, self)
        self.note = QLabel()
        self.note.setObjectName("statusNote")
        self.note.setWordWrap(True)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note.hide()
        self.cost = QLabel()
        self.cost.setObjectName("costLine")
        self.cost.setEnabled(False)  # the palette's quiet, disabled text colour
        self.cost.setWordWrap(True)  # a contended reply says so at length (contention_words)
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
        follow_scheme(self, self._on_scheme)

    def _build_version_switcher(self) -> None:
        """‹ 2/3 ›: which version of this message is shown, and the way to the others."""
        self.versions: tuple[int, ...] = (self.message_id,)
        previous = translate("ChatPage", "Previous version")
        self.previous_button = self._button("previous", previous, previous)
        self.previous_button.setAccessibleName(previous)
        self.previous_button.clicked.connect(lambda: self._step_version(-1))
        following = translate("ChatPage", "Next version")
        self.next_button = self._button("next", following, following)
        self.next_button.setAccessibleName(following)
        self.next_button.clicked.connect(lambda: self._step_version(1))
        self.version_label = QLabel()
        self.version_label.setObjectName("versionLabel")
        for widget in (self.previous_button, self.version_label, self.next_button):
            widget.hide()

    def set_versions(self, versions: tuple[int, ...], *, can_switch: bool = True) -> None:
        """The ids of this message's versions, oldest first (this one among them)."""
        self.versions = versions if self.message_id in versions else (self.message_id,)
        count = len(self.versions)
        shown = count > 1
        for widget in (self.previous_button, self.version_label, self.next_button):
            widget.setVisible(shown)
        if not shown:
            return
        index = self.versions.index(self.message_id)
        self.version_label.setText(arg(translate("ChatPage", "%1/%2"), index + 1, count))
        self.version_label.setAccessibleName(
            arg(translate("ChatPage", "Version %1 of %2"), index + 1, count)
        )
        self.version_label.setToolTip(self.version_label.accessibleName())
        self.previous_button.setEnabled(can_switch and index > 0)
        self.next_button.setEnabled(can_switch and index < count - 1)

    def _step_version(self, step: int) -> None:
        index = self.versions.index(self.message_id) + step
        if 0 <= index < len(self.versions):
            self.version_requested.emit(self.versions[index])

    def _on_scheme(self, _scheme: str) -> None:
        self.body.restyle()  # the code blocks follow the scheme themselves
        if self._marks:
            self._apply_marks()  # in the new scheme's colour

    def _button(self, icon_name: str, text: str, tip: str) -> QToolButton:
        """An action in the header: its icon, its text the name a screen reader says."""
        button = QToolButton(self)
        button.setText(text)
        set_icon(button, icon_name)
        button.setIconSize(QSize(ACTION_ICON_SIZE, ACTION_ICON_SIZE))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
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
            self.body.set_markdown(self._text, final=self.status != "streaming")
        elif self.status == "streaming":
            self.body.set_plain("…")
        else:
            self.body.set_plain("")
        if self._marks:
            self._apply_marks()

    # --- search marks ----------------------------------------------------------------------

    def mark(self, terms: Sequence[str]) -> None:
        """Highlight every place a search's words occur in the text (none: clear)."""
        if not terms and not self._marks:
            return
        self._marks = tuple(t for t in terms if t)
        self._apply_marks()

    def marks(self) -> list[str]:
        """The highlighted text, each place in order (what a test or a reader can check)."""
        return [
            selection.cursor.selectedText()
            for view in self._text_views()
            for selection in view.extraSelections()
        ]

    def first_mark_y(self) -> int | None:
        """Where the first highlighted place is, in this widget's coordinates."""
        for view in self._text_views():
            selections = view.extraSelections()
            if selections:
                top = view.cursorRect(selections[0].cursor).top()
                return view.viewport().mapTo(self, QPoint(0, top)).y()
        return None

    def _text_views(self) -> list[QTextBrowser]:
        return [p.view if isinstance(p, CodeBlock) else p for p in self.body.parts()]

    def _apply_marks(self) -> None:
        for view in self._text_views():
            if isinstance(view.parentWidget(), CodeBlock) and not view.property("marksFollow"):
                # A code block's colours arrive later and replace its text: mark it again.
                view.setProperty("marksFollow", True)
                view.document().contentsChanged.connect(lambda v=view: self._mark_view(v))
            self._mark_view(view)

    def _mark_view(self, view: QTextBrowser) -> None:
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(color("match")))
        fmt.setForeground(QGuiApplication.palette().color(QPalette.ColorRole.Text))
        document = view.document()
        selections: list[QTextEdit.ExtraSelection] = []
        for term in self._marks:
            cursor = document.find(term, 0)
            while not cursor.isNull():
                selection = QTextEdit.ExtraSelection()
                selection.cursor = cursor  # type: ignore[misc]
                selection.format = fmt  # type: ignore[misc]
                selections.append(selection)
                cursor = document.find(term, cursor)
        selections.sort(key=lambda s: s.cursor.selectionStart())
        view.setExtraSelections(selections)

    def finish(self, status: str, content: str, error: str | None) -> None:
        self.status, self.error, self._text = status, error, content
        self.render()
        self._show_status()

    def _show_status(self) -> None:
        note = status_note(self.status, self.error)
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.copy_button.setEnabled(self.status != "streaming")

    def set_attachments(self, files: Sequence[AttachedFile]) -> None:
        """The files sent with this message, between its header and its text."""
        if self.attachment_list is None:
            if not files:
                return
            self.attachment_list = AttachmentList(self)
            layout = self.layout()
            assert isinstance(layout, QVBoxLayout)
            layout.insertWidget(1, self.attachment_list)  # after the header
        self.attachment_list.set_files(files)

    def attachments(self) -> list[AttachedFile]:
        if self.attachment_list is None:
            return []
        return [view.file for view in self.attachment_list.views]

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
