from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_llm.core.config import OPTIONS, OPTIONS_BY_NAME, Settings
from desktop_llm.core.paths import AppPaths


def test_every_option_is_declared_once_with_a_valid_default() -> None:
    assert len(OPTIONS_BY_NAME) == len(OPTIONS)
    for option in OPTIONS:
        assert option.doc
        assert option.coerce(option.default) == option.default


def test_defaults_then_saved_values_survive_a_reload(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    settings = Settings(path)
    assert settings["generation.max_tokens"] == OPTIONS_BY_NAME["generation.max_tokens"].default
    settings.set("generation.max_tokens", 99)
    settings.set("chat.system_prompt", "Réponds en français.")
    settings.save()
    again = Settings(path)
    assert again["generation.max_tokens"] == 99
    assert again["chat.system_prompt"] == "Réponds en français."


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("engine.threads", 0, "at least"),
        ("generation.temperature", 5, "at most"),
        ("generation.max_tokens", "many", "must be a int"),
        ("generation.max_tokens", 2.5, "whole number"),
    ],
)
def test_bad_values_are_refused_in_words(
    tmp_path: Path, name: str, value: object, words: str
) -> None:
    with pytest.raises(ValueError, match=words):
        Settings(tmp_path / "s.json").set(name, value)


def test_a_malformed_settings_file_is_set_aside_and_defaults_used(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{not json", encoding="utf-8")
    settings = Settings(path)
    assert settings.load_warning is not None and "could not be read" in settings.load_warning
    assert (tmp_path / "settings.json.bad").read_text(encoding="utf-8") == "{not json"
    assert settings["engine.context_length"] == OPTIONS_BY_NAME["engine.context_length"].default


def test_unknown_and_invalid_entries_are_ignored_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"nope": 1, "engine.threads": -3, "generation.top_p": 0.5}))
    settings = Settings(path)
    assert settings["generation.top_p"] == 0.5
    assert settings["engine.threads"] == OPTIONS_BY_NAME["engine.threads"].default


def test_home_variable_puts_everything_under_one_folder(tmp_path: Path) -> None:
    paths = AppPaths.from_env({"DESKTOP_LLM_HOME": str(tmp_path)}).ensure()
    for p in (
        paths.data_dir,
        paths.config_dir,
        paths.models_dir,
        paths.db_path,
        paths.settings_path,
        paths.log_dir,
        paths.cache_dir,
    ):
        assert tmp_path in p.parents
    assert paths.models_dir.is_dir()
