"""Did a task run do its job? A run can end "complete" and still fail in substance.

A small model may hand back its input unchanged, "translate" into the wrong language, copy
the text it was asked to summarize, or give each sentiment label about the same chance.
These pure functions judge a finished result against its input; the task service stores
the verdict with the run's summary (options["result"]["outcome"]), and the front ends say
in plain words what happened (describe) and what to try instead (advice): usually a larger
model from the catalog (suggest_model).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from desktop_llm.core.errors import UserError
from desktop_llm.core.i18n import PLURAL, arg, translate
from desktop_llm.core.models.catalog import CatalogModel
from desktop_llm.core.tasks.languages import (
    Language,
    detect_language,
    get_language,
    script_share,
    telling_chinese_characters,
)

# Verdicts. OK is the only one that is not a warning.
OK = "ok"
EMPTY = "empty"  # nothing came back
UNCHANGED = "unchanged"  # a translation that is the input again
NOT_TRANSLATED = "not_translated"  # still in the source language
WRONG_LANGUAGE = "wrong_language"  # in a third language
NOT_IN_TARGET = "not_in_target"  # language unclear, but mostly not the target's script
COPIED = "copied"  # a summary that copies its input
NOT_SHORTER = "not_shorter"  # a summary no shorter than its input
UNSURE = "unsure"  # sentiment: no label had a clear lead (count in facts for a batch)

# A unit is a word, or one CJK character (Chinese and Japanese have no spaces).
_CJK_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_UNIT = re.compile(f"[{_CJK_CHARS}]|[^\\W_]+")
# Runs of this many units are compared to tell a copy from a rewording.
_SHINGLE = 4
# A result whose runs of units are at least this much the input's is a copy of it...
_COPY_SHARE = 0.8
# ...when it is also at least this long, relative to the input (for a summary; a
# translation is compared as a whole). A summary quoting one sentence is not a copy.
_COPY_LENGTH = 0.5
# The share of the result's letters in the target's script below which "most of it is not
# in" the target, and the weighted letters needed to say so (3 Chinese characters weigh 9).
_SCRIPT_SHARE = 0.5
_MIN_SCRIPT_LETTERS = 12
# Sentiment: unsure when the top label leads the runner-up by less than this, or when the
# three probabilities all lie within this spread (near-uniform: each about 1/3).
UNSURE_LEAD = 0.1
UNIFORM_SPREAD = 0.2
# A suggested model's file must be this much larger than the current one (the catalog's
# sizes are approximate: the same model must not be suggested again).
_LARGER = 1.2


@dataclass(frozen=True)
class Outcome:
    task: str  # translate, summarize, sentiment
    verdict: str  # OK or one of the warnings above
    # What the words need: detected/source/target codes, word counts, unsure/items counts.
    facts: Mapping[str, Any] = field(default_factory=dict)
    # A larger catalog model that does the task in these languages: id, name and, when it
    # is installed, its installed name.
    suggestion: Mapping[str, str] | None = None

    @property
    def ok(self) -> bool:
        return self.verdict == OK

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"task": self.task, "verdict": self.verdict, **self.facts}
        if self.suggestion:
            data["suggestion"] = dict(self.suggestion)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Outcome | None:
        """The outcome stored with a run's summary; None for a run stored without one."""
        if not isinstance(data, Mapping) or "verdict" not in data or "task" not in data:
            return None
        facts = {k: v for k, v in data.items() if k not in ("task", "verdict", "suggestion")}
        suggestion = data.get("suggestion")
        return cls(
            str(data["task"]),
            str(data["verdict"]),
            facts,
            dict(suggestion) if isinstance(suggestion, Mapping) else None,
        )

    def with_suggestion(self, model: CatalogModel | None, installed: str | None) -> Outcome:
        if model is None or self.ok:
            return self
        suggestion = {"id": model.id, "name": model.name}
        if installed:
            suggestion["installed"] = installed
        return Outcome(self.task, self.verdict, self.facts, suggestion)


def units(text: str) -> list[str]:
    """The text's words and CJK characters, case-folded, without punctuation."""
    return _UNIT.findall(text.casefold())


def _shingles(items: Sequence[str]) -> set[tuple[str, ...]]:
    if len(items) < _SHINGLE:
        return {tuple(items)} if items else set()
    return {tuple(items[i : i + _SHINGLE]) for i in range(len(items) - _SHINGLE + 1)}


