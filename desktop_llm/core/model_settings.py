"""Per-model engine settings: context length, GPU layers, threads and a chat template that
replace the app-wide ones (Settings: engine.*) for one model.

They live in their own file beside settings.json (model_settings.json), keyed by the
model's name (InstalledModel.name), holding only what differs from the app-wide settings:

    {"SmolLM2-135M-Instruct.Q4_1": {"context_length": 512, "threads": 2}}

Not in settings.json: OPTIONS declares scalar options with fixed bounds, while these are a
map of models whose bounds depend on each file (its trained context, its layers), and
Settings keeps only declared keys, so a key there would be dropped at the next save.

Every value is checked before it is saved (check()): the context from 256 to what the
model was trained for (its GGUF metadata), GPU layers from -1 (all) to the model's layers,
threads from 1 to this computer's CPUs, and a template must compile in the engine's Jinja
sandbox and render a plain exchange. ModelHost.load_spec() applies them; a change for the
loaded model reloads it at its next use (the load spec differs). The file is read again
when it changes on disk, so the CLI's changes reach a running window.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from desktop_llm.core.config import OPTIONS_BY_NAME, SetAside, Settings, WatchedJsonFile
from desktop_llm.core.engine.chat_template import template_problem
from desktop_llm.core.errors import UserError
from desktop_llm.core.i18n import arg, translate
from desktop_llm.core.models.gguf_file import GGUFInfo

FILE_NAME = "model_settings.json"
MIN_CONTEXT = 256
# Bounds when the file does not say (no context length or layer count in its metadata).
MAX_CONTEXT = int(OPTIONS_BY_NAME["engine.context_length"].maximum or 131072)
MAX_GPU_LAYERS = int(OPTIONS_BY_NAME["engine.gpu_layers"].maximum or 1000)
ALL_LAYERS = -1

# The fields, in the order they are shown.
CONTEXT, GPU_LAYERS, THREADS, TEMPLATE = "context_length", "gpu_layers", "threads", "chat_template"
FIELDS = (CONTEXT, GPU_LAYERS, THREADS, TEMPLATE)


@dataclass(frozen=True)
class ModelOverrides:
    """What one model uses instead of the app-wide settings; None: the app-wide value (the
    model's own template for chat_template)."""

    context_length: int | None = None
    gpu_layers: int | None = None
    threads: int | None = None
    chat_template: str | None = None

    @property
    def empty(self) -> bool:
        return all(getattr(self, f) is None for f in FIELDS)

    def as_json(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in FIELDS if getattr(self, f) is not None}

    @classmethod
    def from_json(cls, raw: object) -> ModelOverrides:
        """From the file: values of the wrong type are left out (the app-wide one is used)."""
        if not isinstance(raw, Mapping):
            return cls()
        values: dict[str, Any] = {}
        for name in (CONTEXT, GPU_LAYERS, THREADS):
            value = raw.get(name)
            if isinstance(value, int) and not isinstance(value, bool):
                values[name] = value
        template = raw.get(TEMPLATE)
        if isinstance(template, str) and template.strip():
            values[TEMPLATE] = template
        return cls(**values)


@dataclass(frozen=True)
class ModelLimits:
    """What a model's file allows: its trained context and its layers (None when the
    metadata does not say), and this computer's CPUs."""

    trained_context: int | None
    layers: int | None
    cpus: int

    @classmethod
    def of(cls, info: GGUFInfo) -> ModelLimits:
        arch = info.architecture
        layers = info.metadata.get(f"{arch}.block_count") if arch else None
        if not isinstance(layers, int) or isinstance(layers, bool) or layers <= 0:
            layers = None
        trained = info.context_length
        return cls(trained if trained and trained > 0 else None, layers, os.cpu_count() or 1)

    @property
    def max_context(self) -> int:
        return max(MIN_CONTEXT, self.trained_context or MAX_CONTEXT)

    @property
    def max_gpu_layers(self) -> int:
        return self.layers or MAX_GPU_LAYERS


@dataclass(frozen=True)
class EngineValues:
    """What the engine loads a model with: the overrides over the app-wide settings."""

    context_length: int
    gpu_layers: int
    threads: int
    chat_template: str | None  # None: the model's own

    @classmethod
    def of(cls, settings: Settings, overrides: ModelOverrides) -> EngineValues:
        o = overrides
        return cls(
            settings["engine.context_length"] if o.context_length is None else o.context_length,
            settings["engine.gpu_layers"] if o.gpu_layers is None else o.gpu_layers,
            settings["engine.threads"] if o.threads is None else o.threads,
            o.chat_template,
        )


class InvalidModelSettings(UserError):
    """Values that cannot be saved; problems maps each field to the reason, in words."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        super().__init__(" ".join(problems[f] for f in FIELDS if f in problems))
        self.problems = dict(problems)


def parse_number(name: str, text: str) -> int | None:
    """A typed value: '' is None (the app-wide value); else a whole number, or ValueError
    with the reason in words."""
    text = text.strip().replace(",", "").replace("，", "")
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise ValueError(
            arg(translate("ModelSettings", "%1 must be a whole number."), field_label(name))
        ) from None


def field_label(name: str) -> str:
    labels = {
        CONTEXT: translate("ModelSettings", "Context length"),
        GPU_LAYERS: translate("ModelSettings", "GPU layers"),
        THREADS: translate("ModelSettings", "Threads"),
        TEMPLATE: translate("ModelSettings", "Chat template"),
    }
    return labels[name]


def check_field(name: str, value: Any, limits: ModelLimits) -> str | None:
    """Why this value cannot be saved for a model with these limits; None when it can.
    The template check compiles and renders it (a few milliseconds for a real one)."""
    if value is None:
        return None
    if name == TEMPLATE:
        if not isinstance(value, str):
            return translate("ModelSettings", "The chat template must be text.")
        problem = template_problem(value)
        if problem is None:
            return None
        return arg(translate("ModelSettings", "The chat template does not work: %1"), problem)
    if not isinstance(value, int) or isinstance(value, bool):
        return arg(translate("ModelSettings", "%1 must be a whole number."), field_label(name))
    if name == CONTEXT:
        top = limits.max_context
        if MIN_CONTEXT <= value <= top:
            return None
        if limits.trained_context:
            return arg(
                translate(
                    "ModelSettings",
                    "The context length must be from %1 to %2 tokens: %2 is what this model "
                    "was trained for.",
                ),
                f"{MIN_CONTEXT:,}",
                f"{top:,}",
            )
        return arg(
            translate("ModelSettings", "The context length must be from %1 to %2 tokens."),
            f"{MIN_CONTEXT:,}",
            f"{top:,}",
        )
    if name == GPU_LAYERS:
        if ALL_LAYERS <= value <= limits.max_gpu_layers:
            return None
        if limits.layers:
            return arg(
                translate(
                    "ModelSettings",
                    "GPU layers must be from -1 (all) to %1, the layers this model has.",
                ),
                limits.layers,
            )
        return arg(
            translate("ModelSettings", "GPU layers must be from -1 (all) to %1."),
            limits.max_gpu_layers,
        )
    if name == THREADS:
        if 1 <= value <= limits.cpus:
            return None
        return arg(
            translate(
                "ModelSettings", "Threads must be from 1 to %1, the CPU threads of this computer."
            ),
            limits.cpus,
        )
    raise KeyError(name)


def check(overrides: ModelOverrides, limits: ModelLimits) -> dict[str, str]:
    """Every field's problem (field -> reason); empty when all can be saved."""
    problems = {}
    for name in FIELDS:
        reason = check_field(name, getattr(overrides, name), limits)
        if reason is not None:
            problems[name] = reason
    return problems


class ModelSettings(WatchedJsonFile):
    """The per-model settings file. Thread-safe; read again when the file changes on disk
    (another process, the CLI, wrote it)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._entries: dict[str, ModelOverrides] = {}
        self.load_warning: str | None = None

    @classmethod
    def beside(cls, settings_path: Path) -> ModelSettings:
        """The file next to settings.json."""
        return cls(settings_path.with_name(FILE_NAME))

    def _load(self, raw: dict[str, Any]) -> None:
        entries = {str(name): ModelOverrides.from_json(value) for name, value in raw.items()}
        self._entries = {name: o for name, o in entries.items() if not o.empty}

    def _set_aside(self, aside: SetAside) -> None:
        self.load_warning = (
            f"The per-model settings file could not be read ({aside.reason}); the "
            f"app-wide settings are used and the old file was kept as {aside.bad.name}."
        )

    def get(self, name: str) -> ModelOverrides:
        """The model's overrides (empty when it has none)."""
        with self._lock:
            self._refresh()
            return self._entries.get(name, ModelOverrides())

    def all(self) -> dict[str, ModelOverrides]:
        with self._lock:
            self._refresh()
            return dict(self._entries)

    def save(self, name: str, overrides: ModelOverrides, limits: ModelLimits) -> None:
        """Check every value (InvalidModelSettings with each reason; nothing is written),
        then keep them; empty overrides forget the model's entry."""
        problems = check(overrides, limits)
        if problems:
            raise InvalidModelSettings(problems)
        with self._lock:
            self._refresh()
            if overrides.empty:
                self._entries.pop(name, None)
            else:
                self._entries[name] = overrides
            self._write()

    def update(self, name: str, limits: ModelLimits, **changes: Any) -> ModelOverrides:
        """Change some fields (None: back to the app-wide value), checked like save()."""
        with self._lock:
            overrides = replace(self.get(name), **changes)
            self.save(name, overrides, limits)
            return overrides

    def reset(self, name: str) -> bool:
        """Forget the model's overrides; whether it had any."""
        with self._lock:
            self._refresh()
            if self._entries.pop(name, None) is None:
                return False
            self._write()
            return True

    def _write(self) -> None:
        self._write_object({n: o.as_json() for n, o in sorted(self._entries.items())})
