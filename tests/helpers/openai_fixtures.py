"""Fixtures of the real OpenAI-compatible server (tests/helpers/openai_server.py).

Registered for every test by tests/conftest.py (pytest_plugins):

- `llama_server` (session): llama-cpp-python's server on the starter model, alias "smol", no
  API key, on a free loopback port; its log in the session's temporary folder. Started on first
  use only, so test runs that never ask for it pay nothing.
- `fault_proxy` (function): a FaultProxy in front of it, in pass mode; closed after the test.

The server answers one request at a time: tests send theirs one after another.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.gguf_factory import require_starter_model
from tests.helpers.openai_server import FaultProxy, RunningServer, run_llama_server


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    model = require_starter_model()
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    try:
        with run_llama_server(model, alias="smol", log=log) as server:
            yield server
    except RuntimeError as e:  # did not start: a failure in words, with the log's tail
        pytest.fail(str(e), pytrace=False)


@pytest.fixture
def fault_proxy(llama_server: RunningServer) -> Iterator[FaultProxy]:
    with FaultProxy(llama_server.base_url) as proxy:
        yield proxy
