"""The status line: what the app is doing, then the model, device, speed and time to first
token of the last reply or run of the page on screen.

The state text on the left takes what room is left and ends in "…" when it does not fit
(its tooltip has it whole); the fields on the right keep their places. A temporary message
(showMessage) is shown in the state's place, never painted over the fields as QStatusBar
does, and the state comes back when it times out. Each page (the chat, each task) keeps its
own model, device and speed: switching pages shows that page's, so the chat's tokens/s are
never read as a translation's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from desktop_llm.core.engine.protocol import GenerationStats
from desktop_llm.core.i18n import QT_TRANSLATE_NOOP, arg, translate
from desktop_llm.ui.common.elided_label import ElidedLabel

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
# The model's name gives way first, down to about this many characters.
MODEL_MIN_CHARS = 12
STATE_MIN_CHARS = 14


def ended_state(status: str, noun: str) -> str:
    """What the status line says once a reply or a task run (`noun`) ended with status."""
    if status == "error":
        if noun in FAILED_WORDS:
            return translate("StatusLine", FAILED_WORDS[noun])
        return arg(translate("StatusLine", "The %1 failed"), noun)
    return translate("StatusLine", ENDED_WORDS.get(status, "Ready"))


@dataclass(frozen=True)
class Speed:
    """How fast a reply or a whole run went: completion tokens per second (from the first
    to the last token) and the time to the first token; None where nothing was measured
    (a sentiment run scores, it writes no tokens)."""

    tokens_per_second: float | None
    ttft_ms: float | None

    @classmethod
    def of(cls, stats: GenerationStats | None) -> Speed | None:
        if stats is None:
            return None
        return cls(stats.tokens_per_second, stats.ttft_ms)

    @classmethod
    def of_calls(cls, calls: Iterable[tuple[int, float | None, float | None]]) -> Speed | None:
        """A run's speed over its model calls, each (completion tokens, tokens/s, ttft ms)
        in order: all the tokens over all the writing time, and the first call's ttft."""
        tokens, seconds, ttft = 0, 0.0, None
        seen = False
        for completion, per_second, first_ms in calls:
            seen = True
            if ttft is None and first_ms is not None:
                ttft = first_ms
            if per_second and completion > 0:
                tokens += completion
                seconds += completion / per_second
        if not seen:
            return None
        return cls(tokens / seconds if seconds > 0 else None, ttft)


@dataclass(frozen=True)
class PageStatus:
    """What the fields say for one page: its model, the device and speed of its last
    reply or run (None: none yet)."""

    model: str | None = None
    device: str | None = None
    speed: Speed | None = None


