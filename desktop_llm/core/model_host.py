"""The loaded model, shared by every task: choose it, check it, load it, record its use.

ChatService and TaskService both generate through the one ModelHost that open_services()
makes, over one EngineClient (one inference process per app). This is the part of a turn
they have in common: resolving a model name, checking the file's GGUF header before
llama.cpp sees it, loading it with the user's settings, and writing the generation record
of a reply.

A model is either a local GGUF file (run by the inference process) or a model of a remote
engine, an OpenAI-compatible server the user added (core/remote_engines.py), named
ENGINE/MODEL_ID; `engine` is the one the current model runs on, and the tasks reach both
through the same interface (core/engine/interface.py). A remote reply's energy was used
elsewhere: it is recorded as not measured (or as an estimate from the user's figure).

It also ends the inference process after `engine.idle_unload_minutes` without a request
(idle unload): the model's memory is freed and the CPU and GPU may sleep; the next request
loads the model again. A request holds the host from its first step to its end (in_use(),
or the holds_engine decorator on a service's method), and the unload happens only while
nothing holds it; a request that arrives during an unload waits for it to finish.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import threading
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from desktop_llm.core.config import Settings
from desktop_llm.core.default_models import default_model_for
from desktop_llm.core.eco import SETTING as ECO_SETTING
from desktop_llm.core.eco import Calibrations, EcoChoice, closest, eco_active, other_load
from desktop_llm.core.energy import EnergyMonitor, EnergyRecord, intensity_for
from desktop_llm.core.energy.carbon import CarbonIntensity
from desktop_llm.core.energy.country import grid_country
from desktop_llm.core.engine.client import EngineClient, EngineError, WorkerDied
from desktop_llm.core.engine.interface import Engine
from desktop_llm.core.engine.protocol import (
    ChatMessage,
    Done,
    LoadSpec,
    Ready,
    SamplingParams,
    Token,
)
from desktop_llm.core.engine.remote import RemoteEngine
from desktop_llm.core.errors import UserError
from desktop_llm.core.i18n import arg, translate
from desktop_llm.core.model_settings import EngineValues, ModelSettings
from desktop_llm.core.models.files import model_sha256
from desktop_llm.core.models.gguf_file import GGUFInfo, read_gguf
from desktop_llm.core.models.registry import InstalledModel, ModelRegistry
from desktop_llm.core.remote_engines import RemoteEngineConfig, RemoteEngines, RemoteModel
from desktop_llm.core.store import MessageStatus, Store
from desktop_llm.core.turns import TurnAbandoned, Turns, Who

log = logging.getLogger(__name__)

# A reply's row is rewritten at most this often while it streams: a crash loses at most this
# much text, and the database is not written once per token.
SAVE_INTERVAL_S = 0.5


# What prepare() reports when it has to load a model; chat turns and task runs pass them on
# to their front end first (see chat/events.py and tasks/events.py).
@dataclass(frozen=True)
class ModelLoading:
    model_name: str
    # The same model again, after an idle unload ended the inference process to free memory.
    again_after_idle: bool = False


@dataclass(frozen=True)
class IdleUnloaded:
    """The inference process was ended after `minutes` without a request (what the window's
    status line tells); model_name: the model it had loaded, if any."""

    model_name: str | None
    minutes: float


IDLE_SETTING = "engine.idle_unload_minutes"


@dataclass(frozen=True)
class ModelReady:
    model_name: str
    device: str
    n_ctx: int
    load_ms: float


@dataclass
class Reply:
    """How one model call ended, as stored."""

    message_id: int
    text: str
    status: MessageStatus
    error: str | None
    done: Done | None  # None when the worker died or was killed before finishing
    energy: EnergyRecord | None  # stored with the generation record, when there is one
    # The engine's kind of error (protocol.ErrorKind: "context_overflow"...), when it refused.
    error_kind: str | None = None


@dataclass
class EnergyWindow:
    monitor: EnergyMonitor
    token: object

    def close(self) -> EnergyRecord:
        return self.monitor.end(self.token)


@dataclass
class RemoteEnergyWindow:
    """A remote reply's 'metering': its energy was used on another machine, so the record
    says it was not measured (joules absent), or estimates it from the user's figure for
    the server's power draw (RemoteEngineConfig.watts), labelled as such."""

    config: RemoteEngineConfig
    intensity: CarbonIntensity
    started: float

    def close(self) -> EnergyRecord:
        return EnergyRecord.remote(
            time.monotonic() - self.started,
            watts=self.config.watts,
            intensity_g_per_kwh=self.intensity.g_per_kwh,
            intensity_source=self.intensity.source,
            engine_name=self.config.name,
        )


