"""A reply's cost in words: the quiet line under it ('0.8 J · 0.02 g CO2e · 45 tok/s · RAPL
package') and the longer text that explains how that was known. Shared by the window (line
and tooltip) and the CLI (a line on stderr).

A record's label, notes and carbon source are stored in English; shown_label, note_words
and source_words give them in the window's language (as is for text they do not know).

felt() puts joules in terms a person feels: seconds of a 10 W LED bulb for small amounts, a
share of a phone charge for larger ones (FELT_ASSUMPTION says what those are taken to be).
contention_words() says when a record was measured while other programs kept the CPUs busy
(energy/contention.py), so its figures are higher than on a quiet machine.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Protocol

from desktop_llm.core.energy import carbon, estimate, monitor, nvml, rapl
from desktop_llm.core.energy.reading import SHORT_WINDOW_NOTE
from desktop_llm.core.energy.report import format_carbon, format_joules
from desktop_llm.core.i18n import PLURAL, QT_TRANSLATE_NOOP, arg, current_language, translate

CONTEXT = "Energy"
_MARKER = re.compile(r"(%\d)")


class EnergyLike(Protocol):
    """Both a fresh EnergyRecord and a stored Energy row have these."""

    source: str
    scope: str
    label: str
    measured: bool
    joules_gross: float | None  # None: unknown (a remote engine's reply, not measured here)
    joules_net: float | None
    joules_attributed: float | None
    watts_avg: float | None
    baseline_watts: float | None
    seconds: float
    cpu_share: float | None
    carbon_g: float | None
    intensity_g_per_kwh: float
    intensity_source: str
    low_confidence: bool
    note: str
    other_cpu_share: float | None
    contended: bool | None


# What felt() compares with: a 10 W LED bulb (a 60 W incandescent's light), and a phone's
# full charge taken as a ~15 Wh battery (3,900 mAh at 3.85 V), about 54 kJ.
LED_BULB_W = 10.0
PHONE_CHARGE_J = 15.0 * 3600
FELT_ASSUMPTION = QT_TRANSLATE_NOOP(
    "Energy", "Compared with a 10 W LED bulb, and a phone charge taken as a 15 Wh battery "
    "(about 54 kJ)."
)  # fmt: skip


def _figure(value: float) -> str:
    """Two significant figures, no exponent: 0.0084, 0.084, 1.2, 84, 840."""
    if value <= 0:
        return "0"
    if value >= 10:
        return f"{value:.0f}"
    text = f"{value:.{1 - math.floor(math.log10(value))}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def felt(joules: float) -> str:
    """joules in terms a person feels: "a 10 W LED bulb for 0.08 s" up to a minute of it,
    then "2 % of a phone charge", "3.5 phone charges" (see FELT_ASSUMPTION)."""
    seconds = joules / LED_BULB_W
    if seconds < 60:
        return arg(translate("Energy", "a 10 W LED bulb for %1 s"), _figure(seconds))
    charges = joules / PHONE_CHARGE_J
    if charges < 1:
        return arg(translate("Energy", "%1 % of a phone charge"), _figure(charges * 100))
    return arg(translate("Energy", "%1 phone charges"), f"{charges:.1f}")


def contention_words(energy: EnergyLike) -> str:
    """Why a record measured under contention has high figures; "" for any other record."""
    share = energy.other_cpu_share
    if not energy.contended or share is None:
        return ""
    return arg(
        translate(
            "Energy",
            "measured while other programs kept the CPU busy (%1 %): figures are higher "
            "than on a quiet machine",
        ),
        f"{share * 100:.0f}",
    )


@cache
def _pattern(template: str) -> re.Pattern[str]:
    """The English text a template gives, whatever its %1.. were filled with."""
    parts = _MARKER.split(template)
    return re.compile(
        "".join("(.+?)" if _MARKER.fullmatch(part) else re.escape(part) for part in parts),
        re.DOTALL,
    )


def _reworded(text: str, templates: Iterable[str]) -> str | None:
    """text in the window's language when one of the (English) templates made it."""
    for template in templates:
        match = _pattern(template).fullmatch(text)
        if match:
            numbers = [int(m[1:]) for m in _MARKER.findall(template)]
            values = [""] * max(numbers, default=0)
            for number, value in zip(numbers, match.groups(), strict=True):
                values[number - 1] = value
            return arg(translate(CONTEXT, template), *values)
    return None


