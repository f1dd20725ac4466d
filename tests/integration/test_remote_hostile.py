"""A hostile or broken server behind a remote engine: whatever it sends, the app ends the
request in words, within bounds of time and memory, keeping the text it had; and a server
that lacks what llama_cpp.server has (logprobs) is used without inventing them.

The server here is a real HTTP server on 127.0.0.1 that answers /v1/models properly and
then misbehaves on /v1/chat/completions in the way each test names (the real
llama_cpp.server cannot be made to do these things; tests/integration/test_remote_engines.py
covers the faults a proxy in front of the real server can make)."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psutil
import pytest

from desktop_llm.core.engine import remote
from desktop_llm.core.engine.client import EngineError
from desktop_llm.core.engine.protocol import ChatMessage, Done, LoadSpec, SamplingParams, Token
from desktop_llm.core.engine.remote import RemoteEngine, RemoteFailed
from desktop_llm.core.tasks import sentiment as senti

Behaviour = Callable[[BaseHTTPRequestHandler], None]


def _chunk(text: str) -> bytes:
    data = {"choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}]}
    return f"data: {json.dumps(data)}\n\n".encode()


def _sse_head(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/event-stream")
    handler.end_headers()


@pytest.fixture
def hostile() -> Iterator[Callable[[Behaviour], str]]:
    servers: list[ThreadingHTTPServer] = []

    def start(behaviour: Behaviour) -> str:
        class Handler(BaseHTTPRequestHandler):
            last_body = b""

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                if self.path == "/v1/models":
                    body = json.dumps({"data": [{"id": "m", "object": "model"}]}).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                else:
                    self.send_error(404)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.last_body = self.rfile.read(length)
                if self.path == "/v1/chat/completions":
                    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                        behaviour(self)
                else:
                    self.send_error(404)

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/v1"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _engine(url: str, silence: float = 5.0) -> RemoteEngine:
    engine = RemoteEngine("hostile", url, silence_timeout_s=silence)
    engine.load(LoadSpec("m"))
    return engine


def _run(engine: RemoteEngine) -> tuple[str, Exception | None, Done | None]:
    text, done = "", None
    try:
        for event in engine.generate([ChatMessage("user", "hi")], SamplingParams(max_tokens=8)):
            if isinstance(event, Token):
                text += event.text
            else:
                done = event
    except (EngineError, RemoteFailed) as exc:
        return text, exc, done
    return text, None, done


def test_an_event_without_end_is_cut_at_the_bound(hostile) -> None:
    def endless_line(h: BaseHTTPRequestHandler) -> None:
        _sse_head(h)
        h.wfile.write(_chunk("Hello"))
        h.wfile.write(b"data: " + b"x" * (remote.MAX_EVENT_BYTES * 3))

    engine = _engine(hostile(endless_line))
    rss = psutil.Process().memory_info().rss
    text, error, _ = _run(engine)
    assert text == "Hello"  # what came before is kept
    assert isinstance(error, RemoteFailed) and "larger than the app accepts" in str(error)
    assert psutil.Process().memory_info().rss - rss < 100 * 2**20


def test_a_reply_without_end_is_cut_at_the_bound(hostile, monkeypatch) -> None:
    monkeypatch.setattr(remote, "MAX_REPLY_CHARS", 20_000)

    def endless(h: BaseHTTPRequestHandler) -> None:
        _sse_head(h)
        while True:
            h.wfile.write(_chunk("word " * 100))

    text, error, _ = _run(_engine(hostile(endless)))
    assert isinstance(error, RemoteFailed) and "more than the app accepts" in str(error)
    assert 19_000 < len(text) <= 20_500


def test_garbage_in_the_stream_is_said_in_words(hostile) -> None:
    def garbage(h: BaseHTTPRequestHandler) -> None:
        _sse_head(h)
        h.wfile.write(_chunk("Hi"))
        h.wfile.write(b"data: {not json\n\n")

    text, error, _ = _run(_engine(hostile(garbage)))
    assert text == "Hi"
    assert isinstance(error, RemoteFailed) and "OpenAI-compatible" in str(error)


def test_an_error_page_with_terminal_escapes_is_shown_cleaned_and_short(hostile) -> None:
    def error_page(h: BaseHTTPRequestHandler) -> None:
        body = b"\x1b[31mBOOM\x1b]0;owned\x07 " + b"y" * 5000
        h.send_response(502)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    _, error, _ = _run(_engine(hostile(error_page)))
    assert isinstance(error, EngineError)
    message = str(error)
    assert "HTTP 502" in message and "BOOM" in message
    assert "\x1b" not in message and "\x07" not in message and len(message) < 400


def test_a_stream_that_stops_without_saying_so_is_interrupted(hostile) -> None:
    def cut(h: BaseHTTPRequestHandler) -> None:
        _sse_head(h)
        h.wfile.write(_chunk("Part"))
        h.wfile.flush()
        h.close_connection = True

    text, error, _ = _run(_engine(hostile(cut)))
    assert text == "Part"
    assert isinstance(error, RemoteFailed) and "lost mid-reply" in str(error)


def test_silence_ends_the_request_within_its_limit_and_stop_is_immediate(hostile) -> None:
    release = threading.Event()

    def silent(h: BaseHTTPRequestHandler) -> None:
        _sse_head(h)
        h.wfile.write(_chunk("Wait"))
        h.wfile.flush()
        release.wait(30)

    url = hostile(silent)
    started = time.monotonic()
    text, error, _ = _run(_engine(url, silence=1.5))
    assert text == "Wait"
    assert isinstance(error, RemoteFailed) and "sent nothing for 2 s" in str(error)
    assert time.monotonic() - started < 6

    # Stop while the server says nothing: the stream is closed at once, the text kept.
    engine = _engine(url, silence=30)
    threading.Timer(0.5, engine.cancel).start()
    started = time.monotonic()
    text, error, done = _run(engine)
    release.set()
    assert error is None and done is not None
    assert done.stats.finish_reason == "cancelled" and text == "Wait"
    assert time.monotonic() - started < 3


def _json_answer(h: BaseHTTPRequestHandler, status: int, data: dict) -> None:
    body = json.dumps(data).encode()
    h.send_response(status)
    h.send_header("Content-Type", "application/json")
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body)


def test_a_server_without_logprobs_keeps_the_label_and_invents_no_probabilities(
    hostile,
) -> None:
    """A server that refuses logprobs (400) is asked again without them, and not again after;
    its label is kept and the probabilities stay unknown."""
    asked: list[bool] = []

    def no_logprobs(h: BaseHTTPRequestHandler) -> None:
        body = json.loads(h.last_body)
        asked.append("logprobs" in body)
        if "logprobs" in body:
            _json_answer(h, 400, {"error": {"message": "logprobs are not supported"}})
            return
        answer = {"role": "assistant", "content": "Negative."}
        _json_answer(
            h,
            200,
            {
                "choices": [{"index": 0, "message": answer, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 40, "completion_tokens": 2},
            },
        )

    engine = _engine(hostile(no_logprobs))
    messages = [ChatMessage("user", "The food was cold.")]
    labels = ("positive", "negative", "neutral")
    first = engine.classify(messages, labels, SamplingParams(max_tokens=3))
    second = engine.classify(messages, labels, SamplingParams(max_tokens=3))
    assert asked == [True, False, False]
    for result in (first, second):
        assert result.text == "Negative." and result.logprobs is None
        assert result.stats.prompt_tokens == 40

    probabilities = senti.probabilities(first.logprobs)
    assert senti.label_in(first.text, probabilities) == "negative"
    assert set(probabilities.values()) == {None}
