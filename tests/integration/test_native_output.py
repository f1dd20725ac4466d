"""What llama.cpp writes itself never reaches the user's terminal; a GGUF that states a
context length of 0 loads with the app's context setting, said in words."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

from tests.helpers.gguf_factory import require_starter_model

KEY = b"llama.context_length"


def starter_with_context_length(path: Path, value: int) -> Path:
    """The real starter model with its context length overwritten (a uint32 after the key)."""
    data = bytearray(require_starter_model().read_bytes())
    at = data.index(KEY) + len(KEY)
    assert struct.unpack_from("<I", data, at)[0] == 4  # GGUF type id of uint32
    struct.pack_into("<I", data, at + 4, value)
    path.write_bytes(bytes(data))
    return path


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop_llm", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=os.environ.copy(),
    )


def test_a_context_length_of_0_loads_quietly_and_is_said_in_words(
    home: Path, tmp_path: Path
) -> None:
    model = starter_with_context_length(tmp_path / "zero-context.gguf", 0)
    chat = cli("chat", "-m", str(model), "Say hi.", "--max-tokens", "4")
    assert chat.returncode == 0, chat.stderr
    assert chat.stdout.strip()
    # llama.cpp warns "n_ctx_seq (2048) > n_ctx_train (0)" on its own stderr: into the log.
    assert chat.stderr == ""
    assert "n_ctx_train (0)" in (home / "logs" / "engine.log").read_text()
    assert "states a context length of 0" in (home / "logs" / "desktop-llm.log").read_text()

    info = cli("models", "info", str(model))
    assert info.returncode == 0, info.stderr
    assert "Context:       not stated (the file says 0); the context setting is used" in (
        info.stdout.splitlines()
    )
