"""`desktop-llm translate | summarize | sentiment`: the task services, headless, with a
progress line on stderr when it is a terminal."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from desktop_llm.cli.command import Subparsers, add_overwrite_option
from desktop_llm.cli.output import ProgressLine, print_json
from desktop_llm.cli.text_input import argument_text, stdin_text
from desktop_llm.core.energy.conversation_cost import conversation_cost
from desktop_llm.core.errors import UserError
from desktop_llm.core.output_files import OutputExists, check_output_file
from desktop_llm.core.services import Services
from desktop_llm.core.tasks.batch_input import CsvBatch, export_results, read_batch
from desktop_llm.core.tasks.events import TaskEnded, TaskEvent, TaskProgress, TaskStarted
from desktop_llm.core.tasks.outcome import Outcome, warning
from desktop_llm.core.text_files import read_text_file


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
        "--header",
        action=argparse.BooleanOptionalAction,
        help="whether the CSV file's first row names its columns (default: decided from "
        "the file, and said); without a header, --column takes a column number",
    )
    sentiment.add_argument(
        "--csv",
        type=Path,
        metavar="OUT",
        help="write the results as CSV (input columns + label, p_*); OUT is checked "
        "before the run and written whole at the end",
    )
    add_overwrite_option(sentiment, "OUT")
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
        return stdin_text(), None
    return argument_text(args.text), None


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
        rows, csv_batch = read_batch(args.file, args.column, args.header)
        if csv_batch is not None:
            err.write(_how_csv_was_read(args.file, csv_batch) + "\n")
    elif args.column or args.header is not None:
        raise UserError("--column and --header need a CSV --file.")
    else:
        rows, csv_batch = [], None
    # The output file is checked before the run (which may take hours), never the input.
    target = None
    if args.csv is not None:
        inputs = [args.file] if args.file is not None else []
        target = check_output_file(args.csv, inputs=inputs, overwrite=args.overwrite)
    if args.file is not None and args.text is None:
        events = services.tasks.sentiment_batch(
            rows,
            source_name=args.file.name,
            column=csv_batch.column if csv_batch is not None else None,
            model=args.model,
        )
    else:
        text, _ = _task_input(args)
        events = services.tasks.sentiment(text, model=args.model)
    started: list[int] = []
    try:
        ended = _run_task(_noting_the_run(events, started), err)
    except KeyboardInterrupt:
        if started:  # what was classified is stored, in batches: say how to get it
            err.write(f"\ndesktop-llm: the results so far are kept; {_export_hint(started[0])}\n")
        raise
    items = services.store.sentiment_items(ended.conversation_id)
    failed: str | None = None
    if target is not None:
        try:
            export_results(services.store, ended.conversation_id, target, overwrite=args.overwrite)
        except OutputExists:
            failed = (
                f"{target} appeared during the run and was left alone; "
                f"{_export_hint(ended.conversation_id)}"
            )
        except UserError as exc:
            failed = f"{exc} The results are kept; {_export_hint(ended.conversation_id)}"
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
                f"{i.label}\t{_p(i.p_positive)}\t{_p(i.p_negative)}\t{_p(i.p_neutral)}"
                f"\t{' '.join(i.text.split())[:200]}\n"
            )
    if failed is not None:
        err.write(f"desktop-llm: {failed}\n")
        return 1
    return _task_exit(ended)


def _p(probability: float | None) -> str:
    """A probability in the table; a dash where the engine gave none."""
    return "—" if probability is None else f"{probability:.3f}"


def _noting_the_run(events: Iterator[TaskEvent], started: list[int]) -> Iterator[TaskEvent]:
    for event in events:
        if isinstance(event, TaskStarted):
            started.append(event.conversation_id)
        yield event


def _export_hint(conversation_id: int) -> str:
    return f"write them with: desktop-llm history export {conversation_id} -o FILE.csv"


def _how_csv_was_read(path: Path, batch: CsvBatch) -> str:
    """One line on stderr, so that no row is taken as the header (or the header as a row)
    without a word: the choice, and the flag that makes the other one."""
    count = f"{len(batch.rows)} row{'s' if len(batch.rows) != 1 else ''}"
    if batch.header:
        how = f"the first row names the columns ({', '.join(batch.columns)}); --no-header if not"
    else:
        how = "the first row is data, not a header; --header if it names the columns"
    return f"{path.name}: {count} to classify in column {batch.column!r}; {how}."


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
