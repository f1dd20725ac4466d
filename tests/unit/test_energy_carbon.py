"""Carbon arithmetic and the bundled grid-intensity table."""

from __future__ import annotations

import pytest

from desktop_llm.core.energy import grams_co2e, intensity_for, load_intensities

REQUIRED = ["CN", "TW", "JP", "KR", "US", "DE", "FR", "GB", "IN", "BR", "RU", "ES", "PT", "SA"]


def test_grams_co2e() -> None:
    assert grams_co2e(3.6e6, 500) == pytest.approx(500.0)  # 1 kWh at 500 g/kWh
    assert grams_co2e(360.0, 400) == pytest.approx(0.04)  # 0.1 Wh at 400 g/kWh
    assert grams_co2e(0.0, 900) == 0.0


def test_table_has_source_year_and_sane_values() -> None:
    table = load_intensities()
    assert "Ember" in table.source and table.year == 2023 and table.unit == "g CO2e/kWh"
    assert len(table.countries) >= 60
    for code in [*REQUIRED, "WORLD"]:
        assert code in table.countries, code
    for code, row in table.countries.items():
        assert row.name, code
        assert 0 < row.g_per_kwh < 1200, code
        assert code == "WORLD" or len(code) == 2
    # Orders of magnitude the grid mixes guarantee: nuclear/hydro far below coal-heavy grids.
    c = table.countries
    assert c["FR"].g_per_kwh < c["DE"].g_per_kwh < c["CN"].g_per_kwh < c["IN"].g_per_kwh
    assert c["NO"].g_per_kwh < 100 and c["PL"].g_per_kwh > 500


def test_country_lookup() -> None:
    fr = intensity_for("fr")
    assert fr.country == "FR" and fr.g_per_kwh == load_intensities().countries["FR"].g_per_kwh
    assert fr.source.startswith("France: ") and "2023" in fr.source


def test_custom_value_wins() -> None:
    mine = intensity_for("FR", 123.0)
    assert (mine.g_per_kwh, mine.source, mine.country) == (123.0, "your value", None)
    with pytest.raises(ValueError):
        intensity_for(None, -1.0)


@pytest.mark.parametrize("code", [None, "", "XX", "WORLD"])
def test_unknown_or_missing_country_is_the_world_average(code: str | None) -> None:
    world = intensity_for(code)
    assert world.country == "WORLD"
    assert world.g_per_kwh == load_intensities().world.g_per_kwh
    assert world.source.startswith("world average")
    if code == "XX":
        assert "XX not in the table" in world.source
