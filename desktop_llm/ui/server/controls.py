"""The Local server page's own widgets: Start/Stop with the state in words, Copy URL, and
what listening beyond this computer means. The options themselves are the page's generated
editors (settings/pages.py); Start uses the values on the page, saved or not, so what the
user sees is what listens."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop_llm.core.errors import UserError
from desktop_llm.core.i18n import translate
from desktop_llm.core.server.runner import ServerOptions
from desktop_llm.ui.common.style import set_tone
from desktop_llm.ui.server.switch import ServerSwitch
from desktop_llm.ui.server.words import listening_text


class ServerControls(QGroupBox):
    def __init__(
        self,
        switch: ServerSwitch,
        options: Callable[[], ServerOptions],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(translate("LocalServer", "Server"), parent)
        self.setObjectName("serverControls")
        self.switch = switch
        self._options = options  # raises UserError in words for a value that cannot be used
        self._failure: str | None = None

        self.state_label = QLabel()
        self.state_label.setObjectName("serverState")
        self.state_label.setWordWrap(True)
        self.state_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.start_button = QPushButton()
        self.start_button.setObjectName("serverStart")
        self.start_button.setAutoDefault(False)  # Enter saves the settings
        self.start_button.clicked.connect(self._toggle)
        self.copy_button = QPushButton(translate("LocalServer", "Copy URL"))
        self.copy_button.setObjectName("serverCopy")
        self.copy_button.setAutoDefault(False)
        self.copy_button.setToolTip(
            translate("LocalServer", "Copy the address clients use (the OpenAI base URL)")
        )
        self.copy_button.clicked.connect(self.copy_url)
        self.note_label = QLabel(
            translate(
                "LocalServer",
                "127.0.0.1 answers programs on this computer only. Any other address, such "
                "as 0.0.0.0, lets other computers on your network use your models and your "
                "computer's power: the server then starts only with an API key. Changes "
                "below apply when the server starts again.",
            )
        )
        self.note_label.setObjectName("serverNote")
        self.note_label.setWordWrap(True)
        set_tone(self.note_label, "muted")

        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.addWidget(self.state_label)
        column.addLayout(buttons)
        column.addWidget(self.note_label)

        # Bound methods: Qt drops these connections when the page is deleted with its dialog.
        switch.phase_changed.connect(self._on_phase)
        switch.changed.connect(self._on_counts)
        switch.failed.connect(self._on_failed)
        self._failure = switch.last_failure if switch.phase == "stopped" else None
        self.refresh()

    def state_text(self) -> str:
        return self.state_label.text()

    def refresh(self) -> None:
        switch = self.switch
        phase = switch.phase
        if phase == "running" and switch.url is not None:
            text = listening_text(switch.url, switch.served, switch.in_flight)
        elif phase == "starting":
            text = translate("LocalServer", "Starting…")
        elif phase == "stopping":
            text = translate("LocalServer", "Stopping…")
        elif self._failure:
            text = self._failure
        else:
            text = translate("LocalServer", "Stopped")
        self.state_label.setText(text)
        failed = phase == "stopped" and bool(self._failure)
        set_tone(self.state_label, "error" if failed else None)
        self.start_button.setText(
            translate("LocalServer", "Stop")
            if phase in ("running", "starting")
            else translate("LocalServer", "Start")
        )
        self.start_button.setEnabled(phase != "stopping")
        self.copy_button.setEnabled(phase == "running")

    def copy_url(self) -> None:
        url = self.switch.url
        if url is not None:
            QGuiApplication.clipboard().setText(url)

    def _toggle(self) -> None:
        if self.switch.phase in ("running", "starting"):
            self.switch.stop()
            return
        try:
            options = self._options()
        except UserError as exc:
            self._on_failed(str(exc))
            return
        self._failure = None
        self.switch.start(options)

    def _on_phase(self, _phase: str) -> None:
        if self.switch.phase != "stopped":
            self._failure = None
        self.refresh()

    def _on_counts(self, _served: int, _running: int) -> None:
        self.refresh()

    def _on_failed(self, message: str) -> None:
        self._failure = message
        self.refresh()
