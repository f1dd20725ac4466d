"""`desktop-llm eval --task sentiment|translate|summarize`: the built-in mini evaluations on
installed models, each item metered like any reply; results stored, a stopped run resumed
by the same command (core/evaluation/runner.py)."""

from __future__ import annotations

import argparse
from typing import TextIO

from desktop_llm.cli.command import Subparsers
from desktop_llm.cli.output import ProgressLine, print_json
from desktop_llm.cli.remote_models import refuse_remote
from desktop_llm.core.energy.report import format_joules
from desktop_llm.core.evaluation.datasets import TASKS
from desktop_llm.core.evaluation.results import EvalResult, front_sentence
from desktop_llm.core.evaluation.runner import (
    EvalItemDone,
    EvalModelEnded,
    EvalModelFailed,
    EvalStarted,
    Evaluator,
)
from desktop_llm.core.model_host import ModelLoading
from desktop_llm.core.services import Services


def add_parsers(sub: Subparsers) -> None:
    parser = sub.add_parser(
        "eval",
        help="score installed models on a built-in mini evaluation, with the energy per "
        "item (small checks, not benchmarks)",
        description="Run a task's built-in mini evaluation on each named model (default: "
        "each installed model not marked broken), metering every item like any reply. "
        "Results are stored; a stopped run (Ctrl+C) is resumed by the same command.",
    )
    parser.add_argument("--task", required=True, choices=TASKS)
    parser.add_argument(
        "-m",
        "--model",
        dest="models",
        nargs="+",
        action="extend",
        metavar="M",
        help="installed model names or .gguf paths (default: every installed model)",
    )
    parser.add_argument(
        "--limit",
        type=int,
        metavar="N",
        help="only the first N items (the sets interleave languages and labels)",
    )
    parser.add_argument(
        "--restart",
        action="store_true",
        help="begin again instead of resuming (or reporting) the stored run",
    )
    parser.add_argument("--json", action="store_true", help="print each model's result as JSON")
    parser.set_defaults(run=cmd_eval)


def cmd_eval(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    if args.limit is not None and args.limit < 1:
        err.write("desktop-llm: --limit must be 1 or more.\n")
        return 2
    for name in args.models or ():
        refuse_remote(services, name, "evaluations need a model on this computer.")
    evaluator = Evaluator(services.settings, services.store, services.host)
    results: list[EvalResult] = []
    failed: list[str] = []
    progress = ProgressLine(err)
    current: EvalStarted | None = None
    try:
        for event in evaluator.run(args.task, args.models, limit=args.limit, restart=args.restart):
            if isinstance(event, ModelLoading):
                progress.show(f"{event.model_name}: loading")
            elif isinstance(event, EvalStarted):
                current = event
                progress.clear()
                err.write(_started(event, args.task))
                progress.show(f"{event.model}: item {event.done}/{event.total}")
            elif isinstance(event, EvalItemDone):
                progress.show(f"{event.model}: item {event.done}/{event.total}")
            elif isinstance(event, EvalModelFailed):
                progress.clear()
                err.write(f"desktop-llm: {event.model} was not evaluated: {event.reason}\n")
                failed.append(event.model)
            elif isinstance(event, EvalModelEnded):
                progress.clear()
                current = None
                results.append(event.result)
                if event.stored:
                    err.write(_stored(event.result))
    except KeyboardInterrupt:
        progress.clear()
        if current is not None:  # the run that was going on, as stored when it stopped
            stopped = EvalResult.of(services.store.get_evaluation_run(current.run_id))
            results.append(stopped)
            err.write(
                f"\ndesktop-llm: stopped; {stopped.items_done} of {stopped.items} items of "
                f"{stopped.model} are kept. Run the same command again to resume "
                "(--restart begins again).\n"
            )
        else:
            err.write("\ndesktop-llm: stopped.\n")
        _print(results, args, out)
        return 130
    _print(results, args, out)
    return 1 if failed else 0


def _started(event: EvalStarted, task: str) -> str:
    if event.resumed and event.done:
        return (
            f"{event.model}: resuming the {task} evaluation, {event.done} of {event.total} "
            "items already done (--restart begins again).\n"
        )
    return f"{event.model}: {task} evaluation, {event.total} items.\n"


def _stored(result: EvalResult) -> str:
    when = result.finished_at.strftime("%Y-%m-%d %H:%M") if result.finished_at else "?"
    return (
        f"{result.model}: already evaluated with these settings ({when} UTC); "
        "the stored result is shown (--restart runs it again).\n"
    )


def _energy(result: EvalResult) -> str:
    if result.joules_per_item is None:
        return "not metered"
    text = format_joules(result.joules_per_item)
    return text if result.measured else f"{text} (estimate)"


def _print(results: list[EvalResult], args: argparse.Namespace, out: TextIO) -> None:
    if args.json:
        for result in results:
            print_json(result.as_dict(), out)
        return
    if not results:
        return
    rows = [("model", "score", "metric", "items", "energy per item", "seconds", "status")]
    for r in results:
        name = (
            r.model
            if not r.quantization or r.quantization in r.model
            else f"{r.model} {r.quantization}"
        )
        rows.append(
            (
                name,
                f"{r.score:.2f}" if r.score is not None else "-",
                r.metric,
                f"{r.items_done}/{r.items}",
                _energy(r),
                f"{r.seconds:.1f}",
                r.status,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        out.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        out.write("\n")
    sentence = front_sentence(args.task, [r for r in results if r.status == "complete"])
    if sentence and len(results) > 1:
        out.write("\n" + sentence + "\n")
    out.flush()
