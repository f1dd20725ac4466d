"""Text the CLI is given on its command line or stdin, decoded before anything is created.

A whole input (`-`: stdin read to the end) is decoded with the app's one decoder
(core/text_files.decode_bytes: UTF-8, the Chinese legacy encodings, Windows), as a file is.
A line of `chat -i` is too short to guess from: it must be in stdin's own encoding, and one
that is not is refused in words before it is sent. An argument the system could not decode
(Python keeps its bytes as lone surrogates, which no database takes) is decoded from its bytes
by the same decoder.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

from desktop_llm.core.errors import UserError
from desktop_llm.core.text_files import decode_bytes


def argument_text(value: str) -> str:
    """A command-line argument as text: as given, or decoded from its bytes when the system
    could not (POSIX only: Windows passes Unicode)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return decode_bytes(os.fsencode(value)).text
    return value


def stdin_text() -> str:
    """All of stdin, decoded like a file."""
    return decode_bytes(sys.stdin.buffer.read()).text


def stdin_lines() -> Iterator[str]:
    """stdin line by line (without the line end), each decoded strictly in stdin's encoding;
    a line that is not stops the input with a UserError naming it."""
    encoding = sys.stdin.encoding or "utf-8"
    for number, raw in enumerate(sys.stdin.buffer, start=1):
        try:
            line = raw.decode(encoding)
        except UnicodeDecodeError:
            raise UserError(
                f"Line {number} of the input is not {encoding.upper()} text; "
                "it and the lines after it were not sent."
            ) from None
        if number == 1:
            line = line.removeprefix("\ufeff")  # a BOM is not part of the message
        yield line.rstrip("\r\n")
