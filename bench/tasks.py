"""Task benchmarks: batch sentiment with and without the instruction-prefix KV-cache re-use,
and summarization throughput on a long text.

Usage: python bench/tasks.py [--items 200] [--summary-tokens 20000]
Runs on a scratch data directory with the starter model (or --model); prints Markdown.
Target (issue #3): batch sentiment with prefix re-use >= 3x the items/s without it.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from engine import machine

from desktop_llm.core.tasks.batch_input import BatchRow
from desktop_llm.core.tasks.events import TaskEnded

OPENERS = [
    "The delivery",
    "Our hotel room",
    "This laptop",
    "The new album",
    "Customer support",
    "The restaurant",
    "My flight",
    "The museum tour",
    "This update",
    "The movie",
]
VERDICTS = [
    "was wonderful and I loved it.",
    "was awful, I want my money back.",
    "arrived on Tuesday.",
    "exceeded every expectation!",
    "was slow and rude.",
    "has three parts.",
    "made my week, thank you!",
    "broke after two days.",
    "is available in blue and grey.",
    "was fine.",
]


def reviews(n: int, seed: int = 7) -> list[BatchRow]:
    rng = random.Random(seed)
    return [BatchRow(f"{rng.choice(OPENERS)} {rng.choice(VERDICTS)}") for _ in range(n)]


def long_text(tokens_wanted: int) -> str:
    sentences = []
    for i in range(tokens_wanted // 25 + 1):
        sentences.append(
            f"In {1800 + i % 220}, the harbour town of Maren recorded {i * 7 % 500} ships, "
            f"and the council under {['Ada', 'Ben', 'Cleo', 'Dev', 'Eli'][i % 5]} "
            f"built {i % 9 + 1} warehouses."
        )
        if i % 8 == 7:
            sentences.append("\n\n")
    return " ".join(sentences)


def run(events) -> TaskEnded:
    ended = None
    for event in events:
        if isinstance(event, TaskEnded):
            ended = event
    assert ended is not None
    return ended


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--summary-tokens", type=int, default=20000)
    parser.add_argument("--model")
    args = parser.parse_args()
    os.environ["DESKTOP_LLM_HOME"] = tempfile.mkdtemp(prefix="desktop-llm-bench-")
    from desktop_llm.core.services import open_services

    services = open_services()
    tasks = services.tasks
    try:
        rows = reviews(args.items)
        run(tasks.sentiment_batch(rows[:10], model=args.model))  # warm-up: load, page in
        with_reuse = run(tasks.sentiment_batch(rows, model=args.model, reuse_prefix=True))
        without = run(tasks.sentiment_batch(rows, model=args.model, reuse_prefix=False))
        a = with_reuse.summary["items_per_second"]
        b = without.summary["items_per_second"]

        text = long_text(args.summary_tokens)
        started = time.perf_counter()
        summary = run(tasks.summarize(text, length="short", model=args.model))
        elapsed = time.perf_counter() - started
        tokens = summary.summary["tokens"]
        n_ctx = services.settings["engine.context_length"]
        model = services.chat.current_model
    finally:
        services.close()

    m = machine()
    print(f"## Tasks — {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC\n")
    print(
        f"Machine: {m['cpu']}, {m['logical_cpus']} logical CPUs; llama-cpp-python "
        f"{m['llama_cpp_python']}; model {model.name if model else '?'}; context {n_ctx}.\n"
    )
    print("| batch sentiment, 200 items | items/s |\n|---|---|")
    print(f"| instruction prefix re-used | {a:.2f} |")
    print(f"| prefix evaluated for every item | {b:.2f} |")
    print(
        f"\nRatio: **{a / b:.2f}×** (target ≥ 3). Labels with re-use "
        f"{with_reuse.summary['labels']}, without {without.summary['labels']}.\n"
    )
    print(
        f"Summarization: {tokens:,} input tokens ({len(text):,} characters) in "
        f"{summary.summary['parts']} parts and {summary.summary.get('combine_rounds', 0)} "
        f"combining round(s): {elapsed:.1f} s, **{tokens / elapsed:.0f} input tokens/s**; "
        f"status {summary.status}."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
