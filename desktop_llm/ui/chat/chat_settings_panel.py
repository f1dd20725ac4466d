"""The chat's own settings, in a panel beside it: system prompt, model, temperature, top-p
and max tokens (core/chat/chat_settings.py says what is stored and what a new chat starts
from).

The panel follows the chat on screen (ChatPage.open_conversation). Each change is saved at
once, off the GUI thread: the newest values of a chat wait in PendingSaves and a worker
writes them, so a slower earlier write can never land over a newer one. A reply's job
writes what is still pending for its chat before it reads the chat's settings on the
engine thread (ChatPage._start_reply), so a value changed just before Enter is the one
used. The model picker here and the one in the chat's header are the same choice: the
page keeps them in step, and the conversation's model column is the one source of both.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_llm.core.chat.chat_settings import (
    SAMPLING_OPTIONS,
    ChatSettings,
    check_sampling,
    sampling_option,
)
from desktop_llm.core.chat.service import ChatService
from desktop_llm.core.config import CONTEXT, Settings
from desktop_llm.core.errors import UserError
from desktop_llm.core.i18n import arg, translate
from desktop_llm.core.models import InstalledModel
from desktop_llm.ui.common.model_picker import ModelPicker
from desktop_llm.ui.common.style import set_tone
from desktop_llm.ui.common.worker import make_pool, run_in_pool
from desktop_llm.ui.settings.editors import editor_value, make_editor, on_change, set_editor_value

PANEL_WIDTH = 250

log = logging.getLogger(__name__)


class PendingSaves:
    """The newest settings of each chat not yet written (thread-safe). write() takes them
    and writes them under one lock, so writes land in the order the values were made."""

    def __init__(self, chat: ChatService) -> None:
        self._chat = chat
        self._lock = threading.Lock()
        self._pending: dict[int, ChatSettings] = {}

    def put(self, conversation_id: int, settings: ChatSettings) -> None:
        with self._lock:
            self._pending[conversation_id] = settings

    def peek(self, conversation_id: int) -> ChatSettings | None:
        with self._lock:
            return self._pending.get(conversation_id)

    def write(self, conversation_id: int) -> None:
        """Write what is pending for the chat (any thread; nothing when nothing is)."""
        with self._lock:
            settings = self._pending.pop(conversation_id, None)
            if settings is not None:
                self._chat.save_chat_settings(conversation_id, settings)

    def write_all(self) -> None:
        with self._lock:
            ids = list(self._pending)
        for conversation_id in ids:
            self.write(conversation_id)

    def instead(self, conversation_id: int, action: Callable[[], Any]) -> Any:
        """Drop what is pending for the chat and run action in its place, under the lock."""
        with self._lock:
            self._pending.pop(conversation_id, None)
            return action()


class ChatSettingsPanel(QFrame):
    model_chosen = Signal(str)  # the user picked a model here
    manage_models_requested = Signal()
    model_reset = Signal(str)  # Reset gave the chat this model
    close_requested = Signal()
    _defaults_changed = Signal()  # from Settings.subscribe, on whichever thread changed them

    def __init__(
        self, chat: ChatService, settings: Settings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("chatSettingsPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(PANEL_WIDTH)
        self.setMaximumWidth(PANEL_WIDTH)
        self.chat = chat
        self.settings = settings
        self.saves = PendingSaves(chat)
        self.conversation_id: int | None = None
        self._loading = False  # values being shown, not typed: no save
        self._busy = False
        self._pool = make_pool(self, "chatSettings")
        self._build()
        self._defaults_changed.connect(self._on_defaults_changed)
        self._unsubscribe: Callable[[], None] | None = settings.subscribe(self._on_settings)

    def _build(self) -> None:
        title = QLabel(translate("ChatSettings", "Chat settings"))
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip(translate("ChatSettings", "Hide the chat settings"))
        self.close_button.setAccessibleName(translate("ChatSettings", "Hide the chat settings"))
        self.close_button.clicked.connect(self.close_requested)
        head = QHBoxLayout()
        head.addWidget(title, 1)
        head.addWidget(self.close_button)

        self.system_prompt = QPlainTextEdit()
        self.system_prompt.setTabChangesFocus(True)
        self.system_prompt.setAccessibleName(translate("Settings", "System prompt"))
        self.system_prompt.setToolTip(
            translate(
                "ChatSettings",
                "Instructions the model gets before this chat's messages; a change applies "
                "from the next reply.",
            )
        )
        self.system_prompt.setMinimumHeight(self.fontMetrics().lineSpacing() * 6 + 12)
        self.system_prompt.textChanged.connect(self._on_edited)

        self.model_picker = ModelPicker()
        self.model_picker.setMinimumContentsLength(12)
        self.model_picker.setAccessibleName(translate("ChatSettings", "Model"))
        self.model_picker.model_chosen.connect(self.model_chosen)
        self.model_picker.manage_requested.connect(self.manage_models_requested)

        self.editors: dict[str, QSpinBox | QDoubleSpinBox] = {}
        self.labels: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        model_label = QLabel(translate("ChatSettings", "Model"))
        model_label.setBuddy(self.model_picker)
        form.addRow(model_label, self.model_picker)
        for field in SAMPLING_OPTIONS:
            option = sampling_option(field)
            editor = make_editor(option, self.settings[option.name])
            assert isinstance(editor, QSpinBox | QDoubleSpinBox)
            label = QLabel(translate(CONTEXT, option.label))
            label.setBuddy(editor)
            editor.setAccessibleName(translate(CONTEXT, option.label))
            on_change(editor, self._on_edited)
            self.editors[field] = editor
            self.labels[field] = label
            form.addRow(label, editor)

        prompt_label = QLabel(translate("Settings", "System prompt"))
        prompt_label.setBuddy(self.system_prompt)

        self.note = QLabel()
        self.note.setObjectName("chatSettingsNote")
        self.note.setWordWrap(True)
        self.note.hide()

        self.reset_button = QPushButton(translate("ChatSettings", "Reset to defaults"))
        self.reset_button.setToolTip(
            translate(
                "ChatSettings",
                "Give this chat the default system prompt, model and sampling from Settings.",
            )
        )
        self.reset_button.clicked.connect(self.reset)
        hint = QLabel(
            translate(
                "ChatSettings",
                "Saved for this chat as you change them. New chats start from the defaults "
                "in Settings (Ctrl+,); values in bold are this chat's own.",
            )
        )
        hint.setWordWrap(True)
        set_tone(hint, "muted")

        self.fields = QWidget()
        fields = QVBoxLayout(self.fields)
        fields.setContentsMargins(0, 0, 0, 0)
        fields.addWidget(prompt_label)
        fields.addWidget(self.system_prompt, 1)
        fields.addLayout(form)
        fields.addWidget(self.reset_button, 0, Qt.AlignmentFlag.AlignLeft)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 10)
        layout.addLayout(head)
        layout.addWidget(self.fields, 1)
        layout.addWidget(self.note)
        layout.addWidget(hint)

    # --- what the panel shows ----------------------------------------------------------------

    def set_models(self, models: Sequence[InstalledModel], current: str | None) -> None:
        self.model_picker.set_models(models)
        self.model_picker.set_current(current)

    def show_conversation(self, conversation_id: int | None) -> None:
        """Follow the chat on screen: its own values, the defaults for the rest."""
        if conversation_id != self.conversation_id and self.conversation_id is not None:
            self._save_now(self.conversation_id)  # a value typed just before the switch
        self.conversation_id = conversation_id
        self._show_error(None)
        self._refresh()

    def values(self) -> ChatSettings | None:
        """What the panel shows for the chat; None while a value is out of range (the note
        says why)."""
        changes: dict[str, Any] = {"system_prompt": self.system_prompt.toPlainText()}
        for field, editor in self.editors.items():
            try:
                changes[field] = check_sampling(
                    field, editor_value(editor), self.labels[field].text()
                )
            except ValueError as exc:
                self._show_error(str(exc))
                return None
        base = ChatSettings.defaults(self.settings)
        return base.changed(model=None, **changes)

    def set_busy(self, busy: bool) -> None:
        """While this chat's reply is written its settings stay as they are, and say why."""
        if busy == self._busy:
            return
        self._busy = busy
        self.fields.setEnabled(not busy)
        if busy:
            self._show_note(
                translate(
                    "ChatSettings",
                    "This chat is writing a reply; its settings can be changed when it ends.",
                ),
                "muted",
            )
        else:
            self._show_error(None)

    def _refresh(self) -> None:
        cid = self.conversation_id
        self.setEnabled(cid is not None)
        if cid is None:
            return
        shown = self.saves.peek(cid)
        if shown is None:
            try:
                shown = self.chat.chat_settings(cid)
            except UserError as exc:  # the chat was deleted meanwhile
                self._show_error(str(exc))
                return
        self._loading = True
        try:
            if self.system_prompt.toPlainText() != shown.system_prompt:
                self.system_prompt.setPlainText(shown.system_prompt)
            for field, editor in self.editors.items():
                set_editor_value(editor, getattr(shown, field))
        finally:
            self._loading = False
        self._mark_own(shown)

    def _mark_own(self, shown: ChatSettings) -> None:
        """Bold the values the chat sets itself; each one's tooltip gives the default."""
        own = shown.own_sampling(self.settings)
        for field, label in self.labels.items():
            font = label.font()
            font.setBold(field in own)
            label.setFont(font)
            option = sampling_option(field)
            default = self.editors[field].textFromValue(self.settings[option.name])
            tip = arg(
                translate("ChatSettings", "%1\nDefault: %2"),
                translate(CONTEXT, option.doc),
                default,
            )
            label.setToolTip(tip)
            self.editors[field].setToolTip(tip)

    def _show_note(self, text: str, tone: str) -> None:
        self.note.setText(text)
        set_tone(self.note, tone)  # type: ignore[arg-type]
        self.note.show()

    def _show_error(self, text: str | None) -> None:
        if text:
            self._show_note(text, "error")
        else:
            self.note.clear()
            self.note.hide()

    # --- saving ------------------------------------------------------------------------------

    def _on_edited(self) -> None:
        if self._loading or self.conversation_id is None:
            return
        values = self.values()
        if values is None:
            return  # the note says which value cannot be used
        self._show_error(None)
        self._mark_own(values)
        cid = self.conversation_id
        self.saves.put(cid, values)
        run_in_pool(self._pool, lambda: self.saves.write(cid), lambda _r: None, self._show_error)

    def _save_now(self, conversation_id: int) -> None:
        if self.saves.peek(conversation_id) is not None:
            run_in_pool(
                self._pool,
                lambda: self.saves.write(conversation_id),
                lambda _r: None,
                self._show_error,
            )

    def reset(self) -> None:
        """This chat back to the defaults (the default system prompt, model and sampling)."""
        cid = self.conversation_id
        if cid is None or self._busy:
            return
        self.reset_button.setEnabled(False)

        def done(result: ChatSettings) -> None:
            self.reset_button.setEnabled(True)
            if cid != self.conversation_id:
                return
            self._show_error(None)
            self._refresh()
            if result.model is not None:
                self.model_picker.set_current(result.model)
                self.model_reset.emit(result.model)

        def failed(message: str) -> None:
            self.reset_button.setEnabled(True)
            self._show_error(message)

        run_in_pool(
            self._pool,
            lambda: self.saves.instead(cid, lambda: self.chat.reset_chat_settings(cid)),
            done,
            failed,
        )

    def _on_settings(self, changed: frozenset[str]) -> None:
        watched = {*SAMPLING_OPTIONS.values(), "chat.system_prompt"}
        if changed & watched:
            self._defaults_changed.emit()

    def _on_defaults_changed(self) -> None:
        # Values the chat does not set follow the defaults: show the new ones.
        if self.conversation_id is not None and self.saves.peek(self.conversation_id) is None:
            self._refresh()

    def shutdown(self) -> None:
        """Write what is still pending, and stop hearing of the settings."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self._pool.waitForDone()
        try:
            self.saves.write_all()
        except UserError as exc:  # the window is closing: the log has it
            log.warning("chat settings not saved: %s", exc)
