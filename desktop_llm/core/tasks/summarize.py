"""Summary prompts for each length, for the parts of a long text, and for combining parts."""

from __future__ import annotations

from typing import Literal

from desktop_llm.core.engine.protocol import ChatMessage
from desktop_llm.core.errors import UserError
from desktop_llm.core.i18n import QT_TRANSLATE_NOOP, arg, translate

SummaryLength = Literal["sentence", "short", "bullets"]

LENGTHS: dict[str, str] = {
    "sentence": "in one sentence",
    "short": "in a short paragraph of three to five sentences",
    "bullets": "as three to seven bullet points, each on its own line starting with '- '",
}
# Shown with translate("Tasks", label).
LENGTH_LABELS = {
    "sentence": QT_TRANSLATE_NOOP("Tasks", "One sentence"),
    "short": QT_TRANSLATE_NOOP("Tasks", "Short paragraph"),
    "bullets": QT_TRANSLATE_NOOP("Tasks", "Bullet points"),
}


def check_length(length: str) -> SummaryLength:
    if length not in LENGTHS:
        raise UserError(
            arg(
                translate("Tasks", "Unknown summary length %1: use one of %2."),
                repr(length),
                ", ".join(LENGTHS),
            )
        )
    return length  # type: ignore[return-value]


def _messages(system_prompt: str, instruction: str, text: str) -> list[ChatMessage]:
    messages = [ChatMessage("system", system_prompt)] if system_prompt else []
    messages.append(ChatMessage("user", f"{instruction}\n\nText:\n{text}"))
    return messages


def summary_messages(system_prompt: str, text: str, length: SummaryLength) -> list[ChatMessage]:
    return _messages(system_prompt, f"Summarize the text {LENGTHS[length]}.", text)


def part_messages(system_prompt: str, text: str, index: int, total: int) -> list[ChatMessage]:
    instruction = (
        f"The text is part {index} of {total} of a longer document. Summarize this part in a "
        "short paragraph. Keep names, numbers and key facts."
    )
    return _messages(system_prompt, instruction, text)


def combine_messages(
    system_prompt: str, partials: list[str], length: SummaryLength, final: bool
) -> list[ChatMessage]:
    joined = "\n\n".join(partials)
    target = LENGTHS[length] if final else "in a short paragraph"
    instruction = (
        "The text is a series of summaries of consecutive parts of one document. "
        f"Combine them into one summary of the whole document, {target}."
    )
    return _messages(system_prompt, instruction, joined)
