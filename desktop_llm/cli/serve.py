"""`desktop-llm serve`: the local OpenAI-compatible server (core/server) in the foreground,
until Ctrl+C. Other programs then use the models `models list` names, and every request is
logged with its energy like a reply in the window (docs/server.md)."""

from __future__ import annotations

import argparse
import signal
import threading
from typing import TextIO

from desktop_llm.cli.command import Subparsers
from desktop_llm.core.server.runner import LocalServer, ServerOptions
from desktop_llm.core.server.state import ServerState
from desktop_llm.core.services import Services


def add_parsers(sub: Subparsers) -> None:
    serve = sub.add_parser(
        "serve",
        help="serve your models to other programs over the OpenAI API",
        description="Run an OpenAI-compatible server (GET /v1/models, POST /v1/chat/completions, "
        "POST /v1/completions) on the models `models list` names. Each request is logged with "
        "its energy, which the response's usage.energy and the X-Energy-Joules header carry. "
        "Listens on 127.0.0.1 (this computer only) unless told otherwise; any other address "
        "needs an API key. Defaults come from the settings' server.* values. Ctrl+C stops it.",
    )
    serve.add_argument("--host", help="the address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, help="the port to listen on (default: 8080)")
    serve.add_argument(
        "--api-key-env",
        metavar="VAR",
        help="the environment variable that holds the key clients must send as "
        "'Authorization: Bearer KEY'",
    )
    serve.set_defaults(run=run_serve)


def run_serve(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    options = ServerOptions.from_settings(
        services.settings, host=args.host, port=args.port, api_key_env=args.api_key_env
    )
    server = LocalServer(services.host, options)
    server.start()
    out.write(f"Serving at {server.url} (Ctrl+C stops).\n")
    if not options.api_key:
        out.write("No API key is set: any program on this computer can use it.\n")
    out.flush()

    def served(state: ServerState) -> None:
        if state.running == 0:
            err.write(f"desktop-llm: {state.served} requests answered\n")
            err.flush()

    server.state.listeners.append(served)
    stopped = threading.Event()
    # A service manager's stop (SIGTERM) ends it like Ctrl+C: running requests are cancelled
    # with what they had stored kept.
    previous = signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    try:
        while server.running and not stopped.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.stop()
    out.write("Stopped.\n")
    return 0
