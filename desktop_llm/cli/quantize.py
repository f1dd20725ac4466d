"""`desktop-llm models quantize NAME --to TYPE`: a smaller quantization of an installed
model, made here with llama.cpp's quantizer (core/models/quantize.py). Without --to it lists
the types with the size each would give this model. Ctrl+C stops it and keeps nothing."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from desktop_llm.cli.command import Subparsers
from desktop_llm.cli.output import ProgressLine, print_json
from desktop_llm.cli.remote_models import refuse_remote
from desktop_llm.core.models import Cancelled, format_bytes, read_gguf
from desktop_llm.core.models.quantize import (
    TARGETS,
    QuantizeProgress,
    estimate_sizes,
    not_smaller_reason,
)
from desktop_llm.core.services import Services


def add_parser(msub: Subparsers) -> argparse.ArgumentParser:
    p = msub.add_parser(
        "quantize",
        help="make a smaller quantization of an installed model (llama.cpp's quantizer)",
        description="Write a smaller quantization of an installed model into the models "
        "folder. Requantizing an already-quantized file loses more quality than quantizing "
        "the original F16/F32 weights. Without --to, list the types and the size each would "
        "give.",
    )
    p.add_argument("model", help="installed model name (or a unique part of it), or a path")
    p.add_argument("--to", metavar="TYPE", help=f"the type to make: {', '.join(TARGETS)}")
    p.set_defaults(run=_quantize)
    return p


def _stage_text(name: str, target: str, p: QuantizeProgress) -> str:
    if p.stage == "quantizing" and p.total:
        return (
            f"Quantizing {name} to {target}: tensor {p.done} of {p.total} "
            f"({100 * p.done // p.total}%)"
        )
    if p.stage == "validating":
        return f"Checking the new {target} file"
    if p.stage == "checking":
        return f"Working out the size of {target}"
    return "Starting llama.cpp's quantizer"


def _quantize(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    refuse_remote(services, args.model, "quantizing needs a model on this computer.")
    registry = services.registry
    model = registry.resolve(args.model)
    if not args.to:
        return _list_sizes(args, services, model, out)
    progress = ProgressLine(err)
    try:
        new, done = registry.quantize(
            model,
            args.to,
            progress=lambda p: progress.show(_stage_text(model.name, args.to.upper(), p)),
        )
    except (KeyboardInterrupt, Cancelled):
        progress.clear()
        err.write("Stopped; nothing was written.\n")
        return 130
    progress.clear()
    note = done.made.note()
    if args.json:
        print_json(
            {
                "name": new.name,
                "path": str(new.path),
                "quantization": done.target,
                "source": model.name,
                "source_quantization": done.made.source_quantization,
                "size_bytes": done.size_bytes,
                "source_size_bytes": done.source_size,
                "seconds": round(done.seconds, 2),
                "tensors": done.tensors,
                "fallback_tensors": done.fallback_tensors,
                "requantized": done.made.requantized,
                "note": note,
            },
            out,
        )
        return 0
    out.write(
        f"Made {new.name}: {format_bytes(done.size_bytes)}, "
        f"{100 * done.saved_fraction:.0f}% smaller than {format_bytes(done.source_size)}, "
        f"in {done.seconds:.1f} s.\n"
    )
    if done.fallback_tensors:
        out.write(
            f"{done.fallback_tensors} of {done.tensors} tensors were stored in another type "
            "(their rows are not a multiple of 256 wide).\n"
        )
    out.write(f"Note: {note}\n")
    out.write(f"File: {new.path}\n")
    return 0


def _list_sizes(args: argparse.Namespace, services: Services, model: Any, out: TextIO) -> int:
    quant = read_gguf(model.path).quantization
    sizes = estimate_sizes(model.path, models_dir=services.paths.models_dir)
    rows = []
    for target in TARGETS:
        est = sizes.get(target)
        reason = not_smaller_reason(quant, target)
        usable = reason is None and est is not None and est.smaller
        rows.append((target, est, usable))
    if args.json:
        print_json(
            {
                "model": model.name,
                "quantization": quant,
                "size_bytes": model.size_bytes,
                "targets": [
                    {
                        "type": t,
                        "size_bytes": e.size_bytes if e else None,
                        "smaller": usable,
                    }
                    for t, e, usable in rows
                ],
            },
            out,
        )
        return 0
    out.write(f"{model.name} is {quant or '?'}, {format_bytes(model.size_bytes)}. ")
    out.write("Each type would give:\n")
    for t, e, usable in rows:
        size = format_bytes(e.size_bytes) if e else "?"
        mark = "" if usable else "  (not smaller)"
        out.write(f"  {t:<8}{size:>10}{mark}\n")
    out.write(f"Make one with: desktop-llm models quantize {model.name!r} --to TYPE\n")
    return 0
