"""Remote engines against a real OpenAI-compatible server: llama-cpp-python's own
(`python -m llama_cpp.server`) serving the starter model on 127.0.0.1, with faults injected by
the FaultProxy in front of it (tests/helpers/openai_server.py).

The CLI is run as a user runs it (a process on a real data folder); the failure cases run at
the services level, where the same process then answers with the local model. The server
answers one request at a time: every test sends its requests one after another.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_llm.core.chat.events import ChatEvent, ReplyEnded, ReplyText
from desktop_llm.core.engine.protocol import SamplingParams
from desktop_llm.core.errors import UserError
from desktop_llm.core.remote_engines import make_config
from desktop_llm.core.services import Services, open_services
from tests.helpers import file_keyring
from tests.helpers.gguf_factory import require_starter_model
from tests.helpers.openai_server import FaultProxy, RunningServer, run_llama_server

CLI = [sys.executable, "-m", "desktop_llm"]
KEY = "sk-test-0123456789"
STARTER = "SmolLM2-135M-Instruct.Q4_1"


def run(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None, timeout: float = 180
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*CLI, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def database(home: Path) -> sqlite3.Connection:
    db = sqlite3.connect(home / "data" / "desktop_llm.sqlite3")
    db.row_factory = sqlite3.Row
    return db


def engines_file(home: Path) -> Path:
    return home / "config" / "engines.json"


@pytest.fixture(scope="module")
def keyed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A second server that wants an API key (--api_key)."""
    log = tmp_path_factory.mktemp("keyed-server") / "server.log"
    with run_llama_server(require_starter_model(), alias="smol", api_key=KEY, log=log) as server:
        yield server


@pytest.fixture
def services(home: Path) -> Iterator[Services]:
    opened = open_services()
    yield opened
    opened.close()


def drive(events: Iterator[ChatEvent]) -> tuple[str, ReplyEnded]:
    streamed: list[str] = []
    ended: ReplyEnded | None = None
    for event in events:
        if isinstance(event, ReplyText):
            streamed.append(event.text)
        elif isinstance(event, ReplyEnded):
            ended = event
    assert ended is not None
    return "".join(streamed), ended


# --- the CLI ---------------------------------------------------------------------------------


def test_engines_add_list_test_remove_round_trip_never_stores_the_key(
    home: Path, fault_proxy: FaultProxy
) -> None:
    env = {"BOX_KEY": KEY}
    added = run("engines", "add", "box", "--url", fault_proxy.base_url, "--api-key-env", "BOX_KEY")
    assert added.returncode == 0, added.stderr
    assert "box" in added.stdout and "BOX_KEY" in added.stdout
    saved = engines_file(home).read_text(encoding="utf-8")
    assert KEY not in saved and json.loads(saved)["box"]["api_key_env"] == "BOX_KEY"

    listed = run("engines", "list", "--json", env=env)
    assert listed.returncode == 0, listed.stderr
    [entry] = json.loads(listed.stdout)
    assert entry["name"] == "box" and entry["url"] == fault_proxy.base_url
    assert entry["key"] == "env" and entry["api_key_env"] == "BOX_KEY"
    assert entry["host"] == f"127.0.0.1:{fault_proxy.port}" and entry["watts"] is None
    plain = run("engines", "list", env=env)
    assert "box" in plain.stdout and "environment variable BOX_KEY" in plain.stdout
    assert KEY not in listed.stdout + plain.stdout

    tested = run("engines", "test", "box", env=env)
    assert tested.returncode == 0, tested.stderr
    assert "Models: smol" in tested.stdout
    assert "Tokenizer endpoint: yes" in tested.stdout and "Logprobs: yes" in tested.stdout
    # The key went to the server from the environment variable, as a bearer token.
    assert {r.authorization for r in fault_proxy.requests} == {f"Bearer {KEY}"}

    models = run("models", "list", env=env)
    assert models.returncode == 0, models.stderr
    assert STARTER in models.stdout
    assert f"box/smol  (remote, 127.0.0.1:{fault_proxy.port})" in models.stdout
    as_json = json.loads(run("models", "list", "--json", env=env).stdout)
    remote = [m for m in as_json if m["source"] == "remote"]
    assert remote == [
        {
            "name": "box/smol",
            "path": None,
            "source": "remote",
            "size_bytes": None,
            "quantization": None,
            "broken": None,
            "made_from": None,
            "engine": "box",
            "host": f"127.0.0.1:{fault_proxy.port}",
            "model_id": "smol",
        }
    ]

    # Without the variable set, the key is missing and the test says so in words.
    unset = run("engines", "test", "box")
    assert unset.returncode == 1
    assert "BOX_KEY" in unset.stderr and "not set" in unset.stderr

    removed = run("engines", "remove", "box")
    assert removed.returncode == 0, removed.stderr
    assert json.loads(run("engines", "list", "--json").stdout) == []
    gone = run("engines", "test", "box")
    assert gone.returncode == 1 and "no engine named box" in gone.stderr.lower()


