"""Per-model settings with the real starter model: the engine loads it with the model's own
context and template, a change reloads it at the next use, and `desktop-llm models
settings` shows and changes them in a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_llm.core.chat.events import ReplyEnded
from desktop_llm.core.engine.chat_template import CHATML_TEMPLATE
from desktop_llm.core.model_host import ModelLoading, ModelReady
from desktop_llm.core.model_settings import ModelLimits, ModelOverrides
from desktop_llm.core.models import read_gguf
from desktop_llm.core.services import Services, open_services

STARTER = "SmolLM2-135M-Instruct.Q4_1"
# A template that writes a long instruction before every conversation: a prompt rendered
# with it has many more tokens than one rendered with the model's own.
PREFIX = "Answer in exactly three words, and never use the letter e. " * 4
LONG_TEMPLATE = "{{ '" + PREFIX + "' }}" + CHATML_TEMPLATE


@pytest.fixture
def services(home: Path) -> Iterator[Services]:
    opened = open_services()
    yield opened
    opened.close()


def cli(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "desktop_llm", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=os.environ.copy(),
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def prompt_tokens(services: Services, conversation_id: int | None = None) -> int:
    *_, ended = services.chat.send(conversation_id, "Where is Paris?")
    assert isinstance(ended, ReplyEnded) and ended.stats is not None, ended
    return ended.stats.prompt_tokens


@pytest.mark.model
def test_the_engine_loads_the_model_with_its_own_context_and_reloads_on_a_change(
    services: Services,
) -> None:
    host = services.host
    first = list(host.prepare(None))
    assert isinstance(first[-1], ModelReady) and first[-1].n_ctx == 2048  # the app-wide value
    model = host.resolve(None)
    limits = ModelLimits.of(read_gguf(model.path))
    host.model_settings.save(model.name, ModelOverrides(context_length=512, threads=1), limits)
    events = list(host.prepare(None))
    assert isinstance(events[0], ModelLoading)  # changed for the loaded model: loaded again
    assert isinstance(events[-1], ModelReady) and events[-1].n_ctx == 512
    loaded = host.engine.loaded
    assert loaded is not None and loaded.n_ctx == 512 and loaded.spec.n_threads == 1
    assert list(host.prepare(None)) == []  # unchanged: kept
    host.model_settings.reset(model.name)
    events = list(host.prepare(None))
    assert isinstance(events[-1], ModelReady) and events[-1].n_ctx == 2048


@pytest.mark.model
def test_a_template_override_changes_the_prompt(services: Services) -> None:
    own = prompt_tokens(services)
    assert services.host.engine.loaded.chat_template == "gguf"  # type: ignore[union-attr]
    model = services.host.resolve(None)
    limits = ModelLimits.of(read_gguf(model.path))
    services.host.model_settings.save(
        model.name, ModelOverrides(chat_template=LONG_TEMPLATE), limits
    )
    overridden = prompt_tokens(services)
    assert services.host.engine.loaded.chat_template == "override"  # type: ignore[union-attr]
    assert overridden > own + 40  # the prefix is in the prompt


@pytest.mark.model
def test_the_cli_shows_changes_refuses_and_resets_a_models_settings(
    home: Path, tmp_path: Path
) -> None:
    shown = cli("models", "settings", "SmolLM2").stdout
    assert f"{STARTER}:" in shown
    assert "Context length: 2,048 tokens (app-wide; trained for 8,192)" in shown
    assert "Chat template:  the model's own" in shown

    template = tmp_path / "chatml.jinja"
    template.write_text(CHATML_TEMPLATE, encoding="utf-8")
    changed = cli(
        "models", "settings", "SmolLM2", "--context", "512", "--gpu-layers", "-1",
        "--template-file", str(template),
    ).stdout  # fmt: skip
    assert "Context length: 512 tokens (this model's; trained for 8,192)" in changed
    assert "GPU layers:     all (this model's; the model has 30)" in changed
    assert "Chat template:  this model's own setting" in changed
    saved = json.loads((home / "config" / "model_settings.json").read_text(encoding="utf-8"))
    assert saved == {
        STARTER: {"context_length": 512, "gpu_layers": -1, "chat_template": CHATML_TEMPLATE}
    }

    too_long = cli("models", "settings", "SmolLM2", "--context", "9000", check=False)
    assert too_long.returncode == 1
    assert "The context length must be from 256 to 8,192 tokens" in too_long.stderr
    template.write_text("{% for m in messages %}{{ m.content }", encoding="utf-8")
    broken = cli("models", "settings", "SmolLM2", "--template-file", str(template), check=False)
    assert broken.returncode == 1 and "The chat template does not work:" in broken.stderr
    unchanged = json.loads(cli("models", "settings", "SmolLM2", "--json").stdout)
    assert unchanged["overrides"]["context_length"] == 512  # a refusal changes nothing

    partly = json.loads(
        cli(
            "models", "settings", "SmolLM2", "--context", "default", "--clear-template", "--json"
        ).stdout
    )
    assert partly["overrides"] == {"gpu_layers": -1}
    assert partly["effective"]["context_length"] == 2048
    reset = json.loads(cli("models", "settings", "SmolLM2", "--reset", "--json").stdout)
    assert reset["overrides"] == {} and reset["effective"]["gpu_layers"] == 0
