"""`desktop-llm serve` as a user runs it: a real process on a real data folder, answered by
the official `openai` client, stopped with Ctrl+C (SIGINT) and with SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx2
import openai
import pytest

from tests.helpers.openai_server import free_port

pytestmark = pytest.mark.model

CLI = [sys.executable, "-m", "desktop_llm"]


def start(home: Path, *args: str, key: str | None = "sk-cli") -> subprocess.Popen[str]:
    env = {**os.environ, "DESKTOP_LLM_HOME": str(home)}
    if key is not None:
        env["LOCAL_KEY"] = key
    return subprocess.Popen(
        [*CLI, "serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def wait_for(url: str, process: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        try:
            httpx2.get(url.removesuffix("/v1") + "/health", timeout=1)
            return
        except httpx2.TransportError:
            time.sleep(0.1)
    raise AssertionError("the server did not start")


@pytest.mark.parametrize("stop_with", [signal.SIGINT, signal.SIGTERM])
def test_serve_answers_the_openai_client_and_stops_cleanly(
    home: Path, starter_model: Path, stop_with: signal.Signals
) -> None:
    port = free_port()
    process = start(home, "--port", str(port), "--api-key-env", "LOCAL_KEY")
    url = f"http://127.0.0.1:{port}/v1"
    try:
        wait_for(url, process)
        client = openai.OpenAI(base_url=url, api_key="sk-cli", max_retries=0)
        (model,) = [m.id for m in client.models.list()]
        answer = client.chat.completions.create(
            model=model, messages=[{"role": "user", "content": "你好"}], max_tokens=8
        )
        assert answer.choices[0].message.content
        assert answer.model_dump()["usage"]["energy"]["joules"] > 0
        client.close()
    finally:
        process.send_signal(stop_with)
        out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert f"Serving at {url}" in out and "Stopped." in out
    # The request is in the history like any conversation.
    listed = subprocess.run(
        [*CLI, "history", "list"],
        capture_output=True,
        text=True,
        env={**os.environ, "DESKTOP_LLM_HOME": str(home)},
        timeout=120,
    )
    assert "你好" in listed.stdout


def test_serve_refuses_a_network_address_without_a_key(home: Path) -> None:
    process = start(home, "--host", "0.0.0.0", "--port", str(free_port()), key=None)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 1
    assert "API key" in err and "127.0.0.1" in err


def test_serve_says_so_when_the_port_is_taken(home: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        process = start(home, "--port", str(port))
        _out, err = process.communicate(timeout=60)
    assert process.returncode == 1
    assert str(port) in err and "port" in err
