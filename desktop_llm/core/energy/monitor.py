"""One response's energy: the primary meter, optional GPU, baseline, attribution, carbon.

Choices, in order:
- Primary meter: RAPL when readable (package(+dram), see rapl.py for why not psys), else
  Apple IOReport (not implemented in this build), else the CPU-time estimate.
- GPU: NVML joules are added to the gross when the user enables it and a GPU answers.
- Battery: when discharging, its whole-system energy goes into cross_check, never into the
  gross: it includes the screen and everything else, and its readings refresh slowly.
- Baseline: the idle watts of the same scope (primary + GPU), measured by the caller while
  idle; net = max(0, gross − baseline × seconds), so net ≤ gross always.
- Attribution: a whole-machine CPU scope is shared with every other process, so its net is
  multiplied by the worker's share of busy CPU time (cpu_time.py). The GPU part is charged
  in full (the worker is what keeps it busy). With both, net is split in proportion to the
  gross of each part: attributed = net × (share × cpu_J + gpu_J) / (cpu_J + gpu_J).
- Carbon: from the attributed joules.
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_llm.core.energy import apple, battery, contention, cpu_time, estimate, rapl
from desktop_llm.core.energy import nvml as nvml_meter
from desktop_llm.core.energy.carbon import CarbonIntensity, grams_co2e
from desktop_llm.core.energy.cpu_power import cpu_power_for
from desktop_llm.core.energy.reading import (
    REMOTE,
    EnergyReading,
    Meter,
    MeterStatus,
    MeterUnavailable,
    sysfs_root,
)
from desktop_llm.core.i18n import QT_TRANSLATE_NOOP, arg

# A record's notes are stored in English; the window words them in its language when it
# shows them (wording.note_words).
NOTE_PRIMARY_FAILED = QT_TRANSLATE_NOOP("Energy", "%1 failed (%2); estimated")
NOTE_GPU_FAILED = QT_TRANSLATE_NOOP("Energy", "GPU meter failed (%1); CPU only")
NOTE_NO_BASELINE = QT_TRANSLATE_NOOP("Energy", "no idle baseline measured yet")
# A remote engine's reply: the other machine's energy was not measured here. Its label names
# the engine; with the user's figure for the server's power draw, an estimate from it.
LABEL_REMOTE = QT_TRANSLATE_NOOP("Energy", "remote engine %1")
LABEL_REMOTE_ESTIMATE = QT_TRANSLATE_NOOP(
    "Energy", "remote engine %1: estimate from your figure of %2 W"
)
NOTE_REMOTE = QT_TRANSLATE_NOOP("Energy", "the remote machine's energy was not measured here")
NOTE_REMOTE_ESTIMATE = QT_TRANSLATE_NOOP(
    "Energy", "an estimate from your figure of %1 W for %2, not a measurement"
)


def watts_text(watts: float) -> str:
    """The user's figure as typed in a label: 350, 87.5."""
    return f"{watts:g}"


@dataclass(frozen=True)
class EnergyRecord:
    """What gets stored per generation.

    The joule, watt and carbon figures are None when they are unknown: a remote engine's
    reply (source "remote") without the user's figure for the server's power draw. Never 0
    for unknown.
    """

    source: str
    scope: str
    label: str
    measured: bool
    joules_gross: float | None
    joules_net: float | None
    joules_attributed: float | None
    watts_avg: float | None
    baseline_watts: float | None
    seconds: float
    cpu_share: float | None  # worker / busy CPU seconds, for whole-machine scopes
    carbon_g: float | None
    intensity_g_per_kwh: float
    intensity_source: str
    low_confidence: bool
    note: str
    cross_check: dict[str, Any] | None
    # Other programs' CPU time over the window's capacity, and whether that passed
    # contention.CONTENDED_SHARE (None: unknown). See contention.py.
    other_cpu_share: float | None = None
    contended: bool | None = None

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def remote(
        cls,
        seconds: float,
        *,
        watts: float | None,
        intensity_g_per_kwh: float,
        intensity_source: str,
        engine_name: str,
    ) -> EnergyRecord:
        """A remote engine's reply: nothing measured here. Without `watts` (the user's figure
        for the server's average power draw) its joules and carbon are unknown (None); with
        it, an estimate of watts × seconds, labelled as one from the user's figure."""
        if watts is None:
            return cls(
                source=REMOTE,
                scope=REMOTE,
                label=arg(LABEL_REMOTE, engine_name),
                measured=False,
                joules_gross=None,
                joules_net=None,
                joules_attributed=None,
                watts_avg=None,
                baseline_watts=None,
                seconds=seconds,
                cpu_share=None,
                carbon_g=None,
                intensity_g_per_kwh=intensity_g_per_kwh,
                intensity_source=intensity_source,
                low_confidence=False,
                note=NOTE_REMOTE,
                cross_check=None,
            )
        if watts < 0:
            raise ValueError("a server's power draw cannot be negative")
        joules = watts * max(0.0, seconds)
        return cls(
            source=REMOTE,
            scope=REMOTE,
            label=arg(LABEL_REMOTE_ESTIMATE, engine_name, watts_text(watts)),
            measured=False,
            joules_gross=joules,
            joules_net=joules,
            joules_attributed=joules,
            watts_avg=watts,
            baseline_watts=None,
            seconds=seconds,
            cpu_share=None,
            carbon_g=grams_co2e(joules, intensity_g_per_kwh),
            intensity_g_per_kwh=intensity_g_per_kwh,
            intensity_source=intensity_source,
            low_confidence=True,
            note=arg(NOTE_REMOTE_ESTIMATE, watts_text(watts), engine_name),
            cross_check=None,
        )


