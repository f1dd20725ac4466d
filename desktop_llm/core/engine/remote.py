"""A remote engine: an OpenAI-compatible server (llama-server, vLLM, Ollama, LM Studio,
llama-cpp-python's server) that answers like the local inference process.

It implements interface.Engine over HTTP: chat streams over server-sent events (Stop closes
the stream), tokens are counted with the server's own tokenizer where it has one, labels are
scored from the reply's logprobs when the server returns them. Failures become the local
engine's two errors, in words: EngineError when the server refuses before a reply begins
(down, wrong key, unknown model), RemoteFailed (a WorkerDied, so a partial reply is kept as
interrupted) when a reply breaks off. Everything a server sends is bounded: a hostile or
broken one cannot fill the memory or hold the app forever.
"""

from __future__ import annotations

import contextlib
import json
import math
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from desktop_llm.core.display_text import terminal_text
from desktop_llm.core.engine.client import EngineError, WorkerDied
from desktop_llm.core.engine.protocol import (
    BAD_GRAMMAR,
    MAX_TOP_LOGPROBS,
    MESSAGE_TOO_LONG,
    NO_MODEL,
    TEXT_TOO_LONG,
    ChatMessage,
    Classified,
    Done,
    Failed,
    GenerationStats,
    Loaded,
    LoadSpec,
    Ready,
    SamplingParams,
    Token,
    TokenLogprob,
    reply_reserve,
)
from desktop_llm.core.http import httpx
from desktop_llm.core.i18n import arg, translate

# When the server does not say how long its context is (OpenAI's API has no field for it):
# llama-cpp-python's server starts with 2048 unless told otherwise, and a prompt planned for
# more than the server holds breaks its stream; a user with a longer one gives it per engine.
DEFAULT_CONTEXT = 2048
# How many alternatives per position a classification asks for (OpenAI allows up to 20).
TOP_LOGPROBS = 20
# Bounds on what a server may send: one event, one JSON answer, one reply's text.
MAX_EVENT_BYTES = 1 << 20
MAX_JSON_BYTES = 8 << 20
MAX_REPLY_CHARS = 4 << 20
# Characters per token when the server cannot count: conservative (UTF-8 bytes / 2 is over
# the real count for English, about 4 bytes a token, and for Chinese, 3 bytes a character and
# about one token a character), so pieces planned with it fit.
ESTIMATE_BYTES_PER_TOKEN = 2.0


class RemoteFailed(WorkerDied):
    """A reply from the server broke off (connection lost, silence, a server error mid-way):
    handled like the local process dying, so the text so far is kept as interrupted."""


class _SchemaFormRefused(Exception):
    """The server refused OpenAI's response_format json_schema before replying."""


def estimate_tokens(text: str) -> int:
    return math.ceil(len(text.encode("utf-8")) / ESTIMATE_BYTES_PER_TOKEN)


