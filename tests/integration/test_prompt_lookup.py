"""Prompt-lookup decoding with the real starter model: the same reply, fewer batches, the
Llama object as it was afterwards, and the setting on its way from the tasks to the worker."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path

import pytest

from desktop_llm.core.engine.client import EngineClient
from desktop_llm.core.engine.protocol import (
    ChatMessage,
    Done,
    GenerateRequest,
    Loaded,
    LoadRequest,
    LoadSpec,
    SamplingParams,
)
from desktop_llm.core.engine.worker import Worker
from desktop_llm.core.services import Services, open_services
from desktop_llm.core.tasks.events import TaskEnded
from tests.helpers.gguf_factory import require_starter_model

# Longer than the replies below (cut at max_tokens), so both runs stop inside the copy.
PASSAGE = (
    "In 1802 the harbour town of Maren recorded 14 ships, and the council under Ada built "
    "two warehouses. In 1803 the town recorded 21 ships, and the council under Ben built "
    "three warehouses beside the north quay. In 1804 a storm closed the harbour for nine "
    "days, and the council under Cleo paid the fishermen from the town's own chest."
)
COPY = (
    ChatMessage("system", "You repeat texts exactly."),
    ChatMessage("user", f"Repeat this text exactly, word for word:\n\n{PASSAGE}"),
)


@pytest.fixture(scope="module")
def worker() -> Iterator[tuple[Worker, Connection]]:
    """The worker in this process, over a real pipe: its Llama object can be looked at."""
    ours, theirs = multiprocessing.Pipe()
    inside = Worker(theirs, multiprocessing.Event())
    loaded = inside.load(LoadRequest(LoadSpec(str(require_starter_model()), n_ctx=2048)))
    assert isinstance(loaded, Loaded), loaded
    yield inside, ours
    inside.unload()


def generate(worker: Worker, conn: Connection, params: SamplingParams) -> tuple[Done, int]:
    """The reply, and how many batches llama.cpp evaluated for it (prompt included)."""
    llm = worker.llm
    plain_eval = llm.eval
    batches = 0

    def counting_eval(tokens):  # the real eval, counted
        nonlocal batches
        batches += 1
        return plain_eval(tokens)

    llm.eval = counting_eval
    try:
        worker.generate(GenerateRequest(COPY, params, reuse_prefix=False))
    finally:
        del llm.eval
    events = []
    while conn.poll():
        events.append(conn.recv())
    assert isinstance(events[-1], Done), events[-1]
    return events[-1], batches


def test_prompt_lookup_gives_the_same_reply_in_fewer_batches(
    worker: tuple[Worker, Connection],
) -> None:
    off, off_batches = generate(*worker, SamplingParams(temperature=0, max_tokens=48))
    on, on_batches = generate(
        *worker, SamplingParams(temperature=0, max_tokens=48, prompt_lookup=10)
    )
    assert off.stats.completion_tokens == on.stats.completion_tokens == 48
    assert on.text == off.text
    assert off.text.startswith("In 1802 the harbour town of Maren")  # a copy: drafts fit
    # Without lookup, one batch for the prompt and one per token after the first.
    assert off_batches == off.stats.completion_tokens
    # With it, copied tokens come several to a batch.
    assert on_batches < off_batches / 2


def test_the_llama_object_is_as_it_was_after_a_lookup_reply(
    worker: tuple[Worker, Connection],
) -> None:
    inside, conn = worker
    llm = inside.llm
    rows = llm.scores.shape[0]
    before, _ = generate(inside, conn, SamplingParams(temperature=0, max_tokens=12))
    generate(inside, conn, SamplingParams(temperature=0, max_tokens=12, prompt_lookup=4))
    assert llm.draft_model is None
    assert llm._logits_all is False
    assert llm.scores.shape[0] == rows == llm.n_batch  # not a row per context position
    after, batches = generate(inside, conn, SamplingParams(temperature=0, max_tokens=12))
    assert after.text == before.text
    assert batches == after.stats.completion_tokens


def test_the_option_crosses_to_the_inference_process() -> None:
    client = EngineClient()
    try:
        client.load(LoadSpec(str(require_starter_model()), n_ctx=2048))
        texts = []
        for lookup in (0, 10):
            params = SamplingParams(temperature=0, max_tokens=32, prompt_lookup=lookup)
            *_, done = client.generate(list(COPY), params)
            assert isinstance(done, Done)
            texts.append(done.text)
        assert texts[0] == texts[1]
        assert texts[0].startswith("In 1802")
    finally:
        client.close()


@pytest.fixture
def services(home: Path) -> Iterator[Services]:
    opened = open_services()
    opened.settings.set("translate.temperature", 0.0)
    opened.settings.set("summarize.temperature", 0.0)
    opened.settings.set("summarize.max_tokens", 32)
    yield opened
    opened.close()


def parameters(services: Services, ended: TaskEnded) -> list[dict]:
    return [g.parameters for g in services.store.generations(ended.conversation_id).values()]


def test_translations_and_summaries_ask_for_the_setting_s_prompt_lookup(
    services: Services,
) -> None:
    def last(events: Iterator) -> TaskEnded:
        return [e for e in events if isinstance(e, TaskEnded)][-1]

    services.settings.set("generation.prompt_lookup", 6)
    summary = last(services.tasks.summarize(PASSAGE, length="short"))
    translation = last(services.tasks.translate("The ships came in.", target="zh", source="en"))
    for ended in (summary, translation):
        assert ended.status == "complete", ended.error
        stored = parameters(services, ended)
        assert stored and all(p["prompt_lookup"] == 6 for p in stored)

    services.settings.set("generation.prompt_lookup", 0)
    off = last(services.tasks.summarize(PASSAGE, length="short"))
    assert all(p["prompt_lookup"] == 0 for p in parameters(services, off))
