"""Damaged numbers, a full disk and folders the app cannot use: said in words, nothing lost,
no traceback (issue 13, findings 6 and 10)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_llm.core.chat.service import MessageNotSaved
from desktop_llm.core.paths import AppPaths
from desktop_llm.core.services import open_services
from desktop_llm.core.store import Store
from tests.helpers.faults_disk import file_size_limit, fill_database, run_cli


def _strict_json(text: str) -> object:
    def refuse(constant: str) -> object:
        raise AssertionError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


def _plain(stderr: str) -> None:
    assert "Traceback" not in stderr and "Logging error" not in stderr
    assert "unexpected error" not in stderr and "sqlalche.me" not in stderr


@pytest.mark.parametrize("number", ["Infinity", "-Infinity", "1e400", "NaN"])
def test_a_non_finite_number_in_settings_costs_that_value_not_the_app(
    tmp_path: Path, number: str
) -> None:
    """Before: 'unexpected error (OverflowError…)' on every command, or NaN accepted."""
    paths = AppPaths.from_env({"DESKTOP_LLM_HOME": str(tmp_path)}).ensure()
    paths.settings_path.write_text(
        f'{{"engine.threads": {number}, "generation.temperature": {number}, '
        f'"energy.carbon_intensity": {number}, "ui.theme": "dark"}}'
    )
    done = run_cli(tmp_path, "history", "list", "--json")
    assert done.returncode == 0, done.stderr
    _plain(done.stderr)
    assert "were not used, and their defaults apply" in done.stderr
    for name in ("engine.threads", "generation.temperature", "energy.carbon_intensity"):
        assert f"{name} must be a finite number" in done.stderr
    assert _strict_json(done.stdout) == []
    settings = open_services({"DESKTOP_LLM_HOME": str(tmp_path)})
    try:
        assert settings.settings["ui.theme"] == "dark"  # the good value is kept
        assert settings.settings["generation.temperature"] == 0.7
        settings.settings.save()  # and the file written back is JSON again
    finally:
        settings.close()
    _strict_json(paths.settings_path.read_text())


@pytest.mark.parametrize(
    ("flag", "value"), [("--temperature", "nan"), ("--top-p", "inf"), ("--temperature", "1e400")]
)
def test_a_non_finite_option_is_refused_before_anything_is_stored(
    tmp_path: Path, flag: str, value: str
) -> None:
    done = run_cli(tmp_path, "chat", flag, value, "hello")
    assert done.returncode == 1
    assert done.stderr.strip() == f"desktop-llm: {flag} must be a finite number."
    listed = run_cli(tmp_path, "history", "list", "--json")
    assert _strict_json(listed.stdout) == []


def test_a_nan_carbon_intensity_leaves_replies_saved(tmp_path: Path, starter_model: Path) -> None:
    """Before: every reply failed with an SQL error dump (NaN grams in a NOT NULL column)."""
    paths = AppPaths.from_env({"DESKTOP_LLM_HOME": str(tmp_path)}).ensure()
    paths.settings_path.write_text('{"energy.carbon_intensity": NaN}')
    done = run_cli(tmp_path, "chat", "--max-tokens", "8", "--json", "Say hi.")
    assert done.returncode == 0, done.stderr
    _plain(done.stderr)
    reply = _strict_json(done.stdout.strip())
    assert isinstance(reply, dict) and reply["status"] == "complete" and reply["content"]
    shown = run_cli(tmp_path, "history", "show", str(reply["conversation_id"]), "--json")
    document = _strict_json(shown.stdout)
    assert isinstance(document, dict)
    assert [m["role"] for m in document["messages"]] == ["user", "assistant"]


def _prepared(home: Path) -> AppPaths:
    """A migrated data folder whose log file is already past `LIMIT`."""
    paths = AppPaths.from_env({"DESKTOP_LLM_HOME": str(home)}).ensure()
    Store(paths.db_path).close()
    (paths.log_dir / "desktop-llm.log").write_text("earlier lines\n" * 3000)  # 42 KB
    return paths


LIMIT = 36 * 1024  # SQLite's shared memory (32 KiB) fits; a long message's pages do not


def test_a_full_disk_loses_no_words_and_leaves_no_empty_chat(tmp_path: Path) -> None:
    """Before: a 5 KB 'Logging error' traceback, an empty 'New chat' and the words gone."""
    _prepared(tmp_path)
    message = "Please keep these words. " * 8000  # 200 KB: more pages than the limit allows
    done = run_cli(tmp_path, "chat", "-", stdin=message, preexec_fn=file_size_limit(LIMIT))
    assert done.returncode == 1
    _plain(done.stderr)
    lines = done.stderr.splitlines()
    assert any("Your message could not be saved" in line for line in lines)
    assert message.strip() in done.stderr  # given back, not lost
    assert sum("log file" in line for line in lines) <= 1  # said once, in one line
    assert len(done.stderr) < len(message) + 600
    listed = run_cli(tmp_path, "history", "list", "--json")
    assert _strict_json(listed.stdout) == []  # no empty "New chat"


def test_a_log_on_a_full_disk_is_said_once_in_one_line(tmp_path: Path) -> None:
    paths = AppPaths.from_env({"DESKTOP_LLM_HOME": str(tmp_path)}).ensure()
    (paths.log_dir / "desktop-llm.log").symlink_to("/dev/full")
    paths.settings_path.write_text('{"generation.top_p": NaN}')  # something to log
    done = run_cli(tmp_path, "history", "list")
    assert done.returncode == 0, done.stderr
    _plain(done.stderr)
    (line,) = [x for x in done.stderr.splitlines() if "log file" in x]
    assert "cannot be written (No space left on device)" in line


@pytest.mark.parametrize(
    "where", ["home under a file", "logs a file", "log a folder", "db a folder"]
)
def test_a_folder_the_app_cannot_use_is_named_in_one_sentence(tmp_path: Path, where: str) -> None:
    """Before: a Python traceback. Root ignores chmod, so each fault is a path that cannot
    be made: a regular file where a folder must go, a folder where a file must go."""
    home = tmp_path / "home"
    if where == "home under a file":
        (tmp_path / "plain-file").write_text("x")
        home = tmp_path / "plain-file" / "home"
        named = str(home / "data")
    else:
        home.mkdir()
        if where == "logs a file":
            (home / "logs").write_text("x")
            named = str(home / "logs")
        elif where == "log a folder":
            (home / "logs" / "desktop-llm.log").mkdir(parents=True)
            named = str(home / "logs" / "desktop-llm.log")
        else:
            (home / "data" / "desktop_llm.sqlite3").mkdir(parents=True)
            named = str(home / "data" / "desktop_llm.sqlite3")
    done = run_cli(home, "history", "list")
    assert done.returncode == 1
    _plain(done.stderr)
    (line,) = done.stderr.splitlines()
    assert line.startswith("desktop-llm: The app cannot") and named in line


def test_a_full_database_keeps_no_empty_chat_and_gives_the_words_back(tmp_path: Path) -> None:
    """SQLite's own limit (max_page_count) fills the file: send() fails in words before any
    model is needed, and the chat it made for the message is gone again."""
    services = open_services({"DESKTOP_LLM_HOME": str(tmp_path)})
    try:
        fill_database(services.store)
        words = "Keep me. " * 5000
        with pytest.raises(MessageNotSaved) as caught:
            next(services.chat.send(None, words))
        assert caught.value.text == words
        assert "database or disk is full" in str(caught.value)
        assert services.store.list_conversations() == []
    finally:
        services.close()
