"""Queries over the app's SQLite database.

The Store is shared by the GUI thread (reads) and a worker thread (writes while a reply
streams). Each method runs in its own short session, and the ORM objects it returns hold
plain column values only, so they can be read from any thread after the session closed.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from desktop_llm.core.errors import UserError
from desktop_llm.core.i18n import arg, translate
from desktop_llm.core.locks import FileLock, Held, is_locked, try_lock, wait_for_lock
from desktop_llm.core.store import db
from desktop_llm.core.store.schema import (
    MESSAGE_STATUSES,
    ROLES,
    Attachment,
    Conversation,
    Energy,
    EnergyBaseline,
    EvaluationItem,
    EvaluationRun,
    EvaluationStatus,
    Generation,
    Message,
    MessageStatus,
    ModelHash,
    SentimentItem,
    UTCDateTime,
    utcnow,
)

ExportFormat = Literal["md", "json"]

INTERRUPTED_ERROR = "The app closed while this reply was being written."
# Marks around the matched words in SearchHit.snippet.
HIGHLIGHT_START = "["
HIGHLIGHT_END = "]"
SNIPPET_ELLIPSIS = "…"
_SNIPPET_TOKENS = 16
_SNIPPET_CHARS = 80

_FINAL_STATUSES = tuple(s for s in MESSAGE_STATUSES if s != "streaming")


class _Current:
    """The default parent of a new message: the last message of the branch on screen."""


CURRENT = _Current()


@dataclass(frozen=True)
class EnergyRow:
    started_at: datetime
    model_file: str
    quantization: str | None
    prompt_tokens: int
    completion_tokens: int
    task: str
    conversation_id: int
    energy: Energy
    engine: str = "local"  # "local" or the remote engine's name


_ENERGY_COLUMNS = frozenset(c.key for c in Energy.__table__.columns) - {"id", "generation_id"}


def _energy_columns(energy: dict[str, Any]) -> dict[str, Any]:
    unknown = set(energy) - _ENERGY_COLUMNS
    if unknown:
        raise ValueError(f"not energy columns: {sorted(unknown)}")
    return {"requests": 1, "note": "", "cross_check": None, **energy}


@dataclass(frozen=True)
class SearchHit:
    conversation_id: int
    conversation_title: str
    message_id: int
    role: str
    snippet: str  # the matched words between HIGHLIGHT_START and HIGHLIGHT_END
    created_at: datetime


WRITERS_DIRNAME = "writers"
MIGRATION_WAIT = 60.0  # seconds another process's schema update may take


class Store:
    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        # A file or folder this process cannot write (a read-only disk, a backup copy, another
        # user's file) is opened read-only: what is in it is listed and shown, and each
        # change is refused in words (read_only_note) instead of the app failing to start.
        self.access = db.access_for(self.db_path)
        if self.read_only and not self.db_path.exists():
            raise UserError(
                arg(
                    translate(
                        "Store",
                        "The folder %1 is read-only and holds no history database yet: "
                        "there is nowhere to keep conversations. Choose a folder you can "
                        "write to (DESKTOP_LLM_HOME), or make this one writable.",
                    ),
                    self.db_path.parent,
                )
            )
        self.engine = db.create_engine(self.db_path, self.access)
        try:
            if self.read_only:
                self._check_schema_read_only()
                sa.event.listen(self.engine, "handle_error", self._refuse_write)
            else:
                self._migrate()
        except BaseException:
            self.engine.dispose()
            raise
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # This process's id on the replies it writes, alive while it holds its lock file
        # (taken at its first reply): how another process tells a live reply from one a
        # crash left behind.
        self.writer_id = uuid.uuid4().hex
        self._writer_lock: FileLock | None = None

    def _migrate(self) -> None:
        """Bring the schema up to date, one process at a time: two starting together on a
        fresh folder would both create the tables, and one would fail."""
        try:
            lock: FileLock | None = wait_for_lock(
                self.db_path.with_name(self.db_path.name + ".migrating"), MIGRATION_WAIT
            )
        except OSError:
            lock = None  # a read-only folder: no other process can write here either
        except Held:
            raise UserError(
                translate(
                    "Store",
                    "Another process of this app has been updating the database for a minute. "
                    "Wait for it to finish, then try again.",
                )
            ) from None
        try:
            db.migrate(self.engine)
        finally:
            if lock is not None:
                lock.release(remove=True)

    @property
    def read_only(self) -> bool:
        return self.access != "rw"

    def read_only_note(self) -> str:
        """What a user of a read-only database is told as it opens."""
        return arg(
            translate(
                "Store",
                "The history database %1 is read-only: your conversations are shown, but "
                "changes cannot be saved (new messages, renames and deletions are refused).",
            ),
            self.db_path,
        )

    def _check_schema_read_only(self) -> None:
        """A read-only file cannot be migrated: one from another version is refused in words."""
        if db.current_revision(self.engine) != db.head_revision():
            raise UserError(
                arg(
                    translate(
                        "Store",
                        "The history database %1 is read-only and was written by another "
                        "version of the app, so it cannot be updated to be read here.",
                    ),
                    self.db_path,
                )
            )

    def _refuse_write(self, context: sa.engine.ExceptionContext) -> None:
        """A write to the read-only file: refused in words, not as an SQL error."""
        if "readonly" in str(context.original_exception).lower():
            raise UserError(
                arg(
                    translate(
                        "Store",
                        "This change cannot be saved: the history database %1 is read-only.",
                    ),
                    self.db_path,
                )
            ) from None

    @property
    def writers_dir(self) -> Path:
        return self.db_path.parent / WRITERS_DIRNAME

    def _writer_lock_path(self, writer: str) -> Path:
        return self.writers_dir / f"{writer}.lock"

    def _claim_writer(self) -> str | None:
        """This process's writer id, its lock held; None when no lock can be had (a
        read-only folder): its replies then count as abandoned, as before there were locks."""
        if self.read_only:
            return None
        for _ in range(5):
            if self._writer_lock is not None:
                return self.writer_id
            try:
                self._writer_lock = try_lock(self._writer_lock_path(self.writer_id))
            except Held:
                time.sleep(0.01)  # another process is probing it this very moment
            except OSError:
                return None
        return self.writer_id if self._writer_lock is not None else None

    def close(self) -> None:
        if self._writer_lock is not None:
            self._writer_lock.release(remove=True)
            self._writer_lock = None
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- conversations ---------------------------------------------------------------------

    def create_conversation(
        self,
        title: str = "New chat",
        *,
        task: str = "chat",
        model: str | None = None,
        system_prompt: str | None = None,
        options: dict[str, Any] | None = None,
        evaluation_run_id: int | None = None,
    ) -> Conversation:
        """evaluation_run_id: a task run made by that evaluation run, kept out of
        list_conversations() and search()."""
        now = utcnow()
        conversation = Conversation(
            title=title,
            task=task,
            model=model,
            system_prompt=system_prompt,
            options=options,
            created_at=now,
            updated_at=now,
            evaluation_run_id=evaluation_run_id,
        )
        with self._sessions.begin() as session:
            session.add(conversation)
        return conversation

    def list_conversations(self, task: str | None = None, limit: int = 1000) -> list[Conversation]:
        query = sa.select(Conversation).where(Conversation.evaluation_run_id.is_(None))
        if task is not None:
            query = query.where(Conversation.task == task)
        query = query.order_by(Conversation.updated_at.desc(), Conversation.id.desc()).limit(limit)
        with self._sessions() as session:
            return list(session.scalars(query))

    def get_conversation(self, conversation_id: int) -> Conversation:
        with self._sessions() as session:
            return _conversation(session, conversation_id)

    def rename_conversation(self, conversation_id: int, title: str) -> None:
        with self._sessions.begin() as session:
            _conversation(session, conversation_id).title = title

    def set_conversation_model(self, conversation_id: int, model: str) -> None:
        with self._sessions.begin() as session:
            _conversation(session, conversation_id).model = model

    def set_conversation_options(self, conversation_id: int, options: dict[str, Any]) -> None:
        with self._sessions.begin() as session:
            _conversation(session, conversation_id).options = options

    def set_system_prompt(self, conversation_id: int, system_prompt: str | None) -> None:
        with self._sessions.begin() as session:
            _conversation(session, conversation_id).system_prompt = system_prompt

    def delete_conversation(self, conversation_id: int) -> None:
        """Deletes the conversation with its messages and generation records."""
        with self._sessions.begin() as session:
            result = session.execute(
                sa.delete(Conversation).where(Conversation.id == conversation_id)
            )
            if result.rowcount == 0:  # type: ignore[attr-defined]
                raise UserError(
                    arg(translate("Store", "No conversation with id %1."), conversation_id)
                )

    # --- messages ---------------------------------------------------------------------------

    def add_message(
        self,
        conversation_id: int,
        role: str,
        content: str,
        status: MessageStatus = "complete",
        *,
        part: str | None = None,
        parent_id: int | _Current | None = CURRENT,
        writer: str | None = None,
    ) -> Message:
        """Adds a message after the branch on screen (or after parent_id), and shows it.

        A task's part stays outside the conversation's branches: it has no parent and does not
        move what is shown.
        """
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}, not {role!r}")
        if status not in MESSAGE_STATUSES:
            raise ValueError(f"status must be one of {MESSAGE_STATUSES}, not {status!r}")
        now = utcnow()
        with self._sessions.begin() as session:
            conversation = _conversation(session, conversation_id)
            if part is not None:
                parent = None
            elif isinstance(parent_id, _Current):
                thread = _thread(session, conversation)
                parent = thread[-1].id if thread else None
            else:
                parent = parent_id
                if parent is not None and _message(session, parent).conversation_id != (
                    conversation_id
                ):
                    raise ValueError("a message's parent must be in the same conversation")
            message = Message(
                conversation_id=conversation_id,
                parent_id=parent,
                role=role,
                content=content,
                status=status,
                error=None,
                part=part,
                writer=writer,
                created_at=now,
                updated_at=now,
            )
            session.add(message)
            session.flush()
            conversation.updated_at = now
            if part is None:
                conversation.current_message_id = message.id
        return message

    def start_reply(
        self,
        conversation_id: int,
        *,
        part: str | None = None,
        parent_id: int | _Current | None = CURRENT,
    ) -> Message:
        """An empty assistant message, saved before the first token so a crash leaves a trace."""
        return self.add_message(
            conversation_id,
            "assistant",
            "",
            status="streaming",
            part=part,
            parent_id=parent_id,
            writer=self._claim_writer(),
        )

    def update_reply(self, message_id: int, content: str) -> None:
        """Saves the text streamed so far: one UPDATE, no read, no search indexing.

        Does nothing once the reply has finished (or was deleted), so a late update from the
        streaming thread cannot overwrite the final text.
        """
        with self.engine.begin() as connection:
            connection.execute(
                sa.update(Message)
                .where(Message.id == message_id, Message.status == "streaming")
                .values(content=content, updated_at=utcnow())
            )

    def finish_reply(
        self,
        message_id: int,
        content: str,
        status: MessageStatus,
        error: str | None = None,
    ) -> None:
        if status not in _FINAL_STATUSES:
            raise ValueError(f"a finished reply's status is one of {_FINAL_STATUSES}")
        now = utcnow()
        with self._sessions.begin() as session:
            message = _message(session, message_id)
            message.content = content
            message.status = status
            message.error = error
            message.updated_at = now
            _conversation(session, message.conversation_id).updated_at = now

    def get_message(self, message_id: int) -> Message:
        with self._sessions() as session:
            return _message(session, message_id)

    def messages(self, conversation_id: int, *, include_parts: bool = True) -> list[Message]:
        """The branch on screen, first message first, with the task's parts among them by id
        unless include_parts is False. Other versions and branches are left out (all_messages).
        """
        with self._sessions() as session:
            conversation = _conversation(session, conversation_id)
            thread = _thread(session, conversation)
            if not include_parts:
                return thread
            parts = session.scalars(
                sa.select(Message).where(
                    Message.conversation_id == conversation_id, Message.part.is_not(None)
                )
            )
            return sorted([*thread, *parts], key=lambda m: m.id)

    def all_messages(self, conversation_id: int) -> list[Message]:
        """Every message of the conversation, every version and branch, by id."""
        with self._sessions() as session:
            _conversation(session, conversation_id)
            query = (
                sa.select(Message)
                .where(Message.conversation_id == conversation_id)
                .order_by(Message.id)
            )
            return list(session.scalars(query))

    def versions(self, conversation_id: int) -> dict[int, tuple[int, ...]]:
        """For each message of the branch on screen, the ids of its versions (itself and the
        messages that share its parent and role), oldest first."""
        with self._sessions() as session:
            conversation = _conversation(session, conversation_id)
            thread = _thread(session, conversation)
            rows = session.execute(
                sa.select(Message.id, Message.parent_id, Message.role).where(
                    Message.conversation_id == conversation_id, Message.part.is_(None)
                )
            ).all()
        siblings: dict[tuple[int | None, str], list[int]] = {}
        for row in sorted(rows):
            siblings.setdefault((row.parent_id, row.role), []).append(row.id)
        return {m.id: tuple(siblings[(m.parent_id, m.role)]) for m in thread}

    def show_message(self, message_id: int) -> None:
        """Shows the branch through message_id: below it, at each step, the reply that was on
        screen most recently (or written most recently)."""
        with self._sessions.begin() as session:
            message = _message(session, message_id)
            rows = session.execute(
                sa.select(
                    Message.id, Message.parent_id, Message.created_at, Message.shown_at
                ).where(
                    Message.conversation_id == message.conversation_id,
                    Message.part.is_(None),
                )
            ).all()
            latest: dict[int, tuple[datetime, int]] = {}
            for row in rows:
                if row.parent_id is not None:
                    seen = (row.shown_at or row.created_at, row.id)
                    latest[row.parent_id] = max(seen, latest.get(row.parent_id, seen))
            leaf = message.id
            while leaf in latest:
                leaf = latest[leaf][1]
            conversation = _conversation(session, message.conversation_id)
            conversation.current_message_id = leaf
            path = [m.id for m in _thread(session, conversation)]
            session.execute(
                sa.update(Message).where(Message.id.in_(path)).values(shown_at=utcnow())
            )

    def add_attachments(self, message_id: int, attachments: list[Attachment]) -> None:
        with self._sessions.begin() as session:
            _message(session, message_id)
            for attachment in attachments:
                attachment.message_id = message_id
            session.add_all(attachments)

    def attachments(self, conversation_id: int) -> dict[int, list[Attachment]]:
        """The files attached to the conversation's messages, by message id, in order added."""
        query = (
            sa.select(Attachment)
            .join(Message, Message.id == Attachment.message_id)
            .where(Message.conversation_id == conversation_id)
            .order_by(Attachment.id)
        )
        found: dict[int, list[Attachment]] = {}
        with self._sessions() as session:
            for attachment in session.scalars(query):
                found.setdefault(attachment.message_id, []).append(attachment)
        return found

    def add_sentiment_items(self, conversation_id: int, items: list[SentimentItem]) -> None:
        with self._sessions.begin() as session:
            _conversation(session, conversation_id)
            for item in items:
                item.conversation_id = conversation_id
            session.add_all(items)

    def sentiment_items(self, conversation_id: int) -> list[SentimentItem]:
        with self._sessions() as session:
            _conversation(session, conversation_id)
            query = (
                sa.select(SentimentItem)
                .where(SentimentItem.conversation_id == conversation_id)
                .order_by(SentimentItem.position, SentimentItem.id)
            )
            return list(session.scalars(query))

    def last_messages(self, conversation_id: int, count: int) -> list[Message]:
        """The last `count` messages of the branch on screen, oldest first."""
        return self.messages(conversation_id, include_parts=False)[-count:] if count > 0 else []

    def delete_messages_from(self, message_id: int) -> None:
        """Deletes this message and everything that followed it, in every branch below it
        (a withdrawn message, a failed turn). The message before it is then shown."""
        with self._sessions.begin() as session:
            message = _message(session, message_id)
            conversation = _conversation(session, message.conversation_id)
            shown = {m.id for m in _thread(session, conversation)}
            # The foreign key's ON DELETE CASCADE removes the replies below it.
            session.execute(sa.delete(Message).where(Message.id == message_id))
            if message_id in shown:
                conversation.current_message_id = message.parent_id
            conversation.updated_at = utcnow()

    def mark_interrupted_replies(self) -> int:
        """At start-up: replies left 'streaming' by a process that is gone (crashed, killed)
        become 'interrupted'. A reply another live process is writing is left alone. A
        read-only database is left as it is."""
        if self.read_only:
            return 0
        with self._sessions.begin() as session:
            rows = session.execute(
                sa.select(Message.id, Message.writer).where(Message.status == "streaming")
            ).all()
            alive = {
                writer
                for writer in {row.writer for row in rows}
                if writer is not None
                and (writer == self.writer_id or _held(self._writer_lock_path(writer)))
            }
            abandoned = [row.id for row in rows if row.writer not in alive]
            if abandoned:
                session.execute(
                    sa.update(Message)
                    .where(Message.id.in_(abandoned), Message.status == "streaming")
                    .values(status="interrupted", error=INTERRUPTED_ERROR, updated_at=utcnow())
                )
        self._remove_dead_writers()
        return len(abandoned)

    def _remove_dead_writers(self) -> None:
        """Lock files of writers that are gone: nothing refers to them any more."""
        try:
            paths = list(self.writers_dir.glob("*.lock"))
        except OSError:
            return
        for path in paths:
            if path.stem == self.writer_id:
                continue
            with contextlib.suppress(Held, OSError):  # alive, or not ours to remove
                try_lock(path).release(remove=True)

    # --- generation records -----------------------------------------------------------------

    def add_generation(
        self,
        message_id: int,
        *,
        model_file: str,
        device: str,
        model_sha256: str | None = None,
        quantization: str | None = None,
        parameters: dict[str, Any] | None = None,
        prompt_tokens: int = 0,
        completion_tokens: int = 0,
        reused_prompt_tokens: int = 0,
        ttft_ms: float | None = None,
        duration_ms: float | None = None,
        tokens_per_second: float | None = None,
        finish_reason: str | None = None,
        started_at: datetime | None = None,
        finished_at: datetime | None = None,
        energy: dict[str, Any] | None = None,
        engine: str = "local",
        engine_host: str | None = None,
    ) -> Generation:
        """The generation record, and its energy record in the same transaction, so that no
        generation is ever stored without what it cost (energy: the Energy columns).

        engine: "local" or the remote engine's name; engine_host: its URL's host."""
        generation = Generation(
            message_id=message_id,
            model_file=model_file,
            model_sha256=model_sha256,
            quantization=quantization,
            parameters=dict(parameters or {}),
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            reused_prompt_tokens=reused_prompt_tokens,
            ttft_ms=ttft_ms,
            duration_ms=duration_ms,
            tokens_per_second=tokens_per_second,
            device=device,
            finish_reason=finish_reason,
            started_at=started_at or utcnow(),
            finished_at=finished_at,
            engine=engine,
            engine_host=engine_host,
        )
        with self._sessions.begin() as session:
            _message(session, message_id)
            existing = session.scalar(
                sa.select(Generation.id).where(Generation.message_id == message_id)
            )
            if existing is not None:
                raise ValueError(f"message {message_id} already has a generation record")
            session.add(generation)
            if energy is not None:
                session.flush()
                session.add(Energy(generation_id=generation.id, **_energy_columns(energy)))
        return generation

    def energy_by_message(self, conversation_id: int) -> dict[int, Energy]:
        """Energy records of a conversation's generations, keyed by message id."""
        query = (
            sa.select(Generation.message_id, Energy)
            .join(Energy, Energy.generation_id == Generation.id)
            .join(Message, Message.id == Generation.message_id)
            .where(Message.conversation_id == conversation_id)
        )
        with self._sessions() as session:
            return {message_id: energy for message_id, energy in session.execute(query)}

    def energy_for(self, message_id: int) -> Energy | None:
        query = (
            sa.select(Energy)
            .join(Generation, Energy.generation_id == Generation.id)
            .where(Generation.message_id == message_id)
        )
        with self._sessions() as session:
            return session.scalar(query)

    def energy_rows(self, since: datetime | None = None) -> list[EnergyRow]:
        """Every generation with its energy, model and task: what the reports add up."""
        query = (
            sa.select(
                Generation.started_at,
                Generation.model_file,
                Generation.quantization,
                Generation.prompt_tokens,
                Generation.completion_tokens,
                Conversation.task,
                Conversation.id,
                Energy,
                Generation.engine,
            )
            .join(Energy, Energy.generation_id == Generation.id)
            .join(Message, Message.id == Generation.message_id)
            .join(Conversation, Conversation.id == Message.conversation_id)
            .order_by(Generation.started_at, Generation.id)
        )
        if since is not None:
            query = query.where(Generation.started_at >= since)
        with self._sessions() as session:
            return [EnergyRow(*row) for row in session.execute(query)]

    def generations_without_energy(self) -> int:
        query = (
            sa.select(sa.func.count(Generation.id))
            .outerjoin(Energy, Energy.generation_id == Generation.id)
            .where(Energy.id.is_(None))
        )
        with self._sessions() as session:
            return int(session.scalar(query) or 0)

    def add_baseline(self, source: str, scope: str, watts: float, seconds: float) -> None:
        with self._sessions.begin() as session:
            session.add(EnergyBaseline(source=source, scope=scope, watts=watts, seconds=seconds))

    def latest_baseline(self, source: str, scope: str) -> EnergyBaseline | None:
        query = (
            sa.select(EnergyBaseline)
            .where(EnergyBaseline.source == source, EnergyBaseline.scope == scope)
            .order_by(EnergyBaseline.measured_at.desc(), EnergyBaseline.id.desc())
            .limit(1)
        )
        with self._sessions() as session:
            return session.scalar(query)

    def speeds_by_model(self, engine: str = "local") -> dict[str, tuple[float, int]]:
        """Per model file: (tokens per second over all of its timed generations, how many).

        The rate is every completion token over every generation's writing time (each
        generation's tokens / its tokens_per_second), so long replies weigh as they took.
        Only the generations of one engine: by default this computer's (a remote server's
        speed says nothing of a file here)."""
        tokens = sa.func.sum(Generation.completion_tokens)
        seconds = sa.func.sum(Generation.completion_tokens / Generation.tokens_per_second)
        query = (
            sa.select(Generation.model_file, tokens, seconds, sa.func.count(Generation.id))
            .where(
                Generation.tokens_per_second > 0,
                Generation.completion_tokens > 0,
                Generation.engine == engine,
            )
            .group_by(Generation.model_file)
        )
        with self._sessions() as session:
            return {
                model_file: (float(total) / float(time), int(count))
                for model_file, total, time, count in session.execute(query)
                if time
            }

    def generation_for(self, message_id: int) -> Generation | None:
        with self._sessions() as session:
            return session.scalar(sa.select(Generation).where(Generation.message_id == message_id))

    def generations(self, conversation_id: int) -> dict[int, Generation]:
        """Generation records of a conversation, keyed by message id."""
        query = (
            sa.select(Generation)
            .join(Message, Message.id == Generation.message_id)
            .where(Message.conversation_id == conversation_id)
        )
        with self._sessions() as session:
            return {g.message_id: g for g in session.scalars(query)}

    # --- search -----------------------------------------------------------------------------

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Messages containing every word of `query`, best match first. Never raises on odd input.

        Each word is searched as a quoted FTS5 phrase, so operators and punctuation in the
        query are plain text. FTS5's unicode61 tokenizer keeps a run of CJK characters as one
        token (so '世界' does not find '你好世界'), and words made of punctuation only ('C++'
        finds 'c'; '*' finds nothing): when the index finds nothing, a substring search runs.
        Replies still streaming are not searched.
        """
        terms = query.split()
        if not terms or limit <= 0:
            return []
        hits = self._search_fts(terms, limit)
        return hits if hits else self._search_like(terms, limit)

    def _search_fts(self, terms: list[str], limit: int) -> list[SearchHit]:
        match = " ".join('"' + term.replace('"', '""') + '"' for term in terms)
        statement = sa.text(
            "SELECT m.id, m.conversation_id, c.title, m.role, m.created_at,"
            " snippet(messages_fts, 0, :start, :end, :ellipsis, :tokens) AS snippet"
            " FROM messages_fts"
            " JOIN messages AS m ON m.id = messages_fts.rowid"
            " JOIN conversations AS c ON c.id = m.conversation_id"
            " WHERE messages_fts MATCH :match AND c.evaluation_run_id IS NULL"
            " ORDER BY messages_fts.rank, m.id DESC LIMIT :limit"
        ).columns(created_at=UTCDateTime())
        params = {
            "start": HIGHLIGHT_START,
            "end": HIGHLIGHT_END,
            "ellipsis": SNIPPET_ELLIPSIS,
            "tokens": _SNIPPET_TOKENS,
            "match": match,
            "limit": limit,
        }
        try:
            with self.engine.connect() as connection:
                rows = connection.execute(statement, params).all()
        except sa.exc.OperationalError:
            # A query FTS5 still cannot parse: the substring search will answer it.
            return []
        return [
            SearchHit(
                conversation_id=row.conversation_id,
                conversation_title=row.title,
                message_id=row.id,
                role=row.role,
                snippet=row.snippet,
                created_at=row.created_at,
            )
            for row in rows
        ]

    def _search_like(self, terms: list[str], limit: int) -> list[SearchHit]:
        conditions = [
            Message.content.like("%" + _escape_like(term) + "%", escape="\\") for term in terms
        ]
        query = (
            sa.select(Message, Conversation.title)
            .join(Conversation, Conversation.id == Message.conversation_id)
            .where(
                Message.status != "streaming",
                Conversation.evaluation_run_id.is_(None),
                *conditions,
            )
            .order_by(Message.id.desc())
            .limit(limit)
        )
        with self._sessions() as session:
            rows = session.execute(query).all()
        return [
            SearchHit(
                conversation_id=message.conversation_id,
                conversation_title=title,
                message_id=message.id,
                role=message.role,
                snippet=_snippet(message.content, terms),
                created_at=message.created_at,
            )
            for message, title in rows
        ]

    # --- export -----------------------------------------------------------------------------

    def export_conversation(self, conversation_id: int, fmt: ExportFormat) -> str:
        """Markdown gives the branch on screen; JSON gives every version and branch, each
        message with the one it follows and whether it is on screen."""
        if fmt not in ("md", "json"):
            raise UserError(
                arg(translate("Store", "Unknown export format %1: use md or json."), repr(fmt))
            )
        conversation = self.get_conversation(conversation_id)
        shown = self.messages(conversation_id)
        generations = self.generations(conversation_id)
        attachments = self.attachments(conversation_id)
        if fmt == "md":
            return _export_markdown(
                conversation, shown, generations, self.versions(conversation_id), attachments
            )
        return _export_json(
            conversation,
            self.all_messages(conversation_id),
            {m.id for m in shown},
            generations,
            self.energy_by_message(conversation_id),
            attachments,
        )

    # --- evaluations ------------------------------------------------------------------------

    def start_evaluation_run(self, run: EvaluationRun) -> EvaluationRun:
        """Stores a new run (status 'running', nothing done yet)."""
        run.status, run.items_done, run.seconds = "running", 0, 0.0
        run.started_at = utcnow()
        with self._sessions.begin() as session:
            session.add(run)
        return run

    def get_evaluation_run(self, run_id: int) -> EvaluationRun:
        with self._sessions() as session:
            return _evaluation_run(session, run_id)

    def find_evaluation_run(
        self, task: str, model_sha256: str, dataset_version: str, settings_key: str, items: int
    ) -> EvaluationRun | None:
        """The newest run of this model file on this set with these settings and items."""
        query = (
            sa.select(EvaluationRun)
            .where(
                EvaluationRun.task == task,
                EvaluationRun.model_sha256 == model_sha256,
                EvaluationRun.dataset_version == dataset_version,
                EvaluationRun.settings_key == settings_key,
                EvaluationRun.items == items,
            )
            .order_by(EvaluationRun.id.desc())
            .limit(1)
        )
        with self._sessions() as session:
            return session.scalar(query)

    def evaluation_runs(self, task: str | None = None) -> list[EvaluationRun]:
        """Every run, newest first."""
        query = sa.select(EvaluationRun).order_by(EvaluationRun.id.desc())
        if task is not None:
            query = query.where(EvaluationRun.task == task)
        with self._sessions() as session:
            return list(session.scalars(query))

    def latest_evaluations(self, task: str) -> list[EvaluationRun]:
        """The newest complete run of each model file (by sha256) on `task`, best score
        first."""
        newest = (
            sa.select(sa.func.max(EvaluationRun.id))
            .where(EvaluationRun.task == task, EvaluationRun.status == "complete")
            .group_by(EvaluationRun.model_sha256)
        )
        query = (
            sa.select(EvaluationRun)
            .where(EvaluationRun.id.in_(newest))
            .order_by(EvaluationRun.score.desc(), EvaluationRun.id)
        )
        with self._sessions() as session:
            return list(session.scalars(query))

    def set_evaluation_status(self, run_id: int, status: EvaluationStatus) -> None:
        with self._sessions.begin() as session:
            run = _evaluation_run(session, run_id)
            run.status = status
            run.finished_at = None if status == "running" else utcnow()

    def add_evaluation_item(self, run_id: int, item: EvaluationItem) -> EvaluationItem:
        """One item done, counted in its run in the same transaction."""
        with self._sessions.begin() as session:
            run = _evaluation_run(session, run_id)
            item.run_id = run_id
            item.finished_at = utcnow()
            session.add(item)
            run.items_done += 1
            run.seconds += item.seconds
        return item

    def evaluation_items(self, run_id: int) -> list[EvaluationItem]:
        """The run's items done, in the order they were done."""
        with self._sessions() as session:
            _evaluation_run(session, run_id)
            query = (
                sa.select(EvaluationItem)
                .where(EvaluationItem.run_id == run_id)
                .order_by(EvaluationItem.id)
            )
            return list(session.scalars(query))

    def finish_evaluation_run(
        self,
        run_id: int,
        status: EvaluationStatus,
        *,
        score: float | None,
        details: dict[str, Any] | None,
        joules_per_item: float | None,
        measured: bool | None,
        meter_source: str | None,
    ) -> EvaluationRun:
        """The run's figures over its items done, and how it ended."""
        if status == "running":
            raise ValueError("a finished run is 'complete' or 'stopped'")
        with self._sessions.begin() as session:
            run = _evaluation_run(session, run_id)
            run.status = status
            run.score = score
            run.details = details
            run.joules_per_item = joules_per_item
            run.measured = measured
            run.meter_source = meter_source
            run.finished_at = utcnow()
        return run

    def delete_evaluation_run(self, run_id: int) -> None:
        """The run, its items, and the hidden task runs it made (with their energy)."""
        with self._sessions.begin() as session:
            _evaluation_run(session, run_id)
            session.execute(sa.delete(Conversation).where(Conversation.evaluation_run_id == run_id))
            session.execute(sa.delete(EvaluationRun).where(EvaluationRun.id == run_id))

    # --- model hash cache -------------------------------------------------------------------

    def cached_sha256(self, path: str, size: int, mtime_ns: int) -> str | None:
        """The stored hash of a model file, or None when the file changed or was never hashed."""
        with self._sessions() as session:
            row = session.get(ModelHash, path)
            if row is None or row.size != size or row.mtime_ns != mtime_ns:
                return None
            return row.sha256

    def store_sha256(self, path: str, size: int, mtime_ns: int, sha256: str) -> None:
        if self.read_only:
            return  # a cache: computed again next time
        values = {"path": path, "size": size, "mtime_ns": mtime_ns, "sha256": sha256}
        statement = sqlite_insert(ModelHash).values(**values)
        statement = statement.on_conflict_do_update(
            index_elements=[ModelHash.path],
            set_={"size": size, "mtime_ns": mtime_ns, "sha256": sha256},
        )
        with self.engine.begin() as connection:
            connection.execute(statement)

    # --- maintenance ------------------------------------------------------------------------

    def quick_check(self) -> bool:
        """Whether SQLite finds the file sound (PRAGMA quick_check: every page read, no index
        compared; milliseconds for a personal history)."""
        try:
            with self.engine.connect() as connection:
                rows = connection.exec_driver_sql("PRAGMA quick_check").all()
        except sa.exc.DatabaseError as exc:
            return "locked" in str(exc).lower()  # busy is not damaged
        return [str(row[0]) for row in rows] == ["ok"]

    def integrity_check(self) -> str:
        """'ok', or SQLite's list of problems, one a line."""
        with self.engine.connect() as connection:
            rows = connection.exec_driver_sql("PRAGMA integrity_check").all()
        return "\n".join(str(row[0]) for row in rows)