def _short(text: str, limit: int = 200) -> str:
    """A server's own words, made safe to show: control characters out, cut to a length."""
    text = terminal_text(text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class EngineCheck:
    """What a connection test found (RemoteEngine.check)."""

    model_ids: tuple[str, ...]
    model_id: str | None  # the model tried; None when the server serves none
    tokenizer: bool | None  # counts tokens itself (else estimated); None: not tried
    logprobs: bool | None  # returns log-probabilities (sentiment's); None: not tried
    connect_ms: float


class RemoteEngine:
    """One remote server and the model of it in use (engine, by its base URL)."""

    kind = "remote"

    def __init__(
        self,
        name: str,
        url: str,
        *,
        api_key: str | None = None,
        connect_timeout_s: float = 5.0,
        silence_timeout_s: float = 60.0,
        context_length: int | None = None,
        verify: bool | str = True,
    ) -> None:
        self.name = name
        self.url = url.rstrip("/")
        self.root = self.url[: -len("/v1")] if self.url.endswith("/v1") else self.url
        self.context_length = context_length
        self.silence_timeout_s = silence_timeout_s
        headers = {"User-Agent": "desktop-llm"}
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        timeout = httpx.Timeout(silence_timeout_s, connect=connect_timeout_s)
        # TLS is verified (verify=True, the system's certificates), always: a CA bundle's
        # path may be given for a private CA, never "off".
        self._http = httpx.Client(
            headers=headers, timeout=timeout, verify=verify, follow_redirects=False
        )
        self.host = httpx.URL(self.url).netloc.decode("ascii", "replace")
        self.ready: Ready | None = None
        self.loaded: Loaded | None = None
        self.tokens_estimated = False
        self._tokenizer: str | None = None  # which endpoint counts: see _find_tokenizer
        self._no_logprobs = False  # the server refused logprobs once: not asked again
        # How a JSON schema is asked for: OpenAI's response_format {"type": "json_schema"}
        # first; a server that refuses it (llama-cpp-python's answers 500, a validation
        # error, where others say 400 or 422) gets llama-cpp-python's own form,
        # {"type": "json_object", "schema": ...}, from then on.
        self._schema_in_json_object = False
        self._cancel = threading.Event()
        self._response_lock = threading.Lock()
        self._response: Any = None

    # --- the engine's life ------------------------------------------------------------------

    @property
    def alive(self) -> bool:
        return self.loaded is not None

    @property
    def pid(self) -> int | None:
        return None  # nothing runs on this machine for it

    def close(self) -> None:
        self.cancel()
        self.loaded = None
        self._http.close()

    def kill(self) -> None:
        self.cancel()
        self.loaded = None

    def unload(self) -> None:
        self.loaded = None

    def cancel(self) -> None:
        """Stop the request under way: its stream is closed (any thread)."""
        self._cancel.set()
        with self._response_lock:
            response = self._response
        if response is not None:
            # A reader blocked on a silent server wakes only when its socket is shut down
            # (closing the response from here does not reach a read under way).
            with contextlib.suppress(Exception):
                stream = response.extensions.get("network_stream")
                sock = stream.get_extra_info("socket") if stream is not None else None
                if sock is not None:
                    sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(Exception):
                response.close()

    # --- HTTP -------------------------------------------------------------------------------

    def _refusal(self, exc: Exception) -> EngineError:
        """An error before any reply: the words for what went wrong."""
        if isinstance(exc, httpx.ConnectTimeout | httpx.ConnectError):
            reason = _short(str(exc)) or type(exc).__name__
            if "CERTIFICATE" in reason.upper() or "SSL" in reason.upper():
                text = arg(
                    translate(
                        "RemoteEngine",
                        "The server at %1 has a certificate that could not be verified: %2",
                    ),
                    self.host,
                    reason,
                )
            else:
                text = arg(
                    translate(
                        "RemoteEngine",
                        "The server at %1 cannot be reached (%2). Is it running, and is the "
                        "address right?",
                    ),
                    self.host,
                    reason,
                )
        elif isinstance(exc, httpx.TimeoutException):
            text = self._silence_words()
        else:
            text = arg(
                translate("RemoteEngine", "The connection to %1 failed: %2"),
                self.host,
                _short(str(exc)) or type(exc).__name__,
            )
        return EngineError(Failed("not_loaded", text))

    def _silence_words(self) -> str:
        return arg(
            translate(
                "RemoteEngine",
                "The server at %1 sent nothing for %2 s, so the request was ended.",
            ),
            self.host,
            f"{self.silence_timeout_s:.0f}",
        )

    def _status_error(self, status: int, body: bytes, model: str | None = None) -> EngineError:
        message = _error_message(body)
        if status in (401, 403):
            text = arg(
                translate(
                    "RemoteEngine",
                    "The server at %1 refused the API key (HTTP %2). Check the key this "
                    "engine uses.",
                ),
                self.host,
                status,
            )
        elif status == 404 and model is not None:
            text = arg(
                translate("RemoteEngine", "The server at %1 has no model named %2 (HTTP 404)."),
                self.host,
                model,
            )
        elif status == 404:
            text = arg(
                translate(
                    "RemoteEngine",
                    "The server at %1 has no such address (HTTP 404): is the URL's path "
                    "right (usually /v1)?",
                ),
                self.host,
            )
        else:
            text = arg(
                translate("RemoteEngine", "The server at %1 answered with an error (HTTP %2): %3"),
                self.host,
                status,
                message or "—",
            )
        kind = "context_overflow" if status == 400 and "context" in message.lower() else "internal"
        return EngineError(Failed(kind, text))

    def _json(self, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
        """A whole JSON answer, bounded in size; EngineError in words otherwise."""
        self._cancel.clear()
        try:
            with self._http.stream(method, url, json=body) as response:
                with self._response_lock:
                    self._response = response
                data = bytearray()
                for chunk in response.iter_bytes():
                    data += chunk
                    if len(data) > MAX_JSON_BYTES:
                        raise EngineError(Failed("internal", self._too_big_words()))
                if response.status_code >= 400:
                    raise self._status_error(
                        response.status_code, bytes(data), (body or {}).get("model")
                    )
        except EngineError:
            raise
        except httpx.HTTPError as exc:
            if self._cancel.is_set():
                stopped = translate("Engine", "The reply was stopped.")
                raise WorkerDied(stopped, cancelled=True) from None
            raise self._refusal(exc) from None
        finally:
            with self._response_lock:
                self._response = None
        try:
            return json.loads(bytes(data))
        except ValueError:
            raise EngineError(Failed("internal", self._not_openai_words())) from None

    def _too_big_words(self) -> str:
        return arg(
            translate("RemoteEngine", "The server at %1 sent more than the app accepts."),
            self.host,
        )

    def _not_openai_words(self) -> str:
        return arg(
            translate(
                "RemoteEngine",
                "The server at %1 did not answer like an OpenAI-compatible server.",
            ),
            self.host,
        )

    # --- models -----------------------------------------------------------------------------

    def models(self) -> list[dict[str, Any]]:
        """The server's models (GET /models): each entry as the server gives it."""
        answer = self._json("GET", f"{self.url}/models")
        data = answer.get("data") if isinstance(answer, dict) else None
        if not isinstance(data, list):
            raise EngineError(Failed("internal", self._not_openai_words()))
        return [m for m in data if isinstance(m, dict) and isinstance(m.get("id"), str)]

    def check(
        self, model_id: str | None = None, stop: threading.Event | None = None
    ) -> EngineCheck:
        """Test the connection (blocks): list the models, then with `model_id` (else the
        first) learn whether the server counts tokens and returns log-probabilities.
        EngineError in words when it fails; `stop` set ends it between two requests."""
        started = time.perf_counter()
        ids = tuple(sorted({str(m["id"]) for m in self.models()}, key=str.casefold))
        connect_ms = (time.perf_counter() - started) * 1000
        model_id = model_id or (ids[0] if ids else None)
        if model_id is None or (stop is not None and stop.is_set()):
            return EngineCheck(ids, model_id, None, None, connect_ms)
        self.load(LoadSpec(model_path=model_id))
        if stop is not None and stop.is_set():
            return EngineCheck(ids, model_id, not self.tokens_estimated, None, connect_ms)
        body = {
            "model": model_id,
            "messages": [{"role": "user", "content": "Say yes."}],
            "max_tokens": 1,
            "temperature": 0.0,
            "logprobs": True,
            "top_logprobs": 5,
        }
        try:
            answer = self._json("POST", f"{self.url}/chat/completions", body)
        except EngineError as exc:
            if exc.kind == "not_loaded":  # a connection failure, not a refusal of logprobs
                raise
            logprobs = False
        else:
            choice = (answer.get("choices") or [None])[0] if isinstance(answer, dict) else None
            found = choice.get("logprobs") if isinstance(choice, dict) else None
            content = found.get("content") if isinstance(found, dict) else None
            logprobs = isinstance(content, list) and bool(content)
        return EngineCheck(ids, model_id, not self.tokens_estimated, logprobs, connect_ms)

    def load(self, spec: LoadSpec) -> Loaded:
        """'Load' the model spec.model_path names (its id on the server): check that the
        server serves it, learn its context length and how to count its tokens."""
        if self.loaded is not None and self.loaded.spec == spec:
            return self.loaded
        started = time.perf_counter()
        model_id = spec.model_path
        entries = {m["id"]: m for m in self.models()}
        if model_id not in entries:
            known = ", ".join(sorted(entries)[:10]) or "—"
            raise EngineError(
                Failed(
                    "bad_model",
                    arg(
                        translate(
                            "RemoteEngine", "The server at %1 has no model named %2. It serves: %3"
                        ),
                        self.host,
                        model_id,
                        known,
                    ),
                )
            )
        stated = self._context_of(entries[model_id])
        if stated and self.context_length:
            n_ctx = min(stated, self.context_length)  # the server's is the limit
        else:
            n_ctx = stated or self.context_length or DEFAULT_CONTEXT
        self._tokenizer = self._find_tokenizer(model_id)
        self.tokens_estimated = self._tokenizer is None
        self.loaded = Loaded(
            spec=spec,
            n_ctx=n_ctx,
            n_ctx_train=n_ctx,
            chat_template="server",
            device=arg(translate("RemoteEngine", "remote (%1)"), self.host),
            load_ms=(time.perf_counter() - started) * 1000,
        )
        return self.loaded

    def _context_of(self, entry: dict[str, Any]) -> int | None:
        """The context length where a server says it: vLLM's max_model_len, llama-server's
        /props; None elsewhere (the engine's setting, or DEFAULT_CONTEXT, then applies)."""
        for value in (entry.get("max_model_len"), entry.get("context_length")):
            if isinstance(value, int) and value > 0:
                return value
        try:
            props = self._json("GET", f"{self.root}/props")
        except (EngineError, WorkerDied):
            return None
        settings = props.get("default_generation_settings") if isinstance(props, dict) else None
        n_ctx = settings.get("n_ctx") if isinstance(settings, dict) else None
        return n_ctx if isinstance(n_ctx, int) and n_ctx > 0 else None

    # --- tokens -----------------------------------------------------------------------------

    def _find_tokenizer(self, model_id: str) -> str | None:
        """Which tokenizer endpoint answers: llama-cpp-python's /extras/tokenize/count,
        llama-server's /tokenize ({"content"}), vLLM's /tokenize ({"model", "prompt"})."""
        for kind in ("extras", "llama-server", "vllm"):
            try:
                count = self._count(kind, model_id, "hello")
            except (EngineError, WorkerDied):
                continue
            if count > 0:
                return kind
        return None

    def _count(self, kind: str, model_id: str, text: str) -> int:
        if kind == "extras":
            answer = self._json("POST", f"{self.root}/extras/tokenize/count", {"input": text})
        elif kind == "llama-server":
            answer = self._json("POST", f"{self.root}/tokenize", {"content": text})
        else:
            body = {"model": model_id, "prompt": text}
            answer = self._json("POST", f"{self.root}/tokenize", body)
        if isinstance(answer, dict):
            if isinstance(answer.get("count"), int):
                return answer["count"]
            if isinstance(answer.get("tokens"), list):
                return len(answer["tokens"])
        raise EngineError(Failed("internal", self._not_openai_words()))

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Token counts with the server's tokenizer, or estimated from the characters when it
        has none (tokens_estimated says which)."""
        if self.loaded is None:
            raise EngineError(Failed("not_loaded", NO_MODEL))
        if self._tokenizer is None:
            return [estimate_tokens(text) for text in texts]
        model_id = self.loaded.spec.model_path
        return [self._count(self._tokenizer, model_id, text) if text else 0 for text in texts]

    # --- replies ----------------------------------------------------------------------------

    def _sampling(self, params: SamplingParams) -> dict[str, Any]:
        """What chat and text completions share of a request's body."""
        assert self.loaded is not None
        body: dict[str, Any] = {
            "model": self.loaded.spec.model_path,
            "temperature": params.temperature,
            "top_p": params.top_p,
            "max_tokens": params.max_tokens,
        }
        if params.seed is not None:
            body["seed"] = params.seed
        if params.stop:
            body["stop"] = list(params.stop)
        if params.json_schema is not None:
            body["response_format"] = self._response_format(params.json_schema)
        return body

    def _response_format(self, json_schema: str) -> dict[str, Any]:
        try:
            schema = json.loads(json_schema)
        except ValueError as exc:
            raise EngineError(Failed("internal", arg(BAD_GRAMMAR, exc))) from None
        if self._schema_in_json_object:
            return {"type": "json_object", "schema": schema}
        return {"type": "json_schema", "json_schema": {"name": "reply", "schema": schema}}

    def _body(self, messages: Sequence[ChatMessage], params: SamplingParams) -> dict[str, Any]:
        body = {
            **self._sampling(params),
            "messages": [{"role": m.role, "content": m.content} for m in messages],
        }
        if params.logprobs is not None:
            body["logprobs"] = True
            body["top_logprobs"] = min(params.logprobs, MAX_TOP_LOGPROBS)
        return body

    def generate(
        self,
        messages: Sequence[ChatMessage],
        params: SamplingParams | None = None,
        *,
        reuse_prefix: bool = True,  # the server keeps its own cache
        fit_history: bool = True,
    ) -> Iterator[Token | Done]:
        """Stream a reply over server-sent events: Token events, then one Done.
        fit_history=False: a history that does not fit is refused, not shortened."""
        if self.loaded is None:
            raise EngineError(Failed("not_loaded", NO_MODEL))
        params = params or SamplingParams()
        messages, dropped = self._fit(messages, params, drop=fit_history)
        yield from self._reply(
            "chat/completions",
            lambda: self._body(messages, params),
            params,
            "\n".join(m.content for m in messages),
            dropped,
        )

    def complete(self, prompt: str, params: SamplingParams | None = None) -> Iterator[Token | Done]:
        """Continue a raw text over /completions (no chat template), streamed as generate()."""
        if self.loaded is None:
            raise EngineError(Failed("not_loaded", NO_MODEL))
        params = params or SamplingParams()
        limit = self.loaded.n_ctx - 1
        if estimate_tokens(prompt) > limit:
            size = self.count_tokens([prompt])[0]
            if size > limit:
                raise EngineError(
                    Failed("context_overflow", arg(TEXT_TOO_LONG, size, self.loaded.n_ctx))
                )

        def body() -> dict[str, Any]:
            sent = {**self._sampling(params), "prompt": prompt}
            if params.logprobs is not None:
                sent["logprobs"] = min(params.logprobs, MAX_TOP_LOGPROBS)
            return sent

        yield from self._reply("completions", body, params, prompt, 0)

    def _reply(
        self,
        endpoint: str,
        body: Callable[[], dict[str, Any]],
        params: SamplingParams,
        counted: str,
        dropped: int,
    ) -> Iterator[Token | Done]:
        """A streamed reply from `endpoint` ("chat/completions" or "completions"); the body
        built again when the server refused OpenAI's form of a JSON schema (then its own)."""
        try:
            yield from self._stream(endpoint, body(), params, counted, dropped)
        except _SchemaFormRefused:
            self._schema_in_json_object = True
            yield from self._stream(endpoint, body(), params, counted, dropped)

    def _stream(
        self,
        endpoint: str,
        body: dict[str, Any],
        params: SamplingParams,
        counted: str,
        dropped: int,
    ) -> Iterator[Token | Done]:
        chat = endpoint == "chat/completions"
        body = {
            **body,
            "stream": True,
            # Standard, and ignored by servers that do not know it (they send no usage).
            "stream_options": {"include_usage": True},
        }
        top_n = params.logprobs
        self._cancel.clear()
        started = time.perf_counter()
        first_at: float | None = None
        last_at = started
        pieces: list[str] = []
        size = 0
        chunks = 0
        usage: dict[str, Any] | None = None
        finish: str | None = None
        try:
            with self._http.stream("POST", f"{self.url}/{endpoint}", json=body) as response:
                with self._response_lock:
                    self._response = response
                if self._cancel.is_set():
                    response.close()
                if response.status_code >= 400:
                    refusal = _read_capped(response)
                    schema_form = (body.get("response_format") or {}).get("type")
                    if schema_form == "json_schema" and response.status_code not in (401, 403, 404):
                        raise _SchemaFormRefused
                    raise self._status_error(response.status_code, refusal, body["model"])
                for event in _events(response):
                    if event == "[DONE]":
                        break
                    try:
                        data = json.loads(event)
                    except ValueError:
                        raise RemoteFailed(self._not_openai_words()) from None
                    if not isinstance(data, dict):
                        continue
                    if isinstance(data.get("error"), dict | str):
                        raise RemoteFailed(
                            arg(
                                translate(
                                    "RemoteEngine", "The server at %1 stopped with an error: %2"
                                ),
                                self.host,
                                _error_message(json.dumps(data).encode()) or "—",
                            )
                        )
                    if isinstance(data.get("usage"), dict):
                        usage = data["usage"]
                    for choice in data.get("choices") or ():
                        if not isinstance(choice, dict):
                            continue
                        finish = choice.get("finish_reason") or finish
                        if chat:
                            delta = choice.get("delta") or {}
                            text = delta.get("content") if isinstance(delta, dict) else None
                        else:
                            text = choice.get("text")
                        if isinstance(text, str) and text:
                            now = time.perf_counter()
                            first_at = first_at or now
                            last_at = now
                            chunks += 1
                            size += len(text)
                            if size > MAX_REPLY_CHARS:
                                raise RemoteFailed(self._too_big_words())
                            pieces.append(text)
                            if top_n is None:
                                yield Token(text)
                            else:
                                yield Token(text, _chunk_logprobs(choice, chat, top_n))
                    if self._cancel.is_set():
                        break
        except (EngineError, RemoteFailed, _SchemaFormRefused):
            raise
        except (httpx.HTTPError, httpx.StreamError) as exc:
            if not self._cancel.is_set():
                raise self._broken_off(exc, bool(pieces)) from None
        except Exception:
            # A stream closed by cancel() from another thread may end its reader in ways
            # the HTTP library does not name; without a cancel it is a real error.
            if not self._cancel.is_set():
                raise
        finally:
            with self._response_lock:
                self._response = None
        cancelled = self._cancel.is_set()
        self._cancel.clear()
        if not cancelled and finish is None and not usage:
            # The stream ended without saying so: the connection was cut mid-reply.
            if not pieces:
                raise RemoteFailed(self._cut_before_words())
            raise RemoteFailed(
                arg(
                    translate("RemoteEngine", "The connection to %1 was lost mid-reply."),
                    self.host,
                )
            )
        text = "".join(pieces)
        completion = _usage_int(usage, "completion_tokens")
        prompt = _usage_int(usage, "prompt_tokens")
        if prompt is None and not cancelled:
            # No usage from this server: the messages' own tokens (its template's not).
            with contextlib.suppress(EngineError, WorkerDied):
                prompt = self.count_tokens([counted])[0]
        yield Done(
            text,
            GenerationStats(
                prompt_tokens=prompt if prompt is not None else 0,
                completion_tokens=completion if completion is not None else chunks,
                reused_prompt_tokens=0,
                ttft_ms=((first_at or last_at) - started) * 1000,
                duration_ms=(time.perf_counter() - started) * 1000,
                tokens_per_second=_rate(completion or chunks, first_at, last_at),
                finish_reason="cancelled"
                if cancelled
                else ("length" if finish == "length" else "stop"),
                dropped_messages=dropped,
            ),
        )

    def _fit(
        self, messages: Sequence[ChatMessage], params: SamplingParams, *, drop: bool = True
    ) -> tuple[list[ChatMessage], int]:
        """The history that fits the context with room for the reply, as the local worker
        keeps it: the system prompt and the last message stay, the oldest turns go first
        (drop=False: none go, a history that does not fit is refused).
        The character estimate (an upper bound) spares the tokenizer when all clearly fits."""
        assert self.loaded is not None
        budget = self.loaded.n_ctx - reply_reserve(self.loaded.n_ctx, params.max_tokens)
        kept = list(messages)
        # A few tokens of template per message: the same allowance for every server.
        overhead = 8
        if sum(estimate_tokens(m.content) + overhead for m in kept) <= budget:
            return kept, 0
        counts = self.count_tokens([m.content for m in kept])
        sizes = [n + overhead for n in counts]
        dropped = 0
        first = 1 if kept and kept[0].role == "system" else 0
        while drop and sum(sizes) > budget and len(kept) - first > 1:
            del kept[first], sizes[first]
            dropped += 1
        if sum(sizes) > budget:
            raise EngineError(
                Failed("context_overflow", arg(MESSAGE_TOO_LONG, sum(sizes), self.loaded.n_ctx))
            )
        return kept, dropped

    def _cut_before_words(self) -> str:
        """A stream cut before its first token: often a prompt longer than the server's
        context, which some servers do not say any other way."""
        assert self.loaded is not None
        return arg(
            translate(
                "RemoteEngine",
                "The server at %1 ended the reply before it began. A prompt longer than the "
                "server's context does this: this app plans for %2 tokens; if the server holds "
                "fewer, give its context length (desktop-llm engines add %3 --url URL "
                "--context-length N, or Settings → Engines).",
            ),
            self.host,
            self.loaded.n_ctx,
            self.name,
        )

    def _broken_off(self, exc: Exception, started: bool) -> Exception:
        """A transport error during a streamed request: before any text, the words of a
        refusal; after some, a RemoteFailed (the text so far is kept)."""
        if isinstance(exc, httpx.ReadTimeout):
            return RemoteFailed(self._silence_words())
        if not started and isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
            return self._refusal(exc)
        if not started:
            return RemoteFailed(self._cut_before_words())
        return RemoteFailed(
            arg(
                translate("RemoteEngine", "The connection to %1 was lost mid-reply (%2)."),
                self.host,
                _short(str(exc)) or type(exc).__name__,
            )
        )

    def classify(
        self,
        messages: Sequence[ChatMessage],
        candidates: Sequence[str],
        params: SamplingParams,
        *,
        reuse_prefix: bool = True,
    ) -> Classified:
        """One request: the reply, and each candidate's log-probability from the first
        token's top alternatives when the server returns logprobs (None when it does not:
        never made up)."""
        if self.loaded is None:
            raise EngineError(Failed("not_loaded", NO_MODEL))
        body = {**self._body(messages, params), "temperature": 0.0}
        if not self._no_logprobs:
            body |= {"logprobs": True, "top_logprobs": TOP_LOGPROBS}
        started = time.perf_counter()
        try:
            answer = self._json("POST", f"{self.url}/chat/completions", body)
        except EngineError:
            if self._no_logprobs:
                raise
            # Some servers refuse logprobs (400): ask once more without, and not again.
            body = {k: v for k, v in body.items() if k not in ("logprobs", "top_logprobs")}
            answer = self._json("POST", f"{self.url}/chat/completions", body)
            self._no_logprobs = True
        duration = (time.perf_counter() - started) * 1000
        choice = (answer.get("choices") or [None])[0] if isinstance(answer, dict) else None
        message = choice.get("message") if isinstance(choice, dict) else None
        text = message.get("content") if isinstance(message, dict) else None
        if not isinstance(text, str):
            raise EngineError(Failed("internal", self._not_openai_words()))
        usage = answer.get("usage")
        completion = _usage_int(usage, "completion_tokens")
        stats = GenerationStats(
            prompt_tokens=_usage_int(usage, "prompt_tokens") or 0,
            completion_tokens=completion if completion is not None else 1,
            reused_prompt_tokens=0,
            ttft_ms=duration,
            duration_ms=duration,
            tokens_per_second=None,
            finish_reason="length" if choice.get("finish_reason") == "length" else "stop",
        )
        return Classified(text[:MAX_REPLY_CHARS], _label_logprobs(choice, candidates), stats)


def _label_logprobs(choice: dict[str, Any], candidates: Sequence[str]) -> tuple[float, ...] | None:
    """Each candidate's probability as the reply's start, from the first token's top
    alternatives: a token that begins exactly one candidate (case and leading space aside)
    counts for it. None when the server sent no logprobs or none of them begins a candidate."""
    logprobs = choice.get("logprobs")
    content = logprobs.get("content") if isinstance(logprobs, dict) else None
    if not isinstance(content, list) or not content or not isinstance(content[0], dict):
        return None
    first = content[0]
    alternatives = first.get("top_logprobs") or [first]
    mass = [0.0] * len(candidates)
    seen: set[str] = set()
    for alt in alternatives:
        if not isinstance(alt, dict):
            continue
        token, lp = alt.get("token"), alt.get("logprob")
        if not isinstance(token, str) or not isinstance(lp, int | float) or token in seen:
            continue
        seen.add(token)
        piece = token.strip().casefold()
        if not piece or not math.isfinite(lp):
            continue
        matches = [i for i, c in enumerate(candidates) if c.casefold().startswith(piece)]
        if len(matches) == 1:
            mass[matches[0]] += math.exp(lp)
    if not any(mass):
        return None
    return tuple(math.log(m) if m > 0 else -math.inf for m in mass)


def _chunk_logprobs(
    choice: dict[str, Any], chat: bool, top_n: int
) -> tuple[TokenLogprob, ...] | None:
    """The logprobs a streamed chunk carries, in either of OpenAI's shapes: chat's
    {"content": [{"token", "logprob", "top_logprobs": [{"token", "logprob"}]}]}, text
    completions' {"tokens", "token_logprobs", "top_logprobs": [{token: logprob}]}. None when
    the server sent none; entries not shaped so are left out."""
    found = choice.get("logprobs")
    if not isinstance(found, dict):
        return None
    entries: list[tuple[Any, Any, list[tuple[Any, Any]]]] = []
    if chat:
        content = found.get("content")
        if not isinstance(content, list):
            return None
        for item in content:
            if isinstance(item, dict):
                alts = item.get("top_logprobs")
                pairs = [
                    (a.get("token"), a.get("logprob"))
                    for a in (alts if isinstance(alts, list) else ())
                    if isinstance(a, dict)
                ]
                entries.append((item.get("token"), item.get("logprob"), pairs))
    else:
        tokens, values = found.get("tokens"), found.get("token_logprobs")
        tops = found.get("top_logprobs")
        if not isinstance(tokens, list) or not isinstance(values, list):
            return None
        tops = tops if isinstance(tops, list) else []
        for i, (token, value) in enumerate(zip(tokens, values, strict=False)):
            alts = tops[i] if i < len(tops) else None
            entries.append((token, value, list(alts.items()) if isinstance(alts, dict) else []))
    result = []
    for token, value, pairs in entries:
        if not isinstance(token, str) or not _is_logprob(value):
            continue
        top = sorted(
            ((t, float(lp)) for t, lp in pairs if isinstance(t, str) and _is_logprob(lp)),
            key=lambda pair: -pair[1],
        )
        result.append(TokenLogprob(token, float(value), tuple(top[:top_n])))
    return tuple(result)


def _is_logprob(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value <= 0


def _events(response: Any) -> Iterator[str]:
    """The data of each server-sent event, each line bounded in size."""
    data: list[str] = []
    for line in _lines(response):
        if not line:
            if data:
                yield "\n".join(data)
                data = []
        elif line.startswith("data:"):
            data.append(line[5:].lstrip(" "))
    if data:
        yield "\n".join(data)


def _lines(response: Any) -> Iterator[str]:
    buffer = b""
    for chunk in response.iter_bytes():
        buffer += chunk
        while True:
            cut = buffer.find(b"\n")
            if cut < 0:
                break
            line, buffer = buffer[:cut], buffer[cut + 1 :]
            yield line.rstrip(b"\r").decode("utf-8", "replace")
        if len(buffer) > MAX_EVENT_BYTES:
            raise RemoteFailed(
                translate("RemoteEngine", "The server sent an event larger than the app accepts.")
            )
    if buffer:
        yield buffer.rstrip(b"\r").decode("utf-8", "replace")


def _read_capped(response: Any) -> bytes:
    data = b""
    for chunk in response.iter_bytes():
        data += chunk
        if len(data) > 64 * 1024:
            break
    return data


def _error_message(body: bytes) -> str:
    """The message of an OpenAI-shaped error ({"error": {"message"}}), or the text."""
    try:
        data = json.loads(body)
    except ValueError:
        return _short(body[:400].decode("utf-8", "replace"))
    if isinstance(data, dict):
        error = data.get("error", data.get("detail"))
        if isinstance(error, dict):
            error = error.get("message")
        if isinstance(error, str):
            return _short(error)
    return ""


def _usage_int(usage: Any, key: str) -> int | None:
    value = usage.get(key) if isinstance(usage, dict) else None
    return value if isinstance(value, int) and value >= 0 else None


def _rate(tokens: int, first_at: float | None, last_at: float) -> float | None:
    if first_at is None or tokens < 2 or last_at <= first_at:
        return None
    return (tokens - 1) / (last_at - first_at)
