"""Where a search's words are in a text: the spans to highlight in a result's snippet and in
the message it opens (Qt-free)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from desktop_llm.core.display_text import html_text
from desktop_llm.core.store.store import HIGHLIGHT_END, HIGHLIGHT_START

Span = tuple[int, int]  # [start, end) in characters

_MARK = re.compile(
    re.escape(HIGHLIGHT_START)
    + "([^"
    + re.escape(HIGHLIGHT_START + HIGHLIGHT_END)
    + "\n]+)"
    + re.escape(HIGHLIGHT_END)
)


def query_terms(query: str) -> list[str]:
    """The words of a search, as Store.search splits them."""
    return query.split()


def merge(spans: Iterable[Span]) -> list[Span]:
    """Sorted, overlapping and touching spans joined."""
    merged: list[Span] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def term_spans(text: str, terms: Sequence[str]) -> list[Span]:
    """Every place in `text` where one of `terms` occurs, ignoring case."""
    spans: list[Span] = []
    for term in terms:
        if term:
            spans += [m.span() for m in re.finditer(re.escape(term), text, re.IGNORECASE)]
    return merge(spans)


def parse_snippet(snippet: str, terms: Sequence[str]) -> tuple[str, list[Span]]:
    """A SearchHit snippet as plain text and the spans to highlight in it.

    The store marks the words it matched between brackets; a bracketed part counts as a mark
    only when it holds a query word or part of one (so code like ``a[0]`` keeps its
    brackets), and every other place a query word occurs is highlighted as well.
    """
    folded = [t.casefold() for t in terms if t]
    text_parts: list[str] = []
    spans: list[Span] = []
    length = 0
    position = 0
    for match in _MARK.finditer(snippet):
        inner = match.group(1).casefold()
        if not any(t in inner or inner in t for t in folded):
            continue
        before = snippet[position : match.start()]
        text_parts.append(before)
        length += len(before)
        text_parts.append(match.group(1))
        spans.append((length, length + len(match.group(1))))
        length += len(match.group(1))
        position = match.end()
    text_parts.append(snippet[position:])
    text = "".join(text_parts)
    return text, merge([*spans, *term_spans(text, terms)])


def marked_html(text: str, spans: Sequence[Span], style: str) -> str:
    """`text` as escaped HTML, each span in a <span style=...> (the highlight's colours)."""
    out: list[str] = []
    position = 0
    for start, end in spans:
        out.append(html_text(text[position:start]))
        out.append(f"<span style='{style}'>{html_text(text[start:end])}</span>")
        position = end
    out.append(html_text(text[position:]))
    return "".join(out)
