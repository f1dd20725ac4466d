"""`desktop-llm --version` and `--smoke-test`, run as a user (or CI, on a build) runs them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_llm import __version__
from desktop_llm.core.models import starter_model_path


def _run(*args: str, home: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    if home is not None:
        env["DESKTOP_LLM_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "desktop_llm", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def test_version() -> None:
    result = _run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"desktop-llm {__version__}"


@pytest.mark.model
@pytest.mark.skipif(starter_model_path() is None, reason="the starter model is not installed")
def test_smoke_test_answers_through_the_window_and_leaves_no_data(tmp_path: Path) -> None:
    users_home = tmp_path / "home"
    result = _run("--smoke-test", home=users_home)
    assert result.returncode == 0, result.stderr
    assert not users_home.exists()  # the check ran in a temporary folder of its own
    line = result.stdout.strip()
    assert line.startswith("smoke test passed: SmolLM2-135M-Instruct.Q4_1 on CPU wrote ")
    assert "stored as message" in line
    timings = re.search(r"window shown ([\d.]+) s and first token ([\d.]+) s after launch", line)
    assert timings is not None, line
    shown, first_token = (float(x) for x in timings.groups())
    assert 0 < shown < first_token
