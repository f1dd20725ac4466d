"""desktop-llm: the window with no arguments, a headless front end with sub-commands.

Exit status: 0 on success, 1 with one line on stderr for anything the user can fix,
2 for a malformed command line (argparse), 130 when interrupted.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import sys
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any, TextIO

from desktop_llm import __version__
from desktop_llm.cli_energy import add_energy_parser, cmd_energy, run_energy
from desktop_llm.cli_models import add_models_parser, cmd_models
from desktop_llm.cli_output import print_json
from desktop_llm.core.chat_events import (
    ChatEvent,
    ModelLoading,
    ModelReady,
    ReplyEnded,
    ReplyStarted,
    ReplyText,
)
from desktop_llm.core.energy.wording import cost_line
from desktop_llm.core.engine.protocol import SamplingParams
from desktop_llm.core.errors import UserError
from desktop_llm.core.services import Services, open_services
from desktop_llm.core.store import generation_as_dict
from desktop_llm.core.tasks.batch_input import read_batch_file, write_results_csv
from desktop_llm.core.tasks.events import TaskEnded, TaskEvent, TaskProgress
from desktop_llm.core.tasks.text_files import decode_bytes, read_text_file

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="desktop-llm",
        description="Local language models on your desktop. With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("gui", help="open the window (the default)")

    chat = sub.add_parser("chat", help="chat with a model; streams the reply to stdout")
    chat.add_argument("prompt", nargs="?", help="the message ('-' reads it from stdin)")
    chat.add_argument(
        "-i",
        "--interactive",
        action="store_true",
        help="read one message per line from stdin, all in one conversation",
    )
    chat.add_argument("-m", "--model", help="installed model name, or a path to a .gguf file")
    chat.add_argument(
        "-c", "--conversation", type=int, metavar="ID", help="continue this conversation"
    )
    chat.add_argument("-s", "--system", help="system prompt for a new conversation")
    chat.add_argument("--max-tokens", type=int, metavar="N", help="longest reply, in tokens")
    chat.add_argument("--temperature", type=float, help="sampling temperature (0 = greedy)")
    chat.add_argument("--seed", type=int, help="random seed, for repeatable replies")
    chat.add_argument("--json", action="store_true", help="print one JSON object per reply")

    history = sub.add_parser("history", help="list, show, search and export conversations")
    hsub = history.add_subparsers(dest="history_command", metavar="ACTION", required=True)
    hl = hsub.add_parser("list", help="list conversations, newest first")
    hl.add_argument("--json", action="store_true")
    hs = hsub.add_parser("show", help="print one conversation")
    hs.add_argument("id", type=int)
    hs.add_argument("--json", action="store_true")
    hq = hsub.add_parser("search", help="full-text search over every message")
    hq.add_argument("query")
    hq.add_argument("--json", action="store_true")
    he = hsub.add_parser("export", help="export a conversation as Markdown or JSON")
    he.add_argument("id", type=int)
    he.add_argument("--format", choices=("md", "json"), default="md")

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

    summarize = sub.add_parser("summarize", help="summarize a text or a file of any length")
    summarize.add_argument("text", nargs="?", help="the text ('-' reads it from stdin)")
    summarize.add_argument("--length", choices=("sentence", "short", "bullets"), default="short")
    _add_task_options(summarize)

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

    add_models_parser(sub)
    add_energy_parser(sub)
    return parser


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
    tty = err.isatty()
    for event in events:
        if isinstance(event, TaskProgress) and tty:
            err.write(f"\r\x1b[K{event.label} ({event.done}/{event.total})")
            err.flush()
        elif isinstance(event, TaskEnded):
            ended = event
    if tty:
        err.write("\r\x1b[K")
    assert ended is not None
    if ended.error:
        err.write(ended.error + "\n")
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
        "energy": run_energy(services, ended.conversation_id),
    }


def _print_task(ended: TaskEnded, services: Services, as_json: bool, out: TextIO) -> None:
    if as_json:
        print_json(_task_json(ended, services), out)
    else:
        out.write(ended.output.rstrip("\n") + "\n")
        out.flush()


def _reply_json(services: Services, conversation_id: int, ended: ReplyEnded) -> dict[str, Any]:
    generation = services.store.generation_for(ended.message_id)
    return {
        "conversation_id": conversation_id,
        "message_id": ended.message_id,
        "status": ended.status,
        "content": ended.content,
        "model": ended.model_name,
        "device": ended.device,
        "error": ended.error,
        "stats": asdict(ended.stats) if ended.stats else None,
        "generation": (
            None
            if generation is None
            else generation_as_dict(generation, services.store.energy_for(ended.message_id))
        ),
    }


def _run_turn(
    services: Services,
    events: Iterator[ChatEvent],
    conversation_id: int | None,
    as_json: bool,
    out: TextIO,
    err: TextIO,
) -> tuple[int, ReplyEnded]:
    """Drive one turn; stream text (or collect it for JSON). Returns the conversation id."""
    ended: ReplyEnded | None = None
    try:
        for event in events:
            if isinstance(event, ModelLoading) and err.isatty():
                err.write(f"Loading {event.model_name}…\n")
            elif isinstance(event, ModelReady) and err.isatty():
                err.write(f"Ready on {event.device} in {event.load_ms / 1000:.1f} s.\n")
            elif isinstance(event, ReplyText) and not as_json:
                out.write(event.text)
                out.flush()
            elif isinstance(event, ReplyEnded):
                ended = event
            elif isinstance(event, ReplyStarted):
                conversation_id = event.conversation_id
    except KeyboardInterrupt:
        services.chat.cancel()
        for event in events:  # let the service store the partial reply as stopped
            if isinstance(event, ReplyEnded):
                ended = event
        raise
    assert ended is not None and conversation_id is not None
    if as_json:
        print_json(_reply_json(services, conversation_id, ended), out)
    else:
        out.write("\n")
        out.flush()
        if ended.energy is not None and err.isatty():
            speed = ended.stats.tokens_per_second if ended.stats is not None else None
            err.write(f"[{cost_line(ended.energy, speed)}]\n")
    if ended.error:
        err.write(ended.error + "\n")
    return conversation_id, ended


def cmd_chat(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    base = services.chat.sampling()
    params = SamplingParams(
        temperature=base.temperature if args.temperature is None else args.temperature,
        top_p=base.top_p,
        max_tokens=base.max_tokens if args.max_tokens is None else args.max_tokens,
        seed=args.seed,
    )
    if params.max_tokens < 1:
        raise UserError("--max-tokens must be at least 1.")
    conversation_id: int | None = args.conversation
    if conversation_id is not None:
        services.store.get_conversation(conversation_id)  # unknown id: a clear error first
    if args.model:
        services.chat.resolve_model(args.model)

    def turn(text: str) -> int:
        nonlocal conversation_id
        events = services.chat.send(
            conversation_id, text, model=args.model, system_prompt=args.system, params=params
        )
        conversation_id, ended = _run_turn(services, events, conversation_id, args.json, out, err)
        return 0 if ended.status in ("complete", "stopped") else 1

    if args.interactive:
        status = 0
        for line in sys.stdin:
            text = line.rstrip("\n")
            if text.strip():
                status = max(status, turn(text))
        return status
    prompt = args.prompt
    if prompt is None:
        raise UserError("Give a message to send, '-' to read it from stdin, or -i.")
    if prompt == "-":
        prompt = sys.stdin.read()
    return turn(prompt)


def cmd_history(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    store = services.store
    action = args.history_command
    if action == "list":
        rows = store.list_conversations()
        if args.json:
            print_json(
                [
                    {
                        "id": c.id,
                        "title": c.title,
                        "task": c.task,
                        "model": c.model,
                        "created_at": c.created_at,
                        "updated_at": c.updated_at,
                    }
                    for c in rows
                ],
                out,
            )
        else:
            for c in rows:
                out.write(f"{c.id:>5}  {c.updated_at:%Y-%m-%d %H:%M}  {c.title}\n")
    elif action == "show":
        if args.json:
            out.write(store.export_conversation(args.id, "json") + "\n")
        else:
            conversation = store.get_conversation(args.id)
            out.write(f"# {conversation.title}\n")
            for m in store.messages(args.id):
                note = "" if m.status == "complete" else f" ({m.status})"
                out.write(f"\n[{m.role}{note}]\n{m.content}\n")
    elif action == "search":
        hits = store.search(args.query)
        if args.json:
            print_json([asdict(h) for h in hits], out)
        else:
            for h in hits:
                out.write(f"{h.conversation_id:>5}  {h.conversation_title}: {h.snippet}\n")
    elif action == "export":
        out.write(store.export_conversation(args.id, args.format))
        if args.format != "json":
            out.write("\n")
    return 0


def run_gui() -> int:
    from desktop_llm.app import run_app  # Qt is imported only when the window is wanted

    return run_app()


def main(argv: Sequence[str] | None = None) -> int:
    # A frozen build (installer/) re-enters here in the spawned inference process.
    multiprocessing.freeze_support()
    args = build_parser().parse_args(argv)
    if args.command in (None, "gui"):
        return run_gui()
    out, err = sys.stdout, sys.stderr
    services: Services | None = None
    try:
        services = open_services()
        if args.command == "chat":
            return cmd_chat(args, services, out, err)
        if args.command == "history":
            return cmd_history(args, services, out)
        if args.command == "models":
            return cmd_models(args, services, out, err)
        if args.command == "translate":
            return cmd_translate(args, services, out, err)
        if args.command == "summarize":
            return cmd_summarize(args, services, out, err)
        if args.command == "sentiment":
            return cmd_sentiment(args, services, out, err)
        if args.command == "energy":
            return cmd_energy(args, services, out)
        raise AssertionError(args.command)
    except UserError as exc:
        err.write(f"desktop-llm: {exc}\n")
        return 1
    except KeyboardInterrupt:
        err.write("\ndesktop-llm: stopped.\n")
        return 130
    except BrokenPipeError:
        return 0  # output piped into head & co.
    except Exception as exc:
        log.exception("unexpected error in %s", args.command)
        err.write(
            f"desktop-llm: unexpected error ({type(exc).__name__}: {exc}); "
            "details are in the log file.\n"
        )
        return 1
    finally:
        if services is not None:
            services.close()
