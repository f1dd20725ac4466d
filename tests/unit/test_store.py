"""The storage layer against a real SQLite file."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from desktop_llm.core.errors import UserError
from desktop_llm.core.store import INTERRUPTED_ERROR, Base, Store
from desktop_llm.core.store import db as store_db


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "desktop_llm.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store(db_path) as opened:
        yield opened


def _raw(db_path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(db_path)
    connection.execute("PRAGMA foreign_keys=ON")
    return connection


def _chat(store: Store, *texts: str) -> int:
    """A conversation with alternating user/assistant messages."""
    conversation = store.create_conversation("Test chat")
    for i, text in enumerate(texts):
        store.add_message(conversation.id, "user" if i % 2 == 0 else "assistant", text)
    return conversation.id


# --- schema and migrations ------------------------------------------------------------------


def test_migrations_create_tables_and_record_revision(store: Store, db_path: Path) -> None:
    assert db_path.exists()
    connection = _raw(db_path)
    try:
        names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        (version,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        connection.close()
    assert {
        "conversations",
        "messages",
        "generations",
        "model_hashes",
        "messages_fts",
        "sentiment_items",
    } <= names
    assert {"messages_fts_insert", "messages_fts_delete"} <= names
    assert version == store_db.head_revision() == "0008"
    assert store_db.current_revision(store.engine) == "0008"


def test_orm_matches_migration(store: Store) -> None:
    def include(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object):
        # messages.parent_id was added with ALTER TABLE (a rebuild would cascade-delete the
        # generations), and SQLAlchemy cannot read the name or ON DELETE of a column's
        # REFERENCES clause: test_message_parent_foreign_key checks it with SQLite itself.
        columns = {c.name for c in getattr(obj, "columns", ())}
        if type_ == "foreign_key_constraint" and columns == {"parent_id"}:
            return False
        return not (name or "").startswith("messages_fts")

    with store.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "compare_server_default": True,
                "include_object": include,
            },
        )
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_message_parent_foreign_key(store: Store) -> None:
    with store.engine.connect() as connection:
        rows = connection.exec_driver_sql("PRAGMA foreign_key_list(messages)").mappings().all()
    (parent,) = [row for row in rows if row["from"] == "parent_id"]
    assert (parent["table"], parent["to"], parent["on_delete"]) == ("messages", "id", "CASCADE")


def test_pragmas(store: Store) -> None:
    with store.engine.connect() as connection:
        pragma = connection.exec_driver_sql
        assert pragma("PRAGMA journal_mode").scalar() == "wal"
        assert pragma("PRAGMA foreign_keys").scalar() == 1
        assert pragma("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert pragma("PRAGMA busy_timeout").scalar() == 5000
    assert store.integrity_check() == "ok"


def test_reopen_keeps_data(db_path: Path) -> None:
    with Store(db_path) as first:
        conversation_id = _chat(first, "hello", "hi there")
    with Store(db_path) as second:
        assert [m.content for m in second.messages(conversation_id)] == ["hello", "hi there"]
        assert store_db.current_revision(second.engine) == "0008"


# --- conversations --------------------------------------------------------------------------


def test_conversation_crud(store: Store) -> None:
    first = store.create_conversation()
    assert (first.title, first.task, first.model, first.system_prompt) == (
        "New chat",
        "chat",
        None,
        None,
    )
    assert first.created_at.tzinfo is UTC
    second = store.create_conversation("Translate", task="translate", model="qwen")
    store.add_message(first.id, "user", "bump")  # first is now the most recent
    assert [c.id for c in store.list_conversations()] == [first.id, second.id]
    assert [c.id for c in store.list_conversations(task="translate")] == [second.id]
    assert len(store.list_conversations(limit=1)) == 1

    store.rename_conversation(first.id, "Renamed")
    store.set_conversation_model(first.id, "llama")
    store.set_system_prompt(first.id, "Be brief.")
    loaded = store.get_conversation(first.id)
    assert (loaded.title, loaded.model, loaded.system_prompt) == ("Renamed", "llama", "Be brief.")

    store.delete_conversation(first.id)
    with pytest.raises(UserError, match=r"^No conversation with id \d+\.$"):
        store.get_conversation(first.id)


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.get_conversation(999),
        lambda s: s.rename_conversation(999, "x"),
        lambda s: s.delete_conversation(999),
        lambda s: s.set_conversation_model(999, "m"),
        lambda s: s.add_message(999, "user", "x"),
        lambda s: s.messages(999),
        lambda s: s.export_conversation(999, "md"),
    ],
)
def test_unknown_conversation_is_a_user_error(store: Store, call) -> None:
    with pytest.raises(UserError, match=r"^No conversation with id 999\.$"):
        call(store)


def test_returned_objects_are_readable_after_the_session(store: Store) -> None:
    conversation_id = _chat(store, "q")
    conversation = store.get_conversation(conversation_id)
    (message,) = store.messages(conversation_id)
    # Read from another thread, long after the sessions closed: no lazy loads, no errors.
    seen: list[object] = []
    thread = threading.Thread(
        target=lambda: seen.extend([conversation.title, conversation.updated_at, message.content])
    )
    thread.start()
    thread.join()
    assert seen == ["Test chat", conversation.updated_at, "q"]


# --- messages -------------------------------------------------------------------------------


def test_cascade_deletes(store: Store, db_path: Path) -> None:
    conversation_id = _chat(store, "question")
    reply = store.start_reply(conversation_id)
    store.finish_reply(reply.id, "answer", "complete")
    store.add_generation(reply.id, model_file="m.gguf", device="cpu")
    store.delete_conversation(conversation_id)
    connection = _raw(db_path)
    try:
        for table in ("messages", "generations"):
            assert connection.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)
    finally:
        connection.close()
    assert store.search("answer") == []
    assert store.integrity_check() == "ok"


def test_status_check_rejects_a_bad_status(store: Store, db_path: Path) -> None:
    conversation_id = _chat(store, "hi")
    connection = _raw(db_path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
            connection.execute(
                "INSERT INTO messages (conversation_id, role, content, status, created_at,"
                " updated_at) VALUES (?, 'user', 'x', 'bogus', '2024-01-01', '2024-01-01')",
                (conversation_id,),
            )
    finally:
        connection.close()
    with pytest.raises(ValueError):
        store.add_message(conversation_id, "user", "x", status="bogus")  # type: ignore[arg-type]


def test_reply_lifecycle(store: Store) -> None:
    conversation_id = _chat(store, "question")
    before = store.get_conversation(conversation_id).updated_at
    reply = store.start_reply(conversation_id)
    assert (reply.role, reply.status, reply.content) == ("assistant", "streaming", "")
    store.update_reply(reply.id, "ans")
    store.finish_reply(reply.id, "answer", "stopped")
    loaded = store.get_message(reply.id)
    assert (loaded.content, loaded.status, loaded.error) == ("answer", "stopped", None)
    assert store.get_conversation(conversation_id).updated_at >= before
    # a late update from the streaming thread does not overwrite the final text
    store.update_reply(reply.id, "ans")
    assert store.get_message(reply.id).content == "answer"
    with pytest.raises(ValueError):
        store.finish_reply(reply.id, "x", "streaming")


def test_update_reply_is_visible_to_a_second_connection(db_path: Path) -> None:
    with Store(db_path) as writer, Store(db_path) as reader:
        conversation_id = _chat(writer, "question")
        reply = writer.start_reply(conversation_id)
        writer.update_reply(reply.id, "The first half")
        seen = reader.messages(conversation_id)[-1]
        assert (seen.status, seen.content) == ("streaming", "The first half")


def _fts_sound(store: Store) -> bool:
    with store.engine.connect() as connection:
        try:
            connection.exec_driver_sql(
                "INSERT INTO messages_fts(messages_fts) VALUES ('integrity-check')"
            )
        except sa.exc.DatabaseError:
            return False
    return True


def test_a_second_process_leaves_a_live_reply_alone(db_path: Path) -> None:
    """Before: `history list` or a second window started during a reply marked it
    interrupted, its later saves were dropped (1,180 of 1,521 characters lost)."""
    with Store(db_path) as writing, Store(db_path) as starting:
        conversation_id = _chat(writing, "question")
        reply = writing.start_reply(conversation_id)
        writing.update_reply(reply.id, "The first half")
        assert starting.mark_interrupted_replies() == 0
        writing.update_reply(reply.id, "The first half and the second")
        writing.finish_reply(reply.id, "The first half and the second.", "complete")
        stored = starting.get_message(reply.id)
        assert (stored.status, stored.content) == ("complete", "The first half and the second.")
        assert [h.message_id for h in starting.search("second")] == [reply.id]
        assert _fts_sound(starting)


def test_a_killed_writer_is_found_by_the_next_process(db_path: Path) -> None:
    import subprocess
    import sys

    script = (
        "import os, sys\n"
        "from desktop_llm.core.store import Store\n"
        "s = Store(sys.argv[1])\n"
        "c = s.create_conversation()\n"
        "s.add_message(c.id, 'user', 'q')\n"
        "r = s.start_reply(c.id)\n"
        "s.update_reply(r.id, 'half')\n"
        "os._exit(9)  # as a crash: no close, the lock goes with the process\n"
    )
    db_path.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([sys.executable, "-c", script, str(db_path)], timeout=60)
    assert done.returncode == 9
    with Store(db_path) as restarted:
        assert restarted.writers_dir.exists() and list(restarted.writers_dir.iterdir())
        assert restarted.mark_interrupted_replies() == 1
        assert list(restarted.writers_dir.iterdir()) == []  # the dead writer's file is gone
        assert restarted.messages(1)[-1].content == "half"
        assert _fts_sound(restarted)


def test_the_search_index_stays_sound_through_every_update(store: Store) -> None:
    conversation_id = _chat(store, "hello world")
    reply = store.start_reply(conversation_id)
    store.update_reply(reply.id, "partial")
    store.finish_reply(reply.id, "partial answer", "stopped")
    store.finish_reply(reply.id, "partial answer", "complete")  # status only
    store.finish_reply(reply.id, "a new answer", "complete")  # text and status
    assert _fts_sound(store)
    assert [h.message_id for h in store.search("new")] == [reply.id]
    assert store.search("partial") == []


def test_mark_interrupted_replies(db_path: Path) -> None:
    with Store(db_path) as crashed:
        conversation_id = _chat(crashed, "question")
        reply = crashed.start_reply(conversation_id)
        crashed.update_reply(reply.id, "half an ans")
        done = crashed.start_reply(conversation_id)
        crashed.finish_reply(done.id, "full answer", "complete")
    with Store(db_path) as restarted:
        assert restarted.mark_interrupted_replies() == 1
        assert restarted.mark_interrupted_replies() == 0
        message = restarted.get_message(reply.id)
        assert (message.status, message.content) == ("interrupted", "half an ans")
        assert message.error == INTERRUPTED_ERROR
        assert restarted.get_message(done.id).status == "complete"
        # interrupted replies become searchable
        assert [h.message_id for h in restarted.search("half")] == [reply.id]


def test_last_messages_and_delete_messages_from(store: Store) -> None:
    conversation_id = _chat(store, "q1", "a1", "q2", "a2")
    other_id = _chat(store, "other")
    ids = [m.id for m in store.messages(conversation_id)]
    assert [m.content for m in store.last_messages(conversation_id, 2)] == ["q2", "a2"]
    store.delete_messages_from(ids[2])
    assert [m.content for m in store.messages(conversation_id)] == ["q1", "a1"]
    assert [m.content for m in store.messages(other_id)] == ["other"]
    assert store.search("q2") == []
    with pytest.raises(UserError, match="No message with id"):
        store.delete_messages_from(ids[3])


def test_versions_branches_and_the_branch_on_screen(store: Store) -> None:
    conversation_id = _chat(store, "q1", "a1", "q2", "a2")
    q1, a1, q2, a2 = (m.id for m in store.messages(conversation_id))
    # A second reply to q2 and a second first question, each shown as it is written.
    a2b = store.add_message(conversation_id, "assistant", "a2b", parent_id=q2).id
    assert [m.content for m in store.messages(conversation_id)] == ["q1", "a1", "q2", "a2b"]
    assert store.versions(conversation_id)[a2b] == (a2, a2b)
    q1b = store.add_message(conversation_id, "user", "q1b", parent_id=None).id
    assert [m.content for m in store.messages(conversation_id)] == ["q1b"]
    assert store.versions(conversation_id) == {q1b: (q1, q1b)}
    # A message after the branch on screen follows it.
    a1b = store.add_message(conversation_id, "assistant", "a1b").id
    assert store.get_message(a1b).parent_id == q1b
    # Back to q1: its branch as last seen (a2b, written after a2 and never switched away).
    store.show_message(q1)
    assert [m.id for m in store.messages(conversation_id)] == [q1, a1, q2, a2b]
    store.show_message(a2)
    store.show_message(q1b)
    store.show_message(q1)
    assert store.messages(conversation_id)[-1].id == a2  # a2 was on screen after a2b
    # Every version is searchable, and all_messages has them all.
    assert {h.message_id for h in store.search("q1b")} == {q1b}
    assert len(store.all_messages(conversation_id)) == 7
    # Deleting a shown message takes its replies with it and shows the message before it.
    store.delete_messages_from(q2)
    assert [m.id for m in store.messages(conversation_id)] == [q1, a1]
    assert {m.id for m in store.all_messages(conversation_id)} == {q1, a1, q1b, a1b}
    # A message's parent must be in its own conversation.
    other_id = _chat(store, "other")
    with pytest.raises(ValueError, match="same conversation"):
        store.add_message(other_id, "user", "x", parent_id=q1)


def test_branches_are_exported(store: Store) -> None:
    conversation_id = _chat(store, "q1", "a1")
    q1, _a1 = (m.id for m in store.messages(conversation_id))
    store.add_message(conversation_id, "assistant", "a1b", parent_id=q1)
    markdown = store.export_conversation(conversation_id, "md")
    assert "a1b" in markdown and "Version 2 of 2" in markdown and "\na1\n" not in markdown
    document = json.loads(store.export_conversation(conversation_id, "json"))
    shown = {m["content"]: (m["shown"], m["parent_id"]) for m in document["messages"]}
    assert shown == {"q1": (True, None), "a1": (False, q1), "a1b": (True, q1)}


def test_a_linear_history_from_0003_becomes_one_branch(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    engine = store_db.create_engine(db_path)
    store_db.migrate(engine, "0003")
    rows = [(1, "user", None), (1, "assistant", None), (1, "assistant", "part 1"),
            (1, "user", None), (2, "user", None)]  # fmt: skip
    with engine.begin() as connection:
        for _conversation in (1, 2):
            connection.execute(
                sa.text(
                    "INSERT INTO conversations (title, task, created_at, updated_at) "
                    "VALUES ('c', 'chat', '2026-01-01 10:00:00', '2026-01-01 10:00:00')"
                )
            )
        for conversation, role, part in rows:
            connection.execute(
                sa.text(
                    "INSERT INTO messages (conversation_id, role, content, status, part, "
                    "created_at, updated_at) VALUES (:c, :r, :r, 'complete', :p, "
                    "'2026-01-01 10:00:00', '2026-01-01 10:00:00')"
                ),
                {"c": conversation, "r": role, "p": part},
            )
    engine.dispose()
    with Store(db_path) as store:
        assert [(m.id, m.parent_id) for m in store.all_messages(1)] == [
            (1, None),
            (2, 1),
            (3, None),  # a task's part stays outside the branches
            (4, 2),
        ]
        assert [m.id for m in store.messages(1, include_parts=False)] == [1, 2, 4]
        assert store.get_conversation(1).current_message_id == 4
        assert store.get_conversation(2).current_message_id == 5
        assert store.search("assistant")  # the index survived the migration


# --- generations ----------------------------------------------------------------------------


def test_generations(store: Store) -> None:
    conversation_id = _chat(store, "question")
    reply = store.start_reply(conversation_id)
    store.finish_reply(reply.id, "answer", "complete")
    started = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    store.add_generation(
        reply.id,
        model_file="qwen2.5-0.5b-q4_k_m.gguf",
        model_sha256="ab" * 32,
        quantization="Q4_K_M",
        parameters={"temperature": 0.7, "seed": None},
        prompt_tokens=12,
        completion_tokens=34,
        reused_prompt_tokens=8,
        ttft_ms=55.5,
        duration_ms=1200.0,
        tokens_per_second=28.3,
        device="cpu",
        finish_reason="stop",
        started_at=started,
        finished_at=started,
    )
    generation = store.generation_for(reply.id)
    assert generation is not None
    assert generation.parameters == {"temperature": 0.7, "seed": None}
    assert generation.started_at == started
    assert (generation.prompt_tokens, generation.completion_tokens) == (12, 34)
    assert store.generation_for(reply.id - 1) is None
    assert list(store.generations(conversation_id)) == [reply.id]
    with pytest.raises(ValueError):
        store.add_generation(reply.id, model_file="x", device="cpu")


def test_sha256_cache(store: Store) -> None:
    assert store.cached_sha256("/m.gguf", 10, 1) is None
    store.store_sha256("/m.gguf", 10, 1, "a" * 64)
    assert store.cached_sha256("/m.gguf", 10, 1) == "a" * 64
    assert store.cached_sha256("/m.gguf", 10, 2) is None  # modified since
    big = 5 * 2**30
    store.store_sha256("/m.gguf", big, 1_700_000_000_123_456_789, "b" * 64)
    assert store.cached_sha256("/m.gguf", big, 1_700_000_000_123_456_789) == "b" * 64


# --- search ---------------------------------------------------------------------------------


def test_search_finds_words_with_snippets(store: Store) -> None:
    conversation_id = _chat(
        store,
        "How do I write a lambda in C++ and Python?",
        "In Python a lambda looks like `lambda x: x * 2`. " + "More text. " * 30,
    )
    hits = store.search("lambda")
    assert {h.message_id for h in hits} == {m.id for m in store.messages(conversation_id)}
    for hit in hits:
        assert "[lambda]" in hit.snippet
        assert hit.conversation_id == conversation_id
        assert hit.conversation_title == "Test chat"
        assert hit.created_at.tzinfo is UTC
    assert len(hits[1].snippet) < 200
    assert {h.role for h in store.search("python lambda")} == {"user", "assistant"}
    assert store.search("lambda", limit=1) and len(store.search("lambda", limit=1)) == 1
    assert store.search("nonexistentword") == []


@pytest.mark.parametrize(
    "query",
    ["", "   ", "C++", 'foo"bar', '"', "AND", "OR NOT", "*", "x*", "NEAR(a b)", "a:b", "(", "-",
     "^start", "'; DROP TABLE messages; --", "%", "_", "\\", "émoji 🎉", "a" * 1000],
)  # fmt: skip
def test_search_never_raises(store: Store, query: str) -> None:
    _chat(store, "C++ is fun", 'he said foo"bar', "100% done_ok", "émoji 🎉 party")
    hits = store.search(query)
    assert isinstance(hits, list)
    assert store.integrity_check() == "ok"


def test_search_punctuation(store: Store) -> None:
    _chat(store, "I like C++ a lot", 'the token foo"bar is odd', "100% sure", "plain words")
    assert [h.snippet for h in store.search("C++")] == ["I like [C]++ a lot"]
    assert len(store.search('foo"bar')) == 1
    assert len(store.search("100%")) == 1
    assert store.search("") == []
    assert store.search("*") == []


def test_search_cjk(store: Store) -> None:
    conversation_id = _chat(store, "你好世界", "日本語のテキスト")
    (hit,) = store.search("世界")
    assert hit.message_id == store.messages(conversation_id)[0].id
    assert "[世界]" in hit.snippet
    assert len(store.search("你好世界")) == 1
    assert len(store.search("テキスト")) == 1
    assert store.search("中国") == []


def test_streaming_replies_are_not_searched_until_finished(store: Store) -> None:
    conversation_id = _chat(store, "question")
    reply = store.start_reply(conversation_id)
    store.update_reply(reply.id, "zebra crossing")
    assert store.search("zebra") == []
    store.finish_reply(reply.id, "zebra crossing done", "complete")
    assert [h.message_id for h in store.search("zebra")] == [reply.id]
    store.delete_messages_from(reply.id)
    assert store.search("zebra") == []
    with store.engine.begin() as connection:  # the FTS index matches the table
        connection.exec_driver_sql(
            "INSERT INTO messages_fts(messages_fts) VALUES ('integrity-check')"
        )


# --- export ---------------------------------------------------------------------------------


def _exportable(store: Store) -> tuple[int, int]:
    conversation = store.create_conversation("Ünïcode & stats", system_prompt="Be brief.")
    store.add_message(conversation.id, "user", "Say hi")
    reply = store.start_reply(conversation.id)
    store.finish_reply(reply.id, "Hi!", "complete")
    store.add_generation(
        reply.id,
        model_file="m.gguf",
        device="cpu",
        completion_tokens=3,
        tokens_per_second=20.0,
        parameters={"temperature": 0.2},
    )
    failed = store.start_reply(conversation.id)
    store.finish_reply(failed.id, "Half", "error", error="The model ran out of memory.")
    return conversation.id, reply.id


def test_export_markdown(store: Store) -> None:
    conversation_id, _ = _exportable(store)
    text = store.export_conversation(conversation_id, "md")
    assert text.startswith("# Ünïcode & stats\n")
    assert "## User\n\nSay hi" in text
    assert "## Assistant\n\nHi!" in text
    assert "_Status: error (The model ran out of memory.)_" in text
    assert "Status: complete" not in text
    assert "20.0 tokens/s" in text


def test_export_json(store: Store) -> None:
    conversation_id, reply_id = _exportable(store)
    document = json.loads(store.export_conversation(conversation_id, "json"))
    assert document["title"] == "Ünïcode & stats"
    assert document["system_prompt"] == "Be brief."
    assert datetime.fromisoformat(document["created_at"]).utcoffset().total_seconds() == 0
    roles = [m["role"] for m in document["messages"]]
    assert roles == ["user", "assistant", "assistant"]
    reply = next(m for m in document["messages"] if m["id"] == reply_id)
    assert reply["generation"]["completion_tokens"] == 3
    assert reply["generation"]["parameters"] == {"temperature": 0.2}
    assert document["messages"][2]["status"] == "error"
    assert document["messages"][0]["generation"] is None
    with pytest.raises(UserError):
        store.export_conversation(conversation_id, "pdf")  # type: ignore[arg-type]


# --- threads --------------------------------------------------------------------------------


def test_writer_and_reader_threads_do_not_lock(store: Store) -> None:
    conversation_id = _chat(store, "question")
    reply = store.start_reply(conversation_id)
    errors: list[BaseException] = []
    done = threading.Event()

    def write() -> None:
        try:
            text = ""
            for i in range(300):
                text += f"token{i} "
                store.update_reply(reply.id, text)
            store.finish_reply(reply.id, text, "complete")
        except BaseException as error:
            errors.append(error)
        finally:
            done.set()

    def read() -> None:
        try:
            while not done.is_set():
                store.list_conversations()
                store.messages(conversation_id)
                store.search("token1")
        except BaseException as error:
            errors.append(error)

    def write_other() -> None:
        try:
            other = store.create_conversation("Other")
            for i in range(100):
                store.add_message(other.id, "user", f"message {i}")
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=f) for f in (write, read, read, write_other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert store.get_message(reply.id).content.endswith("token299 ")
    assert len(store.list_conversations()) == 2


def test_datetimes_must_be_aware(store: Store) -> None:
    conversation_id = _chat(store, "q")
    reply = store.start_reply(conversation_id)
    with pytest.raises(sa.exc.StatementError):
        store.add_generation(
            reply.id,
            model_file="m",
            device="cpu",
            started_at=datetime(2024, 1, 1),
        )


def test_a_database_made_by_the_first_version_is_upgraded_with_its_data(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    engine = store_db.create_engine(db_path)
    store_db.migrate(engine, "0001")
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO conversations (title, task, created_at, updated_at) "
                "VALUES ('old chat', 'chat', '2026-01-01 10:00:00', '2026-01-01 10:00:00')"
            )
        )
        connection.execute(
            sa.text(
                "INSERT INTO messages (conversation_id, role, content, status, created_at, "
                "updated_at) VALUES (1, 'user', 'hello from 0001', 'complete', "
                "'2026-01-01 10:00:00', '2026-01-01 10:00:00')"
            )
        )
    engine.dispose()
    with Store(db_path) as store:
        assert store_db.current_revision(store.engine) == store_db.head_revision()
        conversation = store.get_conversation(1)
        assert conversation.title == "old chat" and conversation.options is None
        (message,) = store.messages(1)
        assert message.content == "hello from 0001" and message.part is None
        assert store.search("hello")[0].message_id == message.id


def test_task_runs_keep_options_parts_and_sentiment_items(store: Store) -> None:
    from desktop_llm.core.store import SentimentItem

    run = store.create_conversation(
        "Reviews", task="sentiment", options={"column": "review", "file": "r.csv"}
    )
    store.add_message(run.id, "user", "3 lines")
    part = store.start_reply(run.id, part="items 1–3")
    store.finish_reply(part.id, "2 positive, 1 negative", "complete")
    final = store.add_message(run.id, "assistant", "2 positive, 1 negative")
    store.add_sentiment_items(
        run.id,
        [
            SentimentItem(
                position=i,
                text=t,
                label=label,
                p_positive=p,
                p_negative=n,
                p_neutral=1 - p - n,
                source={"id": str(i)},
            )
            for i, (t, label, p, n) in enumerate(
                [
                    ("great", "positive", 0.8, 0.1),
                    ("bad", "negative", 0.1, 0.8),
                    ("fine", "positive", 0.5, 0.2),
                ]
            )
        ],
    )
    assert store.get_conversation(run.id).options == {"column": "review", "file": "r.csv"}
    assert [m.id for m in store.messages(run.id, include_parts=False)] == [
        store.messages(run.id)[0].id,
        final.id,
    ]
    assert store.messages(run.id)[1].part == "items 1–3"
    items = store.sentiment_items(run.id)
    assert [i.label for i in items] == ["positive", "negative", "positive"]
    assert items[1].source == {"id": "1"}
    store.delete_conversation(run.id)
    with pytest.raises(UserError):
        store.sentiment_items(run.id)


def test_speeds_by_model_weigh_each_reply_by_its_writing_time(store: Store) -> None:
    conversation_id = _chat(store, "question")
    for model_file, tokens, speed in (
        ("a.gguf", 100, 50.0),  # 2 s
        ("a.gguf", 10, 5.0),  # 2 s
        ("b.gguf", 30, 30.0),
        ("b.gguf", 0, None),  # an empty reply has no speed and is left out
        ("c.gguf", 5, None),
    ):
        reply = store.start_reply(conversation_id)
        store.finish_reply(reply.id, "answer", "complete")
        store.add_generation(
            reply.id,
            model_file=model_file,
            device="cpu",
            completion_tokens=tokens,
            tokens_per_second=speed,
        )
    speeds = store.speeds_by_model()
    assert speeds == {"a.gguf": (pytest.approx(27.5), 2), "b.gguf": (pytest.approx(30.0), 1)}


# --- evaluations ----------------------------------------------------------------------------


def _evaluation(store: Store, *, sha: str = "a" * 64, task: str = "sentiment", items: int = 3):
    from desktop_llm.core.store import EvaluationRun

    return store.start_evaluation_run(
        EvaluationRun(
            task=task,
            model="Small.Q4_1",
            model_file="Small.Q4_1.gguf",
            model_sha256=sha,
            quantization="Q4_1",
            dataset_version="1-abc",
            settings={"n_threads": 2},
            settings_key="k1",
            items=items,
            metric="macro_f1",
            threads=2,
            device="CPU",
        )
    )


def _item(item_id: str, score: float, joules: float | None, conversation_id: int | None = None):
    from desktop_llm.core.store import EvaluationItem

    return EvaluationItem(
        item_id=item_id,
        output="positive",
        score=score,
        joules=joules,
        seconds=0.5,
        measured=None if joules is None else False,
        meter_source=None if joules is None else "estimate",
        error=None,
        conversation_id=conversation_id,
    )


def test_an_evaluation_run_keeps_its_items_and_is_found_to_resume(store: Store) -> None:
    run = _evaluation(store)
    assert (run.status, run.items_done, run.seconds, run.finished_at) == ("running", 0, 0.0, None)
    store.add_evaluation_item(run.id, _item("en-1", 1.0, 0.4))
    store.add_evaluation_item(run.id, _item("en-2", 0.0, None))
    with pytest.raises(sa.exc.IntegrityError):  # an item is done once per run
        store.add_evaluation_item(run.id, _item("en-2", 1.0, 0.3))
    assert [i.item_id for i in store.evaluation_items(run.id)] == ["en-1", "en-2"]
    stopped = store.finish_evaluation_run(
        run.id, "stopped", score=0.5, details={"accuracy": 0.5}, joules_per_item=0.4,
        measured=False, meter_source="estimate",
    )  # fmt: skip
    assert stopped.status == "stopped" and stopped.finished_at is not None
    loaded = store.get_evaluation_run(run.id)
    assert (loaded.items_done, loaded.seconds, loaded.score) == (2, 1.0, 0.5)
    assert loaded.details == {"accuracy": 0.5} and loaded.measured is False

    # Found again by the same file, task, set, settings and item count; nothing else.
    assert store.find_evaluation_run("sentiment", "a" * 64, "1-abc", "k1", 3).id == run.id
    for other in (
        ("translate", "a" * 64, "1-abc", "k1", 3),
        ("sentiment", "b" * 64, "1-abc", "k1", 3),
        ("sentiment", "a" * 64, "1-abd", "k1", 3),
        ("sentiment", "a" * 64, "1-abc", "k2", 3),
        ("sentiment", "a" * 64, "1-abc", "k1", 6),
    ):
        assert store.find_evaluation_run(*other) is None
    store.set_evaluation_status(run.id, "running")
    assert store.get_evaluation_run(run.id).finished_at is None
    with pytest.raises(ValueError):
        store.finish_evaluation_run(
            run.id, "running", score=None, details=None, joules_per_item=None,
            measured=None, meter_source=None,
        )  # fmt: skip
    with pytest.raises(UserError, match=r"^No evaluation run with id 999\.$"):
        store.get_evaluation_run(999)


def test_the_status_of_an_evaluation_run_is_checked(store: Store, db_path: Path) -> None:
    run = _evaluation(store)
    connection = _raw(db_path)
    try:
        with pytest.raises(sqlite3.IntegrityError):
            connection.execute(
                "UPDATE evaluation_runs SET status = 'paused' WHERE id = ?", (run.id,)
            )
    finally:
        connection.close()


def test_latest_evaluations_are_the_newest_complete_run_of_each_model_file(
    store: Store,
) -> None:
    def finished(sha: str, score: float, status: str = "complete", task: str = "sentiment"):
        run = _evaluation(store, sha=sha, task=task)
        store.finish_evaluation_run(
            run.id, status, score=score, details=None, joules_per_item=1.0, measured=True,
            meter_source="rapl",
        )  # fmt: skip
        return run.id

    finished("a" * 64, 0.5)
    newest_a = finished("a" * 64, 0.6)
    finished("a" * 64, 0.9, status="stopped")  # not complete: not a result
    b = finished("b" * 64, 0.8)
    finished("c" * 64, 0.99, task="translate")
    assert [r.id for r in store.latest_evaluations("sentiment")] == [b, newest_a]
    assert [r.id for r in store.evaluation_runs("sentiment")] == [b, b - 1, newest_a, newest_a - 1]
    assert store.latest_evaluations("summarize") == []


def test_an_evaluations_task_runs_stay_out_of_the_history(store: Store, db_path: Path) -> None:
    mine = _chat(store, "my own words about zebras")
    run = _evaluation(store)
    hidden = store.create_conversation("zebras", task="sentiment", evaluation_run_id=run.id)
    store.add_message(hidden.id, "user", "evaluation text about zebras")
    reply = store.start_reply(hidden.id)
    store.finish_reply(reply.id, "positive", "complete")
    store.add_generation(
        reply.id, model_file="m.gguf", device="cpu",
        energy={"source": "estimate", "scope": "process", "label": "estimate",
                "measured": False, "joules_gross": 1.0, "joules_net": 1.0,
                "joules_attributed": 1.0, "watts_avg": 2.0, "baseline_watts": 0.0,
                "seconds": 0.5, "cpu_share": None, "carbon_g": 0.1,
                "intensity_g_per_kwh": 400.0, "intensity_source": "world",
                "low_confidence": False},
    )  # fmt: skip
    store.add_evaluation_item(run.id, _item("en-1", 1.0, 1.0, hidden.id))

    assert [c.id for c in store.list_conversations()] == [mine]
    assert store.list_conversations(task="sentiment") == []
    assert {h.conversation_id for h in store.search("zebras")} == {mine}
    assert {h.conversation_id for h in store.search("evaluation text")} == set()  # LIKE too
    # Still a conversation of its own, and its energy counts in the reports.
    assert store.get_conversation(hidden.id).evaluation_run_id == run.id
    assert [row.conversation_id for row in store.energy_rows()] == [hidden.id]

    store.delete_evaluation_run(run.id)
    with pytest.raises(UserError):
        store.get_conversation(hidden.id)
    assert store.energy_rows() == []
    assert store.get_conversation(mine).title == "Test chat"
    connection = _raw(db_path)
    try:
        assert connection.execute("SELECT count(*) FROM evaluation_items").fetchone() == (0,)
    finally:
        connection.close()


def test_a_0005_database_gains_the_evaluation_tables_and_keeps_its_history(
    db_path: Path,
) -> None:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    engine = store_db.create_engine(db_path)
    store_db.migrate(engine, "0005")
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO conversations (title, task, created_at, updated_at) "
                "VALUES ('old run', 'sentiment', '2026-01-01 10:00:00', '2026-01-01 10:00:00')"
            )
        )
        connection.execute(
            sa.text(
                "INSERT INTO messages (conversation_id, role, content, status, created_at, "
                "updated_at) VALUES (1, 'user', 'kept through 0006', 'complete', "
                "'2026-01-01 10:00:00', '2026-01-01 10:00:00')"
            )
        )
    engine.dispose()
    with Store(db_path) as store:
        assert store_db.current_revision(store.engine) == store_db.head_revision()
        (old,) = store.list_conversations()
        assert old.title == "old run" and old.evaluation_run_id is None
        assert store.search("kept")[0].conversation_id == 1
        assert store.messages(1)[0].content == "kept through 0006"
        run = _evaluation(store)
        store.add_evaluation_item(run.id, _item("x", 1.0, None, conversation_id=1))
        # The item's link to its task run is cleared, not cascaded, when the run goes.
        store.delete_conversation(1)
        assert store.evaluation_items(run.id)[0].conversation_id is None
    assert store.integrity_check() == "ok"


def test_the_0006_migration_goes_down_to_0005(db_path: Path) -> None:
    from alembic import command

    with Store(db_path) as store:
        _evaluation(store)
        conversation_id = _chat(store, "hello")
    engine = store_db.create_engine(db_path)
    try:
        config = store_db.alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0005")
        with engine.connect() as connection:
            names = {r[0] for r in connection.exec_driver_sql("SELECT name FROM sqlite_master")}
            columns = {r[1] for r in connection.exec_driver_sql("PRAGMA table_info(conversations)")}
        assert not {"evaluation_runs", "evaluation_items"} & names
        assert "evaluation_run_id" not in columns
    finally:
        engine.dispose()
    with Store(db_path) as store:  # and up again
        assert store.messages(conversation_id)[0].content == "hello"


# --- 0008: remote engines -------------------------------------------------------------------

_ENERGY_0007 = (
    "INSERT INTO energy (generation_id, source, scope, label, measured, joules_gross, "
    "joules_net, joules_attributed, watts_avg, baseline_watts, seconds, cpu_share, carbon_g, "
    "intensity_g_per_kwh, intensity_source, low_confidence, note, cross_check, requests, "
    "other_cpu_share, contended) VALUES (1, 'rapl', 'package', 'RAPL package', 1, 12.0, 10.0, "
    "8.0, 6.0, 1.0, 2.0, 0.8, 0.001, 475.0, 'world average', 0, '', NULL, 1, 0.05, 0)"
)


def _database_at_0007_with_a_reply(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    engine = store_db.create_engine(db_path)
    store_db.migrate(engine, "0007")
    stamp = "'2026-01-01 10:00:00'"
    with engine.begin() as connection:
        run = connection.exec_driver_sql
        run(
            "INSERT INTO conversations (title, task, created_at, updated_at) "
            f"VALUES ('old run', 'sentiment', {stamp}, {stamp})"
        )
        run(
            "INSERT INTO messages (conversation_id, role, content, status, created_at, "
            f"updated_at) VALUES (1, 'assistant', 'kept through 0008', 'complete', {stamp}, "
            f"{stamp})"
        )
        run(
            "INSERT INTO generations (message_id, model_file, parameters, prompt_tokens, "
            "completion_tokens, reused_prompt_tokens, device, started_at) "
            f"VALUES (1, 'old.gguf', '{{}}', 3, 4, 0, 'cpu', {stamp})"
        )
        run(_ENERGY_0007)
        run(
            "INSERT INTO sentiment_items (conversation_id, position, text, label, p_positive, "
            "p_negative, p_neutral) VALUES (1, 0, 'great', 'positive', 0.8, 0.1, 0.1)"
        )
    engine.dispose()


def test_a_0007_database_gains_the_engine_and_keeps_its_figures(db_path: Path) -> None:
    _database_at_0007_with_a_reply(db_path)
    with Store(db_path) as store:
        assert store_db.current_revision(store.engine) == "0008"
        generation = store.generation_for(1)
        assert generation is not None
        assert (generation.engine, generation.engine_host) == ("local", None)
        energy = store.energy_for(1)
        assert energy is not None
        assert (energy.joules_gross, energy.joules_attributed, energy.carbon_g) == (
            12.0,
            8.0,
            0.001,
        )
        assert energy.other_cpu_share == 0.05 and energy.contended is False
        (item,) = store.sentiment_items(1)
        assert (item.p_positive, item.p_negative, item.p_neutral) == (0.8, 0.1, 0.1)
        (row,) = store.energy_rows()
        assert row.engine == "local"
        # The rebuilt tables keep AUTOINCREMENT and their cascades.
        with store.engine.connect() as connection:
            sql = connection.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE name IN ('energy', 'sentiment_items')"
            ).scalars()
            assert all("AUTOINCREMENT" in text for text in sql)
        store.delete_conversation(1)
        assert store.energy_rows() == []
    assert store.integrity_check() == "ok"


def test_a_remote_reply_keeps_unknown_figures_as_null(store: Store) -> None:
    from desktop_llm.core.store import SentimentItem

    conversation_id = _chat(store, "question")
    reply = store.start_reply(conversation_id)
    store.finish_reply(reply.id, "answer", "complete")
    unknown = dict.fromkeys(
        ("joules_gross", "joules_net", "joules_attributed", "watts_avg", "baseline_watts")
    )
    store.add_generation(
        reply.id,
        model_file="qwen3-30b",
        device="remote",
        engine="gpu-box",
        engine_host="gpu-box.lan",
        energy={
            "source": "remote",
            "scope": "remote",
            "label": "remote engine gpu-box",
            "measured": False,
            **unknown,
            "seconds": 1.5,
            "cpu_share": None,
            "carbon_g": None,
            "intensity_g_per_kwh": 475.0,
            "intensity_source": "world average",
            "low_confidence": False,
        },
    )
    generation = store.generation_for(reply.id)
    assert generation is not None
    assert (generation.engine, generation.engine_host) == ("gpu-box", "gpu-box.lan")
    energy = store.energy_for(reply.id)
    assert energy is not None
    assert energy.joules_attributed is None and energy.carbon_g is None
    assert energy.source == "remote" and energy.measured is False
    document = json.loads(store.export_conversation(conversation_id, "json"))
    stored = document["messages"][1]["generation"]
    assert (stored["engine"], stored["engine_host"]) == ("gpu-box", "gpu-box.lan")
    assert stored["energy"]["joules_attributed"] is None
    assert "remote: gpu-box (gpu-box.lan)" in store.export_conversation(conversation_id, "md")

    run = store.create_conversation("Reviews", task="sentiment")
    store.add_sentiment_items(
        run.id,
        [SentimentItem(position=0, text="ok", label="positive", source=None)],
    )
    (item,) = store.sentiment_items(run.id)
    assert (item.p_positive, item.p_negative, item.p_neutral) == (None, None, None)


def test_the_0008_migration_goes_down_to_0007(db_path: Path) -> None:
    from alembic import command

    _database_at_0007_with_a_reply(db_path)
    with Store(db_path):
        pass
    engine = store_db.create_engine(db_path)
    try:
        config = store_db.alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0007")
        with engine.connect() as connection:
            columns = {r[1] for r in connection.exec_driver_sql("PRAGMA table_info(generations)")}
            (joules,) = connection.exec_driver_sql("SELECT joules_attributed FROM energy").one()
        assert not {"engine", "engine_host"} & columns
        assert joules == 8.0
    finally:
        engine.dispose()
