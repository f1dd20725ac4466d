"""One API request on the shared engine, on a thread of its own: its turn (after the window's
and other clients' requests before it), its model, its conversation in the log, and its reply,
metered and stored exactly like a reply in the window (ModelHost.stream_reply).

What it produces goes to `emit` (called on the job's thread; the HTTP side hands each item to
its event loop): a Piece per piece of text, then one Finished; or an ApiError when the request
is refused before any text (so the client gets the right status code, not a stream that
breaks).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass

from desktop_llm.core.engine.protocol import ChatMessage, Done, Token, TokenLogprob
from desktop_llm.core.errors import UserError
from desktop_llm.core.model_host import ModelHost, Reply
from desktop_llm.core.remote_engines import RemoteModel
from desktop_llm.core.server.errors import ApiError
from desktop_llm.core.server.requests import ApiRequest
from desktop_llm.core.turns import EngineBusy, TurnAbandoned

log = logging.getLogger(__name__)

# What a busy server tells a client to wait before it asks again (Retry-After).
RETRY_AFTER_S = 2
TITLE_CHARS = 80


@dataclass(frozen=True)
class Piece:
    text: str
    logprobs: tuple[TokenLogprob, ...] | None


@dataclass(frozen=True)
class Finished:
    model: str
    reply: Reply
    conversation_id: int


Item = Piece | Finished | ApiError


def _title(request: ApiRequest) -> str:
    if request.endpoint == "completions":
        text = request.prompt
    else:
        text = next((m.content for m in reversed(request.messages) if m.role == "user"), "")
    line = " ".join(text.split())
    return line[: TITLE_CHARS - 1] + "…" if len(line) > TITLE_CHARS else line or "API request"


class ApiJob:
    def __init__(
        self,
        host: ModelHost,
        request: ApiRequest,
        emit: Callable[[Item], None],
        *,
        user_agent: str,
        queue_limit: int,
    ) -> None:
        self.host = host
        self.request = request
        self.emit = emit
        self.user_agent = user_agent
        self.queue_limit = queue_limit
        self.stop = threading.Event()
        # Whether this job's reply is the one the engine is generating: only then may a
        # cancel reach the engine (which another job may be using otherwise).
        self._generating = False
        self._lock = threading.Lock()
        self.thread = threading.Thread(
            target=self._run, name="desktop-llm api request", daemon=True
        )

    def start(self) -> ApiJob:
        self.thread.start()
        return self

    def cancel(self) -> None:
        """The client went away: stop at once (or never start). Safe from any thread."""
        self.stop.set()
        with self._lock:
            if self._generating:
                self.host.engine.cancel()

    def _run(self) -> None:
        try:
            with self.host.in_use("api", limit=self.queue_limit, abandon=self.stop):
                self._answer()
        except TurnAbandoned:  # the client left while it waited: it leaves the line at once
            self.emit(ApiError(499, "The client closed the request.", code="cancelled"))
        except EngineBusy as exc:
            self.emit(
                ApiError(
                    429,
                    f"The model is busy: {exc.waiting} requests are waiting. Try again shortly.",
                    code="queue_full",
                    headers={"Retry-After": str(RETRY_AFTER_S)},
                )
            )
        except ApiError as exc:
            self.emit(exc)
        except Exception as exc:  # the client must hear something; the log gets the trace
            log.exception("an API request failed")
            self.emit(ApiError(500, f"The server failed: {exc}", code="internal_error"))

    def _model(self) -> str:
        host = self.host
        name = self.request.model
        # Only the models GET /v1/models lists: never a path, which would let a client make
        # the app read any file on this computer.
        listed = name in {m.name for m in host.registry.list()}
        if not listed and host.remote_engines.model_named(name) is None:
            raise ApiError(
                404,
                f"The model '{name}' does not exist: GET /v1/models lists the models.",
                code="model_not_found",
                param="model",
            )
        try:  # resolves the exact name listed above: a failure here is the load's
            for _event in host.prepare(name):
                pass
        except UserError as exc:
            raise ApiError(503, str(exc), code="model_not_loaded") from None
        return name

    def _answer(self) -> None:
        request = self.request
        host, store = self.host, self.host.store
        name = self._model()
        model = host.current
        system = "\n\n".join(m.content for m in request.messages if m.role == "system") or None
        conversation = store.create_conversation(
            _title(request),
            task="api",
            model=name,
            system_prompt=system,
            options={
                "endpoint": request.endpoint,
                "user_agent": self.user_agent,
                "remote": isinstance(model, RemoteModel),
            },
        )
        if request.endpoint == "chat":
            messages = list(request.messages)
            for message in messages:
                if message.role != "system":
                    store.add_message(conversation.id, message.role, message.content)
        else:
            messages = [ChatMessage("user", request.prompt)]
            store.add_message(conversation.id, "user", request.prompt)
        reply_row = store.start_reply(conversation.id)
        reply = _run_to_end(
            host.stream_reply(
                reply_row.id,
                messages,
                request.params,
                self.stop,
                wrap=lambda token: self.emit(Piece(token.text, token.logprobs)),
                source=self._source,
            )
        )
        if reply.error_kind == "context_overflow":
            raise ApiError(413, reply.error or "", code="context_length_exceeded")
        if reply.status == "error" and reply.done is None and not reply.text:
            raise ApiError(400, reply.error or "", code="invalid_request")
        self.emit(Finished(name, reply, conversation.id))

    def _source(self) -> Iterator[Token | Done]:
        engine = self.host.engine
        request = self.request
        with self._lock:
            self._generating = True
        try:
            if request.endpoint == "chat":
                yield from engine.generate(request.messages, request.params, fit_history=False)
            else:
                yield from engine.complete(request.prompt, request.params)
        finally:
            with self._lock:
                self._generating = False


def _run_to_end(replies: Generator[object, None, Reply]) -> Reply:
    """stream_reply run through (what it yields went to the client through `wrap`), and the
    Reply it returns."""
    while True:
        try:
            next(replies)
        except StopIteration as stop:
            return stop.value
