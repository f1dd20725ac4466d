"""Start-up benchmark: launch to window shown, and to the first token, from source and frozen.

Runs `desktop-llm --smoke-test` (the window over a fresh data folder answers one message with
the starter model) several times for each executable, alternating, and reads the times it
reports from the process's own start: the window laid out and painted, and the first token
of the reply (which includes starting the inference process and loading the model).

Usage: python bench/startup.py [--rounds 5] [--frozen build/smoke/desktop-llm-<v>/desktop-llm]
The frozen executable comes from `make dist-smoke`; without one, only the source is timed.
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

from desktop_llm import __version__

ROOT = Path(__file__).resolve().parent.parent
TIMES = re.compile(r"window shown ([\d.]+) s and first token ([\d.]+) s after launch")


def run_once(command: list[str], frozen: bool) -> tuple[float, float]:
    # The frozen build runs as a user's would: nothing of this environment (env -i).
    env = {"QT_QPA_PLATFORM": "offscreen", "HOME": os.environ.get("HOME", "/tmp")}
    if not frozen:
        env = {**os.environ, **env}
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    match = TIMES.search(result.stdout)
    if result.returncode != 0 or match is None:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return float(match.group(1)), float(match.group(2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    default_frozen = ROOT / f"build/smoke/desktop-llm-{__version__}/desktop-llm"
    parser.add_argument("--frozen", type=Path, default=default_frozen)
    args = parser.parse_args()
    source = [sys.executable, "-m", "desktop_llm", "--smoke-test"]
    kinds: dict[str, list[str]] = {"from source": source}
    if args.frozen.is_file():
        kinds["frozen"] = [str(args.frozen), "--smoke-test"]
    results: dict[str, list[tuple[float, float]]] = {kind: [] for kind in kinds}
    for _ in range(args.rounds):
        for kind, command in kinds.items():
            results[kind].append(run_once(command, frozen=kind == "frozen"))
    print(f"## Start-up — {args.rounds} rounds, alternating\n")
    print(
        "| executable | window shown, median s | first token, median s | rounds (shown / token) |"
    )
    print("|---|---|---|---|")
    for kind, runs in results.items():
        shown = statistics.median(r[0] for r in runs)
        token = statistics.median(r[1] for r in runs)
        rounds = ", ".join(f"{a:.2f}/{b:.2f}" for a, b in runs)
        print(f"| {kind} | {shown:.2f} | {token:.2f} | {rounds} |")


if __name__ == "__main__":
    main()
