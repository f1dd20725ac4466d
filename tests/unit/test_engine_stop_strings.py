"""The hold-back of stop strings (core/engine/stop_strings.py): what a streamed reply shows."""

from __future__ import annotations

from collections.abc import Sequence

from desktop_llm.core.engine.stop_strings import StopScanner


def stream(stops: Sequence[str], pieces: Sequence[str]) -> tuple[list[str], bool, str]:
    """Each piece fed in turn as the worker does: (what was shown after each feed, whether a
    stop string ended it, what flush() gave at the end when none did)."""
    scanner = StopScanner(stops)
    shown = []
    for piece in pieces:
        text, stopped = scanner.feed(piece)
        shown.append(text)
        if stopped:
            return shown, True, ""
    return shown, False, scanner.flush()


def test_a_stop_string_split_over_tokens_is_held_back_then_ends_the_reply() -> None:
    shown, stopped, _ = stream(["END"], ["Hello E", "N", "D and more"])
    assert stopped
    assert shown == ["Hello ", "", ""]
    assert "".join(shown) == "Hello "


def test_a_partial_match_that_turns_out_not_to_be_one_is_released() -> None:
    shown, stopped, rest = stream(["END"], ["Hello E", "N", "ough said"])
    assert not stopped and rest == ""
    assert shown == ["Hello ", "", "ENough said"]


def test_held_text_at_the_end_of_the_reply_is_released_by_flush() -> None:
    shown, stopped, rest = stream(["END"], ["Hello E", "N"])
    assert not stopped
    assert shown == ["Hello ", ""] and rest == "EN"


def test_the_earliest_of_two_stop_strings_ends_the_reply() -> None:
    shown, stopped, _ = stream(["world", "lo w"], ["Hello world"])
    assert stopped and shown == ["Hel"]
    shown, stopped, _ = stream(["\n\n", "###"], ["one", " two #", "## three\n\n"])
    assert stopped and "".join(shown) == "one two "


def test_a_stop_string_at_the_very_start_gives_an_empty_reply() -> None:
    shown, stopped, _ = stream(["Sure"], ["Sure", ", here it is"])
    assert stopped and shown == [""]
    shown, stopped, _ = stream(["Sure"], ["S", "ure!"])
    assert stopped and shown == ["", ""]


def test_text_that_cannot_start_a_stop_string_is_never_held() -> None:
    scanner = StopScanner(["</answer>"])
    assert scanner.feed("plain text") == ("plain text", False)
    assert scanner.feed(" then <") == (" then ", False)
    assert scanner.held == "<"
    assert scanner.feed("b>bold") == ("<b>bold", False)
    assert scanner.released == len("plain text then <b>bold")


def test_the_longest_possible_start_is_held_when_stop_strings_overlap() -> None:
    scanner = StopScanner(["abcd", "bcx"])
    assert scanner.feed("zabc") == ("z", False)  # "abc" may become "abcd", "bc" "bcx"
    assert scanner.feed("x!") == ("a", True)  # "bcx" it was


def test_empty_stop_strings_are_ignored() -> None:
    scanner = StopScanner(["", "STOP", "STOP"])
    assert scanner.stops == ("STOP",)
    assert StopScanner([""]).stops == ()
