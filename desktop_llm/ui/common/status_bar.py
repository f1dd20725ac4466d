"""The status line: model, device, speed and time to first token of the last reply."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from desktop_llm.core.engine.protocol import GenerationStats
from desktop_llm.core.i18n import QT_TRANSLATE_NOOP, arg, translate

ENDED_WORDS = {
    "complete": QT_TRANSLATE_NOOP("StatusLine", "Ready"),
    "stopped": QT_TRANSLATE_NOOP("StatusLine", "Stopped"),
    "interrupted": QT_TRANSLATE_NOOP("StatusLine", "Interrupted"),
}
# A failed reply or task run, by the noun its caller passes.
FAILED_WORDS = {
    "reply": QT_TRANSLATE_NOOP("StatusLine", "The reply failed"),
    "run": QT_TRANSLATE_NOOP("StatusLine", "The run failed"),
}


def ended_state(status: str, noun: str) -> str:
    """What the status line says once a reply or a task run (`noun`) ended with status."""
    if status == "error":
        if noun in FAILED_WORDS:
            return translate("StatusLine", FAILED_WORDS[noun])
        return arg(translate("StatusLine", "The %1 failed"), noun)
    return translate("StatusLine", ENDED_WORDS.get(status, "Ready"))


class StatusLine(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state_label = QLabel(translate("StatusLine", "Ready"))
        self.model_label = QLabel()
        self.device_label = QLabel()
        self.speed_label = QLabel()
        self.ttft_label = QLabel()
        self.addWidget(self.state_label, 1)
        for label in (self.model_label, self.device_label, self.speed_label, self.ttft_label):
            self.addPermanentWidget(label)
            label.hide()

    def _set(self, label: QLabel, text: str) -> None:
        label.setText(text)
        label.setVisible(bool(text))

    def set_state(self, text: str) -> None:
        self.state_label.setText(text)

    def state(self) -> str:
        return self.state_label.text()

    def set_model(self, name: str | None, device: str | None = None) -> None:
        self._set(self.model_label, arg(translate("StatusLine", "Model: %1"), name) if name else "")
        if device is not None:
            self._set(self.device_label, arg(translate("StatusLine", "Device: %1"), device))

    def set_stats(self, stats: GenerationStats | None) -> None:
        if stats is None:
            self._set(self.speed_label, "")
            self._set(self.ttft_label, "")
            return
        speed = stats.tokens_per_second
        self._set(self.speed_label, "" if speed is None else f"{speed:.1f} tokens/s")
        seconds = f"{stats.ttft_ms / 1000:.2f}"
        self._set(self.ttft_label, arg(translate("StatusLine", "First token: %1 s"), seconds))

    def summary(self) -> str:
        parts = [self.state_label.text()]
        parts += [
            label.text()
            for label in (self.model_label, self.device_label, self.speed_label, self.ttft_label)
            if label.isVisibleTo(self) and label.text()
        ]
        return " · ".join(parts)
