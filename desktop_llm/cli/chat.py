"""`desktop-llm chat` and `desktop-llm history list | show | search | export`: conversations,
headless, in the same database as the window."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import itertools
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any, TextIO

from desktop_llm.cli.command import Subparsers, add_overwrite_option
from desktop_llm.cli.output import print_json
from desktop_llm.cli.text_input import argument_text, stdin_lines, stdin_text
from desktop_llm.core.chat.attachments import AttachedFile, read_attachment
from desktop_llm.core.chat.chat_settings import check_sampling
from desktop_llm.core.chat.events import ChatEvent, ReplyEnded, ReplyStarted, ReplyText
from desktop_llm.core.chat.export import EXPORT_FORMATS, export_text, format_for_path, write_export
from desktop_llm.core.chat.service import MessageNotSaved
from desktop_llm.core.energy.wording import cost_line
from desktop_llm.core.errors import UserError
from desktop_llm.core.model_host import ModelLoading, ModelReady
from desktop_llm.core.output_files import check_output_file
from desktop_llm.core.services import Services
from desktop_llm.core.store import Energy, Generation, generation_as_dict, write_failure
from desktop_llm.core.tasks.batch_input import export_results, sentiment_results, write_results_csv


def add_parsers(sub: Subparsers) -> None:
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
    # The conversation's own settings, as the window's chat settings panel sets them: kept
    # with the conversation, so a later `-c ID` (or the window) goes on with them.
    chat.add_argument(
        "-s", "--system", help="system prompt of the conversation (a new one, or the one of -c)"
    )
    chat.add_argument(
        "-a",
        "--attach",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="attach a text file or a PDF to the (first) message; repeat for more files",
    )
    chat.add_argument("--max-tokens", type=int, metavar="N", help="longest reply, in tokens")
    chat.add_argument("--temperature", type=float, help="sampling temperature (0 = greedy)")
    chat.add_argument("--top-p", type=float, metavar="P", help="nucleus sampling (0-1)")
    chat.add_argument("--seed", type=int, help="random seed, for repeatable replies")
    chat.add_argument("--json", action="store_true", help="print one JSON object per reply")
    chat.set_defaults(run=cmd_chat)

    history = sub.add_parser("history", help="list, show, search and export conversations")
    hsub = history.add_subparsers(metavar="ACTION", required=True)
    hl = hsub.add_parser("list", help="list conversations, newest first")
    hl.add_argument("--json", action="store_true")
    hl.set_defaults(run=_history_list)
    hs = hsub.add_parser("show", help="print one conversation")
    hs.add_argument("id", type=int)
    hs.add_argument("--json", action="store_true")
    hs.set_defaults(run=_history_show)
    hq = hsub.add_parser("search", help="full-text search over every message")
    hq.add_argument("query")
    hq.add_argument("--json", action="store_true")
    hq.set_defaults(run=_history_search)
    he = hsub.add_parser(
        "export",
        help="export a conversation as Markdown or JSON, or a sentiment run's results as CSV",
    )
    he.add_argument("id", type=int)
    he.add_argument(
        "--format",
        choices=(*EXPORT_FORMATS, "csv"),
        help="md (the default), json, or csv for a sentiment run; with -o, the file's "
        "suffix chooses",
    )
    he.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of stdout"
    )
    add_overwrite_option(he, "FILE")
    he.set_defaults(run=_history_export)


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


class _CtrlC:
    """SIGINT during a turn. While a reply streams, the first Ctrl+C stops it as the window's
    Stop button does: the worker stops between tokens, the reply is kept as stopped with the
    text printed so far, and the command then exits 130. A second Ctrl+C (or one while no
    reply streams) ends the command at once; _run_turn still keeps the printed text."""

    def __init__(self, cancel: Callable[[], None]) -> None:
        self.cancel = cancel
        self.pressed = 0
        self.replying = False

    def __call__(self, signum: int, frame: object) -> None:
        self.pressed += 1
        if self.pressed > 1 or not self.replying:
            raise KeyboardInterrupt
        # cancel() takes locks the interrupted code may be holding: a thread of its own.
        threading.Thread(target=self.cancel, name="ctrl-c", daemon=True).start()


@contextlib.contextmanager
def _ctrl_c(cancel: Callable[[], None]) -> Iterator[_CtrlC]:
    handler = _CtrlC(cancel)
    if threading.current_thread() is not threading.main_thread():
        yield handler  # signals reach the main thread only (cli.main() run from a test thread)
        return
    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield handler
    finally:
        signal.signal(signal.SIGINT, previous)


def _run_turn(
    services: Services,
    events: Iterator[ChatEvent],
    conversation_id: int | None,
    as_json: bool,
    out: TextIO,
    err: TextIO,
) -> tuple[int, ReplyEnded]:
    """Drive one turn; stream text (or collect it for JSON). Returns the conversation id.
    Raises KeyboardInterrupt after Ctrl+C, once the reply is stored as stopped."""
    ended: ReplyEnded | None = None
    reply_id: int | None = None
    shown: list[str] = []  # the reply's text as far as the terminal has it
    with _ctrl_c(services.chat.cancel) as ctrl_c:
        try:
            for event in events:
                if isinstance(event, ModelLoading) and err.isatty():
                    again = (
                        " again (it was unloaded to save memory)" if event.again_after_idle else ""
                    )
                    err.write(f"Loading {event.model_name}{again}…\n")
                elif isinstance(event, ModelReady) and err.isatty():
                    err.write(f"Ready on {event.device} in {event.load_ms / 1000:.1f} s.\n")
                elif isinstance(event, ReplyText):
                    if not as_json:
                        out.write(event.text)
                        out.flush()
                    shown.append(event.text)
                elif isinstance(event, ReplyEnded):
                    ended = event
                    ctrl_c.replying = False
                elif isinstance(event, ReplyStarted):
                    conversation_id = event.conversation_id
                    reply_id = event.reply_message_id
                    ctrl_c.replying = True
        except KeyboardInterrupt:
            # Ending now: the worker is killed rather than waited for, and the reply is kept
            # as stopped with exactly what was printed (stream_reply kept what it had sent).
            services.host.kill()
            close = getattr(events, "close", None)
            if close is not None:
                close()
            if reply_id is not None and ended is None:
                services.store.finish_reply(reply_id, "".join(shown), "stopped")
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
        if ctrl_c.pressed:
            raise KeyboardInterrupt  # cli.main(): "stopped.", exit status 130
    return conversation_id, ended


def _settings_changes(args: argparse.Namespace) -> dict[str, Any]:
    """The chat settings the flags set, checked with the settings' ranges."""
    changes: dict[str, Any] = {}
    for field, flag in (
        ("temperature", "--temperature"),
        ("top_p", "--top-p"),
        ("max_tokens", "--max-tokens"),
    ):
        value = getattr(args, field)
        if value is not None:
            try:
                changes[field] = check_sampling(field, value, flag)
            except ValueError as exc:
                raise UserError(f"{exc}.") from None
    if args.system is not None:
        changes["system_prompt"] = args.system = argument_text(args.system)
    return changes


