"""The local OpenAI-compatible server against the engine it serves, in one process.

Usage: python bench/server.py [--pairs 6] [--max-tokens 160] [--clients 4]

Opens the app's services on a scratch data directory with the starter model, starts the local
server (core/server) on 127.0.0.1, and runs the same streamed chat request in turns: on the
engine directly (ModelHost.engine.generate: the inference process and nothing else) and
through the server (an HTTP client reading the server-sent events: parsing, the turn, the
conversation rows, the energy metering, everything an API request does). Direct and served
runs alternate, so a change in the machine's load falls on both. Decode tokens/s are counted
the same way for both (pieces after the first, over the time from the first to the last); the
ratio is the served run's over the direct run's beside it, median over the pairs (target
>= 0.95).

Then `--clients` clients send the request at once (each its own connection): the engine takes
them one at a time, first come first served, so the total throughput should stay that of one
client and each client's latency grows with its place in the line. Prints Markdown for
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from engine import machine
from sse_timing import timed_stream

PROMPT = (
    "Write a short story, about ten sentences, about a lighthouse keeper who finds a "
    "message in a bottle."
)


def served(url: str, body: dict) -> dict:
    """One streamed request through the server, its pieces timed as they arrive."""
    return timed_stream(url, body)


def direct(services, params) -> dict:
    from desktop_llm.core.engine.protocol import ChatMessage, Done

    started = time.perf_counter()
    stamps = []
    with services.host.in_use():
        for event in services.host.engine.generate([ChatMessage("user", PROMPT)], params):
            if isinstance(event, Done):
                break
            if event.text:
                stamps.append(time.perf_counter())
    return {
        "tokens": len(stamps),
        "tps": (len(stamps) - 1) / (stamps[-1] - stamps[0]),
        "ttft_ms": (stamps[0] - started) * 1000,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=6)
    parser.add_argument("--max-tokens", type=int, default=160)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="desktop-llm-bench-server-"))
    os.environ["DESKTOP_LLM_HOME"] = str(home)

    from desktop_llm.core.engine.protocol import SamplingParams
    from desktop_llm.core.server.runner import LocalServer, ServerOptions
    from desktop_llm.core.services import open_services

    services = open_services()
    server = LocalServer(services.host, ServerOptions(port=0, queue_limit=args.clients))
    server.start()
    model = services.registry.list()[0]
    params = SamplingParams(temperature=0.0, top_p=1.0, max_tokens=args.max_tokens, seed=1)
    body = {
        "model": model.name,
        "messages": [{"role": "user", "content": PROMPT}],
        "temperature": params.temperature,
        "top_p": params.top_p,
        "max_tokens": params.max_tokens,
        "seed": params.seed,
        "stream": True,
    }
    try:
        served(server.url, body)  # warm-up: loads the model
        direct(services, params)
        pairs = [(direct(services, params), served(server.url, body)) for _ in range(args.pairs)]
        single = served(server.url, body)
        crowd: list[dict] = []
        start = threading.Barrier(args.clients + 1)

        def client() -> None:
            start.wait()
            crowd.append(served(server.url, body))

        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        for t in threads:
            t.start()
        start.wait()
        began = time.perf_counter()
        for t in threads:
            t.join()
        wall = max(c["ended"] for c in crowd) - began
    finally:
        server.stop()
        services.close()
    report(pairs, single, crowd, wall, model.name, args)
    return 0


def report(pairs, single, crowd, wall, model_name: str, args: argparse.Namespace) -> None:
    ratios = [s["tps"] / d["tps"] for d, s in pairs]
    m = machine()
    print(f"## Local server — {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC\n")
    print(
        f"Machine: {m['cpu']}, {m['logical_cpus']} logical CPUs; llama-cpp-python "
        f"{m['llama_cpp_python']}; model {model_name}; {args.max_tokens} tokens max at "
        "temperature 0; the server on 127.0.0.1, the client in the same process.\n"
    )
    print(
        "| pair | engine tok/s | server tok/s | server ÷ engine | engine TTFT ms | server TTFT ms |"
    )
    print("|---|---|---|---|---|---|")
    for i, (d, s) in enumerate(pairs, 1):
        print(
            f"| {i} | {d['tps']:.1f} | {s['tps']:.1f} | {s['tps'] / d['tps']:.3f} | "
            f"{d['ttft_ms']:.0f} | {s['ttft_ms']:.0f} |"
        )
    print(
        f"\nMedian ratio **{statistics.median(ratios):.3f}** (target ≥ 0.95; range "
        f"{min(ratios):.3f}–{max(ratios):.3f}).\n"
    )
    tokens = sum(c["tokens"] for c in crowd)
    latencies = sorted(c["latency_s"] for c in crowd)
    one = single["tokens"] / single["latency_s"]
    firsts = ", ".join(
        f"{c['ttft_ms'] / 1000:.1f}" for c in sorted(crowd, key=lambda c: c["ttft_ms"])
    )
    print(
        f"{args.clients} concurrent clients: {tokens} tokens in {wall:.1f} s = "
        f"**{tokens / wall:.1f} tok/s** in all (one client alone, the same request: "
        f"{one:.1f} tok/s including its prompt, {single['latency_s']:.1f} s); latency per "
        f"client {', '.join(f'{x:.1f}' for x in latencies)} s (median "
        f"{statistics.median(latencies):.1f} s); time to first piece {firsts} s."
    )


if __name__ == "__main__":
    raise SystemExit(main())
