"""default_models: which model a task uses when none is named, and saving a choice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_llm.core.config import Settings
from desktop_llm.core.default_models import (
    MODEL_TASKS,
    default_model_for,
    save_default_model,
    tasks_defaulting_to,
)
from desktop_llm.core.errors import UserError
from desktop_llm.core.models import ModelRegistry


@pytest.fixture
def registry(tmp_path: Path) -> ModelRegistry:
    models = tmp_path / "models"
    models.mkdir()
    for name in ("alpha", "beta", "gamma"):
        (models / f"{name}.gguf").write_bytes(b"GGUF")  # listing never opens the files
    return ModelRegistry(models, include_bundled=False)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(tmp_path / "settings.json")


def chosen(task: str, settings: Settings, registry: ModelRegistry) -> str | None:
    model = default_model_for(task, settings, registry)
    return model.name if model is not None else None


def test_the_first_installed_model_when_nothing_is_chosen(
    settings: Settings, registry: ModelRegistry, tmp_path: Path
) -> None:
    assert chosen("chat", settings, registry) == "alpha"
    assert chosen("translate", settings, registry) == "alpha"
    empty = ModelRegistry(tmp_path / "nothing", include_bundled=False)
    assert default_model_for("chat", settings, empty) is None


def test_a_task_follows_the_chat_unless_it_has_its_own(
    settings: Settings, registry: ModelRegistry
) -> None:
    settings.set("chat.default_model", "beta")
    assert chosen("summarize", settings, registry) == "beta"
    settings.set("summarize.default_model", "gamma")
    assert chosen("summarize", settings, registry) == "gamma"
    assert chosen("chat", settings, registry) == "beta"


def test_a_default_that_is_gone_falls_back_to_the_chat_then_the_first(
    settings: Settings, registry: ModelRegistry
) -> None:
    settings.set("sentiment.default_model", "removed-model")
    settings.set("chat.default_model", "gamma")
    assert chosen("sentiment", settings, registry) == "gamma"
    settings.set("chat.default_model", "also-removed")
    assert chosen("sentiment", settings, registry) == "alpha"


def test_saving_sets_each_task_and_writes_the_file(settings: Settings) -> None:
    save_default_model(settings, "beta", ["translate", "sentiment"])
    assert tasks_defaulting_to("beta", settings) == ("translate", "sentiment")
    saved = json.loads(settings.path.read_text(encoding="utf-8"))
    assert saved == {"translate.default_model": "beta", "sentiment.default_model": "beta"}
    save_default_model(settings, "gamma", MODEL_TASKS)
    assert tasks_defaulting_to("gamma", settings) == MODEL_TASKS


def test_a_failed_save_is_a_user_error_and_the_choice_holds(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    settings = Settings(blocker / "settings.json")
    with pytest.raises(UserError, match="The model choice could not be saved"):
        save_default_model(settings, "beta", ["chat"])
    assert settings["chat.default_model"] == "beta"
