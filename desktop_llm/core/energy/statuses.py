"""Every meter, available or not, with what it measures or why it cannot."""

from __future__ import annotations

from pathlib import Path

from desktop_llm.core.energy import apple, battery, estimate, nvml, rapl
from desktop_llm.core.energy.cpu_power import cpu_power_for
from desktop_llm.core.energy.reading import MeterStatus
from desktop_llm.core.energy.reading import sysfs_root as default_sysfs_root


def meter_statuses(
    sysfs_root: Path | None = None,
    *,
    nvml_module: object | None = None,
    cpu_watts_per_core: float | None = None,
    cpu_model: str | None = None,
) -> list[MeterStatus]:
    """In the order the monitor prefers them: rapl, nvml, battery, apple, estimate.

    Probing NVML initialises the library once (tens of ms with a driver): call this for a
    settings page or a diagnostic, not per reply.
    """
    root = default_sysfs_root() if sysfs_root is None else sysfs_root
    return [
        rapl.status(root),
        nvml.status(nvml_module),
        battery.status(root),
        apple.status(),
        estimate.status(cpu_power_for(cpu_model, cpu_watts_per_core)),
    ]
