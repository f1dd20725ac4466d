"""What ModelHost and the tasks ask of an engine, whichever kind answers.

Two kinds implement it: the local llama.cpp child process (client.EngineClient) and an
OpenAI-compatible server elsewhere (remote.RemoteEngine). No task knows which it talks to:
they load, stream a reply with cancel, count tokens and classify through this interface.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Literal, Protocol

from desktop_llm.core.engine.protocol import (
    ChatMessage,
    Classified,
    Done,
    Loaded,
    LoadSpec,
    Ready,
    SamplingParams,
    Token,
)

EngineKind = Literal["local", "remote"]


class Engine(Protocol):
    kind: EngineKind
    # What the engine said about itself when it started (None until then).
    ready: Ready | None
    # The loaded model and its context (None when none is).
    loaded: Loaded | None
    # True when count_tokens() estimates from characters (the server has no tokenizer).
    tokens_estimated: bool

    @property
    def alive(self) -> bool: ...

    @property
    def pid(self) -> int | None:
        """The process doing the work on this machine, when there is one (metering)."""
        ...

    def load(self, spec: LoadSpec) -> Loaded: ...

    def unload(self) -> None: ...

    def close(self) -> None: ...

    def kill(self) -> None: ...

    def cancel(self) -> None:
        """Stop the running request; safe from any thread."""
        ...

    def generate(
        self,
        messages: Sequence[ChatMessage],
        params: SamplingParams | None = None,
        *,
        reuse_prefix: bool = True,
        fit_history: bool = True,
    ) -> Iterator[Token | Done]:
        """A chat reply, streamed. fit_history=False: a history longer than the context is
        refused (EngineError, kind context_overflow) rather than losing its oldest turns."""
        ...

    def complete(self, prompt: str, params: SamplingParams | None = None) -> Iterator[Token | Done]:
        """A raw text continued (no chat template), streamed like generate()."""
        ...

    def classify(
        self,
        messages: Sequence[ChatMessage],
        candidates: Sequence[str],
        params: SamplingParams,
        *,
        reuse_prefix: bool = True,
    ) -> Classified: ...

    def count_tokens(self, texts: Sequence[str]) -> list[int]: ...
