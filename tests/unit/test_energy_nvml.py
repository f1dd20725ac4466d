"""NVML meter against a fake module with pynvml's function names and errors."""

from __future__ import annotations

import time

import pytest

from desktop_llm.core.energy import nvml
from desktop_llm.core.energy.reading import MeterUnavailable
from tests.helpers.energy_fakes import NVML_ERROR_LIBRARY_NOT_FOUND, FakeGpu, FakeNvml


def test_total_energy_counter() -> None:
    gpu = FakeGpu(energy_mj=50_000)
    fake = FakeNvml(gpus=[gpu])
    meter = nvml.NvmlMeter(fake)
    token = meter.begin(None)
    gpu.energy_mj = 50_000 + 12_345  # 12.345 J
    time.sleep(nvml.MIN_CONFIDENT_S + 0.01)
    reading = meter.end(token)
    assert reading.joules == pytest.approx(12.345)
    assert (reading.source, reading.scope, reading.label) == ("nvml", "gpu", "NVIDIA GPU")
    assert reading.measured and reading.whole_machine and not reading.low_confidence
    assert fake.power_reads == 0  # a counter needs no polling thread
    meter.close()
    assert not fake.initialised


def test_power_polling_when_the_counter_is_not_supported() -> None:
    fake = FakeNvml(gpus=[FakeGpu(energy_mj=None, power_mw=150_000)])  # 150 W
    meter = nvml.NvmlMeter(fake)
    assert "power polled" in meter.describe()
    token = meter.begin(None)
    time.sleep(0.45)
    reading = meter.end(token)
    assert reading.watts == pytest.approx(150.0, rel=0.05)
    assert fake.power_reads >= 4  # one at start, ~every 100 ms, one at the end
    assert not reading.low_confidence, reading.note


def test_power_polling_short_window_is_low_confidence() -> None:
    meter = nvml.NvmlMeter(FakeNvml(gpus=[FakeGpu(energy_mj=None, power_mw=100_000)]))
    reading = meter.end(meter.begin(None))
    assert reading.low_confidence and "GPU power samples" in reading.note


def test_counter_and_polled_cards_together() -> None:
    a, b = FakeGpu(energy_mj=0), FakeGpu(name="old card", energy_mj=None, power_mw=50_000)
    meter = nvml.NvmlMeter(FakeNvml(gpus=[a, b]))
    token = meter.begin(None)
    a.energy_mj = 10_000
    time.sleep(0.3)
    reading = meter.end(token)
    assert reading.joules == pytest.approx(10.0 + 50.0 * reading.seconds, rel=0.05)


def test_nvml_error_on_init_is_unavailable_with_reason() -> None:
    status = nvml.status(FakeNvml(init_error=NVML_ERROR_LIBRARY_NOT_FOUND))
    assert not status.available
    assert status.detail == "no NVIDIA driver or GPU found (NVML Shared Library Not Found)"
    with pytest.raises(MeterUnavailable):
        nvml.NvmlMeter(FakeNvml(init_error=NVML_ERROR_LIBRARY_NOT_FOUND))


def test_driver_without_devices_is_unavailable() -> None:
    fake = FakeNvml(gpus=[])
    status = nvml.status(fake)
    assert not status.available and "sees no GPU" in status.detail
    assert not fake.initialised  # shut down again


def test_available_status_names_the_card() -> None:
    status = nvml.status(FakeNvml(gpus=[FakeGpu()]))
    assert status.available and "RTX 4070" in status.detail and "energy counter" in status.detail


def test_real_pynvml_here_reports_a_plain_reason() -> None:
    """This machine has the nvidia-ml-py package but no driver: a reason, not a crash."""
    status = nvml.status()
    if status.available:
        pytest.skip("a real NVIDIA GPU is present")
    assert status.detail.startswith("no NVIDIA driver or GPU found")