_NOTES = (
    monitor.NOTE_NO_BASELINE,
    monitor.NOTE_PRIMARY_FAILED,
    monitor.NOTE_GPU_FAILED,
    estimate.NOTE_UNREADABLE,
    estimate.NOTE_ENDED,
    estimate.NOTE_SHORT_WINDOW,
    SHORT_WINDOW_NOTE,
    rapl.NOTE_BACKWARDS,
    nvml.NOTE_FEW_SAMPLES,
    monitor.NOTE_REMOTE,
    monitor.NOTE_REMOTE_ESTIMATE,
)
# the estimate's first: "remote engine %1" alone would match it too
_REMOTE_LABELS = (monitor.LABEL_REMOTE_ESTIMATE, monitor.LABEL_REMOTE)
_SOURCE_PREFIX = re.compile(r"(\w+): (.+)", re.DOTALL)  # "rapl: window 40 ms is ..."


def _note_piece(text: str) -> str | None:
    words = _reworded(text, _NOTES)
    if words is None and (match := _SOURCE_PREFIX.fullmatch(text)):
        inner = _reworded(match[2], _NOTES)
        if inner is not None:
            words = arg(translate("Energy", "%1: %2"), match[1], inner)
    return words


def note_words(note: str) -> str:
    """A record's note ("no idle baseline measured yet; rapl: window 40 ms is shorter than
    0.1 s") in the window's language, piece by piece."""
    pieces = note.split("; ")  # some notes have a "; " of their own: tried two at a time
    shown: list[str] = []
    i = 0
    while i < len(pieces):
        for span in (2, 1):
            words = (
                _note_piece("; ".join(pieces[i : i + span])) if i + span <= len(pieces) else None
            )
            if words is not None:
                shown.append(words)
                i += span
                break
        else:
            shown.append(pieces[i])
            i += 1
    text = shown[0] if shown else ""
    for piece in shown[1:]:
        text = arg(translate("Energy", "%1; %2"), text, piece)
    return text


def shown_label(label: str) -> str:
    """A meter's stored label ("RAPL package + NVIDIA GPU") in the window's language."""
    if label.endswith(" + " + nvml.LABEL) and label != rapl.LABELS["package+dram"]:
        return shown_label(label.removesuffix(" + " + nvml.LABEL)) + " + " + nvml.LABEL
    if label in rapl.LABELS.values():
        return translate("Energy", label)
    return _reworded(label, (estimate.LABEL, *_REMOTE_LABELS)) or label


def is_remote(energy: EnergyLike) -> bool:
    """A remote engine's reply: nothing of it was measured on this computer."""
    return energy.source == monitor.REMOTE


def remote_engine_name(label: str) -> str:
    """The engine a remote record's label names ("gpu-box"); the label itself otherwise."""
    for template in _REMOTE_LABELS:
        match = _pattern(template).fullmatch(label)
        if match:
            return match[1]
    return label


def engine_words(engine: str, host: str | None) -> str:
    """Which engine wrote a reply: "Engine: this computer (local)." or the remote's name and
    host."""
    if engine == "local":
        return translate("Energy", "Engine: this computer (local).")
    if host:
        return arg(translate("Energy", "Engine: %1 at %2, a remote server."), engine, host)
    return arg(translate("Energy", "Engine: %1, a remote server."), engine)


def reply_tooltip(record: EnergyLike, engine: str, host: str | None) -> str:
    """A reply's cost tooltip: how its cost was known, then which engine wrote it."""
    return "\n".join([cost_tooltip(record), engine_words(engine, host)])


def not_measured_remote(count: int) -> str:
    """What the totals leave out: "12 replies not measured: remote"."""
    return translate("Energy", "%n reply(ies) not measured: remote", None, PLURAL, count)


def estimated_remote(count: int, joules: float) -> str:
    """Remote replies with an estimate from the user's figures, apart from the measured ones."""
    template = translate(
        "Energy", "%n remote reply(ies) estimated from your power figures: %1", None, PLURAL, count
    )
    return arg(template, format_joules(joules))


