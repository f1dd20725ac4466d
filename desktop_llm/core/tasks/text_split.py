"""Cutting text into paragraphs, sentences and token-budgeted chunks without losing a byte.

Every splitter here is lossless: joining what it returns gives back the input exactly, so a
task can translate or summarize piece by piece and put the layout back together.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

# --- paragraphs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    """One paragraph and the whitespace that followed it (blank lines, CRLF, indentation).

    text is empty only for the whitespace that may open the input; such a paragraph is not
    worth sending to a model, which is what is_blank is for.
    """

    text: str
    separator: str

    @property
    def is_blank(self) -> bool:
        return not self.text.strip()


# A line break together with the spaces around it: trailing spaces of one line, any blank
# lines, and the indentation of the next, so that none of it has to survive a model.
_BREAK = re.compile(r"[^\S\r\n]*(?:\r\n|\r|\n)\s*")
_NEWLINE = re.compile(r"\r\n|\r|\n")
_LIST_ITEM = re.compile(r"(?:[-*+•‣◦▪●]|\d{1,3}[.)、]|[a-zA-Z][.)]|#{1,6}|>|\|)\s")
_HEADING = re.compile(r"#{1,6}\s")
# A line ending like this closes its thought; the next line is a new unit even after a
# single newline (Chinese and Japanese text usually separates paragraphs that way).
_LINE_END = re.compile(r"[.!?…:;。！？；：][\"'”’»)\]」』）》]*$")


def split_paragraphs(text: str) -> list[Paragraph]:
    """Paragraphs of text, each with the exact whitespace that follows it.

    A break is a blank line, or a single newline before a list item, table row, quote or
    heading, after a heading, or after a line that ends a sentence. A single newline inside
    running prose (hard-wrapped text) stays inside the paragraph's text.
    ''.join(p.text + p.separator for p in paragraphs) == text.
    """
    paragraphs: list[Paragraph] = []
    lead = len(text) - len(text.lstrip())
    if lead:
        paragraphs.append(Paragraph("", text[:lead]))
    start = lead
    for match in _BREAK.finditer(text, lead):
        if match.end() == len(text) or _is_paragraph_break(text, start, match):
            paragraphs.append(Paragraph(text[start : match.start()], match.group()))
            start = match.end()
    if start < len(text):
        paragraphs.append(Paragraph(text[start:], ""))
    return paragraphs


def _is_paragraph_break(text: str, start: int, match: re.Match[str]) -> bool:
    if len(_NEWLINE.findall(match.group())) >= 2:
        return True
    line_start = max(start, text.rfind("\n", start, match.start()) + 1)
    line_start = max(line_start, text.rfind("\r", line_start, match.start()) + 1)
    line = text[line_start : match.start()].strip()
    following = text[match.end() : match.end() + 8]
    return bool(_LIST_ITEM.match(following) or _HEADING.match(line) or _LINE_END.search(line))


def join_paragraphs(parts: Sequence[str], separators: Sequence[str]) -> str:
    """Put processed paragraphs back with the separators split_paragraphs found."""
    if len(parts) != len(separators):
        raise ValueError(f"{len(parts)} paragraphs but {len(separators)} separators")
    return "".join(part + sep for part, sep in zip(parts, separators, strict=True))


# --- sentences ----------------------------------------------------------------------------

_TERMINATORS = ".!?…。！？；｡．؟۔।॥"
# These end a sentence wherever they stand: the scripts that use them need no space after.
_STRONG = set("。！？；｡．؟۔।॥")
_CLOSERS = "\"'”’»›)]}」』）》〉】〕〗〙〛"
_SENTENCE_END = re.compile(rf"[{re.escape(_TERMINATORS)}]+[{re.escape(_CLOSERS)}]*\s*")
_OPENERS = "\"'“‘«‹([{「『（《〈【"

# Without the final period. Words that often end a sentence ('etc.', 'usw.') are left out:
# the lower-case rule below already keeps 'etc. and so on' together. The capitalized ones
# are also plain words ('no', 'mar') and count only with their capital.
_ABBREVIATION_WORDS = """
    mr mrs ms dr prof sr jr vs cf fig figs approx dept mme mlle nr bzw vgl ggf sra srta dra
    pág núm
