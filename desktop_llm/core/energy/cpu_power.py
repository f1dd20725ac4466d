"""Per-core active power for the estimate, from the CPU's rated power (cpu_power.json)."""

from __future__ import annotations

import json
import platform
import re
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from desktop_llm.core import resources


@dataclass(frozen=True)
class CpuPower:
    model: str  # the CPU model name as the system reports it
    label: str  # the table row it matched, or the default's label, or "your value"
    tdp_w: float
    cores: int
    watts_per_core: float
    matched: bool  # False: the table's default was used
    override: bool = False  # the user's own per-core figure


@cache
def load_cpu_table() -> dict[str, Any]:
    """The bundled table (read once)."""
    return json.loads(resources.read_text(resources.CPU_POWER))


@cache
def cpu_model() -> str:
    """The CPU's model name: /proc/cpuinfo on Linux, sysctl on macOS, platform elsewhere."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except (OSError, UnicodeDecodeError):
        pass
    if sys.platform == "darwin":
        try:
            out = subprocess.run(
                ["sysctl", "-n", "machdep.cpu.brand_string"],
                capture_output=True,
                text=True,
                timeout=2,
                check=True,
            )
            if out.stdout.strip():
                return out.stdout.strip()
        except (OSError, subprocess.SubprocessError):
            pass
    return platform.processor() or platform.machine() or "unknown CPU"


def cpu_power_for(
    model: str | None = None,
    watts_per_core: float | None = None,
    table: dict[str, Any] | None = None,
) -> CpuPower:
    """The per-core figure for `model` (default: this machine's CPU).

    `watts_per_core` is the user's override and wins over the table.
    """
    model = cpu_model() if model is None else model
    table = load_cpu_table() if table is None else table
    if watts_per_core is not None:
        if watts_per_core <= 0:
            raise ValueError("per-core watts must be positive")
        return CpuPower(model, "your value", watts_per_core, 1, watts_per_core, True, True)
    for row in table["cpus"]:
        if re.search(row["pattern"], model, re.IGNORECASE):
            tdp, cores = float(row["tdp_w"]), int(row["cores"])
            return CpuPower(model, row["label"], tdp, cores, tdp / cores, True)
    default = table["default"]
    tdp, cores = float(default["tdp_w"]), int(default["cores"])
    return CpuPower(model, default["label"], tdp, cores, tdp / cores, False)
