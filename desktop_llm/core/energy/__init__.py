"""Energy and carbon of each response: meters, the monitor that composes them, carbon.

Pure Python (no Qt). See monitor.py for how a record is put together and each meter's
module for what it measures.
"""

from desktop_llm.core.energy.carbon import (
    CarbonIntensity,
    CountryIntensity,
    IntensityTable,
    grams_co2e,
    intensity_for,
    load_intensities,
)
from desktop_llm.core.energy.cpu_power import CpuPower, cpu_model, cpu_power_for
from desktop_llm.core.energy.monitor import EnergyMonitor, EnergyRecord
from desktop_llm.core.energy.reading import (
    EnergyReading,
    Meter,
    MeterStatus,
    MeterUnavailable,
    sysfs_root,
)
from desktop_llm.core.energy.statuses import meter_statuses

__all__ = [
    "CarbonIntensity",
    "CountryIntensity",
    "CpuPower",
    "EnergyMonitor",
    "EnergyReading",
    "EnergyRecord",
    "IntensityTable",
    "Meter",
    "MeterStatus",
    "MeterUnavailable",
    "cpu_model",
    "cpu_power_for",
    "grams_co2e",
    "intensity_for",
    "load_intensities",
    "meter_statuses",
    "sysfs_root",
]