def source_words(source: str) -> str:
    """Where a carbon figure came from ("world average: ...") in the window's language."""
    templates = (carbon.SOURCE_YOURS, carbon.SOURCE_WORLD_UNKNOWN, carbon.SOURCE_WORLD)
    reworded = _reworded(source, templates)
    if reworded:
        return reworded
    # "China: Ember via ..., 2023": the country's name in the window's language.
    name, sep, rest = source.partition(": ")
    by_name = {c.name: c for c in carbon.load_intensities().countries.values()}
    if sep and name in by_name:
        colon = translate("Energy", ": ")
        return by_name[name].name_in(current_language()) + colon + rest
    return source


def _meter_words(label: str, whole: bool) -> str:
    """A line's meter: the whole label, or only what comes before its colon ("estimate")."""
    if whole:
        return shown_label(label)
    head = label.split(":")[0]
    return translate("Energy", "estimate") if head == "estimate" else shown_label(head)


def joules_felt(joules: float, measured: bool = True) -> str:
    """Joules and what they feel like: "≈ 0.84 J (a 10 W LED bulb for 0.084 s)"."""
    figure = ("≈ " if not measured else "") + format_joules(joules)
    return arg(translate("Energy", "%1 (%2)", "joules (what they feel like)"), figure, felt(joules))


def cost_line(energy: EnergyLike, tokens_per_second: float | None) -> str:
    remote = is_remote(energy)
    if energy.joules_attributed is None or energy.carbon_g is None:
        # A remote engine's reply without the user's figure: nothing to show but that.
        parts = [translate("Energy", monitor.NOTE_REMOTE)]
        if tokens_per_second:
            parts.append(f"{tokens_per_second:.0f} tok/s")
        parts.append(shown_label(energy.label))
        return " · ".join(parts)
    parts = [
        joules_felt(energy.joules_attributed, energy.measured),
        format_carbon(energy.carbon_g),
    ]
    if tokens_per_second:
        parts.append(f"{tokens_per_second:.0f} tok/s")
    if contended := contention_words(energy):
        parts.append(contended)
    parts.append(_meter_words(energy.label, energy.measured or remote))
    line = " · ".join(parts)
    return arg(translate("Energy", "%1 (rough)"), line) if energy.low_confidence else line


def _remote_tooltip(energy: EnergyLike) -> str:
    engine = remote_engine_name(energy.label)
    joules = energy.joules_attributed
    if joules is None or energy.carbon_g is None:
        lines = [
            arg(
                translate(
                    "Energy",
                    "Not measured: this reply was written by the remote engine %1, on another "
                    "machine whose energy this computer cannot measure. It has no energy or "
                    "carbon figure, and the totals count it apart.",
                ),
                engine,
            ),
            translate(
                "Energy",
                "Give the engine the server's average power draw to get an estimate "
                "from your figure.",
            ),
            arg(translate("Energy", "The reply took %1 s."), f"{energy.seconds:.1f}"),
        ]
        return "\n".join(lines)
    watts = energy.watts_avg or 0.0
    lines = [
        arg(
            translate(
                "Energy",
                "An estimate, not a measurement: your figure of %1 W for the remote engine %2 "
                "× %3 s = %4.",
            ),
            monitor.watts_text(watts),
            engine,
            f"{energy.seconds:.1f}",
            format_joules(joules),
        ),
        arg(
            translate("Energy", "That is about %1. %2"),
            felt(joules),
            translate("Energy", FELT_ASSUMPTION),
        ),
        arg(
            translate("Energy", "Carbon: %1 g CO2e per kWh (%2)."),
            f"{energy.intensity_g_per_kwh:.0f}",
            source_words(energy.intensity_source),
        ),
    ]
    return "\n".join(lines)


