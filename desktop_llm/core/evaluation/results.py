"""What the evaluations found, as the "Which model?" view and the CLI show it: each model's
latest result per task, the Pareto front of quality against energy, and one sentence that
says what the front means in plain words.

A result is on the front when no other result scores at least as well for at most as many
joules per item (and better in one of the two). Results without a score or without an
energy figure (None: nothing was metered) are left out of the front, never counted as 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from desktop_llm.core.energy.report import format_joules
from desktop_llm.core.i18n import PLURAL, QT_TRANSLATE_NOOP, arg, translate
from desktop_llm.core.store import EvaluationRun, Store

# The task's name in "For sentiment, ...", and what one item is ("0.31 J per text").
TASK_NAMES = {
    "sentiment": QT_TRANSLATE_NOOP("Evaluation", "sentiment"),
    "translate": QT_TRANSLATE_NOOP("Evaluation", "translation"),
    "summarize": QT_TRANSLATE_NOOP("Evaluation", "summaries"),
}
PER_ITEM = {
    "sentiment": QT_TRANSLATE_NOOP("Evaluation", "%1 per text"),
    "translate": QT_TRANSLATE_NOOP("Evaluation", "%1 per sentence"),
    "summarize": QT_TRANSLATE_NOOP("Evaluation", "%1 per article"),
}
# "four times the energy": whole ratios from 2 to 10 in words.
TIMES = {
    2: QT_TRANSLATE_NOOP("Evaluation", "twice the energy"),
    3: QT_TRANSLATE_NOOP("Evaluation", "three times the energy"),
    4: QT_TRANSLATE_NOOP("Evaluation", "four times the energy"),
    5: QT_TRANSLATE_NOOP("Evaluation", "five times the energy"),
    6: QT_TRANSLATE_NOOP("Evaluation", "six times the energy"),
    7: QT_TRANSLATE_NOOP("Evaluation", "seven times the energy"),
    8: QT_TRANSLATE_NOOP("Evaluation", "eight times the energy"),
    9: QT_TRANSLATE_NOOP("Evaluation", "nine times the energy"),
    10: QT_TRANSLATE_NOOP("Evaluation", "ten times the energy"),
}
# Below this ratio two energies are called about the same: a few dozen items on a desktop
# that does other things vary by several percent from one run to the next.
SAME_ENERGY = 1.1


@dataclass(frozen=True)
class EvalResult:
    """One model's run of one task's evaluation, as stored."""

    run_id: int
    task: str
    model: str
    model_file: str
    sha256: str
    quantization: str | None
    metric: str
    score: float | None  # 0..1 over the items done
    items: int  # the items the run covers
    items_done: int
    joules_per_item: float | None  # None: nothing was metered (never 0 for unknown)
    measured: bool | None  # False: an estimate (no energy meter); None: nothing metered
    seconds: float
    threads: int
    device: str
    meter_source: str | None
    dataset_version: str
    status: str  # running, complete, stopped
    started_at: datetime
    finished_at: datetime | None
    details: dict[str, Any] | None

    @classmethod
    def of(cls, run: EvaluationRun) -> EvalResult:
        return cls(
            run_id=run.id,
            task=run.task,
            model=run.model,
            model_file=run.model_file,
            sha256=run.model_sha256,
            quantization=run.quantization,
            metric=run.metric,
            score=run.score,
            items=run.items,
            items_done=run.items_done,
            joules_per_item=run.joules_per_item,
            measured=run.measured,
            seconds=run.seconds,
            threads=run.threads,
            device=run.device,
            meter_source=run.meter_source,
            dataset_version=run.dataset_version,
            status=run.status,
            started_at=run.started_at,
            finished_at=run.finished_at,
            details=run.details,
        )

    def as_dict(self) -> dict[str, Any]:
        """What `desktop-llm eval --json` prints per model."""
        return {
            "model": self.model,
            "sha256": self.sha256,
            "quantization": self.quantization,
            "task": self.task,
            "score": self.score,
            "metric": self.metric,
            "items": self.items_done,
            "joules_per_item": self.joules_per_item,
            "measured": self.measured,
            "seconds": self.seconds,
            "threads": self.threads,
            "device": self.device,
            "meter_source": self.meter_source,
            "status": self.status,
            "items_planned": self.items,
            "dataset_version": self.dataset_version,
            "run_id": self.run_id,
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "details": self.details,
        }


def latest_results(store: Store, task: str) -> list[EvalResult]:
    """The newest complete result of each model file (by sha256) on `task`, best first."""
    return [EvalResult.of(run) for run in store.latest_evaluations(task)]


def pareto_front(results: Sequence[EvalResult]) -> list[EvalResult]:
    """The results no other one beats on both quality (up) and joules per item (down),
    cheapest first. Results without a score or an energy figure are not on it."""
    known = [r for r in results if r.score is not None and r.joules_per_item is not None]
    known.sort(key=lambda r: (r.joules_per_item, -(r.score or 0.0), r.run_id))
    front: list[EvalResult] = []
    for result in known:
        assert result.score is not None
        if not front or result.score > (front[-1].score or 0.0):
            front.append(result)
    return front


def points(score: float) -> str:
    """A 0..1 score as shown: 0.78."""
    return f"{score:.2f}"


def energy_words(ratio: float) -> str:
    """How much more energy `ratio` times as much is, in words: 'about the same energy',
    '40% more energy', 'four times the energy', '12 times the energy'."""
    if ratio < SAME_ENERGY:
        return translate("Evaluation", "about the same energy")
    if ratio < 1.95:
        return arg(translate("Evaluation", "%1% more energy"), round((ratio - 1) * 100))
    times = round(ratio)
    if times in TIMES:
        return translate("Evaluation", TIMES[times])
    return arg(translate("Evaluation", "%1 times the energy"), times)


def compare_sentence(task: str, first: EvalResult, second: EvalResult) -> str:
    """'For sentiment, A scores 0.78 at 0.31 J per text; B scores 0.90 at 1.20 J: four times
    the energy for 12 more points.' The cheaper result is named first; '' when either has no
    score or no energy figure."""
    pair = [first, second]
    if any(r.score is None or r.joules_per_item is None for r in pair):
        return ""
    cheap, dear = sorted(pair, key=lambda r: (r.joules_per_item, r.run_id))
    assert cheap.score is not None and dear.score is not None
    assert cheap.joules_per_item is not None and dear.joules_per_item is not None
    if cheap.joules_per_item > 0:
        more = energy_words(dear.joules_per_item / cheap.joules_per_item)
    elif dear.joules_per_item > 0:
        more = translate("Evaluation", "more energy")
    else:
        more = energy_words(1.0)
    gain = round((dear.score - cheap.score) * 100)
    loss = -gain  # a plain name as the count: lupdate reads no other expression
    if gain > 0:
        trade = arg(translate("Evaluation", "%1 for %n more point(s)", None, PLURAL, gain), more)
    elif loss > 0:
        trade = arg(translate("Evaluation", "%1 for %n fewer point(s)", None, PLURAL, loss), more)
    else:
        trade = arg(translate("Evaluation", "%1 for the same score"), more)
    sentence = arg(
        translate("Evaluation", "For %1, %2 scores %3 at %4; %5 scores %6 at %7: %8."),
        translate("Evaluation", TASK_NAMES.get(task, task)),
        _name(cheap),
        points(cheap.score),
        arg(
            translate("Evaluation", PER_ITEM.get(task, "%1")), format_joules(cheap.joules_per_item)
        ),
        _name(dear),
        points(dear.score),
        format_joules(dear.joules_per_item),
        trade,
    )
    return _with_estimate_note(sentence, pair)


def front_sentence(task: str, results: Sequence[EvalResult]) -> str:
    """The Pareto front of `results` in one sentence: its cheapest result against its best
    one, or the one result that is both; '' when nothing has a score and an energy figure."""
    front = pareto_front(results)
    if not front:
        return ""
    if len(front) == 1:
        (best,) = front
        assert best.score is not None and best.joules_per_item is not None
        sentence = arg(
            translate("Evaluation", "For %1, %2 scores best and uses the least energy: %3 at %4."),
            translate("Evaluation", TASK_NAMES.get(task, task)),
            _name(best),
            points(best.score),
            arg(
                translate("Evaluation", PER_ITEM.get(task, "%1")),
                format_joules(best.joules_per_item),
            ),
        )
        return _with_estimate_note(sentence, front)
    return compare_sentence(task, front[0], front[-1])


def _name(result: EvalResult) -> str:
    """The model as the sentence names it: its name, with the quantization when the name
    does not already say it."""
    quant = result.quantization
    if quant and quant.casefold() not in result.model.casefold():
        return f"{result.model} {quant}"
    return result.model


def _with_estimate_note(sentence: str, results: Sequence[EvalResult]) -> str:
    if any(r.measured is False for r in results):
        sentence = arg(
            translate("Evaluation", "%1 The energy figures are estimates, not meter readings."),
            sentence,
        )
    if any(r.details and r.details.get("energy_quiet") is False for r in results):
        sentence = arg(
            translate(
                "Evaluation",
                "%1 Some figures were measured while other programs kept the CPU busy: "
                "they are higher than on a quiet machine.",
            ),
            sentence,
        )
    return sentence


def eco_suggestion(store: Store, task: str) -> EvalResult | None:
    """The model eco mode suggests for `task`: the one on the task's Pareto front that uses
    the least energy per item (None before any evaluation with an energy figure). Whether
    eco mode is on is the caller's question (eco.eco_active)."""
    front = pareto_front(latest_results(store, task))
    return front[0] if front else None
