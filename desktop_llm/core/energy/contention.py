"""How busy the machine was with other work while a reply was metered.

A figure measured while other programs keep the CPUs busy is not comparable with one
measured on a quiet machine: llama.cpp's threads spin while a sibling thread is descheduled,
so the worker's CPU time (and the energy charged to it) grows with the contention, not with
the model. Every metered window therefore records

    other_cpu_share = (system-wide busy CPU seconds − this app's CPU seconds)
                      / (window seconds × logical CPUs)                      (clamped to 0..1)

where "this app" is this process and the inference worker (with any children of the
worker). Other children of this process are *not* counted as the app: a test or a bench that
starts CPU hogs with multiprocessing must see them as other work.

A record is contended when other_cpu_share ≥ CONTENDED_SHARE (0.15), chosen from measurement
on the 2-core development machine (bench/contention.py; docs/benchmarks.md, "Figures that
can be compared"): over 69 replies of the starter model, those measured at a share of
0.4–0.7 cost a median 0.44–0.96 J per token (the least busy 0.18–0.22, close to the 0.19 the
issue measured on a quiet machine), those at 0.7–0.9 cost 1.1–1.25, and adding one or two
busy-loop programs to a run raised its median 1.1–4.3×. So the cost climbs steeply with the
share. That machine, shared with other work, never measured below 0.4, so where between 0
and 0.4 the rise begins is not measured: 0.15 lies well below the measured range and above
the few per cent that an ordinary desktop's background (a compositor, an idle browser)
uses, so a quiet desktop is not marked and a busy one is.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass

import psutil

from desktop_llm.core.energy.cpu_time import process_cpu_seconds, system_busy_seconds

CONTENDED_SHARE = 0.15


@dataclass(frozen=True)
class Contention:
    other_cpu_share: float | None  # None: the counters could not be read
    contended: bool | None


@dataclass
class ContentionToken:
    t0: float
    busy0: float
    processes: list[psutil.Process]
    own0: dict[int, float]


def _app_processes(worker_pid: int | None) -> list[psutil.Process]:
    """This process, and the worker with its children (not this process's other children)."""
    processes = []
    with contextlib.suppress(psutil.Error):
        processes.append(psutil.Process(os.getpid()))
    if worker_pid is not None and worker_pid != os.getpid():
        with contextlib.suppress(psutil.Error):
            worker = psutil.Process(worker_pid)
            processes.append(worker)
            processes.extend(worker.children(recursive=True))
    return processes


def _cpu_seconds(processes: list[psutil.Process]) -> dict[int, float]:
    seconds = {}
    for process in processes:
        with contextlib.suppress(psutil.Error):
            seconds[process.pid] = process_cpu_seconds(process)
    return seconds


def begin(worker_pid: int | None) -> ContentionToken:
    processes = _app_processes(worker_pid)
    own0 = _cpu_seconds(processes)
    return ContentionToken(time.monotonic(), system_busy_seconds(), processes, own0)


def other_share(busy_s: float, own_s: float, seconds: float, cpus: int) -> float | None:
    """Other work's CPU seconds over the window's capacity (seconds × cpus), 0..1."""
    capacity = seconds * max(1, cpus)
    if capacity <= 0:
        return None
    return max(0.0, min(1.0, (busy_s - own_s) / capacity))


def end(token: ContentionToken) -> Contention:
    busy = system_busy_seconds() - token.busy0
    seconds = time.monotonic() - token.t0
    own1 = _cpu_seconds(token.processes)
    # A process that ended in the window (the worker died) is left out: its CPU time then
    # counts as other work. Such a window has no finished reply, so no record is kept.
    own = sum(max(0.0, own1[pid] - token.own0[pid]) for pid in own1 if pid in token.own0)
    share = other_share(busy, own, seconds, psutil.cpu_count() or 1)
    if share is None:
        return Contention(None, None)
    return Contention(share, share >= CONTENDED_SHARE)
