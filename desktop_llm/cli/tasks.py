"""`desktop-llm translate | summarize | sentiment`: the task services, headless, with a
progress line on stderr when it is a terminal."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from desktop_llm.cli.command import Subparsers
from desktop_llm.cli.output import ProgressLine, print_json
from desktop_llm.core.energy.conversation_cost import conversation_cost
from desktop_llm.core.errors import UserError
from desktop_llm.core.services import Services
from desktop_llm.core.tasks.batch_input import read_batch_file, write_results_csv
from desktop_llm.core.tasks.events import TaskEnded, TaskEvent, TaskProgress
from desktop_llm.core.tasks.outcome import Outcome, warning
from desktop_llm.core.text_files import decode_bytes, read_text_file


def add_parsers(sub: Subparsers) -> None:
    translate = sub.add_parser("translate", help="translate a text or a file")
    translate.add_argument("text", nargs="?", help="the text ('-' reads it from stdin)")
    translate.add_argument("--to", required=True, metavar="LANG", help="target language")
    translate.add_argument(
        "--from",
        dest="source",
        default="auto",
        metavar="LANG",
        help="source language (default: detect)",
    )
    _add_task_options(translate)
    translate.set_defaults(run=cmd_translate)

    summarize = sub.add_parser("summarize", help="summarize a text or a file of any length")
    summarize.add_argument("text", nargs="?", help="the text ('-' reads it from stdin)")
    summarize.add_argument("--length", choices=("sentence", "short", "bullets"), default="short")
    _add_task_options(summarize)
    summarize.set_defaults(run=cmd_summarize)

    sentiment = sub.add_parser(
        "sentiment",
        help="positive, negative or neutral, with "
        "probabilities; a file classifies each line or CSV row",
    )
    sentiment.add_argument("text", nargs="?", help="the text ('-' reads it from stdin)")
    sentiment.add_argument("--column", help="the CSV column to classify")
    sentiment.add_argument(
        "--csv",
        type=Path,
        metavar="OUT",
        help="write the results as CSV (input columns + label, p_*)",
    )
    _add_task_options(sentiment)
    sentiment.set_defaults(run=cmd_sentiment)


def _add_task_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--file",
        type=Path,
        metavar="F",
        help="read the input from a file (UTF-8, GBK/GB18030, Big5, ...)",
    )
    parser.add_argument("-m", "--model", help="installed model name, or a path to a .gguf file")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def _task_input(args: argparse.Namespace) -> tuple[str, str | None]:
    """The text to work on and, for a file, its name."""
    if args.file is not None and args.text is not None:
        raise UserError("Give either a text or --file, not both.")
    if args.file is not None:
        return read_text_file(args.file).text, args.file.name
    if args.text is None:
        raise UserError("Give a text, '-' to read it from stdin, or --file.")
    if args.text == "-":
        return decode_bytes(sys.stdin.buffer.read()).text, None
    return args.text, None


def _run_task(events: Iterator[TaskEvent], err: TextIO) -> TaskEnded:
    """Drive a task run, with progress on stderr when it is a terminal."""
    ended: TaskEnded | None = None
    progress = ProgressLine(err)
    for event in events:
        if isinstance(event, TaskProgress):
            progress.show(f"{event.label} ({event.done}/{event.total})")
        elif isinstance(event, TaskEnded):
            ended = event
    progress.clear()
    assert ended is not None
    if ended.error:
        err.write(ended.error + "\n")
    # A run that completed but failed in substance (untranslated, copied, unsure) says so,
    # on stderr: stdout stays the result, for pipes.
    said = warning(Outcome.from_dict((ended.summary or {}).get("outcome")))
    if said:
        err.write(said + "\n")
    return ended


def _task_exit(ended: TaskEnded) -> int:
    return 0 if ended.status in ("complete", "stopped") else 1


def cmd_translate(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    text, _ = _task_input(args)
    ended = _run_task(
        services.tasks.translate(text, target=args.to, source=args.source, model=args.model),
        err,
    )
    _print_task(ended, services, args.json, out)
    return _task_exit(ended)


def cmd_summarize(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    text, name = _task_input(args)
    events = services.tasks.summarize(text, length=args.length, source_name=name, model=args.model)
    ended = _run_task(events, err)
    _print_task(ended, services, args.json, out)
    return _task_exit(ended)


def cmd_sentiment(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    if args.file is not None and args.text is None:
        rows = read_batch_file(args.file, args.column)
        events = services.tasks.sentiment_batch(
            rows, source_name=args.file.name, column=args.column, model=args.model
        )
    else:
        if args.column:
            raise UserError("--column needs a CSV --file.")
        text, _ = _task_input(args)
        events = services.tasks.sentiment(text, model=args.model)
    ended = _run_task(events, err)
    items = services.store.sentiment_items(ended.conversation_id)
    if args.csv is not None:
        with args.csv.open("w", encoding="utf-8", newline="") as f:
            write_results_csv(f, items)
    if args.json:
        print_json(
            _task_json(ended, services)
            | {
                "items": [
                    {
                        "position": i.position,
                        "text": i.text,
                        "label": i.label,
                        "p_positive": i.p_positive,
                        "p_negative": i.p_negative,
                        "p_neutral": i.p_neutral,
                    }
                    for i in items
                ]
            },
            out,
        )
    else:
        for i in items:
            out.write(
                f"{i.label}\t{i.p_positive:.3f}\t{i.p_negative:.3f}\t{i.p_neutral:.3f}"
                f"\t{' '.join(i.text.split())[:200]}\n"
            )
    return _task_exit(ended)


def _task_json(ended: TaskEnded, services: Services) -> dict[str, Any]:
    return {
        "conversation_id": ended.conversation_id,
        "status": ended.status,
        "output": ended.output,
        "error": ended.error,
        "summary": ended.summary,
        "energy": conversation_cost(services.store, ended.conversation_id).as_dict(),
    }


def _print_task(ended: TaskEnded, services: Services, as_json: bool, out: TextIO) -> None:
    if as_json:
        print_json(_task_json(ended, services), out)
    else:
        out.write(ended.output.rstrip("\n") + "\n")
        out.flush()
