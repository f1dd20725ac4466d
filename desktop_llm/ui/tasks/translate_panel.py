"""Translate: source and target languages, the text and its translation side by side.

The output view shows each TaskOutput (the cleaned translation so far, which replaces what
was streamed) and appends the TaskText deltas that follow it. A right-to-left target
(Arabic) lays the output out right to left; a right-to-left source does the same for the
input.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

from desktop_llm.core.errors import UserError
from desktop_llm.core.i18n import PLURAL, QT_TRANSLATE_NOOP, arg, current_language, translate
from desktop_llm.core.models import format_bytes
from desktop_llm.core.tasks.events import TaskEnded, TaskOutput, TaskText
from desktop_llm.core.tasks.languages import LANGUAGES, Language, detect_language, get_language
from desktop_llm.core.tasks.service import TaskRun
from desktop_llm.core.text_files import DecodedText, read_text_file
from desktop_llm.ui.common.elided_label import ElidedLabel
from desktop_llm.ui.tasks.panel import StartRun, TaskPanel, append_streamed, side_by_side
from desktop_llm.ui.tasks.text_loader import PlainTextLoader

AUTO = "auto"
DEFAULT_TARGET = "en"
# How long typing pauses before the target is proposed again, and how much text is read
# to tell its language (enough for the detector; a long text is not read twice).
PROPOSE_DELAY_MS, PROPOSE_CHARS = 400, 2000


def proposed_target(text: str, window_language: str) -> str:
    """The target to offer for `text`: the window's language (简体中文 in a Chinese
    window), unless the text is already in it; then English."""
    preferred = "zh-Hans" if window_language == "zh_CN" else DEFAULT_TARGET
    detected = detect_language(text[:PROPOSE_CHARS]) if text.strip() else None
    if detected is not None and detected.code.split("-")[0] == preferred.split("-")[0]:
        return DEFAULT_TARGET if preferred != DEFAULT_TARGET else preferred
    return preferred


def text_filter() -> str:
    """The file dialog's filter for texts (the summarize panel's too)."""
    return arg(
        translate("TranslatePanel", "Text files (%1);;All files (*)"),
        "*.txt *.md *.markdown *.text",
    )


def language_or_none(code: str | None) -> Language | None:
    if not code or code == AUTO:
        return None
    try:
        return get_language(code)
    except UserError:
        return None


def set_text_direction(edit: QPlainTextEdit, language: Language | None) -> None:
    """Right to left for an RTL language; otherwise left to right, each paragraph's own
    direction still following its text (Qt's bidi rules) when the language is unknown."""
    rtl = language is not None and language.rtl
    edit.setLayoutDirection(
        Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
    )
    option = edit.document().defaultTextOption()
    # QPlainTextEdit does not mirror the alignment for a right-to-left text by itself.
    option.setAlignment(Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft)
    if rtl:
        option.setTextDirection(Qt.LayoutDirection.RightToLeft)
    elif language is not None:
        option.setTextDirection(Qt.LayoutDirection.LeftToRight)
    else:
        option.setTextDirection(Qt.LayoutDirection.LayoutDirectionAuto)
    edit.document().setDefaultTextOption(option)


def character_count(characters: int) -> str:
    """The note under an input or an output: "1,234 characters"."""
    return translate("TranslatePanel", "%Ln character(s)", None, PLURAL, characters)


def select_data(combo: QComboBox, value: object) -> bool:
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)
    return index >= 0