class StatusLine(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state_label = ElidedLabel(translate("StatusLine", "Ready"), min_chars=STATE_MIN_CHARS)
        self.state_label.setObjectName("statusState")
        self.model_label = ElidedLabel(min_chars=MODEL_MIN_CHARS)
        self.model_label.setObjectName("statusModel")
        self.device_label = QLabel()
        self.device_label.setObjectName("statusDevice")
        self.speed_label = QLabel()
        self.speed_label.setObjectName("statusSpeed")
        self.ttft_label = QLabel()
        self.ttft_label.setObjectName("statusTtft")
        # The state has the stretch: it takes the room the fields leave, and gives it back.
        self.addWidget(self.state_label, 1)
        for label in self.fields():
            self.addPermanentWidget(label)
            label.hide()
        self._state = self.state_label.text()
        self._message = ""
        self._message_timer = QTimer(self)
        self._message_timer.setObjectName("statusMessage")
        self._message_timer.setSingleShot(True)
        self._message_timer.timeout.connect(self.clearMessage)
        self._pages: dict[str, PageStatus] = {}
        self._page: str | None = None
        self._page_model: str | None = None  # the shown page's pick, until it ran
        self._loaded: tuple[str, str] | None = None  # the model in the engine, its device

    def fields(self) -> tuple[QLabel, ...]:
        return (self.model_label, self.device_label, self.speed_label, self.ttft_label)

    def _set(self, label: QLabel, text: str) -> None:
        label.setText(text)
        label.setVisible(bool(text))

    # --- the state and temporary messages ------------------------------------------------

    def set_state(self, text: str) -> None:
        """What the app is doing now; it replaces a temporary message still shown."""
        self._message_timer.stop()
        self._message = ""
        self._state = text
        self.state_label.setText(text)

    def state(self) -> str:
        """What the state's place says now (a temporary message while one is shown)."""
        return self.state_label.text()

    def current_state(self) -> str:
        """The state itself, even while a temporary message is shown over it."""
        return self._state

    def showMessage(self, text: str, timeout: int = 0) -> None:
        """A message in the state's place for timeout ms (0: until the next state)."""
        self._message = text
        self.state_label.setText(text)
        if timeout > 0:
            self._message_timer.start(timeout)
        else:
            self._message_timer.stop()

    def currentMessage(self) -> str:
        return self._message

    def clearMessage(self) -> None:
        self._message_timer.stop()
        if self._message:
            self._message = ""
            self.state_label.setText(self._state)

    # --- the fields, per page --------------------------------------------------------------

    def show_page(self, page: str, model: str | None = None) -> None:
        """Show the fields of `page`: its last reply's or run's, else `model` (its pick)."""
        self._page = page
        self._page_model = model
        self._refresh()

    def record(self, page: str, model: str | None, device: str | None, speed: Speed | None) -> None:
        """A reply or run of `page` ended: keep its fields, and show them if it is shown."""
        self._pages[page] = PageStatus(model, device, speed)
        if self._page is None:
            self._page = page
        if page == self._page:
            self._refresh()

    def set_page_model(self, page: str, model: str | None) -> None:
        """The page's model was chosen: its fields speak of that model from now on."""
        if page == self._page:
            self._page_model = model
        if self._pages.get(page, PageStatus()).model not in (None, model):
            del self._pages[page]  # the old model's speed is not this one's
        if page == self._page:
            self._refresh()

    def model_ready(self, model: str, device: str) -> None:
        """The engine loaded `model` on `device`: a page that uses it says where it runs."""
        self._loaded = (model, device)
        self._refresh()

    def page_status(self, page: str) -> PageStatus:
        return self._pages.get(page, PageStatus())

    def _refresh(self) -> None:
        shown = self._pages.get(self._page or "", PageStatus())
        model = shown.model or self._page_model
        device = shown.device
        if device is None and self._loaded is not None and self._loaded[0] == model:
            device = self._loaded[1]
        self.set_model(model, device or "")
        self.set_speed(shown.speed)

    def set_model(self, name: str | None, device: str | None = None) -> None:
        self._set(self.model_label, arg(translate("StatusLine", "Model: %1"), name) if name else "")
        if device is not None:
            self._set(
                self.device_label,
                arg(translate("StatusLine", "Device: %1"), device) if device else "",
            )

    def set_stats(self, stats: GenerationStats | None) -> None:
        self.set_speed(Speed.of(stats))

    def set_speed(self, speed: Speed | None) -> None:
        per_second = speed.tokens_per_second if speed is not None else None
        ttft = speed.ttft_ms if speed is not None else None
        self._set(
            self.speed_label,
            ""
            if per_second is None
            else arg(translate("StatusLine", "%1 tokens/s"), f"{per_second:.1f}"),
        )
        self._set(
            self.ttft_label,
            ""
            if ttft is None
            else arg(translate("StatusLine", "First token: %1 s"), f"{ttft / 1000:.2f}"),
        )

    def summary(self) -> str:
        parts = [self.state_label.text()]
        parts += [
            label.text() for label in self.fields() if label.isVisibleTo(self) and label.text()
        ]
        return " · ".join(parts)
