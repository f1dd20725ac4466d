"""EnergyMonitor: primary choice, baseline, attribution, GPU, battery cross-check."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from desktop_llm.core.energy import (
    EnergyMonitor,
    EnergyRecord,
    intensity_for,
    meter_statuses,
)
from desktop_llm.core.energy.estimate import EstimateMeter
from desktop_llm.core.energy.rapl import RaplMeter
from tests.helpers.energy_fakes import (
    NVML_ERROR_LIBRARY_NOT_FOUND,
    FakeGpu,
    FakeNvml,
    battery,
    laptop_rapl,
    rapl_zone,
    set_energy,
)

FR = intensity_for("FR")


def _busy(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        sum(range(1000))


def _check_invariants(record: EnergyRecord) -> None:
    assert 0 <= record.joules_net <= record.joules_gross
    assert 0 <= record.joules_attributed <= record.joules_net
    assert record.cpu_share is None or 0.0 <= record.cpu_share <= 1.0
    assert record.carbon_g == pytest.approx(
        record.joules_attributed / 3.6e6 * record.intensity_g_per_kwh
    )


def test_estimate_is_the_primary_without_counters(tmp_path: Path) -> None:
    monitor = EnergyMonitor(sysfs=tmp_path, intensity=FR, cpu_watts_per_core=5.0)
    assert isinstance(monitor.primary, EstimateMeter)
    token = monitor.begin(None)
    _busy(0.2)
    record = monitor.end(token)
    _check_invariants(record)
    assert (record.source, record.scope, record.measured) == ("estimate", "process", False)
    assert record.joules_gross == pytest.approx(0.2 * 5.0, abs=0.05 * 5.0)
    assert record.joules_attributed == record.joules_net == record.joules_gross > 0
    assert record.cpu_share is None and record.baseline_watts == 0.0
    assert record.carbon_g > 0 and record.intensity_source.startswith("France")
    assert record.cross_check is None
    assert monitor.measure_baseline(5.0) == 0.0  # returns at once for the estimate


def test_rapl_primary_with_baseline_and_cpu_share(tmp_path: Path) -> None:
    laptop_rapl(tmp_path)
    monitor = EnergyMonitor(sysfs=tmp_path, intensity=FR, baseline_watts=2.0)
    assert isinstance(monitor.primary, RaplMeter)
    token = monitor.begin(None)
    _busy(0.2)
    set_energy(tmp_path, "intel-rapl:0", 1_000_000 + 6_000_000)  # package +6 J
    set_energy(tmp_path, "intel-rapl:0:2", 4_000_000 + 1_000_000)  # dram +1 J
    record = monitor.end(token)
    _check_invariants(record)
    assert (record.source, record.scope, record.measured) == ("rapl", "package+dram", True)
    assert record.joules_gross == pytest.approx(7.0)
    assert record.joules_net == pytest.approx(7.0 - 2.0 * record.seconds)
    assert record.cpu_share is not None and record.cpu_share > 0
    assert record.joules_attributed == pytest.approx(record.joules_net * record.cpu_share)
    assert record.watts_avg == pytest.approx(7.0 / record.seconds)
    assert record.cross_check is not None and "estimate" in record.cross_check
    assert record.as_dict()["joules_gross"] == record.joules_gross


def test_baseline_larger_than_gross_clamps_net_at_zero(tmp_path: Path) -> None:
    rapl_zone(tmp_path, "intel-rapl:0", "package-0", 0)
    monitor = EnergyMonitor(sysfs=tmp_path, intensity=FR)
    monitor.set_baseline(1000.0)
    token = monitor.begin(None)
    set_energy(tmp_path, "intel-rapl:0", 500_000)
    time.sleep(0.05)
    record = monitor.end(token)
    _check_invariants(record)
    assert record.joules_gross == pytest.approx(0.5)
    assert record.joules_net == 0.0 and record.joules_attributed == 0.0 and record.carbon_g == 0
    with pytest.raises(ValueError):
        monitor.set_baseline(-1.0)


def test_missing_baseline_is_noted(tmp_path: Path) -> None:
    rapl_zone(tmp_path, "intel-rapl:0", "package-0", 0)
    monitor = EnergyMonitor(sysfs=tmp_path, intensity=FR)
    record = monitor.end(monitor.begin(None))
    assert "no idle baseline" in record.note and record.baseline_watts == 0.0


def test_measure_baseline_on_rapl(tmp_path: Path) -> None:
    rapl_zone(tmp_path, "intel-rapl:0", "package-0", 0)
    monitor = EnergyMonitor(sysfs=tmp_path, intensity=FR)
    stop = threading.Event()
    # 3 J appear in the counter, then the caller stops the measurement early.
    threading.Timer(0.1, set_energy, (tmp_path, "intel-rapl:0", 3_000_000)).start()
    threading.Timer(0.3, stop.set).start()
    t0 = time.monotonic()
    watts = monitor.measure_baseline(10.0, stop)
    elapsed = time.monotonic() - t0
    assert elapsed < 2.0
    assert watts == pytest.approx(3.0 / elapsed, rel=0.2)
    assert monitor.baseline_watts == watts


def test_rapl_read_failing_mid_window_falls_back_to_the_estimate(tmp_path: Path) -> None:
    zone = rapl_zone(tmp_path, "intel-rapl:0", "package-0", 0)
    monitor = EnergyMonitor(sysfs=tmp_path, intensity=FR, baseline_watts=0.0)
    token = monitor.begin(None)
    _busy(0.05)
    (zone / "energy_uj").unlink()
    record = monitor.end(token)
    _check_invariants(record)
    assert record.source == "estimate" and "rapl failed" in record.note


def test_gpu_joules_are_added_and_charged_in_full(tmp_path: Path) -> None:
    rapl_zone(tmp_path, "intel-rapl:0", "package-0", 0)
    gpu = FakeGpu(energy_mj=0)
    monitor = EnergyMonitor(
        sysfs=tmp_path, intensity=FR, baseline_watts=0.0, use_gpu=True, nvml=FakeNvml([gpu])
    )
    assert monitor.gpu_status is not None and monitor.gpu_status.available
    token = monitor.begin(None)
    _busy(0.15)
    set_energy(tmp_path, "intel-rapl:0", 4_000_000)  # CPU package 4 J
    gpu.energy_mj = 20_000  # GPU 20 J
    record = monitor.end(token)
    _check_invariants(record)
    assert record.joules_gross == pytest.approx(24.0)
    assert (record.source, record.scope) == ("rapl+nvml", "package+gpu")
    assert record.label == "RAPL package + NVIDIA GPU"
    assert record.cpu_share is not None
    assert record.joules_attributed == pytest.approx(record.cpu_share * 4.0 + 20.0)
    assert record.cross_check is not None and record.cross_check["gpu"]["joules"] == 20.0
    monitor.close()


def test_gpu_unavailable_is_reported_not_raised(tmp_path: Path) -> None:
    monitor = EnergyMonitor(
        sysfs=tmp_path,
        intensity=FR,
        use_gpu=True,
        nvml=FakeNvml(init_error=NVML_ERROR_LIBRARY_NOT_FOUND),
    )
    assert monitor.gpu is None
    assert monitor.gpu_status is not None and not monitor.gpu_status.available
    assert "no NVIDIA driver" in monitor.gpu_status.detail


def test_discharging_battery_is_a_cross_check_only(tmp_path: Path) -> None:
    rapl_zone(tmp_path, "intel-rapl:0", "package-0", 0)
    battery(tmp_path, power_now_uw=15_000_000)
    monitor = EnergyMonitor(sysfs=tmp_path, intensity=FR, baseline_watts=0.0)
    token = monitor.begin(None)
    set_energy(tmp_path, "intel-rapl:0", 1_000_000)
    time.sleep(0.3)
    record = monitor.end(token)
    assert record.joules_gross == pytest.approx(1.0)  # the battery is not in the gross
    assert record.cross_check is not None
    bat = record.cross_check["battery"]
    assert bat["scope"] == "system" and bat["watts"] == pytest.approx(15.0, rel=0.1)


def test_charging_battery_is_left_out(tmp_path: Path) -> None:
    battery(tmp_path, status="Charging", power_now_uw=15_000_000)
    monitor = EnergyMonitor(sysfs=tmp_path, intensity=FR)
    record = monitor.end(monitor.begin(None))
    assert record.cross_check is None


def test_meter_statuses_give_a_reason_for_each_unavailable_meter(tmp_path: Path) -> None:
    statuses = meter_statuses(
        tmp_path, nvml_module=FakeNvml(init_error=NVML_ERROR_LIBRARY_NOT_FOUND)
    )
    assert [s.name for s in statuses] == ["rapl", "nvml", "battery", "apple", "estimate"]
    for status in statuses:
        assert status.detail, status
    assert [s.available for s in statuses] == [False, False, False, False, True]
    assert statuses[3].detail == "only on Apple Silicon Macs"


def test_meter_statuses_follow_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    laptop_rapl(tmp_path)
    battery(tmp_path, power_now_uw=10_000_000)
    monkeypatch.setenv("DESKTOP_LLM_SYSFS", str(tmp_path))
    by_name = {s.name: s for s in meter_statuses(nvml_module=FakeNvml(gpus=[FakeGpu()]))}
    assert by_name["rapl"].available and "package-0, dram" in by_name["rapl"].detail
    assert by_name["battery"].available and by_name["nvml"].available
    assert EnergyMonitor(intensity=FR).primary.name == "rapl"


def test_cancel_stops_the_battery_sampler(tmp_path: Path) -> None:
    battery(tmp_path, power_now_uw=15_000_000)
    monitor = EnergyMonitor(sysfs=tmp_path, intensity=FR)
    token = monitor.begin(None)
    sampler = token.battery[1].sampler  # type: ignore[attr-defined]
    monitor.cancel(token)
    assert sampler.finished.wait(1.0)


def test_gpu_failing_mid_reply_keeps_the_cpu_record(tmp_path: Path) -> None:
    fake = FakeNvml([FakeGpu(energy_mj=0)])
    monitor = EnergyMonitor(sysfs=tmp_path, intensity=FR, use_gpu=True, nvml=fake)
    token = monitor.begin(None)
    fake.nvmlShutdown()  # every NVML call now raises NVMLError(Uninitialized)
    record = monitor.end(token)
    assert record.source == "estimate" and "GPU meter failed (NVMLError)" in record.note
