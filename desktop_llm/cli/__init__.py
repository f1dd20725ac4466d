"""desktop-llm: the window with no arguments, a headless front end with sub-commands.

Exit status: 0 on success, 1 with one line on stderr for anything the user can fix,
2 for a malformed command line (argparse), 130 when interrupted.

Each command group (chat.py, tasks.py, models.py, engines.py, energy.py, eval.py, serve.py)
adds its own sub-commands and sets `run` on each (see command.py), so main() dispatches
without naming any command.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import multiprocessing
import sys
from collections.abc import Sequence

from desktop_llm import __version__
from desktop_llm.cli import chat, energy, engines, models, serve, tasks
from desktop_llm.cli import eval as evaluation
from desktop_llm.cli.command import Command
from desktop_llm.cli.output import safe_output
from desktop_llm.core.errors import UserError
from desktop_llm.core.output_files import OutputExists
from desktop_llm.core.services import Services, open_services

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="desktop-llm",
        description="Local language models on your desktop. With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="check this installation: the window answers one message with the starter "
        "model in a temporary data folder; exit status 0 when it works",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("gui", help="open the window (the default)")
    # In this order `desktop-llm --help` lists the commands.
    chat.add_parsers(sub)
    tasks.add_parsers(sub)
    models.add_parsers(sub)
    engines.add_parsers(sub)
    energy.add_parsers(sub)
    evaluation.add_parsers(sub)
    serve.add_parsers(sub)
    return parser


def run_gui() -> int:
    from desktop_llm.app import run_app  # Qt is imported only when the window is wanted

    return run_app()


def run_smoke_test() -> int:
    from desktop_llm.smoke_test import run_smoke_test  # Qt, only when asked for

    return run_smoke_test()


def main(argv: Sequence[str] | None = None) -> int:
    # A frozen build (installer/) re-enters here in the spawned inference process.
    multiprocessing.freeze_support()
    # Everything a command prints goes through the one terminal rule (cli/output.py), argparse's
    # complaints about the command line too (they quote what was typed).
    out, err = safe_output(sys.stdout), safe_output(sys.stderr)
    with contextlib.redirect_stderr(err):
        args = build_parser().parse_args(argv)
    if args.smoke_test:
        return run_smoke_test()
    # No command, and `gui`, set no `run`: the window opens its own services, in its own way.
    command: Command | None = getattr(args, "run", None)
    if command is None:
        return run_gui()
    services: Services | None = None
    try:
        services = open_services()
        if services.recovery is not None:
            err.write(f"desktop-llm: {services.recovery.note()}\n")
        if services.store.read_only:
            err.write(f"desktop-llm: {services.store.read_only_note()}\n")
        if services.settings.load_warning:
            err.write(f"desktop-llm: {services.settings.load_warning}\n")
        return command(args, services, out, err)
    except OutputExists as exc:  # the flag that asks for it is the CLI's own
        err.write(f"desktop-llm: {exc.path} already exists; add --overwrite to replace it.\n")
        return 1
    except UserError as exc:
        err.write(f"desktop-llm: {exc}\n")
        return 1
    except KeyboardInterrupt:
        err.write("\ndesktop-llm: stopped.\n")
        return 130
    except BrokenPipeError:
        return 0  # output piped into head & co.
    except Exception as exc:
        log.exception("unexpected error in %s", args.command)
        err.write(
            f"desktop-llm: unexpected error ({type(exc).__name__}: {exc}); "
            "details are in the log file.\n"
        )
        return 1
    finally:
        if services is not None:
            services.close()
        for stream in (out, err):
            stream.finish()  # type: ignore[attr-defined]
