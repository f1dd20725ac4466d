"""Eco mode's calibration: joules per token and tokens/s of a model at a few thread counts.

The model is loaded with each thread count in turn (eco.thread_counts(): 1, 2, 4... and the
physical cores) through the app's real engine, and generates the same reply (greedy, a fixed
seed, the KV cache forgotten) inside an energy window of the app's meters, like any reply.
A short unmetered reply first warms each load up. The thread counts are measured in turns,
`rounds` times over (1, 2, 1, 2...), so a change in the machine's load during the run falls
on each of them alike; each thread count's joules and tokens are summed over its rounds.

The calibration also stores how busy the machine was with other work just before it began
(eco.other_load()), and, where the energy records carry it, the other programs' CPU share
during the windows. Nothing is stored when the run is stopped or a window has no tokens.
Generations made here are not replies: no conversation or generation record is written.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace

from desktop_llm.core.eco import Calibration, Entry, machine, now_iso, other_load, thread_counts
from desktop_llm.core.engine.protocol import ChatMessage, Done, SamplingParams
from desktop_llm.core.errors import UserError
from desktop_llm.core.i18n import translate
from desktop_llm.core.model_host import ModelHost

PROMPT = (
    "Describe, in plain words and several paragraphs, how a lighthouse keeper spends one "
    "winter day, from waking up to the last check of the lamp."
)
TOKENS = 64
ROUNDS = 2
LOAD_SECONDS = 1.0


@dataclass(frozen=True)
class CalibrationProgress:
    done: int  # measured windows so far
    total: int
    threads: int  # the thread count being measured next (or last, when done == total)


class CalibrationStopped(UserError):
    pass


def calibrate(
    host: ModelHost,
    name: str | None = None,
    *,
    threads: list[int] | None = None,
    tokens: int = TOKENS,
    rounds: int = ROUNDS,
    stop: threading.Event | None = None,
    progress: Callable[[CalibrationProgress], None] | None = None,
) -> Calibration:
    """Measure, store (host.calibrations) and return a calibration of the model `name` (the
    chat's default model when None). Blocking: run it off the GUI thread, while nothing
    else generates. CalibrationStopped when `stop` is set (nothing is stored)."""
    stop = stop or threading.Event()
    counts = sorted(set(threads or thread_counts()))
    total = len(counts) * rounds
    with host.in_use():
        model = host.resolve(name)
        host.info(model)  # a file llama.cpp must not see is refused here
        base = host.load_spec(model, eco=False)
        # tokens, window seconds, joules, decoding seconds
        sums: dict[int, list[float]] = {n: [0, 0.0, 0.0, 0.0] for n in counts}
        shares: dict[int, list[float | None]] = {n: [] for n in counts}
        contended: dict[int, list[bool | None]] = {n: [] for n in counts}
        device, source, measured = "", "", True
        load: float | None = None
        done = 0
        messages = [ChatMessage("user", PROMPT)]
        params = SamplingParams(temperature=0.0, max_tokens=tokens, seed=0)
        warm = replace(params, max_tokens=4)
        for _ in range(rounds):
            for n in counts:
                if progress is not None:
                    progress(CalibrationProgress(done, total, n))
                if stop.is_set():
                    raise CalibrationStopped(translate("Eco", "The calibration was stopped."))
                loaded = host.local.load(replace(base, n_threads=n))
                device = loaded.device
                if load is None:  # the machine's load before the first measured window
                    load = other_load(LOAD_SECONDS, host.local.pid, stop)
                _finish(host.local.generate(messages, warm, reuse_prefix=False))
                window = host.open_energy_window()
                try:
                    result = _finish(host.local.generate(messages, params, reuse_prefix=False))
                finally:
                    record = window.close()
                if result is None or result.stats.completion_tokens <= 0:
                    raise UserError(translate("Eco", "The model gave no tokens to measure."))
                s = sums[n]
                stats = result.stats
                s[0] += stats.completion_tokens
                s[1] += record.seconds
                s[2] += record.joules_attributed
                s[3] += (
                    stats.completion_tokens / stats.tokens_per_second
                    if stats.tokens_per_second
                    else stats.duration_ms / 1000
                )
                # The contention figures, once the energy records carry them.
                shares[n].append(getattr(record, "other_cpu_share", None))
                contended[n].append(getattr(record, "contended", None))
                source = record.source
                measured = measured and record.measured
                done += 1
        if progress is not None:
            progress(CalibrationProgress(done, total, counts[-1]))
        entries = tuple(
            Entry(
                threads=n,
                tokens=int(sums[n][0]),
                seconds=sums[n][1],
                joules=sums[n][2],
                joules_per_token=sums[n][2] / sums[n][0],
                tokens_per_second=sums[n][0] / sums[n][3] if sums[n][3] > 0 else 0.0,
                other_cpu_share=_largest(shares[n]),
                contended=_any(contended[n]),
            )
            for n in counts
        )
        calibration = Calibration(
            model=model.name,
            model_file=model.path.name,
            sha256=host.sha256(model),
            gpu_layers=base.n_gpu_layers,
            device=device,
            machine=machine(),
            load=load or 0.0,
            meter_source=source,
            measured=measured,
            tokens=tokens,
            rounds=rounds,
            measured_at=now_iso(),
            entries=entries,
        )
        host.calibrations.add(calibration)
        return calibration


def _finish(events: object) -> Done | None:
    done = None
    for event in events:  # type: ignore[attr-defined]
        if isinstance(event, Done):
            done = event
    return done


def _largest(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return max(known) if known else None


def _any(values: list[bool | None]) -> bool | None:
    known = [v for v in values if v is not None]
    return any(known) if known else None
