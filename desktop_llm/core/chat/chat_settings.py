"""A chat's own settings: its system prompt, model, temperature, top-p and max tokens.

Where each lives and what a new chat starts from:
- The system prompt is the conversation's `system_prompt` column, copied from
  `chat.system_prompt` when the chat is created (ChatService.new_conversation): the
  setting says "at the start of every new chat", and an empty column means "no system
  prompt", not "the default".
- The model is the `model` column; None means the chat's default model (default_models).
- Sampling is stored under one key of the conversation's JSON options,
  {"sampling": {"temperature": 0.2}}, and only the values the chat sets itself: a new chat
  stores nothing, so it follows the defaults in the settings (also when they change later)
  until a value is changed in that chat. A value changed back to the default follows the
  default again. Whatever is stored or not, from_conversation() gives the values a turn
  will use, which is what the window and the CLI show.

The ranges are those of the options in core/config.py (one declaration: the settings
dialog, the chat panel and the CLI refuse the same values with the same words).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from desktop_llm.core.config import OPTIONS_BY_NAME, Option, Settings
from desktop_llm.core.engine.protocol import SamplingParams
from desktop_llm.core.store import Conversation, Store

SAMPLING_KEY = "sampling"
# The sampling values a chat can set, each with the option that declares its default and
# range.
SAMPLING_OPTIONS: dict[str, str] = {
    "temperature": "generation.temperature",
    "top_p": "generation.top_p",
    "max_tokens": "generation.max_tokens",
}


def sampling_option(field: str) -> Option:
    """The option whose default and range a chat's sampling value follows."""
    return OPTIONS_BY_NAME[SAMPLING_OPTIONS[field]]


def check_sampling(field: str, value: Any, shown_as: str | None = None) -> Any:
    """The value as its option's type, or ValueError in plain words (named `shown_as`)."""
    option = sampling_option(field)
    return option.coerce(value, option.name if shown_as is None else shown_as)


@dataclass(frozen=True)
class ChatSettings:
    """The values a chat's next turn uses."""

    system_prompt: str
    model: str | None  # None: the chat's default model
    temperature: float
    top_p: float
    max_tokens: int

    @classmethod
    def defaults(cls, settings: Settings) -> ChatSettings:
        """What a new chat starts from."""
        return cls(
            system_prompt=settings["chat.system_prompt"],
            model=settings["chat.default_model"].strip() or None,
            **{f: settings[name] for f, name in SAMPLING_OPTIONS.items()},
        )

    @classmethod
    def from_conversation(cls, conversation: Conversation, settings: Settings) -> ChatSettings:
        """The chat's own values, the defaults for those it does not set. A stored value
        out of range (a file edited by hand) is passed over for the default."""
        sampling: dict[str, Any] = {}
        stored = own_sampling(conversation.options)
        for field, name in SAMPLING_OPTIONS.items():
            try:
                sampling[field] = check_sampling(field, stored[field])
            except (KeyError, ValueError):
                sampling[field] = settings[name]
        return cls(
            system_prompt=conversation.system_prompt or "",
            model=conversation.model,
            **sampling,
        )

    def changed(self, **values: Any) -> ChatSettings:
        """A copy with some values changed, each checked against its option's range
        (ValueError in plain words)."""
        checked = {
            k: check_sampling(k, v) if k in SAMPLING_OPTIONS else v for k, v in values.items()
        }
        return dataclasses.replace(self, **checked)

    def sampling(self, seed: int | None = None) -> SamplingParams:
        return SamplingParams(
            temperature=self.temperature,
            top_p=self.top_p,
            max_tokens=self.max_tokens,
            seed=seed,
        )

    def own_sampling(self, settings: Settings) -> dict[str, Any]:
        """The sampling values this chat sets itself: those that differ from the defaults."""
        return {
            field: getattr(self, field)
            for field, name in SAMPLING_OPTIONS.items()
            if getattr(self, field) != settings[name]
        }


def own_sampling(options: dict[str, Any] | None) -> dict[str, Any]:
    """The sampling values stored in a conversation's options (unchecked)."""
    stored = (options or {}).get(SAMPLING_KEY)
    return dict(stored) if isinstance(stored, dict) else {}


def with_sampling(options: dict[str, Any] | None, sampling: dict[str, Any]) -> dict[str, Any]:
    """The options with the sampling key replaced (removed when the chat sets nothing);
    every other key is kept."""
    merged = {k: v for k, v in (options or {}).items() if k != SAMPLING_KEY}
    if sampling:
        merged[SAMPLING_KEY] = dict(sampling)
    return merged


def save_chat_settings(
    store: Store, settings: Settings, conversation_id: int, chat: ChatSettings
) -> None:
    """Store a chat's settings; the next turn uses them (the system prompt included)."""
    conversation = store.get_conversation(conversation_id)
    if (conversation.system_prompt or "") != chat.system_prompt:
        store.set_system_prompt(conversation_id, chat.system_prompt or None)
    if chat.model is not None and chat.model != conversation.model:
        store.set_conversation_model(conversation_id, chat.model)
    sampling = chat.own_sampling(settings)
    if sampling != own_sampling(conversation.options):
        store.set_conversation_options(
            conversation_id, with_sampling(conversation.options, sampling)
        )
