"""A smaller quantization of an installed model, made here with llama.cpp's own quantizer
(llama_model_quantize, as llama-cpp-python exposes it).

The quantizer runs in a child process started with multiprocessing's spawn method, like the
inference process: a native crash, or a cancel (the child is killed), never ends the app.
The parent polls the child every 50 ms, so a stop lands at once and a crash is noticed.

    1. The target must be a type this app offers (TARGETS) and nominally smaller than the
       source's (BITS_PER_WEIGHT); the source must be a readable GGUF file (read_gguf).
    2. A dry run (llama.cpp's `dry_run`: types chosen, sizes summed, nothing written; about
       40 ms for a 135M model) gives the expected size. llama.cpp stores rows whose width is
       not a multiple of 256 in a legacy type instead of a k-quant (SmolLM2-135M's 576-wide
       rows: Q4_K_M comes out *larger* than its Q4_1), so a target that would not shrink the
       file is refused before anything is written, and so is one the disk has no room for.
    3. The file is written to <models>/.quantizing/ (the registry skips hidden folders);
       progress is the count of tensors done, read from the one log line llama.cpp writes per
       tensor ("[ 12/ 272] blk.1.attn_q.weight ..."), captured by a log callback in the child.
       (Following the output file's growth also works, but needs the expected size first and
       moves in the ofstream's buffered steps; the log line is exact and needs nothing.)
    4. The result is checked with the app's own reader: a GGUF file with the expected
       general.file_type, every tensor of the source, and smaller than the source. Only then
       is it moved into the models folder (files.install_file: never overwriting).
    5. What it was made from is recorded in <models>/quantized.json (MadeHere), so the model
       manager and `models list` can say so: requantizing an already-quantized file loses
       more quality than quantizing the original F16/F32 weights.

A cancel (should_stop) kills the child and removes the partial file: Cancelled.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing as mp
import os
import re
import shutil
import signal
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from desktop_llm.core.errors import BadModelFile, UserError
from desktop_llm.core.i18n import arg, translate
from desktop_llm.core.models.files import Cancelled, install_file
from desktop_llm.core.models.gguf_file import LLAMA_FTYPES, format_bytes, read_gguf
from desktop_llm.core.models.quantization import quantization_from_filename

QUANTIZING_DIRNAME = ".quantizing"
RECORD_FILE = "quantized.json"
_POLL_S = 0.05
_START_TIMEOUT_S = 120.0

_FTYPE_IDS = {label: ftype for ftype, label in LLAMA_FTYPES.items()}

# The types offered, largest first: llama.cpp's non-importance-matrix quantizations.
# (IQ1/IQ2/IQ3 types need an importance matrix, which this app does not compute.)
TARGETS: tuple[str, ...] = (
    "Q8_0",
    "Q6_K",
    "Q5_1",
    "Q5_K_M",
    "Q5_K_S",
    "Q5_0",
    "Q4_1",
    "Q4_K_M",
    "Q4_K_S",
    "IQ4_NL",
    "Q4_0",
    "IQ4_XS",
    "Q3_K_L",
    "Q3_K_M",
    "Q3_K_S",
    "Q2_K",
)
# Types llama.cpp only makes with an importance matrix.
NEEDS_IMATRIX = ("IQ1_S", "IQ1_M", "IQ2_XXS", "IQ2_XS", "IQ2_S", "IQ2_M", "Q2_K_S")
UNQUANTIZED = ("F32", "F16", "BF16")

# Nominal bits per weight (llama.cpp's quantize figures for a 7B/8B llama), only to order
# the types: the real size of a given model comes from the dry run.
BITS_PER_WEIGHT: dict[str, float] = {
    "F32": 32.0,
    "F16": 16.0,
    "BF16": 16.0,
    "Q8_0": 8.5,
    "Q6_K": 6.56,
    "Q5_1": 6.0,
    "Q5_K_M": 5.69,
    "Q5_K_S": 5.54,
    "Q5_0": 5.5,
    "Q4_1": 5.0,
    "Q4_1_SOME_F16": 5.0,
    "Q4_K_M": 4.89,
    "Q4_K_S": 4.58,
    "IQ4_NL": 4.5,
    "Q4_0": 4.5,
    "MXFP4_MOE": 4.25,
    "IQ4_XS": 4.25,
    "Q3_K_L": 4.27,
    "Q3_K_M": 3.91,
    "IQ3_M": 3.66,
    "Q3_K_S": 3.5,
    "IQ3_S": 3.44,
    "IQ3_XS": 3.3,
    "IQ3_XXS": 3.06,
    "Q2_K": 2.96,
    "IQ2_M": 2.7,
    "Q2_K_S": 2.6,
    "IQ2_S": 2.5,
    "IQ2_XS": 2.31,
    "IQ2_XXS": 2.06,
    "TQ2_0": 2.06,
    "IQ1_M": 1.75,
    "TQ1_0": 1.69,
    "IQ1_S": 1.56,
}

Progress = Callable[["QuantizeProgress"], None]


@dataclass(frozen=True)
class QuantizeProgress:
    stage: str  # 'starting' | 'checking' | 'quantizing' | 'validating'
    done: int = 0  # tensors written
    total: int = 0  # tensors in the model

    @property
    def fraction(self) -> float | None:
        return self.done / self.total if self.total else None


@dataclass(frozen=True)
class Estimate:
    """What a dry run says a target would give for one model."""

    target: str
    size_bytes: int  # the expected file size
    source_bytes: int  # the source file's size
    fallback_tensors: int  # tensors llama.cpp stores in another type (shape, not divisible)
    tensors: int

    @property
    def smaller(self) -> bool:
        return self.size_bytes < self.source_bytes


@dataclass(frozen=True)
class MadeHere:
    """What a quantization made here was made from (kept in <models>/quantized.json)."""

    source: str  # the source model's name
    source_quantization: str | None
    quantization: str
    made: str  # ISO date and time (UTC)

    @property
    def requantized(self) -> bool:
        """Made from a file that was already quantized (more quality lost)."""
        return (self.source_quantization or "").upper() not in UNQUANTIZED

    def note(self) -> str:
        """One paragraph for the manager, the dialog and the CLI."""
        if not self.requantized:
            return arg(
                translate("Quantize", "Made on this computer from %1 (%2)."),
                self.source,
                self.source_quantization or "?",
            )
        return requantize_note(self.source, self.source_quantization, self.quantization)


@dataclass(frozen=True)
class Quantized:
    """A finished quantization, installed in the models folder."""

    path: Path
    target: str
    source_size: int
    size_bytes: int
    seconds: float
    tensors: int
    fallback_tensors: int
    made: MadeHere

    @property
    def saved_fraction(self) -> float:
        return 1 - self.size_bytes / self.source_size if self.source_size else 0.0


def requantize_note(source: str, source_quantization: str | None, target: str) -> str:
    return arg(
        translate(
            "Quantize",
            "Made from %1, which was already quantized (%2). Quantizing a quantized file "
            "again loses more quality than quantizing the original F16 or F32 weights: "
            "an official %3 file of the same model would answer better.",
        ),
        source,
        source_quantization or "?",
        target,
    )


# --- choosing a target -------------------------------------------------------------------


def parse_target(text: str) -> str:
    """A target type from what the user typed ('q4_k_m', 'Q4_K_M'); UserError in words."""
    label = text.strip().upper().replace("-", "_")
    if label in TARGETS:
        return label
    if label in NEEDS_IMATRIX:
        raise UserError(
            arg(
                translate(
                    "Quantize",
                    "%1 needs an importance matrix, which this app does not compute. "
                    "Choose one of: %2.",
                ),
                label,
                ", ".join(TARGETS),
            )
        )
    raise UserError(
        arg(
            translate(
                "Quantize", "'%1' is not a quantization type this app makes. Choose one of: %2."
            ),
            text.strip(),
            ", ".join(TARGETS),
        )
    )


def smaller_targets(source_quantization: str | None) -> list[str]:
    """The offered types nominally smaller than the source's (all when it is unknown)."""
    bits = BITS_PER_WEIGHT.get((source_quantization or "").upper())
    if bits is None:
        return list(TARGETS)
    return [t for t in TARGETS if BITS_PER_WEIGHT[t] < bits]