def write_failure(exc: BaseException) -> str | None:
    """SQLite's reason, in its words, when exc is a write the file system refused (a full
    disk, a file grown past its limit, a read-only file or folder); None for anything else."""
    if isinstance(exc, sa.exc.OperationalError):
        reason = str(exc.orig) if exc.orig is not None else str(exc)
        if any(
            words in reason
            for words in ("disk I/O error", "disk is full", "readonly", "unable to open")
        ):
            return reason
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return None


def _conversation(session: Session, conversation_id: int) -> Conversation:
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        raise UserError(arg(translate("Store", "No conversation with id %1."), conversation_id))
    return conversation


def _evaluation_run(session: Session, run_id: int) -> EvaluationRun:
    run = session.get(EvaluationRun, run_id)
    if run is None:
        raise UserError(arg(translate("Store", "No evaluation run with id %1."), run_id))
    return run


def _held(lock_path: Path) -> bool:
    try:
        return is_locked(lock_path)
    except OSError:
        return False  # cannot even look: treated as gone, as before there were locks


def _thread(session: Session, conversation: Conversation) -> list[Message]:
    """The branch on screen: from the shown message up through its parents, first one first.

    When the shown message is unknown (None, or deleted by another process), the newest
    message's branch is shown.
    """
    rows = {
        m.id: m
        for m in session.scalars(
            sa.select(Message).where(
                Message.conversation_id == conversation.id, Message.part.is_(None)
            )
        )
    }
    if not rows:
        return []
    current = conversation.current_message_id
    leaf: int | None = current if current in rows else max(rows)
    thread: list[Message] = []
    while leaf is not None and leaf in rows and len(thread) <= len(rows):
        thread.append(rows[leaf])
        leaf = rows[leaf].parent_id
    thread.reverse()
    return thread


