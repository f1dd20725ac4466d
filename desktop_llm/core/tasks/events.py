"""What a task run (translation, summary, sentiment) reports to a front end, in order.

A run yields: [ModelLoading, ModelReady], TaskStarted, then TaskProgress / TaskText /
TaskOutput / SentimentResult as it goes, and TaskEnded last. Bad input that is caught before
the run exists (empty text, unknown language, bad model file) raises UserError instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from desktop_llm.core.model_host import ModelLoading, ModelReady
from desktop_llm.core.store import MessageStatus


@dataclass(frozen=True)
class TaskStarted:
    conversation_id: int
    task: str  # translate, summarize or sentiment
    total: int  # parts planned (pieces, chunks or items); a summary may add combine steps


@dataclass(frozen=True)
class TaskProgress:
    done: int
    total: int
    label: str  # "part 3 of 12", "combining 1 of 2", "item 40 of 200"


@dataclass(frozen=True)
class TaskText:
    text: str  # new text of the visible output, as the model writes it


@dataclass(frozen=True)
class TaskOutput:
    text: str  # the whole visible output so far, cleaned: replaces what was streamed


@dataclass(frozen=True)
class SentimentResult:
    position: int
    text: str
    label: str
    # positive, negative, neutral; they sum to 1. None each when the engine gave no
    # probabilities (a remote server without log-probabilities): never invented
    probabilities: dict[str, float | None]
    truncated: bool = False  # only the start of a text too long for the context was read


@dataclass(frozen=True)
class TaskEnded:
    conversation_id: int
    status: MessageStatus  # complete, stopped, interrupted or error
    output: str
    error: str | None = None
    # What the run covered: characters, words, tokens, parts, items, label counts...
    summary: dict[str, Any] = field(default_factory=dict)


TaskEvent = (
    ModelLoading
    | ModelReady
    | TaskStarted
    | TaskProgress
    | TaskText
    | TaskOutput
    | SentimentResult
    | TaskEnded
)