"""
_CAPITALIZED_ABBREVIATION_WORDS = """
    No Nos St Mt Rev Gen Col Capt Lt Sgt Hon Vol Vols Pp Ch Sec Eq Inc Ltd Co Corp
    Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec
"""
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())
_CAPITALIZED_ABBREVIATIONS = frozenset(_CAPITALIZED_ABBREVIATION_WORDS.split())
# 'U.S', 'e.g', 'z.B', 'J': single letters joined by periods are initials, not a sentence.
_INITIALS = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]")


def split_sentences(text: str) -> list[str]:
    """Sentences of text; the whitespace after each stays with it, so ''.join gives text.

    Latin, Cyrillic, Greek, Arabic and Devanagari sentences end at a terminator followed by
    whitespace (closing quotes and brackets stay with the sentence); CJK ones end at 。！？；
    or … with no space needed. Abbreviations, initials, decimals, list numbers and an
    ellipsis followed by a lower-case word do not end a sentence.
    """
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if _ends_sentence(text, match):
            sentences.append(text[start : match.end()])
            start = match.end()
    if start < len(text):
        sentences.append(text[start:])
    return sentences


def _ends_sentence(text: str, match: re.Match[str]) -> bool:
    marks = match.group().rstrip()
    terminators = marks.rstrip(_CLOSERS)
    after = text[match.end() : match.end() + 1]
    if any(ch in _STRONG for ch in terminators):
        return not after.isdigit()  # '３．１４' is a number
    before = text[match.start() - 1] if match.start() else ""
    if not match.group()[-1].isspace() and after:
        # No space after: only CJK prose ends a sentence like that ('好!我们走'); never a
        # decimal, a file name or a URL.
        return _is_cjk(before) and not (after.isascii() and after.isalnum())
    if after and after.islower():
        return False
    if terminators.strip(".") or len(terminators) > 1:
        return True  # '!', '?', '…' or '...' before a capital letter or the end
    return not _is_abbreviation(text, match.start())


def _is_abbreviation(text: str, period: int) -> bool:
    word_start = period
    while word_start > 0 and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:period].lstrip(_OPENERS)
    if word.lower() in _ABBREVIATIONS or word in _CAPITALIZED_ABBREVIATIONS:
        return True
    if _INITIALS.fullmatch(word):
        return True
    # '1. Buy milk' at the start of a line is a list number.
    return word.isdigit() and _starts_line(text, word_start)


def _starts_line(text: str, index: int) -> bool:
    while index > 0 and text[index - 1] in " \t":
        index -= 1
    return index == 0 or text[index - 1] in "\r\n"


def _is_cjk(ch: str) -> bool:
    if not ch:
        return False
    code = ord(ch)
    return (
        0x3040 <= code <= 0x30FF  # kana
        or 0x3400 <= code <= 0x9FFF  # CJK ideographs
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
        or 0x3000 <= code <= 0x303F  # CJK punctuation
        or 0x20000 <= code <= 0x3FFFF
    )


# --- chunks -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chunk:
    """Consecutive segments first..last (inclusive) joined as given.

    tokens is the sum of the segments' counts, which may differ slightly from a fresh count
    of text. oversize marks a lone segment bigger than the budget: the caller must split it.
    """

    text: str
    first: int
    last: int
    tokens: int
    oversize: bool = False


def pack_segments(
    segments: Sequence[str], token_counts: Sequence[int], budget: int, overlap: int = 0
) -> list[Chunk]:
    """Greedily pack consecutive segments into chunks of at most budget tokens.

    With overlap > 0 each chunk starts with the trailing segments of the previous one, as
    many as fit in overlap tokens (and still leave room for the next new segment), so a
    summary of one chunk sees the end of the one before. A chunk never holds only repeats.
    """
    _check_packing(segments, token_counts, budget, overlap)
    chunks: list[Chunk] = []
    current: list[int] = []
    fresh = 0  # segments in current that no earlier chunk held
    for index, count in enumerate(token_counts):
        if count > budget:
            if fresh:
                chunks.append(_chunk(segments, token_counts, current))
            chunks.append(Chunk(segments[index], index, index, count, oversize=True))
            current, fresh = [], 0
            continue
        if fresh and _tokens(token_counts, current) + count > budget:
            chunks.append(_chunk(segments, token_counts, current))
            current, fresh = _carry(token_counts, current, overlap, budget - count), 0
        current.append(index)
        fresh += 1
    if fresh:
        chunks.append(_chunk(segments, token_counts, current))
    return chunks


def _check_packing(
    segments: Sequence[str], token_counts: Sequence[int], budget: int, overlap: int
) -> None:
    if len(segments) != len(token_counts):
        raise ValueError(f"{len(segments)} segments but {len(token_counts)} token counts")
    if budget < 1:
        raise ValueError(f"budget must be at least 1, not {budget}")
    if not 0 <= overlap < budget:
        raise ValueError(f"overlap must be from 0 to budget - 1 ({budget - 1}), not {overlap}")
    if any(count < 0 for count in token_counts):
        raise ValueError("token counts cannot be negative")


def _carry(token_counts: Sequence[int], previous: list[int], overlap: int, room: int) -> list[int]:
    if not overlap:
        return []  # not even segments counted as 0 tokens: chunks must not repeat anything
    limit = min(overlap, room)
    carried: list[int] = []
    total = 0
    for index in reversed(previous):
        if total + token_counts[index] > limit:
            break
        carried.insert(0, index)
        total += token_counts[index]
    return carried


def _tokens(token_counts: Sequence[int], indexes: list[int]) -> int:
    return sum(token_counts[i] for i in indexes)


def _chunk(segments: Sequence[str], token_counts: Sequence[int], indexes: list[int]) -> Chunk:
    text = "".join(segments[i] for i in indexes)
    return Chunk(text, indexes[0], indexes[-1], _tokens(token_counts, indexes))


# --- hard cuts ----------------------------------------------------------------------------


def hard_split(text: str, max_chars: int) -> list[str]:
    """Cut text with no usable boundary into pieces of at most max_chars characters.

    Cuts after whitespace when there is some in the second half of the window, otherwise
    anywhere that does not split a character: a base and its combining marks, a surrogate
    pair, CRLF, a ZWJ emoji sequence, a flag. A window made only of such a sequence is let
    run past max_chars rather than broken. ''.join(pieces) == text.
    """
    if max_chars < 1:
        raise ValueError(f"max_chars must be at least 1, not {max_chars}")
    pieces: list[str] = []
    start = 0
    while len(text) - start > max_chars:
        cut = _cut_point(text, start, start + max_chars)
        pieces.append(text[start:cut])
        start = cut
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def _cut_point(text: str, start: int, limit: int) -> int:
    for cut in range(limit, start + max(1, (limit - start) // 2) - 1, -1):
        if text[cut - 1].isspace() and _safe_cut(text, cut):
            return cut
    for cut in range(limit, start, -1):
        if _safe_cut(text, cut):
            return cut
    cut = limit + 1
    while cut < len(text) and not _safe_cut(text, cut):
        cut += 1
    return cut


def _safe_cut(text: str, cut: int) -> bool:
    """Whether text[:cut] and text[cut:] keep every user-perceived character whole."""
    before, after = text[cut - 1], text[cut]
    if before == "\r" and after == "\n":
        return False
    if "\ud800" <= before <= "\udbff" and "\udc00" <= after <= "\udfff":
        return False
    if before == "\u200d" or after == "\u200d" or _extends(after):
        return False
    return not (_is_regional(before) and _is_regional(after) and _odd_flag_run(text, cut))


def _extends(ch: str) -> bool:
    code = ord(ch)
    return (
        unicodedata.combining(ch) != 0
        or unicodedata.category(ch) in {"Mn", "Mc", "Me"}
        or 0xFE00 <= code <= 0xFE0F  # variation selectors
        or 0xE0100 <= code <= 0xE01EF
        or 0x1F3FB <= code <= 0x1F3FF  # skin tones
        or 0xE0020 <= code <= 0xE007F  # emoji tag sequences
    )


def _is_regional(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def _odd_flag_run(text: str, cut: int) -> bool:
    # Flags are pairs of regional indicators: cutting after an odd count splits a flag.
    count = 0
    while cut - count > 0 and _is_regional(text[cut - count - 1]):
        count += 1
    return count % 2 == 1
