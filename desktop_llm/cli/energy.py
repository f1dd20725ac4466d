"""`desktop-llm energy report | meters`: what the stored replies cost, and how it is known."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from desktop_llm.cli_output import print_json
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
from desktop_llm.core.store import energy_as_dict


def add_energy_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    energy = sub.add_parser("energy", help="energy and carbon of the stored replies")
    esub = energy.add_subparsers(dest="energy_command", metavar="ACTION", required=True)
    report = esub.add_parser("report", help="energy per day, model or task")
    report.add_argument("--by", choices=GROUPINGS, default="model", help="how to group")
    fmt = report.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true")
    fmt.add_argument("--csv", action="store_true")
    meters = esub.add_parser("meters", help="which energy meters work here, and why not")
    meters.add_argument("--json", action="store_true")


def cmd_energy(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    if args.energy_command == "meters":
        return _meters(args, out)
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
    if overall.estimated:
        out.write(
            f"\n{overall.estimated:,} of {overall.generations:,} generations were estimated "
            "from CPU time, not measured (`desktop-llm energy meters` says why).\n"
        )
    out.write(
        "Energy is what is attributed to the model's process, net of the idle baseline. "
        f"For comparison, {PUBLISHED_SOURCE}, kWh per 1,000 inferences: text classification "
        "0.002, text generation 0.047, summarization 0.049 (a different setup).\n"
    )


def _meters(args: argparse.Namespace, out: TextIO) -> int:
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


def run_energy(services: Services, conversation_id: int) -> dict[str, Any]:
    """The energy of a run (every part), for the task commands' --json output."""
    records = [
        energy_as_dict(e)
        for _, e in sorted(services.store.energy_by_message(conversation_id).items())
    ]
    return {
        "joules_gross": sum(r["joules_gross"] for r in records),
        "joules_net": sum(r["joules_net"] for r in records),
        "joules_attributed": sum(r["joules_attributed"] for r in records),
        "carbon_g": sum(r["carbon_g"] for r in records),
        "records": records,
    }
