"""What a conversation is called: the start of its first message, on one line.

Both a chat and a task run (whose first message is its input) are named this way, so it
lives with the conversations rather than in either.
"""

from __future__ import annotations

TITLE_LENGTH = 48


def title_from(text: str) -> str:
    # Only the start is needed: splitting a 5 MB input whole would hold the GIL (and so
    # stall the window) for a tenth of a second.
    line = " ".join(text[: TITLE_LENGTH * 8].split())
    return line if len(line) <= TITLE_LENGTH else line[: TITLE_LENGTH - 1].rstrip() + "…"
