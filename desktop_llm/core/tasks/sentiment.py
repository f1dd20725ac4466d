"""Sentiment: the prompt (instruction and examples first, so their KV cache is shared by
every item of a batch), the label grammar, and probabilities from the model's own scores."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from desktop_llm.core.engine.protocol import ChatMessage

LABELS = ("positive", "negative", "neutral")
LABEL_GRAMMAR = 'root ::= "positive" | "negative" | "neutral"'

EXAMPLES = (
    ("I absolutely love this phone, the camera is amazing!", "positive"),
    ("The package arrived broken and nobody answered my emails.", "negative"),
    ("The library opens at nine on weekdays.", "neutral"),
    ("What a wonderful evening, thank you all so much.", "positive"),
    ("This was a waste of money. Terrible quality.", "negative"),
    ("The report has twelve pages and three tables.", "neutral"),
)

# The instruction in the system prompt and the examples as earlier turns of the chat: with
# the starter model this scored 16 of 20 unmistakable sentences right, against 8 of 20 for
# the same examples inlined in one user message (bench notes in docs/benchmarks.md).
INSTRUCTION = " Answer with one word: positive, negative or neutral."


def unknown_probabilities() -> dict[str, float | None]:
    """The probabilities of a label the server gave without any: None for each label."""
    return dict.fromkeys(LABELS)


def has_probabilities(probabilities: Mapping[str, float | None]) -> bool:
    """Whether every label's probability is known."""
    return bool(probabilities) and all(p is not None for p in probabilities.values())


def sentiment_messages(system_prompt: str, text: str) -> list[ChatMessage]:
    # Everything before the item is identical for every item: evaluated once per batch.
    messages = [ChatMessage("system", (system_prompt or "") + INSTRUCTION)]
    for example, label in EXAMPLES:
        messages += [ChatMessage("user", example), ChatMessage("assistant", label)]
    messages.append(ChatMessage("user", text))
    return messages


def prefix_text() -> str:
    """Roughly what precedes the item, for budgeting the context."""
    return INSTRUCTION + "".join(f"{text} {label}" for text, label in EXAMPLES)


def probabilities(logprobs: Sequence[float | None] | None) -> dict[str, float | None]:
    """Normalize the labels' log-likelihoods over the three labels (a softmax).

    None, or a label without a log-likelihood (a remote server that gave no log-probabilities,
    or not that label's): every probability is None. The label is kept; the probabilities
    are never invented."""
    if logprobs is None or any(lp is None for lp in logprobs):
        return unknown_probabilities()
    known = [float(lp) for lp in logprobs if lp is not None]
    top = max(known)
    weights = [math.exp(lp - top) for lp in known]
    total = sum(weights)
    return {label: w / total for label, w in zip(LABELS, weights, strict=True)}


def label_in(text: str, probabilities: dict[str, float] | None) -> str | None:
    """The label a reply names (its first label word, in any case), else the most probable
    one; None when the reply names none and no probabilities are known."""
    found = [(text.casefold().find(label), label) for label in LABELS]
    named = sorted((at, label) for at, label in found if at >= 0)
    if named:
        return named[0][1]
    if probabilities:
        return max(probabilities, key=probabilities.__getitem__)
    return None
