"""Remote engines without a server: where an API key is kept (a real keyring backend on a file,
an environment variable; never engines.json), what the CLI accepts, and probabilities a
server did not give staying unknown."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from desktop_llm.cli import build_parser
from desktop_llm.cli.engines import engine_json, key_place
from desktop_llm.cli.tasks import _p
from desktop_llm.core.errors import UserError
from desktop_llm.core.remote_engines import KEYRING_SERVICE, RemoteEngines, make_config
from desktop_llm.core.tasks.outcome import is_unsure
from tests.helpers.file_keyring import FileKeyring

KEY = "sk-unit-0123456789"


@pytest.fixture
def file_keyring(tmp_path: Path) -> Iterator[FileKeyring]:
    previous = keyring.get_keyring()
    backend = FileKeyring(tmp_path / "keyring.json")
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def engines(tmp_path: Path) -> RemoteEngines:
    return RemoteEngines(tmp_path / "config" / "engines.json")


def test_a_key_goes_to_the_keyring_and_never_to_engines_json(
    engines: RemoteEngines, file_keyring: FileKeyring
) -> None:
    engines.add(make_config("box", url="http://10.0.0.5:8080"), api_key=KEY)
    assert file_keyring.entries() == {KEYRING_SERVICE: {"box": KEY}}
    saved = engines.path.read_text(encoding="utf-8")
    assert KEY not in saved
    assert json.loads(saved) == {
        "box": {
            "url": "http://10.0.0.5:8080/v1",
            "key_in_keyring": True,
            "connect_timeout_s": 5.0,
            "silence_timeout_s": 60.0,
        }
    }
    config = RemoteEngines(engines.path)["box"]  # as another process reads it
    assert config.key_in_keyring and engines.api_key(config) == KEY
    described = json.dumps(engine_json(config)) + key_place(config)
    assert KEY not in described and key_place(config) == "keyring"

    engines.remove("box")
    assert file_keyring.entries() == {KEYRING_SERVICE: {}}


def test_replacing_an_engine_without_its_key_forgets_the_key(
    engines: RemoteEngines, file_keyring: FileKeyring
) -> None:
    engines.add(make_config("box", url="http://10.0.0.5:8080"), api_key=KEY)
    engines.add(make_config("box", url="http://10.0.0.5:8080", api_key_env="BOX_KEY"))
    assert file_keyring.entries() == {KEYRING_SERVICE: {}}
    assert key_place(engines["box"]) == "environment variable BOX_KEY"


def test_without_a_keyring_the_words_name_the_environment_variable_way(
    engines: RemoteEngines, no_keyring: None
) -> None:
    with pytest.raises(UserError) as refused:
        engines.add(make_config("box", url="http://10.0.0.5:8080"), api_key=KEY)
    assert "--api-key-env" in str(refused.value) and KEY not in str(refused.value)
    assert engines.all() == []


def test_a_key_in_an_environment_variable_is_read_from_it(
    engines: RemoteEngines, monkeypatch: pytest.MonkeyPatch
) -> None:
    engines.add(make_config("box", url="http://10.0.0.5:8080", api_key_env="BOX_KEY"))
    config = engines["box"]
    monkeypatch.delenv("BOX_KEY", raising=False)
    with pytest.raises(UserError, match=r"BOX_KEY.*not set"):
        engines.api_key(config)
    monkeypatch.setenv("BOX_KEY", KEY)
    assert engines.api_key(config) == KEY
    assert KEY not in engines.path.read_text(encoding="utf-8")
    assert engine_json(config)["key"] == "env" and engine_json(config)["api_key_env"] == "BOX_KEY"


def test_the_cli_takes_no_key_on_its_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    args = parser.parse_args(["engines", "add", "box", "--url", "http://h/v1", "--api-key-stdin"])
    assert args.api_key_stdin and args.api_key_env is None
    for argv in (
        ["engines", "add", "box", "--url", "http://h/v1", "--api-key", KEY],
        ["engines", "add", "box", "--url", "http://h/v1", "--api-key-env", "V", "--api-key-stdin"],
    ):
        with pytest.raises(SystemExit) as exited:
            parser.parse_args(argv)
        assert exited.value.code == 2
    capsys.readouterr()


def test_probabilities_a_server_did_not_give_stay_unknown() -> None:
    unknown = {"positive": None, "negative": None, "neutral": None}
    assert is_unsure(unknown) is False  # no figures: nothing to be unsure about
    assert is_unsure({"positive": 0.4, "negative": 0.35, "neutral": 0.25}) is True
    assert [_p(None), _p(0.12345)] == ["—", "0.123"]
