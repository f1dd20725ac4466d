"""The built-in evaluation sets (resources/eval/*.json): loaded, checked, as dataclasses.

One JSON file per task, each an object with

- ``version``: the format, FORMAT_VERSION (a file of another version is refused, not guessed);
- ``task``: "sentiment", "translate" or "summarize", the file's own task;
- ``licence``, ``source``, ``note``: where the items come from (resources/eval/PROVENANCE.md);
- ``items``: a list of objects, each with a stable ``id`` (unique in its file: a stopped run
  is resumed by id) and the task's fields:

  - sentiment: ``lang``, ``text``, ``label`` (one of tasks.sentiment.LABELS), ``domain``;
  - translate: ``source_lang``, ``target_lang``, ``source``, ``references`` (one or more),
    ``domain``;
  - summarize: ``lang``, ``title``, ``text``, ``facts`` (each ``{"fact": what it says,
    "forms": [the surface forms that count as stating it]}``), ``domain``.

Languages are the tasks' codes (tasks.languages): "en" and "zh-Hans".

These are small checks, written for this project, not benchmarks: a few dozen items tell a
clearly better model from a clearly worse one on this machine, not two close ones apart.
A malformed file raises EvalDataError naming the file, the item and the field; the messages
stay English, like the catalog's, since they are for whoever edits the files.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

from desktop_llm.core import resources
from desktop_llm.core.errors import UserError
from desktop_llm.core.tasks.sentiment import LABELS

FORMAT_VERSION = 1
Task = Literal["sentiment", "translate", "summarize"]
TASKS: tuple[Task, ...] = ("sentiment", "translate", "summarize")
# The languages of the sets: English and Simplified Chinese (tasks.languages' codes).
LANGUAGES = ("en", "zh-Hans")


class EvalDataError(UserError):
    """An evaluation file is missing or malformed."""


@dataclass(frozen=True)
class SentimentItem:
    id: str
    lang: str
    text: str
    label: str  # one of LABELS
    domain: str


@dataclass(frozen=True)
class TranslationItem:
    id: str
    source_lang: str
    target_lang: str
    source: str
    references: tuple[str, ...]  # at least one
    domain: str

    @property
    def direction(self) -> str:
        """'en->zh-Hans' or 'zh-Hans->en'."""
        return f"{self.source_lang}->{self.target_lang}"


@dataclass(frozen=True)
class KeyFact:
    fact: str  # what the fact says, in the article's language (for people, not matched)
    forms: tuple[str, ...]  # any one of these in a summary keeps the fact (scores.py)


@dataclass(frozen=True)
class SummaryItem:
    id: str
    lang: str
    title: str
    text: str
    facts: tuple[KeyFact, ...]
    domain: str


Item = TypeVar("Item", SentimentItem, TranslationItem, SummaryItem)


@dataclass(frozen=True)
class EvalSet(Generic[Item]):
    task: Task
    version: int
    licence: str
    source: str
    note: str
    items: tuple[Item, ...]

    def limited(self, limit: int | None) -> tuple[Item, ...]:
        """The first `limit` items (all when None). The files interleave languages and
        labels or directions, so a prefix still covers each of them."""
        return self.items if limit is None else self.items[: max(0, limit)]


def eval_resource(task: Task) -> str:
    """The bundled file of `task`, as a resources name."""
    return f"eval/{task}.json"


class _Reader:
    """Typed fields of one file's objects, with errors that say where."""

    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self, where: str, what: str) -> EvalDataError:
        return EvalDataError(f"The evaluation set {self.name} is malformed: {where} {what}.")

    def text(self, raw: dict[str, Any], key: str, where: str) -> str:
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, f"has no text '{key}'")
        return value

    def texts(self, raw: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
        value = raw.get(key)
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(v, str) and v.strip() for v in value)
        ):
            raise self.fail(where, f"has no list of texts '{key}'")
        return tuple(value)

    def language(self, raw: dict[str, Any], key: str, where: str) -> str:
        value = self.text(raw, key, where)
        if value not in LANGUAGES:
            raise self.fail(where, f"has '{key}' {value!r}, not one of {', '.join(LANGUAGES)}")
        return value


