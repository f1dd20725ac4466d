"""A reply's cost in words: the quiet line under it ('0.8 J · 0.02 g CO2e · 45 tok/s · RAPL
package') and the longer text that explains how that was known. Shared by the window (line
and tooltip) and the CLI (a line on stderr)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from desktop_llm.core.energy.report import format_carbon, format_joules


class EnergyLike(Protocol):
    """Both a fresh EnergyRecord and a stored Energy row have these."""

    source: str
    scope: str
    label: str
    measured: bool
    joules_gross: float
    joules_net: float
    joules_attributed: float
    watts_avg: float
    baseline_watts: float
    seconds: float
    cpu_share: float | None
    carbon_g: float
    intensity_g_per_kwh: float
    intensity_source: str
    low_confidence: bool
    note: str


def cost_line(energy: EnergyLike, tokens_per_second: float | None) -> str:
    parts = [
        ("≈ " if not energy.measured else "") + format_joules(energy.joules_attributed),
        format_carbon(energy.carbon_g),
    ]
    if tokens_per_second:
        parts.append(f"{tokens_per_second:.0f} tok/s")
    parts.append(energy.label.split(":")[0] if not energy.measured else energy.label)
    line = " · ".join(parts)
    return line + (" (rough)" if energy.low_confidence else "")


def cost_tooltip(energy: EnergyLike) -> str:
    how = (
        f"Measured with {energy.label}."
        if energy.measured
        else f"Estimated, not measured: {energy.label}. This computer has no energy meter "
        "the app can read (the Energy dashboard's “How is this measured?” page, or "
        "`desktop-llm energy meters`, says why)."
    )
    lines = [
        how,
        f"Gross {format_joules(energy.joules_gross)} over {energy.seconds:.1f} s "
        f"(average {energy.watts_avg:.1f} W).",
    ]
    if energy.baseline_watts:
        lines.append(
            f"Net of the idle baseline ({energy.baseline_watts:.1f} W): "
            f"{format_joules(energy.joules_net)}."
        )
    if energy.cpu_share is not None:
        lines.append(
            f"The model's process used {energy.cpu_share:.0%} of the busy CPU time, so "
            f"{format_joules(energy.joules_attributed)} is counted for this reply."
        )
    lines.append(
        f"Carbon: {energy.intensity_g_per_kwh:.0f} g CO2e per kWh ({energy.intensity_source})."
    )
    if energy.low_confidence:
        lines.append("Rough: the reply was shorter than the meter can resolve well.")
    if energy.note:
        lines.append(f"Note: {energy.note}.")
    return "\n".join(lines)


def run_cost(records: Sequence[EnergyLike]) -> tuple[str, str]:
    """(line, tooltip) for a task run: the sum over its model calls (parts, batches)."""
    if not records:
        return "", ""
    joules = sum(r.joules_attributed for r in records)
    carbon = sum(r.carbon_g for r in records)
    measured = all(r.measured for r in records)
    calls = len(records)
    line = " · ".join(
        [
            ("" if measured else "≈ ") + format_joules(joules),
            format_carbon(carbon),
            f"{calls} model call{'s' if calls != 1 else ''}",
            records[-1].label if measured else records[-1].label.split(":")[0],
        ]
    )
    tooltip = cost_tooltip(records[-1])
    if calls > 1:
        tooltip = (
            f"This run: {calls} model calls (parts, batches), "
            f"{format_joules(joules)} and {format_carbon(carbon)} together.\n"
            f"The last of them:\n{cost_tooltip(records[-1])}"
        )
    return line, tooltip