def not_smaller_reason(source_quantization: str | None, target: str) -> str | None:
    """Why target cannot make this source smaller, in words; None when it nominally can."""
    source = (source_quantization or "").upper()
    bits = BITS_PER_WEIGHT.get(source)
    if bits is None or BITS_PER_WEIGHT[target] < bits:
        return None
    choices = smaller_targets(source)
    if target == source:
        first = arg(translate("Quantize", "The model is already %1."), source)
    else:
        first = arg(
            translate("Quantize", "%1 is not smaller than %2, the model's own type."),
            target,
            source,
        )
    if not choices:
        return first + " " + translate("Quantize", "No smaller type can be made from it.")
    return first + " " + arg(translate("Quantize", "Choose a smaller one: %1."), ", ".join(choices))


def output_name(source_stem: str, target: str) -> str:
    """'SmolLM2-135M-Instruct.Q4_1' -> 'SmolLM2-135M-Instruct.Q4_0.gguf': the source's
    quantization label replaced (its last one), else the target appended."""
    label = quantization_from_filename(source_stem + ".gguf")
    if label:
        at = source_stem.upper().rfind(label)
        if at >= 0:
            return source_stem[:at] + target + source_stem[at + len(label) :] + ".gguf"
    return f"{source_stem}-{target}.gguf"


