"""RAPL against fake powercap trees: deltas, wrap, nesting, sockets, permissions."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop_llm.core.energy import rapl
from desktop_llm.core.energy.reading import MeterUnavailable
from tests.helpers.energy_fakes import TYPICAL_RANGE_UJ, laptop_rapl, rapl_zone, set_energy


def test_package_energy_between_two_reads(tmp_path: Path) -> None:
    rapl_zone(tmp_path, "intel-rapl:0", "package-0", 10_000_000)
    meter = rapl.RaplMeter(tmp_path)
    token = meter.begin(1234)
    set_energy(tmp_path, "intel-rapl:0", 13_500_000)
    reading = meter.end(token)
    assert reading.joules == pytest.approx(3.5)
    assert (reading.source, reading.scope, reading.label) == ("rapl", "package", "RAPL package")
    assert reading.measured and reading.whole_machine
    # begin() and end() ran back to back: far below the 0.1 s floor
    assert reading.low_confidence and "shorter than 0.1 s" in reading.note


def test_long_enough_window_is_confident(tmp_path: Path) -> None:
    rapl_zone(tmp_path, "intel-rapl:0", "package-0", 0)
    meter = rapl.RaplMeter(tmp_path)
    token = meter.begin(None)
    set_energy(tmp_path, "intel-rapl:0", 2_000_000)
    time.sleep(rapl.MIN_CONFIDENT_S + 0.02)
    reading = meter.end(token)
    assert not reading.low_confidence and reading.note == ""
    assert reading.watts == pytest.approx(2.0 / reading.seconds)


def test_counter_wrap_uses_max_energy_range(tmp_path: Path) -> None:
    rapl_zone(tmp_path, "intel-rapl:0", "package-0", TYPICAL_RANGE_UJ - 1_000_000)
    meter = rapl.RaplMeter(tmp_path)
    token = meter.begin(None)
    set_energy(tmp_path, "intel-rapl:0", 2_000_000)  # wrapped past the top
    reading = meter.end(token)
    assert reading.joules == pytest.approx(3.0)  # 1 J to the top + 2 J after


def test_counter_going_back_without_range_is_flagged_not_negative(tmp_path: Path) -> None:
    rapl_zone(tmp_path, "intel-rapl:0", "package-0", 5_000_000, max_range_uj=None)
    meter = rapl.RaplMeter(tmp_path)
    token = meter.begin(None)
    set_energy(tmp_path, "intel-rapl:0", 1_000_000)
    reading = meter.end(token)
    assert reading.joules == 0.0
    assert reading.low_confidence and "no known range" in reading.note


@pytest.mark.parametrize(
    ("start", "end", "range_uj", "expected"),
    [(10, 25, 100, 15), (90, 5, 100, 15), (0, 0, 100, 0), (7, 7, None, 0)],
)
def test_counter_delta(start: int, end: int, range_uj: int | None, expected: int) -> None:
    assert rapl.counter_delta(start, end, range_uj)[0] == expected


def test_nested_domains_are_never_double_counted(tmp_path: Path) -> None:
    laptop_rapl(tmp_path)
    meter = rapl.RaplMeter(tmp_path)
    assert meter.scope == "package+dram"
    assert [z.name for z in meter.selection.zones] == ["package-0", "dram"]
    token = meter.begin(None)
    # Every zone moves; only package-0 (+1 J) and dram (+0.25 J) may count.
    set_energy(tmp_path, "intel-rapl:0", 1_000_000 + 1_000_000)
    set_energy(tmp_path, "intel-rapl:0:0", 2_000_000 + 600_000)  # core: inside the package
    set_energy(tmp_path, "intel-rapl:0:1", 3_000_000 + 200_000)  # uncore: inside the package
    set_energy(tmp_path, "intel-rapl:0:2", 4_000_000 + 250_000)  # dram: outside it
    set_energy(tmp_path, "intel-rapl:1", 5_000_000 + 3_000_000)  # psys: contains all
    set_energy(tmp_path, "intel-rapl-mmio:0", 6_000_000 + 1_000_000)  # same counter again
    reading = meter.end(token)
    assert reading.joules == pytest.approx(1.0 + 0.25)
    assert reading.scope == "package+dram" and reading.label == "RAPL package + DRAM"


def test_two_packages_are_summed(tmp_path: Path) -> None:
    rapl_zone(tmp_path, "intel-rapl:0", "package-0", 0)
    rapl_zone(tmp_path, "intel-rapl:0:0", "dram", 0)
    rapl_zone(tmp_path, "intel-rapl:1", "package-1", 0)
    rapl_zone(tmp_path, "intel-rapl:1:0", "dram", 0)
    meter = rapl.RaplMeter(tmp_path)
    token = meter.begin(None)
    set_energy(tmp_path, "intel-rapl:0", 20_000_000)
    set_energy(tmp_path, "intel-rapl:1", 30_000_000)
    set_energy(tmp_path, "intel-rapl:0:0", 1_000_000)
    set_energy(tmp_path, "intel-rapl:1:0", 2_000_000)
    assert meter.end(token).joules == pytest.approx(20 + 30 + 1 + 2)


def test_psys_alone_when_there_is_no_package(tmp_path: Path) -> None:
    rapl_zone(tmp_path, "intel-rapl:1", "psys", 0)
    meter = rapl.RaplMeter(tmp_path)
    token = meter.begin(None)
    set_energy(tmp_path, "intel-rapl:1", 7_000_000)
    reading = meter.end(token)
    assert (reading.scope, reading.joules) == ("psys", pytest.approx(7.0))


def test_amd_rapl_naming(tmp_path: Path) -> None:
    rapl_zone(tmp_path, "amd-rapl:0", "package-0", 0)
    assert rapl.RaplMeter(tmp_path).scope == "package"


def test_no_powercap_is_unavailable_with_reason(tmp_path: Path) -> None:
    status = rapl.status(tmp_path)
    assert not status.available and "no RAPL energy counters" in status.detail
    with pytest.raises(MeterUnavailable):
        rapl.RaplMeter(tmp_path)


def test_only_core_zones_is_unavailable(tmp_path: Path) -> None:
    rapl_zone(tmp_path, "intel-rapl:0:0", "core", 0)
    status = rapl.status(tmp_path)
    assert not status.available and "none is a package or psys" in status.detail


def test_unreadable_counter_that_is_not_a_file(tmp_path: Path) -> None:
    """Works as root too: a directory where energy_uj should be cannot be read by anyone."""
    zone = rapl_zone(tmp_path, "intel-rapl:0", "package-0", 0)
    (zone / "energy_uj").unlink()
    (zone / "energy_uj").mkdir()
    status = rapl.status(tmp_path)
    assert not status.available
    assert "cannot be read (IsADirectoryError)" in status.detail


def _assert_permission_status(detail: str, fix: str) -> None:
    assert detail == "RAPL counters exist but cannot be read (permission denied)"
    assert "sudo chmod o+r /sys/class/powercap/intel-rapl:*/energy_uj" in fix
    assert "until reboot" in fix and "udev rule" in fix and "99-rapl.rules" in fix


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads mode-000 files; see the next test")
def test_permission_denied_as_a_normal_user(tmp_path: Path) -> None:
    zone = rapl_zone(tmp_path, "intel-rapl:0", "package-0", 0)
    (zone / "energy_uj").chmod(0)
    status = rapl.status(tmp_path)
    assert not status.available
    _assert_permission_status(status.detail, status.fix)


@pytest.mark.skipif(shutil.which("setpriv") is None, reason="needs util-linux setpriv")
def test_permission_denied_without_file_capabilities(tmp_path: Path) -> None:
    """The same check in a child process with every capability dropped.

    Root normally bypasses file modes (CAP_DAC_OVERRIDE); without capabilities a mode-000
    file owned by root is unreadable even to root, exactly like energy_uj for a normal
    user since kernel 5.10. Runs whether the tests run as root or not.
    """
    zone = rapl_zone(tmp_path, "intel-rapl:0", "package-0", 0)
    (zone / "energy_uj").chmod(0)
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from desktop_llm.core.energy import rapl\n"
        "s = rapl.status(Path(sys.argv[1]))\n"
        "print(s.available); print(s.detail); print(s.fix)\n"
    )
    drop_all = ["setpriv", "--inh-caps=-all", "--bounding-set=-all", "--"]
    result = subprocess.run(
        [*drop_all, sys.executable, "-c", code, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    available, detail, fix = result.stdout.splitlines()
    assert available == "False"
    _assert_permission_status(detail, fix)
