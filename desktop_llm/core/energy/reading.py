"""What every meter gives back, and the interface they share."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from desktop_llm.core.i18n import QT_TRANSLATE_NOOP

# A reading's note for a window too short for the counter (RAPL, NVML). Notes are stored
# with the record in English; the window words them in its language when it shows them
# (wording.note_words).
SHORT_WINDOW_NOTE = QT_TRANSLATE_NOOP("Energy", "window %1 ms is shorter than %2 s")

# The source and scope of a remote engine's reply: measured by no meter here (see
# monitor.EnergyRecord.remote); the reports count such records apart.
REMOTE = "remote"


def sysfs_root() -> Path:
    """Where /sys is: DESKTOP_LLM_SYSFS lets tests (and curious users) point at a fake tree."""
    return Path(os.environ.get("DESKTOP_LLM_SYSFS", "/sys"))


@dataclass(frozen=True)
class EnergyReading:
    joules: float  # gross energy over the window for this meter's scope
    seconds: float  # window length
    source: str  # "rapl" | "nvml" | "battery" | "apple" | "estimate"
    scope: str  # "package", "package+dram", "psys", "system", "gpu", "process"
    label: str  # short human label, e.g. "RAPL package"
    measured: bool  # False only for the estimate
    whole_machine: bool  # the scope covers more than our worker process
    low_confidence: bool  # window too short for the counter, too few samples...
    note: str = ""  # why low_confidence, etc.

    @property
    def watts(self) -> float:
        return self.joules / self.seconds if self.seconds > 0 else 0.0


class Meter(Protocol):
    name: str

    def begin(self, pid: int | None) -> object:
        """Open a window; returns an opaque token. Cheap: a few reads, never a sleep."""
        ...

    def end(self, token: object) -> EnergyReading:
        """Close the window opened by begin()."""
        ...


@dataclass(frozen=True)
class MeterStatus:
    name: str
    available: bool
    detail: str  # what it measures when available, or the plain-words reason when not
    fix: str = ""  # one line telling the user how to enable it


class MeterUnavailable(Exception):
    """A meter cannot be used here; the message is the plain-words reason."""

    def __init__(self, reason: str, fix: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.fix = fix
