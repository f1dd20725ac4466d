"""Settings: one declarative list of every option, and a JSON file that overrides defaults.

Every option the app has is declared once in OPTIONS (name, type, default, bounds, doc).
The settings dialog is generated from this list (ui/settings/dialog.py), and every value,
from the file or from the dialog, is checked against it. The CLI takes no settings of its
own beyond a few per-command flags (--max-tokens, --temperature...), and no document is
generated from the list.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil


def _default_threads() -> int:
    # llama.cpp decodes fastest with one thread per physical core; hyperthreads only add
    # contention.
    return max(1, psutil.cpu_count(logical=False) or os.cpu_count() or 1)


@dataclass(frozen=True)
class Option:
    name: str
    type: type
    default: Any
    doc: str
    minimum: float | None = None
    maximum: float | None = None
    multiline: bool = False
    # (value, label) pairs the value is picked from, computed when asked (may read files).
    choices: Callable[[], Sequence[tuple[str, str]]] | None = None

    def coerce(self, value: Any) -> Any:
        """Return value as this option's type, or raise ValueError in plain words."""
        if self.type is bool:
            if isinstance(value, bool):
                return value
            raise ValueError(f"{self.name} must be true or false")
        try:
            converted = self.type(value)
        except (TypeError, ValueError):
            raise ValueError(f"{self.name} must be a {self.type.__name__}") from None
        if self.type is int and isinstance(value, float) and not value.is_integer():
            raise ValueError(f"{self.name} must be a whole number")
        if self.minimum is not None and converted < self.minimum:
            raise ValueError(f"{self.name} must be at least {self.minimum:g}")
        if self.maximum is not None and converted > self.maximum:
            raise ValueError(f"{self.name} must be at most {self.maximum:g}")
        return converted


def _grid_countries() -> list[tuple[str, str]]:
    from desktop_llm.core.energy import load_intensities

    table = load_intensities()
    rows = sorted((c for c in table.countries.values() if c.code != "WORLD"), key=lambda c: c.name)
    return [("", "From the system's locale")] + [
        (c.code, f"{c.name} ({c.g_per_kwh:.0f} g/kWh)") for c in rows
    ]


OPTIONS: tuple[Option, ...] = (
    Option("engine.threads", int, _default_threads(), "CPU threads used for generation.", 1, 256),
    Option(
        "engine.context_length",
        int,
        4096,
        "Tokens the model can see at once: the conversation, the prompt and the reply.",
        256,
        131072,
    ),
    Option(
        "engine.gpu_layers",
        int,
        0,
        "Layers offloaded to the GPU (0 = CPU only; only offered when the build supports it).",
        0,
        1000,
    ),
    Option(
        "generation.temperature",
        float,
        0.7,
        "Randomness of sampling; 0 is deterministic.",
        0.0,
        2.0,
    ),
    Option(
        "generation.top_p",
        float,
        0.95,
        "Nucleus sampling: keep the most likely tokens whose probabilities add up to this.",
        0.0,
        1.0,
    ),
    Option("generation.max_tokens", int, 1024, "Longest reply, in tokens.", 1, 32768),
    Option(
        "chat.system_prompt",
        str,
        "You are a helpful assistant.",
        "Instructions given to the model at the start of every new chat.",
        multiline=True,
    ),
    Option("chat.default_model", str, "", "Model used for new chats (empty: the first installed)."),
    Option("translate.default_model", str, "", "Model for translations (empty: the chat model)."),
    Option(
        "translate.system_prompt",
        str,
        "You are a translation engine. You translate the user's text faithfully and reply "
        "with the translation only: no notes, no explanations, no quotation marks.",
        "Instructions given to the model for every translation.",
        multiline=True,
    ),
    Option(
        "translate.temperature",
        float,
        0.2,
        "Randomness of translations; low is faithful.",
        0.0,
        2.0,
    ),
    Option("summarize.default_model", str, "", "Model for summaries (empty: the chat model)."),
    Option(
        "summarize.system_prompt",
        str,
        "You write accurate, concise summaries. You only state what the text says.",
        "Instructions given to the model for every summary.",
        multiline=True,
    ),
    Option("summarize.temperature", float, 0.3, "Randomness of summaries.", 0.0, 2.0),
    Option(
        "summarize.max_tokens",
        int,
        400,
        "Longest summary (and longest partial summary), in tokens.",
        32,
        4096,
    ),
    Option(
        "summarize.chunk_overlap",
        int,
        64,
        "Tokens each part of a long text shares with "
        "the part before it, so no sentence loses its context.",
        0,
        1024,
    ),
    Option("sentiment.default_model", str, "", "Model for sentiment (empty: the chat model)."),
    Option(
        "sentiment.system_prompt",
        str,
        "You classify the sentiment of texts as positive, negative or neutral.",
        "Instructions given to the model before the examples and the text.",
        multiline=True,
    ),
    Option(
        "ui.show_welcome",
        bool,
        True,
        "Show the welcome page (what the starter model can do, models that fit this computer) "
        "when the app starts with no conversation yet.",
    ),
    Option(
        "energy.country",
        str,
        "",
        "Country whose electricity grid powers this computer, as a two-letter code (FR, CN, "
        "US…), for the carbon of each reply. Empty: from the system's locale, else the world "
        "average. Never looked up on the network.",
        choices=_grid_countries,
    ),
    Option(
        "energy.carbon_intensity",
        float,
        0.0,
        "Your own grid carbon intensity in g CO2e per kWh (for example from your electricity "
        "supplier); 0 uses the country's figure.",
        0.0,
        2000.0,
    ),
    Option(
        "energy.cpu_watts_per_core",
        float,
        0.0,
        "Active power of one CPU core in watts, used only when energy cannot be measured and "
        "is estimated from CPU time; 0 derives it from the CPU's rated power.",
        0.0,
        100.0,
    ),
)

