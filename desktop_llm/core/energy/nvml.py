"""NVIDIA GPU energy through NVML (the nvidia-ml-py package, imported as pynvml).

Cards since Volta keep a total-energy counter (nvmlDeviceGetTotalEnergyConsumption, mJ):
two reads give the window's energy. Older cards only report instantaneous power
(nvmlDeviceGetPowerUsage, mW), which is polled every 100 ms on a background thread and
integrated. The module is imported lazily, and tests inject a fake one with the same
function names.

The GPU is shared (the desktop's compositor draws on it too), so its readings count as
whole-machine; the monitor adds them to the CPU meter's only when the user asked for it.
"""

from __future__ import annotations

import contextlib
import importlib
import time
from dataclasses import dataclass
from typing import Any

from desktop_llm.core.energy.power_sampler import MIN_SAMPLES, PowerSampler
from desktop_llm.core.energy.reading import (
    SHORT_WINDOW_NOTE,
    EnergyReading,
    MeterStatus,
    MeterUnavailable,
)
from desktop_llm.core.i18n import QT_TRANSLATE_NOOP, arg, translate

NAME = "nvml"
LABEL = "NVIDIA GPU"
POLL_INTERVAL_S = 0.1
# Same floor as RAPL: the counter is fine-grained but the read edges are not.
MIN_CONFIDENT_S = 0.1
# Stored with the record in English; the window words it when shown (wording.note_words).
NOTE_FEW_SAMPLES = QT_TRANSLATE_NOOP("Energy", "only %1 GPU power samples")


def load_nvml(nvml: object | None = None) -> Any:
    """The pynvml module (or the injected stand-in), initialised; MeterUnavailable if not."""
    if nvml is None:
        try:
            nvml = importlib.import_module("pynvml")
        except ImportError:
            raise MeterUnavailable(
                translate(
                    "Energy",
                    "the NVIDIA management library binding (nvidia-ml-py) is not installed",
                ),
                "pip install nvidia-ml-py",
            ) from None
    module: Any = nvml
    try:
        module.nvmlInit()
    except Exception as exc:  # pynvml.NVMLError and its many subclasses
        raise MeterUnavailable(
            arg(translate("Energy", "no NVIDIA driver or GPU found (%1)"), _describe(exc)),
        ) from None
    return module


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return text or exc.__class__.__name__


def _shutdown(module: Any) -> None:
    with contextlib.suppress(Exception):  # nothing to do about a failed shutdown
        module.nvmlShutdown()


@dataclass(frozen=True)
class GpuDevice:
    index: int
    handle: object
    name: str
    has_counter: bool  # total-energy counter supported


def _devices(module: Any) -> list[GpuDevice]:
    count = module.nvmlDeviceGetCount()
    devices = []
    for index in range(count):
        handle = module.nvmlDeviceGetHandleByIndex(index)
        try:
            name = module.nvmlDeviceGetName(handle)
            name = name.decode() if isinstance(name, bytes) else str(name)
        except Exception:
            name = f"GPU {index}"
        try:
            module.nvmlDeviceGetTotalEnergyConsumption(handle)
            has_counter = True
        except Exception:
            has_counter = False  # NVML_ERROR_NOT_SUPPORTED on pre-Volta cards
        devices.append(GpuDevice(index, handle, name, has_counter))
    return devices


def status(nvml: object | None = None) -> MeterStatus:
    try:
        meter = NvmlMeter(nvml)
    except MeterUnavailable as exc:
        return MeterStatus(NAME, False, exc.reason, exc.fix)
    try:
        return MeterStatus(NAME, True, meter.describe())
    finally:
        meter.close()


@dataclass
class _Token:
    t0: float
    counters_mj: tuple[int, ...]
    sampler: PowerSampler | None


class NvmlMeter:
    name = NAME

    def __init__(self, nvml: object | None = None) -> None:
        self._nvml = load_nvml(nvml)
        try:
            self.devices = _devices(self._nvml)
        except Exception as exc:
            _shutdown(self._nvml)
            raise MeterUnavailable(
                arg(translate("Energy", "NVML could not list the GPUs (%1)"), _describe(exc))
            ) from None
        if not self.devices:
            _shutdown(self._nvml)
            raise MeterUnavailable(
                translate("Energy", "the NVIDIA driver is loaded but sees no GPU")
            )

    def describe(self) -> str:
        counter = translate("Energy", "%1 (energy counter)")
        polled = translate("Energy", "%1 (power polled every 100 ms)")
        parts = [arg(counter if d.has_counter else polled, d.name) for d in self.devices]
        return arg(translate("Energy", "measured GPU energy: %1"), ", ".join(parts))

    def close(self) -> None:
        _shutdown(self._nvml)

    @property
    def _counted(self) -> list[GpuDevice]:
        return [d for d in self.devices if d.has_counter]

    @property
    def _polled(self) -> list[GpuDevice]:
        return [d for d in self.devices if not d.has_counter]

    def _polled_watts(self) -> float:
        return sum(self._nvml.nvmlDeviceGetPowerUsage(d.handle) for d in self._polled) / 1000

    def begin(self, pid: int | None) -> object:
        counters = tuple(
            int(self._nvml.nvmlDeviceGetTotalEnergyConsumption(d.handle)) for d in self._counted
        )
        sampler = None
        if self._polled:
            sampler = PowerSampler(self._polled_watts, POLL_INTERVAL_S)
            sampler.start()
        return _Token(time.monotonic(), counters, sampler)

    def end(self, token: object) -> EnergyReading:
        assert isinstance(token, _Token)
        counters = tuple(
            int(self._nvml.nvmlDeviceGetTotalEnergyConsumption(d.handle)) for d in self._counted
        )
        seconds = time.monotonic() - token.t0
        # The counter is a 64-bit mJ count since the driver loaded: it does not wrap.
        joules = sum(max(0, b - a) for a, b in zip(token.counters_mj, counters, strict=True)) / 1e3
        notes = []
        if token.sampler is not None:
            polled_j, samples = token.sampler.stop()
            joules += polled_j
            if samples < MIN_SAMPLES:
                notes.append(arg(NOTE_FEW_SAMPLES, samples))
        elif seconds < MIN_CONFIDENT_S:
            notes.append(arg(SHORT_WINDOW_NOTE, f"{seconds * 1000:.0f}", MIN_CONFIDENT_S))
        return EnergyReading(
            joules=joules,
            seconds=seconds,
            source=NAME,
            scope="gpu",
            label=LABEL,
            measured=True,
            whole_machine=True,
            low_confidence=bool(notes),
            note="; ".join(notes),
        )