class TranslatePanel(TaskPanel):
    task = "translate"
    title = QT_TRANSLATE_NOOP("TaskPanel", "Translate")
    noun = QT_TRANSLATE_NOOP("TaskPanel", "translation")
    plural = QT_TRANSLATE_NOOP("TaskPanel", "translations")
    run_text = QT_TRANSLATE_NOOP("TaskPanel", "Translate")
    working_text = QT_TRANSLATE_NOOP("TaskPanel", "Translating…")

    def _build_body(self) -> QWidget:
        self.source_combo = QComboBox()
        self.source_combo.setObjectName("sourceLanguage")
        self.source_combo.addItem(translate("TranslatePanel", "Detect automatically"), AUTO)
        self.target_combo = QComboBox()
        self.target_combo.setObjectName("targetLanguage")
        for language in LANGUAGES:
            # Each language in its own name (a reader finds theirs); the tooltip names it in
            # the window's language (the names are marked in core/tasks/languages.py).
            tooltip = translate("Languages", language.english_name)
            for combo in (self.source_combo, self.target_combo):
                combo.addItem(language.native_name, language.code)
                combo.setItemData(combo.count() - 1, tooltip, Qt.ItemDataRole.ToolTipRole)
        select_data(self.target_combo, proposed_target("", current_language()))
        # The target follows the text (a proposal) until the user picks one.
        self._target_chosen = False
        self.target_combo.activated.connect(self._choose_target)
        self._propose = QTimer(self)
        self._propose.setSingleShot(True)
        self._propose.setInterval(PROPOSE_DELAY_MS)
        self._propose.timeout.connect(self._propose_target)
        self.swap_button = QToolButton()
        self.swap_button.setText("⇄")
        self.swap_button.setToolTip(
            translate("TranslatePanel", "Swap the languages (and the texts)")
        )
        self.swap_button.clicked.connect(self.swap)
        self.detected_label = ElidedLabel()
        self.detected_label.setObjectName("detectedLanguage")
        self.open_button = QPushButton(translate("TranslatePanel", "Open file…"))
        self.open_button.setToolTip(
            translate("TranslatePanel", "Put the text of a .txt or .md file in the input")
        )
        self.open_button.clicked.connect(self._choose_file)
        from_label = QLabel(translate("TranslatePanel", "From:"))
        from_label.setBuddy(self.source_combo)
        to_label = QLabel(translate("TranslatePanel", "To:"))
        to_label.setBuddy(self.target_combo)
        row = self.options_row
        row.addWidget(from_label)
        row.addWidget(self.source_combo)
        row.addWidget(self.swap_button)
        row.addWidget(to_label)
        row.addWidget(self.target_combo)
        row.addWidget(self.detected_label)
        row.addStretch(1)
        row.addWidget(self.open_button)

        self.input = QPlainTextEdit()
        self.input.setObjectName("translateInput")
        self.input.setAccessibleName(translate("TranslatePanel", "Text to translate"))
        self.input_loader = PlainTextLoader(self.input)
        self.input.setPlaceholderText(
            translate(
                "TranslatePanel",
                "Type or paste the text to translate, or open a .txt or .md file.\n"
                "Ctrl+Enter translates.",
            )
        )
        self.output = QPlainTextEdit()
        self.output.setObjectName("translateOutput")
        self.output.setAccessibleName(translate("TranslatePanel", "Translation"))
        self.output.setReadOnly(True)
        self.output.setPlaceholderText(translate("TranslatePanel", "The translation appears here."))
        self.input_note = QLabel()
        self.input_note.setObjectName("inputNote")
        self.input_note.setEnabled(False)
        self.input.document().contentsChanged.connect(self._update_input_note)
        self.input.document().contentsChanged.connect(self._propose.start)
        self.output_note = QLabel()
        self.output_note.setObjectName("outputNote")
        self.output_note.setEnabled(False)
        self.output.document().contentsChanged.connect(self._update_output_note)
        self.copy_button = QPushButton(translate("TranslatePanel", "Copy"))
        self.copy_button.setToolTip(
            translate("TranslatePanel", "Copy the translation to the clipboard")
        )
        self.copy_button.clicked.connect(self.copy_output)
        self.extra_buttons.addWidget(self.copy_button)

        splitter = side_by_side([self.input, self.input_note], [self.output, self.output_note])

        self.source_combo.currentIndexChanged.connect(self._on_languages_changed)
        self.target_combo.currentIndexChanged.connect(self._on_languages_changed)
        self._restore_last_languages()
        self._on_languages_changed()
        self._update_input_note()
        self._update_output_note()
        return splitter

    def _restore_last_languages(self) -> None:
        runs = self.services.tasks.runs(self.task, limit=1)
        options = (runs[0].options or {}) if runs else {}
        select_data(self.source_combo, options.get("source", AUTO))
        if "target" in options:
            select_data(self.target_combo, options["target"])
            self._target_chosen = True  # the last run's choice stands

    def shutdown(self) -> None:
        self._propose.stop()
        super().shutdown()

    def _choose_target(self, _index: int) -> None:
        self._target_chosen = True

    def _propose_target(self) -> None:
        if self._target_chosen or self.source() != AUTO or self.running:
            return
        select_data(
            self.target_combo, proposed_target(self.input.toPlainText(), current_language())
        )

    # --- languages -------------------------------------------------------------------------

    def source(self) -> str:
        return str(self.source_combo.currentData())

    def target(self) -> str:
        return str(self.target_combo.currentData())

    def set_languages(self, source: str, target: str) -> None:
        select_data(self.source_combo, source)
        select_data(self.target_combo, target)
        self._target_chosen = True  # a target set on purpose is not proposed away

    def _on_languages_changed(self, _index: int = 0) -> None:
        self.swap_button.setEnabled(self.source() != AUTO and not self.running)
        set_text_direction(self.input, language_or_none(self.source()))
        set_text_direction(self.output, language_or_none(self.target()))
        if self.source() != AUTO:
            self.detected_label.clear()

    def swap(self) -> None:
        source, target = self.source(), self.target()
        if source == AUTO or self.running:
            return
        self.set_languages(target, source)
        translation = self.output.toPlainText()
        if translation.strip():
            self.input.setPlainText(translation)
            self.output.clear()

    # --- input -----------------------------------------------------------------------------

    def _update_input_note(self) -> None:
        # O(1): the document keeps its own count; nothing here walks the text.
        characters = max(0, self.input.document().characterCount() - 1)
        self.input_note.setText(character_count(characters) if characters else "")

    def _update_output_note(self) -> None:
        characters = max(0, self.output.document().characterCount() - 1)
        # Never empty, so the input and the output boxes end at the same height.
        self.output_note.setText(character_count(characters) if characters else " ")

    def _choose_file(self) -> None:
        path = self.choose_file(
            translate("TranslatePanel", "Open a text to translate"), text_filter()
        )
        if path is not None:
            self.load_file(path)

    def load_file(self, path: Path) -> None:
        def read() -> tuple[DecodedText, int]:
            return read_text_file(path), path.stat().st_size

        self.read_in_background(path, read, lambda result: self._loaded(path, *result))

    def _loaded(self, path: Path, decoded: DecodedText, size: int) -> None:
        def shown() -> None:
            described = f"{decoded.encoding.upper()}, {format_bytes(size)}"
            self.set_status(
                arg(translate("TranslatePanel", "Opened %1 (%2)."), path.name, described)
            )
            self.file_loaded.emit(path.name)

        self.input_loader.set_text(decoded.text, shown)

    def set_inputs_enabled(self, enabled: bool) -> None:
        self.input.setReadOnly(not enabled)
        self.source_combo.setEnabled(enabled)
        self.target_combo.setEnabled(enabled)
        self.open_button.setEnabled(enabled)
        self.swap_button.setEnabled(enabled and self.source() != AUTO)

    def focus_input(self) -> None:
        self.input.setFocus()

    # --- running ---------------------------------------------------------------------------

    def make_run(self) -> StartRun | None:
        text = self.input_loader.text_to_run(
            translate(
                "TranslatePanel",
                "There is no text to translate. Type or paste some, or open a file.",
            )
        )
        source, target, model = self.source(), self.target(), self.model_picker.current_name()
        tasks = self.services.tasks
        return lambda: tasks.translate(text, target=target, source=source, model=model)

    def begin_output(self) -> None:
        self.output.clear()
        if self.source() == AUTO:
            self.detected_label.clear()

    def on_event(self, event: object) -> None:
        if isinstance(event, TaskText):
            append_streamed(self.output, event.text)
        elif isinstance(event, TaskOutput):
            if event.text != self.output.toPlainText():
                self.output.setPlainText(event.text)
        elif isinstance(event, TaskEnded):
            if event.output or event.status == "complete":
                self.output.setPlainText(event.output)
            self._show_detected(event.summary.get("source"))

    def _show_detected(self, code: str | None) -> None:
        if self.source() != AUTO:
            self.detected_label.clear()
            return
        language = language_or_none(code)
        self.detected_label.setText(
            arg(
                translate("TranslatePanel", "Detected: %1"),
                translate("Languages", language.english_name),
            )
            if language
            else translate("TranslatePanel", "Language not recognised")
        )

    def ended_text(self, ended: TaskEnded) -> str:
        text = super().ended_text(ended)
        parts, done = ended.summary.get("parts"), ended.summary.get("parts_done")
        if ended.status != "complete" and parts and parts > 1 and done is not None:
            # Two sentences: the status, then "2 of 5 parts were translated."
            text = arg(
                translate("TranslatePanel", "%1 %2 of %3 parts were translated."), text, done, parts
            )
        return text

    def copy_output(self) -> None:
        text = self.output.toPlainText()
        if text:
            QApplication.clipboard().setText(text)
            self.set_status(translate("TranslatePanel", "Translation copied to the clipboard."))

    # --- history ---------------------------------------------------------------------------

    def show_run(self, run: TaskRun) -> None:
        options = run.conversation.options or {}
        self.set_languages(options.get("source", AUTO), options.get("target", DEFAULT_TARGET))
        self.input_loader.set_text(run.input_text)
        self.output.setPlainText(run.output)
        self._show_detected(options.get("detected"))

    def clear_panel(self) -> None:
        self.input_loader.cancel()
        self.input.clear()
        self.output.clear()
        self.detected_label.clear()
        self.input.setFocus()
