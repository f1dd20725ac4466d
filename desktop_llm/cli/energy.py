"""`desktop-llm energy report | meters | calibrate`: what the stored replies cost, how it is
known, and eco mode's calibration (joules per token at a few thread counts)."""

from __future__ import annotations

import argparse
from typing import TextIO

from desktop_llm.cli.command import Subparsers
from desktop_llm.cli.output import ProgressLine, print_json
from desktop_llm.core.eco import Calibration
from desktop_llm.core.eco_calibration import ROUNDS, TOKENS, CalibrationProgress, calibrate
from desktop_llm.core.energy import meter_statuses
from desktop_llm.core.energy.report import (
    GROUPINGS,
    PUBLISHED_KWH_PER_1000,
    PUBLISHED_SOURCE,
    EnergyGroup,
    format_carbon,
    format_joules,
    group_energy,
    groups_csv,
    total,
)
from desktop_llm.core.services import Services


def add_parsers(sub: Subparsers) -> None:
    energy = sub.add_parser("energy", help="energy and carbon of the stored replies")
    esub = energy.add_subparsers(metavar="ACTION", required=True)
    report = esub.add_parser("report", help="energy per day, model or task")
    report.add_argument("--by", choices=GROUPINGS, default="model", help="how to group")
    fmt = report.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true")
    fmt.add_argument("--csv", action="store_true")
    report.set_defaults(run=_report)
    meters = esub.add_parser("meters", help="which energy meters work here, and why not")
    meters.add_argument("--json", action="store_true")
    meters.set_defaults(run=_meters)
    cal = esub.add_parser(
        "calibrate",
        help="measure joules per token and tokens/s of a model at a few thread counts, "
        "for eco mode",
    )
    cal.add_argument("--model", metavar="M", help="model name (default: the chat's model)")
    cal.add_argument(
        "--tokens", type=int, default=TOKENS, metavar="N", help="reply length per measurement"
    )
    cal.add_argument(
        "--rounds", type=int, default=ROUNDS, metavar="N", help="measurements per thread count"
    )
    cal.add_argument("--json", action="store_true")
    cal.set_defaults(run=_calibrate)


def _report(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    rows = services.store.energy_rows()
    groups = group_energy(rows, args.by)
    overall = total(rows)
    if args.csv:
        out.write(groups_csv(groups, args.by))
    elif args.json:
        document = {
            "by": args.by,
            "groups": [g.as_dict() for g in groups],
            "total": overall.as_dict(),
            "published": {
                "source": PUBLISHED_SOURCE,
                "kwh_per_1000_inferences": {
                    task: {"task": name, "kwh": kwh}
                    for task, (name, kwh) in PUBLISHED_KWH_PER_1000.items()
                },
            },
        }
        print_json(document, out)
    else:
        _print_report(groups, overall, args.by, out)
    return 0


def _replies(n: int) -> str:
    return f"{n:,} {'reply' if n == 1 else 'replies'}"


def _print_report(groups: list[EnergyGroup], overall: EnergyGroup, by: str, out: TextIO) -> None:
    if not groups:
        out.write("No replies with an energy record yet.\n")
        return
    width = max(len(by), *(len(g.key) for g in groups))
    out.write(
        f"{by:<{width}}  {'requests':>8}  {'tokens':>9}  {'energy':>9}  {'carbon':>14}"
        f"  {'J/1k tok':>9}  {'kWh/1k req':>11}\n"
    )
    for g in [*groups, overall]:
        per_tokens = "" if g.joules_per_1k_tokens is None else f"{g.joules_per_1k_tokens:.1f}"
        per_requests = "" if g.kwh_per_1k_requests is None else f"{g.kwh_per_1k_requests:.5f}"
        out.write(
            f"{g.key:<{width}}  {g.requests:>8,}  {g.tokens:>9,}"
            f"  {format_joules(g.joules_attributed):>9}  {format_carbon(g.carbon_g):>14}"
            f"  {per_tokens:>9}  {per_requests:>11}\n"
        )
    if overall.remote:
        out.write(
            f"\n{_replies(overall.remote)} not measured: remote (written by a remote engine, "
            "whose machine's energy is not measured here; left out of the figures above).\n"
        )
    if overall.remote_estimated:
        out.write(
            f"\n{_replies(overall.remote_estimated)} on a remote engine estimated from your "
            f"figure for its power draw: {format_joules(overall.remote_joules_estimated)}, "
            f"{format_carbon(overall.remote_carbon_estimated)} (an estimate, left out of the "
            "figures above).\n"
        )
    if overall.estimated:
        out.write(
            f"\n{overall.estimated:,} of {overall.generations:,} generations were estimated "
            "from CPU time, not measured (`desktop-llm energy meters` says why).\n"
        )
    out.write(
        "Energy is what is attributed to the model's process, net of the idle baseline. "
        f"For comparison, {PUBLISHED_SOURCE}, kWh per 1,000 inferences: "
        f"{_published_figures()} (a different setup).\n"
    )


def _published_figures() -> str:
    """'text classification 0.002, text generation 0.047, summarization 0.049': the paper's
    tasks once each, from report.py's table (the only copy of the figures)."""
    figures: dict[str, float] = {}
    for name, kwh in PUBLISHED_KWH_PER_1000.values():
        # Translation has no figure of its own: its entry is text generation's, with a note
        # in parentheses. Without the note it is a repeat, and the sentence names it once.
        figures.setdefault(name.split(" (")[0], kwh)
    return ", ".join(f"{name} {kwh:g}" for name, kwh in figures.items())


def _meters(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    statuses = meter_statuses()
    if args.json:
        print_json(
            [
                {"name": s.name, "available": s.available, "detail": s.detail, "fix": s.fix}
                for s in statuses
            ],
            out,
        )
        return 0
    for s in statuses:
        mark = "yes" if s.available else "no "
        out.write(f"{mark}  {s.name:<9} {s.detail}\n")
        if s.fix:
            out.write(f"     {'':<9} To enable: {s.fix}\n")
    return 0


def _calibrate(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    progress = ProgressLine(err)

    def shown(p: CalibrationProgress) -> None:
        progress.show(f"calibrating: {p.done}/{p.total}, {p.threads} thread(s)")

    try:
        calibration = calibrate(
            services.host,
            args.model,
            tokens=max(1, args.tokens),
            rounds=max(1, args.rounds),
            progress=shown,
        )
    finally:
        progress.clear()
    if args.json:
        print_json(calibration.as_json(), out)
    else:
        _print_calibration(calibration, out)
    return 0


def _print_calibration(c: Calibration, out: TextIO) -> None:
    best = c.best
    out.write(
        f"{c.model} on {c.device}, other programs' CPU load {c.load:.0%} before the run "
        f"({c.rounds} rounds of {c.tokens} tokens per thread count; "
        f"{'measured by ' + c.meter_source if c.measured else 'estimated from CPU time'})\n"
    )
    out.write(f"{'threads':>7}  {'J/token':>8}  {'tokens/s':>8}  {'joules':>8}\n")
    for e in c.entries:
        mark = "  <- fewest joules per token" if best is not None and e is best else ""
        out.write(
            f"{e.threads:>7}  {e.joules_per_token:>8.4f}  {e.tokens_per_second:>8.1f}"
            f"  {e.joules:>8.2f}{mark}\n"
        )
    out.write(
        "Stored for eco mode (energy.eco: off | on_battery | always); a model's own thread "
        "setting still wins.\n"
    )
