"""No control a terminal obeys reaches it from data: a conversation's title and text, a
GGUF's metadata, a file name, what was typed on the command line. The CLI in a real process
on a real data folder; the --json documents stay exact."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from desktop_llm.core.store.store import Store
from tests.helpers.gguf_factory import write_tiny_gguf

CLI = [sys.executable, "-m", "desktop_llm"]
# A colour, a new window title (OSC 0), clear screen, a C1 CSI, a right-to-left override.
HOSTILE = "\x1b[31mred\x1b]0;owned\x07\x1b[2J\x9b1m\u202eevil"
KEPT = "中文 👩‍💻\n\tnext line"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, timeout=120, env=os.environ.copy()
    )


def obeyed(text: str) -> list[str]:
    """The characters in `text` a terminal would act on instead of show."""
    return [
        c
        for c in text
        if (ord(c) < 0x20 and c not in "\n\t")
        or 0x7F <= ord(c) <= 0x9F
        or 0x202A <= ord(c) <= 0x202E
        or 0x2066 <= ord(c) <= 0x2069
    ]


def test_history_shows_a_hostile_conversation_escaped_and_json_keeps_it_exact(
    home: Path,
) -> None:
    with Store(home / "data" / "desktop_llm.sqlite3") as store:
        conversation = store.create_conversation(f"title {HOSTILE}")
        store.add_message(conversation.id, "user", f"prompt {HOSTILE} {KEPT}")
        store.add_message(conversation.id, "assistant", f"reply {HOSTILE} {KEPT}")
    for args in (
        ("history", "list"),
        ("history", "show", "1"),
        ("history", "search", "prompt"),
        ("history", "export", "1"),
    ):
        result = run(*args)
        assert result.returncode == 0, result.stderr
        assert obeyed(result.stdout) == [], args
        assert "\\u001b[31mred" in result.stdout and "\\u202eevil" in result.stdout, args
    shown = run("history", "show", "1").stdout
    assert (
        f"reply \\u001b[31mred\\u001b]0;owned\\u0007\\u001b[2J\\u009b1m\\u202eevil {KEPT}" in shown
    )

    for args in (("history", "list", "--json"), ("history", "show", "1", "--json")):
        result = run(*args)
        assert obeyed(result.stdout.rstrip("\n")) == [], args
        document = json.loads(result.stdout)
    assert [m["content"] for m in document["messages"]] == [
        f"prompt {HOSTILE} {KEPT}",
        f"reply {HOSTILE} {KEPT}",
    ]
    assert json.loads(run("history", "export", "1", "--format", "json").stdout)["title"] == (
        f"title {HOSTILE}"
    )


def test_a_models_metadata_and_file_name_are_shown_escaped(home: Path) -> None:
    models = home / "data" / "models"
    write_tiny_gguf(
        models / "evil\x1b[2J-Q4_0.gguf",
        {"general.name": f"name {HOSTILE}", "general.description": f"about {HOSTILE}"},
    )
    for args in (("models", "list"), ("models", "info", "evil")):
        result = run(*args)
        assert result.returncode == 0, result.stderr
        assert obeyed(result.stdout) == [], args
        assert "evil\\u001b[2J-Q4_0" in result.stdout
    info = run("models", "info", "evil").stdout
    assert "general.name = name \\u001b[31mred" in info
    listed = json.loads(run("models", "list", "--json").stdout)
    assert any(m["name"] == "evil\x1b[2J-Q4_0" for m in listed)


def test_what_was_typed_comes_back_escaped_in_errors(home: Path) -> None:
    result = run("history", "show", "1", f"extra{HOSTILE}")  # argparse's complaint
    assert result.returncode == 2 and "extra\\u001b[31mred" in result.stderr
    result = run("chat", "hi", "--model", f"no-such{HOSTILE}")  # a UserError
    assert result.returncode == 1 and "no-such\\u001b[31mred" in result.stderr
    for stream in (result.stdout, result.stderr):
        assert obeyed(stream) == []
