"""--smoke-test says why it failed, in words, and exits 1 (in-process, with a broken step)."""

from __future__ import annotations

import io

import pytest
from PySide6.QtWidgets import QApplication

from desktop_llm import smoke_test
from desktop_llm.ui.chat.page import ChatPage


def test_a_window_that_never_answers_fails_with_the_reason(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(smoke_test, "PROMPT", "   ")  # the chat page ignores a blank message
    monkeypatch.setattr(smoke_test, "TIMEOUT_S", 1)
    out, err = io.StringIO(), io.StringIO()
    assert smoke_test.run_smoke_test(out, err) == 1
    assert out.getvalue() == ""
    assert err.getvalue() == "desktop-llm: smoke test failed: no reply within 1 s\n"


def test_an_exception_in_the_window_fails_at_once_with_its_words(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: ChatPage, text: str) -> None:
        raise RuntimeError("the composer is broken")

    monkeypatch.setattr(ChatPage, "send", broken)
    monkeypatch.setattr(smoke_test, "TIMEOUT_S", 60)  # far longer than the test takes
    err = io.StringIO()
    assert smoke_test.run_smoke_test(io.StringIO(), err) == 1
    assert "RuntimeError: the composer is broken" in err.getvalue()
