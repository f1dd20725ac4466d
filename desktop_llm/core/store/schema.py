"""The database tables as typed SQLAlchemy ORM classes.

The migrations in migrations/versions/ create exactly these tables (a unit test compares
them); a change here needs a new migration.

The ORM classes have no relationships on purpose: the Store hands objects out of short
sessions, so every attribute a caller can touch is a plain column, loaded when the row is.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal, get_args

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# A message's status: 'streaming' while a reply is written, then how it ended. Declared with
# the table that stores it, so the store needs nothing from the code that writes replies.
MessageStatus = Literal["streaming", "complete", "stopped", "interrupted", "error"]
MESSAGE_STATUSES: tuple[MessageStatus, ...] = get_args(MessageStatus)
ROLES = ("system", "user", "assistant")
# An evaluation run: 'running' while items are being done (or after a crash), then complete,
# or stopped with what was done kept (resumed by the next run of the same model, task, set
# and settings).
EvaluationStatus = Literal["running", "complete", "stopped"]
EVALUATION_STATUSES: tuple[EvaluationStatus, ...] = get_args(EvaluationStatus)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Stored as naive UTC text (SQLite has no time zones), read back as aware UTC."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("Datetimes stored in the database must be timezone-aware.")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 (SQLAlchemy reads it as a class attribute)
        str: sa.Text(),
        float: sa.Float(),
        datetime: UTCDateTime(),
        dict[str, Any]: sa.JSON(),
    }


class Conversation(Base):
    __tablename__ = "conversations"
    __table_args__ = (
        sa.Index("ix_conversations_updated_at", "updated_at"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    # chat, translate, summarize, sentiment
    task: Mapped[str] = mapped_column(default="chat", server_default="chat")
    # the model name last used, so reopening a conversation picks it again
    model: Mapped[str | None]
    system_prompt: Mapped[str | None]
    # what a task run was asked for: languages, summary length, file name, CSV column...
    options: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # last activity: a message added, finished or deleted (a rename does not move a chat up)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # the last message of the branch on screen; None or a deleted id means the newest one.
    # No foreign key: it would make the two tables refer to each other.
    current_message_id: Mapped[int | None]
    # set for the runs an evaluation makes (one per item, core/evaluation): they are kept,
    # with their energy records, but never listed or searched with the user's own history.
    # No foreign key: SQLite's ALTER TABLE cannot name one, and rebuilding the table would
    # cascade-delete every message; Store.delete_evaluation_run deletes them with the run.
    evaluation_run_id: Mapped[int | None] = mapped_column(index=True)

    def __repr__(self) -> str:
        return f"Conversation(id={self.id!r}, title={self.title!r}, task={self.task!r})"


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        sa.CheckConstraint(
            "status IN ({})".format(", ".join(f"'{s}'" for s in MESSAGE_STATUSES)),
            name="status",
        ),
        sa.CheckConstraint("role IN ({})".format(", ".join(f"'{r}'" for r in ROLES)), name="role"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    # the message this one answers or follows; siblings (same parent) are the versions of a
    # reply or the branches of an edit. None for the first message and for task parts.
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("messages.id", ondelete="CASCADE"), index=True
    )
    # when the user last switched to a branch through this message (None: never since it was
    # written); going back to a version shows the branch below it they saw last
    shown_at: Mapped[datetime | None]
    # the id of the process writing this reply while it streams (Store.writer_id)
    writer: Mapped[str | None]
    role: Mapped[str]
    content: Mapped[str]
    status: Mapped[str]
    error: Mapped[str | None]
    # None for a message of the conversation itself; for a task's intermediate output (a
    # chunk's summary, a translated piece, a batch of sentiment items) where it stands, e.g.
    # "part 3 of 12". Each such part has its own generation record.
    part: Mapped[str | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return (
            f"Message(id={self.id!r}, conversation_id={self.conversation_id!r}, "
            f"role={self.role!r}, status={self.status!r}, content={self.content[:40]!r})"
        )


class Generation(Base):
    """How one assistant message was produced: model, settings, token counts and timings."""

    __tablename__ = "generations"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        sa.ForeignKey("messages.id", ondelete="CASCADE"), unique=True
    )
    model_file: Mapped[str]
    model_sha256: Mapped[str | None]
    quantization: Mapped[str | None]
    parameters: Mapped[dict[str, Any]]
    prompt_tokens: Mapped[int]
    completion_tokens: Mapped[int]
    # prompt tokens served from the KV cache instead of being evaluated again
    reused_prompt_tokens: Mapped[int]
    ttft_ms: Mapped[float | None]
    duration_ms: Mapped[float | None]
    tokens_per_second: Mapped[float | None]
    device: Mapped[str]
    finish_reason: Mapped[str | None]
    started_at: Mapped[datetime]
    # which engine wrote it: "local" (the llama.cpp child process) or a remote engine's
    # name, with the host of its URL (None for local)
    engine: Mapped[str] = mapped_column(default="local", server_default="local")
    engine_host: Mapped[str | None]
    finished_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return (
            f"Generation(message_id={self.message_id!r}, model_file={self.model_file!r}, "
            f"completion_tokens={self.completion_tokens!r})"
        )


class Attachment(Base):
    """A file the user attached to a message, as the text the model was given."""

    __tablename__ = "attachments"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        sa.ForeignKey("messages.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str]  # the file's name, without its folder
    kind: Mapped[str]  # text, pdf
    text: Mapped[str]
    size: Mapped[int]  # bytes of the file as read
    tokens: Mapped[int | None]  # counted with the model it was sent to, when known


class ModelHash(Base):
    """sha256 of a model file, valid while its size and mtime are unchanged."""

    __tablename__ = "model_hashes"

    path: Mapped[str] = mapped_column(primary_key=True)
    size: Mapped[int]
    mtime_ns: Mapped[int]
    sha256: Mapped[str]


class SentimentItem(Base):
    """One classified text of a sentiment run, with the model's probability of each label."""

    __tablename__ = "sentiment_items"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]  # 0-based line or row of the input
    text: Mapped[str]
    label: Mapped[str]
    # None: the server gave no probabilities (a remote engine without log-probabilities);
    # the label is kept, the probabilities are never invented
    p_positive: Mapped[float | None]
    p_negative: Mapped[float | None]
    p_neutral: Mapped[float | None]
    # the input row's other columns (CSV), so an export can give them back
    source: Mapped[dict[str, Any] | None]