class ModelHost:
    """Owns the inference process (one per app): open_services() makes one and hands it to
    the chat and the tasks. Front ends reach the process through it (ready, pid, kill)."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        registry: ModelRegistry,
        engine: EngineClient,
        model_settings: ModelSettings | None = None,
        remote_engines: RemoteEngines | None = None,
    ) -> None:
        self.settings = settings
        # Per-model overrides of the engine settings (the file beside settings.json).
        self.model_settings = model_settings or ModelSettings.beside(settings.path)
        self.store = store
        self.registry = registry
        # The inference process; the engine in use (it, or a remote server's) is `engine`.
        self.local = engine
        self.remote_engines = remote_engines or RemoteEngines.beside(settings.path)
        self._remotes: dict[str, tuple[RemoteEngineConfig, RemoteEngine]] = {}
        self._active: Engine = engine
        self.current: InstalledModel | RemoteModel | None = None
        self._infos: dict[tuple[str, int, int], GGUFInfo] = {}
        self._hashes: dict[str, str] = {}
        self._energy: EnergyMonitor | None = None
        self._energy_key: tuple[object, ...] | None = None
        # Idle unload: requests holding the host, when the last one ended, the watcher.
        self._use = threading.Condition()
        self._users = 0
        self._unloading = False
        self._last_use = time.monotonic()
        self._watcher: threading.Thread | None = None
        self._watcher_stop = threading.Event()
        self._unsubscribe_settings: Callable[[], None] | None = None
        self._unload_listeners: list[Callable[[IdleUnloaded], None]] = []
        # The last idle unload, until a model is loaded again.
        self.idle_unloaded: IdleUnloaded | None = None
        # Eco mode's measured thread counts (eco_calibration.json beside settings.json).
        self.calibrations = Calibrations.beside(settings.path)
        # The window's requests and the local server's take turns at the one engine.
        self.turns = Turns()

    # --- the engines ------------------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        """The engine of the current model: the inference process, or a remote server."""
        return self._active

    @property
    def remote(self) -> bool:
        """Whether the current model runs on a remote engine."""
        return self._active.kind == "remote"

    def remote_engine(self, name: str) -> RemoteEngine:
        """The client of a remote engine, made again when its settings changed."""
        config = self.remote_engines[name]
        known = self._remotes.get(name)
        if known is not None and known[0] == config:
            return known[1]
        if known is not None:
            known[1].close()
        engine = self.remote_engines.connect(config)
        self._remotes[name] = (config, engine)
        return engine

    # --- the inference process ------------------------------------------------------------------

    @property
    def ready(self) -> Ready | None:
        """What the inference process said about its llama.cpp build when it started (GPU
        offload support...); None until it has started once."""
        return self.local.ready

    @property
    def pid(self) -> int | None:
        """The inference process's id while it runs."""
        return self.local.pid

    def kill(self) -> None:
        """End the inference process at once, when it does not stop in time on its own; the
        next request starts a fresh one; a remote request is cut off."""
        self._active.kill()

    def close(self) -> None:
        """Shut the inference process down (asked first, then killed)."""
        self._stop_watcher()
        self.local.close()
        for _config, remote in self._remotes.values():
            remote.close()
        self._remotes.clear()

    # --- idle unload ----------------------------------------------------------------------

    @contextlib.contextmanager
    def in_use(
        self,
        who: Who = "window",
        *,
        limit: int | None = None,
        abandon: threading.Event | None = None,
    ) -> Iterator[None]:
        """Hold the host for one request (nested holds are fine): first its turn at the
        engine (core/turns.py: the window's requests and the local server's, first come first
        served; limit: EngineBusy when that many of who's wait; abandon: a stop while it
        waits ends the wait with TurnAbandoned), then no idle unload happens while any is
        held, and the idle time counts from the end of the last one. Waits while an unload
        is under way, so the request then loads the model again."""
        with self.turns.turn(who, limit=limit, abandon=abandon):
            with self._use:
                while self._unloading:
                    self._use.wait()
                self._users += 1
                self._start_watcher()
            try:
                yield
            finally:
                with self._use:
                    self._users -= 1
                    self._last_use = time.monotonic()
                    self._use.notify_all()

    def subscribe_idle_unload(self, listener: Callable[[IdleUnloaded], None]) -> Callable[[], None]:
        """Call listener(IdleUnloaded) after each idle unload, on the watcher's thread;
        returns the unsubscribe."""
        self._unload_listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._unload_listeners:
                self._unload_listeners.remove(listener)

        return unsubscribe

    def _start_watcher(self) -> None:
        # Called with self._use held.
        if self._watcher is not None:
            return
        stop = self._watcher_stop = threading.Event()
        self._unsubscribe_settings = self.settings.subscribe(self._on_settings)
        self._watcher = threading.Thread(
            target=self._watch_idle, args=(stop,), name="desktop-llm idle unload", daemon=True
        )
        self._watcher.start()

    def _stop_watcher(self) -> None:
        with self._use:
            watcher, self._watcher = self._watcher, None
            self._watcher_stop.set()
            self._use.notify_all()
            unsubscribe, self._unsubscribe_settings = self._unsubscribe_settings, None
        if unsubscribe is not None:
            unsubscribe()
        if watcher is not None and watcher is not threading.current_thread():
            watcher.join(timeout=10)

    def _on_settings(self, changed: frozenset[str]) -> None:
        if IDLE_SETTING in changed:  # a new limit applies at once, counted from the last use
            with self._use:
                self._use.notify_all()

    def _idle_left(self) -> float | None:
        """Seconds until the idle unload is due (<= 0: now); None while it cannot happen
        (turned off, a request holds the host, no inference process). With self._use held."""
        minutes = self.settings[IDLE_SETTING]
        if minutes <= 0 or self._users or not self.local.alive:
            return None
        return self._last_use + minutes * 60 - time.monotonic()

    def _watch_idle(self, stop: threading.Event) -> None:
        with self._use:
            while not stop.is_set():
                left = self._idle_left()
                if left is None or left > 0:
                    self._use.wait(left)  # woken by a request's end, a setting, close()
                    continue
                # Due, and nothing holds the host: from here a new request waits in
                # in_use() until the process is gone, then loads the model again.
                self._unloading = True
                minutes = self.settings[IDLE_SETTING]
                loaded = self.local.loaded is not None and not self.remote
                current = self.current if loaded else None
                self._use.release()
                try:
                    # Told before a new request may begin, so the unload is heard first.
                    self._tell(self._unload_idle(current.name if current else None, minutes))
                except Exception:
                    log.exception("the idle unload failed")
                finally:
                    self._use.acquire()
                    self._unloading = False
                    self._use.notify_all()

    def _tell(self, event: IdleUnloaded) -> None:
        for listener in list(self._unload_listeners):
            try:
                listener(event)
            except Exception:  # a listener's failure must not end the watcher
                log.exception("an idle-unload listener failed")

    def _unload_idle(self, name: str | None, minutes: float) -> IdleUnloaded:
        """End the inference process; nothing holds the host (see _watch_idle)."""
        pid = self.local.pid
        self.local.close()
        log.info("unloaded %s (pid %s) after %g min without a request", name, pid, minutes)
        event = IdleUnloaded(name, minutes)
        self.idle_unloaded = event
        return event

    # --- energy -------------------------------------------------------------------------------

    @property
    def energy(self) -> EnergyMonitor:
        """The meters for the current settings and device (rebuilt when either changes)."""
        custom = self.settings["energy.carbon_intensity"] or None
        per_core = self.settings["energy.cpu_watts_per_core"] or None
        country = grid_country(self.settings["energy.country"])
        use_gpu = self.local.loaded is not None and self.local.loaded.device.startswith("GPU")
        key = (country, custom, per_core, use_gpu)
        if self._energy is None or key != self._energy_key:
            if self._energy is not None:
                self._energy.close()
            monitor = EnergyMonitor(
                intensity=intensity_for(country, custom),
                cpu_watts_per_core=per_core,
                use_gpu=use_gpu,
            )
            baseline = self.store.latest_baseline(*self.baseline_key(monitor))
            if baseline is not None:
                monitor.set_baseline(baseline.watts)
            self._energy, self._energy_key = monitor, key
        return self._energy

    @staticmethod
    def baseline_key(monitor: EnergyMonitor) -> tuple[str, str]:
        """Under which (source, scope) a baseline of this monitor is stored."""
        return monitor.primary.name, "cpu+gpu" if monitor.gpu is not None else "cpu"

    def measure_baseline(self, seconds: float, stop: threading.Event) -> float:
        """Idle watts over `seconds` (blocking; call it while nothing generates), stored."""
        monitor = self.energy
        started = time.monotonic()
        watts = monitor.measure_baseline(seconds, stop)
        if not stop.is_set():
            elapsed = time.monotonic() - started
            self.store.add_baseline(*self.baseline_key(monitor), watts=watts, seconds=elapsed)
        return watts

    def open_energy_window(self) -> EnergyWindow | RemoteEnergyWindow:
        """Start metering the inference process; the window must be closed (it may run a
        sampling thread). A remote model's window records that nothing was measured here."""
        model = self.current
        if isinstance(model, RemoteModel) and self.remote:
            config = self.remote_engines[model.engine]
            return RemoteEnergyWindow(config, self.energy.intensity, time.monotonic())
        monitor = self.energy
        return EnergyWindow(monitor, monitor.begin(self.local.pid))

    def info(self, model: InstalledModel) -> GGUFInfo:
        """The file's GGUF header, checked before llama.cpp ever reads the file."""
        stat = model.path.stat()
        key = (str(model.path), stat.st_size, stat.st_mtime_ns)
        if key not in self._infos:
            self._infos[key] = read_gguf(model.path)
        return self._infos[key]

    def resolve(self, name: str | None, *, task: str = "chat") -> InstalledModel | RemoteModel:
        """The model called `name` (ENGINE/MODEL_ID for a remote engine's), or when none is
        named the task's default model."""
        if name:
            remote = self.remote_engines.model_named(name)
            if remote is not None:
                return remote
            return self.registry.resolve(name)
        chosen = default_model_for(
            task, self.settings, self.registry, self.remote_engines.model_named
        )
        if chosen is None:
            raise UserError(
                translate(
                    "ModelHost", "No model is installed. Import a .gguf file or download one."
                )
            )
        return chosen

    def load_spec(self, model: InstalledModel, *, eco: bool = True) -> LoadSpec:
        """The app-wide engine settings, with the model's own settings over them, and eco
        mode's measured thread count when it applies (eco=False: without it); a change to
        any makes prepare() load the model again."""
        overrides = self.model_settings.get(model.name)
        values = EngineValues.of(self.settings, overrides)
        spec = LoadSpec(
            model_path=str(model.path),
            n_ctx=values.context_length,
            n_threads=values.threads,
            n_gpu_layers=values.gpu_layers,
            chat_template=values.chat_template,
        )
        if eco and overrides.threads is None:
            threads = self.eco_choice(model, spec).threads
            if threads is not None:
                spec = replace(spec, n_threads=threads)
        return spec

    def eco_choice(self, model: InstalledModel, spec: LoadSpec | None = None) -> EcoChoice:
        """What eco mode does for this model now (core/eco.py): the thread count of the
        calibration measured under the load closest to the current one, or None."""
        mode = self.settings[ECO_SETTING]
        if not eco_active(self.settings):
            return EcoChoice(False, mode=mode)
        if self.model_settings.get(model.name).threads is not None:
            return EcoChoice(True, overridden=True, mode=mode)
        gpu_layers = (spec or self.load_spec(model, eco=False)).n_gpu_layers
        found = [c for c in self.calibrations.find(self.sha256(model), gpu_layers) if c.best]
        if not found:
            return EcoChoice(True, mode=mode)
        chosen = found[0]
        if len(found) > 1:
            loaded = self.engine.loaded
            picks = {c.best.threads: c for c in found if c.best is not None}
            if (
                loaded is not None
                and self.engine.alive
                and loaded.spec.model_path == str(model.path)
                and loaded.spec.n_threads in picks
            ):
                chosen = picks[loaded.spec.n_threads]  # loaded already: keep it
            else:
                chosen = closest(found, other_load(0.3, self.engine.pid)) or chosen
        best = chosen.best
        return EcoChoice(True, best.threads if best else None, chosen, mode=mode)

    def prepare(
        self, name: str | None, *, task: str = "chat"
    ) -> Iterator[ModelLoading | ModelReady]:
        """Make sure the model is loaded, reporting ModelLoading/ModelReady when it loads."""
        with self.in_use():
            yield from self._prepare(name, task)

    def _prepare(self, name: str | None, task: str) -> Iterator[ModelLoading | ModelReady]:
        model = self.resolve(name, task=task)
        if isinstance(model, RemoteModel):
            yield from self._prepare_remote(model)
            return
        self._active = self.local
        info = self.info(model)  # raises BadModelFile for files llama.cpp must not see
        spec = self.load_spec(model)
        loaded = self.engine.loaded
        if loaded is not None and loaded.spec == spec and self.engine.alive:
            self.current = model
            return
        unloaded, self.idle_unloaded = self.idle_unloaded, None
        yield ModelLoading(model.name, unloaded is not None and unloaded.model_name == model.name)
        if info.context_length is None and info.stated_context_length is not None:
            log.warning(
                "%s states a context length of %d, which no model has; loaded with %d tokens "
                "(the context setting)",
                model.name,
                info.stated_context_length,
                spec.n_ctx,
            )
        try:
            loaded = self.engine.load(spec)
        except EngineError as exc:
            # Marked in the model list, so the user sees why before trying it again.
            self.registry.mark_broken(model, f"llama.cpp could not load it: {exc}")
            raise UserError(
                arg(translate("ModelHost", "%1 could not be loaded: %2"), model.name, exc)
            ) from None
        except WorkerDied as exc:
            if exc.cancelled:
                raise UserError(translate("ModelHost", "Loading was stopped.")) from None
            if exc.unresponsive:  # the computer, not the file: the model is not marked
                raise UserError(str(exc)) from None
            self.registry.mark_broken(model, f"llama.cpp crashed while loading it; {exc}")
            raise UserError(
                arg(
                    translate(
                        "ModelHost",
                        "%1 crashed the inference process while loading; %2 "
                        "The file may be damaged or need a newer llama.cpp.",
                    ),
                    model.name,
                    exc,
                )
            ) from None
        if model.broken:
            self.registry.clear_broken(model)  # it loads now (a newer llama.cpp, a fixed file)
        self.current = model
        yield ModelReady(model.name, loaded.device, loaded.n_ctx, loaded.load_ms)

    def _prepare_remote(self, model: RemoteModel) -> Iterator[ModelLoading | ModelReady]:
        engine = self.remote_engine(model.engine)
        spec = LoadSpec(model_path=model.model_id)
        self._active = engine
        if engine.loaded is not None and engine.loaded.spec == spec:
            self.current = model
            return
        yield ModelLoading(model.name)
        try:
            loaded = engine.load(spec)
        except EngineError as exc:
            raise UserError(str(exc)) from None
        except WorkerDied as exc:
            raise UserError(str(exc)) from None
        self.current = model
        yield ModelReady(model.name, loaded.device, loaded.n_ctx, loaded.load_ms)

    @property
    def device(self) -> str:
        return self.engine.loaded.device if self.engine.loaded is not None else "unknown"

    @property
    def n_ctx(self) -> int:
        assert self.engine.loaded is not None, "prepare() first"
        return self.engine.loaded.n_ctx

    def engine_of(self, model: InstalledModel | RemoteModel) -> tuple[str, str | None]:
        """The engine a model runs on as the store records it: ("local", None), or the
        remote engine's name and its URL's host."""
        if isinstance(model, RemoteModel):
            config = self.remote_engines.get(model.engine)
            return model.engine, config.host if config else None
        return "local", None

    def local_model(self) -> InstalledModel:
        """The current model, which must be a local file (what needs a file asks this)."""
        model = self.current
        if not isinstance(model, InstalledModel):
            raise UserError(
                translate("ModelHost", "This needs a model on this computer, not a remote one.")
            )
        return model

    def sha256(self, model: InstalledModel) -> str:
        path = str(model.path)
        if path not in self._hashes:
            self._hashes[path] = model_sha256(model.path, self.store)
        return self._hashes[path]

    def record(
        self,
        message_id: int,
        done: Done,
        params: SamplingParams,
        started_at: datetime,
        energy: EnergyRecord,
        *,
        requests: int = 1,
    ) -> None:
        """The generation record of a finished reply (or part of a task's output), with its
        energy. requests: how many of the user's requests it completes (see schema.Energy)."""
        model = self.current
        assert model is not None, "prepare() first"
        engine, engine_host = self.engine_of(model)
        if isinstance(model, RemoteModel):
            file, sha256, quantization = model.model_id, None, None
        else:
            file, sha256 = model.path.name, self.sha256(model)
            quantization = self.info(model).quantization
        self.store.add_generation(
            message_id,
            model_file=file,
            model_sha256=sha256,
            quantization=quantization,
            parameters=asdict(params),
            prompt_tokens=done.stats.prompt_tokens,
            completion_tokens=done.stats.completion_tokens,
            reused_prompt_tokens=done.stats.reused_prompt_tokens,
            ttft_ms=done.stats.ttft_ms,
            duration_ms=done.stats.duration_ms,
            tokens_per_second=done.stats.tokens_per_second,
            device=self.device,
            finish_reason=done.stats.finish_reason,
            started_at=started_at,
            finished_at=datetime.now(UTC),
            energy={**energy.as_dict(), "requests": requests},
            engine=engine,
            engine_host=engine_host,
        )

    def stream_reply(
        self,
        message_id: int,
        messages: list[ChatMessage],
        params: SamplingParams,
        stop: threading.Event,
        *,
        wrap: Callable[[Token], Any] | None,
        clean: Callable[[str], str] | None = None,
        requests: int = 1,
        source: Callable[[], Iterator[Token | Done]] | None = None,
    ) -> Generator[Any, None, Reply]:
        """Generate into an already started reply row: yields wrap(token) for each piece of
        text (nothing when wrap is None), saves the row as it grows, finishes it with its
        status, records the generation, and returns the Reply. source: what streams the
        reply, when not the engine's generate(messages, params) (a raw completion)."""
        with self.in_use():
            return (
                yield from self._stream_reply(
                    message_id,
                    messages,
                    params,
                    stop,
                    wrap=wrap,
                    clean=clean,
                    requests=requests,
                    source=source,
                )
            )

    def _stream_reply(
        self,
        message_id: int,
        messages: list[ChatMessage],
        params: SamplingParams,
        stop: threading.Event,
        *,
        wrap: Callable[[Token], Any] | None,
        clean: Callable[[str], str] | None,
        requests: int,
        source: Callable[[], Iterator[Token | Done]] | None,
    ) -> Generator[Any, None, Reply]:
        started_at = datetime.now(UTC)
        pieces: list[str] = []
        saved_at = time.monotonic()
        done: Done | None = None
        status: MessageStatus = "complete"
        error: str | None = None
        error_kind: str | None = None
        window = self.open_energy_window()
        try:
            if stop.is_set():
                raise WorkerDied("Stopped.", cancelled=True)
            events = source() if source is not None else self.engine.generate(messages, params)
            for event in events:
                if isinstance(event, Done):
                    done = event
                    break
                pieces.append(event.text)
                if wrap is not None:
                    yield wrap(event)
                if stop.is_set():
                    self.engine.cancel()  # the stop may have come before generate() began
                if time.monotonic() - saved_at >= SAVE_INTERVAL_S:
                    self.store.update_reply(message_id, "".join(pieces))
                    saved_at = time.monotonic()
        except WorkerDied as exc:
            status = "stopped" if exc.cancelled else "interrupted"
            error = None if exc.cancelled else f"{exc} The text so far was kept."
        except EngineError as exc:
            status, error, error_kind = "error", str(exc), exc.kind
        except (GeneratorExit, KeyboardInterrupt):
            # The front end stopped listening (window closed, a second Ctrl+C): keep what
            # there is, as the Stop button would.
            self.engine.cancel()
            self.store.finish_reply(message_id, "".join(pieces), "stopped")
            raise
        finally:
            energy = window.close()
        text = done.text if done is not None else "".join(pieces)
        if done is not None and done.stats.finish_reason == "cancelled":
            status = "stopped"
        if clean is not None:
            text = clean(text)
        self.store.finish_reply(message_id, text, status, error)
        if done is not None:
            self.record(message_id, done, params, started_at, energy, requests=requests)
        return Reply(
            message_id,
            text,
            status,
            error,
            done,
            energy if done is not None else None,
            error_kind,
        )


