"""The remote engines the user added: OpenAI-compatible servers on other machines.

Each has a name, a base URL and, optionally, an API key. The list lives in engines.json
beside settings.json; the key never does (nor the database): it is in the operating system's
keyring (the `keyring` package, service "desktop-llm", user = the engine's name) or in an
environment variable the user names. A remote model is called ENGINE/MODEL_ID wherever a
model is named.
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from desktop_llm.core.config import SetAside, WatchedJsonFile, number
from desktop_llm.core.engine.remote import RemoteEngine
from desktop_llm.core.errors import UserError
from desktop_llm.core.i18n import arg, translate

FILE_NAME = "engines.json"
KEYRING_SERVICE = "desktop-llm"
# The names local models never take: "local" is how the store names the local engine.
RESERVED_NAMES = frozenset({"local"})
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")
_ENV_VAR = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

CONNECT_TIMEOUT_S = 5.0
# Nothing from the server for this long, before the first token or between two, ends the
# request: a big model on a busy server may think a while over a long prompt.
SILENCE_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class RemoteEngineConfig:
    name: str
    url: str  # the API's base, e.g. http://host:8080/v1
    api_key_env: str | None = None  # the environment variable that holds the key
    key_in_keyring: bool = False
    # The user's figure for the server's average power draw while it answers: replies then
    # get an energy estimate labelled as from that figure (None: not measured, no estimate).
    watts: float | None = None
    # The model's context when the server does not say it (None: 4096, see remote.py).
    context_length: int | None = None
    connect_timeout_s: float = CONNECT_TIMEOUT_S
    silence_timeout_s: float = SILENCE_TIMEOUT_S

    @property
    def host(self) -> str:
        """The URL's host (and port), as recorded with each reply."""
        return urlsplit(self.url).netloc

    @property
    def needs_key(self) -> bool:
        return self.api_key_env is not None or self.key_in_keyring

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        del data["name"]
        return {k: v for k, v in data.items() if v is not None}

    @classmethod
    def from_json(cls, name: str, raw: Any) -> RemoteEngineConfig:
        if not isinstance(raw, dict):
            raise ValueError(translate("RemoteEngines", "not a JSON object"))
        known = {f.name for f in fields(cls)} - {"name"}
        values = {k: v for k, v in raw.items() if k in known}
        return make_config(name, **values)


@dataclass(frozen=True)
class RemoteModel:
    """A model a remote engine serves, by the id the server gives it."""

    engine: str
    model_id: str

    @property
    def name(self) -> str:
        return f"{self.engine}/{self.model_id}"


def check_name(name: str) -> str:
    name = name.strip()
    if not _NAME.fullmatch(name) or name.casefold() in RESERVED_NAMES:
        raise UserError(
            arg(
                translate(
                    "RemoteEngines",
                    "%1 cannot name an engine: use up to 40 letters, digits, dots, dashes or "
                    "underscores (not 'local').",
                ),
                repr(name),
            )
        )
    return name


def normalized_url(url: str) -> str:
    """The base URL as requests are made to it: http(s) with a host, no trailing slash,
    /v1 added when no path was given (every server here puts its API under /v1)."""
    text = url.strip()
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise UserError(
            arg(
                translate(
                    "RemoteEngines",
                    "%1 is not a server address: give it as http://HOST:PORT/v1 or "
                    "https://HOST/v1.",
                ),
                text,
            )
        )
    if parts.query or parts.fragment or "@" in parts.netloc:
        raise UserError(
            arg(
                translate(
                    "RemoteEngines",
                    "%1 is not a server address: leave out user names, queries and "
                    "fragments (the key goes in the keyring or an environment variable).",
                ),
                text,
            )
        )
    path = parts.path.rstrip("/") or "/v1"
    return f"{parts.scheme.lower()}://{parts.netloc}{path}"


def make_config(name: str, **values: Any) -> RemoteEngineConfig:
    """A checked configuration: every value a user or a file gave goes through here."""
    name = check_name(name)
    url = normalized_url(str(values.pop("url", "")))
    env = values.pop("api_key_env", None)
    if env is not None:
        env = str(env).strip() or None
        if env is not None and not _ENV_VAR.fullmatch(env):
            raise UserError(
                arg(
                    translate("RemoteEngines", "%1 is not an environment variable's name."),
                    env,
                )
            )
    watts = values.pop("watts", None)
    if watts is not None:
        watts = number(watts, float, translate("RemoteEngines", "The server's power draw"))
        if watts <= 0:
            raise UserError(
                translate("RemoteEngines", "The server's power draw must be more than 0 W.")
            )
    context = values.pop("context_length", None)
    if context is not None:
        context = number(context, int, translate("RemoteEngines", "The context length"))
        if context < 64:
            raise UserError(
                translate("RemoteEngines", "The context length must be at least 64 tokens.")
            )
    timeouts = {}
    for key in ("connect_timeout_s", "silence_timeout_s"):
        if key in values:
            seconds = number(values.pop(key), float, key)
            timeouts[key] = min(max(seconds, 1.0), 3600.0)
    keyring_flag = bool(values.pop("key_in_keyring", False))
    return RemoteEngineConfig(
        name,
        url,
        api_key_env=env,
        key_in_keyring=keyring_flag and env is None,
        watts=watts,
        context_length=context,
        **timeouts,
    )


