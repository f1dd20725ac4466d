"""`desktop-llm models …` as a user runs it: a real process, a real models folder, and the
loopback Hub for search and download (HF_ENDPOINT)."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers.gguf_factory import require_starter_model, tiny_metadata, write_gguf
from tests.helpers.hub_server import FakeHub

REPO = "someone/Tiny-GGUF"
MB = 1 << 20


def cli(*args: str, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "desktop_llm", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=os.environ.copy(),
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def gguf_of(path: Path, mb: int) -> Path:
    n = mb * MB // 4
    return write_gguf(
        path, tiny_metadata(name=path.name), [("token_embd.weight", "F32", (1024, n // 1024))]
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_list_and_info_of_the_starter_model(home: Path) -> None:
    starter = require_starter_model()
    listed = json.loads(cli("models", "list", "--json").stdout)
    assert [m["source"] for m in listed] == ["bundled"]
    info = json.loads(cli("models", "info", "SmolLM2", "--json").stdout)
    assert info["sha256"] == sha256(starter)
    assert info["summary"]["architecture"] == "llama"
    assert info["summary"]["has_chat_template"] is True
    assert info["metadata"]["general.architecture"] == "llama"
    assert info["fit"]["verdict"] == "fits"
    text = cli("models", "info", "SmolLM2").stdout
    assert "Quantization:  Q4_1: " in text and "metadata keys" in text


def test_import_copy_in_place_and_remove(home: Path, tmp_path: Path) -> None:
    source = gguf_of(tmp_path / "mine.gguf", 1)
    copied = json.loads(cli("models", "import", str(source), "--json").stdout)
    assert copied["source"] == "local" and Path(copied["path"]).parent == home / "data" / "models"
    elsewhere = gguf_of(tmp_path / "elsewhere" / "big-one.gguf", 2)
    referenced = json.loads(cli("models", "import", str(elsewhere), "--in-place", "--json").stdout)
    assert referenced["source"] == "imported" and referenced["path"] == str(elsewhere)
    names = {m["name"] for m in json.loads(cli("models", "list", "--json").stdout)}
    assert {"mine", "big-one"} <= names

    removed = json.loads(cli("models", "remove", "mine", "--yes", "--json").stdout)
    assert removed["bytes_freed"] == source.stat().st_size
    assert not (home / "data" / "models" / "mine.gguf").exists()
    forgotten = json.loads(cli("models", "remove", "big-one", "-y", "--json").stdout)
    assert forgotten["bytes_freed"] == 0 and elsewhere.exists()  # the user's file stays
    refused = cli("models", "remove", "SmolLM2", "-y", check=False)
    assert refused.returncode == 1 and "cannot be removed" in refused.stderr


def test_a_malformed_file_is_refused_in_one_line(home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "truncated.gguf"
    bad.write_bytes(gguf_of(tmp_path / "whole.gguf", 1).read_bytes()[:1000])
    result = cli("models", "import", str(bad), check=False)
    assert result.returncode == 1
    assert result.stderr.startswith("desktop-llm: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert not (home / "data" / "models" / "truncated.gguf").exists()


def test_search_and_download_from_the_hub(home: Path, hub: FakeHub) -> None:
    starter = require_starter_model()
    hub.add_repo("HuggingFaceTB/SmolLM2-135M-Instruct-GGUF", downloads=500)
    hub.add_file("HuggingFaceTB/SmolLM2-135M-Instruct-GGUF", starter)
    hub.add_repo("someone/Other-GGUF", downloads=20)
    found = json.loads(cli("models", "search", "GGUF", "--files", "--json").stdout)
    assert [r["id"] for r in found][:2] == [
        "HuggingFaceTB/SmolLM2-135M-Instruct-GGUF",
        "someone/Other-GGUF",
    ]
    assert found[0]["files"][0]["sha256"] == sha256(starter)

    done = json.loads(
        cli(
            "models", "download", "HuggingFaceTB/SmolLM2-135M-Instruct-GGUF", starter.name, "--json"
        ).stdout
    )
    assert done["state"] == "done"
    installed = Path(done["path"])
    assert installed.parent == home / "data" / "models" and sha256(installed) == sha256(starter)
    # The downloaded model is offered and answers.
    listed = {m["path"] for m in json.loads(cli("models", "list", "--json").stdout)}
    assert str(installed) in listed
    reply = json.loads(
        cli("chat", "-m", str(installed), "Say hi.", "--max-tokens", "4", "--json").stdout
    )
    assert reply["status"] == "complete" and reply["content"]


def test_an_interrupted_download_resumes_when_run_again(
    home: Path, hub: FakeHub, tmp_path: Path
) -> None:
    source = gguf_of(tmp_path / "resumable.gguf", 8)
    hub.add_repo(REPO)
    served = hub.add_file(REPO, source, stall_after=3 * MB)
    command = [sys.executable, "-m", "desktop_llm", "models", "download", REPO, source.name]
    first = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    part = home / "data" / "models" / ".downloads"
    deadline = time.monotonic() + 60
    while not any(p.suffix == ".part" and p.stat().st_size >= 3 * MB for p in part.glob("*")):
        assert time.monotonic() < deadline, "the first run never got its 3 MB"
        time.sleep(0.05)
    first.send_signal(signal.SIGINT)  # Ctrl+C: pause, keep the partial
    _, err = first.communicate(timeout=30)
    assert first.returncode == 130, err
    assert "run the same command again to resume" in err

    served.faults.stall_after = None
    second = cli("models", "download", REPO, source.name)
    assert "sha256 checked" in second.stdout
    assert sha256(home / "data" / "models" / source.name) == sha256(source)
    assert hub.ranges(source.name)[-1] == f"bytes={3 * MB}-"


def test_offline_search_says_so(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    result = cli("models", "search", "qwen", check=False)
    assert result.returncode == 1 and "Offline mode is on" in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_import_of_a_fifo_device_or_folder_is_refused_in_words_never_hangs(
    home: Path, tmp_path: Path, kind: str
) -> None:
    """open() on a FIFO waits for a writer forever: the command must answer before that. The
    subprocess timeout is the guard, so a regression fails instead of hanging the suite."""
    path = tmp_path / "x.gguf"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    for flags in ([], ["--in-place"]):
        result = cli("models", "import", str(path), *flags, check=False, timeout=30)
        assert result.returncode == 1
        words = "is a folder" if kind == "folder" else "is not a regular file"
        assert words in result.stderr and "Traceback" not in result.stderr
    chat = cli("chat", "hi", "--model", str(path), check=False, timeout=30)
    assert chat.returncode == 1 and "Traceback" not in chat.stderr
    assert json.loads(cli("models", "list", "--json").stdout)[0]["source"] == "bundled"
