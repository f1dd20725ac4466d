"""Before downloading: what a model file would cost here, forecast from the models measured here.

From the chat replies this computer has metered, each GGUF file gets a forecast of its joules
per reply and its writing speed (tokens/s), scaled by file size from the models measured.
Nothing is invented: with no measured reply there is no forecast (`ForecastBasis.why_not`
says why), and every figure is labelled a forecast ("about 0.4 J per reply, forecast from 2
models measured here").

Why scale by the file's size in bytes
-------------------------------------
Writing a reply is decoding, one token at a time, and each token reads every weight of the
model once: on a CPU (and on a GPU too) that is bound by memory bandwidth, not arithmetic.
So the seconds per token are a fixed cost (sampling, detokenizing, the pipe, the threads'
hand-offs) plus the file's bytes over the memory's effective bandwidth:

    seconds per token  t(s) = t0 + s / B                       (s: the file's size in bytes)

The file size, not the parameter count, is what is read, so a Q8_0 file is slower than a
Q4_K_M file of the same model, as it is in practice. The power drawn while decoding is about
the same for every model on one machine (the same threads keep the same cores busy), so the
joules per token follow the same form, at that power P:

    joules per token   e(s) = P·t0 + P·s / B  =  e0 + e1·s

Both lines are fitted to the models measured here: with two or more, by least squares on each
model's figures (a fixed part and a part per byte); when that fit is unphysical (a larger
file cheaper per token, or a negative fixed part: noise, or a busy machine) or with one model,
the figure is taken as proportional to the size through the measured points (t0 = e0 = 0).
One-point scaling puts the measured model's fixed cost in its per-byte rate, so for larger
files it forecasts slower, costlier replies than they will likely be: a cautious error.
Forecasts far outside the sizes measured (over four times the largest, under a quarter of
the smallest) are marked rough.

The joules per token are over the whole metered window of a reply (its prompt's evaluation
included, which also grows with the model's size) divided by the tokens it wrote; the figure
per reply is that times the median length of the chat replies measured here, which the
forecast names. Only chat replies count (a task's batches and parts have other shapes).
Only this computer's own replies count: a remote engine's (not measured here, or estimated
from the user's figure for the server) never enter a fit. Metered records are used where a
model has them; a model with only estimated energy (CPU
time × the processor's power) is used only when no model was metered, and the forecast says
its energy was estimated. The forecast assumes the settings the replies were measured with
(threads, GPU layers, device).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from desktop_llm.core.energy.reading import REMOTE
from desktop_llm.core.energy.report import format_joules
from desktop_llm.core.i18n import PLURAL, arg, translate
from desktop_llm.core.store import EnergyRow, Store

# Beyond this factor from the sizes measured, a forecast is marked rough.
FAR_FACTOR = 4.0


@dataclass(frozen=True)
class MeasuredModel:
    """What this computer measured of one model file."""

    model_file: str
    size_bytes: int
    replies: int = 0  # chat replies its energy is over
    completion_tokens: int = 0  # the tokens those replies wrote
    joules: float = 0.0  # their attributed joules
    estimated: bool = False  # that energy was estimated, not metered
    tokens_per_second: float | None = None  # its writing speed over every timed generation
    timed: int = 0  # generations the speed is over

    @property
    def joules_per_token(self) -> float | None:
        return self.joules / self.completion_tokens if self.completion_tokens else None

    @property
    def seconds_per_token(self) -> float | None:
        return 1.0 / self.tokens_per_second if self.tokens_per_second else None


@dataclass(frozen=True)
class Line:
    """y = intercept + slope × size (bytes); proportional when the intercept is 0."""

    intercept: float
    slope: float
    points: int  # the models it was fitted on
    lo: int  # the smallest and largest sizes measured
    hi: int

    def at(self, size: int) -> float:
        return self.intercept + self.slope * size

    @property
    def proportional(self) -> bool:
        return self.intercept == 0.0

    def far(self, size: int) -> bool:
        return size > self.hi * FAR_FACTOR or size < self.lo / FAR_FACTOR


def fit_line(points: Sequence[tuple[int, float]]) -> Line | None:
    """The line through (size, figure) points: least squares when it is physical (a positive
    cost per byte and a fixed part ≥ 0), else proportional through them; None without points."""
    points = [(s, y) for s, y in points if s > 0 and y > 0]
    if not points:
        return None
    sizes = [s for s, _ in points]
    lo, hi = min(sizes), max(sizes)
    if len(set(sizes)) >= 2:
        n = len(points)
        mean_s = sum(sizes) / n
        mean_y = sum(y for _, y in points) / n
        var = sum((s - mean_s) ** 2 for s in sizes)
        slope = sum((s - mean_s) * (y - mean_y) for s, y in points) / var
        intercept = mean_y - slope * mean_s
        if slope > 0 and intercept >= 0:
            return Line(intercept, slope, n, lo, hi)
    slope = sum(s * y for s, y in points) / sum(s * s for s in sizes)
    return Line(0.0, slope, len(points), lo, hi)


@dataclass(frozen=True)
class Forecast:
    """One file's expected cost here. A forecast unless `measured` (the file itself was)."""

    size_bytes: int
    joules_per_reply: float | None
    tokens_per_second: float | None
    reply_tokens: int  # the reply length the joules are for: the median measured here
    models: int  # how many measured models the joules (else the speed) are scaled from
    estimated: bool  # the energy it is scaled from was estimated, not metered
    measured: bool = False  # this very file was measured here: its own figures
    rough: bool = False  # far outside the sizes measured

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": "measured" if self.measured else "forecast",
            "joules_per_reply": self.joules_per_reply,
            "tokens_per_second": self.tokens_per_second,
            "reply_tokens": self.reply_tokens,
            "models_measured": self.models,
            "energy_estimated": self.estimated,
            "rough": self.rough,
        }


