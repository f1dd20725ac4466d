"""What the OpenAI-compatible server asks of an engine, with the real starter model: stop
strings, log-probabilities, a JSON schema, raw text completion, refusing a history that does
not fit; the local engine, then the remote one passing them to a real llama_cpp.server."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterator

import pytest

from desktop_llm.core.engine.client import EngineClient, EngineError
from desktop_llm.core.engine.protocol import (
    ChatMessage,
    Done,
    LoadSpec,
    SamplingParams,
    Token,
    TokenLogprob,
)
from desktop_llm.core.engine.remote import RemoteEngine
from tests.helpers.gguf_factory import require_starter_model
from tests.helpers.openai_server import RunningServer

QUESTION = [ChatMessage("user", "Name three colours and say why you like them.")]
# Greedy, no repeat penalty: the chosen token is then the likeliest of the raw distribution.
GREEDY = SamplingParams(temperature=0, repeat_penalty=1.0, max_tokens=24)
PERSON = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
    "required": ["name", "age"],
}


@pytest.fixture(scope="module")
def engine() -> Iterator[EngineClient]:
    client = EngineClient(cancel_grace_s=2.0)
    client.load(LoadSpec(str(require_starter_model()), n_ctx=2048, n_threads=os.cpu_count() or 2))
    yield client
    client.close()


@pytest.fixture
def remote(llama_server: RunningServer) -> Iterator[RemoteEngine]:
    engine = RemoteEngine("box", llama_server.base_url)
    engine.load(LoadSpec(model_path=llama_server.alias))
    yield engine
    engine.close()


def collect(events: Iterator[Token | Done]) -> tuple[list[Token], Done]:
    tokens: list[Token] = []
    for event in events:
        if isinstance(event, Done):
            return tokens, event
        tokens.append(event)
    raise AssertionError("no Done event")


def text_of(tokens: list[Token]) -> str:
    return "".join(t.text for t in tokens)


def a_stop_string(text: str) -> str:
    """A piece from the middle of a reply, found there first where it is taken from: the
    reply with it as a stop string must end just before it."""
    for start in range(6, len(text) - 4):
        piece = text[start : start + 4]
        if piece.strip() and text.find(piece) == start:
            return piece
    raise AssertionError(f"no stop string to take from {text!r}")


def long_history() -> list[ChatMessage]:
    filler = "lorem ipsum " * 150  # ~300 tokens a turn: 16 of them do not fit 2048
    history = [ChatMessage("system", "Be brief.")]
    for _ in range(8):
        history += [ChatMessage("user", filler), ChatMessage("assistant", filler)]
    return [*history, ChatMessage("user", "Say hi.")]


def check_logprobs(logprobs: tuple[TokenLogprob, ...], top_n: int) -> None:
    for entry in logprobs:
        assert entry.logprob <= 0
        assert len(entry.top) == top_n
        assert [lp for _, lp in entry.top] == sorted((lp for _, lp in entry.top), reverse=True)
        assert sum(math.exp(lp) for _, lp in entry.top) <= 1 + 1e-9
        # At temperature 0 the chosen token is the likeliest.
        assert entry.top[0][0] == entry.token
        assert entry.top[0][1] == pytest.approx(entry.logprob, abs=1e-6)


# --- the local engine ---------------------------------------------------------------------


def test_a_stop_string_ends_the_reply_before_it(engine: EngineClient) -> None:
    _, free = collect(engine.generate(QUESTION, GREEDY))
    stop = a_stop_string(free.text)
    cut = free.text.index(stop)
    params = SamplingParams(**{**vars(GREEDY), "stop": ("never-said-zq", stop)})
    tokens, done = collect(engine.generate(QUESTION, params))
    assert done.text == text_of(tokens) == free.text[:cut]
    assert stop not in done.text
    assert done.stats.finish_reason == "stop"
    assert 0 < done.stats.completion_tokens < free.stats.completion_tokens


def test_a_stop_string_at_the_very_start_gives_an_empty_reply(engine: EngineClient) -> None:
    _, free = collect(engine.generate(QUESTION, GREEDY))
    params = SamplingParams(**{**vars(GREEDY), "stop": (free.text[:2],)})
    tokens, done = collect(engine.generate(QUESTION, params))
    assert tokens == [] and done.text == ""
    assert done.stats.finish_reason == "stop" and done.stats.completion_tokens >= 1


def test_logprobs_come_with_every_token_and_the_greedy_choice_is_the_top_one(
    engine: EngineClient,
) -> None:
    _, plain = collect(engine.generate(QUESTION, GREEDY))
    tokens, done = collect(
        engine.generate(QUESTION, SamplingParams(**{**vars(GREEDY), "logprobs": 5}))
    )
    assert done.text == plain.text  # asking for logprobs changes nothing of the reply
    entries = [e for t in tokens for e in (t.logprobs or ())]
    assert len(entries) == done.stats.completion_tokens
    assert "".join(e.token for e in entries) == done.text
    check_logprobs(tuple(entries), 5)
    # Without the ask, none.
    tokens, _ = collect(engine.generate(QUESTION, GREEDY))
    assert all(t.logprobs is None for t in tokens)


def test_logprobs_of_a_reply_cut_by_a_stop_string_stop_with_it(engine: EngineClient) -> None:
    _, free = collect(engine.generate(QUESTION, GREEDY))
    stop = a_stop_string(free.text)
    params = SamplingParams(**{**vars(GREEDY), "stop": (stop,), "logprobs": 0})
    tokens, done = collect(engine.generate(QUESTION, params))
    entries = [e for t in tokens for e in (t.logprobs or ())]
    assert all(e.top == () and e.logprob <= 0 for e in entries)
    # The tokens shown, the one the stop string may begin inside included, and no more.
    shown = "".join(e.token for e in entries)
    assert shown.startswith(done.text) and len(shown) - len(done.text) < len(stop) + 8


def test_a_json_schema_shapes_the_reply(engine: EngineClient) -> None:
    params = SamplingParams(temperature=0, max_tokens=60, json_schema=json.dumps(PERSON))
    _, done = collect(engine.generate([ChatMessage("user", "Describe a person.")], params))
    reply = json.loads(done.text)
    assert set(PERSON["required"]) <= set(reply)
    assert isinstance(reply["name"], str) and isinstance(reply["age"], int)
    # `{}`: any JSON (a question this small model answers briefly, so that it ends in time).
    anything = SamplingParams(temperature=0, max_tokens=60, json_schema="{}")
    question = [ChatMessage("user", "What is 2+2? Answer in JSON.")]
    _, done = collect(engine.generate(question, anything))
    assert done.stats.finish_reason == "stop"
    json.loads(done.text)


@pytest.mark.parametrize(
    ("schema", "grammar"),
    [('{"type": "nonsense"}', None), ("{not json", None), (None, 'root ::= ("x"')],
)
def test_an_invalid_schema_or_grammar_is_refused_and_the_engine_goes_on(
    engine: EngineClient, schema: str | None, grammar: str | None
) -> None:
    params = SamplingParams(temperature=0, max_tokens=4, json_schema=schema, grammar=grammar)
    with pytest.raises(EngineError, match="grammar is not valid") as info:
        collect(engine.generate(QUESTION, params))
    assert info.value.kind == "internal"
    _, done = collect(engine.generate(QUESTION, SamplingParams(grammar='root ::= "ok"')))
    assert done.text == "ok"


def test_complete_continues_a_raw_prompt(engine: EngineClient) -> None:
    prompt = "The capital of France is"
    tokens, done = collect(engine.complete(prompt, GREEDY))
    assert "Paris" in done.text and text_of(tokens) == done.text
    assert done.stats.prompt_tokens < 10  # the text alone: no chat template around it
    chat_tokens, _ = collect(engine.generate([ChatMessage("user", prompt)], GREEDY))
    assert done.stats.completion_tokens > 0 and chat_tokens


def test_complete_refuses_a_prompt_longer_than_the_context(engine: EngineClient) -> None:
    with pytest.raises(EngineError, match="tokens long") as info:
        collect(engine.complete("word " * 2100, SamplingParams(max_tokens=4)))
    assert info.value.kind == "context_overflow"


def test_a_history_that_does_not_fit_is_refused_when_asked_not_to_drop_turns(
    engine: EngineClient,
) -> None:
    history = long_history()
    with pytest.raises(EngineError, match="tokens long") as info:
        collect(engine.generate(history, SamplingParams(max_tokens=8), fit_history=False))
    assert info.value.kind == "context_overflow"
    _, done = collect(engine.generate(history, SamplingParams(max_tokens=8)))
    assert done.stats.dropped_messages > 0


def test_cancel_during_complete_stops_it_and_the_next_request_is_clean(
    engine: EngineClient,
) -> None:
    received = 0
    done = None
    for event in engine.complete(
        "Once upon a time", SamplingParams(max_tokens=400, temperature=0.8, seed=3)
    ):
        if isinstance(event, Token):
            received += 1
            if received == 3:
                engine.cancel()
        else:
            done = event
    assert done is not None and done.stats.finish_reason == "cancelled"
    assert done.stats.completion_tokens < 40
    tokens, after = collect(engine.complete("Say ok:", SamplingParams(grammar='root ::= "ok"')))
    assert after.text == text_of(tokens) == "ok"


# --- the remote engine, through a real llama_cpp.server -----------------------------------


def test_remote_stop_logprobs_and_seed_reach_the_server(remote: RemoteEngine) -> None:
    _, free = collect(remote.generate(QUESTION, GREEDY))
    stop = a_stop_string(free.text)
    params = SamplingParams(**{**vars(GREEDY), "stop": (stop,), "seed": 7, "logprobs": 3})
    tokens, done = collect(remote.generate(QUESTION, params))
    assert done.text == text_of(tokens) == free.text[: free.text.index(stop)]
    assert done.stats.finish_reason == "stop"
    entries = [e for t in tokens for e in (t.logprobs or ())]
    assert entries and all(e.logprob <= 0 and 1 <= len(e.top) <= 3 for e in entries)


def test_remote_json_schema_shapes_the_reply(remote: RemoteEngine) -> None:
    params = SamplingParams(temperature=0, max_tokens=60, json_schema=json.dumps(PERSON))
    _, done = collect(remote.generate([ChatMessage("user", "Describe a person.")], params))
    assert set(PERSON["required"]) <= set(json.loads(done.text))


def test_remote_complete_continues_a_raw_prompt(remote: RemoteEngine) -> None:
    tokens, done = collect(
        remote.complete(
            "The capital of France is", SamplingParams(**{**vars(GREEDY), "logprobs": 2})
        )
    )
    assert "Paris" in done.text and text_of(tokens) == done.text
    assert done.stats.finish_reason in ("stop", "length")
    entries = [e for t in tokens for e in (t.logprobs or ())]
    assert entries and all(e.logprob <= 0 for e in entries)


def test_remote_refuses_a_history_that_does_not_fit_when_asked(remote: RemoteEngine) -> None:
    with pytest.raises(EngineError) as info:
        collect(remote.generate(long_history(), SamplingParams(max_tokens=8), fit_history=False))
    assert info.value.kind == "context_overflow"
