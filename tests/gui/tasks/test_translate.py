"""The Translate panel with the real starter model: run, stop, reopen; languages, files."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_llm.core.tasks.events import TaskEnded
from desktop_llm.core.tasks.outcome import describe, judge_translation
from desktop_llm.ui.main_window import MainWindow
from desktop_llm.ui.tasks import translate_panel
from desktop_llm.ui.tasks.translate_panel import AUTO, TranslatePanel
from tests.helpers.gui import (
    REPLY_TIMEOUT_MS,
    WindowFactory,
    requires_model,
    switch_with_keys,
    write_settings,
)

LONG_TEXT = "\n\n".join(
    [
        "The old lighthouse keeper climbed the stairs every evening to light the lamp.",
        "Ships passed the rocky coast safely because of his careful work.",
        "One winter a storm broke the great window at the top of the tower.",
        "He repaired it with wood and glass from the village before the night came.",
        "The fishermen thanked him with bread, cheese and a barrel of apples.",
        "In spring his daughter came to live with him and learned the work.",
    ]
)


def has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def run_and_wait(qtbot: QtBot, panel: TranslatePanel) -> TaskEnded:
    with qtbot.waitSignal(panel.run_finished, timeout=REPLY_TIMEOUT_MS) as blocker:
        panel.input.setFocus()
        qtbot.keyClick(panel.input, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert panel.running
    ended = blocker.args[0]
    assert isinstance(ended, TaskEnded), panel.banner.text()
    return ended


@pytest.fixture
def panel(qtbot: QtBot, window: MainWindow) -> TranslatePanel:
    switch_with_keys(qtbot, window, Qt.Key.Key_2)
    assert window.current_panel() is window.panels["translate"]
    return window.panels["translate"]


@pytest.mark.model
@requires_model
def test_translate_to_simplified_chinese_and_reopen(qtbot: QtBot, panel: TranslatePanel) -> None:
    panel.set_languages(AUTO, "zh-Hans")
    panel.input.setPlainText("The weather is nice today.")

    ended = run_and_wait(qtbot, panel)

    assert ended.status == "complete"
    output = panel.output.toPlainText()
    assert output == ended.output
    assert has_cjk(output), output
    assert "part 1 of 1" in panel.progress_labels
    assert panel.detected_label.text() == "Detected: English"
    # "Done", unless the core judges the starter's result a failure (then it says so).
    judged = judge_translation("The weather is nice today.", output, "zh-Hans", "en")
    assert judged.ok or panel.status_label.text().startswith(describe(judged))
    assert panel.status_label.text().startswith("Done") == judged.ok
    assert not panel.running and panel.run_button.isEnabled() and not panel.stop_button.isEnabled()
    runs = panel.services.tasks.runs("translate")
    assert [r.id for r in runs] == [ended.conversation_id]
    assert panel.history.ids() == [ended.conversation_id]

    # Reopen: a cleared panel gets its input, output and languages back.
    panel.clear()
    panel.set_languages("fr", "de")
    assert panel.input.toPlainText() == "" and panel.output.toPlainText() == ""
    with qtbot.waitSignal(panel.run_opened):
        panel.history.list.setCurrentRow(0)
    assert panel.input.toPlainText() == "The weather is nice today."
    assert panel.output.toPlainText() == output
    assert (panel.source(), panel.target()) == (AUTO, "zh-Hans")
    assert "complete" in panel.status_label.text()


@pytest.mark.model
@requires_model
def test_escape_stops_a_translation_and_keeps_the_part_done(
    qtbot: QtBot, window: MainWindow, panel: TranslatePanel
) -> None:
    panel.set_languages("en", "fr")
    panel.input.setPlainText(LONG_TEXT)
    with qtbot.waitSignal(panel.run_finished, timeout=REPLY_TIMEOUT_MS) as blocker:
        assert panel.run()
        qtbot.waitUntil(
            lambda: len(panel.output.toPlainText().strip()) >= 3, timeout=REPLY_TIMEOUT_MS
        )
        qtbot.keyClick(panel.input, Qt.Key.Key_Escape)
    ended = blocker.args[0]

    assert isinstance(ended, TaskEnded)
    assert ended.status == "stopped"
    assert panel.output.toPlainText().strip()
    assert panel.status_label.text().startswith("Stopped")
    assert not panel.running
    run = panel.services.tasks.open_run(ended.conversation_id)
    assert run.status == "stopped"
    assert run.input_text == LONG_TEXT
    # The window is free again: the chat can send.
    assert not window.task_runner.busy


def test_languages_swap_and_right_to_left(qtbot: QtBot, panel: TranslatePanel) -> None:
    targets = [panel.target_combo.itemText(i) for i in range(panel.target_combo.count())]
    assert targets == [
        "English",
        "简体中文",
        "繁體中文",
        "日本語",
        "한국어",
        "Français",
        "Deutsch",
        "Español",
        "Русский",
        "Português",
        "العربية",
    ]
    assert panel.source_combo.itemText(0) == "Detect automatically"

    panel.set_languages(AUTO, "en")
    assert not panel.swap_button.isEnabled()  # nothing to swap with "detect"

    panel.set_languages("en", "ar")
    assert panel.swap_button.isEnabled()
    assert panel.output.layoutDirection() == Qt.LayoutDirection.RightToLeft
    option = panel.output.document().defaultTextOption()
    assert option.textDirection() == Qt.LayoutDirection.RightToLeft
    assert option.alignment() & Qt.AlignmentFlag.AlignRight
    assert panel.input.layoutDirection() == Qt.LayoutDirection.LeftToRight

    panel.input.setPlainText("Good morning")
    panel.output.setPlainText("صباح الخير")
    qtbot.mouseClick(panel.swap_button, Qt.MouseButton.LeftButton)
    assert (panel.source(), panel.target()) == ("ar", "en")
    assert panel.input.toPlainText() == "صباح الخير"
    assert panel.output.toPlainText() == ""
    assert panel.input.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert panel.output.layoutDirection() == Qt.LayoutDirection.LeftToRight


def test_empty_input_is_refused_in_plain_words(panel: TranslatePanel) -> None:
    assert not panel.run()
    assert "no text to translate" in panel.banner.text()
    assert not panel.running


def test_run_errors_appear_in_plain_words(qtbot: QtBot, panel: TranslatePanel) -> None:
    panel.set_languages(AUTO, "en")
    panel.input.setPlainText("The weather is nice today, and we are going for a walk.")
    with qtbot.waitSignal(panel.run_finished, timeout=REPLY_TIMEOUT_MS) as blocker:
        assert panel.run()
    assert blocker.args[0] is None  # refused by the service before the run began
    assert panel.banner.text() == "The text is already in English."
    assert panel.status_label.text() == "The run failed."
    assert not panel.running and panel.run_button.isEnabled()


def test_open_file_reads_off_the_gui_thread(
    qtbot: QtBot, panel: TranslatePanel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[threading.Thread] = []
    real_read = translate_panel.read_text_file

    def spy(path: Path):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        return real_read(path)

    monkeypatch.setattr(translate_panel, "read_text_file", spy)
    path = tmp_path / "note.txt"
    path.write_bytes("今天天气很好。\n我们去公园散步吧。".encode("gb18030"))

    with qtbot.waitSignal(panel.file_loaded, timeout=10_000):
        panel.load_file(path)

    assert panel.input.toPlainText() == "今天天气很好。\n我们去公园散步吧。"
    assert threads and threads[0] is not threading.main_thread()
    assert "GB18030" in panel.status_label.text()


@requires_model
def test_model_choice_is_saved_per_task(
    qtbot: QtBot, home: Path, make_window: WindowFactory
) -> None:
    window = make_window()
    panel = window.panels["translate"]
    name = window.chat_page.model_picker.current_name()
    assert name is not None
    # Default: the chat's model.
    assert panel.model_picker.current_name() == name
    panel.model_picker.model_chosen.emit(name)
    assert window.services.settings["translate.default_model"] == name
    assert '"translate.default_model"' in (home / "config" / "settings.json").read_text()
    # Other tasks keep following the chat's choice.
    assert window.services.settings["summarize.default_model"] == ""


@requires_model
def test_unknown_default_model_falls_back_to_the_chat_model(
    home: Path, make_window: WindowFactory
) -> None:
    write_settings(home, **{"sentiment.default_model": "no-such-model"})
    window = make_window()
    assert window.panels["sentiment"].model_picker.current_name() == (
        window.chat_page.model_picker.current_name()
    )


@pytest.mark.parametrize(
    ("text", "window", "target"),
    [
        ("The weather is nice today and the sea is calm.", "zh_CN", "zh-Hans"),
        ("Il fait beau aujourd'hui et la mer est calme.", "zh_CN", "zh-Hans"),
        ("今天天气很好，海面很平静。", "zh_CN", "en"),
        ("今天天气很好，海面很平静。", "en", "en"),
        ("The weather is nice today and the sea is calm.", "en", "en"),
        ("", "zh_CN", "zh-Hans"),
    ],
)
def test_the_proposed_target_follows_the_window_language(text: str, window: str, target: str):
    assert translate_panel.proposed_target(text, window) == target


def test_a_chinese_window_proposes_chinese_until_the_user_picks(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    from desktop_llm.ui.common.translations import install_translations, uninstall_translations

    install_translations("zh_CN")
    try:
        window = make_window()
        panel = window.show_task("translate")
        assert isinstance(panel, TranslatePanel)
        assert panel.target() == "zh-Hans"  # a new user's first proposal
        panel.input.setPlainText("The weather is nice today and the sea is calm.")
        qtbot.wait(translate_panel.PROPOSE_DELAY_MS + 100)
        assert panel.target() == "zh-Hans"
        panel.input.setPlainText("今天天气很好，海面很平静。")
        qtbot.waitUntil(lambda: panel.target() == "en", timeout=2000)
        # The user picks a target: typing no longer moves it.
        index = panel.target_combo.findData("ja")
        panel.target_combo.setCurrentIndex(index)
        panel.target_combo.activated.emit(index)
        panel.input.setPlainText("The weather is nice today and the sea is calm.")
        qtbot.wait(translate_panel.PROPOSE_DELAY_MS + 100)
        assert panel.target() == "ja"
    finally:
        uninstall_translations()