@dataclass(frozen=True)
class ForecastBasis:
    """The fits a forecast comes from, or why there is none (`why_not`)."""

    models: tuple[MeasuredModel, ...] = ()
    reply_tokens: int = 0  # the median chat reply measured here, in tokens
    joules: Line | None = None  # joules per token against size
    seconds: Line | None = None  # seconds per token against size
    estimated: bool = False
    why_not: str | None = None
    _by_file: dict[str, MeasuredModel] = field(default_factory=dict, compare=False, repr=False)

    @property
    def usable(self) -> bool:
        return self.why_not is None

    def forecast(self, size_bytes: int | None, filename: str | None = None) -> Forecast | None:
        """The file's forecast (its own figures when it was measured here); None without a
        basis or a size."""
        if not self.usable or not size_bytes or size_bytes <= 0:
            return None
        own = self._by_file.get(filename.lower()) if filename else None
        if own is not None and own.joules_per_token is not None and own.tokens_per_second:
            per_token = own.joules_per_token
            return Forecast(
                size_bytes,
                per_token * self.reply_tokens if self.reply_tokens else None,
                own.tokens_per_second,
                self.reply_tokens,
                1,
                own.estimated,
                measured=True,
            )
        joules = self.joules.at(size_bytes) if self.joules is not None else None
        seconds = self.seconds.at(size_bytes) if self.seconds is not None else None
        line = self.joules or self.seconds
        assert line is not None  # a usable basis has one
        return Forecast(
            size_bytes,
            joules * self.reply_tokens if joules and self.reply_tokens else None,
            1.0 / seconds if seconds else None,
            self.reply_tokens,
            line.points,
            self.estimated and self.joules is not None,
            rough=line.far(size_bytes),
        )


NOTHING_MEASURED = "nothing"
SIZES_UNKNOWN = "sizes"


def why_not_words(why: str) -> str:
    if why == SIZES_UNKNOWN:
        return translate(
            "Forecast",
            "No forecast: the models measured here are no longer installed, so their sizes are "
            "unknown.",
        )
    return translate("Forecast", "No forecast yet: no reply has been measured on this computer.")


def _contended(row: EnergyRow) -> bool:
    # Hook: a busy machine's records (schema.Energy's contended flag, once the store has one)
    # are left out where a model has quiet ones.
    return bool(getattr(row.energy, "contended", False))


def _measured_here(row: EnergyRow) -> bool:
    """A reply of this computer's own engine with figures: a remote engine's reply (not
    measured here, or estimated from the user's figure) says nothing of a file here."""
    return (
        row.engine == "local"
        and row.energy.source != REMOTE
        and row.energy.joules_attributed is not None
    )


def measured_models(
    rows: Iterable[EnergyRow],
    speeds: Mapping[str, tuple[float, int]],
    sizes: Mapping[str, int],
) -> tuple[list[MeasuredModel], list[int]]:
    """Per model file of known size: its chat replies' energy and tokens (metered records
    where it has any, else estimated ones), its speed; and every reply length used.

    rows: Store.energy_rows(); speeds: Store.speeds_by_model(); sizes: file name -> bytes
    (installed files, else the catalog's). Names compare without case."""
    size_of = {name.lower(): size for name, size in sizes.items()}
    per_model: dict[str, list[EnergyRow]] = {}
    for row in rows:
        if not _measured_here(row):
            continue
        if row.task == "chat" and row.energy.requests >= 1 and row.completion_tokens > 0:
            per_model.setdefault(row.model_file.lower(), []).append(row)
    speed_of = {name.lower(): speed for name, speed in speeds.items()}
    models, lengths = [], []
    for name in sorted(per_model.keys() | speed_of.keys()):
        size = size_of.get(name)
        if not size:
            continue
        chosen = per_model.get(name, [])
        quiet = [r for r in chosen if not _contended(r)]
        chosen = quiet or chosen
        metered = [r for r in chosen if r.energy.measured]
        chosen = metered or chosen
        lengths.extend(r.completion_tokens for r in chosen)
        tokens_per_second, timed = speed_of.get(name, (None, 0))
        models.append(
            MeasuredModel(
                model_file=name,
                size_bytes=size,
                replies=len(chosen),
                completion_tokens=sum(r.completion_tokens for r in chosen),
                joules=sum(r.energy.joules_attributed or 0.0 for r in chosen),
                estimated=bool(chosen) and not metered,
                tokens_per_second=tokens_per_second,
                timed=timed,
            )
        )
    return models, lengths


