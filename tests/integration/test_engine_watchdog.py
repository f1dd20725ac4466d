"""The watchdog over the inference process: a worker that stops responding is ended in words,
its reply kept as interrupted; a long prompt evaluation is not mistaken for silence."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_llm.core.chat.events import ChatEvent, ReplyEnded, ReplyText
from desktop_llm.core.engine.client import EngineClient, WorkerDied
from desktop_llm.core.engine.protocol import ChatMessage, Done, LoadSpec, SamplingParams, Token
from desktop_llm.core.services import Services, open_services

LIMIT_S = 1.5  # the test's silence limit (the app's is protocol.SILENCE_LIMIT_S)


def test_a_stopped_worker_is_ended_within_the_limit_and_the_next_request_restarts(
    starter_model: Path,
) -> None:
    client = EngineClient(silence_limit_s=LIMIT_S)
    try:
        spec = LoadSpec(str(starter_model), n_ctx=1024, n_threads=2)
        client.load(spec)
        pid = client.pid
        assert pid is not None
        events = client.generate(
            [ChatMessage("user", "Tell a long story.")],
            SamplingParams(max_tokens=500, temperature=0.8),
        )
        received = [next(events), next(events)]
        os.kill(pid, signal.SIGSTOP)  # frozen: no token, no pulse, no exit
        stopped_at = time.monotonic()
        with pytest.raises(WorkerDied, match="stopped responding") as info:
            for event in events:
                received.append(event)
        waited = time.monotonic() - stopped_at
        assert LIMIT_S <= waited < LIMIT_S + 3
        assert info.value.unresponsive and not info.value.cancelled
        assert all(isinstance(e, Token) for e in received) and len(received) >= 2
        assert client.pid is None and client.loaded is None
        # The frozen process was killed, not left behind.
        with pytest.raises(ProcessLookupError):
            for _ in range(50):
                os.kill(pid, 0)
                time.sleep(0.1)

        client.load(spec)
        assert client.pid not in (None, pid)
        done = [
            e
            for e in client.generate(
                [ChatMessage("user", "Say ok.")], SamplingParams(grammar='root ::= "ok"')
            )
            if isinstance(e, Done)
        ]
        assert done[0].text == "ok"
    finally:
        client.close()


def test_a_pause_of_the_whole_app_is_not_taken_for_a_silent_worker(starter_model: Path) -> None:
    """Ctrl+Z then fg (or a suspended laptop) stops the app and its worker together: after
    they go on, the reply goes on too, however long the pause."""
    client = EngineClient(silence_limit_s=LIMIT_S)
    try:
        client.load(LoadSpec(str(starter_model), n_ctx=1024, n_threads=2))
        events = client.generate(
            [ChatMessage("user", "Count from one to fifty in words.")],
            SamplingParams(max_tokens=60, temperature=0.0),
        )
        next(events)
        # Another process stops both for longer than the limit, then lets them go on, the
        # worker a moment after the app (as a busy scheduler may).
        worker, me = client.pid, os.getpid()
        pauser = subprocess.Popen(
            [
                "sh",
                "-c",
                f"kill -STOP {worker} {me}; sleep 6; kill -CONT {me}; sleep 0.5; "
                f"kill -CONT {worker}",
            ]
        )
        rest = list(events)
        pauser.wait(timeout=10)
        assert isinstance(rest[-1], Done)
    finally:
        client.close()


def test_a_long_prompt_evaluation_keeps_the_pulse_going(starter_model: Path) -> None:
    """The pulse comes from a thread of its own, which runs while llama.cpp evaluates the
    prompt (ctypes releases the GIL): no allowance for long prompts is needed. Measured on a
    loaded 2-core machine: a 3,423-token prompt took 95 s to evaluate, the longest gap
    between beats was 0.28 s."""
    limit = 0.5
    client = EngineClient(silence_limit_s=limit)
    gaps: list[float] = []
    watching = True

    def watch() -> None:
        last, at = client._beat.value, time.monotonic()
        while watching:
            value, now = client._beat.value, time.monotonic()
            if value != last:
                gaps.append(now - at)
                last, at = value, now
            time.sleep(0.005)

    try:
        client.load(LoadSpec(str(starter_model), n_ctx=2048, n_threads=1))
        text = " ".join(f"item {i} is blue" for i in range(150))
        watcher = threading.Thread(target=watch)
        watcher.start()
        try:
            events = list(
                client.generate(
                    [ChatMessage("user", text + " Which item is last?")],
                    SamplingParams(max_tokens=2),
                )
            )
        finally:
            watching = False
            watcher.join()
        done = events[-1]
        assert isinstance(done, Done)
        assert done.stats.prompt_tokens > 500
        # The prompt took several limits' time, and the pulse never paused that long.
        assert done.stats.ttft_ms > 2 * limit * 1000
        assert gaps and max(gaps) < limit
    finally:
        client.close()


@pytest.fixture
def services(home: Path) -> Iterator[Services]:
    opened = open_services()
    opened.host.engine.silence_limit_s = LIMIT_S
    yield opened
    opened.close()


def test_a_stopped_worker_leaves_an_interrupted_reply_with_its_text_in_words(
    services: Services,
) -> None:
    services.settings.set("generation.max_tokens", 400)
    services.settings.set("generation.temperature", 0.8)
    seen: list[ChatEvent] = []
    frozen = False
    for event in services.chat.send(None, "Tell a long story."):
        seen.append(event)
        if not frozen and sum(isinstance(e, ReplyText) for e in seen) == 3:
            pid = services.host.pid
            assert pid is not None  # (os.kill(0, ...) would stop the test's process group)
            os.kill(pid, signal.SIGSTOP)
            frozen = True
    ended = seen[-1]
    assert isinstance(ended, ReplyEnded)
    assert ended.status == "interrupted"
    assert ended.error is not None and "stopped responding" in ended.error
    printed = "".join(e.text for e in seen if isinstance(e, ReplyText))
    cid = services.store.list_conversations()[0].id
    stored = services.store.messages(cid)[-1]
    assert stored.status == "interrupted" and stored.content == printed == ended.content != ""
    assert stored.error == ended.error

    services.settings.set("generation.max_tokens", 8)
    after = list(services.chat.send(cid, "Hello again."))[-1]
    assert isinstance(after, ReplyEnded) and after.status == "complete"
