"""Apple Silicon energy (IOReport): not implemented in this build.

IOReport's "Energy Model" channels give CPU/GPU/ANE energy without sudo on M1-M4 Macs, but
reading them needs ctypes bindings to a private framework that cannot be tested on the
Linux machines this project is built on. Until then the meter reports itself unavailable
with that reason, and Macs use the CPU-time estimate (with an Apple M-series per-core
figure from cpu_power.json).
"""

from __future__ import annotations

import platform
import sys

from desktop_llm.core.energy.reading import EnergyReading, MeterStatus, MeterUnavailable
from desktop_llm.core.i18n import translate

NAME = "apple"


def is_apple_silicon() -> bool:
    return sys.platform == "darwin" and platform.machine() == "arm64"


def status() -> MeterStatus:
    if not is_apple_silicon():
        return MeterStatus(NAME, False, translate("Energy", "only on Apple Silicon Macs"))
    return MeterStatus(
        NAME,
        False,
        translate(
            "Energy", "IOReport energy counters are not implemented in this build (uses estimate)"
        ),
    )


class AppleMeter:
    name = NAME

    def __init__(self) -> None:
        raise MeterUnavailable(status().detail)

    def begin(self, pid: int | None) -> object:  # pragma: no cover - never constructed
        raise NotImplementedError

    def end(self, token: object) -> EnergyReading:  # pragma: no cover - never constructed
        raise NotImplementedError
