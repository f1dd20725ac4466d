"""The window in Simplified Chinese: chosen by ui.language or by the locale, with Qt's own
buttons translated, and no English left on any screen (model names, units and a few
proper names aside)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTabWidget,
    QWidget,
)

from desktop_llm.core.i18n import current_language, translate
from desktop_llm.ui.common.translations import install_translations, uninstall_translations
from tests.gui.conftest import WindowFactory

# Words that stay as they are in a Chinese window: names, units, file types, keys.
KEPT = {
    "desktop", "llm", "smollm", "instruct", "gguf", "cpu", "gpu", "hub", "hugging", "face",
    "token", "tokens", "csv", "txt", "co2e", "kwh", "tok", "llama", "cpp", "rapl", "nvml",
    "ctrl", "shift", "enter", "esc", "alt", "del", "tab", "ibus", "fcitx", "cuda", "vulkan",
    "metal", "url", "https", "huggingface", "sha", "top", "json", "utf", "bom", "excel", "wps",
    "mib", "gib", "kib", "qwen", "phi", "gemma", "mistral", "make", "run", "hf",
    "endpoint", "apple", "amd", "intel", "nvidia", "macos", "linux", "windows", "wh",
    "gbk", "big", "lang", "delete", "apache", "mit", "license", "power", "hungry",
    "processing", "luccioni", "jernite", "strubell", "pdf", "zip", "html",
    # Serving engines, by their names: llama-server, vLLM, Ollama, LM Studio, OpenAI (its API).
    "server", "vllm", "ollama", "studio", "openai", "api", "http",
}  # fmt: skip
WORD = re.compile(r"[A-Za-z]{3,}")


@pytest.fixture
def chinese() -> Iterator[None]:
    language = install_translations("zh_CN")
    assert language == "zh_CN"
    yield
    uninstall_translations()


def _texts(root: QWidget) -> list[tuple[str, str]]:
    """What the user reads on and under root: (where, text)."""
    out: list[tuple[str, str]] = [("title", root.windowTitle())]
    for w in [root, *root.findChildren(QWidget)]:
        name = type(w).__name__ + ":" + (w.objectName() or "")
        out.append((name + " tooltip", w.toolTip()))
        if isinstance(w, QLabel | QAbstractButton):
            out.append((name, w.text()))
        elif isinstance(w, QGroupBox):
            out.append((name, w.title()))
        elif isinstance(w, QLineEdit | QPlainTextEdit):
            out.append((name + " placeholder", w.placeholderText()))
        elif isinstance(w, QTabWidget):
            out += [(name + " tab", w.tabText(i)) for i in range(w.count())]
        elif isinstance(w, QMenu):
            out.append((name, w.title()))
        for action in w.actions():
            out += [(name + " action", action.text()), (name + " action tip", action.toolTip())]
    return out


def _english(texts: list[tuple[str, str]], *extra_kept: str) -> list[tuple[str, str]]:
    kept = KEPT | {w.lower() for w in extra_kept}
    left = []
    for where, text in texts:
        plain = re.sub(r"<[^>]+>", " ", text)  # rich text's tags
        plain = re.sub(r"\S+\.(gguf|csv|txt|json|log|sqlite3)\b|\S*/\S*", " ", plain)  # files
        plain = re.sub(r"desktop-llm [a-z][^\n]*", " ", plain)  # a command to type, as typed
        words = [w for w in WORD.findall(plain) if w.lower() not in kept]
        if words:
            left.append((where, text))
    return left


def test_system_follows_a_chinese_locale() -> None:
    try:
        assert install_translations("system", QLocale("zh_CN")) == "zh_CN"
        assert current_language() == "zh_CN"
        assert translate("Settings", "Settings") == "设置"
        # Qt's own translation: standard buttons speak Chinese too.
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save)
        assert box.button(QDialogButtonBox.StandardButton.Save).text() == "保存"
        assert install_translations("system", QLocale("en_US")) == "en"
        assert translate("Settings", "Settings") == "Settings"
    finally:
        uninstall_translations()


def test_english_plurals_come_from_the_english_file() -> None:
    try:
        install_translations("en")
        assert translate("ChatPage", "%n chat(s) contain “%1”.", None, "plural", 1).startswith(
            "1 chat contains"
        )
        assert translate("ChatPage", "%n chat(s) contain “%1”.", None, "plural", 2).startswith(
            "2 chats contain"
        )
    finally:
        uninstall_translations()


def test_no_english_left_in_the_chinese_window(
    chinese: None, make_window: WindowFactory, qtbot
) -> None:
    window = make_window()
    model = window.chat_page.model_picker.currentText()
    leftovers = _english(_texts(window), *WORD.findall(model))
    for menu in window.menuBar().findChildren(QMenu):
        leftovers += _english([(menu.title(), a.text()) for a in menu.actions()])
    for open_dialog in (
        window.open_settings,
        window.open_model_manager,
        window.open_energy_dashboard,
    ):
        dialog = open_dialog()
        qtbot.wait(200)
        leftovers += _english(_texts(dialog), *WORD.findall(model))
        dialog.close()
    for task in ("translate", "summarize", "sentiment"):
        leftovers += _english(_texts(window.show_task(task)), *WORD.findall(model))
    assert not leftovers, "\n".join(f"{w}: {t!r}" for w, t in leftovers[:40])


def test_every_language_has_its_translation_files() -> None:
    """What --smoke-test checks in a build: each .qm loads (the app's and Qt's)."""
    from desktop_llm.ui.common.translations import missing_translations

    assert missing_translations() == []
