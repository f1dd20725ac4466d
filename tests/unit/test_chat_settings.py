"""A chat's own settings over the defaults, against a real settings file and SQLite store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_llm.core.chat.chat_settings import (
    SAMPLING_KEY,
    ChatSettings,
    check_sampling,
    sampling_option,
    save_chat_settings,
)
from desktop_llm.core.config import OPTIONS_BY_NAME, Settings
from desktop_llm.core.store import Store


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    s = Settings(tmp_path / "settings.json")
    s.update({"generation.temperature": 0.6, "generation.top_p": 0.9, "generation.max_tokens": 300})
    s.set("chat.system_prompt", "Be brief.")
    return s


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "data" / "db.sqlite3") as opened:
        yield opened


def _chat(store: Store, settings: Settings) -> int:
    return store.create_conversation(system_prompt=settings["chat.system_prompt"]).id


def test_a_new_chat_stores_nothing_and_uses_the_defaults(store: Store, settings: Settings) -> None:
    cid = _chat(store, settings)
    conversation = store.get_conversation(cid)
    assert conversation.options is None
    chat = ChatSettings.from_conversation(conversation, settings)
    assert chat == ChatSettings("Be brief.", None, 0.6, 0.9, 300)
    assert chat == ChatSettings.defaults(settings)
    # It follows the defaults when they change, as long as it sets nothing of its own.
    settings.set("generation.temperature", 0.1)
    again = ChatSettings.from_conversation(store.get_conversation(cid), settings)
    assert again.temperature == 0.1
    assert again.sampling().temperature == 0.1 and again.sampling().max_tokens == 300


def test_changed_values_are_stored_under_one_key_and_others_are_kept(
    store: Store, settings: Settings
) -> None:
    cid = _chat(store, settings)
    store.set_conversation_options(cid, {"note": "kept"})
    chat = ChatSettings.from_conversation(store.get_conversation(cid), settings)
    chat = chat.changed(temperature=0.2, max_tokens=4, system_prompt="Talk like a pirate.")
    save_chat_settings(store, settings, cid, chat)

    conversation = store.get_conversation(cid)
    assert conversation.options == {
        "note": "kept",
        SAMPLING_KEY: {"temperature": 0.2, "max_tokens": 4},
    }
    assert conversation.system_prompt == "Talk like a pirate."
    read = ChatSettings.from_conversation(conversation, settings)
    assert (read.temperature, read.top_p, read.max_tokens) == (0.2, 0.9, 4)
    # What the chat set stays when the defaults change; what it did not follows them.
    settings.update({"generation.temperature": 1.5, "generation.top_p": 0.5})
    read = ChatSettings.from_conversation(store.get_conversation(cid), settings)
    assert (read.temperature, read.top_p, read.max_tokens) == (0.2, 0.5, 4)

    # A value set back to the default follows the default again; nothing left: no key.
    save_chat_settings(store, settings, cid, read.changed(temperature=1.5, max_tokens=300))
    assert store.get_conversation(cid).options == {"note": "kept"}


def test_values_are_checked_with_the_ranges_of_the_settings(settings: Settings) -> None:
    chat = ChatSettings.defaults(settings)
    temperature = OPTIONS_BY_NAME["generation.temperature"]
    assert sampling_option("temperature") is temperature
    assert temperature.maximum is not None
    with pytest.raises(ValueError, match="must be at most"):
        chat.changed(temperature=temperature.maximum + 0.5)
    with pytest.raises(ValueError, match="--max-tokens must be at least 1"):
        check_sampling("max_tokens", 0, "--max-tokens")
    with pytest.raises(ValueError, match="whole number"):
        chat.changed(max_tokens=2.5)
    assert chat.changed(top_p=1).top_p == 1.0


def test_a_stored_value_out_of_range_falls_back_to_the_default(
    store: Store, settings: Settings
) -> None:
    cid = _chat(store, settings)
    store.set_conversation_options(
        cid, {SAMPLING_KEY: {"temperature": 99, "top_p": "x", "max_tokens": 7}}
    )
    chat = ChatSettings.from_conversation(store.get_conversation(cid), settings)
    assert (chat.temperature, chat.top_p, chat.max_tokens) == (0.6, 0.9, 7)


def test_an_empty_system_prompt_means_none(store: Store, settings: Settings) -> None:
    cid = _chat(store, settings)
    chat = ChatSettings.from_conversation(store.get_conversation(cid), settings)
    save_chat_settings(store, settings, cid, chat.changed(system_prompt=""))
    conversation = store.get_conversation(cid)
    assert conversation.system_prompt is None
    assert ChatSettings.from_conversation(conversation, settings).system_prompt == ""
