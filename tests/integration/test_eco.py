"""Eco mode with the real starter model: `energy calibrate` measures joules per token and
tokens/s at 1 and 2 threads through the real engine and meters, stores them, and the next
load uses the thread count with the fewest joules per token when eco mode is on."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import psutil
import pytest

from desktop_llm.core.eco import FILE_NAME, Calibration, Calibrations, Entry, closest, machine
from desktop_llm.core.model_host import ModelReady
from desktop_llm.core.model_settings import ModelLimits
from desktop_llm.core.services import Services, open_services

STARTER = "SmolLM2-135M-Instruct.Q4_1"
pytestmark = pytest.mark.model


@pytest.fixture
def services(home: Path, starter_model: Path) -> Iterator[Services]:
    opened = open_services()
    yield opened
    opened.close()


def calibrate_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "desktop_llm", "energy", "calibrate", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_energy_calibrate_stores_joules_per_token_and_speed_for_1_and_2_threads(
    home: Path, starter_model: Path
) -> None:
    done = calibrate_cli("--tokens", "12", "--rounds", "1", "--json")
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout)
    stored = json.loads((home / "config" / FILE_NAME).read_text(encoding="utf-8"))
    [calibration] = stored["calibrations"]
    assert calibration == printed
    assert calibration["model"] == STARTER
    assert calibration["device"] == "CPU" and calibration["gpu_layers"] == 0
    assert calibration["machine"] == machine()
    assert len(calibration["sha256"]) == 64
    assert 0.0 <= calibration["load"] <= 1.0
    threads = [e["threads"] for e in calibration["entries"]]
    cores = psutil.cpu_count(logical=False) or 1
    assert threads[0] == 1 and threads[-1] == cores
    if cores >= 2:
        assert 2 in threads
    for entry in calibration["entries"]:
        assert entry["tokens"] > 0
        assert entry["joules"] > 0 and entry["seconds"] > 0
        assert entry["joules_per_token"] == pytest.approx(entry["joules"] / entry["tokens"])
        assert entry["tokens_per_second"] > 0


def stored_calibration(services: Services, best: int, other: int) -> Calibration:
    """A calibration of the starter as measured figures are stored: `best` threads with
    fewer joules per token than `other`. (The real measurement is the test above; here the
    choice must not depend on which thread count a busy test machine happens to favour.)"""
    model = services.host.resolve(STARTER)
    entries = (
        Entry(best, 24, 1.0, 2.4, 0.1, 30.0),
        Entry(other, 24, 1.0, 4.8, 0.2, 35.0),
    )
    calibration = Calibration(
        model=STARTER,
        model_file=model.path.name,
        sha256=services.host.sha256(model),
        gpu_layers=0,
        device="CPU",
        machine=machine(),
        load=0.0,
        meter_source="estimate",
        measured=False,
        tokens=12,
        rounds=1,
        measured_at="2026-01-01T00:00:00+00:00",
        entries=tuple(sorted(entries, key=lambda e: e.threads)),
    )
    services.host.calibrations.add(calibration)
    return calibration


def loaded_threads(services: Services) -> int:
    events = list(services.host.prepare(STARTER))
    assert any(isinstance(e, ModelReady) for e in events) or services.host.engine.loaded
    loaded = services.host.engine.loaded
    assert loaded is not None
    return loaded.spec.n_threads


def test_eco_always_loads_the_calibrated_thread_count(services: Services) -> None:
    default = services.settings["engine.threads"]
    best = 3 if default != 3 else 1  # a count that only eco mode would choose
    stored_calibration(services, best, default)
    services.settings.set("energy.eco", "always")
    assert loaded_threads(services) == best
    model = services.host.resolve(STARTER)
    choice = services.host.eco_choice(model)
    assert choice.threads == best and "Eco mode: " in choice.words()
    # A model's own thread setting wins over eco mode.
    limits = ModelLimits.of(services.host.info(model))
    services.host.model_settings.update(STARTER, limits, threads=1)
    assert loaded_threads(services) == 1
    assert services.host.eco_choice(model).overridden


def test_eco_off_ignores_the_calibration(services: Services) -> None:
    default = services.settings["engine.threads"]
    stored_calibration(services, 3 if default != 3 else 1, default)
    services.settings.set("energy.eco", "off")
    assert loaded_threads(services) == default
    assert not services.host.eco_choice(services.host.resolve(STARTER)).active


@pytest.mark.skipif(psutil.sensors_battery() is not None, reason="this machine has a battery")
def test_eco_on_battery_without_a_battery_keeps_the_default(services: Services) -> None:
    default = services.settings["engine.threads"]
    stored_calibration(services, 3 if default != 3 else 1, default)
    assert services.settings["energy.eco"] == "on_battery"  # the default
    assert loaded_threads(services) == default


def test_eco_without_a_calibration_says_not_calibrated_yet(services: Services) -> None:
    services.settings.set("energy.eco", "always")
    default = services.settings["engine.threads"]
    assert loaded_threads(services) == default
    choice = services.host.eco_choice(services.host.resolve(STARTER))
    assert choice.active and choice.threads is None
    assert "not calibrated yet" in choice.words()


def test_the_calibration_closest_to_the_current_load_is_used(services: Services) -> None:
    quiet = stored_calibration(services, 2, 1)
    busy = replace(quiet, load=0.9, entries=tuple(reversed([
        Entry(1, 24, 1.0, 2.4, 0.1, 30.0), Entry(2, 24, 1.0, 9.6, 0.4, 8.0)
    ])))  # fmt: skip
    services.host.calibrations.add(busy)
    kept = Calibrations(services.host.calibrations.path).all()
    assert [c.load for c in kept] == [0.0, 0.9]  # far apart: both kept
    assert closest(kept, 0.05) == quiet and closest(kept, 0.7) == busy
    assert busy.best is not None and busy.best.threads == 1
