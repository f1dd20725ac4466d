"""Integrate an instantaneous power reading over a window, on a background thread.

Used where there is no energy counter (NVIDIA cards without the total-energy counter, a
battery's power_now): the power is read every `interval_s` (≥ 0.1 s, so the thread costs
nothing measurable) and integrated with the trapezoid rule between the samples, including
one at start() and one at stop() so that short windows still get two points.

start() and stop() never wait for the sampling thread. threading.Thread.start() blocks
until the new thread has run, and join() until it has finished: while llama.cpp's threads
still spin on every core right after a reply, each of those waits costs a scheduler slice
(~10 ms measured by bench/energy.py), about 1% of a short reply. So the thread is started
with _thread (no start handshake), stop() takes the last sample itself and closes the list
under a lock, and the thread leaves on its own at its next wake-up.
"""

from __future__ import annotations

import _thread
import itertools
import threading
import time
from collections.abc import Callable

# Fewer samples than this over a window: the reading is flagged low-confidence.
MIN_SAMPLES = 3


class PowerSampler:
    def __init__(self, read_watts: Callable[[], float | None], interval_s: float = 0.1) -> None:
        self._read = read_watts
        self._interval = max(0.1, interval_s)
        self._samples: list[tuple[float, float]] = []
        self._lock = threading.Lock()
        self._closed = False
        self._stop = threading.Event()
        self.finished = threading.Event()  # set when the thread has left (tests wait on it)
        self.errors = 0

    def _sample(self) -> None:
        try:
            watts = self._read()
        except Exception:
            # A failed read (driver hiccup) loses one point, not the whole window.
            self.errors += 1
            return
        if watts is None:
            return
        with self._lock:
            if not self._closed:
                self._samples.append((time.monotonic(), watts))

    def _run(self) -> None:
        try:
            while not self._stop.wait(self._interval):
                self._sample()
        finally:
            self.finished.set()

    def start(self) -> None:
        self._sample()
        _thread.start_new_thread(self._run, ())

    def stop(self) -> tuple[float, int]:
        """Joules over the window and the number of samples they came from."""
        self._stop.set()
        self._sample()
        with self._lock:
            self._closed = True
            # A sample the thread took just before ours may land after it: order by time.
            samples = sorted(self._samples)
        return integrate(samples), len(samples)


def integrate(samples: list[tuple[float, float]]) -> float:
    """Trapezoid rule over (time, watts) pairs; one sample alone gives 0 J."""
    joules = 0.0
    for (t0, w0), (t1, w1) in itertools.pairwise(samples):
        joules += (t1 - t0) * (w0 + w1) / 2
    return joules
