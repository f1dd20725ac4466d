"""Engine benchmark: the app's inference process against raw llama-cpp-python.

1. Decode rate: the same model, threads, prompt and greedy sampling, streamed through the
   app's EngineClient (child process, pipe, UTF-8 hold-back) and through llama-cpp-python's
   own create_completion(stream=True) in this process, alternating round by round.
2. Time to first token at turns 1..10 of one conversation, with the KV-cache prefix re-use
   and without it (the worker forgets its cache before each turn).

Usage: python bench/engine.py [--model PATH] [--rounds 5] [--tokens 128] [--threads N]
Prints a Markdown report and writes bench/results/engine-<date>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import llama_cpp
import psutil

from desktop_llm.core.engine.chat_template import render_chat
from desktop_llm.core.engine.client import EngineClient
from desktop_llm.core.engine.protocol import ChatMessage, Done, LoadSpec, SamplingParams
from desktop_llm.core.models.registry import starter_model_path

RESULTS = Path(__file__).parent / "results"
STORY = [
    ChatMessage("system", "You are a helpful assistant."),
    ChatMessage("user", "Write a long, detailed story about a lighthouse keeper and a storm."),
]
# Turns long enough that re-reading the history is visible in the time to first token.
TURN = (
    "Here is some more context about my garden: it has tomatoes, beans, three apple trees, "
    "a small pond with frogs, and a shed full of old tools that belonged to my grandfather. "
    "The soil is clay and the summers are dry. Question {n}: what should I plant next?"
)


def machine() -> dict[str, object]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "logical_cpus": os.cpu_count(),
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": sys.version.split()[0],
        "llama_cpp_python": llama_cpp.__version__,
        "os": platform.platform(),
    }


def decode_rate(stamps: list[float]) -> float:
    """Tokens per second between the first and the last streamed token."""
    return (len(stamps) - 1) / (stamps[-1] - stamps[0])


def engine_round(client: EngineClient, tokens: int) -> tuple[float, int]:
    stamps: list[float] = []
    params = SamplingParams(temperature=0.0, max_tokens=tokens, repeat_penalty=1.0)
    for event in client.generate(STORY, params, reuse_prefix=False):
        if isinstance(event, Done):
            return decode_rate(stamps), event.stats.completion_tokens
        stamps.append(time.perf_counter())
    raise RuntimeError("no Done")


def raw_round(llm: llama_cpp.Llama, prompt: str, tokens: int) -> tuple[float, int]:
    stamps: list[float] = []
    llm.reset()  # the same cold start as the engine round
    for _chunk in llm.create_completion(
        prompt, max_tokens=tokens, temperature=0.0, repeat_penalty=1.0, stream=True
    ):
        stamps.append(time.perf_counter())
    return decode_rate(stamps), len(stamps)


def ttft_turns(client: EngineClient, turns: int, reuse: bool) -> list[float]:
    history = [ChatMessage("system", "You are a helpful gardening assistant.")]
    ttfts = []
    params = SamplingParams(temperature=0.0, max_tokens=32)
    for n in range(1, turns + 1):
        history.append(ChatMessage("user", TURN.format(n=n)))
        for event in client.generate(history, params, reuse_prefix=reuse):
            if isinstance(event, Done):
                ttfts.append(event.stats.ttft_ms)
                history.append(ChatMessage("assistant", event.text))
    return ttfts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=starter_model_path())
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--threads", type=int, default=psutil.cpu_count(logical=False) or 2)
    parser.add_argument("--n-ctx", type=int, default=4096)
    parser.add_argument("--gpu-layers", type=int, default=0)
    args = parser.parse_args()
    if args.model is None:
        parser.error("no model: install the starter model (make venv) or pass --model")

    spec = LoadSpec(str(args.model), args.n_ctx, args.threads, args.gpu_layers)
    client = EngineClient()
    client.load(spec)
    llm = llama_cpp.Llama(
        str(args.model),
        n_ctx=args.n_ctx,
        n_threads=args.threads,
        n_threads_batch=args.threads,
        n_gpu_layers=args.gpu_layers,
        verbose=False,
    )
    prompt = render_chat(
        llm.metadata["tokenizer.chat_template"],
        STORY,
        bos_token="",
        eos_token=llm.detokenize([llm.token_eos()], special=True).decode(),
    )
    # Warm both once so that page faults of the model file are not measured.
    engine_round(client, 16)
    raw_round(llm, prompt, 16)

    engine_rates, raw_rates, counts = [], [], []
    for _ in range(args.rounds):
        e_rate, e_n = engine_round(client, args.tokens)
        r_rate, r_n = raw_round(llm, prompt, args.tokens)
        engine_rates.append(e_rate)
        raw_rates.append(r_rate)
        counts.append((e_n, r_n))
    del llm

    with_reuse = ttft_turns(client, 10, reuse=True)
    without_reuse = ttft_turns(client, 10, reuse=False)
    client.close()

    e_med, r_med = statistics.median(engine_rates), statistics.median(raw_rates)
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "model": args.model.name,
        "threads": args.threads,
        "gpu_layers": args.gpu_layers,
        "decode": {
            "tokens_per_round": counts,
            "engine_tok_s": engine_rates,
            "raw_tok_s": raw_rates,
            "engine_median": e_med,
            "raw_median": r_med,
            "ratio": e_med / r_med,
        },
        "ttft_ms": {
            "with_reuse": with_reuse,
            "without_reuse": without_reuse,
            "turn10_over_turn1_with_reuse": with_reuse[-1] / with_reuse[0],
            "turn10_over_turn1_without_reuse": without_reuse[-1] / without_reuse[0],
        },
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"engine-{datetime.now(UTC):%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(result, indent=2))

    m = result["machine"]
    print(f"## Engine — {result['date']}\n")
    print(
        f"Machine: {m['cpu']}, {m['logical_cpus']} logical CPUs, {m['ram_gb']} GiB; "
        f"llama-cpp-python {m['llama_cpp_python']}; model {args.model.name}; "
        f"{args.threads} threads; {args.gpu_layers} GPU layers.\n"
    )
    print("| decode (tok/s) | median | rounds |\n|---|---|---|")
    print(f"| app engine | {e_med:.1f} | {', '.join(f'{x:.1f}' for x in engine_rates)} |")
    print(f"| raw llama-cpp-python | {r_med:.1f} | {', '.join(f'{x:.1f}' for x in raw_rates)} |")
    print(f"\nRatio engine/raw: **{e_med / r_med:.3f}** (target ≥ 0.95)\n")
    print("| turn | " + " | ".join(str(i) for i in range(1, 11)) + " |")
    print("|---" * 11 + "|")
    print("| TTFT ms, re-use | " + " | ".join(f"{x:.0f}" for x in with_reuse) + " |")
    print("| TTFT ms, no re-use | " + " | ".join(f"{x:.0f}" for x in without_reuse) + " |")
    print(
        f"\nTurn 10 / turn 1 with re-use: **{with_reuse[-1] / with_reuse[0]:.2f}** "
        f"(target ≤ 1.5); without: {without_reuse[-1] / without_reuse[0]:.2f}."
    )
    print(f"\nRaw JSON: {out.relative_to(Path.cwd()) if out.is_relative_to(Path.cwd()) else out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