def _message(session: Session, message_id: int) -> Message:
    message = session.get(Message, message_id)
    if message is None:
        raise UserError(arg(translate("Store", "No message with id %1."), message_id))
    return message


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _snippet(content: str, terms: list[str]) -> str:
    """A window of the content around the first term found, that term highlighted."""
    folded = content.casefold()
    position, length = -1, 0
    for term in terms:
        position = folded.find(term.casefold())
        if position >= 0:
            length = len(term)
            break
    if position < 0 or len(folded) != len(content):
        # casefold changed the length (e.g. 'ß' -> 'ss'): positions no longer line up
        match = re.search(re.escape(terms[0]), content, re.IGNORECASE)
        if match is None:
            return content[:_SNIPPET_CHARS]
        position, length = match.start(), match.end() - match.start()
    half = (_SNIPPET_CHARS - length) // 2
    start = max(0, position - half)
    end = min(len(content), position + length + half)
    return "".join(
        (
            SNIPPET_ELLIPSIS if start > 0 else "",
            content[start:position],
            HIGHLIGHT_START,
            content[position : position + length],
            HIGHLIGHT_END,
            content[position + length : end],
            SNIPPET_ELLIPSIS if end < len(content) else "",
        )
    )


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def energy_as_dict(energy: Energy) -> dict[str, Any]:
    return {key: getattr(energy, key) for key in sorted(_ENERGY_COLUMNS)}


