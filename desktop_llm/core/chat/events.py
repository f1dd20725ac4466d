"""What a chat turn reports to a front end (the window or the CLI), in order.

A turn yields: [ModelLoading, ModelReady] (the host's, when it loads a model), ReplyStarted,
ReplyText*, ReplyEnded.
A failure before the reply exists (unknown model, bad file) raises UserError instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop_llm.core.energy import EnergyRecord
from desktop_llm.core.engine.protocol import GenerationStats
from desktop_llm.core.model_host import ModelLoading, ModelReady
from desktop_llm.core.store import MessageStatus


@dataclass(frozen=True)
class ReplyStarted:
    conversation_id: int
    user_message_id: int
    reply_message_id: int


@dataclass(frozen=True)
class ReplyText:
    message_id: int
    text: str  # new text to append; whole UTF-8 characters


@dataclass(frozen=True)
class ReplyEnded:
    message_id: int
    status: MessageStatus  # complete, stopped, interrupted or error
    content: str  # everything the reply holds, as stored
    model_name: str
    device: str
    stats: GenerationStats | None  # None when the worker died before finishing
    error: str | None = None  # plain words when status is interrupted or error
    energy: EnergyRecord | None = None  # stored with the generation record (None: no record)
    # The engine that answered: "local", or a remote engine's name and its host.
    engine: str = "local"
    engine_host: str | None = None


ChatEvent = ModelLoading | ModelReady | ReplyStarted | ReplyText | ReplyEnded
