"""The headless front end, run as a user runs it: a subprocess on a real data directory."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "desktop_llm"]


def run(*args: str, stdin: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*CLI, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=os.environ.copy(),
    )


def test_chat_streams_a_reply_and_stores_it_with_stats(home: Path) -> None:
    result = run("chat", "What is the capital of France?", "--json", "--max-tokens", "12")
    assert result.returncode == 0, result.stderr
    reply = json.loads(result.stdout)
    assert reply["status"] == "complete" and reply["content"].strip()
    stats = reply["stats"]
    assert 1 <= stats["completion_tokens"] <= 12 and stats["prompt_tokens"] > 0
    generation = reply["generation"]
    assert generation["quantization"] == "Q4_1"
    assert len(generation["model_sha256"]) == 64
    assert generation["model_file"] == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert generation["device"] == "CPU" and generation["ttft_ms"] > 0
    energy = generation["energy"]  # how busy other programs kept the CPUs, and what it means
    assert 0 <= energy["other_cpu_share"] <= 1 and isinstance(energy["contended"], bool)

    db = sqlite3.connect(home / "data" / "desktop_llm.sqlite3")
    rows = db.execute("select role, status, content from messages order by id").fetchall()
    assert [r[:2] for r in rows] == [("user", "complete"), ("assistant", "complete")]
    assert rows[1][2] == reply["content"]
    assert db.execute("select count(*) from generations").fetchone()[0] == 1


def test_plain_output_is_the_reply_text(home: Path) -> None:
    result = run("chat", "Say hello.", "--max-tokens", "8")
    assert result.returncode == 0, result.stderr
    shown = run("history", "show", "1", "--json")
    exported = json.loads(shown.stdout)
    assistant = next(m for m in exported["messages"] if m["role"] == "assistant")
    assert result.stdout.strip() == assistant["content"].strip()


def test_interactive_mode_answers_each_line_in_one_conversation_reusing_the_cache(
    home: Path,
) -> None:
    lines = "My name is Ana.\nWhat is my name?\nThank you.\n"
    result = run("chat", "-i", "--json", "--max-tokens", "10", stdin=lines)
    assert result.returncode == 0, result.stderr
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(replies) == 3
    assert len({r["conversation_id"] for r in replies}) == 1
    # The worker stayed up: later turns re-read only what is new.
    assert replies[1]["stats"]["reused_prompt_tokens"] > replies[0]["stats"]["prompt_tokens"] - 2
    assert replies[2]["stats"]["reused_prompt_tokens"] > replies[1]["stats"]["prompt_tokens"] - 2


def test_continue_a_conversation_by_id_and_use_history_commands(home: Path) -> None:
    first = json.loads(run("chat", "Remember the word zebra.", "--json").stdout)
    cid = str(first["conversation_id"])
    second = run("chat", "Which word?", "--conversation", cid, "--json")
    assert json.loads(second.stdout)["conversation_id"] == int(cid)

    listed = json.loads(run("history", "list", "--json").stdout)
    assert [c["id"] for c in listed] == [int(cid)]
    assert listed[0]["title"] == "Remember the word zebra."

    hits = run("history", "search", "zebra", "--json")
    assert hits.returncode == 0
    assert any(h["conversation_id"] == int(cid) for h in json.loads(hits.stdout))

    md = run("history", "export", cid, "--format", "md").stdout
    assert "Remember the word zebra." in md and "## Assistant" in md
    exported = json.loads(run("history", "export", cid, "--format", "json").stdout)
    assert len(exported["messages"]) == 4


def test_a_conversations_settings_are_kept_and_used_when_it_is_continued(home: Path) -> None:
    first = run(
        "chat", "Tell a long story.", "--json", "--max-tokens", "5", "--temperature", "0.3",
        "--top-p", "0.8", "-s", "Be terse.",
    )  # fmt: skip
    assert first.returncode == 0, first.stderr
    reply = json.loads(first.stdout)
    cid = str(reply["conversation_id"])
    assert reply["generation"]["parameters"]["max_tokens"] == 5
    assert reply["stats"]["completion_tokens"] <= 5

    # Continued without flags: the conversation's own settings, not the defaults (32).
    second = json.loads(run("chat", "Go on.", "-c", cid, "--json").stdout)
    parameters = second["generation"]["parameters"]
    assert (parameters["max_tokens"], parameters["temperature"], parameters["top_p"]) == (
        5,
        0.3,
        0.8,
    )
    # Flags on a continued conversation change its settings, the system prompt included.
    third = run("chat", "Again.", "-c", cid, "--json", "--max-tokens", "3", "-s", "Be kind.")
    assert json.loads(third.stdout)["generation"]["parameters"]["max_tokens"] == 3
    db = sqlite3.connect(home / "data" / "desktop_llm.sqlite3")
    options, system = db.execute(
        "select options, system_prompt from conversations where id = ?", (int(cid),)
    ).fetchone()
    assert json.loads(options) == {"sampling": {"max_tokens": 3, "temperature": 0.3, "top_p": 0.8}}
    assert system == "Be kind."
    # A new conversation starts from the defaults again.
    fresh = json.loads(run("chat", "Hello.", "--json").stdout)
    assert fresh["generation"]["parameters"]["max_tokens"] == 32


def test_models_list(home: Path) -> None:
    models = json.loads(run("models", "list", "--json").stdout)
    assert models[0]["name"] == "SmolLM2-135M-Instruct.Q4_1" and models[0]["source"] == "bundled"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("chat", "hi", "--model", "no-such-model"), "No model named 'no-such-model'"),
        (("chat", "hi", "--conversation", "42"), "No conversation with id 42"),
        (("history", "show", "42"), "No conversation with id 42"),
        (("chat", "   "), "empty"),
        (("chat", "hi", "--max-tokens", "0"), "at least 1"),
        (("chat", "hi", "--top-p", "1.5"), "--top-p must be at most 1"),
    ],
)
def test_user_errors_exit_1_with_one_line_and_no_traceback(
    home: Path, args: tuple[str, ...], words: str
) -> None:
    result = run(*args)
    assert result.returncode == 1
    assert words in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("kind", ["random", "truncated"])
def test_a_bad_model_file_is_refused_before_llama_cpp_reads_it(
    home: Path, tmp_path: Path, starter_model: Path, kind: str
) -> None:
    bad = tmp_path / f"{kind}.gguf"
    if kind == "random":
        bad.write_bytes(os.urandom(4096))
    else:
        bad.write_bytes(starter_model.read_bytes()[:5_000_000])
    result = run("chat", "hi", "--model", str(bad))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert bad.name in result.stderr
    assert ("not a GGUF" in result.stderr) if kind == "random" else ("truncated" in result.stderr)
    # What the user typed is not lost either way: nothing was half-written.
    db = sqlite3.connect(home / "data" / "desktop_llm.sqlite3")
    assert db.execute("select count(*) from messages where status='streaming'").fetchone() == (0,)


def test_a_translation_that_failed_in_substance_says_so_on_stderr(home: Path) -> None:
    """The starter model (English only) tends to give Chinese back unchanged: whatever it
    does, stderr carries the run's stored verdict in words, and stdout only the result."""
    from desktop_llm.core.services import open_services
    from desktop_llm.core.tasks.outcome import Outcome, warning

    result = run("translate", "今天天气很好，我们去公园散步吧。", "--to", "en")
    assert result.returncode == 0, result.stderr
    services = open_services()
    try:
        run_options = services.tasks.runs("translate")[0].options or {}
    finally:
        services.close()
    outcome = Outcome.from_dict((run_options.get("result") or {}).get("outcome"))
    assert outcome is not None  # a complete run is always judged
    said = warning(outcome)
    if outcome.ok:
        assert said == "" and result.stderr.strip() == ""
    else:
        assert said and said in result.stderr
        assert said not in result.stdout


