"""The local OpenAI-compatible server (core/server) with the real starter model, called with
the official `openai` client (and curl for the raw server-sent events): what the app answers,
what it logs and meters, and how it treats clients that misbehave or go away."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx2
import openai
import pytest

from desktop_llm.core.server.runner import LocalServer, ServerOptions
from desktop_llm.core.services import Services, open_services
from tests.helpers.gguf_factory import write_tiny_gguf
from tests.helpers.openai_server import RunningServer

pytestmark = pytest.mark.model

KEY = "sk-test-local-key"


@pytest.fixture
def services(home: Path, starter_model: Path) -> Iterator[Services]:
    opened = open_services()
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def serve(services: Services) -> Iterator[Callable[..., LocalServer]]:
    """Starts the server over the test's services (a free port); stopped after the test."""
    started: list[LocalServer] = []

    def start(**options: object) -> LocalServer:
        server = LocalServer(
            services.host,
            ServerOptions(**{"port": 0, "api_key": KEY, **options}),  # type: ignore[arg-type]
        )
        server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def server(serve: Callable[..., LocalServer]) -> LocalServer:
    return serve()


def client_for(server: LocalServer, key: str = KEY, read: float = 60.0) -> openai.OpenAI:
    return openai.OpenAI(
        base_url=server.url,
        api_key=key,
        max_retries=0,
        timeout=httpx2.Timeout(30.0, read=read),
    )


@pytest.fixture
def client(server: LocalServer) -> Iterator[openai.OpenAI]:
    c = client_for(server)
    yield c
    c.close()


def model_name(services: Services) -> str:
    return services.registry.list()[0].name


def test_models_are_listed_by_the_names_models_list_gives(
    services: Services, client: openai.OpenAI
) -> None:
    ids = [m.id for m in client.models.list()]
    assert ids == [m.name for m in services.registry.list()]
    assert client.models.retrieve(ids[0]).id == ids[0]


def test_a_chat_answer_carries_its_energy_and_is_logged(
    services: Services, client: openai.OpenAI
) -> None:
    raw = client.chat.completions.with_raw_response.create(
        model=model_name(services),
        messages=[
            {"role": "system", "content": "You answer briefly."},
            {"role": "user", "content": "用一句话介绍长城。"},
        ],
        max_tokens=16,
        temperature=0,
        extra_headers={"User-Agent": "test-agent/1.0"},
    )
    answer = raw.parse()
    text = answer.choices[0].message.content
    assert text and answer.choices[0].finish_reason in ("stop", "length")
    usage = answer.model_dump()["usage"]
    assert usage["completion_tokens"] > 0 and usage["prompt_tokens"] > 0
    energy = usage["energy"]
    assert energy["joules"] > 0 and energy["carbon_g"] > 0
    assert energy["source"] and isinstance(energy["measured"], bool)
    assert float(raw.headers["X-Energy-Joules"]) == pytest.approx(energy["joules"], rel=1e-5)
    # Logged as an `api` conversation, with the client's user agent and the reply's record.
    (conversation,) = services.store.list_conversations(task="api")
    assert conversation.options["user_agent"] == "test-agent/1.0"
    assert conversation.system_prompt == "You answer briefly."
    messages = services.store.messages(conversation.id)
    assert [m.role for m in messages] == ["user", "assistant"]
    assert messages[0].content == "用一句话介绍长城。"
    assert messages[1].content == text and messages[1].status == "complete"
    stored = services.store.energy_for(messages[1].id)
    assert stored is not None and stored.joules_attributed == pytest.approx(energy["joules"])


def test_a_streamed_chat_ends_with_the_usage_and_energy_when_asked(
    services: Services, client: openai.OpenAI
) -> None:
    pieces, usage = [], None
    stream = client.chat.completions.create(
        model=model_name(services),
        messages=[{"role": "user", "content": "Count from one to five."}],
        max_tokens=20,
        temperature=0,
        stream=True,
        stream_options={"include_usage": True},
    )
    for chunk in stream:
        if chunk.choices:
            pieces.append(chunk.choices[0].delta.content or "")
        if chunk.usage is not None:
            usage = chunk.model_dump()["usage"]
    assert len([p for p in pieces if p]) > 1  # streamed, not one piece
    assert usage is not None and usage["energy"]["joules"] > 0
    (conversation,) = services.store.list_conversations(task="api")
    reply = services.store.messages(conversation.id)[-1]
    assert reply.content == "".join(pieces)


