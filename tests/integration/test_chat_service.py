"""ChatService with the real starter model: what the user sees and what the store keeps."""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_llm.core.chat.chat_settings import ChatSettings
from desktop_llm.core.chat.events import ChatEvent, ReplyEnded, ReplyStarted, ReplyText
from desktop_llm.core.engine.protocol import ChatMessage
from desktop_llm.core.errors import BadModelFile, UserError
from desktop_llm.core.services import Services, open_services
from tests.helpers.gguf_factory import write_tiny_gguf


@pytest.fixture
def services(home: Path) -> Iterator[Services]:
    opened = open_services()
    yield opened
    opened.close()


def drive(events: Iterator[ChatEvent], on_text=None) -> tuple[list[ChatEvent], ReplyEnded]:
    seen: list[ChatEvent] = []
    for event in events:
        seen.append(event)
        if isinstance(event, ReplyText) and on_text is not None:
            on_text(event)
    ended = seen[-1]
    assert isinstance(ended, ReplyEnded)
    return seen, ended


def test_a_turn_is_stored_with_its_generation(services: Services) -> None:
    events, ended = drive(services.chat.send(None, "What colour is the sky?"))
    started = next(e for e in events if isinstance(e, ReplyStarted))
    streamed = "".join(e.text for e in events if isinstance(e, ReplyText))
    assert ended.status == "complete" and streamed == ended.content != ""
    store = services.store
    conversation = store.get_conversation(started.conversation_id)
    assert conversation.title == "What colour is the sky?"
    assert conversation.model == "SmolLM2-135M-Instruct.Q4_1"
    messages = store.messages(conversation.id)
    assert [(m.role, m.status) for m in messages] == [
        ("user", "complete"),
        ("assistant", "complete"),
    ]
    generation = store.generation_for(ended.message_id)
    assert generation is not None
    assert generation.completion_tokens == ended.stats.completion_tokens  # type: ignore[union-attr]
    assert generation.quantization == "Q4_1" and generation.device == "CPU"
    assert generation.parameters["max_tokens"] == 32


def test_regenerate_keeps_versions_and_edit_starts_a_branch_that_survive_a_restart(
    services: Services, tmp_path: Path
) -> None:
    services.settings.set("generation.max_tokens", 8)
    _, first = drive(services.chat.send(None, "Name a fruit."))
    cid = services.store.list_conversations()[0].id
    _, second = drive(services.chat.send(cid, "Another one."))
    question = services.store.messages(cid)[2]

    _, again = drive(services.chat.regenerate(cid))
    store = services.store
    shown = store.messages(cid)
    assert [m.role for m in shown] == ["user", "assistant", "user", "assistant"]
    assert shown[3].id == again.message_id
    assert store.versions(cid)[again.message_id] == (second.message_id, again.message_id)
    assert store.get_message(second.message_id).content == second.content  # kept

    # Regenerating an earlier reply answers its question again and drops what came after
    # from the screen, not from the database.
    _, earlier = drive(services.chat.regenerate(cid, first.message_id))
    shown = store.messages(cid)
    assert [m.id for m in shown][1:] == [earlier.message_id]
    assert store.versions(cid)[earlier.message_id] == (first.message_id, earlier.message_id)
    assert len(store.all_messages(cid)) == 6

    # Back to the first version: its branch comes back with its newest reply.
    store.show_message(first.message_id)
    assert [m.id for m in store.messages(cid)] == [
        shown[0].id,
        first.message_id,
        question.id,
        again.message_id,
    ]

    # Editing the earlier question: a new branch from the start; the model sees only it.
    _, edited = drive(services.chat.edit(cid, shown[0].id, "Name a vegetable."))
    shown = store.messages(cid)
    assert shown[0].content == "Name a vegetable."
    assert [m.id for m in shown][1] == edited.message_id and len(shown) == 2
    assert store.versions(cid)[shown[0].id] == (store.all_messages(cid)[0].id, shown[0].id)
    history = services.chat.history(cid, edited.message_id)
    assert [m.content for m in history if m.role == "user"] == ["Name a vegetable."]

    # Everything survives the process: a new Store on the same file shows the same branch.
    from desktop_llm.core.store import Store

    with Store(store.db_path) as reopened:
        assert [m.id for m in reopened.messages(cid)] == [m.id for m in shown]
        reopened.show_message(question.id)
        assert reopened.messages(cid)[-1].id == again.message_id
    assert "Version 2 of 2" in store.export_conversation(cid, "md")


def test_stop_keeps_the_partial_reply_as_stopped(services: Services) -> None:
    services.settings.set("generation.max_tokens", 400)
    services.settings.set("generation.temperature", 0.8)
    count = 0

    def stop_after_three(_: ReplyText) -> None:
        nonlocal count
        count += 1
        if count == 3:
            services.chat.cancel()

    _, ended = drive(services.chat.send(None, "Tell a long story."), stop_after_three)
    assert ended.status == "stopped"
    stored = services.store.messages(services.store.list_conversations()[0].id)[-1]
    assert stored.status == "stopped" and stored.content == ended.content != ""