def generation_as_dict(generation: Generation, energy: Energy | None = None) -> dict[str, Any]:
    return {
        "model_file": generation.model_file,
        "model_sha256": generation.model_sha256,
        "quantization": generation.quantization,
        "parameters": generation.parameters,
        "prompt_tokens": generation.prompt_tokens,
        "completion_tokens": generation.completion_tokens,
        "reused_prompt_tokens": generation.reused_prompt_tokens,
        "ttft_ms": generation.ttft_ms,
        "duration_ms": generation.duration_ms,
        "tokens_per_second": generation.tokens_per_second,
        "device": generation.device,
        "engine": generation.engine,
        "engine_host": generation.engine_host,
        "finish_reason": generation.finish_reason,
        "started_at": _iso(generation.started_at),
        "finished_at": _iso(generation.finished_at),
        "energy": energy_as_dict(energy) if energy is not None else None,
    }


def _attachment_as_dict(attachment: Attachment) -> dict[str, Any]:
    return {
        "name": attachment.name,
        "kind": attachment.kind,
        "size": attachment.size,
        "tokens": attachment.tokens,
        "text": attachment.text,
    }


def _export_json(
    conversation: Conversation,
    messages: list[Message],
    shown: set[int],
    generations: dict[int, Generation],
    energy: dict[int, Energy],
    attachments: dict[int, list[Attachment]],
) -> str:
    document = {
        "id": conversation.id,
        "title": conversation.title,
        "task": conversation.task,
        "model": conversation.model,
        "system_prompt": conversation.system_prompt,
        "options": conversation.options,
        "created_at": _iso(conversation.created_at),
        "updated_at": _iso(conversation.updated_at),
        "messages": [
            {
                "id": m.id,
                "parent_id": m.parent_id,
                "shown": m.id in shown,
                "role": m.role,
                "content": m.content,
                "status": m.status,
                "error": m.error,
                "part": m.part,
                "created_at": _iso(m.created_at),
                "updated_at": _iso(m.updated_at),
                "attachments": [_attachment_as_dict(a) for a in attachments.get(m.id, [])],
                "generation": (
                    generation_as_dict(generations[m.id], energy.get(m.id))
                    if m.id in generations
                    else None
                ),
            }
            for m in messages
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def _export_markdown(
    conversation: Conversation,
    messages: list[Message],
    generations: dict[int, Generation],
    versions: dict[int, tuple[int, ...]],
    attachments: dict[int, list[Attachment]],
) -> str:
    parts = [f"# {conversation.title}"]
    if conversation.system_prompt:
        parts.append(f"## System prompt\n\n{conversation.system_prompt}")
    for message in messages:
        section = [f"## {message.role.capitalize()}", message.content]
        for attachment in attachments.get(message.id, []):
            section.append(f"_Attached: {attachment.name}_\n\n```\n{attachment.text}\n```")
        siblings = versions.get(message.id, ())
        if len(siblings) > 1:
            section.append(f"_Version {siblings.index(message.id) + 1} of {len(siblings)}_")
        if message.status != "complete":
            note = f"_Status: {message.status}"
            note += f" ({message.error})_" if message.error else "_"
            section.append(note)
        generation = generations.get(message.id)
        if generation is not None:
            stats = [generation.model_file, f"{generation.completion_tokens} tokens"]
            if generation.tokens_per_second is not None:
                stats.append(f"{generation.tokens_per_second:.1f} tokens/s")
            stats.append(generation.device)
            if generation.engine != "local":
                host = f" ({generation.engine_host})" if generation.engine_host else ""
                stats.append(f"remote: {generation.engine}{host}")
            section.append("_" + " · ".join(stats) + "_")
        parts.append("\n\n".join(s for s in section if s))
    return "\n\n".join(parts) + "\n"
