"""Settings → Engines: the remote engines (OpenAI-compatible servers on other machines).

The list shows each engine's name, address, where its API key is kept and the power draw
the user gave. Add… opens a small dialog (the key goes to the OS keyring, or the user names
an environment variable that holds it); Test connection asks the server for its models,
whether it counts tokens and returns logprobs, off the GUI thread with a Cancel; Remove asks
first. Changes are written to engines.json at once (not with the dialog's Save) and
announced with `changed`, so the model pickers list the engines' models again.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_llm.core.engine.remote import DEFAULT_CONTEXT, RemoteEngine
from desktop_llm.core.errors import UserError
from desktop_llm.core.i18n import PLURAL, arg, translate
from desktop_llm.core.remote_engines import RemoteEngineConfig, RemoteEngines, make_config
from desktop_llm.ui.common.remote_models import ProbeResult, probe
from desktop_llm.ui.common.style import set_tone
from desktop_llm.ui.common.worker import Worker, create_worker, make_pool, run_in_pool

URL_HINT = "http://HOST:PORT/v1"


def keyring_problem() -> str | None:
    """Why no keyring can keep a key here, in words; None when one can (blocks: a keyring
    may ask D-Bus, so off the GUI thread)."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError as exc:
        return str(exc)
    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # a backend that fails to start
        return str(exc)
    if isinstance(backend, fail.Keyring):
        return translate("EnginesPage", "no keyring service runs here")
    return None


def key_place(config: RemoteEngineConfig) -> str:
    if config.api_key_env is not None:
        return arg(translate("EnginesPage", "environment variable %1"), config.api_key_env)
    if config.key_in_keyring:
        return translate("EnginesPage", "keyring")
    return translate("EnginesPage", "no key")


def watts_text(config: RemoteEngineConfig) -> str:
    if config.watts is None:
        return translate("EnginesPage", "not given")
    return arg(translate("EnginesPage", "%1 W"), QLocale().toString(config.watts, "g", 6))


def probe_text(result: ProbeResult) -> str:
    """Test connection's answer in words."""
    n = len(result.model_ids)
    if n == 0:
        return arg(
            translate("EnginesPage", "%1 answers, but serves no model."),
            result.engine,
        )
    models = translate("EnginesPage", "%n model(s)", None, PLURAL, n)
    names = ", ".join(result.model_ids[:8]) + (", …" if n > 8 else "")
    lines = [
        arg(translate("EnginesPage", "Connected: %1 (%2)."), models, names),
        arg(
            translate("EnginesPage", "Tokenizer: %1"),
            translate("EnginesPage", "yes, counts are exact")
            if result.tokenizer
            else translate("EnginesPage", "no, counts are estimated from characters"),
        ),
        arg(
            translate("EnginesPage", "Log-probabilities: %1"),
            translate("EnginesPage", "yes, sentiment gets probabilities")
            if result.logprobs
            else translate("EnginesPage", "no, sentiment gets labels without probabilities"),
        ),
    ]
    return "\n".join(lines)