def copied_share(result: Sequence[str], source: Sequence[str]) -> float:
    """The share of the result's runs of units that appear in the source (1.0: all)."""
    mine = _shingles(result)
    if not mine:
        return 0.0
    return len(mine & _shingles(source)) / len(mine)


def _same_language(detected: Language, wanted: Language, text: str) -> bool:
    if detected.code == wanted.code:
        return True
    if {detected.code, wanted.code} == {"zh-Hans", "zh-Hant"}:
        # The detector takes Chinese with no telling character for Simplified.
        simplified, _ = telling_chinese_characters(text)
        return detected.code == "zh-Hans" and simplified == 0
    return False


# --- the judges --------------------------------------------------------------------------------


def judge_translation(
    source_text: str, output: str, target: str, source: str | None = None
) -> Outcome:
    """Is output a translation of source_text into target (a language code)? source: the
    source language's code when known (given or detected)."""
    target_language = get_language(target)
    source_language = get_language(source) if source else None
    facts: dict[str, Any] = {"target": target_language.code}
    if source_language is not None:
        facts["source"] = source_language.code
    result, original = units(output), units(source_text)
    if not result:
        return Outcome("translate", EMPTY, facts)
    if result == original or (
        copied_share(result, original) >= _COPY_SHARE
        and 0.8 <= len(result) / max(1, len(original)) <= 1.25
    ):
        return Outcome("translate", UNCHANGED, facts)
    detected = detect_language(output)
    if detected is not None:
        if _same_language(detected, target_language, output):
            return Outcome("translate", OK, facts)
        facts["detected"] = detected.code
        if source_language is not None and _same_language(detected, source_language, output):
            return Outcome("translate", NOT_TRANSLATED, facts)
        return Outcome("translate", WRONG_LANGUAGE, facts)
    share, letters = script_share(output, target_language)
    if letters >= _MIN_SCRIPT_LETTERS and share < _SCRIPT_SHARE:
        return Outcome("translate", NOT_IN_TARGET, facts)
    return Outcome("translate", OK, facts)


def judge_summary(source_text: str, output: str, language: str | None = None) -> Outcome:
    """Is output shorter than source_text and more than a copy of it? language: the
    text's language code when known (for the suggestion)."""
    result, original = units(output), units(source_text)
    facts: dict[str, Any] = {"words": len(original), "summary_words": len(result)}
    if language:
        facts["language"] = language
    if not result:
        return Outcome("summarize", EMPTY, facts)
    long_enough = len(result) >= _COPY_LENGTH * len(original)
    if result == original or (long_enough and copied_share(result, original) >= _COPY_SHARE):
        return Outcome("summarize", COPIED, facts)
    if len(result) >= len(original):
        return Outcome("summarize", NOT_SHORTER, facts)
    return Outcome("summarize", OK, facts)


def is_unsure(probabilities: Mapping[str, float | None]) -> bool:
    """No label has a clear lead: the top two are close, or all three are (near-uniform).

    Without probabilities (None: the server gave none) nothing says it is unsure: False, and
    such an item is not counted as unsure."""
    if any(p is None for p in probabilities.values()):
        return False
    values = sorted((p for p in probabilities.values() if p is not None), reverse=True)
    if len(values) < 2:
        return False
    return values[0] - values[1] < UNSURE_LEAD or values[0] - values[-1] <= UNIFORM_SPREAD


def judge_sentiment(
    results: Iterable[Mapping[str, float | None]],
    *,
    single: bool = False,
    language: str | None = None,
) -> Outcome:
    """results: each item's probabilities by label. A single text is unsure when its
    probabilities are; a batch counts its unsure items (a warning when there is one)."""
    items = unsure = 0
    first: Mapping[str, float | None] | None = None
    for probabilities in results:
        items += 1
        unsure += is_unsure(probabilities)
        first = first or probabilities
    return sentiment_outcome(items, unsure, first if single else None, language)


def sentiment_outcome(
    items: int,
    unsure: int,
    probabilities: Mapping[str, float | None] | None = None,
    language: str | None = None,
) -> Outcome:
    """The outcome of a run that counted its unsure items as it went (is_unsure);
    probabilities: the single text's, for the words."""
    facts: dict[str, Any] = {"items": items, "unsure": unsure}
    if probabilities is not None:
        facts["probabilities"] = dict(probabilities)
    if language:
        facts["language"] = language
    return Outcome("sentiment", UNSURE if unsure else OK, facts)


# --- what to try instead -----------------------------------------------------------------------


def _base(code: str) -> str:
    return code.split("-")[0].lower()


