"""The harness of the remote-engine tests, checked with the official `openai` client and httpx2:
llama-cpp-python's real server on the starter model, and the fault proxy in front of it
(tests/helpers/openai_server.py). The app's own remote-engine tests rely on each behaviour here.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx2
import openai
import pytest

from tests.helpers.openai_server import (
    FaultProxy,
    RunningServer,
    free_port,
    run_llama_server,
)

pytestmark = pytest.mark.model

CHAT = {
    "model": "smol",
    "messages": [{"role": "user", "content": "Name three colours."}],
    "max_tokens": 12,
    "temperature": 0.0,
    "seed": 42,
}


@pytest.fixture
def client() -> Iterator[Callable[..., openai.OpenAI]]:
    """Makes the official client, without retries (a test sees each answer the proxy gives);
    the clients (and their connections) are closed after the test."""
    made: list[openai.OpenAI] = []

    def make(base_url: str, *, api_key: str = "test-key", read: float = 30.0) -> openai.OpenAI:
        c = openai.OpenAI(
            base_url=base_url,
            api_key=api_key,
            max_retries=0,
            timeout=httpx2.Timeout(30.0, read=read),
        )
        made.append(c)
        return c

    yield make
    for c in made:
        c.close()


def streamed_text(c: openai.OpenAI) -> tuple[str, int]:
    """The streamed reply's text and how many chunks carried it."""
    parts = []
    with c.chat.completions.create(stream=True, **CHAT) as stream:
        for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content:
                parts.append(chunk.choices[0].delta.content)
    return "".join(parts), len(parts)


def sse_events(response: httpx2.Response) -> Iterator[str]:
    """The `data:` payloads of a streamed answer, as they arrive."""
    for line in response.iter_lines():
        if line.startswith("data:"):
            yield line[len("data:") :].strip()


# -- the server and pass mode ---------------------------------------------------------------


def test_the_server_lists_its_model_directly_and_through_the_proxy(
    llama_server: RunningServer, fault_proxy: FaultProxy, client: Callable[..., openai.OpenAI]
) -> None:
    assert llama_server.base_url == f"http://127.0.0.1:{llama_server.port}/v1"
    assert [m.id for m in client(llama_server.base_url).models.list()] == ["smol"]
    assert [m.id for m in client(fault_proxy.base_url).models.list()] == ["smol"]

    (seen,) = fault_proxy.requests
    assert (seen.method, seen.path, seen.mode) == ("GET", "/v1/models", "pass")
    assert seen.authorization == "Bearer test-key"
    assert seen.json is None


def test_a_streamed_chat_through_the_proxy_equals_the_direct_one(
    llama_server: RunningServer, fault_proxy: FaultProxy, client: Callable[..., openai.OpenAI]
) -> None:
    # The server keeps its prompt cache: a request repeated right after itself re-uses the
    # prompt evaluated the first time, which can change the greedy reply of a first one. So
    # the two compared both come after the same request.
    streamed_text(client(llama_server.base_url))
    direct, direct_chunks = streamed_text(client(llama_server.base_url))
    proxied, proxied_chunks = streamed_text(client(fault_proxy.base_url))
    assert direct.strip()
    assert proxied == direct
    assert proxied_chunks == direct_chunks > 1  # streamed, not gathered into one

    (seen,) = fault_proxy.requests
    assert (seen.method, seen.path) == ("POST", "/v1/chat/completions")
    assert seen.json["stream"] is True
    assert seen.json["model"] == "smol"
    assert seen.json["messages"] == CHAT["messages"]
    assert seen.json["seed"] == 42


def test_the_proxy_forwards_events_as_they_arrive(fault_proxy: FaultProxy) -> None:
    # The first event reaches the client before the server has finished (a 64-token answer
    # of the starter model takes a good part of a second here): nothing is buffered whole.
    body = {**CHAT, "max_tokens": 64, "stream": True}
    started = time.monotonic()
    with httpx2.stream("POST", f"{fault_proxy.base_url}/chat/completions", json=body) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        events = sse_events(r)
        next(events)
        first = time.monotonic() - started
        rest = list(events)
        total = time.monotonic() - started
    assert rest[-1] == "[DONE]"
    assert len(rest) > 10
    assert first < total / 2, (first, total)