class AddEngineDialog(QDialog):
    """Name, base URL, API key (keyring) or the environment variable that holds it, the
    server's power draw and context length. Saving writes the key to the keyring and the
    rest to engines.json off the GUI thread."""

    def __init__(
        self, engines: RemoteEngines, existing: Sequence[str] = (), parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("EnginesPage", "Add a remote engine"))
        self.engines = engines
        self.existing = frozenset(existing)
        self.added: RemoteEngineConfig | None = None
        self._pool = make_pool(self, "add engine")
        self._worker: Worker | None = None

        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("engineName")
        self.name_edit.setPlaceholderText(translate("EnginesPage", "e.g. llama-box"))
        self.url_edit = QLineEdit()
        self.url_edit.setObjectName("engineUrl")
        self.url_edit.setPlaceholderText(URL_HINT)
        self.key_edit = QLineEdit()
        self.key_edit.setObjectName("engineKey")
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setPlaceholderText(translate("EnginesPage", "optional"))
        self.env_edit = QLineEdit()
        self.env_edit.setObjectName("engineKeyEnv")
        self.env_edit.setPlaceholderText(translate("EnginesPage", "optional, e.g. LLAMA_BOX_KEY"))
        self.watts_edit = QLineEdit()
        self.watts_edit.setObjectName("engineWatts")
        self.watts_edit.setPlaceholderText(translate("EnginesPage", "optional"))
        self.context_edit = QLineEdit()
        self.context_edit.setObjectName("engineContext")
        self.context_edit.setPlaceholderText(translate("EnginesPage", "optional"))

        def doc(text: str) -> QLabel:
            label = QLabel(text)
            label.setWordWrap(True)
            set_tone(label, "muted")
            return label

        self.keyring_note = QLabel()
        self.keyring_note.setObjectName("keyringNote")
        self.keyring_note.setWordWrap(True)
        set_tone(self.keyring_note, "warning")
        self.keyring_note.hide()
        form = QFormLayout()
        form.addRow(translate("EnginesPage", "Name:"), self.name_edit)
        form.addRow(
            "", doc(translate("EnginesPage", "How the app names it: its models are NAME/MODEL."))
        )
        form.addRow(translate("EnginesPage", "Base URL:"), self.url_edit)
        form.addRow(
            "",
            doc(
                arg(
                    translate(
                        "EnginesPage",
                        "The server's OpenAI-compatible API, as %1 (llama-server, vLLM, "
                        "Ollama, LM Studio).",
                    ),
                    URL_HINT,
                )
            ),
        )
        form.addRow(translate("EnginesPage", "API key:"), self.key_edit)
        form.addRow("", self.keyring_note)
        self.key_doc = doc(
            translate(
                "EnginesPage",
                "Kept in your system's keyring, never in the settings or the database.",
            )
        )
        form.addRow("", self.key_doc)
        form.addRow(translate("EnginesPage", "Or an environment variable:"), self.env_edit)
        form.addRow(
            "",
            doc(
                translate(
                    "EnginesPage", "The name of a variable that holds the key when the app starts."
                )
            ),
        )
        form.addRow(translate("EnginesPage", "Server's average power draw (W):"), self.watts_edit)
        form.addRow(
            "",
            doc(
                translate(
                    "EnginesPage",
                    "If you know it: replies then get an energy estimate, labelled as from "
                    "your figure. Left empty, their energy is recorded as not measured (it "
                    "is used on the other machine).",
                )
            ),
        )
        form.addRow(translate("EnginesPage", "Context length (tokens):"), self.context_edit)
        form.addRow(
            "",
            doc(
                arg(
                    translate("EnginesPage", "When the server does not say it; %1 if left empty."),
                    DEFAULT_CONTEXT,
                )
            ),
        )
        self.error_label = QLabel()
        self.error_label.setObjectName("addEngineError")
        self.error_label.setWordWrap(True)
        set_tone(self.error_label, "error")
        self.error_label.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())
        # Whether a keyring can keep the key: asked off the GUI thread (it may ask D-Bus).
        self.keyring_ok: bool | None = None
        self._keyring_worker = run_in_pool(
            self._pool, keyring_problem, self._keyring_checked, lambda _m: None
        )

    def _keyring_checked(self, problem: object) -> None:
        self.keyring_ok = problem is None
        if problem is None:
            return
        self.key_edit.clear()
        self.key_edit.setEnabled(False)
        self.key_doc.hide()
        self.keyring_note.setText(
            arg(
                translate(
                    "EnginesPage",
                    "No keyring is available here (%1), so the key cannot be kept safely. "
                    "Put it in an environment variable and give the variable's name below.",
                ),
                str(problem),
            )
        )
        self.keyring_note.show()
        self.env_edit.setFocus()

    def config(self) -> RemoteEngineConfig:
        """The checked values (UserError in words)."""
        values: dict[str, Any] = {"url": self.url_edit.text()}
        if self.env_edit.text().strip():
            values["api_key_env"] = self.env_edit.text().strip()
        if self.watts_edit.text().strip():
            values["watts"] = self.watts_edit.text().strip().replace(",", ".")
        if self.context_edit.text().strip():
            values["context_length"] = self.context_edit.text().strip()
        return make_config(self.name_edit.text(), **values)

    def save(self) -> None:
        try:
            config = self.config()
        except UserError as exc:
            self._show_error(str(exc))
            return
        key = self.key_edit.text() or None
        if key and config.api_key_env is not None:
            self._show_error(
                translate(
                    "EnginesPage",
                    "Give the key either here or in an environment variable, not both.",
                )
            )
            return
        if config.name in self.existing and not self._replace(config.name):
            return
        engines = self.engines
        self.save_button.setEnabled(False)

        def add() -> RemoteEngineConfig:
            engines.add(config, api_key=key)
            return engines[config.name]

        self._worker = run_in_pool(self._pool, add, self._saved, self._failed)

    def _replace(self, name: str) -> bool:
        answer = QMessageBox.question(
            self,
            translate("EnginesPage", "Replace the engine?"),
            arg(translate("EnginesPage", "There is already an engine named %1. Replace it?"), name),
        )
        return answer == QMessageBox.StandardButton.Yes

    def _saved(self, config: object) -> None:
        assert isinstance(config, RemoteEngineConfig)
        self.added = config
        self.accept()

    def _failed(self, message: str) -> None:
        self.save_button.setEnabled(True)
        self._show_error(message)

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()