OPTIONS_BY_NAME: dict[str, Option] = {o.name: o for o in OPTIONS}

# Called with the names of the options whose value changed.
SettingsListener = Callable[[frozenset[str]], None]


class Settings:
    """The user's settings file over the declared defaults.

    A missing file means defaults. A malformed file is set aside (renamed *.bad) so the app
    still starts, and load_warning says what happened.

    Thread-safe. Whoever shows a value can subscribe() to hear when it changes: set() and
    update() call the listeners, on the thread that made the change, after the change.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._values: dict[str, Any] = {}
        self._lock = threading.RLock()
        self._listeners: list[SettingsListener] = []
        self.load_warning: str | None = None
        self._load()

    def _load(self) -> None:
        if not self.path.exists():
            return
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(raw, dict):
                raise ValueError("not a JSON object")
        except (OSError, ValueError) as exc:
            bad = self.path.with_suffix(".json.bad")
            os.replace(self.path, bad)
            self.load_warning = (
                f"The settings file could not be read ({exc}); defaults are used and the "
                f"old file was kept as {bad.name}."
            )
            return
        for name, value in raw.items():
            option = OPTIONS_BY_NAME.get(name)
            if option is None:
                continue  # an option from a newer or older version: ignore, keep the rest
            try:
                self._values[name] = option.coerce(value)
            except ValueError:
                continue

    def get(self, name: str) -> Any:
        with self._lock:
            return self._values.get(name, OPTIONS_BY_NAME[name].default)

    def __getitem__(self, name: str) -> Any:
        return self.get(name)

    def set(self, name: str, value: Any) -> None:
        self.update({name: value})

    def update(self, values: Mapping[str, Any]) -> None:
        """Set several options at once: every value is checked first (KeyError for an
        unknown name, ValueError in plain words for a bad value), so a bad one changes
        nothing; the listeners then hear once about those whose value changed."""
        checked: dict[str, Any] = {}
        for name, value in values.items():
            option = OPTIONS_BY_NAME.get(name)
            if option is None:
                raise KeyError(f"unknown setting {name!r}")
            checked[name] = option.coerce(value)
        with self._lock:
            changed = frozenset(n for n, v in checked.items() if self.get(n) != v)
            self._values.update(checked)
            listeners = list(self._listeners)
        if changed:
            # Outside the lock: a listener may read the settings, or take its own locks.
            for listener in listeners:
                listener(changed)

    def subscribe(self, listener: SettingsListener) -> Callable[[], None]:
        """Call listener(changed names) after every change; returns the unsubscribe."""
        with self._lock:
            self._listeners.append(listener)
        return lambda: self.unsubscribe(listener)

    def unsubscribe(self, listener: SettingsListener) -> None:
        """Stop calling listener (nothing happens if it was not subscribed)."""
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def items(self) -> Iterator[tuple[Option, Any]]:
        for option in OPTIONS:
            yield option, self.get(option.name)

    def save(self) -> None:
        with self._lock:  # two savers must not write the one temporary file at once
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".json.tmp")
            tmp.write_text(json.dumps(self._values, indent=2, sort_keys=True), encoding="utf-8")
            os.replace(tmp, self.path)  # atomic: a crash never leaves half a settings file
