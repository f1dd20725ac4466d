"""Settings: one declarative list of every option, and a JSON file that overrides defaults.

Every option the app has is declared once in OPTIONS (name, type, default, bounds, doc).
The settings dialog is generated from this list (ui/settings/dialog.py), and every value,
from the file or from the dialog, is checked against it. The CLI takes no settings of its
own beyond a few per-command flags (--max-tokens, --temperature...), and no document is
generated from the list.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import math
import os
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from desktop_llm.core.i18n import QT_TRANSLATE_NOOP, arg, current_language, translate


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
    # Shown in the settings dialog, through translate("Settings", label); doc likewise.
    label: str = ""
    # A further rule on a value of the right type: None when it holds, else the reason in
    # words, with %1 for the option's name (translated: it is shown as it is).
    check: Callable[[Any], str | None] | None = None

    def coerce(self, value: Any, shown_as: str | None = None) -> Any:
        """Return value as this option's type, or raise ValueError in plain words.

        The reason names the option by `shown_as` (the settings dialog passes the label it
        shows), else by its name."""
        who = self.name if shown_as is None else shown_as
        if self.type is bool:
            if isinstance(value, bool):
                return value
            raise ValueError(arg(translate("Settings", "%1 must be true or false"), who))
        converted = number(value, self.type, who) if self.type in (int, float) else str(value)
        if self.minimum is not None and converted < self.minimum:
            raise ValueError(
                arg(translate("Settings", "%1 must be at least %2"), who, f"{self.minimum:g}")
            )
        if self.maximum is not None and converted > self.maximum:
            raise ValueError(
                arg(translate("Settings", "%1 must be at most %2"), who, f"{self.maximum:g}")
            )
        if self.check is not None:
            reason = self.check(converted)
            if reason is not None:
                raise ValueError(arg(reason, who))
        return converted


def number(value: Any, kind: type, who: str) -> Any:
    """value as a finite int (kind int) or float, or ValueError in plain words naming `who`.

    The one check of a number every setting and option passes (the settings file, the
    dialog, a chat's own settings, the CLI's flags, a model's own settings): NaN, infinity
    and what only overflows to it (1e400 in a JSON file) are refused here, so they never
    reach the engine, the database or a JSON document."""
    whole = kind is int
    if whole and isinstance(value, int) and not isinstance(value, bool):
        return value
    converted: float | None = None
    if isinstance(value, (int, float, str)) and not isinstance(value, bool):
        try:
            converted = float(value)
        except (ValueError, OverflowError):  # not a number; an int past float's range
            converted = None
    if converted is None:
        if whole:
            raise ValueError(arg(translate("Settings", "%1 must be a whole number"), who))
        raise ValueError(arg(translate("Settings", "%1 must be a number"), who))
    if not math.isfinite(converted):
        raise ValueError(arg(translate("Settings", "%1 must be a finite number"), who))
    if whole:
        if not converted.is_integer():
            raise ValueError(arg(translate("Settings", "%1 must be a whole number"), who))
        return int(converted)
    return converted


def _web_address(value: str) -> str | None:
    """Empty, or an http(s) address with a host."""
    text = value.strip()
    if not text:
        return None
    scheme, sep, rest = text.partition("://")
    if not sep or scheme.lower() not in ("http", "https") or not rest.split("/")[0]:
        return translate(
            "Settings", "%1 must be a web address that starts with https:// or http://"
        )
    return None


def _grid_countries() -> list[tuple[str, str]]:
    from desktop_llm.core.energy import load_intensities

    table = load_intensities()
    rows = sorted((c for c in table.countries.values() if c.code != "WORLD"), key=lambda c: c.name)
    language = current_language()
    return [("", translate("Settings", "From the system's locale"))] + [
        (c.code, f"{c.name_in(language)} ({c.g_per_kwh:.0f} g/kWh)") for c in rows
    ]


def _languages() -> list[tuple[str, str]]:
    # Each language in its own words: a user looks for their language written in it.
    same = translate("Settings", "Same as the system")
    return [("system", same), ("en", "English"), ("zh_CN", "简体中文")]


def _themes() -> list[tuple[str, str]]:
    return [
        ("system", translate("Settings", "Same as the system")),
        ("light", translate("Settings", "Light")),
        ("dark", translate("Settings", "Dark")),
    ]


def _eco_modes() -> list[tuple[str, str]]:
    return [
        ("off", translate("Settings", "Off")),
        ("on_battery", translate("Settings", "On battery")),
        ("always", translate("Settings", "Always")),
    ]


def _eco_mode(value: str) -> str | None:
    if value in ("off", "on_battery", "always"):
        return None
    return translate("Settings", "%1 must be off, on_battery or always")


def _server_host(value: str) -> str | None:
    # An address to listen on, not a URL: "127.0.0.1", "::1", "0.0.0.0", "localhost".
    with contextlib.suppress(ValueError):
        ipaddress.ip_address(value)
        return None
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9.-]{0,252}", value):
        return None
    return translate("Settings", "%1 must be an address such as 127.0.0.1, not a URL")


def _origins(value: str) -> str | None:
    for origin in value.split():
        if origin != "*" and _web_address(origin) is not None:
            return translate(
                "Settings", "%1 must list web origins such as http://localhost:3000, or *"
            )
    return None


def _csv_bom() -> list[tuple[str, str]]:
    return [
        ("auto", translate("Settings", "Automatic")),
        ("on", translate("Settings", "On")),
        ("off", translate("Settings", "Off")),
    ]


# The translation context of every option's label and description: the settings dialog
# shows them with translate(CONTEXT, ...). lupdate reads the context where each is marked,
# so it is written out there.
CONTEXT = "Settings"

OPTIONS: tuple[Option, ...] = (
    Option(
        "engine.threads",
        int,
        _default_threads(),
        QT_TRANSLATE_NOOP("Settings", "CPU threads used for generation."),
        1,
        256,
        label=QT_TRANSLATE_NOOP("Settings", "Threads"),
    ),
    Option(
        "engine.context_length",
        int,
        4096,
        QT_TRANSLATE_NOOP(
            "Settings",
            "Tokens the model can see at once: the conversation, the prompt and the reply.",
        ),
        256,
        131072,
        label=QT_TRANSLATE_NOOP("Settings", "Context length"),
    ),
    Option(
        "engine.gpu_layers",
        int,
        0,
        QT_TRANSLATE_NOOP(
            "Settings",
            "Layers offloaded to the GPU (0 = CPU only; only offered when the build supports it).",
        ),
        0,
        1000,
        label=QT_TRANSLATE_NOOP("Settings", "GPU layers"),
    ),
    Option(
        "engine.idle_unload_minutes",
        float,
        10.0,
        QT_TRANSLATE_NOOP(
            "Settings",
            "Minutes without a request after which the model is unloaded: its inference "
            "process ends, which frees its memory and lets the CPU and GPU rest. The next "
            "request loads it again. 0 keeps it loaded.",
        ),
        0.0,
        1440.0,
        label=QT_TRANSLATE_NOOP("Settings", "Unload when idle (minutes)"),
    ),
    Option(
        "generation.temperature",
        float,
        0.7,
        QT_TRANSLATE_NOOP("Settings", "Randomness of sampling; 0 is deterministic."),
        0.0,
        2.0,
        label=QT_TRANSLATE_NOOP("Settings", "Temperature"),
    ),
    Option(
        "generation.top_p",
        float,
        0.95,
        QT_TRANSLATE_NOOP(
            "Settings",
            "Nucleus sampling: keep the most likely tokens whose probabilities add up to this.",
        ),
        0.0,
        1.0,
        label=QT_TRANSLATE_NOOP("Settings", "Top P"),
    ),
    Option(
        "generation.max_tokens",
        int,
        1024,
        QT_TRANSLATE_NOOP("Settings", "Longest reply, in tokens."),
        1,
        32768,
        label=QT_TRANSLATE_NOOP("Settings", "Max tokens"),
    ),
    Option(
        "generation.prompt_lookup",
        int,
        0,
        QT_TRANSLATE_NOOP(
            "Settings",
            "Prompt-lookup decoding for translations and summaries: up to this many tokens "
            "guessed from the text at each step and checked at once; 0 is off.",
        ),
        0,
        32,
        label=QT_TRANSLATE_NOOP("Settings", "Prompt lookup (tokens)"),
    ),
    Option(
        "chat.system_prompt",
        str,
        # "The language the user writes in": a Chinese question gets a Chinese answer, with
        # the window in either language.
        "You are a helpful assistant. Answer in the language the user writes in.",
        QT_TRANSLATE_NOOP(
            "Settings", "Instructions given to the model at the start of every new chat."
        ),
        multiline=True,
        label=QT_TRANSLATE_NOOP("Settings", "System prompt"),
    ),
    Option(
        "chat.default_model",
        str,
        "",
        QT_TRANSLATE_NOOP(
            "Settings",
            "Model used for new chats. (first installed): the first model in the list of "
            "installed models.",
        ),
        label=QT_TRANSLATE_NOOP("Settings", "Default model"),
    ),
    Option(
        "translate.default_model",
        str,
        "",
        QT_TRANSLATE_NOOP(
            "Settings", "Model for translations. (the chat model): the one new chats use."
        ),
        label=QT_TRANSLATE_NOOP("Settings", "Default model"),
    ),
    Option(
        "translate.system_prompt",
        str,
        "You are a translation engine. You translate the user's text faithfully and reply "
        "with the translation only: no notes, no explanations, no quotation marks.",
        QT_TRANSLATE_NOOP("Settings", "Instructions given to the model for every translation."),
        multiline=True,
        label=QT_TRANSLATE_NOOP("Settings", "System prompt"),
    ),
    Option(
        "translate.temperature",
        float,
        0.2,
        QT_TRANSLATE_NOOP("Settings", "Randomness of translations; low is faithful."),
        0.0,
        2.0,
        label=QT_TRANSLATE_NOOP("Settings", "Temperature"),
    ),
    Option(
        "summarize.default_model",
        str,
        "",
        QT_TRANSLATE_NOOP(
            "Settings", "Model for summaries. (the chat model): the one new chats use."
        ),
        label=QT_TRANSLATE_NOOP("Settings", "Default model"),
    ),
    Option(
        "summarize.system_prompt",
        str,
        "You write accurate, concise summaries, in the language of the text. You only state "
        "what the text says.",
        QT_TRANSLATE_NOOP("Settings", "Instructions given to the model for every summary."),
        multiline=True,
        label=QT_TRANSLATE_NOOP("Settings", "System prompt"),
    ),
    Option(
        "summarize.temperature",
        float,
        0.3,
        QT_TRANSLATE_NOOP("Settings", "Randomness of summaries."),
        0.0,
        2.0,
        label=QT_TRANSLATE_NOOP("Settings", "Temperature"),
    ),
    Option(
        "summarize.max_tokens",
        int,
        400,
        QT_TRANSLATE_NOOP("Settings", "Longest summary (and longest partial summary), in tokens."),
        32,
        4096,
        label=QT_TRANSLATE_NOOP("Settings", "Max tokens"),
    ),
    Option(
        "summarize.chunk_overlap",
        int,
        64,
        QT_TRANSLATE_NOOP(
            "Settings",
            "Tokens each part of a long text shares with "
            "the part before it, so no sentence loses its context.",
        ),
        0,
        1024,
        label=QT_TRANSLATE_NOOP("Settings", "Chunk overlap"),
    ),
    Option(
        "sentiment.default_model",
        str,
        "",
        QT_TRANSLATE_NOOP(
            "Settings", "Model for sentiment. (the chat model): the one new chats use."
        ),
        label=QT_TRANSLATE_NOOP("Settings", "Default model"),
    ),
    Option(
        "sentiment.system_prompt",
        str,
        "You classify the sentiment of texts as positive, negative or neutral.",
        QT_TRANSLATE_NOOP(
            "Settings", "Instructions given to the model before the examples and the text."
        ),
        multiline=True,
        label=QT_TRANSLATE_NOOP("Settings", "System prompt"),
    ),
    Option(
        "ui.language",
        str,
        "system",
        QT_TRANSLATE_NOOP(
            "Settings",
            "Language of the window. The system's follows its locale (LANG=zh_CN.UTF-8 gives "
            "Chinese). A change applies the next time the app starts.",
        ),
        choices=_languages,
        label=QT_TRANSLATE_NOOP("Settings", "Language"),
    ),
    Option(
        "ui.theme",
        str,
        "system",
        QT_TRANSLATE_NOOP(
            "Settings",
            "Light or dark window. The system's follows the desktop, also when it changes.",
        ),
        choices=_themes,
        label=QT_TRANSLATE_NOOP("Settings", "Theme"),
    ),
    Option(
        "ui.csv_bom",
        str,
        "auto",
        QT_TRANSLATE_NOOP(
            "Settings",
            "Start the CSV files the app writes with a byte-order mark, so that Excel and "
            "WPS open Chinese text correctly. Automatic: on when the window is in Chinese.",
        ),
        choices=_csv_bom,
        label=QT_TRANSLATE_NOOP("Settings", "CSV byte-order mark"),
    ),
    Option(
        "ui.show_welcome",
        bool,
        True,
        QT_TRANSLATE_NOOP(
            "Settings",
            "Show the welcome page (what the starter model can do, models that fit this "
            "computer) when the app starts with no conversation yet.",
        ),
        label=QT_TRANSLATE_NOOP("Settings", "Show welcome page"),
    ),
    Option(
        "hub.endpoint",
        str,
        "",
        QT_TRANSLATE_NOOP(
            "Settings",
            "Address of a Hugging Face Hub mirror for search and downloads, such as "
            "https://hf-mirror.com. Empty: the official Hub. The HF_ENDPOINT environment "
            "variable overrides it.",
        ),
        label=QT_TRANSLATE_NOOP("Settings", "Hub mirror"),
        check=_web_address,
    ),
    Option(
        "hub.send_token_to_mirror",
        bool,
        False,
        QT_TRANSLATE_NOOP(
            "Settings",
            "Send your Hugging Face token to the mirror too. Off: the token goes only to the "
            "official Hub, and a mirror sees anonymous requests.",
        ),
        label=QT_TRANSLATE_NOOP("Settings", "Send token to mirror"),
    ),
    Option(
        "energy.country",
        str,
        "",
        QT_TRANSLATE_NOOP(
            "Settings",
            "Country whose electricity grid powers this computer, for the carbon of each "
            "reply; its figure is shown next to its name. From the system's locale: the "
            "country of the system's regional settings, else the world average. Never looked "
            "up on the network.",
        ),
        choices=_grid_countries,
        label=QT_TRANSLATE_NOOP("Settings", "Grid country"),
    ),
    Option(
        "energy.carbon_intensity",
        float,
        0.0,
        QT_TRANSLATE_NOOP(
            "Settings",
            "Your own grid carbon intensity in g CO2e per kWh (for example from your "
            "electricity supplier); 0 uses the country's figure.",
        ),
        0.0,
        2000.0,
        label=QT_TRANSLATE_NOOP("Settings", "Carbon intensity"),
    ),
    Option(
        "energy.cpu_watts_per_core",
        float,
        0.0,
        QT_TRANSLATE_NOOP(
            "Settings",
            "Active power of one CPU core in watts, used only when energy cannot be measured "
            "and is estimated from CPU time; 0 derives it from the CPU's rated power.",
        ),
        0.0,
        100.0,
        label=QT_TRANSLATE_NOOP("Settings", "CPU watts per core"),
    ),
    Option(
        "energy.eco",
        str,
        "on_battery",
        QT_TRANSLATE_NOOP(
            "Settings",
            "Load models with the thread count that measured the fewest joules per token on "
            "this computer (Calibrate in the energy dashboard, or desktop-llm energy "
            "calibrate); a model's own thread setting still wins. On battery: only while the "
            "computer runs on its battery.",
        ),
        choices=_eco_modes,
        label=QT_TRANSLATE_NOOP("Settings", "Eco mode"),
        check=_eco_mode,
    ),
    Option(
        "server.start_with_window",
        bool,
        False,
        QT_TRANSLATE_NOOP(
            "Settings",
            "Start the local server when the window opens, so editors, scripts and agents "
            "can use your models through the OpenAI API.",
        ),
        label=QT_TRANSLATE_NOOP("Settings", "Start with the window"),
    ),
    Option(
        "server.host",
        str,
        "127.0.0.1",
        QT_TRANSLATE_NOOP(
            "Settings",
            "The address the server listens on. 127.0.0.1 is this computer only; any other "
            "address lets other computers on the network use your models, so it needs an API "
            "key.",
        ),
        label=QT_TRANSLATE_NOOP("Settings", "Address"),
        check=_server_host,
    ),
    Option(
        "server.port",
        int,
        8080,
        QT_TRANSLATE_NOOP("Settings", "The port the server listens on."),
        1,
        65535,
        label=QT_TRANSLATE_NOOP("Settings", "Port"),
    ),
    Option(
        "server.api_key_env",
        str,
        "",
        QT_TRANSLATE_NOOP(
            "Settings",
            "The environment variable that holds the API key clients must send (empty: no "
            "key). Without a key, any program that can reach the address can use the server.",
        ),
        label=QT_TRANSLATE_NOOP("Settings", "API key variable"),
    ),
    Option(
        "server.cors_origins",
        str,
        "",
        QT_TRANSLATE_NOOP(
            "Settings",
            "Web pages allowed to call the server from a browser, separated by spaces (such "
            "as http://localhost:3000); empty allows none.",
        ),
        label=QT_TRANSLATE_NOOP("Settings", "Allowed web origins"),
        check=_origins,
    ),
    Option(
        "server.queue_limit",
        int,
        8,
        QT_TRANSLATE_NOOP(
            "Settings",
            "API requests that may wait for the model at once; more are refused with 'too "
            "many requests' until one ends.",
        ),
        1,
        256,
        label=QT_TRANSLATE_NOOP("Settings", "Waiting requests"),
    ),
)

OPTIONS_BY_NAME: dict[str, Option] = {o.name: o for o in OPTIONS}

# Called with the names of the options whose value changed.
SettingsListener = Callable[[frozenset[str]], None]


class SetAside(Exception):
    """A JSON file could not be read; it was renamed to `bad` (kept for the user)."""

    def __init__(self, reason: Exception, bad: Path) -> None:
        super().__init__(str(reason))
        self.reason = reason
        self.bad = bad


def read_json_object(path: Path) -> dict[str, Any]:
    """A JSON object from path; a file that is not one is set aside as <name>.json.bad
    (SetAside), so the app starts on defaults and the user's file is not lost."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise ValueError("not a JSON object")
    except (OSError, ValueError) as exc:
        bad = path.with_suffix(".json.bad")
        os.replace(path, bad)
        raise SetAside(exc, bad) from exc
    return raw


class WatchedJsonFile:
    """One of the app's own JSON files beside settings.json (per-model settings, eco mode's
    calibrations): thread-safe, read again when its (mtime, size) changes on disk (another
    process, the CLI, wrote it), written atomically. A subclass says what the object holds
    (_load, also given {} for no file) and what a file set aside means (_set_aside)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._seen: tuple[int, int] | None = None  # (mtime_ns, size) of what was read

    def stamp(self) -> tuple[int, int] | None:
        try:
            st = self.path.stat()
        except OSError:
            return None
        return st.st_mtime_ns, st.st_size

    def _load(self, raw: dict[str, Any]) -> None:
        raise NotImplementedError

    def _set_aside(self, aside: SetAside) -> None:
        """The file was not a JSON object and is kept as <name>.json.bad; nothing to add."""

    def _refresh(self) -> None:
        """Call with the lock held."""
        stamp = self.stamp()
        if stamp == self._seen:
            return
        self._seen = stamp
        self._load({})
        if stamp is None:
            return
        try:
            raw = read_json_object(self.path)
        except SetAside as aside:
            self._seen = None
            self._set_aside(aside)
            return
        self._load(raw)

    def _write_object(self, data: dict[str, Any]) -> None:
        """Call with the lock held."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".json.tmp")
        text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, self.path)  # atomic: never half a file
        self._seen = self.stamp()


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
            raw = read_json_object(self.path)
        except SetAside as aside:
            self.load_warning = (
                f"The settings file could not be read ({aside.reason}); defaults are used "
                f"and the old file was kept as {aside.bad.name}."
            )
            return
        dropped: list[str] = []
        for name, value in raw.items():
            option = OPTIONS_BY_NAME.get(name)
            if option is None:
                continue  # an option from a newer or older version: ignore, keep the rest
            try:
                self._values[name] = option.coerce(value)
            except ValueError as exc:
                # One bad value (NaN, 1e400, out of range) costs that value, not the file.
                dropped.append(str(exc))
        if dropped:
            self.load_warning = arg(
                translate(
                    "Settings",
                    "Some values in the settings file were not used, and their defaults apply: %1.",
                ),
                "; ".join(dropped),
            )

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
            text = json.dumps(self._values, indent=2, sort_keys=True, allow_nan=False)
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, self.path)  # atomic: a crash never leaves half a settings file
