"""Eco mode: load the engine with the thread count that measured the fewest joules per token.

The setting `energy.eco` is off, on_battery (the default) or always. It is on when it is
`always`, or `on_battery` while psutil says the computer runs on its battery (a desktop has
no battery: psutil.sensors_battery() is None, so eco stays off there).

The figures come from a short calibration (eco_calibration.py, `desktop-llm energy
calibrate`, the Energy dashboard's button): the model generates the same reply at a few
thread counts through the real engine, each inside an energy window of the app's meters.
They are kept in `eco_calibration.json` beside settings.json, one calibration per model file
(sha256), GPU-layers setting (which decides the device) and machine (host, CPU model and
logical CPUs): a JSON file, not the database, because it belongs to this computer rather
than to the user's history (a database carried to another computer must not bring it along),
and it is small and replaced whole.

Load: llama.cpp's threads spin while a sibling is descheduled, so with other programs busy
fewer threads can cost fewer joules per token. Each calibration stores how busy the machine
was with other work just before it ran (`other_load()`: other programs' share of all CPUs
over a second). Calibrating again under a different load (more than LOAD_STEP apart) keeps
both; at load time the one measured under the load closest to the current one is used. A
model already loaded with one of those thread counts keeps it until it loads again, so a
change in load never reloads a model by itself.

A per-model thread count (model_settings.json) always wins over eco mode.
"""

from __future__ import annotations

import contextlib
import os
import platform
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil

from desktop_llm.core.config import Settings, WatchedJsonFile
from desktop_llm.core.energy.cpu_power import cpu_model
from desktop_llm.core.energy.cpu_time import process_cpu_seconds, system_busy_seconds
from desktop_llm.core.i18n import PLURAL, QT_TRANSLATE_NOOP, arg, translate

SETTING = "energy.eco"
OFF, ON_BATTERY, ALWAYS = "off", "on_battery", "always"
MODES = (OFF, ON_BATTERY, ALWAYS)
FILE_NAME = "eco_calibration.json"
# Two calibrations whose loads are closer than this replace each other; farther apart, both
# are kept (one for a quiet machine, one for a busy one).
LOAD_STEP = 0.15
# Calibrations kept per model, GPU layers and machine (the newest).
KEEP = 4


def on_battery() -> bool:
    """True while the computer runs on its battery; False without one (a desktop), on mains
    power, or when psutil cannot tell."""
    try:
        state = psutil.sensors_battery()
    except (OSError, RuntimeError, AttributeError, NotImplementedError):
        return False
    return state is not None and state.power_plugged is False


def eco_active(settings: Settings, *, battery: bool | None = None) -> bool:
    """Whether eco mode applies now (battery: the battery state, read when None)."""
    mode = settings[SETTING]
    if mode == ALWAYS:
        return True
    if mode == ON_BATTERY:
        return on_battery() if battery is None else battery
    return False


def machine() -> str:
    """This computer, as calibrations are stored for it."""
    return f"{platform.node()} | {cpu_model()} | {psutil.cpu_count() or 1} CPUs"


def physical_cores() -> int:
    return max(1, psutil.cpu_count(logical=False) or os.cpu_count() or 1)


def thread_counts(cores: int | None = None) -> list[int]:
    """The thread counts a calibration measures: 1, 2, 4, 8... and the physical cores."""
    cores = physical_cores() if cores is None else max(1, cores)
    counts = {cores}
    n = 1
    while n < cores:
        counts.add(n)
        n *= 2
    return sorted(counts)


def _own_processes(worker_pid: int | None) -> list[psutil.Process]:
    processes = []
    for pid in {os.getpid(), worker_pid} - {None}:
        with contextlib.suppress(psutil.Error):
            processes.append(psutil.Process(pid))
    return processes


def _own_seconds(processes: Sequence[psutil.Process]) -> dict[int, float]:
    seconds = {}
    for process in processes:
        with contextlib.suppress(psutil.Error):
            seconds[process.pid] = process_cpu_seconds(process)
    return seconds


def other_load(
    seconds: float = 1.0, worker_pid: int | None = None, stop: threading.Event | None = None
) -> float:
    """Other programs' share of all CPUs (0..1) over `seconds`: system-wide busy CPU seconds
    less this app's (this process and the inference worker), over seconds × logical CPUs.
    The same quantity the energy records' other_cpu_share states, measured while the app
    does not generate."""
    processes = _own_processes(worker_pid)
    own0 = _own_seconds(processes)
    busy0, t0 = system_busy_seconds(), time.monotonic()
    (stop or threading.Event()).wait(seconds)
    busy = system_busy_seconds() - busy0
    elapsed = time.monotonic() - t0
    own1 = _own_seconds(processes)
    own = sum(max(0.0, own1[p] - own0[p]) for p in own1 if p in own0)
    capacity = elapsed * (psutil.cpu_count() or 1)
    if capacity <= 0:
        return 0.0
    return max(0.0, min(1.0, (busy - own) / capacity))


