"""Grams of CO2e from joules and a grid intensity: a bundled per-country table or the user's.

Never any network lookup: the table is resources/energy/carbon_intensity.json, with its
source and year, and the user can type their own supplier's figure instead.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache

from desktop_llm.core import resources
from desktop_llm.core.i18n import QT_TRANSLATE_NOOP, arg

JOULES_PER_KWH = 3.6e6
WORLD = "WORLD"
# Where a figure comes from, stored with each record in English; the window words it in its
# language when it shows it (wording.source_words).
SOURCE_YOURS = QT_TRANSLATE_NOOP("Energy", "your value")
SOURCE_WORLD = QT_TRANSLATE_NOOP("Energy", "world average: %1")
SOURCE_WORLD_UNKNOWN = QT_TRANSLATE_NOOP("Energy", "world average (%1 not in the table): %2")


@dataclass(frozen=True)
class CountryIntensity:
    code: str
    name: str  # in English
    g_per_kwh: float
    # The name in other languages: (language, name), from the table's "name_<language>".
    names: tuple[tuple[str, str], ...] = ()

    def name_in(self, language: str) -> str:
        return dict(self.names).get(language, self.name)


@dataclass(frozen=True)
class IntensityTable:
    source: str
    year: int
    unit: str
    countries: dict[str, CountryIntensity]  # by ISO 3166-1 alpha-2 code, plus "WORLD"
    short_source: str = ""  # a few words for a per-reply record

    @property
    def world(self) -> CountryIntensity:
        return self.countries[WORLD]

    def source_line(self) -> str:
        return f"{self.short_source or self.source}, {self.year}"


@dataclass(frozen=True)
class CarbonIntensity:
    g_per_kwh: float
    source: str  # where the figure comes from, in words
    country: str | None  # ISO code the figure is for; None for the user's own value


@cache
def load_intensities() -> IntensityTable:
    """The bundled table (read once)."""
    data = json.loads(resources.read_text(resources.CARBON_INTENSITY))
    countries = {
        code.upper(): CountryIntensity(
            code.upper(),
            row["name"],
            float(row["g_per_kwh"]),
            tuple((k.removeprefix("name_"), v) for k, v in row.items() if k.startswith("name_")),
        )
        for code, row in data["countries"].items()
    }
    return IntensityTable(
        data["source"], int(data["year"]), data["unit"], countries, data.get("short_source", "")
    )


def intensity_for(
    country_code: str | None,
    custom_g_per_kwh: float | None = None,
    table: IntensityTable | None = None,
) -> CarbonIntensity:
    """The user's own figure wins; then the country's; unknown or None: the world average."""
    if custom_g_per_kwh is not None:
        if not math.isfinite(custom_g_per_kwh) or custom_g_per_kwh < 0:
            # Settings refuse these (config.number); a caller that did not ask them fails here,
            # before a NaN reaches a reply's energy record.
            raise ValueError("grid intensity must be a finite number, not negative")
        return CarbonIntensity(float(custom_g_per_kwh), SOURCE_YOURS, None)
    table = load_intensities() if table is None else table
    code = (country_code or "").strip().upper()
    row = table.countries.get(code) if code and code != WORLD else None
    if row is None:
        world = table.world
        source = (
            arg(SOURCE_WORLD, table.source_line())
            if not code or code == WORLD
            else arg(SOURCE_WORLD_UNKNOWN, code, table.source_line())
        )
        return CarbonIntensity(world.g_per_kwh, source, WORLD)
    # In English: the source is stored with each record, and worded when shown.
    return CarbonIntensity(row.g_per_kwh, f"{row.name}: {table.source_line()}", row.code)


def grams_co2e(joules: float, g_per_kwh: float) -> float:
    return joules / JOULES_PER_KWH * g_per_kwh
