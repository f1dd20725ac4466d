"""Linux RAPL energy counters through the powercap sysfs interface.

Layout (intel_rapl driver; AMD Zen parts appear under the same "intel-rapl" names on most
kernels, and we also accept "amd-rapl"):

    class/powercap/intel-rapl:0        name=package-0  top-level zone
    class/powercap/intel-rapl:0:0      name=core       inside package-0
    class/powercap/intel-rapl:0:1      name=uncore     inside package-0
    class/powercap/intel-rapl:0:2      name=dram       listed under the package, counted apart
    class/powercap/intel-rapl:1        name=psys       the whole platform (SoC, memory, ...)

What we add up: every package-N (several sockets), plus every dram zone wherever it is
listed (the DRAM counter is not part of the package counter, even when sysfs nests it).
core/uncore are parts of their package and never added. psys already contains the packages
and is used alone, and only when there is no package zone: for the question "what did the
CPU spend on this answer" package(+dram) is the right scope, and it is the one the worker's
CPU share can be fairly applied to; psys also carries the screen, the SSD, the Wi-Fi...
"intel-rapl-mmio" zones are a second interface to the same package counter: skipped.

Since kernel 5.10 energy_uj is readable by root only (CVE-2020-8694, "Platypus"):
MeterStatus says so and how to grant read access, and the app falls back to the estimate.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

from desktop_llm.core.energy.reading import (
    SHORT_WINDOW_NOTE,
    EnergyReading,
    MeterStatus,
    MeterUnavailable,
)
from desktop_llm.core.i18n import QT_TRANSLATE_NOOP, arg, translate

NAME = "rapl"
# Zone directory names: intel-rapl:0, intel-rapl:0:1, amd-rapl:0 (not intel-rapl-mmio:0).
_ZONE_RE = re.compile(r"^(intel|amd)-rapl:(\d+)(?::(\d+))?$")
# RAPL's counter updates about every millisecond, but two reads of several zones, the
# scheduler and sysfs overhead blur the window's edges by a few ms: below 0.1 s that blur
# is several percent of the reading, so such windows are flagged low-confidence.
MIN_CONFIDENT_S = 0.1
CHMOD_COMMAND = "`sudo chmod o+r /sys/class/powercap/intel-rapl:*/energy_uj`"
UDEV_RULE = (
    '`ACTION=="add", SUBSYSTEM=="powercap", KERNEL=="intel-rapl:*", '
    'RUN+="/bin/chmod o+r /sys%p/energy_uj"`'
)
UDEV_FILE = "/etc/udev/rules.d/99-rapl.rules"
# Labels and notes are stored with each record in English; the window words them in its
# language when it shows them (wording.shown_label, wording.note_words).
LABELS = {
    "package": QT_TRANSLATE_NOOP("Energy", "RAPL package"),
    "package+dram": QT_TRANSLATE_NOOP("Energy", "RAPL package + DRAM"),
    "psys": QT_TRANSLATE_NOOP("Energy", "RAPL platform (psys)"),
}
NOTE_BACKWARDS = QT_TRANSLATE_NOOP("Energy", "%1 counter went backwards with no known range")


def permission_reason() -> str:
    return translate("Energy", "RAPL counters exist but cannot be read (permission denied)")


def permission_fix() -> str:
    return arg(
        translate("Energy", "Run %1 (lasts until reboot), or for good add the udev rule %2 to %3"),
        CHMOD_COMMAND,
        UDEV_RULE,
        UDEV_FILE,
    )


@dataclass(frozen=True)
class RaplZone:
    path: Path
    name: str  # package-0, dram, psys, core, uncore
    max_range_uj: int | None  # counter wraps after this many µJ; None if unreadable

    @property
    def energy_file(self) -> Path:
        return self.path / "energy_uj"


@dataclass(frozen=True)
class RaplSelection:
    zones: tuple[RaplZone, ...]
    scope: str  # "package", "package+dram" or "psys"

    @property
    def label(self) -> str:
        return LABELS.get(self.scope, LABELS["psys"])


def _read_text(path: Path) -> str:
    return path.read_text(encoding="ascii").strip()


def find_zones(sysfs: Path) -> list[RaplZone]:
    """Every RAPL zone under sysfs, top-level and nested, in a stable order."""
    base = sysfs / "class" / "powercap"
    if not base.is_dir():
        return []
    zones = []
    for entry in sorted(base.iterdir(), key=lambda p: p.name):
        if not _ZONE_RE.match(entry.name):
            continue
        try:
            name = _read_text(entry / "name")
        except (OSError, UnicodeDecodeError):
            continue  # a zone without a readable name cannot be classified: leave it out
        try:
            max_range: int | None = int(_read_text(entry / "max_energy_range_uj"))
        except (OSError, ValueError, UnicodeDecodeError):
            max_range = None
        zones.append(RaplZone(entry, name, max_range))
    return zones


def select_zones(zones: list[RaplZone]) -> RaplSelection | None:
    """The zones whose counters add up to one scope without counting anything twice."""
    packages = tuple(z for z in zones if z.name.startswith("package"))
    drams = tuple(z for z in zones if z.name == "dram")
    if packages:
        return RaplSelection(packages + drams, "package+dram" if drams else "package")
    psys = tuple(z for z in zones if z.name == "psys")
    if psys:
        return RaplSelection(psys[:1], "psys")
    return None


def read_uj(zone: RaplZone) -> int:
    """One counter value. Raises PermissionError (non-root since 5.10) or another OSError."""
    with open(zone.energy_file, "rb") as f:
        return int(f.read().strip())


def counter_delta(start_uj: int, end_uj: int, max_range_uj: int | None) -> tuple[int, bool]:
    """µJ between two reads of one counter, and whether the value is trustworthy.

    The counter runs from 0 to max_energy_range_uj and starts again from 0, so an end value
    below the start means it wrapped once (several wraps in one window would need hundreds
    of kJ: ~10 minutes at 400 W on a typical 262 kJ range; not something one reply does).
    """
    if end_uj >= start_uj:
        return end_uj - start_uj, True
    if max_range_uj is None:
        return 0, False
    return max_range_uj - start_uj + end_uj, True


def probe(sysfs: Path) -> RaplSelection:
    """The usable selection, or MeterUnavailable with the plain reason (and fix)."""
    zones = find_zones(sysfs)
    selection = select_zones(zones)
    if selection is None:
        if zones:
            raise MeterUnavailable(
                translate("Energy", "RAPL zones found but none is a package or psys domain")
            )
        raise MeterUnavailable(
            arg(
                translate("Energy", "no RAPL energy counters (no %1)"),
                "/sys/class/powercap/intel-rapl:*",
            )
        )
    for zone in selection.zones:
        try:
            read_uj(zone)
        except PermissionError:
            raise MeterUnavailable(permission_reason(), permission_fix()) from None
        except (OSError, ValueError) as exc:
            raise MeterUnavailable(
                arg(
                    translate("Energy", "RAPL counter %1 cannot be read (%2)"),
                    zone.energy_file,
                    exc.__class__.__name__,
                )
            ) from None
    return selection


def status(sysfs: Path) -> MeterStatus:
    try:
        selection = probe(sysfs)
    except MeterUnavailable as exc:
        return MeterStatus(NAME, False, exc.reason, exc.fix)
    names = ", ".join(z.name for z in selection.zones)
    return MeterStatus(
        NAME,
        True,
        arg(
            translate("Energy", "%1: measured energy counters (%2)"),
            translate("Energy", selection.label),
            names,
        ),
    )


@dataclass(frozen=True)
class _Token:
    t0: float
    values: tuple[int, ...]


class RaplMeter:
    """Gross energy of the chosen RAPL zones between begin() and end()."""

    name = NAME

    def __init__(self, sysfs: Path) -> None:
        self.selection = probe(sysfs)  # raises MeterUnavailable

    @property
    def scope(self) -> str:
        return self.selection.scope

    def begin(self, pid: int | None) -> object:
        values = tuple(read_uj(z) for z in self.selection.zones)
        return _Token(time.monotonic(), values)

    def end(self, token: object) -> EnergyReading:
        assert isinstance(token, _Token)
        values = tuple(read_uj(z) for z in self.selection.zones)
        seconds = time.monotonic() - token.t0
        total_uj, notes = 0, []
        for zone, start, stop in zip(self.selection.zones, token.values, values, strict=True):
            delta, ok = counter_delta(start, stop, zone.max_range_uj)
            total_uj += delta
            if not ok:
                notes.append(arg(NOTE_BACKWARDS, zone.name))
        if seconds < MIN_CONFIDENT_S:
            notes.append(arg(SHORT_WINDOW_NOTE, f"{seconds * 1000:.0f}", MIN_CONFIDENT_S))
        return EnergyReading(
            joules=total_uj / 1e6,
            seconds=seconds,
            source=NAME,
            scope=self.selection.scope,
            label=self.selection.label,
            measured=True,
            whole_machine=True,
            low_confidence=bool(notes),
            note="; ".join(notes),
        )
