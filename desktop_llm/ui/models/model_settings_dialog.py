"""A model's own engine settings (the model manager's "Settings…"): context length, GPU
layers, threads and a chat template that replace the app-wide ones for this model.

An empty field means the app-wide value (its placeholder says which). Numbers are checked
as they are typed, against what the file allows (core/model_settings.py), and the reason
shows under the field; the template is checked on Save (compiled and tried in the engine's
sandbox). The file's header is read and the settings are saved in the dialog's pool, so
the GUI thread never waits on the disk.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop_llm.core.engine.protocol import Ready
from desktop_llm.core.i18n import arg, translate
from desktop_llm.core.model_settings import (
    ALL_LAYERS,
    CONTEXT,
    GPU_LAYERS,
    MIN_CONTEXT,
    TEMPLATE,
    THREADS,
    EngineValues,
    InvalidModelSettings,
    ModelLimits,
    ModelOverrides,
    check_field,
    field_label,
    parse_number,
)
from desktop_llm.core.models import InstalledModel, read_gguf
from desktop_llm.core.models.gguf_file import GGUFInfo
from desktop_llm.core.services import Services
from desktop_llm.ui.common.style import set_tone
from desktop_llm.ui.common.worker import Worker, create_worker, make_pool, run_in_pool, stop_pool

NUMBER_FIELDS = (CONTEXT, GPU_LAYERS, THREADS)


def _number(value: int) -> str:
    return QLocale().toString(value)


class ModelSettingsDialog(QDialog):
    """Edit one model's settings; Save keeps them (checked), Reset to defaults empties
    every field (the app-wide values), Cancel keeps what was there."""

    saved = Signal(str)  # a line for the model manager's status

    def __init__(
        self, services: Services, model: InstalledModel, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("modelSettings")
        self.setWindowTitle(arg(translate("ModelSettingsDialog", "Settings for %1"), model.name))
        self.services = services
        self.model = model
        self.store = services.host.model_settings
        self.limits: ModelLimits | None = None
        self.model_template: str | None = None
        current = self.store.get(model.name)
        defaults = EngineValues.of(services.settings, ModelOverrides())

        intro = QLabel(
            translate(
                "ModelSettingsDialog",
                "These replace the app-wide engine settings for this model only. Leave a "
                "field empty to use the app-wide value.",
            )
        )
        intro.setWordWrap(True)

        self.editors: dict[str, QLineEdit] = {}
        self.hints: dict[str, QLabel] = {}
        self.problems: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        app_wide = {
            CONTEXT: _number(defaults.context_length),
            GPU_LAYERS: _number(defaults.gpu_layers),
            THREADS: _number(defaults.threads),
        }
        for name in NUMBER_FIELDS:
            editor = QLineEdit()
            editor.setObjectName(f"modelSetting_{name}")
            editor.setAccessibleName(field_label(name))
            editor.setPlaceholderText(
                arg(translate("ModelSettingsDialog", "App-wide: %1"), app_wide[name])
            )
            editor.setMaximumWidth(editor.fontMetrics().horizontalAdvance("0") * 18 + 24)
            value = getattr(current, name)
            if value is not None:
                editor.setText(str(value))
            editor.textChanged.connect(lambda _text, name=name: self._check(name))
            self.editors[name] = editor
            form.addRow(self._label(name, editor), self._field(name, editor))

        self.template_edit = QPlainTextEdit()
        self.template_edit.setObjectName("modelSetting_chat_template")
        self.template_edit.setAccessibleName(field_label(TEMPLATE))
        self.template_edit.setPlaceholderText(
            translate("ModelSettingsDialog", "Empty: the template in the model's file.")
        )
        self.template_edit.setTabChangesFocus(True)
        self.template_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.template_edit.setMinimumHeight(self.fontMetrics().lineSpacing() * 6)
        self.template_edit.setPlainText(current.chat_template or "")
        self.template_edit.textChanged.connect(self._template_changed)
        self.copy_template_button = QPushButton(
            translate("ModelSettingsDialog", "Start from the model's template")
        )
        self.copy_template_button.setToolTip(
            translate(
                "ModelSettingsDialog", "Put the template from the model's file here, to edit it"
            )
        )
        self.copy_template_button.setEnabled(False)
        self.copy_template_button.clicked.connect(self.start_from_model_template)
        template_field = self._field(TEMPLATE, self.template_edit)
        template_field.layout().addWidget(  # type: ignore[union-attr]
            self.copy_template_button, 0, Qt.AlignmentFlag.AlignLeft
        )
        form.addRow(self._label(TEMPLATE, self.template_edit), template_field)

        self.note_label = QLabel(translate("ModelSettingsDialog", "Reading the model's file…"))
        self.note_label.setObjectName("modelSettingsNote")
        self.note_label.setWordWrap(True)
        set_tone(self.note_label, "muted")

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.reset_button = self.buttons.addButton(
            translate("ModelSettingsDialog", "Reset to defaults"),
            QDialogButtonBox.ButtonRole.ResetRole,
        )
        self.reset_button.setToolTip(
            translate(
                "ModelSettingsDialog",
                "Empty every field: this model uses the app-wide settings and its own template",
            )
        )
        self.reset_button.clicked.connect(self.reset_to_defaults)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.note_label)
        layout.addWidget(self.buttons)
        self.resize(560, self.sizeHint().height())

        self._pool = make_pool(self, "model settings")
        self._saving: Worker | None = None
        self._set_ready(False)
        self._reading = run_in_pool(
            self._pool, lambda: read_gguf(model.path), self._file_read, self._read_failed
        )

    # --- building ------------------------------------------------------------------------

    def _label(self, name: str, buddy: QWidget) -> QLabel:
        label = QLabel(field_label(name))
        label.setBuddy(buddy)
        return label

    def _field(self, name: str, editor: QWidget) -> QWidget:
        """The editor, the reason its value cannot be saved (hidden while there is none),
        and what it may be (filled in once the file is read)."""
        field = QWidget()
        field.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        column = QVBoxLayout(field)
        column.setContentsMargins(0, 0, 0, 6)
        column.setSpacing(3)
        column.addWidget(editor)
        problem = QLabel()
        problem.setObjectName("optionProblem")
        problem.setWordWrap(True)
        set_tone(problem, "error")
        problem.hide()
        self.problems[name] = problem
        column.addWidget(problem)
        hint = QLabel()
        hint.setObjectName("optionDoc")
        hint.setWordWrap(True)
        set_tone(hint, "muted")
        self.hints[name] = hint
        column.addWidget(hint)
        return field

    # --- the file --------------------------------------------------------------------------

    def _file_read(self, info: object) -> None:
        assert isinstance(info, GGUFInfo)
        limits = ModelLimits.of(info)
        self.limits = limits
        self.model_template = info.chat_template
        if limits.trained_context:
            context = arg(
                translate(
                    "ModelSettingsDialog", "%1 to %2 tokens (what the model was trained for)."
                ),
                _number(MIN_CONTEXT),
                _number(limits.trained_context),
            )
        else:
            context = arg(
                translate("ModelSettingsDialog", "%1 to %2 tokens."),
                _number(MIN_CONTEXT),
                _number(limits.max_context),
            )
        self.hints[CONTEXT].setText(context)
        self.hints[GPU_LAYERS].setText(
            " ".join(
                (
                    arg(
                        translate("ModelSettingsDialog", "%1 (all) to %2; 0 runs on the CPU."),
                        ALL_LAYERS,
                        limits.max_gpu_layers,
                    ),
                    self._gpu_note(self.services.host.ready),
                )
            ).strip()
        )
        self.hints[THREADS].setText(
            arg(
                translate("ModelSettingsDialog", "1 to %1 (the CPU threads of this computer)."),
                limits.cpus,
            )
        )
        self.hints[TEMPLATE].setText(
            translate(
                "ModelSettingsDialog",
                "Jinja, as in a GGUF file; checked when you save. It receives messages "
                "(each with a role and content), bos_token, eos_token and "
                "add_generation_prompt.",
            )
        )
        self.copy_template_button.setEnabled(self.model_template is not None)
        self.note_label.setText(self._loaded_note())
        self._set_ready(True)
        for name in NUMBER_FIELDS:
            self._check(name)

    def _read_failed(self, message: str) -> None:
        self.note_label.setText(message)
        set_tone(self.note_label, "error")

    @staticmethod
    def _gpu_note(ready: Ready | None) -> str:
        if ready is not None and not ready.supports_gpu_offload:
            return translate(
                "ModelSettingsDialog", "This llama.cpp build runs on the CPU only: it is ignored."
            )
        return ""

    def _loaded_note(self) -> str:
        host = self.services.host
        loaded = host.engine.loaded
        if host.current is not None and host.current.name == self.model.name and loaded:
            return translate(
                "ModelSettingsDialog",
                "The model is loaded now; it is loaded again with these settings at its next use.",
            )
        return translate("ModelSettingsDialog", "They apply the next time the model is loaded.")

    def _set_ready(self, ready: bool) -> None:
        for editor in self.editors.values():
            editor.setEnabled(ready)
        self.template_edit.setEnabled(ready)
        self.reset_button.setEnabled(ready)
        self._update_save()

    # --- checking --------------------------------------------------------------------------

    def value(self, name: str) -> int | str | None:
        """What a field holds: None when empty; ValueError (the reason) for a non-number."""
        if name == TEMPLATE:
            text = self.template_edit.toPlainText()
            return text if text.strip() else None
        return parse_number(name, self.editors[name].text())

    def problem(self, name: str) -> str | None:
        """Why the field's value cannot be saved; None when it can. The template is only
        checked on Save."""
        if self.limits is None:
            return None
        try:
            value = self.value(name)
        except ValueError as exc:
            return str(exc)
        if name == TEMPLATE:
            return None
        return check_field(name, value, self.limits)

    def _check(self, name: str) -> None:
        self._show_problem(name, self.problem(name))

    def _template_changed(self) -> None:
        self._show_problem(TEMPLATE, None)  # a reason from the last Save is stale now

    def _show_problem(self, name: str, text: str | None) -> None:
        label = self.problems[name]
        editor: QWidget = self.template_edit if name == TEMPLATE else self.editors[name]
        label.setText(text or "")
        label.setVisible(bool(text))
        editor.setAccessibleDescription(text or "")
        self._update_save()

    def _update_save(self) -> None:
        ok = self.limits is not None and self._saving is None
        ok = ok and all(label.isHidden() for n, label in self.problems.items() if n != TEMPLATE)
        self.save_button.setEnabled(ok)

    # --- actions ---------------------------------------------------------------------------

    def start_from_model_template(self) -> None:
        if self.model_template is not None:
            self.template_edit.setPlainText(self.model_template)

    def reset_to_defaults(self) -> None:
        for editor in self.editors.values():
            editor.clear()
        self.template_edit.clear()

    def overrides(self) -> ModelOverrides:
        """The fields as overrides (ValueError when a number is not one)."""
        values = {name: self.value(name) for name in (*NUMBER_FIELDS, TEMPLATE)}
        return ModelOverrides(**values)  # type: ignore[arg-type]

    def save(self) -> None:
        """Check every value and write the file in the pool; close when saved, else show
        each reason under its field."""
        if self.limits is None or not self.save_button.isEnabled():
            return
        try:
            overrides = self.overrides()
        except ValueError:
            return  # the field already says why
        limits, store, name = self.limits, self.store, self.model.name
        self.note_label.setText(translate("ModelSettingsDialog", "Checking…"))
        set_tone(self.note_label, "muted")
        worker = create_worker(lambda: store.save(name, overrides, limits))
        worker.returned.connect(lambda _result: self._saved(overrides))
        worker.errored.connect(self._refused)
        worker.finished.connect(self._save_finished)
        self._saving = worker.start(self._pool)
        self._update_save()

    def _save_finished(self) -> None:
        self._saving = None
        self._update_save()

    def _saved(self, overrides: ModelOverrides) -> None:
        if overrides.empty:
            text = arg(
                translate("ModelSettingsDialog", "%1 uses the app-wide settings again."),
                self.model.name,
            )
        else:
            text = arg(
                translate(
                    "ModelSettingsDialog",
                    "Saved the settings of %1; they apply when it is next loaded.",
                ),
                self.model.name,
            )
        self.saved.emit(text)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        if isinstance(error, InvalidModelSettings):
            for name, reason in error.problems.items():
                self._show_problem(name, reason)
            self.note_label.setText(
                translate("ModelSettingsDialog", "Nothing was saved: fix what is marked.")
            )
        else:
            self.note_label.setText(str(error))
        set_tone(self.note_label, "error")

    def done(self, result: int) -> None:
        stop_pool(self._pool, self._reading, self._saving)
        super().done(result)