def cmd_chat(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    changes = _settings_changes(args)
    conversation_id: int | None = args.conversation
    if conversation_id is not None:
        services.store.get_conversation(conversation_id)  # unknown id: a clear error first
    if args.model:
        services.chat.resolve_model(args.model)
    # Read before anything is sent: a file that cannot be attached stops here, in words.
    files: list[AttachedFile] = [read_attachment(path) for path in args.attach]

    def keep_settings(cid: int) -> None:
        if changes:
            chat = services.chat.chat_settings(cid).changed(**changes)
            services.chat.save_chat_settings(cid, chat)

    if conversation_id is not None:
        keep_settings(conversation_id)

    def turn(text: str) -> int:
        nonlocal conversation_id, files
        created: int | None = None
        try:
            if conversation_id is None and (text.strip() or files):
                # Created here rather than by send(), so the flags are its settings before
                # its first reply (send() refuses an empty message before creating anything).
                conversation_id = created = services.chat.new_conversation(args.system, args.model)
                keep_settings(conversation_id)
            # The conversation's own settings; the seed is for this run only.
            params = None
            if args.seed is not None and conversation_id is not None:
                params = dataclasses.replace(
                    services.chat.sampling(conversation_id), seed=args.seed
                )
            events = services.chat.send(
                conversation_id, text, model=args.model, params=params, attachments=files
            )
            first = next(events, None)  # the message is stored before the first event
        except Exception as exc:
            reason = write_failure(exc)
            if not isinstance(exc, MessageNotSaved) and reason is None:
                raise
            # Not stored: no empty chat is left behind, and the words are given back.
            if created is not None:
                services.chat.forget_empty(created)
                conversation_id = None
            said = exc if isinstance(exc, MessageNotSaved) else MessageNotSaved(text, reason or "")
            err.write(f"desktop-llm: {said}\nYour message:\n{text}\n")
            return 1
        if first is not None:
            events = itertools.chain([first], events)
        files = []  # the files go with the first message only
        conversation_id, ended = _run_turn(services, events, conversation_id, args.json, out, err)
        return 0 if ended.status in ("complete", "stopped") else 1

    if args.interactive:
        status = 0
        # Each line decoded before it is sent: one that is not text stops here, in words.
        for text in stdin_lines():
            if text.strip():
                status = max(status, turn(text))
        return status
    prompt = args.prompt
    if prompt is None and files:
        prompt = ""  # the files alone are the message
    if prompt is None:
        raise UserError("Give a message to send, '-' to read it from stdin, or -i.")
    # Decoded before anything is created (never an empty conversation for bytes the
    # database cannot take): stdin like a file, an argument from its bytes.
    prompt = stdin_text() if prompt == "-" else argument_text(prompt)
    return turn(prompt)


def _history_list(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    rows = services.store.list_conversations()
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
    return 0


def _history_show(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    store = services.store
    if args.json:
        out.write(store.export_conversation(args.id, "json") + "\n")
    else:
        conversation = store.get_conversation(args.id)
        out.write(f"# {conversation.title}\n")
        generations = store.generations(args.id)
        energy = store.energy_by_message(args.id)
        for m in store.messages(args.id):
            note = "" if m.status == "complete" else f" ({m.status})"
            out.write(f"\n[{m.role}{note}]\n{m.content}\n")
            generation = generations.get(m.id)
            if generation is not None:
                out.write(_reply_details(generation, energy.get(m.id)) + "\n")
    return 0


def _reply_details(generation: Generation, energy: Energy | None) -> str:
    """A stored reply's line in `history show`: model, engine, speed and what it cost."""
    engine = "local"
    if generation.engine != "local":
        host = f" ({generation.engine_host})" if generation.engine_host else ""
        engine = f"remote engine {generation.engine}{host}"
    parts = [generation.model_file, engine]
    if energy is not None:
        parts.append(cost_line(energy, generation.tokens_per_second))
    elif generation.tokens_per_second:
        parts.append(f"{generation.tokens_per_second:.0f} tok/s")
    return "  — " + " · ".join(parts)


def _history_search(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    hits = services.store.search(args.query)
    if args.json:
        print_json([asdict(h) for h in hits], out)
    else:
        for h in hits:
            out.write(f"{h.conversation_id:>5}  {h.conversation_title}: {h.snippet}\n")
    return 0


def _history_export(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    fmt = args.format
    if fmt is None:
        if args.output is None:
            fmt = "md"
        elif args.output.suffix.lower() in (".csv", ".tsv"):
            fmt = "csv"
        else:
            fmt = format_for_path(args.output)
    store = services.store
    if args.output is None:
        if fmt == "csv":
            write_results_csv(out, sentiment_results(store, args.id))
        else:
            out.write(export_text(store, args.id, fmt))
            if fmt != "json":
                out.write("\n")
        return 0
    # Checked before anything is written; then written whole or not at all.
    target = check_output_file(args.output, overwrite=args.overwrite)
    if fmt == "csv":
        count = export_results(store, args.id, target, overwrite=args.overwrite)
        err.write(f"{count} results written to {target}.\n")
    else:
        store.get_conversation(args.id)  # an unknown id: the store's words
        write_export(store, args.id, fmt, target, overwrite=args.overwrite)
    return 0
