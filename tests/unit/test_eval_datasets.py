"""The built-in evaluation sets load from the bundled resources, meet their sizes, are
balanced, and every key fact can be kept; a malformed file is refused with a clear message."""

from __future__ import annotations

import copy
import json
import tomllib
from collections import Counter
from pathlib import Path

import pytest

from desktop_llm.core import resources
from desktop_llm.core.evaluation.datasets import (
    FORMAT_VERSION,
    TASKS,
    EvalDataError,
    eval_resource,
    load_sentiment,
    load_set,
    load_summarize,
    load_translate,
    parse_set,
)
from desktop_llm.core.evaluation.scores import kept_form
from desktop_llm.core.tasks.languages import detect_language
from desktop_llm.core.tasks.sentiment import LABELS
from desktop_llm.core.tasks.service import count_cjk, count_words

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("en", "zh-Hans")


def _raw(task: str) -> dict:
    return json.loads(resources.read_text(eval_resource(task)))


@pytest.mark.parametrize("task", TASKS)
def test_each_set_is_bundled_with_its_provenance(task: str) -> None:
    evaluation = load_set(task)
    assert evaluation.task == task and evaluation.version == FORMAT_VERSION
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    licence = project["project"]["license"]  # {text = "..."}, or an SPDX string one day
    assert evaluation.licence == (licence if isinstance(licence, str) else licence["text"])
    assert evaluation.licence == "Apache-2.0"
    assert "written for desktop-llm" in evaluation.source.lower()
    provenance = resources.resource("eval/PROVENANCE.md")
    assert provenance.is_file()
    text = provenance.read_text(encoding="utf-8")
    assert "Apache-2.0" in text and "not benchmarks" in text and f"`{task}.json`" in text


def test_sentiment_is_balanced_over_labels_and_languages() -> None:
    items = load_sentiment().items
    assert len(items) >= 60
    cells = Counter((item.lang, item.label) for item in items)
    assert set(cells) == {(lang, label) for lang in LANGUAGES for label in LABELS}
    assert len(set(cells.values())) == 1  # exactly balanced: as many in each cell
    # Interleaved: every prefix of 6 items (a --limit run) is still balanced.
    assert {(i.lang, i.label) for i in items[:6]} == set(cells)
    for item in items:
        language = detect_language(item.text)
        assert language is not None and language.code == item.lang, item.id
    assert len({item.text for item in items}) == len(items)


def test_translations_go_both_ways_with_references_in_the_target_language() -> None:
    items = load_translate().items
    assert len(items) >= 30
    directions = Counter(item.direction for item in items)
    assert set(directions) == {"en->zh-Hans", "zh-Hans->en"}
    assert min(directions.values()) >= 15
    assert {items[0].direction, items[1].direction} == set(directions)
    for item in items:
        for text, code in [(item.source, item.source_lang)] + [
            (ref, item.target_lang) for ref in item.references
        ]:
            language = detect_language(text)
            assert language is not None and language.code == code, (item.id, text)
    assert len({item.domain for item in items}) >= 10  # varied, not one kind of sentence


def test_articles_have_the_right_size_and_three_to_five_facts() -> None:
    items = load_summarize().items
    assert len(items) >= 10
    assert Counter(item.lang for item in items) == {
        "en": len(items) // 2,
        "zh-Hans": len(items) // 2,
    }
    for item in items:
        if item.lang == "en":
            assert 120 <= count_words(item.text) <= 300, item.id
        else:
            assert 250 <= count_cjk(item.text) <= 500, item.id
        assert 3 <= len(item.facts) <= 5, item.id
        assert detect_language(item.text).code == item.lang


def test_every_key_fact_is_stated_in_its_own_article() -> None:
    """A fact no summary could keep (no form of it in the article) is a bug in the data."""
    for item in load_summarize().items:
        for fact in item.facts:
            assert kept_form(fact, item.text, item.lang) is not None, (item.id, fact.fact)


# --- malformed files ------------------------------------------------------------------------


def _refused(task: str, mutate, message: str) -> None:
    data = copy.deepcopy(_raw(task))
    mutate(data)
    with pytest.raises(EvalDataError, match=message):
        parse_set(data, task)


def test_a_file_of_another_version_or_task_is_refused() -> None:
    _refused("sentiment", lambda d: d.update(version=2), "version 2; this app reads 1")
    _refused("sentiment", lambda d: d.update(task="translate"), "for the task 'translate'")
    _refused("translate", lambda d: d.update(items=[]), "no list of 'items'")


def test_a_malformed_item_is_named() -> None:
    def twice(d: dict) -> None:
        d["items"][1]["id"] = d["items"][0]["id"]

    _refused("sentiment", twice, "item 'en-pos-01' appears twice")
    _refused("sentiment", lambda d: d["items"][0].update(label="mixed"), "label 'mixed'")
    _refused("sentiment", lambda d: d["items"][0].update(lang="fr"), "'lang' 'fr'")
    _refused("sentiment", lambda d: d["items"][2].update(text=" "), "no text 'text'")
    _refused("translate", lambda d: d["items"][0].update(references=[]), "'references'")
    _refused("translate", lambda d: d["items"][0].update(target_lang="en"), "into itself")
    _refused("summarize", lambda d: d["items"][0]["facts"][1].update(forms=[""]), "fact 2 of")
    _refused("summarize", lambda d: d["items"][0].update(facts=[]), "no list of 'facts'")


def test_a_missing_or_broken_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(EvalDataError, match="cannot be read"):
        load_set("summarize", tmp_path / "absent.json")
    broken = tmp_path / "summarize.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(EvalDataError, match="not valid JSON"):
        load_set("summarize", broken)
    with pytest.raises(EvalDataError, match="no evaluation for the task 'chat'"):
        load_set("chat")  # type: ignore[arg-type]


def test_limited_takes_a_prefix() -> None:
    evaluation = load_translate()
    assert evaluation.limited(None) == evaluation.items
    assert [i.id for i in evaluation.limited(2)] == ["en-zh-01", "zh-en-01"]
    assert evaluation.limited(0) == ()
