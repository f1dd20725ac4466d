"""Translation, summarization and sentiment runs, from input to stored result.

Like ChatService, the methods that run are blocking generators of events (see events.py),
driven by the CLI's main thread or the window's engine thread; cancel() may be called from
any thread. Every run is a conversation with a task type, so it is listed, reopened,
searched and exported like a chat; each model call is a message with a generation record.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from desktop_llm.core.config import Settings
from desktop_llm.core.energy import EnergyRecord
from desktop_llm.core.engine.client import EngineError, WorkerDied
from desktop_llm.core.engine.interface import Engine
from desktop_llm.core.engine.protocol import (
    ChatMessage,
    Done,
    Failed,
    GenerationStats,
    SamplingParams,
)
from desktop_llm.core.errors import UserError
from desktop_llm.core.i18n import PLURAL, arg, translate
from desktop_llm.core.model_host import (
    EnergyWindow,
    ModelHost,
    RemoteEnergyWindow,
    Reply,
    holds_engine,
)
from desktop_llm.core.models import load_catalog
from desktop_llm.core.models.registry import InstalledModel
from desktop_llm.core.store import Conversation, MessageStatus, SentimentItem, Store, title_from
from desktop_llm.core.tasks import sentiment as senti
from desktop_llm.core.tasks import summarize as summ
from desktop_llm.core.tasks.batch_input import BatchRow
from desktop_llm.core.tasks.events import (
    SentimentResult,
    TaskEnded,
    TaskEvent,
    TaskNote,
    TaskOutput,
    TaskProgress,
    TaskStarted,
    TaskText,
)
from desktop_llm.core.tasks.languages import Language, detect_language, get_language
from desktop_llm.core.tasks.outcome import (
    Outcome,
    is_unsure,
    judge_summary,
    judge_translation,
    outcome_languages,
    sentiment_outcome,
    suggest_model,
)
from desktop_llm.core.tasks.text_split import (
    hard_split,
    pack_segments,
    split_paragraphs,
    split_sentences,
)
from desktop_llm.core.tasks.translate import clean_translation, piece_joiner, translation_messages

# Tokens of the prompt around a piece of text (instructions, template, example).
PROMPT_OVERHEAD = 200
TRANSLATION_PIECE_TOKENS = 400
# How much of a text is read to tell its language, for a suggested model.
LANGUAGE_SAMPLE_CHARS = 2000
SENTIMENT_BATCH = 50  # items per stored part (and, later, per energy record)


@dataclass
class TaskRun:
    """A stored run, as a panel reopens it."""

    conversation: Conversation
    input_text: str
    output: str
    status: MessageStatus | None
    items: list[SentimentItem]


# Chinese and Japanese are written without spaces: each ideograph or kana counts as one
# word, as word processors count them (Word's and WPS's 字数). Korean has spaces.
_CJK_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_PUNCTUATION = "\u2018-\u201f\u3000-\u303f\uff00-\uffef"  # and curly quotes
_CJK = re.compile(f"[{_CJK_CHARS}]")
_WORD_OR_CJK = re.compile(f"[{_CJK_CHARS}]|[^\\s{_CJK_CHARS}{_CJK_PUNCTUATION}]+")


def count_words(text: str, slice_chars: int = 65_536) -> int:
    """Words: runs of letters between spaces, and each Chinese or Japanese character.
    Counted slice by slice so that a 5 MB text never holds the GIL in one long call (a word
    cut by a slice boundary is counted once)."""
    words = 0
    for start in range(0, len(text), slice_chars):
        piece = text[start : start + slice_chars]
        words += len(_WORD_OR_CJK.findall(piece))
        if start and _continues(text[start - 1], piece[0]):
            words -= 1
    return words


def count_cjk(text: str) -> int:
    """How many of the text's words are Chinese or Japanese characters."""
    return len(_CJK.findall(text))


def _continues(before: str, after: str) -> bool:
    """Whether a Latin-style word runs across these two characters."""
    return all(
        ch.strip() and not _CJK.match(ch) and not re.match(f"[{_CJK_PUNCTUATION}]", ch)
        for ch in (before, after)
    )


def _language_code(text: str) -> str | None:
    language = detect_language(text[:LANGUAGE_SAMPLE_CHARS])
    return language.code if language is not None else None