def test_logprobs_and_top_logprobs_come_back(
    fault_proxy: FaultProxy, client: Callable[..., openai.OpenAI]
) -> None:
    c = client(fault_proxy.base_url)
    reply = c.chat.completions.create(logprobs=True, top_logprobs=3, **CHAT)
    content = reply.choices[0].logprobs.content
    assert content, "no logprobs in the answer"
    first = content[0]
    assert first.logprob <= 0.0
    assert len(first.top_logprobs) == 3
    assert first.token in [t.token for t in first.top_logprobs]
    assert reply.usage.prompt_tokens > 0
    assert reply.usage.completion_tokens == len(content)

    # Streamed too: each chunk with content carries its token's logprobs.
    with c.chat.completions.create(stream=True, logprobs=True, top_logprobs=2, **CHAT) as s:
        chunks = [ch for ch in s if ch.choices and ch.choices[0].delta.content]
    assert chunks
    assert all(len(ch.choices[0].logprobs.content[0].top_logprobs) == 2 for ch in chunks)


def test_the_tokenizer_endpoints_answer(fault_proxy: FaultProxy) -> None:
    text = "Bonjour tout le monde, comment allez-vous ?"
    tokens = httpx2.post(f"{fault_proxy.root_url}/extras/tokenize", json={"input": text})
    count = httpx2.post(f"{fault_proxy.root_url}/extras/tokenize/count", json={"input": text})
    assert tokens.status_code == count.status_code == 200
    assert count.json()["count"] == len(tokens.json()["tokens"]) > 5
    assert fault_proxy.requests[-1].json == {"input": text}


# -- faults ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "error"),
    [
        (401, openai.AuthenticationError),
        (404, openai.NotFoundError),
        (500, openai.InternalServerError),
        (503, openai.InternalServerError),
    ],
)
def test_status_answers_every_request_with_an_openai_error(
    fault_proxy: FaultProxy,
    code: int,
    error: type[openai.APIStatusError],
    client: Callable[..., openai.OpenAI],
) -> None:
    c = client(fault_proxy.base_url)
    fault_proxy.status(code)
    with pytest.raises(error) as raised:
        c.models.list()
    assert raised.value.status_code == code
    with pytest.raises(error):
        c.chat.completions.create(**CHAT)
    with pytest.raises(error):
        c.chat.completions.create(stream=True, **CHAT)
    body = raised.value.body
    assert isinstance(body, dict) and body["message"], body  # the client unwraps "error"
    assert [r.mode for r in fault_proxy.requests] == ["status"] * 3

    fault_proxy.passthrough()
    assert [m.id for m in c.models.list()] == ["smol"]


def test_status_with_a_message_only_for_a_path_and_a_number_of_times(
    fault_proxy: FaultProxy, client: Callable[..., openai.OpenAI]
) -> None:
    c = client(fault_proxy.base_url)
    fault_proxy.status(404, "The model `nope` does not exist.", only="/v1/chat", times=1)
    assert [m.id for m in c.models.list()] == ["smol"]  # not under /v1/chat: passed
    with pytest.raises(openai.NotFoundError, match="`nope` does not exist"):
        c.chat.completions.create(**CHAT)
    assert c.chat.completions.create(**CHAT).choices[0].message.content  # used up
    assert fault_proxy.mode == "pass"


def test_drop_after_forwards_n_events_then_cuts_the_connection(
    fault_proxy: FaultProxy, client: Callable[..., openai.OpenAI]
) -> None:
    fault_proxy.drop_after(3)
    received = []
    body = {**CHAT, "stream": True}
    with (
        pytest.raises(httpx2.RemoteProtocolError),
        httpx2.stream("POST", f"{fault_proxy.base_url}/chat/completions", json=body) as r,
    ):
        assert r.status_code == 200
        received.extend(sse_events(r))
    assert len(received) == 3
    assert all(json.loads(e)["object"] == "chat.completion.chunk" for e in received)

    # The official client: a connection error, after the chunks that came.
    c = client(fault_proxy.base_url)
    texts = []
    with pytest.raises(openai.APIConnectionError):  # noqa: SIM117
        with c.chat.completions.create(stream=True, **CHAT) as stream:
            for chunk in stream:
                if chunk.choices and chunk.choices[0].delta.content:
                    texts.append(chunk.choices[0].delta.content)
    assert texts  # a partial reply

    # Not streamed: the whole JSON answer counts as one event, so it passes; at 0 it is cut.
    assert c.chat.completions.create(**CHAT).choices[0].message.content
    fault_proxy.drop_after(0)
    with pytest.raises(openai.APIConnectionError):
        c.models.list()


