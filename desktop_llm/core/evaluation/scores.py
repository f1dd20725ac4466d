"""Scores of the built-in evaluations: one result per item, and the set's aggregate.

Every aggregate has ``score`` in 0..1 (higher is better), the number a comparison of models
plots, beside the task's own figures.

Sentiment
    Accuracy (share of items labelled right) and macro-F1 (the mean over the labels of each
    label's F1, the harmonic mean of its precision and recall). ``score`` is macro-F1: on
    these balanced sets the two are close for a model that tries, but a model that answers
    "neutral" to everything gets an accuracy of 0.33 and a macro-F1 of 0.17. An answer that
    is not one of the three labels (an empty or failed reply: None) is wrong for its item and
    counts against the recall of the true label, but is not a label of its own in the mean.
    The mean is over the labels that are true for an item or answered at least once (as
    scikit-learn's f1_score(average="macro") does); a label with nothing predicted has a
    precision of 0.

Translation
    chrF (Popović 2015) as sacrebleu computes it: character n-grams up to 6, recall weighted
    twice as much as precision (beta 2), whitespace removed before the n-grams are taken.
    chrF needs no word tokenizer, so Chinese needs no segmenter: each Han character is a
    character, and one metric serves both directions (their values still differ in kind: a
    Chinese character carries more than a Latin letter, so compare models per direction,
    or on the mean below, never one direction against the other). We keep sacrebleu's default
    word_order=0 (plain chrF, not chrF++): chrF++ adds word n-grams, and with no spaces
    between Chinese words a whole Chinese sentence would be one "word", penalising output
    into Chinese for nothing. (BLEU's tokenize="zh" is a BLEU option; chrF has none.) Both
    the output and the references are NFKC-normalised first, so a full-width comma or digit
    scores as its ASCII form; case is kept (sacrebleu's default). Each item has a sentence
    chrF; the aggregate is the corpus chrF of each direction (statistics summed over its
    items, the usual way to report chrF) and their unweighted mean, so English-to-Chinese
    and Chinese-to-English weigh the same although English sentences have more characters.
    ``score`` is that mean / 100.

Summaries: key-fact recall and length
    Each article lists its key facts, each as the surface forms that state it (a number, a
    name, a key term: "14 June", "June 14"). A fact counts as kept when ANY of its forms
    appears in the summary, after both are normalised the same way:

    1. Unicode NFKC: full-width digits, letters and punctuation become ASCII ("１７％" is
       "17%"); then case-folding ("Leeds" = "leeds"); curly apostrophes become "'".
    2. Thousands separators between digits go ("40,000" = "40000"); a hyphen or dash
       between two letters or digits becomes a space ("10-minute" = "10 minute").
    3. Chinese articles: all whitespace is removed ("24 公里" = "24公里"). English: runs of
       whitespace become one space.

    A form also counts spelled the other way: in Chinese, whole numbers up to 99 in digits
    or in Chinese numerals ("12月28日" = "十二月二十八日"; 2 is also "两"); in English, whole
    numbers from 1 to 20 in digits or words ("10 minutes" = "ten minutes"). Larger numbers,
    decimals, numbers glued to a Latin letter ("5G", "18m") and other wordings must be
    listed as forms in the data ("3,000", "three thousand").

    A form is found as a substring, with these edges: a form that starts with a letter or
    digit must not follow a letter or digit (Latin letters and digits only: Chinese
    characters are not word boundaries); a form that ends with a digit must not be followed
    by another digit or a decimal part ("12" is not found in "120" or "12.5"), nor one that
    starts with a digit follow a decimal point ("5" is not in "1.5"); a form that
    starts or ends with a Chinese numeral must not touch another one ("百分之六" is not found
    in "百分之六十", "三年" not in "十三年"). A form that ends with a letter may be followed by
    more letters, so "heatwave" finds "heatwaves" and "overheat" finds "overheating": English
    endings need no list. The matched form is recorded with each fact, so every "kept" can
    be checked by eye.

    Per article: the share of its facts kept (recall) and the summary's length in words as
    the task pages count them (each Chinese character is a word, as 字数), its characters
    without whitespace, and its length against the article's. ``score`` is the mean recall
    over the articles (each article weighs the same); the facts kept over all facts is
    reported beside it. Recall rewards a summary that repeats the article, which is why the
    length ratio is reported next to it: a summary as long as its article is no summary.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop_llm.core.evaluation.datasets import (
    KeyFact,
    SentimentItem,
    SummaryItem,
    TranslationItem,
)
from desktop_llm.core.tasks.sentiment import LABELS
from desktop_llm.core.tasks.service import count_words

if TYPE_CHECKING:
    from sacrebleu.metrics.chrf import CHRF

# --- sentiment ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LabelScore:
    label: str
    precision: float
    recall: float
    f1: float
    support: int  # items whose true label this is
    predicted: int  # items answered with this label


@dataclass(frozen=True)
class SentimentResult:
    id: str
    label: str  # the true label
    predicted: str | None  # None: no label in the answer
    correct: bool


@dataclass(frozen=True)
class SentimentScore:
    items: tuple[SentimentResult, ...]
    accuracy: float
    macro_f1: float
    labels: tuple[LabelScore, ...]  # those in the macro mean, in LABELS order
    unanswered: int  # items without a label in the answer

    @property
    def score(self) -> float:
        return self.macro_f1


def sentiment_label(answer: str | None) -> str | None:
    """The label an answer gives (case and surrounding space ignored), None when it is
    not exactly one of LABELS."""
    if answer is None:
        return None
    label = answer.strip().strip(".!。！").strip().casefold()
    return label if label in LABELS else None


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def label_scores(golds: Sequence[str], predictions: Sequence[str | None]) -> list[LabelScore]:
    """Precision, recall and F1 of each label true or answered at least once."""
    if len(golds) != len(predictions):
        raise ValueError("as many predictions as items are needed")
    scores = []
    for label in LABELS:
        support = sum(1 for g in golds if g == label)
        predicted = sum(1 for p in predictions if p == label)
        if not support and not predicted:
            continue
        hits = sum(1 for g, p in zip(golds, predictions, strict=True) if g == p == label)
        precision, recall = _ratio(hits, predicted), _ratio(hits, support)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores.append(LabelScore(label, precision, recall, f1, support, predicted))
    return scores


def sentiment_scores(
    items: Sequence[SentimentItem], answers: Sequence[str | None]
) -> SentimentScore:
    """Accuracy and macro-F1 of `answers` (one per item, in order: a label, a model's raw
    answer, or None when the item got none)."""
    if len(items) != len(answers):
        raise ValueError("as many answers as items are needed")
    predictions = [sentiment_label(a) for a in answers]
    golds = [item.label for item in items]
    results = tuple(
        SentimentResult(item.id, item.label, p, p == item.label)
        for item, p in zip(items, predictions, strict=True)
    )
    labels = tuple(label_scores(golds, predictions))
    return SentimentScore(
        items=results,
        accuracy=_ratio(sum(r.correct for r in results), len(results)),
        macro_f1=sum(s.f1 for s in labels) / len(labels) if labels else 0.0,
        labels=labels,
        unanswered=sum(1 for p in predictions if p is None),
    )


# --- translation ----------------------------------------------------------------------------

# sacrebleu's defaults, written out: chrF with character 6-grams, beta 2, no word n-grams.
CHRF_SETTINGS = {"char_order": 6, "word_order": 0, "beta": 2}


@dataclass(frozen=True)
class TranslationResult:
    id: str
    direction: str  # 'en->zh-Hans'
    chrf: float  # sentence chrF, 0..100


@dataclass(frozen=True)
class TranslationScore:
    items: tuple[TranslationResult, ...]
    by_direction: dict[str, float]  # corpus chrF of each direction, 0..100
    chrf: float  # the directions' mean, 0..100
    signature: str  # sacrebleu's signature of the metric, for the record

    @property
    def score(self) -> float:
        return self.chrf / 100


def _chrf() -> CHRF:
    # Imported when a translation is scored, not with the CLI: sacrebleu pulls in portalocker,
    # lxml and regex (a slower start for every command), and portalocker asks for a writable
    # temporary folder at import, which a read-only sandbox or disk does not have.
    from sacrebleu.metrics.chrf import CHRF

    return CHRF(**CHRF_SETTINGS)


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def chrf(hypothesis: str, references: Sequence[str]) -> float:
    """The sentence chrF (0..100) of one output against its references."""
    return _chrf().sentence_score(_nfkc(hypothesis), [_nfkc(r) for r in references]).score


def translation_scores(
    items: Sequence[TranslationItem], outputs: Sequence[str | None]
) -> TranslationScore:
    """chrF of `outputs` (one per item, in order; None when the item got no output,
    scored as an empty translation)."""
    if len(items) != len(outputs):
        raise ValueError("as many outputs as items are needed")
    metric = _chrf()
    hypotheses = [_nfkc(o or "") for o in outputs]
    results = tuple(
        TranslationResult(item.id, item.direction, chrf(h, item.references))
        for item, h in zip(items, hypotheses, strict=True)
    )
    by_direction: dict[str, float] = {}
    for direction in dict.fromkeys(item.direction for item in items):
        chosen = [i for i, item in enumerate(items) if item.direction == direction]
        most = max(len(items[i].references) for i in chosen)
        # sacrebleu's reference streams: the k-th reference of every item; None where an
        # item has fewer.
        streams = [
            [
                _nfkc(items[i].references[k]) if k < len(items[i].references) else None
                for i in chosen
            ]
            for k in range(most)
        ]
        corpus = metric.corpus_score([hypotheses[i] for i in chosen], streams)
        by_direction[direction] = corpus.score
    mean = sum(by_direction.values()) / len(by_direction) if by_direction else 0.0
    return TranslationScore(results, by_direction, mean, str(metric.get_signature()))


# --- summaries ------------------------------------------------------------------------------

CHINESE = frozenset({"zh-Hans", "zh-Hant", "zh"})

_CN_DIGITS = "零一二三四五六七八九"
_CN_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千万亿"
# Runs that may spell 0..99; 万 and 亿 multiply what comes before them ("十五万" = "15万").
_CN_NUMBER_RUN = re.compile("[零〇一二两三四五六七八九十百千]+")
_CN_SMALL = re.compile(
    "^(?:[一二两三四五六七八九]?十[一二三四五六七八九]?"  # 十, 十二, 二十, 二十八
    "|[零〇一二两三四五六七八九])$"  # 0..9
)
_CN_VALUE = {ch: i for i, ch in enumerate(_CN_DIGITS)} | {"〇": 0, "两": 2}
# Indexed by value; 0 is left alone ("zero-waste" is not "0 waste").
_EN_NUMBERS = ("-", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
               "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
               "eighteen", "nineteen", "twenty")  # fmt: skip
_EN_WORD = re.compile(r"(?<![a-z])(" + "|".join(_EN_NUMBERS[1:]) + r")(?![a-z])")
# A whole number of one or two digits, not part of a decimal nor glued to a Latin letter
# ("18m", "5G", "24km" stay as they are).
_SMALL_INT = re.compile(r"(?<![\d.a-z])\d{1,2}(?![\da-z])(?!\.\d)")
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?!\d))")
_DASH = re.compile(r"(?<=[^\W_])[-‐‑‒–—―](?=[^\W_])")
_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‛": "'", "′": "'"})


def normalize(text: str, lang: str) -> str:
    """`text` as fact matching compares it (steps 1-3 of the module's docstring)."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_QUOTES)
    text = _THOUSANDS.sub("", text)
    text = _DASH.sub(" ", text)
    if lang in CHINESE:
        return _SPACE.sub("", text)
    return _SPACE.sub(" ", text).strip()


def _chinese_numeral(n: int, two: str = "二") -> str:
    if n < 10:
        return two if n == 2 else _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def _chinese_value(numeral: str) -> int | None:
    """0..99 written in Chinese numerals ("二十八" -> 28), None for anything else."""
    if not _CN_SMALL.match(numeral):
        return None
    if "十" not in numeral:
        return _CN_VALUE[numeral]
    tens, _, ones = numeral.partition("十")
    return (_CN_VALUE[tens] if tens else 1) * 10 + (_CN_VALUE[ones] if ones else 0)


def _spelled_other_ways(form: str, lang: str) -> list[str]:
    """The normalised `form` with its small numbers spelled the other way."""
    if lang in CHINESE:

        def to_chinese(two: str) -> str:
            return _SMALL_INT.sub(lambda m: _chinese_numeral(int(m.group()), two), form)

        def to_digits(m: re.Match[str]) -> str:
            value = _chinese_value(m.group())
            return m.group() if value is None else str(value)

        return [to_chinese("二"), to_chinese("两"), _CN_NUMBER_RUN.sub(to_digits, form)]

    def to_words(m: re.Match[str]) -> str:
        value = int(m.group())
        return _EN_NUMBERS[value] if 1 <= value <= 20 else m.group()

    return [
        _SMALL_INT.sub(to_words, form),
        _EN_WORD.sub(lambda m: str(_EN_NUMBERS.index(m.group())), form),
    ]


def accepted_forms(fact: KeyFact, lang: str) -> tuple[str, ...]:
    """Every normalised form that keeps `fact`: its forms, then the same with small numbers
    spelled the other way; in that order, without repeats."""
    forms: dict[str, None] = {}
    for raw in fact.forms:
        form = normalize(raw, lang)
        for variant in (form, *_spelled_other_ways(form, lang)):
            if variant:
                forms.setdefault(variant, None)
    return tuple(forms)


def _is_ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _edges_hold(text: str, start: int, end: int) -> bool:
    first, last = text[start], text[end - 1]
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if _is_ascii_alnum(first) and _is_ascii_alnum(before):
        return False
    if first.isdigit() and before == "." and start >= 2 and text[start - 2].isdigit():
        return False  # "5" in "1.5"
    if last.isdigit() and (
        after.isdigit() or (after == "." and end + 1 < len(text) and text[end + 1].isdigit())
    ):
        return False
    if first in _CN_NUMERAL_CHARS and before and before in _CN_NUMERAL_CHARS:
        return False
    return not (last in _CN_NUMERAL_CHARS and after and after in _CN_NUMERAL_CHARS)


def find_form(form: str, text: str) -> bool:
    """Whether the normalised `form` occurs in the normalised `text` within the edges."""
    start = text.find(form)
    while start >= 0:
        if _edges_hold(text, start, start + len(form)):
            return True
        start = text.find(form, start + 1)
    return False


def kept_form(fact: KeyFact, summary: str, lang: str) -> str | None:
    """The first accepted form of `fact` found in `summary` (normalised), None when the
    summary does not state it."""
    text = normalize(summary, lang)
    return next((form for form in accepted_forms(fact, lang) if find_form(form, text)), None)


@dataclass(frozen=True)
class FactResult:
    fact: str
    matched: str | None  # the normalised form found; None: not kept

    @property
    def kept(self) -> bool:
        return self.matched is not None


@dataclass(frozen=True)
class SummaryResult:
    id: str
    lang: str
    facts: tuple[FactResult, ...]
    words: int  # the summary's words, each Chinese character one (tasks' count_words)
    characters: int  # the summary's characters, whitespace not counted
    article_words: int

    @property
    def kept(self) -> int:
        return sum(f.kept for f in self.facts)

    @property
    def recall(self) -> float:
        return _ratio(self.kept, len(self.facts))

    @property
    def length_ratio(self) -> float:
        """The summary's length against the article's, in words."""
        return _ratio(self.words, self.article_words)


@dataclass(frozen=True)
class SummaryScore:
    items: tuple[SummaryResult, ...]
    recall: float  # the mean over the articles of the share of facts kept
    facts_kept: int
    facts_total: int
    length_ratio: float  # the mean over the articles

    @property
    def score(self) -> float:
        return self.recall


def summary_result(item: SummaryItem, summary: str | None) -> SummaryResult:
    text = summary or ""
    return SummaryResult(
        id=item.id,
        lang=item.lang,
        facts=tuple(FactResult(f.fact, kept_form(f, text, item.lang)) for f in item.facts),
        words=count_words(text),
        characters=len(_SPACE.sub("", text)),
        article_words=count_words(item.text),
    )


def summary_scores(items: Sequence[SummaryItem], summaries: Sequence[str | None]) -> SummaryScore:
    """Key-fact recall and length of `summaries` (one per item, in order; None when the
    item got no summary, scored as an empty one)."""
    if len(items) != len(summaries):
        raise ValueError("as many summaries as items are needed")
    results = tuple(summary_result(i, s) for i, s in zip(items, summaries, strict=True))
    count = len(results)
    return SummaryScore(
        items=results,
        recall=sum(r.recall for r in results) / count if count else 0.0,
        facts_kept=sum(r.kept for r in results),
        facts_total=sum(len(r.facts) for r in results),
        length_ratio=sum(r.length_ratio for r in results) / count if count else 0.0,
    )