def test_a_killed_worker_leaves_an_interrupted_reply_and_the_next_turn_works(
    services: Services,
) -> None:
    services.settings.set("generation.max_tokens", 400)
    services.settings.set("generation.temperature", 0.8)
    count = 0

    def kill_after_three(_: ReplyText) -> None:
        nonlocal count
        count += 1
        if count == 3:
            os.kill(services.host.pid or 0, signal.SIGKILL)

    _, ended = drive(services.chat.send(None, "Tell a long story."), kill_after_three)
    assert ended.status == "interrupted"
    assert ended.error is not None and "killed" in ended.error
    cid = services.store.list_conversations()[0].id
    stored = services.store.messages(cid)[-1]
    assert stored.status == "interrupted" and stored.content == ended.content != ""
    assert stored.error == ended.error

    services.settings.set("generation.max_tokens", 8)
    _, after = drive(services.chat.send(cid, "Hello again."))
    assert after.status == "complete"
    # The partial reply stays part of the conversation the model sees.
    history = services.chat.history(cid, after.message_id)
    assert any(m.content == ended.content for m in history)


def test_a_message_longer_than_the_context_is_an_error_in_words_and_is_kept(
    services: Services,
) -> None:
    services.settings.set("engine.context_length", 512)
    text = "word " * 3000
    _, ended = drive(services.chat.send(None, text))
    assert ended.status == "error"
    assert ended.error is not None and "context" in ended.error
    cid = services.store.list_conversations()[0].id
    user = services.store.messages(cid)[0]
    assert user.role == "user" and user.content == text  # nothing the user wrote is lost


def test_an_invalid_file_never_reaches_llama_cpp(services: Services, tmp_path: Path) -> None:
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF" + os.urandom(200))
    with pytest.raises(BadModelFile, match=r"broken\.gguf"):
        drive(services.chat.send(None, "hi", model=str(bad)))
    assert services.host.pid is None  # no inference process was even started


def test_a_valid_header_that_llama_cpp_cannot_load_is_reported_in_words(
    services: Services,
) -> None:
    # A well-formed GGUF whose tensors are nothing like a llama model: passes validation,
    # then llama.cpp refuses (or crashes on) it in the worker, not in this process.
    fake = write_tiny_gguf(services.paths.models_dir / "tiny-fake.gguf")
    with pytest.raises(UserError, match="tiny-fake") as info:
        drive(services.chat.send(None, "hi", model="tiny-fake"))
    assert "could not be loaded" in str(info.value) or "crashed" in str(info.value)
    # The model list says so, with the reason, until it loads.
    (listed,) = [m for m in services.registry.list() if m.name == "tiny-fake"]
    assert listed.broken is not None and "llama.cpp" in listed.broken
    # The starter model still works afterwards.
    _, ended = drive(services.chat.send(None, "hi"))
    assert ended.status == "complete"
    shutil.rmtree(fake.parent)


def test_a_chats_own_settings_drive_its_turns_and_new_chats_start_from_the_defaults(
    services: Services,
) -> None:
    chat = services.chat
    cid = chat.new_conversation()
    assert chat.chat_settings(cid) == ChatSettings.defaults(services.settings)
    assert services.store.get_conversation(cid).options is None  # nothing stored yet

    # Its own max tokens, 4, limit the reply (the default is 32); the temperature too.
    chat.save_chat_settings(cid, chat.chat_settings(cid).changed(max_tokens=4, temperature=0.0))
    _, ended = drive(chat.send(cid, "Tell me a long story about a dragon."))
    generation = services.store.generation_for(ended.message_id)
    assert generation is not None
    assert generation.parameters["max_tokens"] == 4
    assert 1 <= generation.completion_tokens <= 4
    assert ended.stats is not None and ended.stats.completion_tokens <= 4
    first_prompt = generation.prompt_tokens

    # A system prompt changed mid-conversation reaches the model on the next turn.
    pirate = "You are a pirate. " * 20
    chat.save_chat_settings(cid, chat.chat_settings(cid).changed(system_prompt=pirate))
    _, again = drive(chat.send(cid, "And then?"))
    history = chat.history(cid, again.message_id)
    assert history[0] == ChatMessage("system", pirate)
    second = services.store.generation_for(again.message_id)
    assert second is not None and second.completion_tokens <= 4
    # The longer system prompt is in what the model read (beyond the new turn's words).
    assert second.prompt_tokens > first_prompt + 60

    # Another chat, new, is back on the defaults.
    other = chat.new_conversation()
    assert chat.sampling(other).max_tokens == 32
    _, third = drive(chat.send(other, "Say hi."))
    assert services.store.generation_for(third.message_id).parameters["max_tokens"] == 32  # type: ignore[union-attr]

    # Reset: the defaults again, nothing of its own stored.
    reset = chat.reset_chat_settings(cid)
    assert reset == ChatSettings.defaults(services.settings).changed(
        model="SmolLM2-135M-Instruct.Q4_1"
    )
    assert not services.store.get_conversation(cid).options
