"""Idle unload with the real starter model: after engine.idle_unload_minutes without a
request the inference process is gone, and the next request loads the model again."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from desktop_llm.core.chat.events import ChatEvent, ReplyEnded
from desktop_llm.core.model_host import IdleUnloaded, ModelLoading, ModelReady
from desktop_llm.core.services import Services, open_services
from desktop_llm.core.tasks.batch_input import BatchRow
from desktop_llm.core.tasks.events import TaskEnded

STARTER = "SmolLM2-135M-Instruct.Q4_1"


@pytest.fixture
def services(home: Path, starter_model: Path) -> Iterator[Services]:
    opened = open_services()
    opened.settings.set("generation.max_tokens", 8)
    yield opened
    opened.close()


def drive(events: Iterator[ChatEvent]) -> tuple[list[ChatEvent], ReplyEnded]:
    seen = list(events)
    ended = seen[-1]
    assert isinstance(ended, ReplyEnded)
    assert ended.status == "complete" and ended.content.strip(), ended
    return seen, ended


def reply(services: Services, text: str = "Say hello.") -> tuple[list[ChatEvent], int]:
    """One answered message in a new chat; the inference process's pid after it."""
    events, _ended = drive(services.chat.send(None, text))
    pid = services.host.pid
    assert pid is not None
    return events, pid


def gone_within(pid: int, seconds: float) -> float | None:
    """Seconds until the process `pid` no longer exists, polled; None if it outlived them."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if not psutil.pid_exists(pid):
            return time.monotonic() - started
        time.sleep(0.05)
    return None


def test_the_process_ends_after_the_idle_time_and_the_next_request_loads_it_again(
    services: Services,
) -> None:
    services.settings.set("engine.idle_unload_minutes", 0.1)  # six seconds
    first_events, pid = reply(services)
    ended_at = time.monotonic()
    assert [e.again_after_idle for e in first_events if isinstance(e, ModelLoading)] == [False]

    time.sleep(3.0)
    assert psutil.pid_exists(pid), "unloaded after half the idle time"
    assert services.host.idle_unloaded is None

    assert gone_within(pid, 30.0) is not None, "the inference process outlived its idle time"
    gone_after = time.monotonic() - ended_at
    assert 5.5 <= gone_after <= 15.0, gone_after
    assert services.host.pid is None
    assert services.host.idle_unloaded == IdleUnloaded(STARTER, 0.1)

    events, new_pid = reply(services, "Say goodbye.")
    assert new_pid != pid
    loading = [e for e in events if isinstance(e, ModelLoading)]
    assert loading == [ModelLoading(STARTER, again_after_idle=True)]
    assert services.host.idle_unloaded is None


def test_zero_never_unloads_and_a_new_limit_applies_without_a_restart(
    services: Services,
) -> None:
    services.settings.set("engine.idle_unload_minutes", 0)
    _events, pid = reply(services)
    time.sleep(8.0)  # past the 6 s that 0.1 would allow
    assert psutil.pid_exists(pid) and services.host.pid == pid

    # Idle for 8 s already: a limit of 6 s, set now, is past, so the unload follows at once.
    services.settings.set("engine.idle_unload_minutes", 0.1)
    seconds = gone_within(pid, 10.0)
    assert seconds is not None and seconds < 3.0, seconds


def test_a_request_at_the_moment_the_timer_fires_is_answered(services: Services) -> None:
    idle_s = 3.0
    services.settings.set("engine.idle_unload_minutes", idle_s / 60)
    _events, pid = reply(services)
    for offset in (-0.1, -0.03, 0.0, 0.01, 0.03, 0.1):
        ended_at = time.monotonic()
        time.sleep(max(0.0, ended_at + idle_s + offset - time.monotonic()))
        _seen, pid = reply(services, "Name a colour.")  # drive() checks it was answered
    assert psutil.pid_exists(pid)


def test_a_request_that_comes_during_the_unload_waits_for_it_and_is_answered(
    services: Services,
) -> None:
    services.settings.set("engine.idle_unload_minutes", 0.05)
    unloading = threading.Event()

    def slow_listener(_event: IdleUnloaded) -> None:
        # Heard while the unload still holds the host: the request below comes now.
        unloading.set()
        time.sleep(0.5)

    services.host.subscribe_idle_unload(slow_listener)
    _events, pid = reply(services)
    assert unloading.wait(30.0)
    events, new_pid = reply(services, "Name an animal.")
    assert new_pid != pid and not psutil.pid_exists(pid)
    assert [e for e in events if isinstance(e, ModelLoading)] == [
        ModelLoading(STARTER, again_after_idle=True)
    ]


def test_a_slow_consumer_of_a_task_run_does_not_see_the_model_unloaded(
    services: Services,
) -> None:
    """A run holds the host from its first event to its last, also while its consumer
    lingers between events past the idle time."""
    services.settings.set("engine.idle_unload_minutes", 0.02)  # 1.2 s
    rows = [BatchRow("I love it."), BatchRow("This is awful."), BatchRow("It is a chair.")]
    events = services.tasks.sentiment_batch(rows)
    pid: int | None = None
    ended: TaskEnded | None = None
    lingered = 0
    for event in events:
        if isinstance(event, ModelLoading | ModelReady):
            continue  # the process starts during these
        pid = pid or services.host.pid
        assert pid is not None
        time.sleep(2.0)  # longer than the idle time, while the run waits for us
        lingered += 1
        assert services.host.pid == pid, "unloaded in the middle of a run"
        if isinstance(event, TaskEnded):
            ended = event
    assert ended is not None and ended.status == "complete", ended
    assert lingered >= 3
    assert pid is not None and gone_within(pid, 20.0) is not None
