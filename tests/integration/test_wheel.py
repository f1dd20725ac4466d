"""The wheel carries what the app reads at run time, and an installed wheel finds it.

resources/ lives at the top of the repository and is installed as desktop_llm.resources
(setup.py); a file type missing from pyproject.toml's package-data globs, or a package that
discovery misses, would leave a pip/pipx install broken while every editable-install test
passes. So the wheel is built here, read as a zip, installed with `pip install --target`
and run from outside the checkout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from desktop_llm.core import resources
from desktop_llm.core.energy.carbon import load_intensities
from desktop_llm.core.energy.cpu_power import cpu_power_for
from tests.helpers.gguf_factory import require_starter_model

ROOT = Path(__file__).resolve().parents[2]
# What the build reads. It runs on a copy, so no build/ or *.egg-info is left in the checkout.
BUILD_INPUTS = ("pyproject.toml", "setup.py", "README.md", "desktop_llm", "resources")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc")


def _source_files(folder: str) -> list[str]:
    """The files under `folder` of the checkout, as "/"-paths relative to the repository."""
    return sorted(
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / folder).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("src")
    for name in BUILD_INPUTS:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=IGNORED)
        else:
            shutil.copy2(ROOT / name, src / name)
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), "."],
        cwd=src,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    [built] = out.glob("desktop_llm-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel installed (not editable) into a folder of its own; the other dependencies
    come from this venv's site-packages."""
    target = tmp_path_factory.mktemp("site")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    subprocess.run(
        [*pip, "install", "-q", "--no-deps", "--no-index", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return target


def _run_installed(
    target: Path, args: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    # PYTHONPATH comes before site-packages, and the editable install's finder only answers
    # what nothing on the path has: so `desktop_llm` is the installed wheel, not the checkout.
    return subprocess.run(
        args,
        cwd=cwd,
        env={**os.environ, **(env or {}), "PYTHONPATH": str(target)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_wheel_holds_every_resource_and_the_migrations(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    bundled = {
        f"desktop_llm/resources/{name}"
        for name in (
            resources.CATALOG,
            resources.CARBON_INTENSITY,
            resources.CPU_POWER,
            resources.APP_ICON,
        )
    }
    assert bundled <= names
    # Every file in resources/, whatever its type (a type the globs forget fails here).
    in_folder = {f"desktop_llm/{path}" for path in _source_files("resources")}
    assert in_folder - names == set()
    migrations = {n for n in names if n.startswith("desktop_llm/core/store/migrations/")}
    assert "desktop_llm/core/store/migrations/env.py" in migrations
    assert any(n.startswith("desktop_llm/core/store/migrations/versions/0001_") for n in names)
    # Every module of the package too: a new sub-package must not be left out by discovery.
    assert set(_source_files("desktop_llm")) - names == set()


def test_the_installed_wheel_reads_its_bundled_files(installed: Path, tmp_path: Path) -> None:
    check = (
        "import json, desktop_llm\n"
        "from desktop_llm.core import resources\n"
        "from desktop_llm.core.models.catalog import load_catalog\n"
        "from desktop_llm.core.energy.carbon import load_intensities\n"
        "from desktop_llm.core.energy.cpu_power import load_cpu_table\n"
        "print(json.dumps({\n"
        "    'package': desktop_llm.__file__,\n"
        "    'icon': str(resources.resource_path(resources.APP_ICON)),\n"
        "    'models': len(load_catalog()),\n"
        "    'countries': len(load_intensities().countries),\n"
        "    'cpus': len(load_cpu_table()['cpus']),\n"
        "}))\n"
    )
    result = _run_installed(installed, [sys.executable, "-c", check], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert Path(seen["package"]).is_relative_to(installed)
    assert Path(seen["icon"]).is_relative_to(installed) and Path(seen["icon"]).is_file()
    assert seen["models"] > 0 and seen["countries"] > 1 and seen["cpus"] > 0

    # The entry point a pip/pipx user runs: the estimate meter names its cpu_power.json row.
    script = str(installed / "bin" / "desktop-llm")
    home = {"DESKTOP_LLM_HOME": str(tmp_path / "home")}
    meters = _run_installed(installed, [script, "energy", "meters", "--json"], tmp_path, home)
    assert meters.returncode == 0, meters.stderr
    estimate = next(m for m in json.loads(meters.stdout) if m["name"] == "estimate")
    assert cpu_power_for().label in estimate["detail"]


@pytest.mark.model
def test_the_installed_wheel_chats_and_prices_the_reply_from_the_bundled_table(
    installed: Path, tmp_path: Path
) -> None:
    require_starter_model()
    script = str(installed / "bin" / "desktop-llm")
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    settings = {"energy.country": "FR", "generation.temperature": 0.0}
    (home / "config" / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
    env = {"DESKTOP_LLM_HOME": str(home)}
    result = _run_installed(
        installed, [script, "chat", "Say hello", "--max-tokens", "4", "--json"], tmp_path, env
    )
    assert result.returncode == 0, result.stderr
    reply = json.loads(result.stdout)
    assert reply["status"] == "complete"
    energy = reply["generation"]["energy"]
    table = load_intensities()
    assert energy["intensity_source"] == f"France: {table.source_line()}"
    assert energy["intensity_g_per_kwh"] == table.countries["FR"].g_per_kwh
    assert energy["label"].startswith("estimate") or energy["measured"]
