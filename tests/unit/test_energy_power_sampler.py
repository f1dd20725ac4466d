"""The background integrator used for battery and NVML power polling."""

from __future__ import annotations

import time

import pytest

from desktop_llm.core.energy.power_sampler import PowerSampler, integrate


def test_trapezoid_integration() -> None:
    assert integrate([]) == 0.0
    assert integrate([(0.0, 10.0)]) == 0.0
    assert integrate([(0.0, 10.0), (1.0, 20.0), (3.0, 20.0)]) == pytest.approx(15 + 40)


def test_interval_is_never_below_100_ms_and_the_thread_stops() -> None:
    reads = []
    sampler = PowerSampler(lambda: reads.append(1) or 5.0, interval_s=0.001)
    sampler.start()
    time.sleep(0.35)
    joules, samples = sampler.stop()
    assert samples <= 6  # start + ≤ 3 polls at ≥ 100 ms + stop
    assert joules == pytest.approx(5.0 * 0.35, rel=0.1)
    assert sampler.finished.wait(1.0)  # the thread leaves on its own after stop()


def test_a_failing_read_loses_one_point() -> None:
    calls = iter([1.0, RuntimeError("driver hiccup"), 1.0, 1.0, 1.0, 1.0])

    def read() -> float:
        value = next(calls, 1.0)
        if isinstance(value, Exception):
            raise value
        return value

    sampler = PowerSampler(read, interval_s=0.1)
    sampler.start()
    time.sleep(0.25)
    _, samples = sampler.stop()
    assert sampler.errors == 1 and samples >= 2
    assert sampler.finished.wait(1.0)


def test_stop_does_not_wait_for_the_thread() -> None:
    sampler = PowerSampler(lambda: 1.0, interval_s=5.0)  # the thread sleeps 5 s per poll
    sampler.start()
    t0 = time.monotonic()
    sampler.stop()
    assert time.monotonic() - t0 < 0.5
    assert sampler.finished.wait(1.0)  # woken by the stop event, not by its 5 s timer