class StoppedWaiting(UserError):
    """A request was stopped while it waited for its turn at the engine (behind API requests):
    the model never saw it, and the service stored nothing of it."""


class _HasHost(Protocol):
    host: ModelHost
    # The service's stop flag: set while the request waits for its turn, it stops waiting.
    _stop: threading.Event


_S = TypeVar("_S", bound=_HasHost)
_P = ParamSpec("_P")
_Y = TypeVar("_Y")


def holds_engine(
    method: Callable[Concatenate[_S, _P], Iterator[_Y]],
) -> Callable[Concatenate[_S, _P], Generator[_Y, None, Any]]:
    """For a service's generator method that is one request (a chat turn, a task run): it
    holds self.host from its first step to its end, so no idle unload comes between the
    model's load and the request's last call."""

    @functools.wraps(method)
    def holding(self: _S, *args: _P.args, **kwargs: _P.kwargs) -> Generator[_Y, None, Any]:
        if not self.host.turns.held_here():
            # A new request: a Stop of the one before must not end its wait for a turn.
            self._stop.clear()
        try:
            with self.host.in_use(abandon=self._stop):
                return (yield from method(self, *args, **kwargs))
        except TurnAbandoned:
            raise StoppedWaiting(
                translate("ModelHost", "Stopped before the model was free: nothing was sent to it.")
            ) from None

    return holding
