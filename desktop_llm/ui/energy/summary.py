"""What the energy dashboard shows, computed off the GUI thread; no Qt here.

`load_dashboard` reads the stored energy records and the meters and sums them every way the
dashboard needs (this session, all time, per day, model and task, model × quantization ×
task beside the published figures); the rest puts those numbers in words and in CSV.
Words go through `translate()` (context "EnergyDashboard"); dates are the caller's (QLocale,
in the dashboard), the CSV stays English.

A remote engine's replies ran on another machine: they are in no chart, table row or sum of
this computer's energy; the totals count them apart ("12 replies not measured: remote"), and
those estimated from the user's figure for the server's power draw are summed apart.
"""

from __future__ import annotations

import csv
import io
import logging
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from desktop_llm.core.energy import CarbonIntensity, MeterStatus, intensity_for
from desktop_llm.core.energy.country import grid_country, locale_country
from desktop_llm.core.energy.report import (
    EnergyGroup,
    format_carbon,
    format_joules,
    group_energy,
    published_figure,
    total,
)
from desktop_llm.core.energy.wording import estimated_remote, is_remote, not_measured_remote
from desktop_llm.core.errors import UserError
from desktop_llm.core.i18n import PLURAL, QT_TRANSLATE_NOOP, arg, translate
from desktop_llm.core.services import Services
from desktop_llm.core.store import EnergyRow

log = logging.getLogger(__name__)

MAX_DAYS = 30
HOW_TAB = QT_TRANSLATE_NOOP("EnergyDashboard", "How is this measured?")


# --- what the dashboard shows, computed off the GUI thread ----------------------------------


@dataclass(frozen=True)
class CompareRow:
    model: str
    quantization: str
    task: str
    group: EnergyGroup

    @property
    def carbon_per_1k_requests(self) -> float | None:
        g = self.group
        return g.carbon_g / g.requests * 1000 if g.requests else None

    @property
    def published(self) -> tuple[str, float] | None:
        return published_figure(self.task)


@dataclass(frozen=True)
class DashboardData:
    rows: list[EnergyRow]
    session_start: datetime
    session: EnergyGroup
    overall: EnergyGroup
    by_day: list[EnergyGroup]  # the last MAX_DAYS days with data, oldest first
    by_model: list[EnergyGroup]
    by_task: list[EnergyGroup]
    compare: list[CompareRow]
    sources: Counter[str]  # generations per meter source
    low_confidence: int
    meters: list[MeterStatus]
    intensity: CarbonIntensity
    intensity_origin: str  # where the country or figure comes from, in words


def local_time(moment: datetime) -> datetime:
    """A naive datetime is local time (what datetime.now() gives)."""
    return moment.astimezone() if moment.tzinfo is None else moment


def compare_rows(rows: Sequence[EnergyRow]) -> list[CompareRow]:
    """Sums per model × quantization × task, ordered by those three."""
    buckets: dict[tuple[str, str, str], list[EnergyRow]] = {}
    for row in rows:
        key = (row.model_file.removesuffix(".gguf"), row.quantization or "", row.task)
        buckets.setdefault(key, []).append(row)
    rows_ = [
        CompareRow(model, quant, task, replace(total(bucket), key=f"{model} · {quant} · {task}"))
        for (model, quant, task), bucket in sorted(buckets.items())
    ]
    # A remote engine's model has nothing measured here: no row of zeros (the totals say it)
    return [row for row in rows_ if row.group.generations]


def _measured_here(groups: list[EnergyGroup]) -> list[EnergyGroup]:
    """The groups with figures of this computer (a remote engine's model has none)."""
    return [g for g in groups if g.generations]


def intensity_in_use(country_setting: str, custom: float) -> tuple[CarbonIntensity, str]:
    """The grid intensity new replies get (as ModelHost picks it), and where it comes from."""
    intensity = intensity_for(grid_country(country_setting), custom or None)
    if custom:
        origin = translate(
            "EnergyDashboard", "your own figure (Settings → Energy → Carbon intensity)"
        )
    elif country_setting.strip():
        origin = arg(
            translate("EnergyDashboard", "your country setting (%1)"),
            country_setting.strip().upper(),
        )
    elif (code := locale_country()) is not None:
        origin = arg(
            translate(
                "EnergyDashboard", "the system locale's country (%1); no country is set in Settings"
            ),
            code,
        )
    else:
        origin = translate(
            "EnergyDashboard",
            "no country in Settings or in the system locale, so the world average",
        )
    return intensity, origin


