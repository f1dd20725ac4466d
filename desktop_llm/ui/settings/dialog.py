"""The settings dialog: pages generated from config.OPTIONS, and where the app keeps its files.

Which page and group each option is on is one table (pages.py); every option gets an
editor chosen by its type, bounds and choices (editors.py), with its description under it
and, as soon as a value cannot be saved, the reason in words next to it. A default model is
picked from the installed ones (model_choice.py). Save checks every value and writes the
file once; a bad value saves nothing. Each page can put back its own defaults.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont, QIcon, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from desktop_llm.core.config import CONTEXT, OPTIONS, OPTIONS_BY_NAME, Option, Settings
from desktop_llm.core.default_models import MODEL_TASKS, default_model_setting
from desktop_llm.core.engine.protocol import Ready
from desktop_llm.core.errors import UserError
from desktop_llm.core.i18n import arg, translate
from desktop_llm.core.models import InstalledModel
from desktop_llm.core.models.registry import ModelRegistry
from desktop_llm.core.paths import AppPaths
from desktop_llm.core.remote_engines import RemoteEngines
from desktop_llm.core.server.runner import ServerOptions
from desktop_llm.ui.common.style import set_tone
from desktop_llm.ui.common.worker import Worker, make_pool, run_in_pool
from desktop_llm.ui.server.controls import ServerControls
from desktop_llm.ui.server.switch import ServerSwitch
from desktop_llm.ui.settings.editors import (
    Editor,
    editor_value,
    make_editor,
    on_change,
    set_editor_value,
)
from desktop_llm.ui.settings.engines_page import EnginesPage
from desktop_llm.ui.settings.model_choice import ModelChoice
from desktop_llm.ui.settings.pages import PAGES, layout

GPU_OPTION = "engine.gpu_layers"
# The settings whose change the open window cannot take over: said when they change.
RESTART_OPTIONS = ("ui.language",)
# The page of remote engines (engines_page.py): not options, saved as they change.
ENGINES_PAGE = "engines"
ENGINES_AFTER = "models"  # the page it follows
# The page whose options the window's local server uses; it gets the server's controls.
SERVER_PAGE = "server"
# The options that name a default model, and their task.
MODEL_OPTIONS = {default_model_setting(task): task for task in MODEL_TASKS}


def label_for(option: Option) -> str:
    return translate(CONTEXT, option.label or option.name)


def doc_for(option: Option) -> str:
    return translate(CONTEXT, option.doc)


def _list_models(
    registry: ModelRegistry, values: list[str]
) -> tuple[list[InstalledModel], dict[str, str]]:
    """The installed models, and what each of `values` resolves to (off the GUI thread: it
    walks the models folder)."""
    models = registry.list()
    means: dict[str, str] = {}
    for value in values:
        if value.strip():
            with contextlib.suppress(UserError):
                means[value] = registry.resolve(value).name
    return models, means


@dataclass
class PageView:
    key: str
    title: str
    item: QListWidgetItem
    widget: QWidget
    restore_button: QPushButton
    scroll: QScrollArea
    options: list[str] = field(default_factory=list)


class SettingsDialog(QDialog):
    engines_changed = Signal()  # a remote engine was added or removed (Engines page)

    def __init__(
        self,
        settings: Settings,
        paths: AppPaths,
        engine_ready: Ready | None,
        parent: QWidget | None = None,
        *,
        registry: ModelRegistry | None = None,
        remote_engines: RemoteEngines | None = None,
        server: ServerSwitch | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("Settings", "Settings"))
        self.settings = settings
        self.server_controls: ServerControls | None = None
        self._server = server
        self.paths = paths
        self.registry = registry if registry is not None else ModelRegistry(paths.models_dir)
        self.editors: dict[str, Editor] = {}
        self.problem_labels: dict[str, QLabel] = {}
        self.doc_labels: dict[str, QLabel] = {}
        self.pages: dict[str, PageView] = {}
        self._page_of: dict[str, str] = {}  # option name -> page key
        self._where: dict[str, str] = {}  # option name -> the page or group it is shown in
        self._pool = make_pool(self, "settings-models")
        self._models_worker: Worker | None = None

        self.page_list = QListWidget()
        self.page_list.setObjectName("settingsPages")
        self.page_list.setAccessibleName(translate("Settings", "Settings pages"))
        self.page_list.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.page_list.setIconSize(QSize(16, 16))
        # Every item keeps the mark's room, so a marked page does not push its title over.
        blank = QPixmap(self.page_list.iconSize())
        blank.fill(Qt.GlobalColor.transparent)
        self._no_mark = QIcon(blank)
        self.stack = QStackedWidget()
        placed = layout()
        for page in PAGES:
            self._add_page(
                page.key, translate(CONTEXT, page.title), placed[page.key], engine_ready, page.paths
            )
            if page.key == ENGINES_AFTER:
                self._add_engines_page(remote_engines or RemoteEngines.beside(settings.path))
        self.page_list.setFixedWidth(max(150, self.page_list.sizeHintForColumn(0) + 40))
        self.page_list.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.page_list.setCurrentRow(0)

        for keys, step in (("Ctrl+PgDown", 1), ("Ctrl+PgUp", -1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(lambda step=step: self.step_page(step))

        self.error_label = QLabel()
        self.error_label.setObjectName("settingsError")
        self.error_label.setWordWrap(True)
        set_tone(self.error_label, "error")
        self.error_label.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)  # Enter saves, from any field but a text box

        body = QHBoxLayout()
        body.addWidget(self.page_list)
        body.addWidget(self.stack, 1)
        outer = QVBoxLayout(self)
        outer.addLayout(body, 1)
        outer.addWidget(self.error_label)
        outer.addWidget(buttons)
        self.resize(820, 580)

        for name in self.editors:
            self._check(name)
        for view in self.pages.values():
            self._refresh_page(view)
        self.page_list.setFocus(Qt.FocusReason.OtherFocusReason)
        self.load_models()

    # -- building ------------------------------------------------------------------------

    def _add_page(
        self,
        key: str,
        title: str,
        groups: list[tuple[str, list[Option]]],
        engine_ready: Ready | None,
        with_paths: bool,
    ) -> None:
        content = QWidget()
        column = QVBoxLayout(content)
        heading = QLabel(title)
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        heading.setFont(font)
        column.addWidget(heading)
        if key == SERVER_PAGE and self._server is not None:
            self.server_controls = ServerControls(self._server, self.server_options)
            column.addWidget(self.server_controls)
        names: list[str] = []
        for group_title, options in groups:
            if not options:
                continue
            shown_title = translate(CONTEXT, group_title) if group_title else ""
            box: QWidget
            box = QGroupBox(shown_title) if shown_title else QWidget()
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
            if not shown_title:
                form.setContentsMargins(0, 0, 0, 0)
            for option in options:
                self._add_option(form, option, engine_ready)
                names.append(option.name)
                self._page_of[option.name] = key
                self._where[option.name] = shown_title or title
            column.addWidget(box)
        # One label column for the whole page: the fields of its groups line up.
        labels = content.findChildren(QLabel, "optionLabel")
        widest = max((lab.sizeHint().width() for lab in labels), default=0)
        for lab in labels:
            lab.setMinimumWidth(widest)
        if with_paths:
            column.addWidget(self._paths_box())
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        restore = QPushButton(translate("Settings", "Restore defaults"))
        restore.setObjectName(f"restore.{key}")
        restore.setAutoDefault(False)
        restore.setToolTip(
            translate(
                "Settings",
                "Put every setting on this page back to its default. Nothing is saved until "
                "you press Save.",
            )
        )
        restore.setAccessibleName(arg(translate("Settings", "Restore the defaults of %1"), title))
        restore.clicked.connect(lambda _checked=False, k=key: self.restore_defaults(k))
        page = QWidget()
        page.setAccessibleName(title)
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.addWidget(scroll, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(restore)
        page_layout.addLayout(row)
        self.stack.addWidget(page)
        item = QListWidgetItem(self._no_mark, title, self.page_list)
        item.setSizeHint(QSize(0, self.page_list.fontMetrics().height() + 14))
        self.pages[key] = PageView(key, title, item, page, restore, scroll, names)

    def _add_engines_page(self, engines: RemoteEngines) -> None:
        title = translate("Settings", "Engines")
        self.engines_page = EnginesPage(engines)
        self.engines_page.changed.connect(self.engines_changed)
        content = QWidget()
        column = QVBoxLayout(content)
        heading = QLabel(title)
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        heading.setFont(font)
        column.addWidget(heading)
        column.addWidget(self.engines_page, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        page = QWidget()
        page.setAccessibleName(title)
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.addWidget(scroll, 1)
        self.stack.addWidget(page)
        item = QListWidgetItem(self._no_mark, title, self.page_list)
        item.setSizeHint(QSize(0, self.page_list.fontMetrics().height() + 14))
        # No options and nothing to restore: its changes are saved as they are made.
        restore = QPushButton()
        restore.hide()
        self.pages[ENGINES_PAGE] = PageView(ENGINES_PAGE, title, item, page, restore, scroll)

    def _add_option(self, form: QFormLayout, option: Option, engine_ready: Ready | None) -> None:
        """A row: the label, then the editor with, under it, the reason its value cannot be
        saved (hidden while there is none) and the description, all in the field column,
        where they get its full width to wrap."""
        value = self.settings[option.name]
        editor = make_editor(option, value, MODEL_OPTIONS.get(option.name))
        editor.setToolTip(doc_for(option))
        editor.setObjectName(option.name)
        editor.setAccessibleName(label_for(option))
        editor.setAccessibleDescription(doc_for(option))
        self.editors[option.name] = editor
        field = QWidget()
        field.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        column = QVBoxLayout(field)
        column.setContentsMargins(0, 0, 0, 6)
        column.setSpacing(4)
        if isinstance(editor, QPlainTextEdit | QLineEdit):
            column.addWidget(editor)
        else:  # a spin box, a check box or a list keeps its own width
            column.addWidget(editor, 0, Qt.AlignmentFlag.AlignLeft)
        problem = QLabel()
        problem.setObjectName("optionProblem")
        problem.setWordWrap(True)
        problem.hide()
        self.problem_labels[option.name] = problem
        column.addWidget(problem)
        # The quiet tone is AA on every background (tests/gui/settings), and the label stays
        # enabled, so a screen reader reads it.
        doc = QLabel(doc_for(option))
        doc.setWordWrap(True)
        doc.setObjectName("optionDoc")
        set_tone(doc, "muted")
        self.doc_labels[option.name] = doc
        column.addWidget(doc)
        if option.name == GPU_OPTION:
            self.gpu_note = QLabel(self._gpu_note(engine_ready))
            self.gpu_note.setWordWrap(True)
            column.addWidget(self.gpu_note)
            editor.setEnabled(bool(engine_ready and engine_ready.supports_gpu_offload))
        label = QLabel(label_for(option))
        label.setObjectName("optionLabel")
        label.setBuddy(editor)
        form.addRow(label, field)
        on_change(editor, lambda name=option.name: self._changed(name))

    # -- pages ---------------------------------------------------------------------------

    def current_page(self) -> str:
        return list(self.pages)[self.stack.currentIndex()]

    def show_page(self, key: str) -> None:
        self.page_list.setCurrentRow(list(self.pages).index(key))

    def step_page(self, step: int) -> None:
        """Ctrl+PageDown / Ctrl+PageUp: the next or previous page, round; the focus goes to
        the page list, where the arrow keys go on."""
        count = self.page_list.count()
        self.page_list.setCurrentRow((self.page_list.currentRow() + step) % count)
        self.page_list.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def restore_defaults(self, key: str) -> None:
        """Put the page's editors back to the defaults (saved with Save, like any change)."""
        for name in self.pages[key].options:
            set_editor_value(self.editors[name], OPTIONS_BY_NAME[name].default)
        self._refresh_page(self.pages[key])

    def server_options(self) -> ServerOptions:
        """The server's options as the Local server page shows them, saved or not (UserError
        in words for a value that cannot be used, or an API key variable that is not set)."""
        values: dict[str, Any] = {}
        for name in self.pages[SERVER_PAGE].options:
            option = OPTIONS_BY_NAME[name]
            try:
                values[name] = option.coerce(editor_value(self.editors[name]), label_for(option))
            except ValueError as exc:
                raise UserError(str(exc)) from None
        return ServerOptions.from_settings(values)

    # -- checking ------------------------------------------------------------------------

    def problem(self, name: str) -> str | None:
        """Why the value in the editor cannot be saved, in words; None when it can."""
        option = OPTIONS_BY_NAME[name]
        try:
            option.coerce(editor_value(self.editors[name]), label_for(option))
        except ValueError as exc:
            return str(exc)
        return None

    def _changed(self, name: str) -> None:
        self._check(name)
        if name == default_model_setting("chat"):
            self._update_follow_names()
        self._refresh_page(self.pages[self._page_of[name]])

    def _check(self, name: str) -> None:
        label = self.problem_labels[name]
        editor = self.editors[name]
        text, tone = self.problem(name), "error"
        if text is None and isinstance(editor, ModelChoice):
            text, tone = self._missing_model_note(editor), "warning"
        if text is None:
            label.hide()
            label.clear()
            editor.setAccessibleDescription(doc_for(OPTIONS_BY_NAME[name]))
            return
        label.setText(text)
        set_tone(label, tone)  # type: ignore[arg-type]
        label.show()
        editor.setAccessibleDescription(f"{text}. {doc_for(OPTIONS_BY_NAME[name])}")

    def _refresh_page(self, view: PageView) -> None:
        """The page's mark in the list (a value to fix) and its Restore button (enabled
        when something differs from the default)."""
        to_fix = [n for n in view.options if not self.problem_labels[n].isHidden()]
        if to_fix:
            view.item.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning))
            view.item.setData(
                Qt.ItemDataRole.AccessibleDescriptionRole,
                translate("Settings", "Has a value to look at"),
            )
        else:
            view.item.setIcon(self._no_mark)
            view.item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, None)
        view.restore_button.setEnabled(any(not self._is_default(n) for n in view.options))

    def _is_default(self, name: str) -> bool:
        option = OPTIONS_BY_NAME[name]
        try:
            return option.coerce(editor_value(self.editors[name])) == option.default
        except ValueError:
            return False

    # -- default models ------------------------------------------------------------------

    def load_models(self) -> None:
        """List the installed models off the GUI thread, then offer them."""
        values = [str(editor_value(self.editors[n])) for n in MODEL_OPTIONS]
        self._models_worker = run_in_pool(
            self._pool,
            lambda: _list_models(self.registry, values),
            self._models_listed,
            lambda _reason: self._models_listed(([], {})),
            replaces=self._models_worker,
        )

    @property
    def loading_models(self) -> bool:
        return any(isinstance(e, ModelChoice) and e.models is None for e in self.editors.values())

    def _models_listed(self, listed: tuple[list[InstalledModel], dict[str, str]]) -> None:
        models, means = listed
        for name in MODEL_OPTIONS:
            editor = self.editors[name]
            assert isinstance(editor, ModelChoice)
            editor.set_models(models, means.get(editor.value()))
        self._update_follow_names()

    def _update_follow_names(self) -> None:
        """Name what the first entries stand for: the first installed model for the chat,
        the chat's model for the tasks."""
        chat = self.editors[default_model_setting("chat")]
        assert isinstance(chat, ModelChoice)
        models = chat.models or []
        first = models[0].name if models else None
        chat.set_follows(first)
        chosen = chat.value()
        chat_model = chosen if chosen and chat.installed(chosen) else first
        for name, task in MODEL_OPTIONS.items():
            editor = self.editors[name]
            if task != "chat" and isinstance(editor, ModelChoice):
                editor.set_follows(chat_model)

    def _missing_model_note(self, editor: ModelChoice) -> str | None:
        missing = editor.missing()
        if missing is None:
            return None
        if editor.task == "chat":
            return arg(
                translate(
                    "Settings",
                    "%1 is not installed: new chats use the first installed model. Pick "
                    "one from the list, or install it again.",
                ),
                missing,
            )
        return arg(
            translate(
                "Settings",
                "%1 is not installed: the chat model is used instead. Pick one from the "
                "list, or install it again.",
            ),
            missing,
        )

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
            button.setAutoDefault(False)  # Enter saves the settings
            button.setAccessibleName(
                arg(translate("Settings", "Open %1 in the file manager"), folder)
            )
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
        """Check every value, then write the file once; on a bad value nothing is saved,
        and the first one is shown, its page open and its field focused."""
        problems: list[str] = []
        first: str | None = None
        values: dict[str, Any] = {}
        for option in OPTIONS:
            editor = self.editors[option.name]
            try:
                values[option.name] = option.coerce(editor_value(editor), label_for(option))
            except ValueError as exc:
                problems.append(
                    arg(translate("Settings", "%1: %2."), self._where[option.name], exc)
                )
                self._check(option.name)
                first = first or option.name
        if first is not None:
            for view in self.pages.values():
                self._refresh_page(view)
            self.show_page(self._page_of[first])
            self.pages[self._page_of[first]].scroll.ensureWidgetVisible(self.editors[first])
            self.editors[first].setFocus(Qt.FocusReason.OtherFocusReason)
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
