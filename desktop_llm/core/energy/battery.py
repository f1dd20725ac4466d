"""Whole-system power from a laptop battery while it discharges (Linux power_supply).

Only a discharging battery tells us what the machine draws: on mains power the battery's
figures describe charging, not consumption. The kernel exposes power_now (µW), or on some
machines only current_now (µA) and voltage_now (µV). These are instantaneous (and the
firmware may refresh them only every few seconds), so energy is sampled on a background
thread and integrated. The scope is the whole system (screen included): the monitor keeps
it as a cross-check next to the primary meter, never as the primary.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from desktop_llm.core.energy.power_sampler import MIN_SAMPLES, PowerSampler
from desktop_llm.core.energy.reading import EnergyReading, MeterStatus, MeterUnavailable
from desktop_llm.core.i18n import arg, translate

NAME = "battery"
LABEL = "battery (whole system)"


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None


def _read_int(path: Path) -> int | None:
    text = _read(path)
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def find_batteries(sysfs: Path) -> list[Path]:
    base = sysfs / "class" / "power_supply"
    if not base.is_dir():
        return []
    return [
        p
        for p in sorted(base.iterdir(), key=lambda p: p.name)
        if _read(p / "type") == "Battery" or p.name.startswith("BAT")
    ]


def battery_watts(battery: Path) -> float | None:
    """Instantaneous draw in watts, or None if this battery reports neither way."""
    power = _read_int(battery / "power_now")
    if power is not None:
        return abs(power) / 1e6  # some firmware reports discharge as negative
    current, voltage = _read_int(battery / "current_now"), _read_int(battery / "voltage_now")
    if current is not None and voltage is not None:
        return abs(current) * voltage / 1e12
    return None


def probe(sysfs: Path) -> list[Path]:
    batteries = find_batteries(sysfs)
    if not batteries:
        raise MeterUnavailable(
            translate("Energy", "no battery (a desktop, or a laptop the kernel sees no battery in)")
        )
    states = {b.name: _read(b / "status") or "unknown" for b in batteries}
    reporting = [b for b in batteries if battery_watts(b) is not None]
    if not reporting:
        raise MeterUnavailable(
            translate("Energy", "the battery reports neither power_now nor current_now")
        )
    usable = [b for b in reporting if states[b.name] == "Discharging"]
    if not usable:
        state = ", ".join(f"{name}: {s}" for name, s in states.items())
        raise MeterUnavailable(
            arg(
                translate(
                    "Energy",
                    "the battery is not discharging (%1); it measures only on battery power",
                ),
                state,
            ),
            translate("Energy", "Unplug the charger to get a whole-system cross-check"),
        )
    return usable


def status(sysfs: Path) -> MeterStatus:
    try:
        usable = probe(sysfs)
    except MeterUnavailable as exc:
        return MeterStatus(NAME, False, exc.reason, exc.fix)
    return MeterStatus(
        NAME,
        True,
        arg(
            translate("Energy", "whole-system draw from %1 (discharging)"),
            ", ".join(b.name for b in usable),
        ),
    )


@dataclass
class _Token:
    t0: float
    sampler: PowerSampler


class BatteryMeter:
    name = NAME

    def __init__(self, sysfs: Path, interval_s: float = 0.25) -> None:
        self.sysfs = sysfs
        self.batteries = probe(sysfs)  # raises MeterUnavailable
        self.interval_s = interval_s

    def _watts(self) -> float | None:
        readings = [
            battery_watts(b) for b in self.batteries if _read(b / "status") == "Discharging"
        ]
        values = [w for w in readings if w is not None]
        return sum(values) if values else None  # plugged in mid-window: no sample

    def begin(self, pid: int | None) -> object:
        sampler = PowerSampler(self._watts, self.interval_s)
        sampler.start()
        return _Token(time.monotonic(), sampler)

    def end(self, token: object) -> EnergyReading:
        assert isinstance(token, _Token)
        joules, samples = token.sampler.stop()
        seconds = time.monotonic() - token.t0
        notes = []
        if samples < MIN_SAMPLES:
            notes.append(f"only {samples} power samples")
        if self._watts() is None:
            notes.append("the battery stopped discharging during the window")
        return EnergyReading(
            joules=joules,
            seconds=seconds,
            source=NAME,
            scope="system",
            label=LABEL,
            measured=True,
            whole_machine=True,
            low_confidence=bool(notes),
            note="; ".join(notes),
        )
