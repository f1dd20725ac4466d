"""Running a built-in evaluation on installed models, each item through the app's own task
code, metered like any reply, scored and stored so that a stopped run resumes.

Each item is one run of the TaskService a user's run goes through (`sentiment()` on one
text, `translate()` with the pair's languages named, `summarize()` at the "short" length),
so the prompts, the settings, the KV-cache re-use and the energy windows are those of a
user's run: every model call is metered by ModelHost's energy window and stored with its
generation record. The item's joules are the attributed joules of its calls, summed.

Those task runs are kept, with their energy, as conversations marked with the evaluation
run's id (Conversation.evaluation_run_id): the user's history (the conversation list,
the task pages' run lists, search) never shows them, and deleting the evaluation run deletes
them. The energy reports still count them: the energy was spent on this machine.

A run is found again by the model file's sha256, the task, the set's version (its format and
a hash of its items), the settings that decide the outputs and the number of items: the same
command after a stop (Ctrl+C, the window's Stop, a crash) does only the items not yet done;
a complete run is reported as stored, and `restart=True` begins a new one.

Which model: each named one, else each installed model not marked broken. A model that
cannot be loaded (or dies under an item) is reported in words (EvalModelFailed) and the
others go on.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from desktop_llm.core.config import Settings
from desktop_llm.core.energy.comparable import comparable
from desktop_llm.core.energy.conversation_cost import conversation_cost
from desktop_llm.core.energy.reading import REMOTE
from desktop_llm.core.errors import UserError
from desktop_llm.core.evaluation import scores
from desktop_llm.core.evaluation.datasets import (
    TASKS,
    EvalSet,
    SentimentItem,
    SummaryItem,
    Task,
    TranslationItem,
    load_set,
)
from desktop_llm.core.evaluation.results import EvalResult
from desktop_llm.core.i18n import arg, translate
from desktop_llm.core.model_host import ModelHost, ModelLoading, ModelReady
from desktop_llm.core.models.registry import InstalledModel
from desktop_llm.core.store import Energy, EvaluationItem, EvaluationRun, Store
from desktop_llm.core.tasks.events import TaskEnded, TaskEvent
from desktop_llm.core.tasks.service import TaskService

# What each task's score is (scores.py).
METRICS: dict[str, str] = {
    "sentiment": "macro_f1",
    "translate": "chrf",
    "summarize": "key_fact_recall",
}
SUMMARY_LENGTH = "short"  # the summaries' length: the task page's default


@dataclass(frozen=True)
class _Contention:
    contended: bool | None


@dataclass(frozen=True)
class EvalStarted:
    """A model's run begins, or resumes with `done` items already done."""

    model: str
    run_id: int
    total: int
    done: int
    resumed: bool


@dataclass(frozen=True)
class EvalItemDone:
    model: str
    done: int  # items done in the run, this one included
    total: int
    item_id: str
    score: float  # 0..1
    joules: float | None  # None: no energy record


@dataclass(frozen=True)
class EvalModelFailed:
    """A model could not be evaluated (not found, not loaded, crashed): the reason in
    words. What it did before is kept and resumed next time."""

    model: str
    reason: str


@dataclass(frozen=True)
class EvalModelEnded:
    """A model's run ended: complete, or stopped (then resumable). stored: a complete run
    found as it was, not run again."""

    result: EvalResult
    stored: bool = False


EvalEvent = (
    EvalStarted | EvalItemDone | EvalModelFailed | EvalModelEnded | ModelLoading | ModelReady
)


def dataset_version(dataset: EvalSet[Any]) -> str:
    """The set's format and a hash of its items: '1-3f2a9c0d1e4b'. A changed item makes
    another version, so results on different sets are never mixed up."""
    items = json.dumps([asdict(item) for item in dataset.items], ensure_ascii=False)
    return f"{dataset.version}-{hashlib.sha256(items.encode('utf-8')).hexdigest()[:12]}"


def item_score(item: Any, output: str) -> float:
    """One item's score, 0..1: the right label (sentiment), the sentence chrF / 100
    (translation), the share of key facts kept (summaries)."""
    if isinstance(item, SentimentItem):
        return 1.0 if scores.sentiment_label(output) == item.label else 0.0
    if isinstance(item, TranslationItem):
        return scores.chrf(output, item.references) / 100
    if isinstance(item, SummaryItem):
        return scores.summary_result(item, output).recall
    raise TypeError(f"not an evaluation item: {item!r}")


def aggregate(task: str, items: Sequence[Any], outputs: Sequence[str]) -> tuple[float, dict]:
    """The run's score (0..1) over `items` and the task's other figures."""
    if task == "sentiment":
        s = scores.sentiment_scores(items, outputs)
        return s.score, {
            "accuracy": s.accuracy,
            "macro_f1": s.macro_f1,
            "unanswered": s.unanswered,
        }
    if task == "translate":
        t = scores.translation_scores(items, outputs)
        return t.score, {"chrf": t.chrf, "by_direction": t.by_direction, "signature": t.signature}
    u = scores.summary_scores(items, outputs)
    return u.score, {
        "recall": u.recall,
        "facts_kept": u.facts_kept,
        "facts_total": u.facts_total,
        "length_ratio": u.length_ratio,
    }


