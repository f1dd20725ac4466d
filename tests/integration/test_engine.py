"""The inference process with the real starter model: streaming, cache re-use, cancel, crash."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_llm.core.engine.client import EngineClient, EngineError, WorkerDied
from desktop_llm.core.engine.protocol import ChatMessage, Done, LoadSpec, SamplingParams, Token
from tests.helpers.gguf_factory import require_starter_model

# Byte-level BPE splits these characters over several tokens: the case the worker must hold
# back until whole.
MULTIBYTE = "你好，世界 🌍 日本語のテキスト 😀👍🏽 한국어"


@pytest.fixture(scope="module")
def engine() -> Iterator[EngineClient]:
    path = require_starter_model()
    client = EngineClient(cancel_grace_s=2.0)
    client.load(LoadSpec(str(path), n_ctx=2048, n_threads=os.cpu_count() or 2))
    yield client
    client.close()


def collect(events: Iterator[Token | Done]) -> tuple[list[str], Done]:
    chunks: list[str] = []
    for event in events:
        if isinstance(event, Done):
            return chunks, event
        chunks.append(event.text)
    raise AssertionError("no Done event")


def test_the_worker_says_which_backends_its_build_has(engine: EngineClient) -> None:
    # Whatever the build (the CPU one here, a GPU one where `make GPU=...` chose it): the CPU
    # backend is always there, and offloading is possible exactly when a GPU backend is too.
    assert engine.ready is not None
    backends = engine.ready.backends
    assert "CPU" in backends
    assert engine.ready.supports_gpu_offload == (len(backends) > 1)


def test_streamed_text_equals_one_shot_decoding_for_cjk_and_emoji(engine: EngineClient) -> None:
    # The grammar forces the model to write exactly this text, token by token.
    grammar = f'root ::= "{MULTIBYTE}"'
    chunks, done = collect(
        engine.generate(
            [ChatMessage("user", "Say it.")],
            SamplingParams(grammar=grammar, temperature=0, max_tokens=80),
        )
    )
    assert done.stats.completion_tokens > len(MULTIBYTE) // 2  # many multi-token chars
    assert "".join(chunks) == done.text == MULTIBYTE
    assert "".join(chunks).encode("utf-8") == MULTIBYTE.encode("utf-8")
    for chunk in chunks:
        assert "\ufffd" not in chunk  # no half character ever reached the front end


def test_second_turn_reuses_the_kv_cache_of_the_first(engine: EngineClient) -> None:
    history = [ChatMessage("system", "You are terse."), ChatMessage("user", "Name a colour.")]
    _, first = collect(engine.generate(history, SamplingParams(max_tokens=12, temperature=0)))
    history += [ChatMessage("assistant", first.text), ChatMessage("user", "Another one.")]
    _, second = collect(engine.generate(history, SamplingParams(max_tokens=12, temperature=0)))
    assert second.stats.reused_prompt_tokens >= first.stats.prompt_tokens - 1
    _, cold = collect(
        engine.generate(history, SamplingParams(max_tokens=12, temperature=0), reuse_prefix=False)
    )
    assert cold.stats.reused_prompt_tokens == 0
    assert cold.stats.prompt_tokens == second.stats.prompt_tokens


def test_stats_are_consistent(engine: EngineClient) -> None:
    _, done = collect(
        engine.generate(
            [ChatMessage("user", "Count to five.")], SamplingParams(max_tokens=16, temperature=0)
        )
    )
    s = done.stats
    assert s.prompt_tokens > 5 and 1 <= s.completion_tokens <= 16
    assert 0 < s.ttft_ms <= s.duration_ms
    assert s.tokens_per_second is None or s.tokens_per_second > 0
    assert s.finish_reason in ("stop", "length")


def test_cancel_stops_between_tokens_and_the_next_request_is_clean(engine: EngineClient) -> None:
    events = engine.generate(
        [ChatMessage("user", "Tell a long story about a dragon.")],
        SamplingParams(max_tokens=400, temperature=0.8, seed=3),
    )
    received = 0
    done = None
    for event in events:
        if isinstance(event, Token):
            received += 1
            if received == 3:
                engine.cancel()
        else:
            done = event
    assert done is not None and done.stats.finish_reason == "cancelled"
    assert done.stats.completion_tokens < 40
    # No tokens of the cancelled reply leak into the next one.
    grammar = 'root ::= "ok"'
    chunks, after = collect(
        engine.generate(
            [ChatMessage("user", "Say ok.")], SamplingParams(grammar=grammar, temperature=0)
        )
    )
    assert after.text == "ok" and "".join(chunks) == "ok"


def test_a_consumer_that_stops_listening_does_not_poison_the_next_request(
    engine: EngineClient,
) -> None:
    events = engine.generate(
        [ChatMessage("user", "Write a poem.")], SamplingParams(max_tokens=200, temperature=0.8)
    )
    next(events)
    events.close()  # e.g. the window went away mid-reply
    _chunks, after = collect(
        engine.generate([ChatMessage("user", "Say ok.")], SamplingParams(grammar='root ::= "ok"'))
    )
    assert after.text == "ok"


def test_prompt_longer_than_the_context_is_refused_in_words(engine: EngineClient) -> None:
    huge = "word " * 5000
    with pytest.raises(EngineError, match="tokens long") as info:
        collect(engine.generate([ChatMessage("user", huge)], SamplingParams(max_tokens=8)))
    assert info.value.kind == "context_overflow"


def test_old_turns_are_dropped_when_the_history_outgrows_the_context(
    engine: EngineClient,
) -> None:
    filler = "lorem ipsum " * 150  # ~300 tokens a turn
    history = [ChatMessage("system", "Be brief.")]
    for _ in range(8):
        history += [ChatMessage("user", filler), ChatMessage("assistant", filler)]
    history.append(ChatMessage("user", "Say hi."))
    _, done = collect(engine.generate(history, SamplingParams(max_tokens=8)))
    assert done.stats.dropped_messages > 0
    assert done.stats.prompt_tokens <= 2048


def test_sigkill_mid_reply_is_noticed_within_a_second_and_the_next_request_restarts(
    starter_model: Path,
) -> None:
    client = EngineClient()
    try:
        spec = LoadSpec(str(starter_model), n_ctx=1024, n_threads=2)
        client.load(spec)
        first_pid = client.pid
        assert first_pid is not None
        events = client.generate(
            [ChatMessage("user", "Tell a long story.")],
            SamplingParams(max_tokens=500, temperature=0.8),
        )
        next(events)
        os.kill(first_pid, signal.SIGKILL)
        killed_at = time.monotonic()
        with pytest.raises(WorkerDied, match="killed") as info:
            for _ in events:
                pass
        assert time.monotonic() - killed_at < 1.0
        assert not info.value.cancelled
        assert client.loaded is None and client.pid is None
        client.load(spec)
        assert client.pid not in (None, first_pid)
        _, done = collect(
            client.generate(
                [ChatMessage("user", "Say ok.")], SamplingParams(grammar='root ::= "ok"')
            )
        )
        assert done.text == "ok"
    finally:
        client.close()


def test_a_cancel_the_worker_cannot_honour_ends_in_a_hard_kill(starter_model: Path) -> None:
    client = EngineClient(cancel_grace_s=0.3)
    try:
        client.load(LoadSpec(str(starter_model), n_ctx=2048, n_threads=1))
        pid = client.pid
        assert pid is not None
        # Freeze the worker as if stuck in native code: it cannot check the cancel flag.
        events = client.generate(
            [ChatMessage("user", "Tell a story.")], SamplingParams(max_tokens=500)
        )
        next(events)
        os.kill(pid, signal.SIGSTOP)
        client.cancel()
        started = time.monotonic()
        with pytest.raises(WorkerDied) as info:
            for _ in events:
                pass
        assert info.value.cancelled
        assert time.monotonic() - started < 3
        assert client.pid is None
    finally:
        client.close()
