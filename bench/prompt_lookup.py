"""Prompt-lookup decoding against plain decoding: summaries and translations of
bench/tasks.py's long text, metered by the app's energy meters.

Usage: python bench/prompt_lookup.py [--pairs 3] [--lookup 10] [--summary-tokens 600]
           [--summary-max-tokens 120] [--translate-sentences 3] [--model M]

Runs on a scratch data directory with the starter model (or --model) and the app's task
settings (temperatures included), changing only `generation.prompt_lookup`. Each task runs
off and on in turns (off, on, off, on...), so a change in the machine's load falls on both;
each run's tokens/s (completion tokens over decoding time) and joules (the attributed joules
of its model calls, as stored) are divided by those of the off run beside it. Prints
Markdown for docs/benchmarks.md.
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

from engine import machine
from tasks import long_text, run

from desktop_llm.core.energy.conversation_cost import conversation_cost


def measure(services, events) -> dict:
    ended = run(events)
    cost = conversation_cost(services.store, ended.conversation_id)
    records = cost.records
    generations = services.store.generations(ended.conversation_id).values()
    tokens = sum(g.completion_tokens for g in generations)
    decode_s = sum(
        g.completion_tokens / g.tokens_per_second for g in generations if g.tokens_per_second
    )
    return {
        "status": ended.status,
        "output": ended.output,
        "tokens": tokens,
        "tps": tokens / decode_s if decode_s else float("nan"),
        "joules": sum(r.joules_attributed for r in records),
        "seconds": sum(r.seconds for r in records),
        "source": ", ".join(sorted({r.source for r in records})) or "none",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--lookup", type=int, default=10, help="draft tokens when on")
    parser.add_argument("--summary-tokens", type=int, default=600)
    parser.add_argument("--summary-max-tokens", type=int, default=120)
    parser.add_argument("--translate-sentences", type=int, default=3)
    parser.add_argument("--model")
    args = parser.parse_args()
    os.environ["DESKTOP_LLM_HOME"] = tempfile.mkdtemp(prefix="desktop-llm-bench-")
    from desktop_llm.core.services import open_services

    services = open_services()
    settings = services.settings
    settings.set("summarize.max_tokens", args.summary_max_tokens)
    text = long_text(args.summary_tokens)
    sentences = long_text(25 * args.translate_sentences).split(". ")[: args.translate_sentences]
    piece = ". ".join(s.strip() for s in sentences) + "."
    jobs = {
        "summary": lambda: services.tasks.summarize(text, length="short", model=args.model),
        "translation en→zh": lambda: services.tasks.translate(
            piece, target="zh", source="en", model=args.model
        ),
    }
    results: dict[str, dict[str, list[dict]]] = {k: {"off": [], "on": []} for k in jobs}
    try:
        settings.set("generation.prompt_lookup", 0)
        run(jobs["translation en→zh"]())  # warm-up: load, page in
        for _ in range(args.pairs):
            for name, job in jobs.items():
                for mode, value in (("off", 0), ("on", args.lookup)):
                    settings.set("generation.prompt_lookup", value)
                    results[name][mode].append(measure(services, job()))
                    r = results[name][mode][-1]
                    print(
                        f"{name} {mode}: {r['tokens']} tokens, {r['tps']:.2f} tokens/s, "
                        f"{r['joules']:.1f} J ({r['source']})",
                        file=sys.stderr,
                    )
        n_ctx = settings["engine.context_length"]
        threads = settings["engine.threads"]
        model = services.chat.current_model
    finally:
        services.close()

    m = machine()
    print(f"## Prompt-lookup decoding — {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC\n")
    print(
        f"Machine: {m['cpu']}, {m['logical_cpus']} logical CPUs; llama-cpp-python "
        f"{m['llama_cpp_python']}; model {model.name if model else '?'}; context {n_ctx}; "
        f"{threads} threads; load average {os.getloadavg()[0]:.1f} at the end.\n"
    )
    print(
        f"Command: `python bench/prompt_lookup.py --pairs {args.pairs} --lookup {args.lookup} "
        f"--summary-tokens {args.summary_tokens} --summary-max-tokens "
        f"{args.summary_max_tokens} --translate-sentences {args.translate_sentences}`\n"
    )
    print(
        "| task | tokens off / on (mean) | tokens/s off / on (mean) | tokens/s on÷off "
        "(per pair) | J off / on (mean) | J on÷off (per pair) | J per token on÷off (median) "
        "| meter |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, runs in results.items():
        off, on = runs["off"], runs["on"]
        tps_ratios = [b["tps"] / a["tps"] for a, b in zip(off, on, strict=True)]
        j_ratios = [b["joules"] / a["joules"] for a, b in zip(off, on, strict=True)]
        jpt = [
            (b["joules"] / b["tokens"]) / (a["joules"] / a["tokens"])
            for a, b in zip(off, on, strict=True)
            if a["tokens"] and b["tokens"]
        ]

        def mean(rows: list[dict], key: str) -> float:
            return statistics.fmean(r[key] for r in rows)

        print(
            f"| {name} | {mean(off, 'tokens'):.0f} / {mean(on, 'tokens'):.0f} "
            f"| {mean(off, 'tps'):.2f} / {mean(on, 'tps'):.2f} "
            f"| {', '.join(f'{x:.2f}' for x in tps_ratios)} "
            f"| {mean(off, 'joules'):.1f} / {mean(on, 'joules'):.1f} "
            f"| {', '.join(f'{x:.2f}' for x in j_ratios)} "
            f"| {statistics.median(jpt):.2f} | {off[0]['source']} |"
        )
    same = {
        name: sum(a["output"] == b["output"] for a, b in zip(r["off"], r["on"], strict=True))
        for name, r in results.items()
    }
    print(
        "\nSame text off and on: "
        + ", ".join(f"{name} {n} of {args.pairs}" for name, n in same.items())
        + " (the app's temperatures: sampling differs between runs anyway)."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
