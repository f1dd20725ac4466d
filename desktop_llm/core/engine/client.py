"""Parent side of the inference process: start, watch, cancel, restart.

One EngineClient owns one child at a time and is driven from one thread (the CLI's main
thread, or the window's engine thread). cancel() is the exception: any thread may call it.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import re
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from desktop_llm.core.engine import worker
from desktop_llm.core.engine.protocol import (
    FAILURE_TEXTS,
    NO_MODEL,
    SILENCE_LIMIT_S,
    ChatMessage,
    Classified,
    CompleteRequest,
    Done,
    Failed,
    GenerateRequest,
    Loaded,
    LoadRequest,
    LoadSpec,
    Ready,
    SamplingParams,
    ScoreRequest,
    Scores,
    ShutdownRequest,
    Token,
    TokenCounts,
    TokenizeRequest,
    Unloaded,
    UnloadRequest,
)
from desktop_llm.core.i18n import arg, translate

# How often a blocked read wakes to check that the child is still alive.
_POLL_S = 0.05
# A gap this long between two of the parent's own looks at the pulse means the parent was
# not running: the watchdog starts counting again.
_PARENT_STALL_S = 5.0
TOKENIZE_BATCH_CHARS = 100_000


_MARKER = re.compile(r"(%\d)")


def failure_words(message: str) -> str:
    """A worker's message (English: it has no translator) in the window's language, when it
    is one of protocol.FAILURE_TEXTS; other text (a template's own error) as it is."""
    for template in FAILURE_TEXTS:
        parts = _MARKER.split(template)
        pattern = "".join("(.+?)" if _MARKER.fullmatch(p) else re.escape(p) for p in parts)
        match = re.fullmatch(pattern, message, re.DOTALL)
        if match:
            return arg(translate("Engine", template), *match.groups())
    return message


class EngineError(Exception):
    """The worker answered with an error (bad model, prompt too long...). Plain words, in
    the window's language."""

    def __init__(self, failure: Failed) -> None:
        super().__init__(failure_words(failure.message))
        self.kind = failure.kind


class WorkerDied(Exception):
    """The inference process ended without answering (crash, kill, or hard cancel).

    cancelled: a cancel had to kill it. unresponsive: the watchdog ended it (its pulse
    stopped for longer than the silence limit)."""

    def __init__(
        self, message: str, *, cancelled: bool = False, unresponsive: bool = False
    ) -> None:
        super().__init__(message)
        self.cancelled = cancelled
        self.unresponsive = unresponsive


def describe_exit(exitcode: int | None) -> str:
    if exitcode is None:
        return translate("Engine", "stopped responding")
    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = arg(translate("Engine", "signal %1"), -exitcode)
        reasons = {
            "SIGKILL": translate(
                "Engine", "it was killed (often the system running out of memory)"
            ),
            "SIGSEGV": translate("Engine", "it crashed (segmentation fault in llama.cpp)"),
            "SIGABRT": translate(
                "Engine", "llama.cpp aborted (often a damaged or unsupported model file)"
            ),
            "SIGBUS": translate(
                "Engine", "it crashed reading the model file (was the file changed or removed?)"
            ),
            "SIGILL": translate(
                "Engine", "the llama.cpp build uses a CPU instruction this processor lacks"
            ),
        }
        reason = reasons.get(name) or translate("Engine", "it was stopped")
        return f"{reason} [{name}]"
    return arg(translate("Engine", "it exited with code %1"), exitcode)


class EngineClient:
    """The local engine (interface.Engine): llama.cpp in a child process."""

    kind = "local"
    tokens_estimated = False

    def __init__(
        self,
        *,
        cancel_grace_s: float = 2.0,
        start_timeout_s: float = 120.0,
        silence_limit_s: float = SILENCE_LIMIT_S,
        native_log: str | None = None,
    ) -> None:
        """silence_limit_s: the watchdog's limit (protocol.SILENCE_LIMIT_S). native_log: the
        file that gets what llama.cpp and the worker write to stdout/stderr (None: nowhere);
        never the user's terminal."""
        self.cancel_grace_s = cancel_grace_s
        self.start_timeout_s = start_timeout_s
        self.silence_limit_s = silence_limit_s
        self.native_log = native_log
        self._ctx = mp.get_context("spawn")
        self._proc: BaseProcess | None = None
        self._conn: Connection | None = None
        self._beat = self._ctx.Value("Q", 0, lock=False)
        self._cancel = self._ctx.Event()
        self._cancel_at: float | None = None
        self._cancel_lock = threading.Lock()
        self.ready: Ready | None = None
        self.loaded: Loaded | None = None

    # --- process lifecycle ------------------------------------------------------------------

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None and self._proc.is_alive() else None

    @property
    def alive(self) -> bool:
        return self._proc is not None and self._proc.is_alive()

    def start(self) -> Ready:
        if self.alive and self.ready is not None:
            return self.ready
        self._reap()
        parent, child = self._ctx.Pipe(duplex=True)
        self._beat = self._ctx.Value("Q", 0, lock=False)  # a fresh pulse per process
        proc = self._ctx.Process(
            target=worker.main,
            args=(child, self._cancel, self._beat, self.native_log),
            name="desktop-llm-engine",
            daemon=True,
        )
        proc.start()
        child.close()  # the parent's copy; without closing it EOF would never be seen
        self._proc, self._conn = proc, parent
        event = self._receive(deadline=time.monotonic() + self.start_timeout_s)
        if not isinstance(event, Ready):
            raise WorkerDied(
                arg(
                    translate("Engine", "The inference process did not start: unexpected %1"),
                    repr(event),
                )
            )
        self.ready = event
        return event

    def close(self) -> None:
        if self._conn is not None and self.alive:
            with contextlib.suppress(OSError, EOFError):
                self._conn.send(ShutdownRequest())
            assert self._proc is not None
            self._proc.join(timeout=3)
        self.kill()

    def kill(self) -> None:
        """End the child at once (a hard cancel, or shutting down)."""
        if self._proc is not None and self._proc.is_alive():
            self._proc.kill()
            self._proc.join(timeout=5)
        self._reap()

    def _reap(self) -> None:
        if self._conn is not None:
            self._conn.close()
        if self._proc is not None:
            self._proc.join(timeout=0.1)
        self._proc = None
        self._conn = None
        self.ready = None
        self.loaded = None

    def _died(self, *, cancelled: bool = False) -> WorkerDied:
        exitcode = self._proc.exitcode if self._proc is not None else None
        self._reap()
        if cancelled:
            return WorkerDied(translate("Engine", "The reply was stopped."), cancelled=True)
        return WorkerDied(
            arg(translate("Engine", "The inference process ended: %1."), describe_exit(exitcode))
        )

    def _receive(self, deadline: float | None = None) -> object:
        """Next event from the child; notices a dead child within _POLL_S seconds, and a
        silent one (its pulse stopped) within silence_limit_s, once it has started."""
        conn, proc = self._conn, self._proc
        if conn is None or proc is None:
            raise WorkerDied(translate("Engine", "The inference process is not running."))
        beat = self._beat
        pulse = beat.value
        pulse_at = looked_at = time.monotonic()
        while True:
            try:
                if conn.poll(_POLL_S):
                    return conn.recv()
            except (EOFError, OSError):
                proc.join(timeout=1)
                raise self._died() from None
            if not proc.is_alive():
                raise self._died()
            with self._cancel_lock:
                cancel_at = self._cancel_at
            if cancel_at is not None and time.monotonic() - cancel_at > self.cancel_grace_s:
                self.kill()  # cooperative cancel did not land in time: hard stop
                raise self._died(cancelled=True)
            if deadline is not None and time.monotonic() > deadline:
                self.kill()
                raise WorkerDied(
                    translate("Engine", "The inference process did not answer in time.")
                )
            now = time.monotonic()
            if now - looked_at > _PARENT_STALL_S:
                # This process was itself stopped or asleep (Ctrl+Z then fg, a suspended
                # laptop): the child's silence over that time says nothing.
                pulse_at = now
            looked_at = now
            if beat.value != pulse:
                pulse, pulse_at = beat.value, now
            elif self.ready is not None and now - pulse_at > self.silence_limit_s:
                # Stopped, frozen or deadlocked: no answer will come. The next request
                # starts a fresh process.
                self.kill()
                raise WorkerDied(
                    arg(
                        translate(
                            "Engine",
                            "The model stopped responding for %1 s, so its process was ended; "
                            "it starts again with the next request.",
                        ),
                        f"{now - pulse_at:.0f}",
                    ),
                    unresponsive=True,
                )

    def _send(self, request: object) -> None:
        if self._conn is None:
            raise WorkerDied(translate("Engine", "The inference process is not running."))
        try:
            self._conn.send(request)
        except (OSError, EOFError, BrokenPipeError):
            raise self._died() from None

    # --- requests ---------------------------------------------------------------------------

    def load(self, spec: LoadSpec) -> Loaded:
        """Load a model unless the same one with the same settings is loaded already."""
        if self.alive and self.loaded is not None and self.loaded.spec == spec:
            return self.loaded
        self._reset_cancel()
        self.start()
        self.loaded = None
        self._send(LoadRequest(spec))
        event = self._receive()
        if isinstance(event, Failed):
            raise EngineError(event)
        if not isinstance(event, Loaded):
            raise WorkerDied(
                arg(translate("Engine", "Unexpected answer to a load request: %1"), repr(event))
            )
        self.loaded = event
        return event

    def unload(self) -> None:
        if not self.alive:
            return
        self._send(UnloadRequest())
        event = self._receive()
        assert isinstance(event, Unloaded | Failed)
        self.loaded = None

    def generate(
        self,
        messages: Sequence[ChatMessage],
        params: SamplingParams | None = None,
        *,
        reuse_prefix: bool = True,
        fit_history: bool = True,
    ) -> Iterator[Token | Done]:
        """Stream a reply: Token events, then one Done.

        fit_history=False: a history too long for the context is refused (EngineError,
        kind context_overflow) instead of losing its oldest turns.
        Raises EngineError when the worker refuses, WorkerDied when it ends (with
        cancelled=True when a cancel had to kill it).
        """
        request = GenerateRequest(
            tuple(messages), params or SamplingParams(), reuse_prefix, fit_history
        )
        return self._stream(request)

    def complete(self, prompt: str, params: SamplingParams | None = None) -> Iterator[Token | Done]:
        """Continue a raw text (no chat template): Token events, then one Done; raises as
        generate() does."""
        return self._stream(CompleteRequest(prompt, params or SamplingParams()))

    def _stream(self, request: GenerateRequest | CompleteRequest) -> Iterator[Token | Done]:
        """One streamed request's events, with the cancel, kill and watchdog handling; a
        generator, so nothing is checked or sent before the first event is asked for."""
        if self.loaded is None or not self.alive:
            raise EngineError(Failed("not_loaded", NO_MODEL))
        self._reset_cancel()
        finished = False
        try:
            self._send(request)
            while True:
                event = self._receive()
                if isinstance(event, Token):
                    yield event
                elif isinstance(event, Done):
                    finished = True
                    yield event
                    return
                elif isinstance(event, Failed):
                    finished = True
                    raise EngineError(event)
                else:
                    raise WorkerDied(
                        arg(
                            translate("Engine", "Unexpected event from the inference process: %1"),
                            repr(event),
                        )
                    )
        except WorkerDied:
            finished = True
            raise
        except KeyboardInterrupt:
            # A second Ctrl+C in the CLI: the app is ending now, no time to drain.
            finished = True
            self.kill()
            raise
        finally:
            if not finished:
                self._drain()
            self._reset_cancel()

    def _drain(self) -> None:
        """The caller stopped listening mid-reply: stop the worker and read up to its Done,
        so that the next request does not receive this one's leftover tokens."""
        self.cancel()
        try:
            while not isinstance(self._receive(), Done | Failed):
                pass
        except WorkerDied:
            pass

    def _call(self, request: object, expected: type) -> object:
        if self.loaded is None or not self.alive:
            raise EngineError(Failed("not_loaded", NO_MODEL))
        self._reset_cancel()
        self._send(request)
        event = self._receive()
        if isinstance(event, Failed):
            raise EngineError(event)
        if not isinstance(event, expected):
            raise WorkerDied(
                arg(
                    translate("Engine", "Unexpected answer from the inference process: %1"),
                    repr(event),
                )
            )
        return event

    def score(
        self,
        messages: Sequence[ChatMessage],
        candidates: Sequence[str],
        *,
        reuse_prefix: bool = True,
    ) -> Scores:
        """Log-likelihood of each candidate as the reply's start (sentiment labels)."""
        request = ScoreRequest(tuple(messages), tuple(candidates), reuse_prefix)
        return self._call(request, Scores)  # type: ignore[return-value]

    def classify(
        self,
        messages: Sequence[ChatMessage],
        candidates: Sequence[str],
        params: SamplingParams,
        *,
        reuse_prefix: bool = True,
    ) -> Classified:
        """Each candidate's log-likelihood as the reply's start, then the reply itself
        (params.grammar keeps it to a candidate); the figures of both requests together."""
        scores = self.score(messages, candidates, reuse_prefix=reuse_prefix)
        done: Done | None = None
        streamed = ""
        for event in self.generate(messages, params):
            if isinstance(event, Done):
                done = event
            else:
                streamed += event.text
        assert done is not None
        stats = replace(
            done.stats,
            prompt_tokens=scores.prompt_tokens,
            reused_prompt_tokens=scores.reused_prompt_tokens,
            duration_ms=done.stats.duration_ms + scores.duration_ms,
        )
        return Classified(done.text or streamed, scores.logprobs, stats)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Token counts, asked for in batches of about TOKENIZE_BATCH_CHARS characters:
        pickling a 5 MB request in one go would hold the GIL long enough to stall a window
        running in this process."""
        counts: list[int] = []
        batch: list[str] = []
        size = 0
        for text in texts:
            batch.append(text)
            size += len(text)
            if size >= TOKENIZE_BATCH_CHARS:
                counts += self._call(TokenizeRequest(tuple(batch)), TokenCounts).counts  # type: ignore[attr-defined]
                batch, size = [], 0
        if batch or not counts:
            counts += self._call(TokenizeRequest(tuple(batch)), TokenCounts).counts  # type: ignore[attr-defined]
        return counts

    def _reset_cancel(self) -> None:
        with self._cancel_lock:
            self._cancel.clear()
            self._cancel_at = None

    def cancel(self) -> None:
        """Ask the running generation to stop; safe from any thread.

        The worker checks the flag between tokens; if it has not stopped after
        cancel_grace_s (stuck in a long prompt evaluation), the process is killed.
        """
        with self._cancel_lock:
            self._cancel.set()
            if self._cancel_at is None:
                self._cancel_at = time.monotonic()