def _summary(reading: EnergyReading) -> dict[str, Any]:
    return {
        "source": reading.source,
        "scope": reading.scope,
        "label": reading.label,
        "joules": reading.joules,
        "watts": reading.watts,
        "seconds": reading.seconds,
        "low_confidence": reading.low_confidence,
        "note": reading.note,
    }


@dataclass
class _Token:
    t0: float
    busy0: float
    estimate: object
    primary: object | None  # None when the primary is the estimate itself
    gpu: object | None
    battery: tuple[battery.BatteryMeter, object] | None
    contention: contention.ContentionToken


class EnergyMonitor:
    def __init__(
        self,
        *,
        sysfs: Path | None = None,
        cpu_watts_per_core: float | None = None,
        intensity: CarbonIntensity,
        baseline_watts: float | None = None,
        use_gpu: bool = False,
        nvml: object | None = None,
        cpu_model: str | None = None,
    ) -> None:
        self.sysfs = sysfs_root() if sysfs is None else sysfs
        self.intensity = intensity
        self.baseline_watts = baseline_watts
        self.estimate = estimate.EstimateMeter(cpu_power_for(cpu_model, cpu_watts_per_core))
        self.primary: Meter = self._choose_primary()
        self.gpu: nvml_meter.NvmlMeter | None = None
        self.gpu_status: MeterStatus | None = None
        if use_gpu:
            try:
                self.gpu = nvml_meter.NvmlMeter(nvml)
                self.gpu_status = MeterStatus(nvml_meter.NAME, True, self.gpu.describe())
            except MeterUnavailable as exc:
                self.gpu_status = MeterStatus(nvml_meter.NAME, False, exc.reason, exc.fix)

    def _choose_primary(self) -> Meter:
        with contextlib.suppress(MeterUnavailable):
            return rapl.RaplMeter(self.sysfs)
        with contextlib.suppress(MeterUnavailable):
            return apple.AppleMeter()
        return self.estimate

    @property
    def primary_is_estimate(self) -> bool:
        return self.primary is self.estimate

    def close(self) -> None:
        if self.gpu is not None:
            self.gpu.close()
            self.gpu = None

    def set_baseline(self, watts: float) -> None:
        if watts < 0:
            raise ValueError("baseline watts cannot be negative")
        self.baseline_watts = watts

    def measure_baseline(self, seconds: float = 5.0, stop: threading.Event | None = None) -> float:
        """Idle watts of the primary scope (+ GPU), over `seconds` or until `stop` is set.

        Blocking: run it off the GUI thread, while nothing generates. For the estimate the
        answer is 0.0 without waiting: it counts only the worker's own CPU time, which is
        about zero at idle, and sees no other power that could be subtracted.
        """
        if self.primary_is_estimate and self.gpu is None:
            self.baseline_watts = 0.0
            return 0.0
        stop = threading.Event() if stop is None else stop
        t0 = time.monotonic()
        primary = None if self.primary_is_estimate else self.primary.begin(None)
        gpu = self.gpu.begin(None) if self.gpu is not None else None
        stop.wait(seconds)
        joules = 0.0
        if primary is not None:
            joules += self.primary.end(primary).joules
        if gpu is not None and self.gpu is not None:
            joules += self.gpu.end(gpu).joules
        elapsed = time.monotonic() - t0
        watts = joules / elapsed if elapsed > 0 else 0.0
        self.baseline_watts = watts
        return watts

    def begin(self, pid: int | None) -> object:
        bat_token = None
        # Plugged in or not can change between replies: a few file reads decide each time.
        with contextlib.suppress(MeterUnavailable):
            bat = battery.BatteryMeter(self.sysfs)
            bat_token = (bat, bat.begin(pid))
        gpu = self.gpu.begin(pid) if self.gpu is not None else None
        busy0 = cpu_time.system_busy_seconds()
        est = self.estimate.begin(pid)
        primary = None if self.primary_is_estimate else self.primary.begin(pid)
        others = contention.begin(pid)
        return _Token(time.monotonic(), busy0, est, primary, gpu, bat_token, others)

    def cancel(self, token: object) -> None:
        """Close a window without a record (the reply failed): stops the samplers' threads.

        Every begin() must be followed by end() or cancel().
        """
        assert isinstance(token, _Token)
        if token.battery is not None:
            token.battery[0].end(token.battery[1])
        if self.gpu is not None and token.gpu is not None:
            with contextlib.suppress(Exception):
                self.gpu.end(token.gpu)

    def end(self, token: object) -> EnergyRecord:
        """The record of the window opened by begin(token). Never raises for a meter's fault."""
        assert isinstance(token, _Token)
        notes: list[str] = []
        est = self.estimate.end(token.estimate)
        primary = est
        if token.primary is not None:
            try:
                primary = self.primary.end(token.primary)
            except (OSError, ValueError) as exc:
                # Permissions changed or the zone vanished mid-run: fall back for this reply.
                notes.append(arg(NOTE_PRIMARY_FAILED, self.primary.name, exc.__class__.__name__))
        busy = cpu_time.system_busy_seconds() - token.busy0
        seconds = time.monotonic() - token.t0
        others = contention.end(token.contention)
        gpu = None
        if self.gpu is not None and token.gpu is not None:
            try:
                gpu = self.gpu.end(token.gpu)
            except Exception as exc:  # pynvml.NVMLError: the driver went away mid-reply
                notes.append(arg(NOTE_GPU_FAILED, exc.__class__.__name__))
        bat = token.battery[0].end(token.battery[1]) if token.battery is not None else None

        share: float | None = None
        if primary.whole_machine:
            share = cpu_time.cpu_share(self.estimate.cpu_seconds(est), busy)
        cpu_j = primary.joules
        gpu_j = gpu.joules if gpu is not None else 0.0
        gross = cpu_j + gpu_j
        baseline = self.baseline_watts or 0.0
        if self.baseline_watts is None and primary is not est:
            notes.append(NOTE_NO_BASELINE)
        net = max(0.0, gross - baseline * seconds)
        if gross > 0:
            charged = (share if share is not None else 1.0) * cpu_j + gpu_j
            # min(): the ratio is ≤ 1, but float rounding must not push attributed past net.
            attributed = min(net, net * charged / gross)
        else:
            attributed = 0.0

        cross: dict[str, Any] = {}
        if bat is not None:
            cross["battery"] = _summary(bat)
        if gpu is not None:
            cross["gpu"] = _summary(gpu)
        if primary is not est:
            cross["estimate"] = _summary(est)
        for reading in (primary, gpu):
            if reading is not None and reading.note:
                notes.append(f"{reading.source}: {reading.note}")

        source, scope, label = primary.source, primary.scope, primary.label
        if gpu is not None:
            source, scope, label = f"{source}+nvml", f"{scope}+gpu", f"{label} + {gpu.label}"
        return EnergyRecord(
            source=source,
            scope=scope,
            label=label,
            measured=primary.measured,
            joules_gross=gross,
            joules_net=net,
            joules_attributed=attributed,
            watts_avg=gross / seconds if seconds > 0 else 0.0,
            baseline_watts=baseline,
            seconds=seconds,
            cpu_share=share,
            carbon_g=grams_co2e(attributed, self.intensity.g_per_kwh),
            intensity_g_per_kwh=self.intensity.g_per_kwh,
            intensity_source=self.intensity.source,
            low_confidence=primary.low_confidence or bool(gpu and gpu.low_confidence),
            note="; ".join(notes),
            cross_check=cross or None,
            other_cpu_share=others.other_cpu_share,
            contended=others.contended,
        )
