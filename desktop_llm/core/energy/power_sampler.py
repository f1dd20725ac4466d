"""Integrate an instantaneous power reading over a window, on a background thread.

Used where there is no energy counter (NVIDIA cards without the total-energy counter, a
battery's power_now): the power is read every `interval_s` (≥ 0.1 s, so the thread costs
nothing measurable) and integrated with the trapezoid rule between the samples, including
one at start() and one at stop() so that short windows still get two points.
"""

from __future__ import annotations

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
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.errors = 0

    def _sample(self) -> None:
        try:
            watts = self._read()
        except Exception:
            # A failed read (driver hiccup) loses one point, not the whole window.
            self.errors += 1
            return
        if watts is not None:
            self._samples.append((time.monotonic(), watts))

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self._sample()

    def start(self) -> None:
        self._sample()
        self._thread = threading.Thread(target=self._run, name="energy-power-sampler", daemon=True)
        self._thread.start()

    def stop(self) -> tuple[float, int]:
        """Joules over the window and the number of samples they came from."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self._sample()
        return integrate(self._samples), len(self._samples)


def integrate(samples: list[tuple[float, float]]) -> float:
    """Trapezoid rule over (time, watts) pairs; one sample alone gives 0 J."""
    joules = 0.0
    for (t0, w0), (t1, w1) in itertools.pairwise(samples):
        joules += (t1 - t0) * (w0 + w1) / 2
    return joules
