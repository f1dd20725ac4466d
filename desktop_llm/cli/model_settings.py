"""`desktop-llm models settings NAME`: a model's own engine settings (context length, GPU
layers, threads, chat template), shown, changed or reset; the same file the window's
"Settings…" in the model manager writes (core/model_settings.py)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from desktop_llm.cli.command import Subparsers
from desktop_llm.cli.output import print_json
from desktop_llm.cli.remote_models import refuse_remote
from desktop_llm.core.errors import UserError
from desktop_llm.core.model_settings import (
    CONTEXT,
    GPU_LAYERS,
    TEMPLATE,
    THREADS,
    EngineValues,
    ModelLimits,
    ModelOverrides,
)
from desktop_llm.core.models import read_gguf
from desktop_llm.core.services import Services

DEFAULT = "default"


def _number(text: str) -> int | str:
    """A whole number, or 'default' (back to the app-wide value)."""
    if text.strip().lower() == DEFAULT:
        return DEFAULT
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number or {DEFAULT!r}: {text}") from None


def add_parser(msub: Subparsers) -> argparse.ArgumentParser:
    p = msub.add_parser(
        "settings",
        help="a model's own context length, GPU layers, threads and chat template",
        description="Show a model's own engine settings, or change them. A value of "
        "'default' goes back to the app-wide setting. The model is loaded again with them "
        "at its next use.",
    )
    p.add_argument("model", help="installed model name (or a unique part of it)")
    p.add_argument("--context", type=_number, metavar="N", help="context length in tokens")
    p.add_argument(
        "--gpu-layers", type=_number, metavar="N", help="layers offloaded to the GPU (-1: all)"
    )
    p.add_argument("--threads", type=_number, metavar="N", help="CPU threads")
    template = p.add_mutually_exclusive_group()
    template.add_argument(
        "--template-file", type=Path, metavar="F", help="a Jinja chat template to use instead"
    )
    template.add_argument(
        "--clear-template", action="store_true", help="use the model's own chat template again"
    )
    p.add_argument("--reset", action="store_true", help="forget every setting of this model first")
    p.set_defaults(run=_settings)
    return p


def _settings(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    refuse_remote(
        services,
        args.model,
        "its context, threads and GPU layers are the server's settings, not this app's.",
    )
    model = services.registry.resolve(args.model)
    store = services.host.model_settings
    changes: dict[str, Any] = {}
    for field, value in (
        (CONTEXT, args.context),
        (GPU_LAYERS, args.gpu_layers),
        (THREADS, args.threads),
    ):
        if value is not None:
            changes[field] = None if value == DEFAULT else value
    if args.template_file is not None:
        try:
            changes[TEMPLATE] = args.template_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"Cannot read {args.template_file}: {exc}") from None
    elif args.clear_template:
        changes[TEMPLATE] = None
    info = read_gguf(model.path)  # refuses a bad file with its reason
    limits = ModelLimits.of(info)
    if args.reset:
        store.reset(model.name)
    if changes:
        store.update(model.name, limits, **changes)  # checked: InvalidModelSettings
    overrides = store.get(model.name)
    values = EngineValues.of(services.settings, overrides)
    if args.json:
        print_json(
            {
                "model": model.name,
                "overrides": overrides.as_json(),
                "effective": {
                    CONTEXT: values.context_length,
                    GPU_LAYERS: values.gpu_layers,
                    THREADS: values.threads,
                    TEMPLATE: "override" if values.chat_template else "model",
                },
                "limits": {
                    "trained_context": limits.trained_context,
                    "layers": limits.layers,
                    "cpus": limits.cpus,
                },
            },
            out,
        )
        return 0
    _show(model.name, overrides, values, limits, info.chat_template is not None, out)
    if args.reset or changes:
        out.write("Saved; the model is loaded with these settings at its next use.\n")
    return 0


def _show(
    name: str,
    o: ModelOverrides,
    v: EngineValues,
    limits: ModelLimits,
    has_template: bool,
    out: TextIO,
) -> None:
    def whose(value: int | None) -> str:
        return "this model's" if value is not None else "app-wide"

    trained = f"; trained for {limits.trained_context:,}" if limits.trained_context else ""
    layers = f"; the model has {limits.layers}" if limits.layers else ""
    gpu = "all" if v.gpu_layers < 0 else str(v.gpu_layers)
    own = "the model's own" if has_template else "ChatML (the file has none)"
    lines = [
        ("Context length", f"{v.context_length:,} tokens ({whose(o.context_length)}{trained})"),
        ("GPU layers", f"{gpu} ({whose(o.gpu_layers)}{layers})"),
        ("Threads", f"{v.threads} ({whose(o.threads)}; this computer has {limits.cpus})"),
        ("Chat template", "this model's own setting" if o.chat_template else own),
    ]
    out.write(f"{name}:\n")
    for key, value in lines:
        out.write(f"  {key + ':':<16}{value}\n")
