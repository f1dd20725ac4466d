"""`desktop-llm models list | info | import | remove | search | download | settings |
quantize`: the model manager, headless, over the same models folder and database as the
window."""

from __future__ import annotations

import argparse
import threading
from dataclasses import asdict
from pathlib import Path
from typing import Any, TextIO

from desktop_llm.cli import model_settings, quantize
from desktop_llm.cli.command import Subparsers
from desktop_llm.cli.output import ProgressLine, print_json
from desktop_llm.cli.remote_models import engines_of, listing_client, remote_model
from desktop_llm.core.energy.forecast import (
    ForecastBasis,
    basis_from_store,
    forecast_words,
    why_not_words,
)
from desktop_llm.core.engine.client import EngineError, WorkerDied
from desktop_llm.core.errors import UserError
from desktop_llm.core.models import (
    InstalledModel,
    ModelSummary,
    explain_quantization,
    fit_hint_for_file,
    format_bytes,
    gguf_metadata,
    read_gguf,
)
from desktop_llm.core.models.sizes import known_file_sizes
from desktop_llm.core.services import Services


def add_parsers(sub: Subparsers) -> None:
    models = sub.add_parser("models", help="installed models; find, download, import, remove")
    msub = models.add_subparsers(metavar="ACTION", required=True)
    ml = msub.add_parser(
        "list", help="list installed models, and the remote engines' models as ENGINE/MODEL_ID"
    )
    ml.set_defaults(run=_list)
    mi = msub.add_parser("info", help="what a model is: summary, sha256, all GGUF metadata")
    mi.add_argument(
        "model",
        help="installed model name (or a unique part of it), a path, or ENGINE/MODEL_ID",
    )
    mi.set_defaults(run=_info)
    mim = msub.add_parser("import", help="add a .gguf file (checked first)")
    mim.add_argument("path", type=Path)
    mim.add_argument(
        "--in-place",
        action="store_true",
        help="use the file where it is instead of copying it into the models folder",
    )
    mim.set_defaults(run=_import)
    mr = msub.add_parser("remove", help="delete a model from the models folder")
    mr.add_argument("model")
    mr.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")
    mr.set_defaults(run=_remove)
    ms = msub.add_parser("search", help="search the Hugging Face Hub for GGUF models")
    ms.add_argument("query")
    ms.add_argument(
        "--files",
        action="store_true",
        help="also list each result's GGUF files, with a forecast of their joules per reply "
        "and tokens/s here (scaled by size from the models measured here)",
    )
    ms.set_defaults(run=_search)
    md = msub.add_parser(
        "download", help="download a GGUF file from the Hub (run it again to resume)"
    )
    md.add_argument("repo", help="owner/name, e.g. Qwen/Qwen2.5-0.5B-Instruct-GGUF")
    md.add_argument("file", help="the .gguf file in that repository")
    md.add_argument("--revision", default="main")
    md.set_defaults(run=_download)
    mset = model_settings.add_parser(msub)
    mq = quantize.add_parser(msub)
    for parser in (ml, mi, mim, mr, ms, md, mset, mq):
        parser.add_argument("--json", action="store_true", help="print the result as JSON")


def model_json(model: InstalledModel) -> dict[str, Any]:
    return {
        "name": model.name,
        "path": str(model.path),
        "source": model.source,
        "size_bytes": model.size_bytes,
        "quantization": model.quantization,
        "broken": model.broken,
        "made_from": asdict(model.made_from) if model.made_from else None,
    }


def remote_model_json(engine: str, host: str, entry: dict[str, Any]) -> dict[str, Any]:
    """A remote engine's model in `models list --json`: the local entries' fields, with the
    file's as None."""
    return {
        "name": f"{engine}/{entry['id']}",
        "path": None,
        "source": "remote",
        "size_bytes": None,
        "quantization": None,
        "broken": None,
        "made_from": None,
        "engine": engine,
        "host": host,
        "model_id": entry["id"],
    }


def _remote_models(services: Services, err: TextIO) -> list[dict[str, Any]]:
    """Each remote engine's models, asked of its server; a server that does not answer (or
    refuses) within its connect timeout gets one line on stderr and the listing goes on."""
    found: list[dict[str, Any]] = []
    engines = engines_of(services)
    for config in engines.all():
        try:
            client = listing_client(services, config)
        except UserError as exc:  # its key's environment variable is not set, no keyring...
            err.write(
                f"desktop-llm: {config.name} ({config.host}): its models are not listed: {exc}\n"
            )
            continue
        try:
            entries = client.models()
        except (EngineError, WorkerDied) as exc:
            err.write(
                f"desktop-llm: {config.name} ({config.host}): its models are not listed: {exc}\n"
            )
            continue
        finally:
            client.close()
        found += [remote_model_json(config.name, config.host, e) for e in entries]
    if engines.load_warning:
        err.write(f"desktop-llm: {engines.load_warning}\n")
    return found


