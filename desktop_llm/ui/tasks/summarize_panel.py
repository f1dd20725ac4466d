"""Summarize: a pasted text or a .txt/.md file of any length, summarized at a chosen length.

A long text is summarized part by part and the partial summaries are combined; the
progress line says which ("part 3 of 12", "combining"). The final summary streams in as
plain text and is rendered as Markdown when it is done; a line under it says what it
covered.

Large texts: a file is read and decoded in the file pool and put in the editor a slice at a
time (PlainTextLoader). The panel never walks the text per keystroke (the character count is
the document's own), and a run on an untouched file uses the decoded string itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QWidget,
)

from desktop_llm.core.display_text import plain_rich_text
from desktop_llm.core.i18n import PLURAL, QT_TRANSLATE_NOOP, arg, translate
from desktop_llm.core.models import format_bytes
from desktop_llm.core.tasks.events import TaskEnded, TaskStarted, TaskText
from desktop_llm.core.tasks.service import TaskRun
from desktop_llm.core.tasks.summarize import LENGTH_LABELS
from desktop_llm.core.text_files import DecodedText, read_text_file
from desktop_llm.ui.common.elided_label import ElidedLabel
from desktop_llm.ui.tasks.panel import StartRun, TaskPanel, append_streamed, side_by_side
from desktop_llm.ui.tasks.text_loader import PlainTextLoader
from desktop_llm.ui.tasks.translate_panel import text_filter

DEFAULT_LENGTH = "short"
# The lengths as the combo box names them (the core's LENGTH_LABELS, marked here).
LENGTH_NAMES = {
    "sentence": QT_TRANSLATE_NOOP("SummarizePanel", "One sentence"),
    "short": QT_TRANSLATE_NOOP("SummarizePanel", "Short paragraph"),
    "bullets": QT_TRANSLATE_NOOP("SummarizePanel", "Bullet points"),
}
ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "utf-32-le": "UTF-32",
    "utf-32-be": "UTF-32",
    "gb18030": "GB18030",
    "gbk": "GBK",
    "gb2312": "GB2312",
    "big5": "Big5",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1",
}


def encoding_name(codec: str) -> str:
    return ENCODING_NAMES.get(codec.lower(), codec.upper())


def coverage_line(summary: dict[str, Any], size_bytes: int | None, status: str | None) -> str:
    """'Covered 12,345 words (5.2 MB) in 37 parts and 2 combining rounds.'"""
    words = summary.get("words")
    parts = summary.get("parts")
    if words is None or parts is None:
        return ""
    rounds = summary.get("combine_rounds") or 0
    done = summary.get("parts_done", parts)
    # Each count is a phrase of its own ("12,345 words"): Qt picks its plural form.
    if 2 * (summary.get("cjk_words") or 0) > words:
        # Mostly Chinese or Japanese: each character is a word; "characters" says it right.
        text = translate("SummarizePanel", "%Ln character(s)", None, PLURAL, words)
    else:
        text = translate("SummarizePanel", "%Ln word(s)", None, PLURAL, words)
    if size_bytes:
        text = arg(translate("SummarizePanel", "%1 (%2)"), text, format_bytes(size_bytes))
    counted_parts = translate("SummarizePanel", "%Ln part(s)", None, PLURAL, parts)
    if status not in (None, "complete"):
        return arg(
            translate("SummarizePanel", "Stopped after %1 of %2; the text had %3."),
            done,
            counted_parts,
            text,
        )
    if parts == 1:
        counted_parts = translate("SummarizePanel", "one part")
    if not rounds:
        return arg(translate("SummarizePanel", "Covered %1 in %2."), text, counted_parts)
    counted_rounds = translate("SummarizePanel", "%Ln combining round(s)", None, PLURAL, rounds)
    return arg(
        translate("SummarizePanel", "Covered %1 in %2 and %3."), text, counted_parts, counted_rounds
    )


class SummarizePanel(TaskPanel):
    task = "summarize"
    title = QT_TRANSLATE_NOOP("TaskPanel", "Summarize")
    noun = QT_TRANSLATE_NOOP("TaskPanel", "summary")
    plural = QT_TRANSLATE_NOOP("TaskPanel", "summaries")
    run_text = QT_TRANSLATE_NOOP("TaskPanel", "Summarize")
    working_text = QT_TRANSLATE_NOOP("TaskPanel", "Summarizing…")

    def _build_body(self) -> QWidget:
        self.source_name: str | None = None
        self.length_combo = QComboBox()
        self.length_combo.setObjectName("summaryLength")
        for key, label in LENGTH_LABELS.items():
            self.length_combo.addItem(
                translate("SummarizePanel", LENGTH_NAMES.get(key, label)), key
            )
        self.length_combo.setCurrentIndex(max(0, self.length_combo.findData(DEFAULT_LENGTH)))
        length_label = QLabel(translate("SummarizePanel", "Length:"))
        length_label.setBuddy(self.length_combo)
        self.open_button = QPushButton(translate("SummarizePanel", "Open file…"))
        self.open_button.setToolTip(
            translate("SummarizePanel", "Summarize a .txt or .md file (UTF-8, GBK, GB18030, Big5…)")
        )
        self.open_button.clicked.connect(self._choose_file)
        self.file_label = ElidedLabel(elide=Qt.TextElideMode.ElideMiddle)
        self.file_label.setObjectName("fileInfo")
        self.file_label.setEnabled(False)
        row = self.options_row
        row.addWidget(length_label)
        row.addWidget(self.length_combo)
        row.addStretch(1)
        row.addWidget(self.file_label)
        row.addWidget(self.open_button)

        self.input = QPlainTextEdit()
        self.input.setObjectName("summarizeInput")
        self.input.setAccessibleName(translate("SummarizePanel", "Text to summarize"))
        self.input.setPlaceholderText(
            translate(
                "SummarizePanel",
                "Paste the text to summarize, or open a .txt or .md file. Any length works: "
                "a long text is summarized part by part.\nCtrl+Enter summarizes.",
            )
        )
        self.input_loader = PlainTextLoader(self.input)
        self.input_note = QLabel()
        self.input_note.setEnabled(False)
        self.input.document().contentsChanged.connect(self._on_input_changed)
        self.output = QTextBrowser()
        self.output.setObjectName("summaryOutput")
        self.output.setAccessibleName(translate("SummarizePanel", "Summary"))
        self.output.setOpenExternalLinks(True)
        self.output.setPlaceholderText(translate("SummarizePanel", "The summary appears here."))
        self.coverage_label = QLabel()
        self.coverage_label.setObjectName("coverage")
        self.coverage_label.setWordWrap(True)
        self.copy_button = QPushButton(translate("SummarizePanel", "Copy"))
        self.copy_button.setToolTip(
            translate("SummarizePanel", "Copy the summary to the clipboard")
        )
        self.copy_button.clicked.connect(self.copy_output)
        self.extra_buttons.addWidget(self.copy_button)

        splitter = side_by_side([self.input, self.input_note], [self.output, self.coverage_label])
        self._on_input_changed()
        return splitter

    # --- input -----------------------------------------------------------------------------

    def length(self) -> str:
        return str(self.length_combo.currentData())

    def set_length(self, length: str) -> None:
        index = self.length_combo.findData(length)
        if index >= 0:
            self.length_combo.setCurrentIndex(index)

    def _on_input_changed(self) -> None:
        # O(1) per keystroke: the document keeps its own counts.
        document = self.input.document()
        characters = max(0, document.characterCount() - 1)
        if characters == 0:
            self.source_name = None
            self.file_label.clear()
        self.input_note.setText(
            arg(
                translate("SummarizePanel", "%1 characters, %2 lines"),
                f"{characters:,}",
                f"{document.blockCount():,}",
            )
            if characters
            else ""
        )

    def _choose_file(self) -> None:
        path = self.choose_file(
            translate("SummarizePanel", "Open a text to summarize"), text_filter()
        )
        if path is not None:
            self.load_file(path)

    def load_file(self, path: Path) -> None:
        def read() -> tuple[DecodedText, int]:
            decoded = read_text_file(path)
            return decoded, path.stat().st_size

        self.read_in_background(path, read, lambda result: self._loaded(path, *result))

    def _loaded(self, path: Path, decoded: DecodedText, size: int) -> None:
        encoding = encoding_name(decoded.encoding)

        def shown() -> None:
            self.source_name = path.name
            self.file_label.setText(f"{path.name} — {encoding}, {format_bytes(size)}")
            self.file_label.setToolTip(plain_rich_text(str(path)))
            self.set_status(
                arg(translate("SummarizePanel", "Opened %1: read as %2."), path.name, encoding)
            )
            self.file_loaded.emit(path.name)

        self.input_loader.set_text(decoded.text, shown)

    def load_text(self, text: str, source_name: str) -> None:
        """A text read elsewhere (chat attachments too long for the chat) as the input."""

        def shown() -> None:
            self.source_name = source_name
            self.file_label.setText(source_name)
            self.file_label.setToolTip(plain_rich_text(source_name))
            self.set_status(arg(translate("SummarizePanel", "Opened %1."), source_name))
            self.file_loaded.emit(source_name)

        self.input_loader.set_text(text, shown)

    def set_inputs_enabled(self, enabled: bool) -> None:
        self.input.setReadOnly(not enabled)
        self.length_combo.setEnabled(enabled)
        self.open_button.setEnabled(enabled)

    def focus_input(self) -> None:
        self.input.setFocus()

    # --- running ---------------------------------------------------------------------------

    def make_run(self) -> StartRun | None:
        text = self.input_loader.text_to_run(
            translate(
                "SummarizePanel", "There is no text to summarize. Paste some, or open a file."
            )
        )
        length, model = self.length(), self.model_picker.current_name()
        source_name, tasks = self.source_name, self.services.tasks
        return lambda: tasks.summarize(text, length=length, source_name=source_name, model=model)

    def begin_output(self) -> None:
        self.output.clear()
        self.coverage_label.clear()

    def on_event(self, event: object) -> None:
        if isinstance(event, TaskText):
            append_streamed(self.output, event.text)
        elif isinstance(event, TaskStarted) and event.total > 1:
            self.set_status(
                arg(
                    translate(
                        "SummarizePanel", "A long text: summarizing it in %1 parts, then combining."
                    ),
                    event.total,
                )
            )
        elif isinstance(event, TaskEnded):
            output = event.output or self.output.toPlainText()
            self.show_summary(output)
            self.coverage_label.setText(
                coverage_line(event.summary, event.summary.get("bytes"), event.status)
            )

    def show_summary(self, text: str) -> None:
        self.output.setMarkdown(text)

    def summary_text(self) -> str:
        return self.output.toPlainText()

    def copy_output(self) -> None:
        text = self.last_ended.output if self.last_ended else self.output.toPlainText()
        if text:
            QApplication.clipboard().setText(text)
            self.set_status(translate("SummarizePanel", "Summary copied to the clipboard."))

    # --- history ---------------------------------------------------------------------------

    def show_run(self, run: TaskRun) -> None:
        options = run.conversation.options or {}
        self.set_length(options.get("length", DEFAULT_LENGTH))
        self.input_loader.set_text(run.input_text)
        self.source_name = options.get("source_name")
        self.file_label.setText(self.source_name or "")
        self.show_summary(run.output)
        size = len(run.input_text.encode("utf-8", "surrogatepass"))
        self.coverage_label.setText(coverage_line(options.get("result") or {}, size, run.status))

    def clear_panel(self) -> None:
        self.input_loader.cancel()
        self.input.clear()
        self.output.clear()
        self.coverage_label.clear()
        self.source_name = None
        self.file_label.clear()
        self.input.setFocus()
