"""Attachments with the real starter model: stored with the message, read by the model, and
refused before anything is stored when they do not fit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_llm.core.chat.attachments import AttachmentsTooLong, read_attachment
from desktop_llm.core.chat.events import ReplyEnded, ReplyStarted
from desktop_llm.core.services import Services, open_services
from tests.helpers.pdf_factory import write_pdf

pytestmark = pytest.mark.model


@pytest.fixture
def services(home: Path) -> Iterator[Services]:
    opened = open_services()
    yield opened
    opened.close()


def test_a_file_is_stored_with_the_message_and_given_to_the_model(
    services: Services, tmp_path: Path
) -> None:
    notes = tmp_path / "会议纪要.txt"
    notes.write_bytes("下周二下午三点在三楼会议室开会。\n".encode("gbk"))
    minutes = write_pdf(tmp_path / "minutes.pdf", [["The budget was approved."]])
    files = [read_attachment(notes), read_attachment(minutes)]

    events = list(services.chat.send(None, "When is the meeting?", attachments=files))
    ended = events[-1]
    assert isinstance(ended, ReplyEnded) and ended.status == "complete"
    started = next(e for e in events if isinstance(e, ReplyStarted))
    cid = started.conversation_id

    store = services.store
    stored = store.attachments(cid)[started.user_message_id]
    assert [(a.name, a.kind, a.size) for a in stored] == [
        ("会议纪要.txt", "text", notes.stat().st_size),
        ("minutes.pdf", "pdf", minutes.stat().st_size),
    ]
    assert stored[0].text == "下周二下午三点在三楼会议室开会。\n"
    assert all(a.tokens is not None and a.tokens > 0 for a in stored)
    # The message keeps what was typed; the model read the files by name, then the question.
    assert store.get_message(started.user_message_id).content == "When is the meeting?"
    history = services.chat.history(cid, started.user_message_id)
    assert history[-1].role == "user"
    assert history[-1].content == (
        "File: 会议纪要.txt\n```\n下周二下午三点在三楼会议室开会。\n```\n\n"
        "File: minutes.pdf\n```\nThe budget was approved.\n```\n\n"
        "When is the meeting?"
    )
    generation = store.generation_for(ended.message_id)
    assert generation is not None
    # The prompt the model evaluated holds the files (the question alone is a few tokens).
    assert generation.prompt_tokens > sum(a.tokens or 0 for a in stored)
    assert "会议纪要.txt" in store.export_conversation(cid, "md")

    # A later turn still gives the model the files of the earlier message.
    list(services.chat.send(cid, "And where?"))
    later = services.chat.history(cid, store.messages(cid)[-2].id)
    assert [m.role for m in later] == ["system", "user", "assistant", "user"]
    assert later[1].content.startswith("File: 会议纪要.txt") and later[3].content == "And where?"


def test_files_alone_make_a_message_named_after_the_first(services: Services, tmp_path: Path):
    code = tmp_path / "fib.py"
    code.write_text("def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n")
    events = list(services.chat.send(None, "", attachments=[read_attachment(code)]))
    started = next(e for e in events if isinstance(e, ReplyStarted))
    assert services.store.get_conversation(started.conversation_id).title == "fib.py"
    history = services.chat.history(started.conversation_id, started.user_message_id)
    assert history[-1].content.startswith("File: fib.py\n```\ndef fib(n):")


def test_files_too_long_for_the_context_store_nothing(services: Services, tmp_path: Path):
    services.settings.set("engine.context_length", 512)
    long_text = tmp_path / "report.md"
    long_text.write_text("The quarterly figures grew in every region. " * 300)
    cid = services.chat.new_conversation()
    list(services.chat.send(cid, "Hello"))
    before = services.store.all_messages(cid)

    with pytest.raises(AttachmentsTooLong) as caught:
        list(
            services.chat.send(
                cid, "Summarize the report.", attachments=[read_attachment(long_text)]
            )
        )
    error = caught.value
    assert error.context == 512 and error.needed > error.room > 0
    assert str(error).startswith(f"The attached files need about {error.needed:,} tokens;")
    assert error.files[0].name == "report.md" and error.files[0].tokens == error.needed
    # Nothing was stored: not the message, not the files (the window keeps both in the
    # composer; the CLI's command line still has them).
    assert [m.id for m in services.store.all_messages(cid)] == [m.id for m in before]
    assert services.store.attachments(cid) == {}
    # A new chat is not even created for it.
    chats = len(services.store.list_conversations())
    with pytest.raises(AttachmentsTooLong):
        list(services.chat.send(None, "Sum up", attachments=[read_attachment(long_text)]))
    assert len(services.store.list_conversations()) == chats


def test_a_stored_message_whose_files_no_longer_fit_is_not_answered(
    services: Services, tmp_path: Path
) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("Remember to water the plants. " * 40)
    events = list(
        services.chat.send(None, "What should I do?", attachments=[read_attachment(text)])
    )
    started = next(e for e in events if isinstance(e, ReplyStarted))
    cid = started.conversation_id
    services.settings.set("engine.context_length", 256)  # a smaller context since
    with pytest.raises(AttachmentsTooLong):
        list(services.chat.regenerate(cid))
    # The message and its earlier answer stay; no new reply was started.
    assert [m.role for m in services.store.messages(cid)] == ["user", "assistant"]
    assert services.store.attachments(cid)[started.user_message_id][0].name == "notes.txt"


def test_editing_a_message_keeps_its_files(services: Services, tmp_path: Path) -> None:
    text = tmp_path / "list.csv"
    text.write_text("item,qty\napples,3\n")
    events = list(services.chat.send(None, "Count it", attachments=[read_attachment(text)]))
    started = next(e for e in events if isinstance(e, ReplyStarted))
    cid = started.conversation_id
    list(services.chat.edit(cid, started.user_message_id, "Count the apples"))
    edited = services.store.messages(cid)[0]
    assert edited.id != started.user_message_id and edited.content == "Count the apples"
    assert [a.name for a in services.store.attachments(cid)[edited.id]] == ["list.csv"]
    assert services.chat.history(cid, edited.id)[-1].content.startswith("File: list.csv")
