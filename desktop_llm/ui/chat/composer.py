"""Where the user types: Enter sends, Shift+Enter starts a new line; Send turns into Stop.

Files attached to the message (Attach files…, or dropped on the chat) are read in the
composer's own pool and shown as chips above the editor, each with its name, size and a
button to remove it; they go with the message when it is sent.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from pathlib import Path

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_llm.core.chat.attachments import (
    DIALOG_PATTERNS,
    AttachedFile,
    AttachmentsTooLong,
    read_attachment,
)
from desktop_llm.core.display_text import plain_rich_text
from desktop_llm.core.i18n import arg, translate
from desktop_llm.core.models import format_bytes
from desktop_llm.ui.common.style import set_tone
from desktop_llm.ui.common.worker import Worker, make_pool, run_in_pool, stop_pool


def local_files(mime: QMimeData) -> list[Path]:
    """The local files a drag carries (none for text or remote links)."""
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class MessageEditor(QPlainTextEdit):
    submitted = Signal()
    files_dropped = Signal(list)  # [Path]: files dropped on the editor are attached

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

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return bool(local_files(source)) or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        # A file dropped here is attached, not pasted as its path.
        files = local_files(source)
        if files:
            self.files_dropped.emit(files)
        else:
            super().insertFromMimeData(source)

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


class AttachmentChip(QFrame):
    """One attached file above the editor: its name and size, and ✕ to remove it."""

    remove_requested = Signal(object)  # this chip

    def __init__(self, file: AttachedFile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.file = file
        self.setObjectName("attachmentChip")
        self.label = QLabel(f"{file.name} · {format_bytes(file.size)}")
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # a file name: never markup
        self.label.setToolTip(plain_rich_text(file.name))
        self.remove_button = QToolButton()
        self.remove_button.setText("✕")
        self.remove_button.setAutoRaise(True)
        self.remove_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.remove_button.setToolTip(translate("ChatPage", "Remove this file from the message"))
        self.remove_button.setAccessibleName(arg(translate("ChatPage", "Remove %1"), file.name))
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 1, 2, 1)
        row.setSpacing(2)
        row.addWidget(self.label)
        row.addWidget(self.remove_button)


class Composer(QWidget):
    """The editor, the Send/Stop button, the attached files, and a note while an earlier
    message is being edited."""

    send_requested = Signal(str)
    stop_requested = Signal()
    edit_cancelled = Signal()
    attach_failed = Signal(str)  # a file could not be attached: why, in words
    summarize_requested = Signal(list)  # [AttachedFile] too long for the chat

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = MessageEditor(self)
        self.editor.setAccessibleName(translate("ChatPage", "Message"))
        self.editor.submitted.connect(self._submit)
        self.editor.files_dropped.connect(self.attach_paths)
        self.attach_button = QToolButton()
        self.attach_button.setText(translate("ChatPage", "Attach files…"))
        self.attach_button.setToolTip(
            translate("ChatPage", "Attach text files or PDFs to the message (Ctrl+Shift+A)")
        )
        self.attach_button.setAccessibleName(translate("ChatPage", "Attach files"))
        self.attach_button.clicked.connect(self.choose_files)
        self._files_pool = make_pool(self, "attachmentReads")
        self._reads: list[Worker] = []
        self._chips: list[AttachmentChip] = []
        self.file_dialog: QFileDialog | None = None
        self._too_long_files: list[AttachedFile] = []
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

        self._build_files_rows()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.editor, 1)
        buttons = QVBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.setSpacing(2)
        buttons.addStretch(1)
        buttons.addWidget(self.attach_button, 0, Qt.AlignmentFlag.AlignRight)
        buttons.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignRight)
        row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 10)
        layout.setSpacing(4)
        layout.addWidget(self._edit_row)
        layout.addWidget(self.too_long_row)
        layout.addWidget(self.files_row)
        layout.addLayout(row)

        self._busy = False
        self.editing = False

    def _build_files_rows(self) -> None:
        # The chips, then a note while files are being read.
        self.files_row = QWidget()
        self.files_row.setObjectName("attachmentRow")
        self._files_layout = QHBoxLayout(self.files_row)
        self._files_layout.setContentsMargins(0, 0, 0, 0)
        self._files_layout.setSpacing(6)
        self.reading_label = QLabel()
        set_tone(self.reading_label, "muted")
        self._files_layout.addWidget(self.reading_label)
        self._files_layout.addStretch(1)
        self.files_row.hide()
        # When the files do not fit the model's context: the numbers, and another way.
        self.too_long_row = QWidget()
        self.too_long_label = QLabel()
        self.too_long_label.setWordWrap(True)
        self.too_long_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        set_tone(self.too_long_label, "warning")
        self.summarize_button = QPushButton(translate("ChatPage", "Summarize instead"))
        self.summarize_button.setToolTip(
            translate("ChatPage", "Open the files on the Summarize page, which reads any length")
        )
        self.summarize_button.clicked.connect(self._summarize_instead)
        dismiss = QToolButton()
        dismiss.setText("✕")
        dismiss.setAutoRaise(True)
        dismiss.setToolTip(translate("ErrorBanner", "Dismiss"))
        dismiss.setAccessibleName(translate("ErrorBanner", "Dismiss"))
        dismiss.clicked.connect(self.hide_too_long)
        row = QHBoxLayout(self.too_long_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.too_long_label, 1)
        row.addWidget(self.summarize_button, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(dismiss, 0, Qt.AlignmentFlag.AlignTop)
        self.too_long_row.hide()

    def text(self) -> str:
        return self.editor.toPlainText()

    # --- attachments -----------------------------------------------------------------------

    def attachments(self) -> list[AttachedFile]:
        """The files attached to the message being written, in the order attached."""
        return [chip.file for chip in self._chips]

    @property
    def reading(self) -> bool:
        """Files are still being read (the message waits for them)."""
        return bool(self._reads)

    def choose_files(self) -> None:
        """Attach files… (Ctrl+Shift+A): a file dialog, non-blocking; the files it returns
        are read in the pool."""
        if self.file_dialog is None:
            dialog = QFileDialog(self, translate("ChatPage", "Attach files"))
            dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
            dialog.setNameFilters(
                [
                    arg(translate("ChatPage", "Text files and PDFs (%1)"), DIALOG_PATTERNS),
                    translate("ChatPage", "All files (*)"),
                ]
            )
            dialog.filesSelected.connect(lambda names: self.attach_paths([Path(n) for n in names]))
            self.file_dialog = dialog
        self.file_dialog.open()

    def attach_paths(self, paths: Iterable[Path]) -> None:
        """Read each file off the GUI thread; a chip appears as each is read."""
        self.hide_too_long()  # the files change: the last count no longer holds
        for path in paths:
            worker = run_in_pool(
                self._files_pool,
                lambda path=path: read_attachment(path),
                self.add_attachment,
                self.attach_failed.emit,
            )
            self._reads.append(worker)
            worker.finished.connect(lambda worker=worker: self._read_done(worker))
            self.reading_label.setText(arg(translate("ChatPage", "Reading %1…"), path.name))
        self._show_files_row()

    def _read_done(self, worker: Worker) -> None:
        if worker in self._reads:
            self._reads.remove(worker)
        if not self._reads:
            self.reading_label.clear()
        self._show_files_row()

    def add_attachment(self, file: AttachedFile) -> None:
        chip = AttachmentChip(file, self.files_row)
        chip.remove_requested.connect(self._remove_chip)
        self._files_layout.insertWidget(len(self._chips), chip)
        self._chips.append(chip)
        self._show_files_row()

    def set_attachments(self, files: Sequence[AttachedFile]) -> None:
        """Replace the chips (files given back after a message could not be sent)."""
        self.clear_attachments()
        for file in files:
            self.add_attachment(file)

    def clear_attachments(self) -> None:
        for chip in self._chips:
            self._files_layout.removeWidget(chip)
            chip.deleteLater()
        self._chips.clear()
        self._show_files_row()

    def _remove_chip(self, chip: AttachmentChip) -> None:
        if chip in self._chips:
            self._chips.remove(chip)
            self._files_layout.removeWidget(chip)
            chip.deleteLater()
        self.hide_too_long()
        self._show_files_row()
        self.editor.setFocus()

    def _show_files_row(self) -> None:
        self.files_row.setVisible(bool(self._chips) or bool(self._reads))

    def show_too_long(self, error: AttachmentsTooLong) -> None:
        """The attached files do not fit: say so with the numbers, offer the Summarize page."""
        self._too_long_files = list(error.files)
        self.too_long_label.setText(str(error))
        self.too_long_row.show()

    def hide_too_long(self) -> None:
        self._too_long_files = []
        self.too_long_label.clear()
        self.too_long_row.hide()

    @property
    def too_long_shown(self) -> bool:
        return not self.too_long_row.isHidden()

    def _summarize_instead(self) -> None:
        files = self._too_long_files
        if files:
            self.summarize_requested.emit(files)

    def shutdown(self) -> None:
        stop_pool(self._files_pool, *self._reads)
        self._reads.clear()

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
        if self._busy or self.reading:
            return  # one reply at a time, with all its files; the text stays in the editor
        text = self.editor.toPlainText()
        if text.strip() or self._chips:
            self.send_requested.emit(text)