def _joules(records: Sequence[Energy]) -> float | None:
    """An item's attributed joules; None when it has no record or any call was not measured
    here (a remote engine's: no figure, or an estimate from the user's watts that cannot be
    set against this computer's measurements)."""
    if not records or any(r.source == REMOTE or r.joules_attributed is None for r in records):
        return None
    return sum(r.joules_attributed or 0.0 for r in records)


class Evaluator:
    """Runs evaluations over one ModelHost (the app's one inference process). run() is a
    blocking generator of EvalEvents, driven by the CLI's main thread or the window's
    engine thread; cancel() may be called from any thread."""

    def __init__(self, settings: Settings, store: Store, host: ModelHost) -> None:
        self.settings = settings
        self.store = store
        self.host = host
        self._stop = threading.Event()
        self._service: TaskService | None = None

    def cancel(self) -> None:
        """Stop after (or during) the current item; what is done is kept."""
        self._stop.set()
        service = self._service
        if service is not None:
            service.cancel()

    def default_models(self) -> list[InstalledModel]:
        """Each installed model that is not marked broken."""
        return [m for m in self.host.registry.list() if m.broken is None]

    def settings_for(self, task: str) -> dict[str, Any]:
        """What decides a model's outputs on `task` besides the model: the engine's load
        settings (the model's own over the app's) and the task's settings."""
        loaded = self.host.engine.loaded
        assert loaded is not None, "prepare() first"
        spec = loaded.spec
        template = spec.chat_template
        values: dict[str, Any] = {
            "n_ctx": loaded.n_ctx,
            "n_threads": spec.n_threads,
            "n_gpu_layers": spec.n_gpu_layers,
            "chat_template": (
                hashlib.sha256(template.encode("utf-8")).hexdigest()[:16] if template else None
            ),
            "top_p": self.settings["generation.top_p"],
        }
        for option, value in self.settings.items():
            if option.name.startswith(f"{task}.") and not option.name.endswith(".default_model"):
                values[option.name] = value
        if task == "summarize":
            values["length"] = SUMMARY_LENGTH
        return values

    def run(
        self,
        task: Task,
        models: Sequence[str] | None = None,
        *,
        limit: int | None = None,
        restart: bool = False,
        dataset: EvalSet[Any] | None = None,
    ) -> Iterator[EvalEvent]:
        """Evaluate each of `models` (names or paths; default: default_models()) on the
        first `limit` items of the task's set (default: all)."""
        if task not in TASKS:
            raise UserError(
                arg(translate("Evaluation", "There is no evaluation for the task %1."), task)
            )
        self._stop.clear()
        dataset = dataset if dataset is not None else load_set(task)
        items = dataset.limited(limit)
        if not items:
            raise UserError(translate("Evaluation", "There are no items to evaluate."))
        names = list(models) if models else [str(m.path) for m in self.default_models()]
        if not names:
            raise UserError(
                translate(
                    "Evaluation",
                    "No model to evaluate: none is installed, or every one is marked broken.",
                )
            )
        for name in names:
            if self._stop.is_set():
                break
            yield from self._run_model(task, name, dataset, items, restart)

    def _run_model(
        self,
        task: Task,
        name: str,
        dataset: EvalSet[Any],
        items: Sequence[Any],
        restart: bool,
    ) -> Iterator[EvalEvent]:
        try:
            model = self.host.registry.resolve(name)
            yield from self.host.prepare(str(model.path), task=task)
        except UserError as exc:
            yield EvalModelFailed(name, str(exc))
            return
        run, resumed = self._find_or_start(task, model, dataset, items, restart)
        if run.status == "complete":
            yield EvalModelEnded(EvalResult.of(run), stored=True)
            return
        done = {item.item_id for item in self.store.evaluation_items(run.id)}
        yield EvalStarted(model.name, run.id, len(items), len(done), resumed)
        service = TaskService(self.settings, self.store, self.host, evaluation_run_id=run.id)
        self._service = service
        failure: str | None = None
        try:
            for item in items:
                if item.id in done:
                    continue
                if self._stop.is_set():
                    break
                stored = self._run_item(service, task, model, run.id, item)
                if stored is None:  # stopped mid-item: nothing kept of it
                    break
                if isinstance(stored, str):
                    failure = stored
                    break
                done.add(item.id)
                yield EvalItemDone(
                    model.name, len(done), len(items), item.id, stored.score, stored.joules
                )
        except UserError as exc:  # the model could not be loaded again
            failure = str(exc)
        finally:
            # Whatever ends the loop (done, Stop, Ctrl+C, a failure), the run keeps what
            # was done and says how it ended.
            self._service = None
            result = self._finish(run.id, task, items)
        if failure is not None:
            yield EvalModelFailed(model.name, failure)
        yield EvalModelEnded(result)

    def _find_or_start(
        self,
        task: Task,
        model: InstalledModel,
        dataset: EvalSet[Any],
        items: Sequence[Any],
        restart: bool,
    ) -> tuple[EvaluationRun, bool]:
        """The run to resume (or the complete one to report), else a new one."""
        settings = self.settings_for(task)
        key = hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:16]
        sha256 = self.host.sha256(model)
        version = dataset_version(dataset)
        if not restart:
            found = self.store.find_evaluation_run(task, sha256, version, key, len(items))
            if found is not None:
                if found.status != "complete":
                    self.store.set_evaluation_status(found.id, "running")
                return found, True
        loaded = self.host.engine.loaded
        assert loaded is not None
        run = EvaluationRun(
            task=task,
            model=model.name,
            model_file=model.path.name,
            model_sha256=sha256,
            quantization=self.host.info(model).quantization,
            dataset_version=version,
            settings=settings,
            settings_key=key,
            items=len(items),
            metric=METRICS[task],
            threads=loaded.spec.n_threads,
            device=loaded.device,
        )
        return self.store.start_evaluation_run(run), False

    def _run_item(
        self, service: TaskService, task: Task, model: InstalledModel, run_id: int, item: Any
    ) -> EvaluationItem | str | None:
        """One item through the task's service: the stored item; None when it was stopped
        (nothing kept); the reason in words when the inference process died under it."""
        path = str(model.path)
        events: Iterator[TaskEvent]
        if task == "sentiment":
            events = service.sentiment(item.text, model=path)
        elif task == "translate":
            events = service.translate(
                item.source, target=item.target_lang, source=item.source_lang, model=path
            )
        else:
            events = service.summarize(item.text, length=SUMMARY_LENGTH, model=path)
        started = time.perf_counter()
        ended: TaskEnded | None = None
        for event in events:
            if isinstance(event, TaskEnded):
                ended = event
        seconds = time.perf_counter() - started
        assert ended is not None
        if ended.status == "stopped" or self._stop.is_set():
            return None
        if ended.status == "interrupted":
            return ended.error or translate("Evaluation", "The inference process stopped.")
        records = conversation_cost(self.store, ended.conversation_id).records
        sources = sorted({r.source for r in records})
        stored = EvaluationItem(
            item_id=item.id,
            output=ended.output,
            score=item_score(item, ended.output),
            joules=_joules(records),
            seconds=seconds,
            measured=all(r.measured for r in records) if records else None,
            meter_source=", ".join(sources) if sources else None,
            error=ended.error,
            conversation_id=ended.conversation_id,
        )
        return self.store.add_evaluation_item(run_id, stored)

    def _contention(self, item: EvaluationItem) -> _Contention:
        """Whether any of the item's model calls was measured under contention (None: no
        figure, an energy record from before migration 0007)."""
        if item.conversation_id is None:
            return _Contention(None)
        flags = [r.contended for r in conversation_cost(self.store, item.conversation_id).records]
        if any(flags):
            return _Contention(True)
        return _Contention(None if any(f is None for f in flags) else False)

    def _finish(self, run_id: int, task: str, items: Sequence[Any]) -> EvalResult:
        """The run's figures over every item done (this time and before), and its status."""
        done = {i.item_id: i for i in self.store.evaluation_items(run_id)}
        chosen = [item for item in items if item.id in done]
        score: float | None = None
        details: dict[str, Any] | None = None
        if chosen:
            score, details = aggregate(task, chosen, [done[item.id].output for item in chosen])
        metered = [i for i in done.values() if i.joules is not None]
        sources = sorted({s for i in metered if i.meter_source for s in i.meter_source.split(", ")})
        # Items measured while other programs kept the CPUs busy cost more than on a quiet
        # machine: the figure is the quiet items' mean, or, when there are none, every
        # item's, and `details` says which (the sentence under the chart says so too).
        quiet = comparable(metered, energy=self._contention).records
        basis = quiet or metered
        if metered:
            details = {
                **(details or {}),
                "energy_items": len(basis),
                "energy_contended_items": len(metered) - len(quiet),
                "energy_quiet": bool(quiet),
            }
        run = self.store.finish_evaluation_run(
            run_id,
            "complete" if len(chosen) == len(items) else "stopped",
            score=score,
            details=details,
            joules_per_item=(sum(i.joules or 0.0 for i in basis) / len(basis) if basis else None),
            measured=all(bool(i.measured) for i in metered) if metered else None,
            meter_source=", ".join(sources) if sources else None,
        )
        return EvalResult.of(self.store.get_evaluation_run(run.id))