def test_no_api_key_on_the_command_line(home: Path) -> None:
    result = run("engines", "add", "box", "--url", "http://127.0.0.1:9/v1", "--api-key", KEY)
    assert result.returncode == 2  # argparse: there is no such option
    assert not engines_file(home).exists()


def test_a_key_piped_in_goes_to_the_keyring_not_to_engines_json(
    home: Path, tmp_path: Path, keyed_server: RunningServer
) -> None:
    keyring_file = tmp_path / "keyring.json"
    env = file_keyring.environment(keyring_file)
    added = run(
        "engines", "add", "keyed", "--url", keyed_server.base_url, "--api-key-stdin",
        stdin=KEY + "\n", env=env,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "keyring" in added.stdout and KEY not in added.stdout + added.stderr
    kept = json.loads(keyring_file.read_text(encoding="utf-8"))
    assert kept == {"desktop-llm": {"keyed": KEY}}
    saved = engines_file(home).read_text(encoding="utf-8")
    assert KEY not in saved and json.loads(saved)["keyed"]["key_in_keyring"] is True
    assert "key: keyring" in run("engines", "list", env=env).stdout

    # The key from the keyring opens the server that wants one.
    tested = run("engines", "test", "keyed", env=env)
    assert tested.returncode == 0, tested.stderr
    assert "Models: smol" in tested.stdout

    removed = run("engines", "remove", "keyed", env=env)
    assert removed.returncode == 0, removed.stderr
    assert json.loads(keyring_file.read_text(encoding="utf-8")) == {"desktop-llm": {}}


def test_without_a_keyring_the_cli_says_to_use_an_environment_variable(home: Path) -> None:
    result = run(
        "engines", "add", "box", "--url", "http://127.0.0.1:9/v1", "--api-key-stdin",
        stdin=KEY + "\n", env=file_keyring.NO_KEYRING,
    )  # fmt: skip
    assert result.returncode == 1
    assert "keyring" in result.stderr and "--api-key-env" in result.stderr
    assert KEY not in result.stderr
    assert not engines_file(home).exists() or "box" not in engines_file(home).read_text()


def test_chat_translate_summarize_sentiment_through_a_remote_model(
    home: Path, llama_server: RunningServer
) -> None:
    added = run("engines", "add", "box", "--url", llama_server.base_url)
    assert added.returncode == 0, added.stderr
    host = f"127.0.0.1:{llama_server.port}"

    chat = run("chat", "--model", "box/smol", "What is the capital of France?", "--json")
    assert chat.returncode == 0, chat.stderr
    reply = json.loads(chat.stdout)
    assert reply["status"] == "complete" and reply["content"].strip()
    assert reply["model"] == "box/smol"
    assert reply["generation"]["engine"] == "box"
    assert reply["generation"]["engine_host"] == host

    translated = run("translate", "--to", "fr", "Good morning, my friend.", "--model", "box/smol")
    assert translated.returncode == 0, translated.stderr
    assert translated.stdout.strip()
    # The server counts tokens itself: no word of an estimate.
    assert "estimated" not in translated.stderr

    text = "The cat sat on the mat. It was a sunny day and the cat was happy. Later it slept."
    summary = run("summarize", text, "--model", "box/smol")
    assert summary.returncode == 0, summary.stderr
    assert summary.stdout.strip()

    sentiment = run("sentiment", "I love this, it is wonderful!", "--model", "box/smol", "--json")
    assert sentiment.returncode == 0, sentiment.stderr
    [item] = json.loads(sentiment.stdout)["items"]
    probabilities = [item["p_positive"], item["p_negative"], item["p_neutral"]]
    assert all(p is not None for p in probabilities)  # from the server's logprobs
    assert sum(probabilities) == pytest.approx(1.0, abs=1e-6)
    assert item["label"] == max(("positive", "negative", "neutral"), key=lambda k: item[f"p_{k}"])

    db = database(home)
    rows = db.execute(
        "select g.engine, g.engine_host, g.model_file, g.model_sha256, e.source, e.measured, "
        "e.joules_gross, e.joules_net, e.joules_attributed, e.carbon_g "
        "from generations g join energy e on e.generation_id = g.id"
    ).fetchall()
    assert len(rows) >= 4  # a reply, a translation, a summary, a sentiment batch
    for row in rows:
        assert (row["engine"], row["engine_host"], row["model_file"]) == ("box", host, "smol")
        assert row["model_sha256"] is None
        assert row["source"] == "remote" and row["measured"] == 0
        # Not measured here: absent, never 0.
        assert row["joules_gross"] is None and row["joules_net"] is None
        assert row["joules_attributed"] is None and row["carbon_g"] is None


def test_a_server_without_a_tokenizer_is_said_once_in_the_task_output(
    home: Path, fault_proxy: FaultProxy
) -> None:
    fault_proxy.status(404, only="/extras")  # llama-cpp-python's tokenizer endpoints gone
    assert run("engines", "add", "box", "--url", fault_proxy.base_url).returncode == 0
    note = "Token counts estimated from characters: the server has no tokenizer endpoint."
    for command in (
        ["translate", "--to", "fr", "Good morning."],
        ["summarize", "The sun rose over the hills and the birds began to sing."],
    ):
        result = run(*command, "--model", "box/smol")
        assert result.returncode == 0, result.stderr
        assert result.stderr.count(note) == 1, result.stderr
        assert result.stdout.strip()


def test_models_list_goes_on_when_a_server_does_not_answer(
    home: Path, fault_proxy: FaultProxy
) -> None:
    from desktop_llm.core.remote_engines import RemoteEngines

    engines = RemoteEngines(engines_file(home))
    engines.add(make_config("slow", url=fault_proxy.base_url, connect_timeout_s=2))
    fault_proxy.silence_after(0)  # accepts the connection, never answers
    started = time.monotonic()
    result = run("models", "list")
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert STARTER in result.stdout and "slow/" not in result.stdout
    [line] = [line for line in result.stderr.splitlines() if "slow" in line]
    assert "not listed" in line and "sent nothing for 2 s" in line
    assert elapsed < 30  # the 2 s timeout, plus the process's start


@pytest.mark.parametrize(
    ("command", "words"),
    [
        (["eval", "--task", "sentiment", "--model", "box/smol"], "evaluations need a model"),
        (["models", "quantize", "box/smol", "--to", "Q4_0"], "quantizing needs a model"),
        (["models", "remove", "box/smol", "-y"], "engines remove box"),
    ],
)
def test_what_needs_a_file_here_refuses_a_remote_model_in_words(
    home: Path, command: list[str], words: str
) -> None:
    assert run("engines", "add", "box", "--url", "http://127.0.0.1:9/v1").returncode == 0
    result = run(*command)
    assert result.returncode == 1
    assert words in result.stderr and "Traceback" not in result.stderr


def test_models_info_of_a_remote_model_asks_its_server(
    home: Path, llama_server: RunningServer
) -> None:
    assert run("engines", "add", "box", "--url", llama_server.base_url).returncode == 0
    info = run("models", "info", "box/smol")
    assert info.returncode == 0, info.stderr
    assert "box (remote)" in info.stdout and llama_server.base_url in info.stdout
    assert "not measured here" in info.stdout
    missing = run("models", "info", "box/nothing")
    assert missing.returncode == 1 and "serves: smol" in missing.stderr


# --- failures, in the same process as the local engine ------------------------------------------


def add_engine(services: Services, name: str, url: str, **values: object) -> None:
    services.host.remote_engines.add(make_config(name, url=url, **values))


def test_a_server_killed_mid_reply_leaves_an_interrupted_reply_and_the_local_model_answers(
    services: Services, fault_proxy: FaultProxy
) -> None:
    add_engine(services, "box", fault_proxy.base_url)
    fault_proxy.drop_after(6, only="/v1/chat")  # a few tokens, then the connection is cut
    params = SamplingParams(temperature=0.0, max_tokens=48)
    streamed, ended = drive(
        services.chat.send(None, "Tell me about the sea.", model="box/smol", params=params)
    )
    assert ended.status == "interrupted"
    assert streamed and ended.content == streamed
    assert ended.error is not None and "lost mid-reply" in ended.error
    assert "The text so far was kept." in ended.error
    stored = services.store.get_message(ended.message_id)
    assert (stored.status, stored.content) == ("interrupted", streamed)

    # The local engine is untouched: the same services answer with the starter model.
    _, local = drive(services.chat.send(None, "Say hello.", model=STARTER))
    assert local.status == "complete" and local.content.strip()
    generation = services.store.generation_for(local.message_id)
    assert generation is not None and generation.engine == "local"


def test_the_server_process_killed_mid_reply_leaves_the_text_and_words(
    services: Services, tmp_path: Path
) -> None:
    """The issue's case as it happens: the serving process itself ends (SIGKILL) while a
    reply streams; the reply keeps what arrived, marked interrupted, with the reason."""
    with run_llama_server(require_starter_model(), log=tmp_path / "server.log") as server:
        add_engine(services, "doomed", server.base_url)
        params = SamplingParams(temperature=0.0, max_tokens=400)
        streamed: list[str] = []
        ended: ReplyEnded | None = None
        for event in services.chat.send(
            None, "Write a long story about the sea.", model="doomed/smol", params=params
        ):
            if isinstance(event, ReplyText):
                streamed.append(event.text)
                if len(streamed) == 5:
                    server.process.kill()
            elif isinstance(event, ReplyEnded):
                ended = event
    assert ended is not None and ended.status == "interrupted", ended
    assert len(streamed) >= 5 and ended.content == "".join(streamed)
    assert ended.error is not None and "lost mid-reply" in ended.error
    assert (ended.engine, ended.engine_host) == ("doomed", f"127.0.0.1:{server.port}")
    stored = services.store.get_message(ended.message_id)
    assert (stored.status, stored.content) == ("interrupted", ended.content)


def test_a_wrong_key_is_refused_in_words(services: Services, keyed_server: RunningServer) -> None:
    os.environ["DESKTOP_LLM_TEST_WRONG_KEY"] = "sk-wrong"
    try:
        add_engine(
            services, "keyed", keyed_server.base_url, api_key_env="DESKTOP_LLM_TEST_WRONG_KEY"
        )
        started = time.monotonic()
        with pytest.raises(UserError) as refused:
            drive(services.chat.send(None, "Hello", model="keyed/smol"))
    finally:
        del os.environ["DESKTOP_LLM_TEST_WRONG_KEY"]
    assert time.monotonic() - started < 10
    assert "refused the API key (HTTP 401)" in str(refused.value)


@pytest.mark.parametrize(
    ("code", "words"),
    [(404, "has no model named smol (HTTP 404)"), (500, "answered with an error (HTTP 500)")],
)
def test_a_refused_reply_is_an_error_in_words(
    services: Services, fault_proxy: FaultProxy, code: int, words: str
) -> None:
    add_engine(services, "box", fault_proxy.base_url)
    fault_proxy.status(code, only="/v1/chat")
    started = time.monotonic()
    _, ended = drive(services.chat.send(None, "Hello", model="box/smol"))
    assert time.monotonic() - started < 10
    assert ended.status == "error" and ended.content == ""
    assert ended.error is not None and words in ended.error


def test_an_unknown_model_is_refused_in_words(
    services: Services, llama_server: RunningServer
) -> None:
    add_engine(services, "box", llama_server.base_url)
    with pytest.raises(UserError) as refused:
        drive(services.chat.send(None, "Hello", model="box/no-such-model"))
    assert "has no model named no-such-model" in str(refused.value)
    assert "It serves: smol" in str(refused.value)


def test_a_silent_server_ends_the_reply_within_the_silence_timeout(
    services: Services, fault_proxy: FaultProxy
) -> None:
    add_engine(services, "box", fault_proxy.base_url, silence_timeout_s=2)
    fault_proxy.silence_after(4, only="/v1/chat")
    started = time.monotonic()
    streamed, ended = drive(services.chat.send(None, "Tell me about the sea.", model="box/smol"))
    elapsed = time.monotonic() - started
    fault_proxy.passthrough()  # the held answer goes on to its end: the server is free again
    assert ended.status == "interrupted" and ended.content == streamed
    assert ended.error is not None and "sent nothing for 2 s" in ended.error
    assert elapsed < 20
