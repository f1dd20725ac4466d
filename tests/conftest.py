"""Fixtures shared by every test layer."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.gguf_factory import require_starter_model
from tests.helpers.hub_server import FakeHub, running_hub

# The real OpenAI-compatible server (`llama_server`, session) and the proxy in front of it
# (`fault_proxy`): tests/helpers/openai_fixtures.py.
pytest_plugins = ["tests.helpers.openai_fixtures"]


@pytest.fixture
def starter_model() -> Path:
    return require_starter_model()


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


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    """A running FakeHub with HF_ENDPOINT pointing at it; stopped (threads joined) after."""
    with running_hub(monkeypatch) as fake:
        yield fake
