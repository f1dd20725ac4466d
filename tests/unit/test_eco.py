"""Eco mode's setting, when it applies, the thread counts a calibration measures, and the
calibration file (core/eco.py)."""

from __future__ import annotations

from pathlib import Path

import psutil
import pytest

from desktop_llm.core.config import OPTIONS_BY_NAME, Settings
from desktop_llm.core.eco import (
    Calibration,
    Calibrations,
    EcoChoice,
    Entry,
    eco_active,
    on_battery,
    other_load,
    thread_counts,
)


def test_the_setting_is_declared_with_its_three_choices_and_on_battery_by_default(
    tmp_path: Path,
) -> None:
    option = OPTIONS_BY_NAME["energy.eco"]
    assert option.default == "on_battery"
    assert option.choices is not None
    assert [value for value, _label in option.choices()] == ["off", "on_battery", "always"]
    assert option.doc and option.label == "Eco mode"
    settings = Settings(tmp_path / "settings.json")
    settings.set("energy.eco", "always")
    settings.save()
    assert Settings(tmp_path / "settings.json")["energy.eco"] == "always"
    with pytest.raises(ValueError, match="off, on_battery or always"):
        settings.set("energy.eco", "sometimes")


def test_eco_applies_always_or_on_battery_while_on_battery(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.json")
    assert eco_active(settings, battery=True)
    assert not eco_active(settings, battery=False)
    assert eco_active(settings) == on_battery()
    settings.set("energy.eco", "always")
    assert eco_active(settings, battery=False)
    settings.set("energy.eco", "off")
    assert not eco_active(settings, battery=True)


def test_a_desktop_without_a_battery_is_not_on_battery() -> None:
    if psutil.sensors_battery() is None:
        assert on_battery() is False


def test_the_thread_counts_are_1_2_4_up_to_the_physical_cores() -> None:
    assert thread_counts(1) == [1]
    assert thread_counts(2) == [1, 2]
    assert thread_counts(6) == [1, 2, 4, 6]
    assert thread_counts(16) == [1, 2, 4, 8, 16]


def test_other_load_is_a_share() -> None:
    assert 0.0 <= other_load(0.2) <= 1.0


def _calibration(load: float, jpt: tuple[float, float], sha: str = "a" * 64) -> Calibration:
    return Calibration(
        model="m", model_file="m.gguf", sha256=sha, gpu_layers=0, device="CPU", machine="x",
        load=load, meter_source="rapl", measured=True, tokens=16, rounds=1,
        measured_at="2026-01-01T00:00:00+00:00",
        entries=(Entry(1, 16, 1.0, 16 * jpt[0], jpt[0], 20.0),
                 Entry(2, 16, 1.0, 16 * jpt[1], jpt[1], 30.0)),
    )  # fmt: skip


def test_calibrations_replace_those_under_a_similar_load_and_keep_others(tmp_path: Path) -> None:
    store = Calibrations(tmp_path / "eco_calibration.json")
    store.add(_calibration(0.05, (0.2, 0.1)))
    store.add(_calibration(0.1, (0.3, 0.1)))  # similar load: replaces
    store.add(_calibration(0.8, (0.2, 0.5)))  # busy: kept beside it
    store.add(_calibration(0.1, (0.2, 0.1), sha="b" * 64))  # another model
    again = Calibrations(store.path)
    found = again.find("a" * 64, 0, "x")
    assert [c.load for c in found] == [0.8, 0.1]  # newest first
    assert found[0].best is not None and found[0].best.threads == 1
    assert found[1].best is not None and found[1].best.threads == 2
    assert again.find("a" * 64, 99, "x") == [] and again.find("a" * 64, 0, "y") == []


def test_a_damaged_file_is_set_aside_and_means_no_calibration(tmp_path: Path) -> None:
    path = tmp_path / "eco_calibration.json"
    path.write_text("{not json", encoding="utf-8")
    assert Calibrations(path).all() == []
    assert (tmp_path / "eco_calibration.json.bad").exists()


def test_the_words_say_what_eco_mode_does() -> None:
    assert "off" in EcoChoice(False, mode="off").words()
    assert "battery" in EcoChoice(False, mode="on_battery").words()
    assert "not calibrated yet" in EcoChoice(True, mode="always").words()
    chosen = _calibration(0.0, (0.2, 0.1))
    words = EcoChoice(True, 2, chosen, mode="always").words()
    assert words == "Eco mode: 2 threads, 0.1 J per token, 30.0 tokens/s"
