"""The "Which model?" figures on hand-made results: the Pareto front of quality against
joules per item, and the sentence that puts it in plain words."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from desktop_llm.core import i18n
from desktop_llm.core.evaluation.results import (
    EvalResult,
    compare_sentence,
    energy_words,
    front_sentence,
    pareto_front,
)

_ids = iter(range(1, 1000))


def result(
    model: str,
    score: float | None,
    joules: float | None,
    *,
    quantization: str | None = None,
    measured: bool | None = True,
    task: str = "sentiment",
) -> EvalResult:
    return EvalResult(
        run_id=next(_ids),
        task=task,
        model=model,
        model_file=f"{model}.gguf",
        sha256=model.encode().hex().ljust(64, "0")[:64],
        quantization=quantization,
        metric="macro_f1",
        score=score,
        items=60,
        items_done=60,
        joules_per_item=joules,
        measured=measured if joules is not None else None,
        seconds=30.0,
        threads=4,
        device="CPU",
        meter_source="rapl" if measured else "estimate",
        dataset_version="1-abc",
        status="complete",
        started_at=datetime(2026, 12, 1, tzinfo=UTC),
        finished_at=datetime(2026, 12, 1, 0, 5, tzinfo=UTC),
        details=None,
    )


def names(results: list[EvalResult]) -> list[str]:
    return [r.model for r in results]


def test_the_front_keeps_what_no_other_result_beats_on_both_axes() -> None:
    small = result("small", 0.78, 0.31)
    large = result("large", 0.90, 1.2)
    worse_and_dearer = result("dear", 0.70, 0.9)
    same_score_dearer = result("twin", 0.78, 0.5)
    best = result("best", 0.95, 3.0)
    unmetered = result("unmetered", 0.99, None)  # no energy figure: not on the front
    unscored = result("unscored", None, 0.01)
    front = pareto_front(
        [large, worse_and_dearer, best, small, same_score_dearer, unmetered, unscored]
    )
    assert names(front) == ["small", "large", "best"]  # cheapest first, each better
    assert pareto_front([]) == []
    assert names(pareto_front([result("one", 0.5, 1.0)])) == ["one"]
    # Two equal points: one of them, not both.
    assert len(pareto_front([result("a", 0.5, 1.0), result("b", 0.5, 1.0)])) == 1


def test_the_sentence_compares_the_cheapest_and_the_best() -> None:
    small = result("SmolLM2", 0.78, 0.31, quantization="Q4_1")
    qwen = result("Qwen2.5-0.5B-Instruct-Q4_K_M", 0.90, 1.2, quantization="Q4_K_M")
    assert compare_sentence("sentiment", qwen, small) == (
        "For sentiment, SmolLM2 Q4_1 scores 0.78 at 0.31 J per text; "
        "Qwen2.5-0.5B-Instruct-Q4_K_M scores 0.90 at 1.20 J: "
        "four times the energy for 12 more points."
    )
    middle = result("mid", 0.80, 0.6)
    assert front_sentence("sentiment", [middle, qwen, small]) == compare_sentence(
        "sentiment", small, qwen
    )
    one = front_sentence("translate", [result("only", 0.41, 2.5), result("worse", 0.3, 3.0)])
    assert one == (
        "For translation, only scores best and uses the least energy: 0.41 at 2.50 J per sentence."
    )
    assert front_sentence("summarize", [result("x", 0.5, None)]) == ""


def test_the_sentence_in_other_cases() -> None:
    cheap = result("a", 0.80, 1.0, task="summarize")
    assert compare_sentence("summarize", cheap, result("b", 0.81, 1.05)).endswith(
        "at 1.05 J: about the same energy for 1 more point."
    )
    assert compare_sentence("summarize", cheap, result("c", 0.70, 1.4)).endswith(
        "at 1.40 J: 40% more energy for 10 fewer points."
    )
    assert compare_sentence("summarize", cheap, result("d", 0.80, 25.0)).endswith(
        "at 25.0 J: 25 times the energy for the same score."
    )
    assert "per article" in compare_sentence("summarize", cheap, result("e", 0.9, 2.0))
    estimated = compare_sentence("sentiment", cheap, result("f", 0.9, 2.0, measured=False))
    assert estimated.endswith(
        "twice the energy for 10 more points. The energy figures are estimates, not meter readings."
    )
    assert compare_sentence("sentiment", cheap, result("g", None, 2.0)) == ""
    busy = dataclasses.replace(result("h", 0.9, 2.0), details={"energy_quiet": False})
    assert compare_sentence("sentiment", cheap, busy).endswith(
        "Some figures were measured while other programs kept the CPU busy: they are higher "
        "than on a quiet machine."
    )
    quiet = dataclasses.replace(result("i", 0.9, 2.0), details={"energy_quiet": True})
    assert compare_sentence("sentiment", cheap, quiet).endswith("for 10 more points.")


@pytest.mark.parametrize(
    ("ratio", "words"),
    [
        (1.0, "about the same energy"),
        (1.09, "about the same energy"),
        (1.5, "50% more energy"),
        (1.96, "twice the energy"),
        (3.8, "four times the energy"),
        (10.2, "ten times the energy"),
        (10.6, "11 times the energy"),
    ],
)
def test_energy_words(ratio: float, words: str) -> None:
    assert energy_words(ratio) == words


@pytest.fixture
def chinese() -> Iterator[None]:
    """A translator for the sentence's strings, as the window installs Qt's (no Qt here)."""
    table = {
        "For %1, %2 scores %3 at %4; %5 scores %6 at %7: %8.": (
            "%1：%2 得分 %3，%4；%5 得分 %6，每项 %7：%8。"
        ),
        "sentiment": "情感分析",
        "%1 per text": "每条文本 %1",
        "four times the energy": "能耗为四倍",
        "%1 for %n more point(s)": "%1，多得 %n 分",
    }

    def translator(context: str, text: str, disambiguation: str | None, n: int) -> str:
        assert context == "Evaluation"
        return table.get(text, text).replace("%n", str(n))

    i18n.install(translator, "zh_CN")
    yield
    i18n.uninstall()


def test_the_sentence_is_translated_through_the_core_i18n(chinese: None) -> None:
    small = result("SmolLM2", 0.78, 0.31, quantization="Q4_1")
    large = result("Qwen", 0.90, 1.2, quantization="Q4_K_M")
    assert compare_sentence("sentiment", small, large) == (
        "情感分析：SmolLM2 Q4_1 得分 0.78，每条文本 0.31 J；Qwen Q4_K_M 得分 0.90，每项 1.20 J："
        "能耗为四倍，多得 12 分。"
    )
