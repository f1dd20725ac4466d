"""The one rule for text on its way to a terminal or to Qt's rich text (core/display_text.py)."""

from __future__ import annotations

import io
import json

import pytest

from desktop_llm.cli.output import ProgressLine, SafeOutput, print_json
from desktop_llm.core.display_text import (
    TerminalStream,
    html_text,
    plain_rich_text,
    terminal_text,
)

# What a hostile prompt, reply, GGUF name or file name may carry: a colour, a new window
# title (OSC), an OSC 8 link, clear screen, a carriage return over the line, backspaces, a C1
# CSI (U+009B), a right-to-left override and an isolate, DEL, NUL.
HOSTILE = (
    "\x1b[31mred\x1b[0m \x1b]0;owned\x07 \x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\ "
    "\x1b[2J ok\rXX \x08\x08 \x9b31m \u202eevil\u202c \u2066iso\u2069 \x7f \x00"
)
KEPT = "中文，emoji 👩‍💻 🇨🇳\n\ttab — “quotes” ‏mark‎"  # ZWJ, flags, LRM/RLM stay


def _obeyed(text: str) -> list[str]:
    """Every character in `text` a terminal would act on instead of show."""
    return [
        c
        for c in text
        if (ord(c) < 0x20 and c not in "\n\t")
        or 0x7F <= ord(c) <= 0x9F
        or 0x202A <= ord(c) <= 0x202E
        or 0x2066 <= ord(c) <= 0x2069
    ]


def test_every_control_a_terminal_obeys_is_shown_instead() -> None:
    shown = terminal_text(HOSTILE)
    assert _obeyed(HOSTILE) and _obeyed(shown) == []
    assert "\\u001b[31mred" in shown and "\\u009b31m" in shown and "\\u202eevil" in shown
    assert "ok\nXX" in shown  # a carriage return ends the line instead of writing over it


def test_chinese_emoji_newlines_and_tabs_pass_unchanged() -> None:
    assert terminal_text(KEPT) == KEPT
    assert terminal_text("one\r\ntwo\rthree") == "one\ntwo\nthree"


def test_a_stream_in_pieces_shows_what_the_whole_text_shows() -> None:
    text = HOSTILE + "a\r\nb\r\r\nc\r" + KEPT + "\r"
    for size in (1, 2, 3, 7):
        stream = TerminalStream()
        pieces = [stream.feed(text[i : i + size]) for i in range(0, len(text), size)]
        assert "".join(pieces) + stream.end() == terminal_text(text)
        assert _obeyed("".join(pieces)) == []


def test_json_written_through_the_terminal_rule_is_the_same_json() -> None:
    document = {"content": HOSTILE + KEPT, "title": "\u202etxt.exe"}
    raw = io.StringIO()
    print_json(document, SafeOutput(raw))  # type: ignore[arg-type]
    assert _obeyed(raw.getvalue().rstrip("\n")) == []
    assert json.loads(raw.getvalue()) == document


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_line_keeps_its_own_controls_and_escapes_the_text() -> None:
    terminal = _Terminal()
    progress = ProgressLine(SafeOutput(terminal))  # type: ignore[arg-type]
    progress.show("\x1b[2Jname")
    progress.clear()
    assert terminal.getvalue() == "\r\x1b[K\\u001b[2Jname\r\x1b[K"


@pytest.mark.parametrize(
    "data",
    ['<img src="x">', "<a href='file:///etc/passwd'>click</a>", "<h1>big</h1> & <b>", "a&amp;b"],
)
def test_html_text_and_plain_rich_text_show_markup_literally(data: str) -> None:
    escaped = html_text(data)
    assert "<" not in escaped and ">" not in escaped and "'" not in escaped and '"' not in escaped
    assert (
        escaped.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
        == data
    )
    rich = plain_rich_text(data + "\nline two")
    assert rich.startswith("<p ") and "pre-wrap" in rich and escaped in rich