def _sentiment(read: _Reader, raw: dict[str, Any], where: str) -> SentimentItem:
    label = read.text(raw, "label", where)
    if label not in LABELS:
        raise read.fail(where, f"has the label {label!r}, not one of {', '.join(LABELS)}")
    return SentimentItem(
        id=raw["id"],
        lang=read.language(raw, "lang", where),
        text=read.text(raw, "text", where),
        label=label,
        domain=read.text(raw, "domain", where),
    )


def _translation(read: _Reader, raw: dict[str, Any], where: str) -> TranslationItem:
    source_lang = read.language(raw, "source_lang", where)
    target_lang = read.language(raw, "target_lang", where)
    if source_lang == target_lang:
        raise read.fail(where, "translates a language into itself")
    return TranslationItem(
        id=raw["id"],
        source_lang=source_lang,
        target_lang=target_lang,
        source=read.text(raw, "source", where),
        references=read.texts(raw, "references", where),
        domain=read.text(raw, "domain", where),
    )


def _summary(read: _Reader, raw: dict[str, Any], where: str) -> SummaryItem:
    facts_raw = raw.get("facts")
    if not isinstance(facts_raw, list) or not facts_raw:
        raise read.fail(where, "has no list of 'facts'")
    facts = []
    for index, fact in enumerate(facts_raw):
        at = f"fact {index + 1} of {where}"
        if not isinstance(fact, dict):
            raise read.fail(at, "is not an object")
        facts.append(KeyFact(read.text(fact, "fact", at), read.texts(fact, "forms", at)))
    return SummaryItem(
        id=raw["id"],
        lang=read.language(raw, "lang", where),
        title=read.text(raw, "title", where),
        text=read.text(raw, "text", where),
        facts=tuple(facts),
        domain=read.text(raw, "domain", where),
    )


_PARSERS: dict[Task, Callable[[_Reader, dict[str, Any], str], Any]] = {
    "sentiment": _sentiment,
    "translate": _translation,
    "summarize": _summary,
}


def parse_set(data: Any, task: Task, name: str = "") -> EvalSet[Any]:
    """The set of `task` from a decoded JSON document; EvalDataError when it is malformed."""
    read = _Reader(name or eval_resource(task))
    if not isinstance(data, dict):
        raise read.fail("the file", "is not a JSON object")
    version = data.get("version")
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise read.fail("the file", f"has version {version!r}; this app reads {FORMAT_VERSION}")
    if data.get("task") != task:
        raise read.fail("the file", f"is for the task {data.get('task')!r}, not {task!r}")
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        raise read.fail("the file", "has no list of 'items'")
    items = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_items):
        where = f"item {index + 1}"
        if not isinstance(raw, dict):
            raise read.fail(where, "is not an object")
        item_id = read.text(raw, "id", where)
        where = f"item {item_id!r}"
        if item_id in seen:
            raise read.fail(where, "appears twice")
        seen.add(item_id)
        items.append(_PARSERS[task](read, raw, where))
    return EvalSet(
        task=task,
        version=version,
        licence=read.text(data, "licence", "the file"),
        source=read.text(data, "source", "the file"),
        note=str(data.get("note") or ""),
        items=tuple(items),
    )


def load_set(task: Task, path: Path | None = None) -> EvalSet[Any]:
    """The evaluation set of `task` (default: the bundled one); EvalDataError when the file
    is missing, not JSON, or malformed."""
    if task not in TASKS:
        raise EvalDataError(f"There is no evaluation for the task {task!r}.")
    name = eval_resource(task)
    source = resources.resource(name) if path is None else Path(path)
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise EvalDataError(f"The evaluation set {name} cannot be read: {e}.") from None
    try:
        data = json.loads(text)
    except ValueError as e:
        raise EvalDataError(f"The evaluation set {name} is not valid JSON: {e}.") from None
    return parse_set(data, task, name)


def load_sentiment(path: Path | None = None) -> EvalSet[SentimentItem]:
    return load_set("sentiment", path)


def load_translate(path: Path | None = None) -> EvalSet[TranslationItem]:
    return load_set("translate", path)


def load_summarize(path: Path | None = None) -> EvalSet[SummaryItem]:
    return load_set("summarize", path)
