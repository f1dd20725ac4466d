"""Battery meter against fake power_supply trees."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from desktop_llm.core.energy import battery
from desktop_llm.core.energy.reading import MeterUnavailable
from tests.helpers.energy_fakes import battery as fake_battery
from tests.helpers.energy_fakes import mains


def test_discharging_with_power_now(tmp_path: Path) -> None:
    mains(tmp_path, online=False)
    fake_battery(tmp_path, power_now_uw=12_000_000)  # 12 W
    meter = battery.BatteryMeter(tmp_path, interval_s=0.1)
    token = meter.begin(None)
    time.sleep(0.45)
    reading = meter.end(token)
    assert reading.joules == pytest.approx(12.0 * reading.seconds, rel=0.05)
    assert (reading.source, reading.scope, reading.label) == (
        "battery",
        "system",
        "battery (whole system)",
    )
    assert reading.whole_machine and reading.measured
    assert not reading.low_confidence, reading.note  # ≥ 3 samples over 0.45 s


def test_discharging_with_current_and_voltage_only(tmp_path: Path) -> None:
    fake_battery(tmp_path, current_now_ua=1_500_000, voltage_now_uv=11_400_000)  # 17.1 W
    assert battery.battery_watts(tmp_path / "class/power_supply/BAT0") == pytest.approx(17.1)
    meter = battery.BatteryMeter(tmp_path, interval_s=0.1)
    token = meter.begin(None)
    time.sleep(0.35)
    reading = meter.end(token)
    assert reading.watts == pytest.approx(17.1, rel=0.05)


def test_negative_power_now_is_a_draw(tmp_path: Path) -> None:
    bat = fake_battery(tmp_path, power_now_uw=-9_000_000)
    assert battery.battery_watts(bat) == pytest.approx(9.0)


def test_two_batteries_are_summed(tmp_path: Path) -> None:
    fake_battery(tmp_path, "BAT0", power_now_uw=5_000_000)
    fake_battery(tmp_path, "BAT1", power_now_uw=3_000_000)
    meter = battery.BatteryMeter(tmp_path)
    assert meter._watts() == pytest.approx(8.0)


def test_short_window_has_few_samples_and_is_low_confidence(tmp_path: Path) -> None:
    fake_battery(tmp_path, power_now_uw=10_000_000)
    meter = battery.BatteryMeter(tmp_path, interval_s=0.1)
    reading = meter.end(meter.begin(None))
    assert reading.low_confidence and "power samples" in reading.note


def test_plugged_in_during_the_window_is_noted(tmp_path: Path) -> None:
    fake_battery(tmp_path, power_now_uw=10_000_000)
    meter = battery.BatteryMeter(tmp_path, interval_s=0.1)
    token = meter.begin(None)
    fake_battery(tmp_path, status="Charging", power_now_uw=10_000_000)
    reading = meter.end(token)
    assert reading.low_confidence and "stopped discharging" in reading.note


@pytest.mark.parametrize("state", ["Charging", "Full", "Not charging"])
def test_not_discharging_is_unavailable(tmp_path: Path, state: str) -> None:
    fake_battery(tmp_path, status=state, power_now_uw=10_000_000)
    status = battery.status(tmp_path)
    assert not status.available
    assert "not discharging" in status.detail and state in status.detail
    assert "charger" in status.fix
    with pytest.raises(MeterUnavailable):
        battery.BatteryMeter(tmp_path)


def test_no_power_now_and_no_current_now_is_unavailable(tmp_path: Path) -> None:
    fake_battery(tmp_path, voltage_now_uv=11_400_000)
    status = battery.status(tmp_path)
    assert not status.available
    assert status.detail == "the battery reports neither power_now nor current_now"


def test_no_battery_is_unavailable(tmp_path: Path) -> None:
    mains(tmp_path)
    status = battery.status(tmp_path)
    assert not status.available and "no battery" in status.detail