def load_dashboard(
    services: Services, session_start: datetime, read_meters: Callable[[], list[MeterStatus]]
) -> DashboardData:
    """Reads the database and the meters: runs in the pool, never on the GUI thread."""
    try:
        rows = services.store.energy_rows()
        meters = read_meters()
    except Exception as exc:
        log.exception("loading the energy dashboard failed")
        raise UserError(
            arg(
                translate("EnergyDashboard", "The energy records could not be read (%1: %2)."),
                type(exc).__name__,
                exc,
            )
        ) from exc
    start = local_time(session_start)
    settings = services.settings
    intensity, origin = intensity_in_use(
        str(settings["energy.country"]), float(settings["energy.carbon_intensity"])
    )
    return DashboardData(
        rows=rows,
        session_start=start,
        session=total(r for r in rows if r.started_at >= start),
        overall=total(rows),
        by_day=_measured_here(group_energy(rows, "day"))[-MAX_DAYS:],
        by_model=_measured_here(group_energy(rows, "model")),
        by_task=_measured_here(group_energy(rows, "task")),
        compare=compare_rows(rows),
        sources=Counter(r.energy.source for r in rows if not is_remote(r.energy)),
        low_confidence=sum(1 for r in rows if r.energy.low_confidence and not is_remote(r.energy)),
        meters=meters,
        intensity=intensity,
        intensity_origin=origin,
    )


# --- words and numbers ---------------------------------------------------------------------


def plain_number(value: float | None, significant: int = 3) -> str:
    """'0.047', '0.0000123', '12.3', '1,234': never an exponent."""
    if value is None:
        return ""
    if value == 0:
        return "0"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    decimals = max(0, significant - 1 - math.floor(math.log10(abs(value))))
    return f"{value:.{decimals}f}"


def remote_words(group: EnergyGroup) -> list[str]:
    """What a group's sums leave out: replies of remote engines, not measured here or
    estimated from the user's figures ([] when there were none)."""
    words = []
    if group.remote:
        words.append(not_measured_remote(group.remote))
    if group.remote_estimated:
        words.append(estimated_remote(group.remote_estimated, group.remote_joules_estimated))
    return words


def totals_line(label: str, group: EnergyGroup) -> str:
    """label: already translated ("This session")."""
    apart = remote_words(group)
    if not group.generations:
        if apart:
            return arg(translate("EnergyDashboard", "%1: %2"), label, " · ".join(apart))
        return arg(translate("EnergyDashboard", "%1: no requests yet"), label)
    requests = group.requests
    # %Ln: the count in the window's locale, with thousands separators ("1,234").
    over = translate("EnergyDashboard", "%1: %2 · %3 over %Ln request(s)", None, PLURAL, requests)
    line = arg(over, label, format_joules(group.joules_attributed), format_carbon(group.carbon_g))
    return " · ".join([line, *apart])


def first_record_time(data: DashboardData) -> datetime | None:
    """When the oldest stored record was made, in local time."""
    return data.rows[0].started_at.astimezone() if data.rows else None


def header_text(data: DashboardData, since: str = "") -> str:
    """since: the day of the first record, in words (the caller formats it for the locale)."""
    all_time = totals_line(translate("EnergyDashboard", "All time"), data.overall)
    if since:
        all_time = arg(translate("EnergyDashboard", "%1 since %2"), all_time, since)
    session = totals_line(translate("EnergyDashboard", "This session"), data.session)
    return arg(
        translate("EnergyDashboard", "%1. %2.", "this session's totals, then all time's"),
        session,
        all_time,
    )


def estimate_warning(data: DashboardData) -> str:
    estimated, count = data.overall.estimated, data.overall.generations
    if not estimated:
        return ""
    link = f'<a href="#how">{translate("EnergyDashboard", HOW_TAB)}</a>'
    if estimated == count:
        return arg(
            translate(
                "EnergyDashboard",
                "All %1 model calls were estimated from CPU time, not measured; see %2",
            ),
            f"{count:,}",
            link,
        )
    return arg(
        translate("EnergyDashboard", "%1 of %2 model calls were estimated from CPU time; see %3"),
        f"{estimated:,}",
        f"{count:,}",
        link,
    )


def compare_csv(rows: Sequence[CompareRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "model",
            "quantization",
            "task",
            "generations",
            "requests",
            "tokens",
            "joules_gross",
            "joules_net",
            "joules_attributed",
            "carbon_g",
            "joules_per_1k_tokens",
            "kwh_per_1k_requests",
            "carbon_g_per_1k_requests",
            "estimated_generations",
            "sources",
            "published_task",
            "published_kwh_per_1k_inferences",
        ]
    )
    for row in rows:
        g = row.group
        published = row.published
        writer.writerow(
            [
                row.model,
                row.quantization,
                row.task,
                g.generations,
                g.requests,
                g.tokens,
                f"{g.joules_gross:.6g}",
                f"{g.joules_net:.6g}",
                f"{g.joules_attributed:.6g}",
                f"{g.carbon_g:.6g}",
                _csv_number(g.joules_per_1k_tokens),
                _csv_number(g.kwh_per_1k_requests),
                _csv_number(row.carbon_per_1k_requests),
                g.estimated,
                " ".join(sorted(g.sources)),
                published[0] if published else "",
                published[1] if published else "",
            ]
        )
    return out.getvalue()


def _csv_number(value: float | None) -> str:
    return "" if value is None else f"{value:.6g}"


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Runs in the pool; a failure becomes one plain sentence."""
    try:
        path.write_text(text, encoding=encoding, newline="")
    except OSError as exc:
        raise UserError(
            arg(translate("EnergyDashboard", "Could not save %1: %2."), path, exc.strerror or exc)
        ) from exc
    return path
