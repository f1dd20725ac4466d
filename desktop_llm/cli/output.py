"""What every `desktop-llm` sub-command prints besides its own text: the --json documents,
and the one progress line on stderr."""

from __future__ import annotations

import json
from typing import Any, TextIO

# Back to the start of the line, and erase it: the next text replaces the last.
_REWRITE = "\r\x1b[K"


def print_json(obj: Any, out: TextIO) -> None:
    """One JSON document per line, flushed, so a reader of a pipe gets each one at once."""
    out.write(json.dumps(obj, ensure_ascii=False, default=str, allow_nan=False) + "\n")
    out.flush()


class ProgressLine:
    """A line on stderr that each update overwrites (copies, downloads, task runs).

    Only on a terminal: piped into a file or a test's capture, carriage returns and escape
    codes would be noise, so there it writes nothing at all.
    """

    def __init__(self, err: TextIO) -> None:
        self._err = err
        self._tty = err.isatty()

    def show(self, text: str) -> None:
        if self._tty:
            self._err.write(f"{_REWRITE}{text}")
            self._err.flush()  # no newline, so nothing else would push it out

    def clear(self) -> None:
        """Erase the line, so what is written next starts on a clean line."""
        if self._tty:
            self._err.write(_REWRITE)