def suggest_model(
    catalog: Iterable[CatalogModel],
    task: str,
    languages: Iterable[str],
    current_size: int | None = None,
) -> CatalogModel | None:
    """The catalog's smallest model (by its recommended file) that does `task`, knows every
    one of `languages` (codes like 'zh-Hans' or 'en'), and is clearly larger than the
    current model's file; None when the catalog has none."""
    wanted = {_base(code) for code in languages if code}
    candidates = [
        model
        for model in catalog
        if task in model.tasks
        and wanted <= {_base(code) for code in model.languages}
        and (current_size is None or model.recommended_file.size_bytes > _LARGER * current_size)
    ]
    return min(candidates, key=lambda m: m.recommended_file.size_bytes, default=None)


def outcome_languages(outcome: Outcome) -> list[str]:
    """The languages a suggested model must know for this outcome."""
    facts = outcome.facts
    keys = ("source", "target", "language")
    return [str(facts[key]) for key in keys if facts.get(key)]


# --- in words ----------------------------------------------------------------------------------


def _language_name(code: Any) -> str:
    try:
        return translate("Languages", get_language(str(code)).english_name)
    except UserError:  # an unknown code in an old run: show it as it is
        return str(code)


def _percent(value: Any) -> str:
    try:
        return f"{float(value) * 100:.0f}%"
    except (TypeError, ValueError):
        return "?"


def describe(outcome: Outcome) -> str:
    """What went wrong, in plain words; "" for an outcome that is fine."""
    facts = outcome.facts
    verdict = outcome.verdict
    if verdict == EMPTY:
        if outcome.task == "summarize":
            return translate("TaskOutcome", "The model returned no summary.")
        return translate("TaskOutcome", "The model returned no translation.")
    if verdict == UNCHANGED:
        return translate("TaskOutcome", "Not translated: the model gave back the text unchanged.")
    if verdict == NOT_TRANSLATED:
        return arg(
            translate("TaskOutcome", "Not translated: the result is still in %1, not in %2."),
            _language_name(facts.get("detected")),
            _language_name(facts.get("target")),
        )
    if verdict == WRONG_LANGUAGE:
        return arg(
            translate("TaskOutcome", "The result is in %1, not in %2."),
            _language_name(facts.get("detected")),
            _language_name(facts.get("target")),
        )
    if verdict == NOT_IN_TARGET:
        return arg(
            translate("TaskOutcome", "Most of the result is not in %1."),
            _language_name(facts.get("target")),
        )
    if verdict == COPIED:
        return translate(
            "TaskOutcome", "Not a summary: the model copied the text instead of summarizing it."
        )
    if verdict == NOT_SHORTER:
        summary_words = int(facts.get("summary_words", 0))
        words = f"{int(facts.get('words', 0)):,}"
        text = translate("TaskOutcome", "Not a summary: it has %Ln word(s), the text %1.", None, PLURAL, summary_words)  # fmt: skip  # noqa: E501
        return arg(text, words)
    if verdict == UNSURE:
        probabilities = facts.get("probabilities")
        if isinstance(probabilities, Mapping):
            return arg(
                translate(
                    "TaskOutcome",
                    "Unsure: the model gave no label a clear lead "
                    "(positive %1, negative %2, neutral %3).",
                ),
                _percent(probabilities.get("positive")),
                _percent(probabilities.get("negative")),
                _percent(probabilities.get("neutral")),
            )
        unsure = int(facts.get("unsure", 0))
        items = f"{int(facts.get('items', 0)):,}"
        text = translate("TaskOutcome", "Unsure about %Ln text(s) of %1: the model gave no label a clear lead.", None, PLURAL, unsure)  # fmt: skip  # noqa: E501
        return arg(text, items)
    return ""


def advice(outcome: Outcome) -> str:
    """What to try: the suggested catalog model, or a larger model in general."""
    if outcome.ok:
        return ""
    suggestion = outcome.suggestion or {}
    if suggestion.get("installed"):
        return arg(
            translate("TaskOutcome", "A larger model does better: choose %1 in the model list."),
            suggestion["installed"],
        )
    if suggestion.get("name"):
        return arg(
            translate(
                "TaskOutcome",
                "A larger model does better: %1, from the catalog (Models ▸ Find models "
                "to download).",
            ),
            suggestion["name"],
        )
    return translate("TaskOutcome", "A larger model may do better.")


def warning(outcome: Outcome | None) -> str:
    """describe() and advice() together; "" when there is nothing to warn about."""
    if outcome is None or outcome.ok:
        return ""
    return f"{describe(outcome)} {advice(outcome)}"