def _part_of(part: int, total: int) -> str:
    """A progress label (shown, not stored: the stored part names stay English)."""
    return arg(translate("Tasks", "part %1 of %2"), part, total)


class TaskService:
    def __init__(
        self,
        settings: Settings,
        store: Store,
        host: ModelHost,
        *,
        evaluation_run_id: int | None = None,
    ) -> None:
        """evaluation_run_id: this service runs items of that evaluation run, so its runs are
        stored (with their energy) but kept out of the user's history (core/evaluation)."""
        self.settings = settings
        self.store = store
        self.host = host
        self.evaluation_run_id = evaluation_run_id
        self._stop = threading.Event()

    @property
    def engine(self) -> Engine:
        """The engine of the model in use: the local process or a remote server."""
        return self.host.engine

    def cancel(self) -> None:
        self._stop.set()
        self.engine.cancel()

    # --- history ----------------------------------------------------------------------------

    def runs(self, task: str, limit: int = 500) -> list[Conversation]:
        return self.store.list_conversations(task=task, limit=limit)

    def open_run(self, conversation_id: int) -> TaskRun:
        conversation = self.store.get_conversation(conversation_id)
        messages = self.store.messages(conversation_id, include_parts=False)
        user = next((m for m in messages if m.role == "user"), None)
        reply = next((m for m in reversed(messages) if m.role == "assistant"), None)
        items = (
            self.store.sentiment_items(conversation_id) if conversation.task == "sentiment" else []
        )
        return TaskRun(
            conversation,
            user.content if user else "",
            reply.content if reply else "",
            reply.status if reply else None,  # type: ignore[arg-type]
            items,
        )

    # --- shared machinery -------------------------------------------------------------------

    def _begin(
        self,
        task: str,
        text: str,
        options: dict[str, Any],
        model: str | None,
        title: str | None = None,
    ) -> Iterator[TaskEvent]:
        """Load the model, create the run with its input stored first (never lost)."""
        self._stop.clear()
        yield from self.host.prepare(model, task=task)
        assert self.host.current is not None
        conversation = self.store.create_conversation(
            title or title_from(text) or task.capitalize(),
            task=task,
            model=self.host.current.name,
            system_prompt=self.settings[f"{task}.system_prompt"] or None,
            options=options,
            evaluation_run_id=self.evaluation_run_id,
        )
        self.store.add_message(conversation.id, "user", text)
        self._conversation_id = conversation.id
        if self.engine.tokens_estimated and task in ("translate", "summarize"):
            # Its pieces are planned from these counts: the user should know they are guesses.
            yield TaskNote(
                translate(
                    "Tasks",
                    "Token counts estimated from characters: the server has no tokenizer endpoint.",
                )
            )

    def _call(
        self,
        messages: list[ChatMessage],
        params: SamplingParams,
        *,
        part: str | None,
        stream: bool,
        clean: Callable[[str], str] | None = None,
        requests: int | None = None,
    ) -> Generator[TaskEvent, None, Reply]:
        """One model call stored as one message: a part, or (part None) the run's result.

        requests: how many user requests the call completes, for energy per request; by
        default 1 for the result and 0 for a part.
        """
        reply = self.store.start_reply(self._conversation_id, part=part)
        return (
            yield from self.host.stream_reply(
                reply.id,
                messages,
                params,
                self._stop,
                wrap=(lambda token: TaskText(token.text)) if stream else None,
                clean=clean,
                requests=(1 if part is None else 0) if requests is None else requests,
            )
        )

    def _params(self, task: str, max_tokens: int) -> SamplingParams:
        return SamplingParams(
            temperature=self.settings[f"{task}.temperature"],
            top_p=self.settings["generation.top_p"],
            max_tokens=max_tokens,
            repeat_penalty=1.05,
            # Translations and summaries repeat their input: prompt lookup's drafts.
            prompt_lookup=self.settings["generation.prompt_lookup"],
        )

    def _end(
        self,
        status: MessageStatus,
        output: str,
        error: str | None,
        summary: dict[str, Any],
        *,
        store_output: bool = True,
        outcome: Outcome | None = None,
    ) -> TaskEnded:
        """Store the result and what the run covered; a complete run's outcome (did it do
        its job?) goes with the summary, with a larger model to try when it did not."""
        if outcome is not None and status == "complete":
            summary["outcome"] = self._with_suggestion(outcome).to_dict()
        if store_output:
            message = self.store.add_message(
                self._conversation_id, "assistant", output, status=status
            )
            if error:
                self.store.finish_reply(message.id, output, status, error)
        options = dict(self.store.get_conversation(self._conversation_id).options or {})
        options["result"] = summary
        self.store.set_conversation_options(self._conversation_id, options)
        return TaskEnded(self._conversation_id, status, output, error, summary)

    def _with_suggestion(self, outcome: Outcome) -> Outcome:
        """A failed outcome with the catalog's smallest model that is larger than the one
        used and does the task in the run's languages (and its name here if installed)."""
        if outcome.ok:
            return outcome
        try:
            catalog = load_catalog()
        except UserError:
            return outcome
        current = self.host.current
        model = suggest_model(
            catalog,
            outcome.task,
            outcome_languages(outcome),
            current.size_bytes if isinstance(current, InstalledModel) else None,
        )
        installed = None
        if model is not None:
            names = {f.filename.casefold() for f in model.files}
            installed = next(
                (m.name for m in self.host.registry.list() if m.path.name.casefold() in names),
                None,
            )
        return outcome.with_suggestion(model, installed)

    # --- translation ------------------------------------------------------------------------

    @holds_engine
    def translate(
        self, text: str, *, target: str, source: str = "auto", model: str | None = None
    ) -> Iterator[TaskEvent]:
        if not text.strip():
            raise UserError(translate("Tasks", "There is no text to translate."))
        target_language = get_language(target)
        source_language: Language | None = (
            detect_language(text) if source == "auto" else get_language(source)
        )
        if source_language is not None and source_language.code == target_language.code:
            raise UserError(
                arg(
                    translate("Tasks", "The text is already in %1."),
                    translate("Languages", target_language.english_name),
                )
            )
        options = {
            "source": source,
            "detected": source_language.code if source_language else None,
            "target": target_language.code,
        }
        yield from self._begin("translate", text, options, model)
        pieces = self._translation_pieces(text)
        total = sum(len(paragraph) for paragraph, _ in pieces)
        yield TaskStarted(self._conversation_id, "translate", total)
        system = self.settings["translate.system_prompt"]
        joiner = piece_joiner(target_language)
        output = ""  # finished paragraphs, each with the separator the source had after it
        count = 0
        status: MessageStatus = "complete"
        error: str | None = None
        for paragraph, separator in pieces:
            outputs: list[str] = []
            for piece, piece_tokens in paragraph:
                count += 1
                yield TaskProgress(count - 1, total, _part_of(count, total))
                # What the view shows before this piece's tokens stream in after it.
                yield TaskOutput(output + "".join(o + joiner for o in outputs))
                budget = max(32, self.host.n_ctx - piece_tokens - PROMPT_OVERHEAD)
                result: Reply = yield from self._call(
                    translation_messages(system, piece, target_language, source_language),
                    self._params("translate", min(budget, 3 * piece_tokens + 64)),
                    part=f"part {count} of {total}" if total > 1 else None,
                    stream=True,
                    clean=lambda out, piece=piece: clean_translation(out, piece),
                    requests=1 if count == total else 0,  # the run is one request
                )
                outputs.append(result.text)
                yield TaskOutput(output + joiner.join(outputs))
                if result.status != "complete":
                    status, error = result.status, result.error
                    break
            output += joiner.join(outputs) + (separator if status == "complete" else "")
            if status != "complete":
                break
        yield TaskProgress(count if status == "complete" else count - 1, total, status)
        summary = {
            "characters": len(text),
            "parts": total,
            "parts_done": count if status == "complete" else count - 1,
            "source": options["detected"],
            "target": target_language.code,
        }
        outcome = judge_translation(text, output, target_language.code, options["detected"])
        # A one-part translation's only message is already the result.
        yield self._end(status, output, error, summary, store_output=total > 1, outcome=outcome)

    def _translation_pieces(self, text: str) -> list[tuple[list[tuple[str, int]], str]]:
        """Per paragraph: the pieces to translate (with their token counts) and the
        separator that follows it. Blank paragraphs have no pieces."""
        paragraphs = split_paragraphs(text)
        counts = self.engine.count_tokens([p.text for p in paragraphs])
        result: list[tuple[list[tuple[str, int]], str]] = []
        for paragraph, count in zip(paragraphs, counts, strict=True):
            if paragraph.is_blank:
                result.append(([], paragraph.separator))
            elif count <= self._piece_budget():
                result.append(([(paragraph.text, count)], paragraph.separator))
            else:
                result.append((self._sentence_groups(paragraph.text), paragraph.separator))
        return result

    def _piece_budget(self) -> int:
        # Room for the piece, its translation (which may take more tokens than the source,
        # e.g. into Chinese) and the prompt, in whatever context the user chose.
        return max(16, min(TRANSLATION_PIECE_TOKENS, (self.host.n_ctx - PROMPT_OVERHEAD) // 4))

    def _sentence_groups(self, text: str) -> list[tuple[str, int]]:
        budget = self._piece_budget()
        sentences = split_sentences(text)
        counts = self.engine.count_tokens(sentences)
        groups: list[tuple[str, int]] = []
        for chunk in pack_segments(sentences, counts, budget):
            if not chunk.oversize:
                groups.append((chunk.text.strip(), chunk.tokens))
                continue
            # A "sentence" with no boundary in it: cut by characters, near budget tokens.
            chars = max(64, int(len(chunk.text) * budget / max(1, chunk.tokens) * 0.9))
            cuts = hard_split(chunk.text, chars)
            for cut, n in zip(cuts, self.engine.count_tokens(cuts), strict=True):
                groups.append((cut.strip(), n))
        return [(g, n) for g, n in groups if g]

    # --- summaries --------------------------------------------------------------------------

    @holds_engine
    def summarize(
        self,
        text: str,
        *,
        length: str = "short",
        source_name: str | None = None,
        model: str | None = None,
    ) -> Iterator[TaskEvent]:
        """Summarize text of any length: map over chunks that fit the context (with
        overlap), then combine the partial summaries, recursively if they do not fit."""
        if not text.strip():
            raise UserError(translate("Tasks", "There is no text to summarize."))
        size = summ.check_length(length)
        options = {"length": size, "source_name": source_name}
        # The run's title is the user's own label, written once in the window's language.
        title = arg(translate("Tasks", "Summary of %1"), source_name) if source_name else None
        yield from self._begin("summarize", text, options, model, title=title)
        system = self.settings["summarize.system_prompt"]
        max_tokens = self.settings["summarize.max_tokens"]
        budget = max(64, self.host.n_ctx - max_tokens - PROMPT_OVERHEAD)
        overlap = min(self.settings["summarize.chunk_overlap"], budget // 4)
        segments, counts = self._segments(text, budget)
        chunks = pack_segments(segments, counts, budget, overlap)
        total = len(chunks)
        summary: dict[str, Any] = {
            "characters": len(text),
            "words": count_words(text),
            "cjk_words": count_cjk(text),
            "bytes": len(text.encode("utf-8", "surrogatepass")),
            "tokens": sum(counts),
            "parts": total,
        }
        yield TaskStarted(self._conversation_id, "summarize", total)
        params = self._params("summarize", max_tokens)

        if total == 1:
            yield TaskProgress(0, 1, translate("Tasks", "summarizing"))
            result: Reply = yield from self._call(
                summ.summary_messages(system, text, size), params, part=None, stream=True
            )
            summary["parts_done"] = 1 if result.status == "complete" else 0
            yield TaskProgress(1, 1, result.status)
            outcome = judge_summary(text, result.text, _language_code(text))
            yield self._end(
                result.status,
                result.text,
                result.error,
                summary,
                store_output=False,
                outcome=outcome,
            )
            return

        partials: list[str] = []
        for index, chunk in enumerate(chunks, start=1):
            label = f"part {index} of {total}"  # stored with the part: English
            yield TaskProgress(index - 1, total, _part_of(index, total))
            result = yield from self._call(
                summ.part_messages(system, chunk.text, index, total),
                params,
                part=label,
                stream=False,
            )
            if result.status != "complete":
                summary["parts_done"] = index - 1
                yield self._end(result.status, "\n\n".join(partials), result.error, summary)
                return
            partials.append(result.text.strip())
        summary["parts_done"] = total

        level = 0
        while True:
            level += 1
            counts = self.engine.count_tokens(partials)
            groups = pack_segments([p + "\n\n" for p in partials], counts, budget)
            final = len(groups) == 1
            combined: list[str] = []
            for index, group in enumerate(groups, start=1):
                label = "combining" if final else f"combining {index} of {len(groups)}"
                yield TaskProgress(
                    total,
                    total,
                    translate("Tasks", "combining")
                    if final
                    else arg(translate("Tasks", "combining %1 of %2"), index, len(groups)),
                )
                result = yield from self._call(
                    summ.combine_messages(system, group.text.split("\n\n"), size, final),
                    params,
                    part=None if final else f"round {level}, {label}",
                    stream=final,
                )
                if result.status != "complete":
                    summary["combine_rounds"] = level
                    yield self._end(
                        result.status, result.text, result.error, summary, store_output=not final
                    )
                    return
                combined.append(result.text.strip())
            if final:
                summary["combine_rounds"] = level
                yield TaskProgress(total, total, "complete")
                outcome = judge_summary(text, combined[0], _language_code(text))
                yield self._end(
                    "complete", combined[0], None, summary, store_output=False, outcome=outcome
                )
                return
            partials = combined

    def _segments(self, text: str, budget: int) -> tuple[list[str], list[int]]:
        """Sentences (each keeping the whitespace after it, paragraph breaks included) and
        their token counts; a sentence longer than budget is cut by characters."""
        segments: list[str] = []
        for paragraph in split_paragraphs(text):
            sentences = split_sentences(paragraph.text) if paragraph.text else []
            if sentences:
                sentences[-1] += paragraph.separator
            elif segments:
                segments[-1] += paragraph.separator
            segments.extend(sentences)
        counts = self.engine.count_tokens(segments)
        if max(counts, default=0) <= budget:
            return segments, counts
        fitted: list[str] = []
        for segment, count in zip(segments, counts, strict=True):
            if count <= budget:
                fitted.append(segment)
            else:
                chars = max(64, int(len(segment) * budget / count * 0.8))
                fitted.extend(hard_split(segment, chars))
        return fitted, self.engine.count_tokens(fitted)

    # --- sentiment --------------------------------------------------------------------------

    @holds_engine
    def sentiment(self, text: str, *, model: str | None = None) -> Iterator[TaskEvent]:
        """One text: a label forced by the grammar, and each label's probability."""
        if not text.strip():
            raise UserError(translate("Tasks", "There is no text to classify."))
        yield from self.sentiment_batch([BatchRow(text.strip())], model=model, single=True)

    @holds_engine
    def sentiment_batch(
        self,
        rows: Sequence[BatchRow],
        *,
        source_name: str | None = None,
        column: str | None = None,
        model: str | None = None,
        reuse_prefix: bool = True,
        single: bool = False,
    ) -> Iterator[TaskEvent]:
        """Classify each row; the instruction and examples before the item are evaluated
        once and their KV cache re-used (reuse_prefix=False only for the benchmark)."""
        rows = [r for r in rows if r.text.strip()]
        if not rows:
            raise UserError(
                translate("Tasks", "There is nothing to classify: every line is empty.")
            )
        if single:
            input_text, title = rows[0].text, None
        else:
            # Stored as the run's input and title, in the window's language (like a name).
            if source_name and column:
                input_text = translate("Tasks", "%Ln text(s) from %1, column “%2”", None, PLURAL, len(rows))  # fmt: skip  # noqa: E501
                input_text = arg(input_text, source_name, column)
            elif source_name:
                input_text = arg(
                    translate("Tasks", "%Ln text(s) from %1", None, PLURAL, len(rows)), source_name
                )
            else:
                input_text = translate("Tasks", "%Ln text(s)", None, PLURAL, len(rows))
            title = input_text
        options = {"source_name": source_name, "column": column, "items": len(rows)}
        yield from self._begin("sentiment", input_text, options, model, title=title)
        total = len(rows)
        yield TaskStarted(self._conversation_id, "sentiment", total)
        system = self.settings["sentiment.system_prompt"]
        params = SamplingParams(temperature=0.0, max_tokens=4, grammar=senti.LABEL_GRAMMAR)
        prefix_tokens, *counts = self.engine.count_tokens(
            [senti.prefix_text()] + [r.text for r in rows]
        )
        room = self.host.n_ctx - prefix_tokens - PROMPT_OVERHEAD
        labels: Counter[str] = Counter()
        batch: list[SentimentItem] = []
        batch_stats: list[GenerationStats] = []
        started = time.perf_counter()
        status: MessageStatus = "complete"
        error: str | None = None
        done_items = unsure = 0
        first_probabilities: dict[str, float] | None = None
        window: EnergyWindow | RemoteEnergyWindow | None = None
        try:
            for position, (row, count) in enumerate(zip(rows, counts, strict=True)):
                if self._stop.is_set():
                    status = "stopped"
                    break
                text, truncated = row.text, count > room
                if truncated:
                    text = text[: max(1, int(len(text) * room / count * 0.8))]
                if window is None:  # one energy window per stored batch
                    window = self.host.open_energy_window()
                try:
                    item, stats = self._classify(system, text, params, reuse_prefix)
                except WorkerDied as exc:
                    status = "stopped" if exc.cancelled else "interrupted"
                    error = None if exc.cancelled else str(exc)
                    break
                except EngineError as exc:
                    status, error = "error", str(exc)
                    break
                item.position, item.text, item.source = position, row.text, row.source
                batch.append(item)
                batch_stats.append(stats)
                labels[item.label] += 1
                done_items += 1
                probabilities = {
                    "positive": item.p_positive,
                    "negative": item.p_negative,
                    "neutral": item.p_neutral,
                }
                unsure += is_unsure(probabilities)
                first_probabilities = first_probabilities or probabilities
                yield SentimentResult(position, row.text, item.label, probabilities, truncated)
                yield TaskProgress(
                    done_items, total, arg(translate("Tasks", "item %1 of %2"), done_items, total)
                )
                if len(batch) >= SENTIMENT_BATCH:
                    self._store_batch(batch, batch_stats, params, window.close())
                    batch, batch_stats, window = [], [], None
            if batch:
                assert window is not None
                self._store_batch(batch, batch_stats, params, window.close())
                window = None
        finally:
            if window is not None:  # nothing classified since it opened (or closed early)
                window.close()
        elapsed = time.perf_counter() - started
        summary = {
            "items": total,
            "items_done": done_items,
            "labels": dict(labels),
            "items_per_second": done_items / elapsed if elapsed > 0 else None,
        }
        if single and done_items:
            output = max(labels, key=labels.__getitem__)
        else:
            output = ", ".join(f"{labels[label]} {label}" for label in senti.LABELS)
        sample = "\n".join(r.text for r in rows[:50])
        outcome = sentiment_outcome(
            done_items, unsure, first_probabilities if single else None, _language_code(sample)
        )
        yield self._end(status, output, error, summary, outcome=outcome)

    def _classify(
        self, system: str, text: str, params: SamplingParams, reuse_prefix: bool
    ) -> tuple[SentimentItem, GenerationStats]:
        messages = senti.sentiment_messages(system, text)
        result = self.engine.classify(messages, senti.LABELS, params, reuse_prefix=reuse_prefix)
        probabilities = senti.probabilities(result.logprobs)
        label = senti.label_in(result.text, probabilities)
        if label is None:
            raise EngineError(
                Failed(
                    "internal",
                    arg(
                        translate("Tasks", "The model's answer names no label: %1"),
                        result.text[:80],
                    ),
                )
            )
        item = SentimentItem(
            position=0,
            text=text,
            label=label,
            p_positive=probabilities["positive"],
            p_negative=probabilities["negative"],
            p_neutral=probabilities["neutral"],
            source=None,
        )
        stats = result.stats
        return item, stats

    def _store_batch(
        self,
        items: list[SentimentItem],
        stats: list[GenerationStats],
        params: SamplingParams,
        energy: EnergyRecord,
    ) -> None:
        """One part message per batch of items, with the batch's summed generation record."""
        first, last = items[0].position + 1, items[-1].position + 1
        counts = Counter(item.label for item in items)
        message = self.store.start_reply(self._conversation_id, part=f"items {first}–{last}")
        content = ", ".join(f"{counts[label]} {label}" for label in senti.LABELS)
        self.store.finish_reply(message.id, content, "complete")
        self.store.add_sentiment_items(self._conversation_id, items)
        total = GenerationStats(
            prompt_tokens=sum(s.prompt_tokens for s in stats),
            completion_tokens=sum(s.completion_tokens for s in stats),
            reused_prompt_tokens=sum(s.reused_prompt_tokens for s in stats),
            ttft_ms=stats[0].ttft_ms,
            duration_ms=sum(s.duration_ms for s in stats),
            tokens_per_second=None,
            finish_reason="stop",
        )
        self.host.record(
            message.id, Done(content, total), params, datetime.now(UTC), energy, requests=len(items)
        )
