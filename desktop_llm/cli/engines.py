"""`desktop-llm engines add | list | test | remove`: the remote engines, OpenAI-compatible
servers on other machines (core/remote_engines.py), whose models are then named
ENGINE/MODEL_ID wherever --model is accepted.

An API key never goes on the command line (it would stay in the shell's history and show in
the process list): --api-key-env names the environment variable that holds it, or
--api-key-stdin reads it from stdin into the operating system's keyring.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any, TextIO

from desktop_llm.cli.command import Subparsers
from desktop_llm.cli.output import print_json
from desktop_llm.cli.remote_models import engines_of
from desktop_llm.core.engine.client import EngineError, WorkerDied
from desktop_llm.core.errors import UserError
from desktop_llm.core.remote_engines import RemoteEngineConfig, make_config
from desktop_llm.core.services import Services

# The short classification `engines test` asks for, to see whether the server returns
# log-probabilities (what sentiment's probabilities come from).


def add_parsers(sub: Subparsers) -> None:
    engines = sub.add_parser(
        "engines",
        help="remote engines: OpenAI-compatible servers whose models you use as ENGINE/MODEL",
        description="Add, list, test and remove remote engines: OpenAI-compatible servers "
        "(llama-server, vLLM, Ollama, LM Studio, llama-cpp-python's server). Their models are "
        "named ENGINE/MODEL_ID wherever --model is accepted (see docs/remote.md).",
    )
    esub = engines.add_subparsers(metavar="ACTION", required=True)

    add = esub.add_parser(
        "add",
        help="add (or replace) a remote engine",
        description="Add a remote engine, or replace the one of that name. The API key is "
        "never given on the command line: name the environment variable that holds it "
        "(--api-key-env), or pipe it in to keep it in the system keyring (--api-key-stdin).",
    )
    add.add_argument("name", help="a short name: letters, digits, dots, dashes, underscores")
    add.add_argument("--url", required=True, help="the API's base URL, e.g. http://HOST:8080/v1")
    key = add.add_mutually_exclusive_group()
    key.add_argument(
        "--api-key-env", metavar="VAR", help="the environment variable that holds the API key"
    )
    key.add_argument(
        "--api-key-stdin",
        action="store_true",
        help="read the API key from stdin (asked for without echo in a terminal) and keep it "
        "in the system keyring",
    )
    add.add_argument(
        "--watts",
        type=float,
        metavar="W",
        help="the server's average power draw while it answers: replies then get an energy "
        "estimate from this figure (labelled so); without it, not measured",
    )
    add.add_argument(
        "--context-length",
        type=int,
        metavar="N",
        help="the model's context in tokens, when the server does not say it (default 4096)",
    )
    add.add_argument("--json", action="store_true", help="print the engine as JSON")
    add.set_defaults(run=_add)

    listing = esub.add_parser("list", help="list the remote engines (never their keys)")
    listing.add_argument("--json", action="store_true", help="print the list as JSON")
    listing.set_defaults(run=_list)

    test = esub.add_parser(
        "test",
        help="connect, list the server's models, check its tokenizer and logprobs",
        description="Connect to the engine's server, list its models, and with one of them "
        "check whether the server counts tokens (a tokenizer endpoint) and returns "
        "log-probabilities (a short classification). Exit status 1, in words, when it fails.",
    )
    test.add_argument("name")
    test.add_argument(
        "--model", metavar="MODEL_ID", help="the model to check with (default: the first)"
    )
    test.add_argument("--json", action="store_true", help="print what was found as JSON")
    test.set_defaults(run=_test)

    remove = esub.add_parser("remove", help="remove a remote engine (and its key in the keyring)")
    remove.add_argument("name")
    remove.add_argument("--json", action="store_true", help="print the removed engine as JSON")
    remove.set_defaults(run=_remove)


def key_place(config: RemoteEngineConfig) -> str:
    """Where the engine's API key is kept, in words (never the key itself)."""
    if config.api_key_env is not None:
        return f"environment variable {config.api_key_env}"
    if config.key_in_keyring:
        return "keyring"
    return "none"


