"""CPU seconds of one process and of the whole machine, and the share between them.

For whole-machine meters (RAPL package, psys) the worker's part of the energy is
estimated by its share of the *busy* CPU time in the window:

    share = worker CPU seconds / system-wide busy CPU seconds   (clamped to [0, 1])

Busy, not busy+idle: idle cores cost little above the baseline, which is subtracted
separately, so dividing by all CPU time would charge the worker for cores nobody used.
Busy = user + nice + system + irq + softirq (guest time is already inside user on Linux;
steal is time the hypervisor gave to someone else, and iowait is idle).
"""

from __future__ import annotations

import psutil

_NOT_BUSY = ("idle", "iowait", "steal", "guest", "guest_nice")


def process_cpu_seconds(process: psutil.Process) -> float:
    """User + system CPU seconds of the process (all its threads) so far."""
    times = process.cpu_times()
    return float(times.user + times.system)


def system_busy_seconds() -> float:
    """Busy CPU seconds of all CPUs together since boot."""
    times = psutil.cpu_times()
    total = 0.0
    for field in times._fields:
        if field not in _NOT_BUSY:
            total += getattr(times, field)
    return total


def cpu_share(worker_s: float, system_busy_s: float) -> float:
    """The worker's share of busy CPU time; 1.0 when the system counted less than the worker.

    The two counters tick separately (10 ms on Linux), so in a short window the system delta
    can round to below the worker's: all of that busy time was the worker's.
    """
    if worker_s <= 0:
        return 0.0
    if system_busy_s <= worker_s:
        return 1.0
    return max(0.0, min(1.0, worker_s / system_busy_s))