def build_basis(models: Sequence[MeasuredModel], reply_lengths: Sequence[int]) -> ForecastBasis:
    """The fits over the measured models: joules per token from the metered ones (the
    estimated ones only when none was metered), seconds per token from every timed one."""
    with_energy = [m for m in models if m.joules_per_token]
    metered = [m for m in with_energy if not m.estimated]
    energy_models = metered or with_energy
    joules = fit_line([(m.size_bytes, m.joules_per_token or 0.0) for m in energy_models])
    seconds = fit_line([(m.size_bytes, m.seconds_per_token or 0.0) for m in models])
    if joules is None and seconds is None:
        return ForecastBasis(why_not=NOTHING_MEASURED)
    return ForecastBasis(
        models=tuple(models),
        reply_tokens=int(statistics.median(reply_lengths)) if reply_lengths else 0,
        joules=joules,
        seconds=seconds,
        estimated=bool(energy_models) and not metered,
        _by_file={m.model_file: m for m in models},
    )


def basis_from_store(store: Store, sizes: Mapping[str, int]) -> ForecastBasis:
    """Reads the store (call it off the GUI thread). sizes: model file name -> bytes.

    Hook: the mini evaluations' stored runs (joules per item) can join the replies here."""
    rows = store.energy_rows()
    speeds = store.speeds_by_model()
    models, lengths = measured_models(rows, speeds, sizes)
    if not models:
        measured_any = any(r.task == "chat" and _measured_here(r) for r in rows) or bool(speeds)
        return ForecastBasis(why_not=SIZES_UNKNOWN if measured_any else NOTHING_MEASURED)
    return build_basis(models, lengths)


def _speed(tokens_per_second: float) -> str:
    return f"{tokens_per_second:.0f}" if tokens_per_second >= 10 else f"{tokens_per_second:.1f}"


def forecast_words(forecast: Forecast) -> str:
    """One sentence: 'Forecast here: about 0.42 J per reply and 35 tok/s, scaled by file size
    from 2 models measured on this computer.' (its own figures when it was measured here)."""
    joules = forecast.joules_per_reply
    speed = forecast.tokens_per_second
    n = forecast.models
    if forecast.measured and joules is not None and speed is not None:
        template = translate("Forecast", "Measured here: about %1 per reply and %2 tok/s.")
        text = arg(template, format_joules(joules), _speed(speed))
    elif joules is not None and speed is not None:
        template = translate(
            "Forecast", "Forecast here: about %1 per reply and %2 tok/s, scaled by file size "
            "from %n model(s) measured on this computer.", None, PLURAL, n
        )  # fmt: skip
        text = arg(template, format_joules(joules), _speed(speed))
    elif joules is not None:
        template = translate(
            "Forecast", "Forecast here: about %1 per reply, scaled by file size "
            "from %n model(s) measured on this computer.", None, PLURAL, n
        )  # fmt: skip
        text = arg(template, format_joules(joules))
    elif speed is not None:
        template = translate(
            "Forecast", "Forecast here: about %1 tok/s, scaled by file size "
            "from %n model(s) measured on this computer.", None, PLURAL, n
        )  # fmt: skip
        text = arg(template, _speed(speed))
    else:
        return ""
    if forecast.estimated and joules is not None:
        estimated = translate(
            "Forecast", "The energy it is scaled from was estimated, not metered."
        )
        text = _then(text, estimated)
    if forecast.rough:
        text = _then(text, translate("Forecast", "Rough: far from the sizes measured here."))
    return text


def _then(first: str, second: str) -> str:
    """Two sentences in a row ('A. B.' in English; no space between Chinese sentences)."""
    return arg(translate("Forecast", "%1 %2", "a sentence, then the next"), first, second)


def forecast_details(forecast: Forecast) -> str:
    """What the figures assume (a tooltip)."""
    parts = []
    tokens = forecast.reply_tokens
    if tokens:
        per_reply = translate(
            "Forecast", "Per reply: a reply of %n token(s), the median of the chat replies "
            "measured here, its prompt included.", None, PLURAL, tokens
        )  # fmt: skip
        parts.append(per_reply)
    parts.append(
        translate(
            "Forecast",
            "Writing a token reads the whole file once, so time and energy per token grow with "
            "the file's size; the forecast assumes the settings the replies here were measured "
            "with (threads, GPU layers).",
        )
    )
    return parts[0] if len(parts) == 1 else _then(parts[0], parts[1])
