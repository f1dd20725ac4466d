"""Fake sysfs trees (RAPL, batteries) and a fake NVML module for the energy tests.

The machines this project is tested on have no RAPL, no battery and no GPU: the meters
read these trees through their sysfs-root parameter, and NVML through the module they are
given, so the code under test is the real code all the way down to the file or library.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# The max_energy_range_uj of a typical Intel package zone (2^32 × 61.035 µJ).
TYPICAL_RANGE_UJ = 262_143_328_850


def rapl_zone(
    sysfs: Path,
    zone: str,
    name: str,
    energy_uj: int = 0,
    max_range_uj: int | None = TYPICAL_RANGE_UJ,
) -> Path:
    """class/powercap/<zone> with name, energy_uj and (unless None) max_energy_range_uj."""
    path = sysfs / "class" / "powercap" / zone
    path.mkdir(parents=True, exist_ok=True)
    (path / "name").write_text(f"{name}\n")
    (path / "energy_uj").write_text(f"{energy_uj}\n")
    if max_range_uj is not None:
        (path / "max_energy_range_uj").write_text(f"{max_range_uj}\n")
    (path / "enabled").write_text("1\n")
    return path


def set_energy(sysfs: Path, zone: str, energy_uj: int) -> None:
    (sysfs / "class" / "powercap" / zone / "energy_uj").write_text(f"{energy_uj}\n")


def laptop_rapl(sysfs: Path) -> None:
    """A client laptop's layout: package-0 with core/uncore/dram inside, psys beside it."""
    rapl_zone(sysfs, "intel-rapl:0", "package-0", 1_000_000)
    rapl_zone(sysfs, "intel-rapl:0:0", "core", 2_000_000)
    rapl_zone(sysfs, "intel-rapl:0:1", "uncore", 3_000_000)
    rapl_zone(sysfs, "intel-rapl:0:2", "dram", 4_000_000)
    rapl_zone(sysfs, "intel-rapl:1", "psys", 5_000_000)
    # A second interface to the same package counter on recent laptops: must be ignored.
    rapl_zone(sysfs, "intel-rapl-mmio:0", "package-0", 6_000_000)


def battery(
    sysfs: Path,
    name: str = "BAT0",
    *,
    status: str = "Discharging",
    power_now_uw: int | None = None,
    current_now_ua: int | None = None,
    voltage_now_uv: int | None = None,
) -> Path:
    path = sysfs / "class" / "power_supply" / name
    path.mkdir(parents=True, exist_ok=True)
    (path / "type").write_text("Battery\n")
    (path / "status").write_text(f"{status}\n")
    for file, value in (
        ("power_now", power_now_uw),
        ("current_now", current_now_ua),
        ("voltage_now", voltage_now_uv),
    ):
        if value is not None:
            (path / file).write_text(f"{value}\n")
        elif (path / file).exists():
            (path / file).unlink()
    return path


def mains(sysfs: Path, online: bool = True) -> Path:
    path = sysfs / "class" / "power_supply" / "AC"
    path.mkdir(parents=True, exist_ok=True)
    (path / "type").write_text("Mains\n")
    (path / "online").write_text("1\n" if online else "0\n")
    return path


# --- NVML ---------------------------------------------------------------------------------

NVML_ERROR_UNINITIALIZED = 1
NVML_ERROR_NOT_SUPPORTED = 3
NVML_ERROR_LIBRARY_NOT_FOUND = 12
_MESSAGES = {
    NVML_ERROR_UNINITIALIZED: "Uninitialized",
    NVML_ERROR_NOT_SUPPORTED: "Not Supported",
    NVML_ERROR_LIBRARY_NOT_FOUND: "NVML Shared Library Not Found",
}


class NVMLError(Exception):
    """Like pynvml.NVMLError: carries the NVML return code in .value."""

    def __init__(self, value: int) -> None:
        super().__init__(value)
        self.value = value

    def __str__(self) -> str:
        return _MESSAGES.get(self.value, f"NVML error {self.value}")


@dataclass
class FakeGpu:
    name: str = "NVIDIA GeForce RTX 4070"
    energy_mj: int | None = 0  # None: the card has no total-energy counter
    power_mw: int = 0


@dataclass
class FakeNvml:
    """Quacks like the pynvml module, for the functions the meter calls."""

    gpus: list[FakeGpu] = field(default_factory=list)
    init_error: int | None = None
    initialised: bool = False
    power_reads: int = 0
    NVMLError: type[NVMLError] = NVMLError

    def nvmlInit(self) -> None:
        if self.init_error is not None:
            raise NVMLError(self.init_error)
        self.initialised = True

    def nvmlShutdown(self) -> None:
        self.initialised = False

    def _check(self) -> None:
        if not self.initialised:
            raise NVMLError(NVML_ERROR_UNINITIALIZED)

    def nvmlDeviceGetCount(self) -> int:
        self._check()
        return len(self.gpus)

    def nvmlDeviceGetHandleByIndex(self, index: int) -> FakeGpu:
        self._check()
        return self.gpus[index]

    def nvmlDeviceGetName(self, handle: FakeGpu) -> str:
        return handle.name

    def nvmlDeviceGetTotalEnergyConsumption(self, handle: FakeGpu) -> int:
        self._check()
        if handle.energy_mj is None:
            raise NVMLError(NVML_ERROR_NOT_SUPPORTED)
        return handle.energy_mj

    def nvmlDeviceGetPowerUsage(self, handle: FakeGpu) -> int:
        self._check()
        self.power_reads += 1
        return handle.power_mw