def engine_json(config: RemoteEngineConfig) -> dict[str, Any]:
    return {
        "name": config.name,
        "url": config.url,
        "host": config.host,
        "key": "env" if config.api_key_env else ("keyring" if config.key_in_keyring else None),
        "api_key_env": config.api_key_env,
        "watts": config.watts,
        "context_length": config.context_length,
        "connect_timeout_s": config.connect_timeout_s,
        "silence_timeout_s": config.silence_timeout_s,
    }


def _read_key(err: TextIO) -> str:
    if sys.stdin.isatty():
        key = getpass.getpass("API key (not shown): ", stream=err)
    else:
        key = sys.stdin.readline()
    key = key.strip()
    if not key:
        raise UserError("No API key was given on stdin; nothing was added.")
    return key


def _add(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    engines = engines_of(services)
    config = make_config(
        args.name,
        url=args.url,
        api_key_env=args.api_key_env,
        watts=args.watts,
        context_length=args.context_length,
    )
    replaced = engines.get(config.name) is not None
    api_key = _read_key(err) if args.api_key_stdin else None
    engines.add(config, api_key=api_key)
    config = engines[config.name]
    if args.json:
        print_json(engine_json(config), out)
        return 0
    verb = "Replaced" if replaced else "Added"
    out.write(f"{verb} the engine {config.name} at {config.url} (API key: {key_place(config)}).\n")
    out.write(f"Check it with: desktop-llm engines test {config.name}\n")
    return 0


def _list(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    engines = engines_of(services)
    configs = engines.all()
    if engines.load_warning:
        err.write(f"desktop-llm: {engines.load_warning}\n")
    if args.json:
        print_json([engine_json(c) for c in configs], out)
        return 0
    if not configs:
        out.write("No remote engines. Add one with: desktop-llm engines add NAME --url URL\n")
    for c in configs:
        watts = f"{c.watts:g} W (your figure)" if c.watts is not None else "not given"
        out.write(f"{c.name}  {c.url}  key: {key_place(c)}  power draw: {watts}\n")
    return 0


def _test(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    config = engines_of(services)[args.name]
    found: dict[str, Any] = {
        "name": config.name,
        "url": config.url,
        "ok": False,
        "models": None,
        "model": None,
        "tokenizer": None,
        "logprobs": None,
        "error": None,
    }
    try:
        engine = services.host.remote_engine(config.name)  # the key, from where it is kept
        check = engine.check(args.model)
        found |= {
            "models": list(check.model_ids),
            "connect_ms": round(check.connect_ms, 1),
            "model": check.model_id,
            "tokenizer": check.tokenizer,
            "logprobs": check.logprobs,
        }
        if not args.json:
            out.write(f"Connected to {config.url} in {check.connect_ms:.0f} ms.\n")
            out.write(f"Models: {', '.join(check.model_ids) or 'none'}\n")
        if check.model_id is None:
            raise UserError(f"The server at {config.host} serves no model.")
        if not args.json:
            out.write(
                f"Tokenizer endpoint: yes, {check.model_id}'s tokens are counted by the server.\n"
                if check.tokenizer
                else "Tokenizer endpoint: none; token counts are estimated from characters.\n"
            )
            out.write(
                "Logprobs: yes, sentiment gets its probabilities from them.\n"
                if check.logprobs
                else "Logprobs: none; sentiment gives labels without probabilities.\n"
            )
            out.write(
                f'Use it as: desktop-llm chat --model {config.name}/{check.model_id} "Hello"\n'
            )
        found["ok"] = True
    except (EngineError, WorkerDied, UserError) as exc:
        found["error"] = str(exc)
    if args.json:
        print_json(found, out)
    if found["error"]:
        err.write(f"desktop-llm: {config.name} does not work: {found['error']}\n")
        return 1
    return 0


def _remove(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    config = engines_of(services).remove(args.name)
    if args.json:
        print_json(engine_json(config), out)
        return 0
    key = " and its API key in the keyring" if config.key_in_keyring else ""
    out.write(f"Removed the engine {config.name}{key}.\n")
    return 0
