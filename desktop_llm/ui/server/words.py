"""The server's state in words, shared by the settings page and the status bar."""

from __future__ import annotations

from desktop_llm.core.i18n import PLURAL, arg, translate


def answered_text(served: int) -> str:
    return translate("LocalServer", "%n request(s) answered", None, PLURAL, served)


def running_text(running: int) -> str:
    return translate("LocalServer", "%n running", None, PLURAL, running)


def counts_text(served: int, running: int) -> str:
    """'3 requests answered · 1 running' (the running part only while there are some)."""
    parts = [answered_text(served)]
    if running:
        parts.append(running_text(running))
    return " · ".join(parts)


def listening_text(url: str, served: int, running: int) -> str:
    return arg(translate("LocalServer", "Listening at %1 · %2"), url, counts_text(served, running))
