"""Stop strings (OpenAI's `stop`) over a reply that arrives a piece at a time.

A stop string may be split over several tokens, so text that could be its start is held back
until the next pieces say whether it is one: a reply streamed through StopScanner never shows
the beginning of a stop string that then ends it. Pure text logic, no model: the worker feeds
it each decoded piece (tests/unit/test_engine_stop_strings.py).
"""

from __future__ import annotations

from collections.abc import Sequence


class StopScanner:
    """Feed the reply's text piece by piece; each feed() says what may be shown now and
    whether a stop string has appeared (the text before it is the last to show)."""

    def __init__(self, stops: Sequence[str]) -> None:
        # An empty stop string would end every reply before it begins: not a stop.
        self.stops = tuple(dict.fromkeys(s for s in stops if s))
        self._held = ""
        self.released = 0  # characters released so far (feed and flush together)
        self.stopped = False

    def feed(self, text: str) -> tuple[str, bool]:
        """(the text that can be shown now, True when a stop string appeared: the text
        given is then everything before it, and nothing more is to be fed)."""
        buffer = self._held + text
        hits = [i for s in self.stops if (i := buffer.find(s)) >= 0]
        if hits:
            # The earliest stop ends the reply, whichever string it is.
            self._held = ""
            self.stopped = True
            return self._release(buffer[: min(hits)]), True
        keep = self._partial_suffix(buffer)
        self._held = buffer[len(buffer) - keep :]
        return self._release(buffer[: len(buffer) - keep]), False

    def flush(self) -> str:
        """The reply ended without a stop string: what was held back is plain text."""
        held, self._held = self._held, ""
        return self._release(held)

    @property
    def held(self) -> str:
        return self._held

    def _partial_suffix(self, buffer: str) -> int:
        """The length of buffer's longest end that is the start of a stop string (shorter
        than it: a whole one would have been found)."""
        longest = 0
        for stop in self.stops:
            for n in range(min(len(stop) - 1, len(buffer)), longest, -1):
                if buffer.endswith(stop[:n]):
                    longest = n
                    break
        return longest

    def _release(self, text: str) -> str:
        self.released += len(text)
        return text
