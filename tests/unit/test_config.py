from __future__ import annotations

import json
import threading
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
        ("generation.max_tokens", "many", "must be a whole number"),
        ("generation.max_tokens", 2.5, "whole number"),
        ("generation.top_p", "lots", "must be a number"),
        ("hub.endpoint", "hf-mirror.com", "must be a web address"),
        ("hub.endpoint", "ftp://hf-mirror.com", "must be a web address"),
        ("hub.endpoint", "https://", "must be a web address"),
    ],
)
def test_bad_values_are_refused_in_words(
    tmp_path: Path, name: str, value: object, words: str
) -> None:
    with pytest.raises(ValueError, match=words):
        Settings(tmp_path / "s.json").set(name, value)


def test_a_reason_names_the_option_as_it_is_shown() -> None:
    option = OPTIONS_BY_NAME["engine.threads"]
    with pytest.raises(ValueError, match=r"^engine\.threads must be at least 1$"):
        option.coerce(0)
    with pytest.raises(ValueError, match=r"^Threads must be at least 1$"):
        option.coerce(0, "Threads")


def test_a_hub_mirror_is_empty_or_a_web_address(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "s.json")
    for address in ("", "https://hf-mirror.com", "http://127.0.0.1:8080/", " https://x.org "):
        settings.set("hub.endpoint", address)
        assert settings["hub.endpoint"] == address


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


def test_subscribers_hear_which_settings_changed(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.json")
    heard: list[frozenset[str]] = []
    unsubscribe = settings.subscribe(heard.append)

    settings.set("engine.context_length", 8192)
    settings.set("engine.context_length", 8192)  # the same value: no news
    settings.set("generation.max_tokens", OPTIONS_BY_NAME["generation.max_tokens"].default)
    threads = OPTIONS_BY_NAME["engine.threads"].default + 1  # the default is this machine's
    settings.update({"engine.gpu_layers": 10, "generation.top_p": 0.5, "engine.threads": threads})
    assert heard == [
        frozenset({"engine.context_length"}),
        frozenset({"engine.gpu_layers", "generation.top_p", "engine.threads"}),
    ]

    unsubscribe()
    settings.set("engine.context_length", 1024)
    assert len(heard) == 2
    unsubscribe()  # twice is harmless


def test_a_bad_value_in_an_update_changes_nothing(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.json")
    heard: list[frozenset[str]] = []
    settings.subscribe(heard.append)
    with pytest.raises(ValueError, match="at least"):
        settings.update({"engine.context_length": 8192, "engine.threads": 0})
    with pytest.raises(KeyError):
        settings.update({"engine.context_length": 8192, "no.such.option": 1})
    assert settings["engine.context_length"] == OPTIONS_BY_NAME["engine.context_length"].default
    assert heard == []


def test_listeners_run_after_the_change_on_the_changing_thread(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.json")
    seen: list[tuple[int, str]] = []
    settings.subscribe(
        lambda _names: seen.append((threading.get_ident(), settings["chat.system_prompt"]))
    )
    worker = threading.Thread(target=settings.set, args=("chat.system_prompt", "Be brief."))
    worker.start()
    worker.join()
    assert seen == [(worker.ident, "Be brief.")]


def test_concurrent_changes_are_all_kept_and_heard(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.json")
    heard: list[frozenset[str]] = []
    lock = threading.Lock()

    def listener(names: frozenset[str]) -> None:
        with lock:
            heard.append(names)

    settings.subscribe(listener)
    names = [o.name for o in OPTIONS if o.type is str and not o.choices and not o.check]

    def change(name: str) -> None:
        for i in range(50):
            settings.set(name, f"value {i}")
            settings.save()

    threads = [threading.Thread(target=change, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(settings[name] == "value 49" for name in names)
    assert len(heard) == 50 * len(names)
    assert json.loads(settings.path.read_text(encoding="utf-8"))[names[0]] == "value 49"


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf"), "nan", "1e400"])
@pytest.mark.parametrize("name", ["engine.threads", "generation.temperature"])
def test_a_non_finite_number_is_refused_in_words(name: str, value: object) -> None:
    with pytest.raises(ValueError, match="must be a finite number"):
        OPTIONS_BY_NAME[name].coerce(value)


def test_an_integer_past_floats_range_is_refused_not_raised() -> None:
    with pytest.raises(ValueError, match="at most"):
        OPTIONS_BY_NAME["engine.threads"].coerce(10**400)
    with pytest.raises(ValueError, match="must be a number"):
        OPTIONS_BY_NAME["generation.temperature"].coerce(10**400)


def test_settings_never_write_a_non_finite_number(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"generation.top_p": NaN, "generation.max_tokens": 1e400}')
    settings = Settings(path)
    assert settings.load_warning is not None and "finite" in settings.load_warning
    with pytest.raises(ValueError):
        settings.set("generation.top_p", float("nan"))
    settings.save()
    assert json.loads(path.read_text(), parse_constant=lambda c: pytest.fail(c)) == {}
