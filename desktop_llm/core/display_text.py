"""The one rule for text from elsewhere on its way to a screen: a terminal, or Qt's rich text.

Text the app did not write itself (prompts, model output, GGUF metadata, Hub data, file
names) may carry characters that the thing showing it would obey instead of show:

- a terminal obeys ESC sequences (colours, cursor moves, a new window title, OSC 8 links,
  clearing the screen), the other C0 and C1 controls, and a carriage return that writes over
  the start of a line; bidirectional overrides reorder what is shown (Trojan Source,
  CVE-2021-42574). `terminal_text()` shows each of them as a visible `\\uXXXX` instead and a
  line ending (`\\r\\n`, or a lone `\\r`) as `\\n`; newlines, tabs, Chinese and emoji (joiners
  included) pass unchanged. The escape is JSON's own, so a JSON document written through it
  stays valid JSON meaning the same thing (json.dumps escapes C0 itself, not C1 or bidi).
- Qt's rich text (labels, tooltips, message boxes) obeys HTML: `<img src=...>` loads a local
  file, `<a href=...>` makes a link, `<h1>` or a wide table breaks the layout. `html_text()`
  escapes a data part for HTML the app builds; `plain_rich_text()` is a whole plain string
  as rich text that shows it literally, for the places where Qt guesses the format itself
  (a tooltip, a message box, a label left on its automatic format).
"""

from __future__ import annotations

import html
import re

# C0 controls except tab and newline, DEL, C1 controls; the bidirectional embeddings,
# overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI). The marks (LRM, RLM, ALM)
# and the zero-width joiners stay: they reorder nothing and emoji need the joiner.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_END = re.compile("\r\n?")


def _visible(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def terminal_text(text: str) -> str:
    """`text` safe to write to a terminal: every control the terminal would obey is shown."""
    return _UNSAFE.sub(_visible, _LINE_END.sub("\n", text))


class TerminalStream:
    """`terminal_text()` over text that arrives in pieces (a streamed reply).

    Each piece is escaped on its own, character by character, so nothing dangerous waits for
    a later piece; only a piece ending in `\\r` keeps it back, to tell `\\r\\n` (one line
    end) from a lone `\\r` (also one line end) when the next piece comes.
    """

    def __init__(self) -> None:
        self._cr = False

    def feed(self, piece: str) -> str:
        if self._cr:
            piece = "\r" + piece
        self._cr = piece.endswith("\r")
        if self._cr:
            piece = piece[:-1]
        return terminal_text(piece)

    def end(self) -> str:
        """What a last `\\r` stood for, once the stream has ended."""
        held, self._cr = self._cr, False
        return "\n" if held else ""


def html_text(text: str) -> str:
    """A data part (a name, a file name, a description) for HTML the app builds."""
    return html.escape(text, quote=True)


def plain_rich_text(text: str) -> str:
    """A whole plain string as rich text that Qt shows literally, line breaks included.

    For where Qt guesses the format (tooltips, message boxes, labels on Qt.AutoText): plain
    text that looks like HTML would be taken as HTML there, and escaped text that does not
    would show its `&amp;`s. A paragraph is rich text to Qt's guess whatever it holds.
    """
    return f"<p style='white-space:pre-wrap'>{html_text(text)}</p>"