class EnginesPage(QWidget):
    """The Engines page of the settings dialog."""

    changed = Signal()  # an engine was added or removed (engines.json written)
    probed = Signal(str)  # Test connection ended: what it says

    def __init__(self, engines: RemoteEngines, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.engines = engines
        self.add_dialog: AddEngineDialog | None = None
        self._pool = make_pool(self, "engines page")
        self._read: Worker | None = None
        self._probe: Worker | None = None
        self._configs: list[RemoteEngineConfig] = []
        self._select_after: str | None = None
        self._stop_probe = threading.Event()

        intro = QLabel(
            translate(
                "EnginesPage",
                "Remote engines are OpenAI-compatible servers on other machines (llama-server, "
                "vLLM, Ollama, LM Studio). Their models appear in every model list under the "
                "engine's name. Changes here are saved at once.",
            )
        )
        intro.setWordWrap(True)
        set_tone(intro, "muted")
        self.list = QTreeWidget()
        self.list.setObjectName("remoteEngines")
        self.list.setAccessibleName(translate("EnginesPage", "Remote engines"))
        self.list.setRootIsDecorated(False)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setHeaderLabels(
            [
                translate("EnginesPage", "Name"),
                translate("EnginesPage", "Address"),
                translate("EnginesPage", "API key"),
                translate("EnginesPage", "Power draw"),
            ]
        )
        header = self.list.header()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        for column in (0, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.empty_label = QLabel(
            translate("EnginesPage", "No remote engine yet: Add… one to use its models here.")
        )
        self.empty_label.setWordWrap(True)
        self.empty_label.hide()

        self.add_button = QPushButton(translate("EnginesPage", "Add…"))
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.open_add)
        self.test_button = QPushButton(translate("EnginesPage", "Test connection"))
        self.test_button.setAutoDefault(False)
        self.test_button.setToolTip(
            translate(
                "EnginesPage",
                "Ask the server for its models, and whether it counts tokens and returns "
                "log-probabilities",
            )
        )
        self.test_button.clicked.connect(self.test_selected)
        self.remove_button = QPushButton(translate("EnginesPage", "Remove…"))
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)

        self.busy = QProgressBar()
        self.busy.setObjectName("probeBusy")
        self.busy.setRange(0, 0)  # a busy indicator: no steps to count
        self.busy.setMaximumWidth(160)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.cancel_button = QPushButton(translate("EnginesPage", "Cancel"))
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.cancel_test)
        self.cancel_button.hide()
        self.result_label = QLabel()
        self.result_label.setObjectName("probeResult")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        busy_row = QHBoxLayout()
        busy_row.addWidget(self.busy)
        busy_row.addWidget(self.cancel_button)
        busy_row.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty_label)
        layout.addLayout(buttons)
        layout.addLayout(busy_row)
        layout.addWidget(self.result_label)
        self._update_buttons()
        self.refresh()

    # --- the list ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read engines.json (off the GUI thread) and list the engines."""
        engines = self.engines
        self._read = run_in_pool(
            self._pool, engines.all, self._show, self._show_problem, replaces=self._read
        )

    @property
    def loading(self) -> bool:
        return self._read is not None

    def _show(self, configs: object) -> None:
        self._read = None
        assert isinstance(configs, list)
        selected = self._select_after or self.selected_name()
        self._select_after = None
        self._configs = configs
        self.list.clear()
        for config in configs:
            item = QTreeWidgetItem([config.name, config.url, key_place(config), watts_text(config)])
            item.setData(0, Qt.ItemDataRole.UserRole, config.name)
            item.setToolTip(1, config.url)
            self.list.addTopLevelItem(item)
            if config.name == selected:
                item.setSelected(True)
        if self.list.selectedItems() == [] and self.list.topLevelItemCount():
            self.list.topLevelItem(0).setSelected(True)
        self.empty_label.setVisible(not configs)
        if self.engines.load_warning:
            self._show_problem(self.engines.load_warning)
        self._update_buttons()

    def _show_problem(self, message: str) -> None:
        self._read = None
        self.result_label.setText(message)
        set_tone(self.result_label, "error")

    def names(self) -> list[str]:
        return [c.name for c in self._configs]

    def selected_name(self) -> str | None:
        items = self.list.selectedItems()
        return str(items[0].data(0, Qt.ItemDataRole.UserRole)) if items else None

    def select(self, name: str) -> None:
        for i in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(i)
            item.setSelected(item.data(0, Qt.ItemDataRole.UserRole) == name)

    def _update_buttons(self) -> None:
        chosen = self.selected_name() is not None
        testing = self._probe is not None
        self.test_button.setEnabled(chosen and not testing)
        self.remove_button.setEnabled(chosen and not testing)

    # --- add, remove ------------------------------------------------------------------------

    def open_add(self) -> AddEngineDialog:
        dialog = AddEngineDialog(self.engines, self.names(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._added(dialog.added))
        dialog.finished.connect(lambda _result: setattr(self, "add_dialog", None))
        self.add_dialog = dialog
        dialog.open()
        return dialog

    def _added(self, config: RemoteEngineConfig | None) -> None:
        if config is None:
            return
        self.result_label.setText(
            arg(
                translate("EnginesPage", "Added %1. Test connection to see what it serves."),
                config.name,
            )
        )
        set_tone(self.result_label, None)
        self._select_after = config.name
        self.refresh()
        self.changed.emit()

    def remove_selected(self, *, confirm: bool = True) -> None:
        name = self.selected_name()
        if name is None:
            return
        if confirm:
            answer = QMessageBox.question(
                self,
                translate("EnginesPage", "Remove the engine?"),
                arg(
                    translate(
                        "EnginesPage",
                        "Remove %1? Its models leave the model lists and its key leaves the "
                        "keyring. Replies already written with it are kept.",
                    ),
                    name,
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        engines = self.engines
        self.remove_button.setEnabled(False)
        run_in_pool(self._pool, lambda: engines.remove(name), self._removed, self._show_problem)

    def _removed(self, config: object) -> None:
        assert isinstance(config, RemoteEngineConfig)
        self.result_label.setText(arg(translate("EnginesPage", "Removed %1."), config.name))
        set_tone(self.result_label, None)
        self.refresh()
        self.changed.emit()

    # --- test connection --------------------------------------------------------------------

    def test_selected(self) -> None:
        name = self.selected_name()
        config = next((c for c in self._configs if c.name == name), None)
        if config is None or self._probe is not None:
            return
        engines = self.engines
        stop = self._stop_probe = threading.Event()
        clients: list[RemoteEngine] = []

        def cancel() -> None:  # any thread: the request under way ends, no other starts
            stop.set()
            for client in list(clients):
                client.close()

        worker = create_worker(probe, engines, config, clients.append, stop, on_quit=cancel)
        worker.returned.connect(self._tested)
        worker.failed.connect(self._test_failed)
        worker.finished.connect(self._test_finished)
        self._probe = worker
        self.busy.show()
        self.cancel_button.show()
        self.result_label.setText(arg(translate("EnginesPage", "Testing %1…"), config.name))
        set_tone(self.result_label, "muted")
        self._update_buttons()
        worker.start(self._pool)

    @property
    def testing(self) -> bool:
        return self._probe is not None

    def cancel_test(self) -> None:
        worker = self._probe
        if worker is None:
            return
        worker.quit()
        worker.discard()  # its answer no longer matters
        self.result_label.setText(translate("EnginesPage", "The test was cancelled."))
        set_tone(self.result_label, "muted")
        self._test_finished()

    def _tested(self, result: object) -> None:
        assert isinstance(result, ProbeResult)
        self.result_label.setText(probe_text(result))
        set_tone(self.result_label, "good")

    def _test_failed(self, message: str) -> None:
        self.result_label.setText(message)
        set_tone(self.result_label, "error")

    def _test_finished(self) -> None:
        self._probe = None
        self.busy.hide()
        self.cancel_button.hide()
        self._update_buttons()
        self.probed.emit(self.result_label.text())

    def shutdown(self) -> None:
        if self._probe is not None:
            self._probe.quit()
