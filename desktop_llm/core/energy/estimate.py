"""The fallback: the worker's CPU time × per-core active power. Clearly an estimate.

It sees only the worker's own CPU time (no GPU, no memory, no idle cost of the machine),
so it is the process's share by construction: scope "process", measured False.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

import psutil

from desktop_llm.core.energy.cpu_power import CpuPower, cpu_power_for
from desktop_llm.core.energy.cpu_time import process_cpu_seconds
from desktop_llm.core.energy.reading import EnergyReading, MeterStatus
from desktop_llm.core.i18n import QT_TRANSLATE_NOOP, arg, translate

NAME = "estimate"
# Process CPU time is counted in 10 ms clock ticks on Linux: below 0.1 s the rounding is
# more than a tenth of the reading.
MIN_CONFIDENT_S = 0.1


# The label and notes are stored with each record in English; the window words them in its
# language when it shows them (wording.shown_label, wording.note_words).
LABEL = QT_TRANSLATE_NOOP("Energy", "estimate: CPU time × %1 W/core")
NOTE_UNREADABLE = QT_TRANSLATE_NOOP("Energy", "the worker process could not be read")
NOTE_ENDED = QT_TRANSLATE_NOOP("Energy", "the worker process ended before the window closed")
NOTE_SHORT_WINDOW = QT_TRANSLATE_NOOP("Energy", "window %1 ms is short for 10 ms CPU-time ticks")


def label_for(power: CpuPower) -> str:
    """The label stored with a record (English)."""
    return arg(LABEL, f"{power.watts_per_core:.1f}")


def status(power: CpuPower | None = None) -> MeterStatus:
    power = cpu_power_for() if power is None else power
    if power.override:
        basis = translate("Energy", "your per-core figure")
    elif power.matched:
        basis = arg(
            translate("Energy", "%1: %2 W / %3 cores"), power.label, f"{power.tdp_w:g}", power.cores
        )
    else:
        basis = arg(
            translate("Energy", "%1 (model '%2' not in the table)"), power.label, power.model
        )
    return MeterStatus(
        NAME,
        True,
        arg(
            translate("Energy", "%1 (%2); not measured, the worker's CPU time only"),
            arg(translate("Energy", LABEL), f"{power.watts_per_core:.1f}"),
            basis,
        ),
    )


@dataclass(frozen=True)
class _Token:
    t0: float
    process: psutil.Process | None
    cpu_s: float


class EstimateMeter:
    name = NAME

    def __init__(self, power: CpuPower | None = None) -> None:
        self.power = cpu_power_for() if power is None else power

    @property
    def label(self) -> str:
        return label_for(self.power)

    def begin(self, pid: int | None) -> object:
        """pid None means this process (the CLI and tests may run without a worker)."""
        try:
            process = psutil.Process(os.getpid() if pid is None else pid)
            cpu_s = process_cpu_seconds(process)
        except psutil.Error:
            process, cpu_s = None, 0.0
        return _Token(time.monotonic(), process, cpu_s)

    def end(self, token: object) -> EnergyReading:
        assert isinstance(token, _Token)
        note = ""
        cpu_s = 0.0
        if token.process is None:
            note = NOTE_UNREADABLE
        else:
            try:
                cpu_s = max(0.0, process_cpu_seconds(token.process) - token.cpu_s)
            except psutil.Error:
                note = NOTE_ENDED
        seconds = time.monotonic() - token.t0
        if not note and seconds < MIN_CONFIDENT_S:
            note = arg(NOTE_SHORT_WINDOW, f"{seconds * 1000:.0f}")
        return EnergyReading(
            joules=cpu_s * self.power.watts_per_core,
            seconds=seconds,
            source=NAME,
            scope="process",
            label=self.label,
            measured=False,
            whole_machine=False,
            low_confidence=bool(note),
            note=note,
        )

    def cpu_seconds(self, reading: EnergyReading) -> float:
        return reading.joules / self.power.watts_per_core
