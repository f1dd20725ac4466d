"""A remote engine through the app against the same server called directly.

Usage: python bench/remote.py [--pairs 6] [--max-tokens 160] [--model FILE]

Starts llama-cpp-python's OpenAI-compatible server (`python -m llama_cpp.server`) on
127.0.0.1 with the starter model (or --model), adds it to a scratch data directory as a
remote engine, and sends the same streamed chat request in turns: directly (an HTTP client
reading the server-sent events, nothing else) and through the app (ChatService.send on
ENGINE/MODEL: the store, the energy row, the history fitting, everything a user's turn
does). Direct and app runs alternate (direct, app, direct, app...), so a change in the
machine's load falls on both. Decode tokens/s are counted the same way for both (content
events after the first, over the time from the first to the last), and the ratio is the
app's over the direct run's beside it, median over the pairs (target >= 0.95); time to
first token is given for both. Prints Markdown for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))  # tests.helpers: the same server start

from engine import machine
from sse_timing import timed_stream

from tests.helpers.gguf_factory import require_starter_model
from tests.helpers.openai_server import run_llama_server

PROMPT = (
    "Write a short story, about ten sentences, about a lighthouse keeper who finds a "
    "message in a bottle."
)
ALIAS = "starter"


def direct(base: str, body: dict) -> dict:
    """The request on its own: SSE content events timed as the app times them."""
    return timed_stream(base, body)


def through_app(services, model: str, params) -> dict:
    from desktop_llm.core.chat.events import ReplyEnded

    ended = None
    for event in services.chat.send(None, PROMPT, model=model, system_prompt="", params=params):
        if isinstance(event, ReplyEnded):
            ended = event
    assert ended is not None and ended.stats is not None, ended
    assert ended.status == "complete", ended.error
    stats = ended.stats
    return {
        "tokens": stats.completion_tokens,
        "tps": stats.tokens_per_second,
        "ttft_ms": stats.ttft_ms,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=6)
    parser.add_argument("--max-tokens", type=int, default=160)
    parser.add_argument("--model", type=Path)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="desktop-llm-bench-remote-"))
    os.environ["DESKTOP_LLM_HOME"] = str(home)
    model_file = args.model or require_starter_model()
    with run_llama_server(model_file, alias=ALIAS, log=home / "server.log") as server:
        rows = measure(server.base_url, args)
    report(rows, model_file, args)
    return 0


def measure(base: str, args: argparse.Namespace) -> list[tuple[dict, dict]]:
    from desktop_llm.core.engine.protocol import SamplingParams
    from desktop_llm.core.remote_engines import make_config
    from desktop_llm.core.services import open_services

    services = open_services()
    services.host.remote_engines.add(make_config("bench", url=base))
    params = SamplingParams(temperature=0.0, top_p=1.0, max_tokens=args.max_tokens, seed=1)
    body = {
        "model": ALIAS,
        "messages": [{"role": "user", "content": PROMPT}],
        "temperature": params.temperature,
        "top_p": params.top_p,
        "max_tokens": params.max_tokens,
        "seed": params.seed,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    rows = []
    try:
        direct(base, body)  # warm-up: the server's first request pages the model in
        through_app(services, f"bench/{ALIAS}", params)
        for _ in range(args.pairs):
            d = direct(base, body)
            a = through_app(services, f"bench/{ALIAS}", params)
            rows.append((d, a))
    finally:
        services.close()
    return rows


def report(rows: list[tuple[dict, dict]], model_file: Path, args: argparse.Namespace) -> None:
    ratios = [a["tps"] / d["tps"] for d, a in rows]
    m = machine()
    print(f"## Remote engine — {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC\n")
    print(
        f"Machine: {m['cpu']}, {m['logical_cpus']} logical CPUs; llama-cpp-python "
        f"{m['llama_cpp_python']} server on 127.0.0.1; model {model_file.name}; "
        f"{args.max_tokens} tokens max at temperature 0.\n"
    )
    print("| pair | direct tok/s | app tok/s | app ÷ direct | direct TTFT ms | app TTFT ms |")
    print("|---|---|---|---|---|---|")
    for i, (d, a) in enumerate(rows, 1):
        print(
            f"| {i} | {d['tps']:.1f} | {a['tps']:.1f} | {a['tps'] / d['tps']:.3f} | "
            f"{d['ttft_ms']:.0f} | {a['ttft_ms']:.0f} |"
        )
    print(
        f"\nMedian ratio **{statistics.median(ratios):.3f}** (target ≥ 0.95; range "
        f"{min(ratios):.3f}–{max(ratios):.3f}); median TTFT direct "
        f"{statistics.median(d['ttft_ms'] for d, _ in rows):.0f} ms, through the app "
        f"{statistics.median(a['ttft_ms'] for _, a in rows):.0f} ms. Tokens per reply: "
        f"{sorted({d['tokens'] for d, _ in rows})} direct, "
        f"{sorted({a['tokens'] for _, a in rows})} app."
    )


if __name__ == "__main__":
    raise SystemExit(main())
