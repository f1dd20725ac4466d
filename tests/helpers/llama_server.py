"""llama-cpp-python's own OpenAI-compatible server (`python -m llama_cpp.server`) on 127.0.0.1,
for the window's remote-engine tests: started with the starter model, ready once
GET /v1/models answers, ended at the close. (A fuller harness with a fault proxy is
tests/helpers/openai_server.py on the server branch; this one is the minimum the window needs.)
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class LlamaServer:
    url: str  # http://127.0.0.1:PORT/v1
    host: str  # 127.0.0.1:PORT
    alias: str


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def llama_server(
    model: Path, log: Path, *, alias: str = "smol", timeout: float = 90.0
) -> Iterator[LlamaServer]:
    port = free_port()
    command = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
        "--port", str(port), "--model_alias", alias, "--n_ctx", "2048", "--n_threads", "2",
        "--interrupt_requests", "false",
    ]  # fmt: skip
    with log.open("ab") as out:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server ended: {log.read_text(errors='replace')[-2000:]}")
            try:
                with urllib.request.urlopen(f"{url}/models", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"the server did not start: {log.read_text(errors='replace')[-2000:]}"
                )
            time.sleep(0.2)
        yield LlamaServer(url, f"127.0.0.1:{port}", alias)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