def cost_tooltip(energy: EnergyLike) -> str:
    if is_remote(energy):
        return _remote_tooltip(energy)
    label = shown_label(energy.label)
    how = (
        arg(translate("Energy", "Measured with %1."), label)
        if energy.measured
        else arg(
            translate(
                "Energy",
                "Estimated, not measured: %1. This computer has no energy meter "
                "the app can read (the Energy dashboard's “How is this measured?” page, or "
                "`desktop-llm energy meters`, says why).",
            ),
            label,
        )
    )
    lines = [
        how,
        arg(
            translate("Energy", "Gross %1 over %2 s (average %3 W)."),
            format_joules(energy.joules_gross),
            f"{energy.seconds:.1f}",
            f"{energy.watts_avg:.1f}",
        ),
    ]
    if energy.baseline_watts:
        lines.append(
            arg(
                translate("Energy", "Net of the idle baseline (%1 W): %2."),
                f"{energy.baseline_watts:.1f}",
                format_joules(energy.joules_net),
            )
        )
    if energy.cpu_share is not None:
        lines.append(
            arg(
                translate(
                    "Energy",
                    "The model's process used %1 of the busy CPU time, so "
                    "%2 is counted for this reply.",
                ),
                f"{energy.cpu_share:.0%}",
                format_joules(energy.joules_attributed),
            )
        )
    lines.append(
        arg(
            translate("Energy", "That is about %1. %2"),
            felt(energy.joules_attributed),
            translate("Energy", FELT_ASSUMPTION),
        )
    )
    share = energy.other_cpu_share
    if energy.contended and share is not None:
        lines.append(
            arg(
                translate(
                    "Energy",
                    "Measured while other programs kept the CPU busy (%1 %): figures are higher "
                    "than on a quiet machine, so leave them out of comparisons.",
                ),
                f"{share * 100:.0f}",
            )
        )
    elif share is not None:
        lines.append(
            arg(
                translate(
                    "Energy", "Other programs used %1 % of the CPU meanwhile: a quiet machine."
                ),
                f"{share * 100:.0f}",
            )
        )
    lines.append(
        arg(
            translate("Energy", "Carbon: %1 g CO2e per kWh (%2)."),
            f"{energy.intensity_g_per_kwh:.0f}",
            source_words(energy.intensity_source),
        )
    )
    if energy.low_confidence:
        lines.append(
            translate("Energy", "Rough: the reply was shorter than the meter can resolve well.")
        )
    if energy.note:
        lines.append(arg(translate("Energy", "Note: %1."), note_words(energy.note)))
    return "\n".join(lines)


def run_cost(records: Sequence[EnergyLike]) -> tuple[str, str]:
    """(line, tooltip) for a task run: the sum over its model calls (parts, batches).

    Calls without figures (a remote engine's, not measured here) are not summed: the line
    says how many there were."""
    if not records:
        return "", ""
    known = [r for r in records if r.joules_attributed is not None]
    unknown = len(records) - len(known)
    calls = len(records)
    if not known:
        line = " · ".join(
            [
                translate("Energy", monitor.NOTE_REMOTE),
                translate("Energy", "%n model call(s)", None, PLURAL, calls),
                shown_label(records[-1].label),
            ]
        )
        return line, cost_tooltip(records[-1])
    joules = sum(r.joules_attributed or 0.0 for r in known)
    carbon_g = sum(r.carbon_g or 0.0 for r in known)
    measured = all(r.measured for r in known)
    busiest = max(known, key=lambda r: (bool(r.contended), r.other_cpu_share or 0.0))
    parts = [
        joules_felt(joules, measured),
        format_carbon(carbon_g),
        translate("Energy", "%n model call(s)", None, PLURAL, calls),
    ]
    if unknown:
        parts.append(translate("Energy", "%n call(s) not measured: remote", None, PLURAL, unknown))
    if contended := contention_words(busiest):
        parts.append(contended)
    last = known[-1]
    line = " · ".join([*parts, _meter_words(last.label, measured or is_remote(last))])
    tooltip = cost_tooltip(last)
    if calls > 1:
        together = translate(
            "Energy", "This run: %n model call(s) (parts, batches), "
            "%1 and %2 together.", None, PLURAL, calls
        )  # fmt: skip
        tooltip = "\n".join(
            [
                arg(together, format_joules(joules), format_carbon(carbon_g)),
                translate("Energy", "The last of them:"),
                tooltip,
            ]
        )
    return line, tooltip