def _conversations(home: Path) -> list[tuple[int, str]]:
    db = home / "data" / "desktop_llm.sqlite3"
    if not db.exists():
        return []
    with sqlite3.connect(db) as connection:
        return connection.execute("select id, title from conversations").fetchall()


def run_bytes(*args: str, stdin: bytes) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*CLI, *args], input=stdin, capture_output=True, timeout=120, env=os.environ.copy()
    )


@pytest.mark.parametrize(
    ("args", "stdin", "words"),
    [
        (("chat", "-i"), b"\xc3\x28 not UTF-8\n", "Line 1 of the input is not UTF-8 text"),
        (("chat", "-"), b"a\x00b\x00", "looks like a binary file"),
    ],
)
def test_input_that_is_not_text_is_refused_before_a_conversation_exists(
    home: Path, args: tuple[str, ...], stdin: bytes, words: str
) -> None:
    result = run_bytes(*args, stdin=stdin)
    stderr = result.stderr.decode()
    assert result.returncode == 1 and words in stderr, stderr
    assert "Traceback" not in stderr and "unexpected error" not in stderr
    assert _conversations(home) == []  # nothing empty is left behind


def test_bytes_that_are_not_utf8_are_decoded_never_an_empty_conversation(home: Path) -> None:
    """Latin-1 on stdin and in an argument (kept by Python as lone surrogates, which SQLite
    refuses): decoded by the app's one decoder, the message stored with its reply."""
    piped = run_bytes("chat", "-", "--max-tokens", "2", stdin="Café crème".encode("cp1252"))
    argued = subprocess.run(
        [*CLI, "chat", os.fsdecode("Déjà vu".encode("cp1252")), "--max-tokens", "2"],
        capture_output=True,
        timeout=120,
        env=os.environ.copy(),
    )
    assert piped.returncode == 0 and argued.returncode == 0, (piped.stderr, argued.stderr)
    db = sqlite3.connect(home / "data" / "desktop_llm.sqlite3")
    users = db.execute("select content from messages where role='user' order by id").fetchall()
    assert users == [("Café crème",), ("Déjà vu",)]
    empty = "select count(*) from conversations c where not exists "
    empty += "(select 1 from messages m where m.conversation_id = c.id)"
    assert db.execute(empty).fetchone() == (0,)