# --- the records -------------------------------------------------------------------------

_records_lock = threading.Lock()


def read_made_here(models_dir: Path) -> dict[str, MadeHere]:
    """Resolved path -> what it was made from, for every quantization made here."""
    with _records_lock:
        try:
            raw = json.loads((Path(models_dir) / RECORD_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
    out: dict[str, MadeHere] = {}
    if not isinstance(raw, dict):
        return out
    for path, value in raw.items():
        if not isinstance(value, dict):
            continue
        try:
            out[str(path)] = MadeHere(
                source=str(value["source"]),
                source_quantization=value.get("source_quantization"),
                quantization=str(value["quantization"]),
                made=str(value.get("made", "")),
            )
        except (KeyError, TypeError):
            continue
    return out


def set_made_here(models_dir: Path, path: Path, record: MadeHere | None) -> None:
    """Record what path was made from, or forget it (record None)."""
    file = Path(models_dir) / RECORD_FILE
    with _records_lock:
        try:
            raw = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raw = {}
        if not isinstance(raw, dict):
            raw = {}
        if record is None:
            if raw.pop(str(path), None) is None:
                return
        else:
            raw[str(path)] = asdict(record)
        tmp = file.with_name(file.name + ".tmp")
        tmp.write_text(json.dumps(raw, indent=1, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, file)


# --- the child process -------------------------------------------------------------------

_TENSOR_LINE = re.compile(r"\[\s*(\d+)/\s*(\d+)\]")
_SIZES = re.compile(r"(model|quant) size\s*=\s*([\d.]+) MiB")
_FALLBACK = re.compile(r"(\d+) of (\d+) tensor\(s\) required fallback")


def _child_main(conn: Connection, job: dict[str, Any]) -> None:
    """Entry point of the quantizer process: dry runs for job['targets'], then (when
    job['output']) the quantization itself, reporting over conn."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C: the parent decides, and kills
    import ctypes

    import llama_cpp  # only the child loads native code

    lines: list[str] = []
    state = {"report": False, "n": 0}

    @llama_cpp.llama_log_callback
    def on_log(level: int, text: bytes, user_data: ctypes.c_void_p) -> None:
        chunk = text.decode("utf-8", "replace")
        lines.append(chunk)
        if state["report"]:
            m = _TENSOR_LINE.match(chunk)
            if m:
                state["n"] = int(m.group(2))
                conn.send(("progress", int(m.group(1)), int(m.group(2))))

    llama_cpp.llama_log_set(on_log, ctypes.c_void_p(0))

    def run(target: str, output: str, dry: bool) -> tuple[int, dict[str, Any]]:
        lines.clear()
        params = llama_cpp.llama_model_quantize_default_params()
        params.ftype = job["ftypes"][target]
        params.nthread = job["threads"]
        params.allow_requantize = True
        params.dry_run = dry
        state["report"] = not dry
        rc = llama_cpp.llama_model_quantize(
            job["source"].encode(), output.encode(), ctypes.byref(params)
        )
        text = "".join(lines)
        sizes = {k: float(v) for k, v in _SIZES.findall(text)}
        fallback = _FALLBACK.search(text)
        tensors = [int(m.group(2)) for m in _TENSOR_LINE.finditer(text)]
        facts = {
            "model_mib": sizes.get("model"),
            "quant_mib": sizes.get("quant"),
            "fallback": int(fallback.group(1)) if fallback else 0,
            "tensors": tensors[-1] if tensors else 0,
            "errors": [
                line.strip()
                for line in text.splitlines()
                if "failed" in line or "error" in line.lower()
            ][-3:],
        }
        return rc, facts

    conn.send(("ready", os.getpid()))
    for target in job["targets"]:
        rc, facts = run(target, os.path.join(job["scratch"], "dry-run.gguf"), True)
        conn.send(("estimate", target, rc, facts))
    if job.get("output"):
        go = conn.recv()
        if go != "go":
            return
        rc, facts = run(job["target"], job["output"], False)
        conn.send(("done", rc, facts))
    conn.close()


class _Child:
    """The quantizer process, seen from the parent."""

    def __init__(self, job: dict[str, Any], should_stop: Callable[[], bool] | None) -> None:
        ctx = mp.get_context("spawn")
        self.should_stop = should_stop
        self.conn, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(
            target=_child_main, args=(child, job), name="desktop-llm-quantize", daemon=True
        )
        self.proc.start()
        child.close()

    def receive(self, timeout: float | None = None) -> tuple[Any, ...]:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            if self.should_stop is not None and self.should_stop():
                self.kill()
                raise Cancelled("The quantization was stopped.")
            try:
                if self.conn.poll(_POLL_S):
                    return self.conn.recv()
            except (EOFError, OSError):
                self.proc.join(timeout=2)
                raise self._died() from None
            if not self.proc.is_alive():
                self.proc.join(timeout=1)
                raise self._died()
            if deadline is not None and time.monotonic() > deadline:
                self.kill()
                raise UserError(translate("Quantize", "The quantizer did not start in time."))

    def send(self, message: object) -> None:
        try:
            self.conn.send(message)
        except OSError:
            raise self._died() from None

    def _died(self) -> UserError:
        code = self.proc.exitcode
        self.kill()
        if code is not None and code < 0:
            try:
                how = signal.Signals(-code).name
            except ValueError:
                how = str(-code)
        else:
            how = arg(translate("Quantize", "exit code %1"), code)
        return UserError(
            arg(
                translate("Quantize", "The quantizer stopped unexpectedly (%1); nothing was kept."),
                how,
            )
        )

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(timeout=5)
        with contextlib.suppress(OSError):
            self.conn.close()

    def close(self) -> None:
        self.proc.join(timeout=5)
        self.kill()


# --- the work ----------------------------------------------------------------------------


def _check_source(source: Path) -> tuple[Any, int]:
    try:
        if not source.is_file():
            raise UserError(arg(translate("Quantize", "The model file %1 is missing."), source))
        info = read_gguf(source)  # BadModelFile names what is wrong
        return info, source.stat().st_size
    except OSError as e:
        raise UserError(
            arg(translate("Quantize", "%1 cannot be read: %2."), source, e.strerror or e)
        ) from None


def _scratch(models_dir: Path) -> Path:
    scratch = Path(models_dir) / QUANTIZING_DIRNAME
    try:
        scratch.mkdir(parents=True, exist_ok=True)
        probe = scratch / f".probe.{os.getpid()}.{threading.get_ident()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as e:
        raise UserError(
            arg(
                translate("Quantize", "The models folder %1 cannot be written to: %2."),
                models_dir,
                e.strerror or e,
            )
        ) from None
    return scratch


def _estimate(target: str, rc: int, facts: Mapping[str, Any], source_size: int) -> Estimate:
    if rc != 0 or facts.get("quant_mib") is None or facts.get("model_mib") is None:
        raise UserError(
            arg(
                translate("Quantize", "llama.cpp cannot make %1 from this model: %2"),
                target,
                "; ".join(facts.get("errors") or ()) or "?",
            )
        )
    # The header (metadata, vocabulary) stays; the tensor data changes by the dry run's sum.
    delta = (facts["quant_mib"] - facts["model_mib"]) * (1 << 20)
    return Estimate(
        target=target,
        size_bytes=max(0, int(source_size + delta)),
        source_bytes=source_size,
        fallback_tensors=int(facts.get("fallback") or 0),
        tensors=int(facts.get("tensors") or 0),
    )


def estimate_sizes(
    source: Path,
    targets: Iterable[str] = TARGETS,
    *,
    models_dir: Path | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> dict[str, Estimate]:
    """The expected file size of each target for this model (llama.cpp's dry run, in a
    child process; about a second to start it, then tens of milliseconds per type)."""
    source = Path(source)
    _check_source(source)
    size = source.stat().st_size
    targets = [parse_target(t) for t in targets]
    scratch = _scratch(models_dir) if models_dir is not None else source.parent
    job = {
        "source": str(source),
        "targets": targets,
        "ftypes": {t: _FTYPE_IDS[t] for t in targets},
        "threads": 1,
        "scratch": str(scratch),
    }
    child = _Child(job, should_stop)
    try:
        child.receive(_START_TIMEOUT_S)
        out = {}
        for _ in targets:
            _, target, rc, facts = child.receive()
            with contextlib.suppress(UserError):
                out[target] = _estimate(target, rc, facts, size)
        return out
    finally:
        child.close()


def quantize_file(
    source: Path,
    models_dir: Path,
    target: str,
    *,
    source_name: str | None = None,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
    threads: int = 0,
) -> Quantized:
    """Write a smaller quantization of source into models_dir and record what it was made
    from. UserError in words (unknown or not-smaller type, damaged source, no room, an
    unwritable folder, a quantizer failure); Cancelled when should_stop() turns true (the
    partial file is removed)."""
    started = time.monotonic()
    source = Path(source)
    target = parse_target(target)
    name = source_name or source.stem
    report = progress or (lambda _p: None)
    report(QuantizeProgress("starting"))
    info, source_size = _check_source(source)
    source_quant = info.quantization
    reason = not_smaller_reason(source_quant, target)
    if reason is not None:
        raise UserError(reason)
    models_dir = Path(models_dir)
    scratch = _scratch(models_dir)
    final_name = output_name(source.stem, target)
    tmp = scratch / f"{final_name}.{os.getpid()}.{threading.get_ident()}.tmp"
    job = {
        "source": str(source),
        "targets": [target],
        "ftypes": {target: _FTYPE_IDS[target]},
        "threads": threads,
        "scratch": str(scratch),
        "output": str(tmp),
        "target": target,
    }
    child = _Child(job, should_stop)
    try:
        child.receive(_START_TIMEOUT_S)
        report(QuantizeProgress("checking"))
        _, _, rc, facts = child.receive()
        expected = _estimate(target, rc, facts, source_size)
        if not expected.smaller:
            child.send("stop")
            raise UserError(_would_not_shrink(name, expected))
        free = shutil.disk_usage(scratch).free
        if free < expected.size_bytes + (16 << 20):
            child.send("stop")
            raise UserError(_no_room(models_dir, expected.size_bytes, free))
        child.send("go")
        while True:
            event = child.receive()
            if event[0] == "progress":
                report(QuantizeProgress("quantizing", event[1], event[2]))
            elif event[0] == "done":
                _, rc, facts = event
                break
        child.close()
        if rc != 0:
            raise UserError(_failed(models_dir, target, facts, expected.size_bytes))
        report(QuantizeProgress("validating", facts["tensors"], facts["tensors"]))
        result = _validate(tmp, target, info, source_size)
        path = install_file(tmp, models_dir, final_name)
    except BaseException:
        child.kill()
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    made = MadeHere(
        source=name,
        source_quantization=source_quant,
        quantization=target,
        made=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    set_made_here(models_dir, path.resolve(), made)
    return Quantized(
        path=path,
        target=target,
        source_size=source_size,
        size_bytes=result,
        seconds=time.monotonic() - started,
        tensors=int(facts.get("tensors") or 0),
        fallback_tensors=expected.fallback_tensors,
        made=made,
    )


def _validate(tmp: Path, target: str, source_info: Any, source_size: int) -> int:
    """The written file's size, after the app's own reader has accepted it."""
    try:
        info = read_gguf(tmp)
    except BadModelFile as e:
        raise UserError(
            arg(translate("Quantize", "The new file did not pass the check: %1"), e)
        ) from None
    problems = []
    if info.file_type != _FTYPE_IDS[target]:
        problems.append(
            arg(
                translate("Quantize", "its type is %1 instead of %2"),
                info.quantization or "?",
                target,
            )
        )
    if len(info.tensors) != len(source_info.tensors):
        problems.append(
            arg(
                translate("Quantize", "it has %1 tensors instead of %2"),
                len(info.tensors),
                len(source_info.tensors),
            )
        )
    size = tmp.stat().st_size
    if size >= source_size:
        problems.append(
            arg(
                translate("Quantize", "it is %1, not smaller than the original's %2"),
                format_bytes(size),
                format_bytes(source_size),
            )
        )
    if problems:
        raise UserError(
            arg(
                translate("Quantize", "The new file was not kept: %1."),
                "; ".join(problems),
            )
        )
    return size


def _would_not_shrink(name: str, expected: Estimate) -> str:
    text = arg(
        translate(
            "Quantize",
            "%1 would come out at %2 as %3: not smaller than the %4 it has now.",
        ),
        name,
        format_bytes(expected.size_bytes),
        expected.target,
        format_bytes(expected.source_bytes),
    )
    if expected.fallback_tensors:
        text += " " + arg(
            translate(
                "Quantize",
                "%1 of its %2 tensors have rows llama.cpp cannot store in this type (their "
                "width is not a multiple of 256), so they fall back to a larger one.",
            ),
            expected.fallback_tensors,
            expected.tensors,
        )
    return text


def _no_room(models_dir: Path, needed: int, free: int) -> str:
    return arg(
        translate(
            "Quantize",
            "Not enough disk space in %1: the new file needs about %2 and %3 is free.",
        ),
        models_dir,
        format_bytes(needed),
        format_bytes(free),
    )


def _failed(models_dir: Path, target: str, facts: Mapping[str, Any], needed: int) -> str:
    with contextlib.suppress(OSError):
        if shutil.disk_usage(models_dir).free < (1 << 20):
            return arg(
                translate("Quantize", "The disk holding %1 is full; nothing was kept."),
                models_dir,
            )
    return arg(
        translate("Quantize", "llama.cpp could not make %1: %2"),
        target,
        "; ".join(facts.get("errors") or ()) or "?",
    )
