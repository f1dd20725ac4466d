"""The contract between `desktop_llm.cli.main` and the command-group modules.

Each group module (chat, tasks, models, energy) has `add_parsers(subparsers)`, which adds
its sub-commands and sets `run` on each to the `Command` that carries it out; `main()` calls
`args.run` and so never names a command itself.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TextIO, TypeAlias

from desktop_llm.core.services import Services

# What `add_subparsers()` returns. argparse names its type only privately, and it is
# generic only to type checkers, hence the string.
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

# One sub-command: the parsed arguments, the opened services, stdout and stderr in; the
# exit status out (see desktop_llm.cli for what each status means).
Command: TypeAlias = Callable[[argparse.Namespace, Services, TextIO, TextIO], int]


def add_overwrite_option(parser: argparse.ArgumentParser, metavar: str) -> None:
    """The one flag, on every command that writes a file the user names, that lets it
    replace an existing file (never the command's own input)."""
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help=f"replace {metavar} if it exists (it is never the input itself)",
    )
