"""The status bar's word on the local server, shown only while it listens: its URL and the
requests answered (and running). Clicking it opens Settings at the Local server page."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton, QWidget

from desktop_llm.core.i18n import arg, translate
from desktop_llm.ui.server.switch import ServerSwitch
from desktop_llm.ui.server.words import counts_text


class ServerIndicator(QToolButton):
    def __init__(self, switch: ServerSwitch, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("serverIndicator")
        self.switch = switch
        self.setAutoRaise(True)  # a word in the status bar, a button under the pointer
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        switch.phase_changed.connect(self._on_phase)
        switch.changed.connect(self._on_counts)
        self.refresh()

    def _on_phase(self, _phase: str) -> None:
        self.refresh()

    def _on_counts(self, _served: int, _running: int) -> None:
        self.refresh()

    def refresh(self) -> None:
        url = self.switch.url
        if url is None:
            self.hide()
            return
        counts = counts_text(self.switch.served, self.switch.in_flight)
        self.setText(arg(translate("LocalServer", "API %1 · %2"), url, counts))
        tip = arg(
            translate(
                "LocalServer",
                "The local OpenAI-compatible server is listening at %1. Click for its settings.",
            ),
            url,
        )
        self.setToolTip(tip)
        self.setAccessibleName(tip)
        self.show()