def _keyring() -> Any:
    """The keyring module, or a UserError in words when it or its backend is missing."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError as exc:  # pragma: no cover - a dependency
        raise UserError(_no_keyring(str(exc))) from None
    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # a backend that fails to start: no D-Bus, locked...
        raise UserError(_no_keyring(str(exc))) from None
    if isinstance(backend, fail.Keyring):
        raise UserError(_no_keyring(translate("RemoteEngines", "no keyring service runs here")))
    return keyring


def _no_keyring(reason: str) -> str:
    return arg(
        translate(
            "RemoteEngines",
            "No keyring is available to keep the API key (%1). Keep it in an environment "
            "variable instead and give its name (desktop-llm engines add NAME --url URL "
            "--api-key-env VAR).",
        ),
        reason,
    )


class RemoteEngines(WatchedJsonFile):
    """engines.json: the remote engines by name. Thread-safe; read again when another
    process changes the file."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._engines: dict[str, RemoteEngineConfig] = {}
        self.load_warning: str | None = None

    @classmethod
    def beside(cls, settings_path: Path) -> RemoteEngines:
        return cls(settings_path.with_name(FILE_NAME))

    def _load(self, raw: dict[str, Any]) -> None:
        engines: dict[str, RemoteEngineConfig] = {}
        for name, value in raw.items():
            try:
                engines[name] = RemoteEngineConfig.from_json(name, value)
            except (UserError, ValueError) as exc:
                self.load_warning = arg(
                    translate("RemoteEngines", "The engine %1 in %2 is left out: %3"),
                    name,
                    self.path.name,
                    exc,
                )
        self._engines = engines

    def _set_aside(self, aside: SetAside) -> None:
        self.load_warning = arg(
            translate(
                "RemoteEngines",
                "The list of remote engines could not be read (%1); it was kept as %2.",
            ),
            aside.reason,
            aside.bad.name,
        )

    def all(self) -> list[RemoteEngineConfig]:
        with self._lock:
            self._refresh()
            return sorted(self._engines.values(), key=lambda c: c.name.casefold())

    def get(self, name: str) -> RemoteEngineConfig | None:
        with self._lock:
            self._refresh()
            return self._engines.get(name)

    def __getitem__(self, name: str) -> RemoteEngineConfig:
        config = self.get(name)
        if config is None:
            raise UserError(
                arg(
                    translate(
                        "RemoteEngines",
                        "There is no engine named %1. Add it with: desktop-llm engines add "
                        "%1 --url URL",
                    ),
                    name,
                )
            )
        return config

    def add(self, config: RemoteEngineConfig, *, api_key: str | None = None) -> None:
        """Add or replace an engine; api_key goes to the keyring (never to the file)."""
        if api_key:
            if config.api_key_env is not None:
                raise UserError(
                    translate(
                        "RemoteEngines",
                        "Give the API key either in the keyring or in an environment "
                        "variable, not both.",
                    )
                )
            _keyring().set_password(KEYRING_SERVICE, config.name, api_key)
            config = make_config(config.name, **{**config.as_json(), "key_in_keyring": True})
        with self._lock:
            self._refresh()
            old = self._engines.get(config.name)
            if old is not None and old.key_in_keyring and not config.key_in_keyring:
                self._forget_key(config.name)
            self._engines[config.name] = config
            self._save()

    def remove(self, name: str) -> RemoteEngineConfig:
        with self._lock:
            self._refresh()
            config = self[name]
            del self._engines[name]
            self._save()
        if config.key_in_keyring:
            self._forget_key(name)
        return config

    def _save(self) -> None:
        self._write_object({name: c.as_json() for name, c in sorted(self._engines.items())})

    @staticmethod
    def _forget_key(name: str) -> None:
        try:
            keyring = _keyring()
            keyring.delete_password(KEYRING_SERVICE, name)
        except Exception:  # nothing kept, or no keyring: nothing to forget
            pass

    def api_key(self, config: RemoteEngineConfig) -> str | None:
        """The engine's key from where the user keeps it; None when it needs none."""
        if config.api_key_env is not None:
            value = os.environ.get(config.api_key_env)
            if not value:
                raise UserError(
                    arg(
                        translate(
                            "RemoteEngines",
                            "The environment variable %1, which holds the API key of %2, is "
                            "not set.",
                        ),
                        config.api_key_env,
                        config.name,
                    )
                )
            return value
        if config.key_in_keyring:
            value = _keyring().get_password(KEYRING_SERVICE, config.name)
            if not value:
                raise UserError(
                    arg(
                        translate(
                            "RemoteEngines",
                            "The keyring holds no API key for %1. Add the engine again with "
                            "its key.",
                        ),
                        config.name,
                    )
                )
            return value
        return None

    def connect(
        self, config: RemoteEngineConfig, *, silence_s: float | None = None
    ) -> RemoteEngine:
        """A client of the engine with its key from where the user keeps it (UserError in
        words when the key is not there); silence_s: a shorter silence limit (a listing)."""
        silence = config.silence_timeout_s
        return RemoteEngine(
            config.name,
            config.url,
            api_key=self.api_key(config),
            connect_timeout_s=config.connect_timeout_s,
            silence_timeout_s=silence if silence_s is None else min(silence_s, silence),
            context_length=config.context_length,
        )

    def model_named(self, name: str) -> RemoteModel | None:
        """The remote model a name means (ENGINE/MODEL_ID with a known engine), else None.
        Model ids may hold slashes themselves (org/model on vLLM)."""
        engine, sep, model_id = name.partition("/")
        if not sep or not model_id or self.get(engine) is None:
            return None
        return RemoteModel(engine, model_id)
