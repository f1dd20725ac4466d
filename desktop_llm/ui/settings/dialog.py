"""The settings dialog, generated from config.OPTIONS, and where the app keeps its files.

Every option gets an editor chosen by its declared type and bounds, so a new option in
config.py appears here without a change to this file.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_llm.core.config import CONTEXT, OPTIONS, Option, Settings
from desktop_llm.core.engine.protocol import Ready
from desktop_llm.core.i18n import QT_TRANSLATE_NOOP, arg, translate
from desktop_llm.core.paths import AppPaths

GPU_OPTION = "engine.gpu_layers"

SECTION_TITLES = {
    "engine": QT_TRANSLATE_NOOP("Settings", "Engine"),
    "generation": QT_TRANSLATE_NOOP("Settings", "Replies"),
    "chat": QT_TRANSLATE_NOOP("Settings", "Chat"),
    "translate": QT_TRANSLATE_NOOP("Settings", "Translation"),
    "summarize": QT_TRANSLATE_NOOP("Settings", "Summaries"),
    "sentiment": QT_TRANSLATE_NOOP("Settings", "Sentiment"),
    "ui": QT_TRANSLATE_NOOP("Settings", "Window"),
    "hub": QT_TRANSLATE_NOOP("Settings", "Hugging Face Hub"),
    "energy": QT_TRANSLATE_NOOP("Settings", "Energy and carbon"),
}
# The settings whose change the open window cannot take over: said when they change.
RESTART_OPTIONS = ("ui.language",)


def label_for(option: Option) -> str:
    return translate(CONTEXT, option.label or option.name)


def doc_for(option: Option) -> str:
    return translate(CONTEXT, option.doc)


def _decimals(option: Option) -> int:
    return 2 if option.maximum is None or option.maximum <= 10 else 1


Editor = QSpinBox | QDoubleSpinBox | QPlainTextEdit | QLineEdit | QCheckBox | QComboBox


def make_editor(option: Option, value: Any) -> Editor:
    if option.type is bool:
        box = QCheckBox()
        box.setChecked(bool(value))
        return box
    if option.type is int:
        spin = QSpinBox()
        spin.setRange(
            int(option.minimum) if option.minimum is not None else -(2**31),
            int(option.maximum) if option.maximum is not None else 2**31 - 1,
        )
        spin.setValue(int(value))
        return spin
    if option.type is float:
        dspin = QDoubleSpinBox()
        dspin.setDecimals(_decimals(option))
        dspin.setRange(
            option.minimum if option.minimum is not None else -1e9,
            option.maximum if option.maximum is not None else 1e9,
        )
        dspin.setSingleStep(0.05 if (option.maximum or 0) <= 2 else 1.0)
        dspin.setValue(float(value))
        return dspin
    if option.choices is not None:
        combo = QComboBox()
        for choice, label in option.choices():
            combo.addItem(label, choice)
        index = combo.findData(value)
        if index < 0:  # a value typed into the file by hand: keep it, shown as itself
            combo.addItem(str(value), value)
            index = combo.count() - 1
        combo.setCurrentIndex(index)
        return combo
    if option.multiline:
        text = QPlainTextEdit()
        text.setPlainText(str(value))
        text.setTabChangesFocus(True)
        text.setMinimumHeight(text.fontMetrics().lineSpacing() * 4 + 12)
        text.setMaximumHeight(text.fontMetrics().lineSpacing() * 8 + 12)
        return text
    line = QLineEdit(str(value))
    return line


def editor_value(editor: Editor) -> Any:
    if isinstance(editor, QCheckBox):
        return editor.isChecked()
    if isinstance(editor, QSpinBox | QDoubleSpinBox):
        return editor.value()
    if isinstance(editor, QPlainTextEdit):
        return editor.toPlainText()
    if isinstance(editor, QComboBox):
        return editor.currentData()
    return editor.text()


class SettingsDialog(QDialog):
    def __init__(
        self,
        settings: Settings,
        paths: AppPaths,
        engine_ready: Ready | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("Settings", "Settings"))
        self.settings = settings
        self.paths = paths
        self.editors: dict[str, Editor] = {}

        content = QWidget()
        column = QVBoxLayout(content)
        sections: dict[str, QFormLayout] = {}
        for option, value in settings.items():
            section = option.name.split(".")[0]
            if section not in sections:
                group = QGroupBox(translate(CONTEXT, SECTION_TITLES.get(section, section)))
                form = QFormLayout(group)
                form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
                sections[section] = form
                column.addWidget(group)
            editor = make_editor(option, value)
            editor.setToolTip(doc_for(option))
            editor.setObjectName(option.name)
            self.editors[option.name] = editor
            form = sections[section]
            form.addRow(label_for(option), editor)
            # The doc goes on its own row: in the field column it gets the full width to wrap.
            doc = QLabel(doc_for(option))
            doc.setWordWrap(True)
            doc.setObjectName("optionDoc")
            doc.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            doc.setEnabled(False)  # the disabled palette is the theme's own "secondary" text
            form.addRow("", doc)
            if option.name == GPU_OPTION:
                self.gpu_note = QLabel(self._gpu_note(engine_ready))
                self.gpu_note.setWordWrap(True)
                self.gpu_note.setSizePolicy(
                    QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred
                )
                form.addRow("", self.gpu_note)
                editor.setEnabled(bool(engine_ready and engine_ready.supports_gpu_offload))

        column.addWidget(self._paths_box())
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        self.error_label = QLabel()
        self.error_label.setObjectName("settingsError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)

        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.resize(620, 720)

    @staticmethod
    def _gpu_note(ready: Ready | None) -> str:
        if ready is None:
            return translate(
                "Settings",
                "Known once a model has been loaded: GPU offload depends on the llama.cpp build.",
            )
        gpus = [name for name in ready.backends if name != "CPU"]
        if ready.supports_gpu_offload:
            backend = ", ".join(gpus) if gpus else translate("Settings", "a GPU backend")
            return arg(
                translate(
                    "Settings", "This build (llama.cpp with %1) can offload layers to the GPU."
                ),
                backend,
            )
        return translate(
            "Settings",
            "This build runs on the CPU only. For a GPU, build llama.cpp for it: "
            "make run GPU=cuda (or vulkan, metal).",
        )

    def _paths_box(self) -> QGroupBox:
        box = QGroupBox(translate("Settings", "Where your data lives"))
        form = QFormLayout(box)
        self.path_labels: dict[str, QLabel] = {}
        rows = (
            (translate("Settings", "Data folder"), self.paths.data_dir),
            (translate("Settings", "Models"), self.paths.models_dir),
            (translate("Settings", "Database"), self.paths.db_path),
            (translate("Settings", "Settings file"), self.paths.settings_path),
            (translate("Settings", "Logs"), self.paths.log_dir),
        )
        for title, path in rows:
            label = QLabel(str(path))
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
            self.path_labels[title] = label
            row = QWidget()
            row_layout = QHBoxLayout(row)
            row_layout.setContentsMargins(0, 0, 0, 0)
            row_layout.addWidget(label, 1)
            folder = path if path.is_dir() else path.parent
            button = QPushButton(translate("Settings", "Open"))
            button.setToolTip(arg(translate("Settings", "Open %1 in the file manager"), folder))
            button.clicked.connect(
                lambda _checked=False, f=folder: QDesktopServices.openUrl(
                    QUrl.fromLocalFile(str(f))
                )
            )
            row_layout.addWidget(button)
            form.addRow(title, row)
        return box

    def save(self) -> None:
        """Check every value, then write the file once; on a bad value nothing is saved."""
        problems: list[str] = []
        values: dict[str, Any] = {}
        for option in OPTIONS:
            editor = self.editors[option.name]
            try:
                values[option.name] = option.coerce(editor_value(editor))
            except ValueError as exc:
                problems.append(arg(translate("Settings", "%1: %2."), label_for(option), exc))
        if problems:
            self._show_error(" ".join(problems))
            return
        changed = {n for n, v in values.items() if self.settings[n] != v}
        self.settings.update(values)  # open views hear about the changes once
        try:
            self.settings.save()
        except OSError as exc:
            self._show_error(
                arg(
                    translate("Settings", "The settings could not be saved to %1: %2."),
                    self.settings.path,
                    exc.strerror or exc,
                )
            )
            return
        if any(name in changed for name in RESTART_OPTIONS):
            QMessageBox.information(
                self,
                translate("Settings", "Settings"),
                translate(
                    "Settings",
                    "The new language is used the next time the app starts. The window "
                    "that is open keeps its words: its menus, lists and your conversations "
                    "were laid out in the old one.",
                ),
            )
        self.accept()

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
