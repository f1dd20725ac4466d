"""What the stored energy records add up to: per day, model, task, or model × task.

Costs are per 1,000 tokens (prompt and completion) and per 1,000 requests, where a request
is what the user asked for once: a chat reply, a translation or summary run (all of its
parts), one classified sentiment item (see schema.Energy.requests). The published figures
of Luccioni, Jernite and Strubell (2024) are given beside them for comparison; they were
measured on other hardware with other models, which the table says.

A remote engine's replies (energy source "remote") ran on another machine: they are never
summed with what this computer measured. Those without figures (not measured here) are
counted apart (EnergyGroup.remote); those with an estimate from the user's figure for the
server's power draw are summed apart (remote_estimated, remote_joules_estimated).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from desktop_llm.core.energy.reading import REMOTE
from desktop_llm.core.i18n import QT_TRANSLATE_NOOP
from desktop_llm.core.store import EnergyRow

GroupBy = Literal["day", "model", "task", "model-task"]
GROUPINGS: tuple[GroupBy, ...] = ("day", "model", "task", "model-task")

JOULES_PER_KWH = 3.6e6

# "Power Hungry Processing: Watts Driving the Cost of AI Deployment?", Luccioni, Jernite and
# Strubell, ACM FAccT 2024, table 2: mean kWh per 1,000 inferences, on one NVIDIA A100.
# The citation and the paper's task names are shown with translate("Energy", text).
PUBLISHED_SOURCE = QT_TRANSLATE_NOOP(
    "Energy", "Luccioni, Jernite & Strubell 2024, 'Power Hungry Processing' (one A100 GPU)"
)
PUBLISHED_KWH_PER_1000: dict[str, tuple[str, float]] = {
    "sentiment": (QT_TRANSLATE_NOOP("Energy", "text classification"), 0.002),
    "chat": (QT_TRANSLATE_NOOP("Energy", "text generation"), 0.047),
    "translate": (QT_TRANSLATE_NOOP("Energy", "text generation (no translation figure)"), 0.047),
    "summarize": (QT_TRANSLATE_NOOP("Energy", "summarization"), 0.049),
}


@dataclass
class EnergyGroup:
    key: str
    generations: int = 0
    requests: int = 0
    tokens: int = 0
    joules_gross: float = 0.0
    joules_net: float = 0.0
    joules_attributed: float = 0.0
    carbon_g: float = 0.0
    seconds: float = 0.0
    estimated: int = 0  # generations whose energy was estimated, not measured
    contended: int = 0  # generations measured while other programs kept the CPUs busy
    sources: set[str] = field(default_factory=set)
    # Remote engines' generations, left out of every figure above: not measured here at
    # all, or estimated from the user's figure for the server's power draw (summed apart).
    remote: int = 0
    remote_estimated: int = 0
    remote_joules_estimated: float = 0.0
    remote_carbon_estimated: float = 0.0

    @property
    def joules_per_1k_tokens(self) -> float | None:
        return self.joules_attributed / self.tokens * 1000 if self.tokens else None

    @property
    def kwh_per_1k_requests(self) -> float | None:
        if not self.requests:
            return None
        return self.joules_attributed / self.requests * 1000 / JOULES_PER_KWH

    def as_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "generations": self.generations,
            "requests": self.requests,
            "tokens": self.tokens,
            "joules_gross": self.joules_gross,
            "joules_net": self.joules_net,
            "joules_attributed": self.joules_attributed,
            "carbon_g": self.carbon_g,
            "seconds": self.seconds,
            "joules_per_1k_tokens": self.joules_per_1k_tokens,
            "kwh_per_1k_requests": self.kwh_per_1k_requests,
            "estimated_generations": self.estimated,
            "contended_generations": self.contended,
            "sources": sorted(self.sources),
            "remote_not_measured_generations": self.remote,
            "remote_estimated_generations": self.remote_estimated,
            "remote_estimated_joules": self.remote_joules_estimated,
            "remote_estimated_carbon_g": self.remote_carbon_estimated,
        }


def _model_name(row: EnergyRow) -> str:
    return row.model_file.removesuffix(".gguf")


KEYS: dict[GroupBy, Callable[[EnergyRow], str]] = {
    "day": lambda row: row.started_at.astimezone().date().isoformat(),
    "model": _model_name,
    "task": lambda row: row.task,
    "model-task": lambda row: f"{_model_name(row)} · {row.task}",
}


def group_energy(rows: Iterable[EnergyRow], by: GroupBy) -> list[EnergyGroup]:
    """Sums per group, in the order the groups first appear (rows come oldest first)."""
    return _groups(rows, KEYS[by])


def total(rows: Iterable[EnergyRow]) -> EnergyGroup:
    groups = _groups(rows, lambda row: "total")
    return groups[0] if groups else EnergyGroup("total")


def _groups(rows: Iterable[EnergyRow], key_of: Callable[[EnergyRow], str]) -> list[EnergyGroup]:
    groups: dict[str, EnergyGroup] = {}
    for row in rows:
        key = key_of(row)
        group = groups.get(key) or groups.setdefault(key, EnergyGroup(key))
        energy = row.energy
        if energy.source == REMOTE or energy.joules_attributed is None:
            if energy.joules_attributed is None:
                group.remote += 1
            else:
                group.remote_estimated += 1
                group.remote_joules_estimated += energy.joules_attributed
                group.remote_carbon_estimated += energy.carbon_g or 0.0
            continue
        group.generations += 1
        group.requests += energy.requests
        group.tokens += row.prompt_tokens + row.completion_tokens
        group.joules_gross += energy.joules_gross or 0.0
        group.joules_net += energy.joules_net or 0.0
        group.joules_attributed += energy.joules_attributed
        group.carbon_g += energy.carbon_g or 0.0
        group.seconds += energy.seconds
        group.estimated += 0 if energy.measured else 1
        group.contended += 1 if energy.contended else 0
        group.sources.add(energy.source)
    return list(groups.values())


def published_figure(task: str) -> tuple[str, float] | None:
    """(the paper's task name, kWh per 1,000 inferences) for one of our tasks."""
    return PUBLISHED_KWH_PER_1000.get(task)


def groups_csv(groups: Iterable[EnergyGroup], by: GroupBy) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            by,
            "generations",
            "requests",
            "tokens",
            "joules_gross",
            "joules_net",
            "joules_attributed",
            "carbon_g",
            "joules_per_1k_tokens",
            "kwh_per_1k_requests",
            "estimated_generations",
            "sources",
            "remote_not_measured_generations",
            "remote_estimated_generations",
            "remote_estimated_joules",
        ]
    )
    for g in groups:
        writer.writerow(
            [
                g.key,
                g.generations,
                g.requests,
                g.tokens,
                f"{g.joules_gross:.6g}",
                f"{g.joules_net:.6g}",
                f"{g.joules_attributed:.6g}",
                f"{g.carbon_g:.6g}",
                "" if g.joules_per_1k_tokens is None else f"{g.joules_per_1k_tokens:.6g}",
                "" if g.kwh_per_1k_requests is None else f"{g.kwh_per_1k_requests:.6g}",
                g.estimated,
                " ".join(sorted(g.sources)),
                g.remote,
                g.remote_estimated,
                f"{g.remote_joules_estimated:.6g}",
            ]
        )
    return out.getvalue()


def format_joules(joules: float) -> str:
    """'0.84 J', '12.3 J', '4.2 kJ', '1.30 Wh' — what a person can compare at a glance."""
    if joules >= 3600:
        return f"{joules / 3600:.2f} Wh"
    if joules >= 1000:
        return f"{joules / 1000:.1f} kJ"
    if joules >= 10:
        return f"{joules:.1f} J"
    return f"{joules:.2f} J"


def format_carbon(grams: float) -> str:
    if grams >= 1000:
        return f"{grams / 1000:.2f} kg CO2e"
    if grams >= 1:
        return f"{grams:.1f} g CO2e"
    if grams >= 0.01:
        return f"{grams:.2f} g CO2e"
    return f"{grams * 1000:.1f} mg CO2e"