def test_silence_after_holds_the_connection_until_told_otherwise(
    fault_proxy: FaultProxy, client: Callable[..., openai.OpenAI]
) -> None:
    fault_proxy.silence_after(2)
    c = client(fault_proxy.base_url, read=1.0)
    started = time.monotonic()
    texts = []
    with pytest.raises(openai.APITimeoutError):  # noqa: SIM117
        with c.chat.completions.create(stream=True, **CHAT) as stream:
            for chunk in stream:
                if chunk.choices and chunk.choices[0].delta.content:
                    texts.append(chunk.choices[0].delta.content)
    assert time.monotonic() - started < 10
    assert len(texts) == 1  # the role chunk, then one with content: then nothing
    assert fault_proxy.held == 1  # still held after the client gave up

    # Told otherwise (pass): a held answer goes on where it stopped, to its end.
    fault_proxy.passthrough()
    fault_proxy.silence_after(1)
    body = {**CHAT, "stream": True}

    def release() -> None:
        if fault_proxy.wait_held(1, timeout=30):
            fault_proxy.passthrough()

    releaser = threading.Thread(target=release)
    releaser.start()
    with httpx2.stream(
        "POST", f"{fault_proxy.base_url}/chat/completions", json=body, timeout=30
    ) as r:
        events = list(sse_events(r))
    releaser.join()
    assert events[-1] == "[DONE]"
    assert len(events) > 3


def test_silence_before_any_answer_makes_a_read_timeout(fault_proxy: FaultProxy) -> None:
    fault_proxy.silence_after(0)
    with pytest.raises(httpx2.ReadTimeout):
        httpx2.get(f"{fault_proxy.base_url}/models", timeout=httpx2.Timeout(5.0, read=0.5))
    assert fault_proxy.wait_held(1, timeout=5)


def test_refuse_resets_connections_at_once(
    fault_proxy: FaultProxy, client: Callable[..., openai.OpenAI]
) -> None:
    fault_proxy.refuse()
    c = client(fault_proxy.base_url)
    started = time.monotonic()
    with pytest.raises(openai.APIConnectionError):
        c.models.list()
    with pytest.raises(openai.APIConnectionError):
        c.chat.completions.create(stream=True, **CHAT)
    assert time.monotonic() - started < 5
    assert [r.mode for r in fault_proxy.requests] == ["refuse", "refuse"]
    fault_proxy.passthrough()
    assert [m.id for m in c.models.list()] == ["smol"]


def test_a_proxy_in_front_of_no_server_fails_the_connection(
    client: Callable[..., openai.OpenAI],
) -> None:
    with FaultProxy(f"http://127.0.0.1:{free_port()}/v1") as proxy:
        with pytest.raises(openai.APIConnectionError):
            client(proxy.base_url).models.list()
        assert [r.path for r in proxy.requests] == ["/v1/models"]


# -- the server's own API key and start-up -----------------------------------------------------


def test_the_server_honours_its_api_key(
    starter_model: Path, tmp_path: Path, client: Callable[..., openai.OpenAI]
) -> None:
    with run_llama_server(starter_model, api_key="sesame", log=tmp_path / "server.log") as s:
        with pytest.raises(openai.AuthenticationError):
            client(s.base_url, api_key="wrong").models.list()
        no_key = httpx2.get(f"{s.base_url}/models")
        assert no_key.status_code == 401
        denied = httpx2.post(f"{s.root_url}/extras/tokenize/count", json={"input": "hi"})
        assert denied.status_code == 401
        assert [m.id for m in client(s.base_url, api_key="sesame").models.list()] == ["smol"]
    assert s.process.returncode is not None  # stopped and waited for
    assert "Uvicorn running" in (tmp_path / "server.log").read_text()


def test_a_server_that_cannot_start_fails_in_words_with_its_log(tmp_path: Path) -> None:
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"not a model at all")
    started = time.monotonic()
    with (
        pytest.raises(RuntimeError, match=r"exited with .* before serving") as raised,
        run_llama_server(broken, log=tmp_path / "server.log", timeout=60),
    ):
        pass
    assert time.monotonic() - started < 30
    assert "broken.gguf" in str(raised.value)  # the log's tail names the file it failed on