@dataclass(frozen=True)
class Entry:
    """One thread count's figures in a calibration."""

    threads: int
    tokens: int
    seconds: float
    joules: float  # attributed to the model's process, summed over the rounds
    joules_per_token: float
    tokens_per_second: float
    # From the energy records, when they carry it (the contention figures): other programs'
    # CPU share during the windows, the largest of the rounds; None when unknown.
    other_cpu_share: float | None = None
    contended: bool | None = None


@dataclass(frozen=True)
class Calibration:
    model: str
    model_file: str
    sha256: str
    gpu_layers: int
    device: str
    machine: str
    load: float  # other programs' CPU share just before it ran (other_load())
    meter_source: str
    measured: bool  # False: the energy was estimated from CPU time (no meter here)
    tokens: int  # the reply's length asked for, per round
    rounds: int
    measured_at: str  # ISO 8601, UTC
    entries: tuple[Entry, ...] = field(default_factory=tuple)

    @property
    def best(self) -> Entry | None:
        """The entry with the fewest joules per token (fewer threads on a tie)."""
        usable = [e for e in self.entries if e.tokens > 0]
        return min(usable, key=lambda e: (e.joules_per_token, e.threads), default=None)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["entries"] = [asdict(e) for e in self.entries]
        return data

    @classmethod
    def from_json(cls, data: Any) -> Calibration | None:
        try:
            entries = tuple(Entry(**e) for e in data["entries"])
            fields = {k: v for k, v in data.items() if k != "entries"}
            return cls(**fields, entries=entries)
        except (TypeError, KeyError, AttributeError):
            return None  # an entry from another version: ignored

    def key(self) -> tuple[str, int, str]:
        return self.sha256, self.gpu_layers, self.machine


class Calibrations(WatchedJsonFile):
    """The calibration file beside settings.json. Thread-safe; read again when it changes on
    disk (the CLI calibrated while the window runs). A file set aside as .json.bad means
    calibrating again."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._items: list[Calibration] = []

    @classmethod
    def beside(cls, settings_path: Path) -> Calibrations:
        return cls(settings_path.with_name(FILE_NAME))

    def _load(self, raw: dict[str, Any]) -> None:
        found = (Calibration.from_json(item) for item in raw.get("calibrations", []))
        self._items = [c for c in found if c is not None]

    def all(self) -> list[Calibration]:
        with self._lock:
            self._refresh()
            return list(self._items)

    def find(self, sha256: str, gpu_layers: int, here: str | None = None) -> list[Calibration]:
        """This model's calibrations on this machine with these GPU layers, newest first."""
        key = (sha256, gpu_layers, machine() if here is None else here)
        return [c for c in reversed(self.all()) if c.key() == key]

    def add(self, calibration: Calibration) -> None:
        """Keep it; it replaces those of the same model, GPU layers and machine measured
        under a load within LOAD_STEP of its own."""
        with self._lock:
            self._refresh()
            kept = [
                c
                for c in self._items
                if c.key() != calibration.key() or abs(c.load - calibration.load) >= LOAD_STEP
            ]
            kept.append(calibration)
            same = [c for c in kept if c.key() == calibration.key()]
            for old in same[:-KEEP]:
                kept.remove(old)
            self._items = kept
            self._write_object({"version": 1, "calibrations": [c.as_json() for c in kept]})


def closest(calibrations: Sequence[Calibration], load: float) -> Calibration | None:
    """The calibration measured under the load closest to `load` (the newest on a tie)."""
    usable = [c for c in calibrations if c.best is not None]
    return min(usable, key=lambda c: abs(c.load - load), default=None)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# --- what eco mode does now, in words ---------------------------------------------------------

STATE_OFF = QT_TRANSLATE_NOOP("Eco", "Eco mode is off.")
STATE_PLUGGED = QT_TRANSLATE_NOOP(
    "Eco", "Eco mode is on only on battery; this computer is not running on its battery now."
)


@dataclass(frozen=True)
class EcoChoice:
    """What eco mode decided for a model: threads None keeps the usual thread count."""

    active: bool
    threads: int | None = None
    calibration: Calibration | None = None
    overridden: bool = False  # the model's own thread setting wins
    mode: str = OFF

    def words(self) -> str:
        if not self.active:
            return translate("Eco", STATE_PLUGGED if self.mode == ON_BATTERY else STATE_OFF)
        if self.overridden:
            return translate("Eco", "Eco mode is on, but this model's own thread setting is used.")
        best = self.calibration.best if self.calibration is not None else None
        if best is None:
            return translate(
                "Eco",
                "Eco mode is on, but this model is not calibrated yet on this computer: the "
                "usual thread count is used.",
            )
        assert self.calibration is not None
        n = best.threads
        text = translate(
            "Eco", "Eco mode: %n thread(s), %1 J per token, %2 tokens/s", None, PLURAL, n
        )
        text = arg(text, f"{best.joules_per_token:.3g}", f"{best.tokens_per_second:.1f}")
        if not self.calibration.measured:
            text += translate("Eco", " (estimated from CPU time)")
        return text
