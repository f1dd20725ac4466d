"""Putting a large text into a QPlainTextEdit without freezing the window, and getting it back.

setPlainText() of 5 MB holds the GUI thread for 30-40 ms and toPlainText() for another 15 ms.
The loader inserts the text a slice per event-loop turn (each well under 10 ms), and keeps
the string it was given, so that a run started on an untouched file does not copy it back
out of the document.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

from desktop_llm.core.errors import UserError
from desktop_llm.core.i18n import translate

SLICE_CHARS = 128 * 1024
# A slice ends after a line break where it can, so '\r\n' is never cut in two.
_LINE_LOOKBACK = 4096


class PlainTextLoader(QObject):
    """Owns the filling of one editor; on_done runs once the whole text is in."""

    def __init__(self, edit: QPlainTextEdit) -> None:
        super().__init__(edit)
        self._edit = edit
        self._text = ""
        self._pos = 0
        self._intact = False
        self._inserting = False
        self._was_read_only = False
        self._on_done: Callable[[], None] | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)
        edit.document().contentsChanged.connect(self._on_changed)

    @property
    def filling(self) -> bool:
        return self._timer.isActive()

    def set_text(self, text: str, on_done: Callable[[], None] | None = None) -> None:
        """Replace the editor's text; small texts go in at once, large ones in slices.

        on_done runs when all of it is in; not if another set_text or cancel comes first.
        """
        if self.filling:
            self._finish_filling(emit=False)
        self._on_done = on_done
        if len(text) <= SLICE_CHARS:
            self._put(lambda: self._edit.setPlainText(text))
            self._text, self._intact = text, True
            self._done()
            return
        document = self._edit.document()
        # An undo history of the slices would be useless and large; setPlainText clears it too.
        document.setUndoRedoEnabled(False)
        self._was_read_only = self._edit.isReadOnly()
        self._edit.setReadOnly(True)  # typing between slices would land in the middle
        self._put(self._edit.clear)
        self._text, self._pos, self._intact = text, 0, True
        self._timer.start()

    def text(self) -> str:
        """The editor's full text: the string given to set_text while nobody has edited it."""
        return self._text if self._intact else self._edit.toPlainText()

    def text_to_run(self, empty_message: str) -> str:
        """text() for a task run; UserError while a file is still going in, or when blank."""
        if self.filling:
            raise UserError(
                translate("TextLoader", "The file is still being opened; try again in a moment.")
            )
        text = self.text()
        # isspace() stops at the first letter; strip() would copy all of a 5 MB text.
        if not text or text.isspace():
            raise UserError(empty_message)
        return text

    def cancel(self) -> None:
        if self.filling:
            self._finish_filling(emit=False)

    def _step(self) -> None:
        end = min(len(self._text), self._pos + SLICE_CHARS)
        if end < len(self._text):
            newline = self._text.rfind("\n", end - _LINE_LOOKBACK, end)
            if newline >= 0:
                end = newline + 1
        piece = self._text[self._pos : end]

        def insert() -> None:
            cursor = QTextCursor(self._edit.document())
            cursor.movePosition(QTextCursor.MoveOperation.End)
            cursor.insertText(piece)

        self._put(insert)
        self._pos = end
        if self._pos >= len(self._text):
            self._finish_filling(emit=True)

    def _finish_filling(self, *, emit: bool) -> None:
        self._timer.stop()
        self._edit.document().setUndoRedoEnabled(True)
        self._edit.setReadOnly(self._was_read_only)
        if not emit:
            self._intact = False  # a part of the text is in: the document is what counts
            self._on_done = None
        else:
            self._edit.moveCursor(QTextCursor.MoveOperation.Start)
            self._done()

    def _done(self) -> None:
        on_done, self._on_done = self._on_done, None
        if on_done is not None:
            on_done()

    def _put(self, change: Callable[[], object]) -> None:
        self._inserting = True
        try:
            change()
        finally:
            self._inserting = False

    def _on_changed(self) -> None:
        if not self._inserting:
            self._intact = False
