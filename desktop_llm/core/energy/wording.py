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
)
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
    return _reworded(label, (estimate.LABEL,)) or label


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
    parts = [
        joules_felt(energy.joules_attributed, energy.measured),
        format_carbon(energy.carbon_g),
    ]
    if tokens_per_second:
        parts.append(f"{tokens_per_second:.0f} tok/s")
    if contended := contention_words(energy):
        parts.append(contended)
    parts.append(_meter_words(energy.label, energy.measured))
    line = " · ".join(parts)
    return arg(translate("Energy", "%1 (rough)"), line) if energy.low_confidence else line


def cost_tooltip(energy: EnergyLike) -> str:
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
    """(line, tooltip) for a task run: the sum over its model calls (parts, batches)."""
    if not records:
        return "", ""
    joules = sum(r.joules_attributed for r in records)
    carbon_g = sum(r.carbon_g for r in records)
    measured = all(r.measured for r in records)
    calls = len(records)
    busiest = max(records, key=lambda r: (bool(r.contended), r.other_cpu_share or 0.0))
    parts = [
        joules_felt(joules, measured),
        format_carbon(carbon_g),
        translate("Energy", "%n model call(s)", None, PLURAL, calls),
    ]
    if contended := contention_words(busiest):
        parts.append(contended)
    line = " · ".join([*parts, _meter_words(records[-1].label, measured)])
    tooltip = cost_tooltip(records[-1])
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