def _list(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    models = services.registry.list()
    remote = _remote_models(services, err)
    if args.json:
        print_json([model_json(m) for m in models] + remote, out)
        return 0
    if not models:
        out.write("No models installed.\n")
    for m in models:
        broken = f"  BROKEN: {m.broken}" if m.broken else ""
        out.write(f"{m.name}  ({format_bytes(m.size_bytes)}, {m.source})  {m.path}{broken}\n")
    for r in remote:
        out.write(f"{r['name']}  (remote, {r['host']})\n")
    return 0


def _context_text(trained: int | None, stated: int | None) -> str:
    if trained:
        return f"{trained:,} tokens"
    if stated is not None:  # 0, or more than any model has: the file is wrong about it
        return f"not stated (the file says {stated:,}); the context setting is used"
    return "not stated; the context setting is used"


def _info(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    remote = remote_model(services, args.model)
    if remote is not None:
        return _remote_info(remote.engine, remote.model_id, services, args.json, out)
    model = services.registry.resolve(args.model)
    info = read_gguf(model.path)  # refuses a bad file with its reason
    summary = ModelSummary.from_info(info)
    sha256 = services.host.sha256(model)
    fit = fit_hint_for_file(info, services.settings["engine.context_length"])
    metadata = gguf_metadata(model.path)
    if args.json:
        print_json(
            {
                **model_json(model),
                "summary": asdict(summary),
                "sha256": sha256,
                "fit": {"verdict": fit.verdict, "reason": fit.reason},
                "metadata": dict(metadata),
            },
            out,
        )
        return 0
    quant = summary.quantization or model.quantization
    lines = [
        ("Name", model.name),
        ("File", str(model.path)),
        ("Source", model.source),
        ("Architecture", summary.architecture or "?"),
        ("Parameters", summary.parameters),
        ("Quantization", f"{quant}: {explain_quantization(quant)}" if quant else "?"),
        ("Size", format_bytes(summary.size_bytes)),
        ("Context", _context_text(summary.context_length, info.stated_context_length)),
        ("Chat template", "yes" if summary.has_chat_template else "no"),
        ("Licence", summary.licence or "not stated"),
        ("sha256", sha256),
        ("Fits here", f"{fit.verdict}: {fit.reason}"),
    ]
    if model.broken:
        lines.append(("Broken", model.broken))
    if model.made_from:
        lines.append(("Made here", model.made_from.note()))
    for key, value in lines:
        out.write(f"{key + ':':<15}{value}\n")
    out.write(f"\n{len(metadata)} metadata keys:\n")
    for key, value in metadata:
        out.write(f"  {key} = {value if len(value) <= 120 else value[:120] + '…'}\n")
    return 0


def _remote_info(engine: str, model_id: str, services: Services, as_json: bool, out: TextIO) -> int:
    """What the engine's server says of one of its models (there is no file to read here)."""
    config = engines_of(services)[engine]
    client = services.host.remote_engine(engine)
    try:
        entries = {m["id"]: m for m in client.models()}
    except (EngineError, WorkerDied) as exc:
        raise UserError(str(exc)) from None
    entry = entries.get(model_id)
    if entry is None:
        served = ", ".join(sorted(entries)) or "none"
        raise UserError(
            f"The server of {engine} ({config.host}) has no model {model_id!r}; it serves: "
            f"{served}."
        )
    if as_json:
        print_json({**remote_model_json(engine, config.host, entry), "server": entry}, out)
        return 0
    lines = [
        ("Name", f"{engine}/{model_id}"),
        ("Engine", f"{engine} (remote)"),
        ("Server", config.url),
        ("Model id", model_id),
    ]
    lines += [
        (str(k), str(v)) for k, v in entry.items() if k != "id" and not isinstance(v, dict | list)
    ]
    lines.append(
        (
            "Energy",
            "not measured here (it runs on the server)"
            if config.watts is None
            else f"estimated from your figure of {config.watts:g} W",
        )
    )
    for key, value in lines:
        out.write(f"{key + ':':<15}{value}\n")
    return 0


def _import(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    registry = services.registry
    if args.in_place:
        model = registry.import_reference(args.path)
    else:
        progress = ProgressLine(err)

        def copied(done: int, total: int) -> None:
            progress.show(f"Copying {format_bytes(done)} of {format_bytes(total)}")

        model = registry.import_copy(args.path, progress=copied)
        progress.clear()
    if args.json:
        print_json(model_json(model), out)
    else:
        how = "used where it is" if model.source == "imported" else "copied to the models folder"
        out.write(f"Imported {model.name} ({format_bytes(model.size_bytes)}), {how}.\n")
    return 0


def _remove(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    remote = remote_model(services, args.model)
    if remote is not None:
        raise UserError(
            f"{remote.name} is on the server of the remote engine {remote.engine}; nothing "
            f"here to delete. To stop using the engine: desktop-llm engines remove "
            f"{remote.engine}"
        )
    model = services.registry.resolve(args.model)
    if not model.removable:
        raise UserError(f"{model.name} comes with the app and cannot be removed.")
    if not args.yes:
        if not err.isatty():
            raise UserError("Removing a model needs --yes when not asked in a terminal.")
        err.write(f"Delete {model.name} ({format_bytes(model.size_bytes)})? [y/N] ")
        err.flush()
        if input().strip().lower() not in ("y", "yes"):
            err.write("Nothing removed.\n")
            return 1
    freed = services.registry.remove(model)
    if args.json:
        print_json({**model_json(model), "bytes_freed": freed}, out)
    else:
        out.write(f"Removed {model.name}; {format_bytes(freed)} freed.\n")
    return 0


def _search(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    hub = services.hub()  # the settings' mirror, if any; huggingface_hub only when needed
    repos = hub.search(args.query)
    files = {r.id: hub.files(r.id) for r in repos} if args.files else {}
    basis = _forecast_basis(services) if args.files else None
    if args.json:
        print_json(
            [
                {
                    "id": r.id,
                    "downloads": r.downloads,
                    "likes": r.likes,
                    "gated": r.gated,
                    "files": [
                        {**asdict(f), "forecast": _forecast_json(basis, f.size, f.filename)}
                        for f in files.get(r.id, [])
                    ],
                }
                for r in repos
            ],
            out,
        )
        return 0
    if not repos:
        out.write(f"No GGUF models on {hub.endpoint} match {args.query!r}.\n")
    for r in repos:
        out.write(f"{r.id}  ({r.downloads:,} downloads, {r.likes:,} likes)\n")
        for f in files.get(r.id, []):
            size = format_bytes(f.size) if f.size else "?"
            out.write(f"    {f.filename}  {size}  {f.quantization or ''}\n")
            forecast = basis.forecast(f.size, f.filename) if basis is not None else None
            if forecast is not None:
                out.write(f"      {forecast_words(forecast)}\n")
    if basis is not None and basis.why_not is not None and files:
        out.write(f"{why_not_words(basis.why_not)}\n")
    return 0


def _forecast_basis(services: Services) -> ForecastBasis:
    """What this computer measured, to scale to each listed file (core/energy/forecast.py)."""
    return basis_from_store(services.store, known_file_sizes(services.registry))


def _forecast_json(
    basis: ForecastBasis | None, size: int | None, filename: str
) -> dict[str, object] | None:
    forecast = basis.forecast(size, filename) if basis is not None else None
    return forecast.as_dict() if forecast is not None else None


def _download(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    from desktop_llm.core.models.download import Download, DownloadSnapshot

    download = Download(
        services.paths.models_dir, args.repo, args.file, args.revision, hub=services.hub()
    )
    progress = ProgressLine(err)

    def show(snap: DownloadSnapshot) -> None:
        if snap.state not in ("running", "verifying"):
            return
        done = format_bytes(snap.bytes_done)
        total = f" of {format_bytes(snap.total)}" if snap.total else ""
        speed = f" · {format_bytes(int(snap.speed))}/s" if snap.speed else ""
        eta = f" · {snap.eta:.0f} s left" if snap.eta is not None else ""
        state = "Checking the sha256" if snap.state == "verifying" else f"{done}{total}{speed}{eta}"
        progress.show(f"{args.file}: {state}")

    download.add_listener(show)
    worker = threading.Thread(target=download.run, name="desktop-llm download")
    worker.start()
    try:
        # Not worker.join(): a Ctrl+C inside join() can leave the thread looking finished.
        download.wait()
    except KeyboardInterrupt:
        download.pause()
        download.wait()
    worker.join()
    progress.clear()
    snap = download.snapshot()
    if args.json:
        print_json(
            {
                "repo": snap.repo,
                "file": snap.filename,
                "state": snap.state,
                "path": str(snap.path) if snap.path else None,
                "bytes": snap.bytes_done,
                "error": snap.error,
            },
            out,
        )
    if snap.state == "done":
        if not args.json:
            out.write(
                f"Downloaded {snap.path} ({format_bytes(snap.bytes_done)}, sha256 checked).\n"
            )
        return 0
    if snap.state == "paused":
        err.write(
            f"Paused after {format_bytes(snap.bytes_done)}; run the same command again to resume.\n"
        )
        return 130
    raise UserError(snap.error or f"The download ended {snap.state}.")