def test_curl_reads_the_raw_server_sent_events(services: Services, server: LocalServer) -> None:
    curl = shutil.which("curl")
    assert curl, "curl is a test tool (Debian's curl package)"
    body = {
        "model": model_name(services),
        "messages": [{"role": "user", "content": "Hi"}],
        "max_tokens": 8,
        "stream": True,
    }
    done = subprocess.run(
        [curl, "-sN", f"{server.url}/chat/completions", "-H", f"Authorization: Bearer {KEY}",
         "-H", "Content-Type: application/json", "-d", json.dumps(body)],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    events = [line for line in done.stdout.splitlines() if line.strip()]
    assert all(line.startswith("data: ") for line in events), done.stdout
    assert events[-1] == "data: [DONE]"
    first = json.loads(events[0][6:])
    assert first["object"] == "chat.completion.chunk"
    assert first["choices"][0]["delta"]["role"] == "assistant"


def test_json_schema_output_parses_and_follows_the_schema(
    services: Services, client: openai.OpenAI
) -> None:
    schema = {
        "type": "object",
        "properties": {"city": {"type": "string"}, "population": {"type": "integer"}},
        "required": ["city", "population"],
    }
    answer = client.chat.completions.create(
        model=model_name(services),
        messages=[{"role": "user", "content": "Give a city and its population as JSON."}],
        max_tokens=60,
        temperature=0,
        response_format={"type": "json_schema", "json_schema": {"name": "c", "schema": schema}},
    )
    data = json.loads(answer.choices[0].message.content or "")
    assert isinstance(data["city"], str) and isinstance(data["population"], int)


def test_stop_strings_and_logprobs(services: Services, client: openai.OpenAI) -> None:
    name = model_name(services)
    messages = [{"role": "user", "content": "List the days of the week."}]
    free = client.chat.completions.create(
        model=name, messages=messages, max_tokens=24, temperature=0, logprobs=True, top_logprobs=3
    )
    text = free.choices[0].message.content or ""
    content = free.choices[0].logprobs.content  # type: ignore[union-attr]
    assert content and "".join(t.token for t in content) == text
    for token in content:
        assert token.logprob <= 0 and len(token.top_logprobs) == 3
        assert token.top_logprobs[0].logprob >= token.logprob - 1e-4  # temperature 0: the top
    # A stop string taken from that very reply ends the same request there.
    stop = text[len(text) // 2 : len(text) // 2 + 3]
    assert stop.strip()
    stopped = client.chat.completions.create(
        model=name, messages=messages, max_tokens=24, temperature=0, stop=[stop]
    )
    assert stopped.choices[0].message.content == text[: text.index(stop)]
    assert stopped.choices[0].finish_reason == "stop"


def test_text_completions_streamed_and_not(services: Services, client: openai.OpenAI) -> None:
    name = model_name(services)
    whole = client.completions.create(
        model=name, prompt="The capital of France is", max_tokens=8, temperature=0
    )
    assert whole.object == "text_completion" and whole.choices[0].text
    assert whole.model_dump()["usage"]["energy"]["joules"] > 0
    streamed = client.completions.create(
        model=name, prompt="The capital of France is", max_tokens=8, temperature=0, stream=True
    )
    assert "".join(c.choices[0].text for c in streamed if c.choices) == whole.choices[0].text


def test_a_wrong_or_missing_key_is_401(services: Services, server: LocalServer) -> None:
    wrong = client_for(server, key="sk-wrong")
    with pytest.raises(openai.AuthenticationError) as info:
        wrong.models.list()
    assert info.value.status_code == 401
    assert info.value.body["code"] == "invalid_api_key"  # type: ignore[index]
    wrong.close()
    answer = httpx2.get(f"{server.url}/models")
    assert answer.status_code == 401 and answer.json()["error"]["type"] == "authentication_error"
    assert services.store.list_conversations(task="api") == []


def test_an_unknown_model_is_404(client: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError) as info:
        client.chat.completions.create(
            model="no-such-model", messages=[{"role": "user", "content": "hi"}]
        )
    assert info.value.body["code"] == "model_not_found"  # type: ignore[index]


def test_bad_requests_are_400_and_name_the_field(services: Services, server: LocalServer) -> None:
    headers = {"Authorization": f"Bearer {KEY}"}
    url = f"{server.url}/chat/completions"
    model = model_name(services)
    cases = [
        (b"{not json", None),
        (json.dumps({"model": model, "messages": []}).encode(), "messages"),
        (json.dumps({"model": model, "messages": [{"role": "user", "content": "x"}],
                     "temperature": 9}).encode(), "temperature"),
        (json.dumps({"model": model, "messages": [{"role": "robot", "content": "x"}]}).encode(),
         "messages[0].role"),
    ]  # fmt: skip
    for body, param in cases:
        answer = httpx2.post(url, content=body, headers=headers)
        assert answer.status_code == 400, answer.text
        assert answer.json()["error"]["param"] == param


def test_a_prompt_longer_than_the_context_is_413(services: Services, client: openai.OpenAI) -> None:
    with pytest.raises(openai.APIStatusError) as info:
        client.chat.completions.create(
            model=model_name(services),
            messages=[{"role": "user", "content": "word " * 5000}],
            max_tokens=8,
        )
    assert info.value.status_code == 413
    assert info.value.body["code"] == "context_length_exceeded"  # type: ignore[index]


def test_a_model_that_fails_to_load_is_503(services: Services, client: openai.OpenAI) -> None:
    write_tiny_gguf(services.paths.models_dir / "tiny-fake.gguf")
    with pytest.raises(openai.APIStatusError) as info:
        client.chat.completions.create(
            model="tiny-fake", messages=[{"role": "user", "content": "hi"}], max_tokens=4
        )
    assert info.value.status_code == 503
    assert "tiny-fake" in info.value.message


def test_a_full_queue_is_429_with_retry_after(
    services: Services, serve: Callable[..., LocalServer]
) -> None:
    server = serve(queue_limit=1)
    c = client_for(server)
    body = {"model": model_name(services), "messages": [{"role": "user", "content": "hi"}]}
    results: list[object] = []
    # The window holds the engine: one API request may wait, the next is refused.
    with services.host.in_use():
        waiting = threading.Thread(
            target=lambda: results.append(c.chat.completions.create(max_tokens=4, **body))
        )
        waiting.start()
        deadline = time.monotonic() + 30
        while services.host.turns.state().waiting_api < 1:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        with pytest.raises(openai.RateLimitError) as info:
            c.chat.completions.create(max_tokens=4, **body)
        assert info.value.response.headers["Retry-After"] == "2"
    waiting.join(60)
    assert len(results) == 1  # the waiting one is answered once the window's turn ends
    c.close()


def test_a_client_that_disconnects_mid_stream_frees_the_engine_at_once(
    services: Services, client: openai.OpenAI
) -> None:
    stream = client.chat.completions.create(
        model=model_name(services),
        messages=[{"role": "user", "content": "Write a long story about a dragon."}],
        max_tokens=1500,
        temperature=0.8,
        stream=True,
    )
    for i, _chunk in enumerate(stream):
        if i == 3:
            break
    stream.close()
    closed_at = time.monotonic()
    while services.host.turns.state().holder is not None:
        assert time.monotonic() - closed_at < 1.0, "the engine is still busy after 1 s"
        time.sleep(0.01)
    (conversation,) = services.store.list_conversations(task="api")
    reply = services.store.messages(conversation.id)[-1]
    deadline = time.monotonic() + 5
    while services.store.get_message(reply.id).status == "streaming":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    reply = services.store.get_message(reply.id)
    assert reply.status == "stopped" and reply.content  # what was generated is kept


def test_two_concurrent_clients_are_both_answered(services: Services, server: LocalServer) -> None:
    answers: dict[int, str] = {}
    errors: list[BaseException] = []

    def ask(i: int) -> None:
        try:
            answer(i)
        except BaseException as exc:  # reported by the assertion below, not lost in a thread
            errors.append(exc)

    def answer(i: int) -> None:
        c = client_for(server)
        reply = c.chat.completions.create(
            model=model_name(services),
            messages=[{"role": "user", "content": f"Say the number {i}."}],
            max_tokens=12,
            stream=i == 1,
        )
        if i == 1:
            answers[i] = "".join(ch.choices[0].delta.content or "" for ch in reply if ch.choices)  # type: ignore[union-attr]
        else:
            answers[i] = reply.choices[0].message.content or ""  # type: ignore[union-attr]
        c.close()

    threads = [threading.Thread(target=ask, args=(i,)) for i in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors
    assert set(answers) == {0, 1} and all(answers.values())
    assert len(services.store.list_conversations(task="api")) == 2
    assert services.host.turns.served["api"] == 2


def test_listening_beyond_this_computer_needs_a_key(services: Services) -> None:
    from desktop_llm.core.errors import UserError

    with pytest.raises(UserError, match="API key"):
        LocalServer(services.host, ServerOptions(host="0.0.0.0", port=0)).start()


def test_cors_is_off_unless_origins_are_listed(
    services: Services, serve: Callable[..., LocalServer]
) -> None:
    preflight = {
        "Origin": "http://localhost:3000",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    }
    closed = serve()
    answer = httpx2.options(f"{closed.url}/chat/completions", headers=preflight)
    assert "access-control-allow-origin" not in answer.headers
    opened = serve(cors_origins=("http://localhost:3000",))
    answer = httpx2.options(f"{opened.url}/chat/completions", headers=preflight)
    assert answer.headers["access-control-allow-origin"] == "http://localhost:3000"


def test_a_remote_engines_model_is_served_by_its_name_with_no_energy_invented(
    services: Services, client: openai.OpenAI, llama_server: RunningServer
) -> None:
    from desktop_llm.core.remote_engines import make_config

    services.host.remote_engines.add(make_config("box", url=llama_server.base_url))
    ids = [m.id for m in client.models.list()]
    assert "box/smol" in ids and ids[0] == model_name(services)
    answer = client.chat.completions.create(
        model="box/smol",
        messages=[{"role": "user", "content": "Say hello."}],
        max_tokens=8,
        temperature=0,
    )
    assert answer.choices[0].message.content
    energy = answer.model_dump()["usage"]["energy"]
    assert energy["joules"] is None and energy["source"] == "remote"  # used elsewhere
    (conversation,) = services.store.list_conversations(task="api")
    assert conversation.model == "box/smol" and conversation.options["remote"] is True


def test_a_path_is_not_a_model_name(services: Services, client: openai.OpenAI) -> None:
    # Only listed models: a client cannot make the app open a file by its path.
    path = str(services.registry.list()[0].path)
    with pytest.raises(openai.NotFoundError):
        client.chat.completions.create(model=path, messages=[{"role": "user", "content": "hi"}])
    assert services.store.list_conversations(task="api") == []


def test_a_client_that_leaves_while_it_waits_leaves_the_line_at_once(
    services: Services, server: LocalServer
) -> None:
    body = {
        "model": model_name(services),
        "messages": [{"role": "user", "content": "hi"}],
        "max_tokens": 4,
    }
    with services.host.in_use():  # the window holds the engine
        # A client that gives up after 1 s: its request waits in line until then.
        impatient = client_for(server, read=1.0)
        with pytest.raises(openai.APITimeoutError):
            impatient.chat.completions.create(**body)  # type: ignore[call-overload]
        impatient.close()
        deadline = time.monotonic() + 2
        while services.host.turns.state().waiting_api:
            assert time.monotonic() < deadline, "the request is still waiting after 2 s"
            time.sleep(0.02)
        assert services.host.turns.state().holder == "window"
    assert services.store.list_conversations(task="api") == []  # it never reached the engine
