"""The chat's own settings in the window: the panel, its saves, and the reply that uses them."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox
from pytestqt.qtbot import QtBot

from desktop_llm.core.chat.chat_settings import SAMPLING_KEY, ChatSettings
from desktop_llm.ui.chat.page import ChatPage
from desktop_llm.ui.common.model_picker import ModelPicker
from desktop_llm.ui.main_window import MainWindow
from tests.helpers.gguf_factory import write_tiny_gguf
from tests.helpers.gui import (
    REPLY_TIMEOUT_MS,
    SHORT_REPLY_TOKENS,
    WindowFactory,
    requires_model,
    type_and_send,
    wait_for_tokens,
    write_settings,
)

STARTER = "SmolLM2-135M-Instruct.Q4_1"
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
LONG_PROMPT = "Write a long story about a dragon who learns to bake bread, in ten paragraphs."


def _type_into(qtbot: QtBot, spin: QAbstractSpinBox, text: str) -> None:
    spin.setFocus()
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), text)


def _pick(picker: ModelPicker, name: str) -> None:
    """Choose a model as the user does (activated, not a programmatic set)."""
    index = picker.findData(name)
    assert index >= 0, name
    picker.setCurrentIndex(index)
    picker.activated.emit(index)


def _chat_with_a_message(window: MainWindow, text: str, model: str | None = None) -> int:
    store = window.services.store
    cid = window.services.chat.new_conversation(model=model)
    store.add_message(cid, "user", text)
    window.chat_page.refresh_sidebar()
    return cid


def _shown(page: ChatPage) -> tuple[str, float, float, int]:
    panel = page.settings_panel
    return (
        panel.system_prompt.toPlainText(),
        panel.editors["temperature"].value(),
        panel.editors["top_p"].value(),
        panel.editors["max_tokens"].value(),
    )


@pytest.fixture
def two_models(home: Path) -> str:
    write_tiny_gguf(home / "data" / "models" / "tiny-fake.gguf")
    return "tiny-fake"


def test_the_panel_follows_the_chat_new_chats_show_the_defaults_and_reset(
    qtbot: QtBot, make_window: WindowFactory, home: Path, two_models: str
) -> None:
    write_settings(home, **{"generation.temperature": 0.7, "chat.default_model": STARTER})
    window = make_window()
    page = window.chat_page
    services = window.services
    defaults = ChatSettings.defaults(services.settings)
    first = _chat_with_a_message(window, "First chat")
    second = _chat_with_a_message(window, "Second chat", model=STARTER)
    page.open_conversation(first)

    # Ctrl+Shift+P in the chat opens the panel, the focus in its system prompt.
    panel = page.settings_panel
    assert not panel.isVisible()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    qtbot.keyClick(page.composer.editor, Qt.Key.Key_P, CTRL_SHIFT)
    assert panel.isVisible() and page.settings_button.isChecked()
    assert panel.system_prompt.hasFocus()
    assert _shown(page) == (defaults.system_prompt, 0.7, defaults.top_p, SHORT_REPLY_TOKENS)

    # Changes are saved as they are made, for this chat only.
    panel.system_prompt.selectAll()
    qtbot.keyClicks(panel.system_prompt, "Answer like a pirate.")
    _type_into(qtbot, panel.editors["temperature"], "0.3")
    _type_into(qtbot, panel.editors["max_tokens"], "4")
    _pick(panel.model_picker, two_models)
    assert page.model_picker.current_name() == two_models  # the header shows the same choice

    def stored() -> ChatSettings:
        return services.chat.chat_settings(first)

    qtbot.waitUntil(lambda: stored().max_tokens == 4 and stored().temperature == 0.3)
    qtbot.waitUntil(lambda: stored().system_prompt == "Answer like a pirate.")
    assert stored().model == two_models
    conversation = services.store.get_conversation(first)
    assert conversation.options == {SAMPLING_KEY: {"temperature": 0.3, "max_tokens": 4}}
    assert panel.labels["temperature"].font().bold()
    assert not panel.labels["top_p"].font().bold()

    # A value out of range is refused with the reason, and not saved.
    _type_into(qtbot, panel.editors["max_tokens"], "0")
    assert panel.note.isVisible() and "at least 1" in panel.note.text()
    panel.editors["max_tokens"].lineEdit().selectAll()
    qtbot.keyClicks(panel.editors["max_tokens"].lineEdit(), "5")
    assert not panel.note.isVisible()
    qtbot.waitUntil(lambda: stored().max_tokens == 5)

    # Another chat shows its own values; the header's model and the panel's agree.
    page.open_conversation(second)
    assert _shown(page) == (defaults.system_prompt, 0.7, defaults.top_p, SHORT_REPLY_TOKENS)
    assert panel.model_picker.current_name() == page.model_picker.current_name() == STARTER
    assert not panel.labels["temperature"].font().bold()
    page.open_conversation(first)
    assert _shown(page) == ("Answer like a pirate.", 0.3, defaults.top_p, 5)
    assert panel.model_picker.current_name() == page.model_picker.current_name() == two_models

    # A new chat starts from the defaults (picking a model made it the default one).
    page.new_chat()
    assert page.current_id not in (first, second)
    assert _shown(page) == (defaults.system_prompt, 0.7, defaults.top_p, SHORT_REPLY_TOKENS)
    assert services.store.get_conversation(page.current_id).options is None  # type: ignore[arg-type]

    # Reset gives the first chat the defaults again.
    page.open_conversation(first)
    _pick(page.model_picker, STARTER)  # from the header: the panel follows
    assert panel.model_picker.current_name() == STARTER
    qtbot.mouseClick(panel.reset_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _shown(page)[3] == SHORT_REPLY_TOKENS)
    assert _shown(page) == (defaults.system_prompt, 0.7, defaults.top_p, SHORT_REPLY_TOKENS)
    assert not services.store.get_conversation(first).options
    assert services.store.get_conversation(first).system_prompt == defaults.system_prompt

    # Defaults changed in Settings reach the values a chat does not set.
    services.settings.set("generation.top_p", 0.5)
    qtbot.waitUntil(lambda: _shown(page)[2] == 0.5)

    # The ✕ hides it again.
    qtbot.mouseClick(panel.close_button, Qt.MouseButton.LeftButton)
    assert not panel.isVisible() and not page.settings_button.isChecked()


@pytest.mark.model
@requires_model
def test_a_chats_max_tokens_limit_its_reply_and_the_panel_waits_while_it_streams(
    qtbot: QtBot, make_window: WindowFactory, home: Path
) -> None:
    write_settings(home, **{"generation.max_tokens": 400})
    window = make_window()
    page = window.chat_page
    page.show_settings()
    panel = page.settings_panel

    # Changed just before Enter: the reply uses it (written before the reply reads it).
    _type_into(qtbot, panel.editors["max_tokens"], "4")
    with qtbot.waitSignal(page.reply_finished, timeout=REPLY_TIMEOUT_MS) as blocker:
        type_and_send(qtbot, window, LONG_PROMPT)
    qtbot.waitUntil(lambda: not page.reply_busy, timeout=REPLY_TIMEOUT_MS)
    generation = window.services.store.generation_for(blocker.args[0].message_id)
    assert generation is not None
    assert generation.parameters["max_tokens"] == 4 and generation.completion_tokens <= 4

    # While this chat's reply is written its settings cannot change, and the panel says why.
    _type_into(qtbot, panel.editors["max_tokens"], "400")
    qtbot.waitUntil(lambda: window.services.chat.chat_settings(page.current_id).max_tokens == 400)  # type: ignore[arg-type]
    type_and_send(qtbot, window, LONG_PROMPT)
    wait_for_tokens(qtbot, window)
    assert not panel.fields.isEnabled()
    assert panel.note.isVisible() and "writing a reply" in panel.note.text()
    with qtbot.waitSignal(page.reply_finished, timeout=REPLY_TIMEOUT_MS):
        qtbot.keyClick(page.composer.editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not page.reply_busy, timeout=REPLY_TIMEOUT_MS)
    assert panel.fields.isEnabled() and not panel.note.isVisible()
