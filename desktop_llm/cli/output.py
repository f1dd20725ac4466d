"""What every `desktop-llm` sub-command prints besides its own text: the --json documents,
the one progress line on stderr, and the terminal-safe streams they all write through."""

from __future__ import annotations

import json
from typing import Any, TextIO, cast

from desktop_llm.core.display_text import TerminalStream

# Back to the start of the line, and erase it: the next text replaces the last.
_REWRITE = "\r\x1b[K"


class SafeOutput:
    """stdout or stderr as every command sees it: what is written goes through the one
    terminal rule (core/display_text.py), so a prompt, a reply, a model's metadata, a Hub
    name or a file name never sends the terminal a control it would obey. Piped output too:
    a pipe often ends in a terminal (`| less -R`, a file `cat` later).

    `--json` documents pass through unchanged in meaning: json.dumps escapes C0 controls
    itself and the rule escapes the rest as JSON does (`\\u009b`). Only the app's own
    controls (the progress line's) go out raw, through `control()`.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._text = TerminalStream()

    def write(self, text: str) -> int:
        self._stream.write(self._text.feed(text))
        return len(text)

    def control(self, sequence: str) -> None:
        """One of the app's own control sequences, unescaped."""
        self._stream.write(self._text.end() + sequence)

    def flush(self) -> None:
        self._stream.flush()

    def finish(self) -> None:
        """Write what a last `\\r` stood for (nothing else: stdout may be a closed pipe)."""
        held = self._text.end()
        if held:
            self._stream.write(held)

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    @property
    def encoding(self) -> str:
        return self._stream.encoding

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)


def safe_output(stream: TextIO) -> TextIO:
    """`stream` behind the terminal rule, typed as the stream the commands expect."""
    return cast(TextIO, SafeOutput(stream))


def _control(stream: TextIO, sequence: str) -> None:
    control = getattr(stream, "control", None)
    if control is not None:
        control(sequence)
    else:
        stream.write(sequence)


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
            _control(self._err, _REWRITE)
            self._err.write(text)
            self._err.flush()  # no newline, so nothing else would push it out

    def clear(self) -> None:
        """Erase the line, so what is written next starts on a clean line."""
        if self._tty:
            _control(self._err, _REWRITE)