class Energy(Base):
    """What one generation cost: the meter's gross joules, net of the idle baseline, and the
    share attributed to the inference process, with the carbon that stands for.

    source and scope say exactly what was measured ('rapl'/'package+dram', 'nvml'/'gpu',
    'estimate'/'process'); measured is False for estimates. requests is how many of the
    user's requests the generation completes: 1 for a chat reply or a task's result, 0 for an
    intermediate part (a summary chunk), the item count for a batch of sentiment items.
    """

    __tablename__ = "energy"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    generation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("generations.id", ondelete="CASCADE"), unique=True
    )
    source: Mapped[str]
    scope: Mapped[str]
    label: Mapped[str]
    measured: Mapped[bool]
    joules_gross: Mapped[float | None]
    joules_net: Mapped[float | None]
    joules_attributed: Mapped[float | None]
    watts_avg: Mapped[float | None]
    baseline_watts: Mapped[float | None]
    seconds: Mapped[float]
    cpu_share: Mapped[float | None]
    carbon_g: Mapped[float | None]
    intensity_g_per_kwh: Mapped[float]
    intensity_source: Mapped[str]
    low_confidence: Mapped[bool]
    note: Mapped[str]
    cross_check: Mapped[dict[str, Any] | None]
    requests: Mapped[int]
    # How busy other programs kept the CPUs (0..1 of the window's capacity) and whether that
    # makes the figure not comparable (energy/contention.py); NULL: measured before 0007.
    other_cpu_share: Mapped[float | None]
    contended: Mapped[bool | None]


class EnergyBaseline(Base):
    """The machine's idle power on one meter, measured while the app had nothing to do."""

    __tablename__ = "energy_baselines"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str]
    scope: Mapped[str]
    watts: Mapped[float]
    seconds: Mapped[float]
    measured_at: Mapped[datetime] = mapped_column(default=utcnow)


class EvaluationRun(Base):
    """One model's run of a built-in evaluation (core/evaluation): what was run, how, the
    score and what it cost.

    A run is identified for resuming by (task, model_sha256, dataset_version, settings_key,
    items): the same file on the same set with the same settings continues where it stopped.
    joules_per_item is the mean over the items that have an energy record (None when none
    has: never 0 for unknown); measured is False when any of them is an estimate.
    """

    __tablename__ = "evaluation_runs"
    __table_args__ = (
        sa.CheckConstraint(
            "status IN ({})".format(", ".join(f"'{s}'" for s in EVALUATION_STATUSES)),
            name="status",
        ),
        sa.Index("ix_evaluation_runs_task_model_sha256", "task", "model_sha256"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task: Mapped[str]  # sentiment, translate, summarize
    model: Mapped[str]  # the installed model's name when it ran
    model_file: Mapped[str]
    model_sha256: Mapped[str]
    quantization: Mapped[str | None]
    dataset_version: Mapped[str]  # the set's format and a hash of its items
    settings: Mapped[dict[str, Any]]  # what decides the outputs: engine and task settings
    settings_key: Mapped[str]  # a hash of settings, to find a run to resume
    items: Mapped[int]  # the items the run covers (--limit)
    items_done: Mapped[int]
    metric: Mapped[str]  # what score is: macro_f1, chrf, key_fact_recall
    score: Mapped[float | None]  # 0..1 over the items done; None before the first
    details: Mapped[dict[str, Any] | None]  # the task's other figures (accuracy, chrF...)
    joules_per_item: Mapped[float | None]
    seconds: Mapped[float]  # the items' time, summed (model loading not included)
    threads: Mapped[int]
    device: Mapped[str]
    meter_source: Mapped[str | None]  # the energy records' sources ('rapl', 'estimate')
    measured: Mapped[bool | None]
    status: Mapped[str]
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]


class EvaluationItem(Base):
    """One item of an evaluation run: the model's output, its score, what it cost."""

    __tablename__ = "evaluation_items"
    __table_args__ = (
        sa.UniqueConstraint("run_id", "item_id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("evaluation_runs.id", ondelete="CASCADE"))
    item_id: Mapped[str]  # the set's id of the item
    output: Mapped[str]
    score: Mapped[float]  # 0..1: right label, sentence chrF / 100, facts kept
    joules: Mapped[float | None]  # attributed joules of its model calls; None: no record
    seconds: Mapped[float]
    measured: Mapped[bool | None]
    meter_source: Mapped[str | None]
    error: Mapped[str | None]  # why the item has no (whole) output, in words
    # the hidden task run that produced it (Conversation.evaluation_run_id)
    conversation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("conversations.id", ondelete="SET NULL")
    )
    finished_at: Mapped[datetime] = mapped_column(default=utcnow)
