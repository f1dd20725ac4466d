"""The remote engines' models, as the window's model pickers and the model manager list them.

RemoteModels reads engines.json and asks each remote engine for its models (GET /models),
all off the GUI thread, one engine per worker: a server that is down takes its connect
timeout without holding the others, and is listed as one disabled "not reachable" line. It
lists again when the engines change (refresh()). probe() is Settings → Engines' "Test
connection": the models, whether the server counts tokens and returns logprobs.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, Signal

from desktop_llm.core.engine.client import EngineError, WorkerDied
from desktop_llm.core.engine.remote import EngineCheck, RemoteEngine
from desktop_llm.core.errors import UserError
from desktop_llm.core.i18n import arg, translate
from desktop_llm.core.remote_engines import RemoteEngineConfig, RemoteEngines, RemoteModel
from desktop_llm.ui.common.worker import Worker, create_worker, make_pool, run_in_pool, stop_pool

log = logging.getLogger(__name__)

# Listing a server's models is a small answer: a server silent this long is not reachable.
LIST_SILENCE_S = 15.0
# At most this many engines are asked at once.
LIST_THREADS = 4


@dataclass(frozen=True)
class RemoteGroup:
    """One remote engine as a picker shows it: its models, or why there are none."""

    engine: str
    host: str
    model_ids: tuple[str, ...] = ()
    error: str | None = None  # the failure in words (not reachable, refused key...)
    loading: bool = True

    @property
    def title(self) -> str:
        return arg(
            translate("RemoteModels", "%1 (%2)", "engine name (host:port)"), self.engine, self.host
        )

    @property
    def names(self) -> list[str]:
        """The models' names as the app uses them: ENGINE/MODEL_ID."""
        return [RemoteModel(self.engine, m).name for m in self.model_ids]


def client(
    engines: RemoteEngines, config: RemoteEngineConfig, silence_s: float | None = None
) -> RemoteEngine:
    """A client of its own for one engine: what lists or tests does not share the engine
    the replies use."""
    return engines.connect(config, silence_s=silence_s)


def _words(exc: BaseException) -> str:
    return str(exc) if isinstance(exc, UserError | EngineError | WorkerDied) else repr(exc)


def list_models(engines: RemoteEngines, config: RemoteEngineConfig) -> RemoteGroup:
    """Ask one engine for its models (blocks: off the GUI thread). A failure is kept, in
    words, in the group: never raised."""
    group = RemoteGroup(config.name, config.host)
    try:
        engine = client(engines, config, LIST_SILENCE_S)
    except UserError as exc:  # its key is missing
        return replace(group, error=str(exc), loading=False)
    try:
        ids = tuple(sorted({str(m["id"]) for m in engine.models()}, key=str.casefold))
    except (EngineError, WorkerDied, UserError) as exc:
        return replace(group, error=_words(exc), loading=False)
    finally:
        engine.close()
    return replace(group, model_ids=ids, loading=False)


@dataclass(frozen=True)
class ProbeResult:
    engine: str
    check: EngineCheck

    @property
    def model_ids(self) -> tuple[str, ...]:
        return self.check.model_ids

    @property
    def model_id(self) -> str | None:
        return self.check.model_id

    @property
    def tokenizer(self) -> bool | None:
        return self.check.tokenizer

    @property
    def logprobs(self) -> bool | None:
        return self.check.logprobs


def probe(
    engines: RemoteEngines,
    config: RemoteEngineConfig,
    on_client: Callable[[RemoteEngine], None] = lambda _engine: None,
    stop: threading.Event | None = None,
) -> ProbeResult:
    """Test connection (RemoteEngine.check): blocks (off the GUI thread); raises UserError
    in words. on_client receives the client before any request, so Cancel can close it;
    `stop` set ends the test between two requests."""
    stop = stop or threading.Event()
    engine = client(engines, config)
    on_client(engine)
    stopped = UserError(translate("RemoteModels", "The test was cancelled."))
    try:
        try:
            found = engine.check(stop=stop)
        except (EngineError, WorkerDied) as exc:
            if stop.is_set():
                raise stopped from None
            raise UserError(str(exc)) from None
        except RuntimeError:  # the client was closed by Cancel
            if stop.is_set():
                raise stopped from None
            raise
        if stop.is_set():
            raise stopped
        return ProbeResult(config.name, found)
    finally:
        engine.close()


class RemoteModels(QObject):
    """The remote engines and their models, kept for the window's pickers; `changed` after
    each engine answers (or fails), on the GUI thread."""

    changed = Signal()

    def __init__(self, engines: RemoteEngines, parent: QObject) -> None:
        super().__init__(parent)
        self.engines = engines
        self._groups: dict[str, RemoteGroup] = {}
        self._pool = make_pool(self, "remote models", LIST_THREADS)
        self._read: Worker | None = None
        self._listing: dict[str, Worker] = {}
        self._round = 0
        self.load_warning: str | None = None

    def groups(self) -> list[RemoteGroup]:
        return list(self._groups.values())

    @property
    def loading(self) -> bool:
        return self._read is not None or any(g.loading for g in self._groups.values())

    def refresh(self) -> None:
        """Read engines.json, then ask every engine for its models (all off this thread)."""
        self._round += 1
        round_ = self._round
        engines = self.engines

        def read() -> tuple[list[RemoteEngineConfig], str | None]:
            return engines.all(), engines.load_warning

        self._read = run_in_pool(
            self._pool,
            read,
            lambda configs: self._configs_read(round_, configs),
            self._read_failed,
            replaces=self._read,
        )

    def _read_failed(self, message: str) -> None:
        self._read = None
        log.warning("could not read the remote engines: %s", message)
        self.load_warning = message
        self.changed.emit()

    def _configs_read(self, round_: int, result: object) -> None:
        if round_ != self._round:
            return
        self._read = None
        configs, self.load_warning = result  # type: ignore[misc]
        for worker in self._listing.values():
            worker.discard()
        self._listing.clear()
        self._groups = {c.name: RemoteGroup(c.name, c.host) for c in configs}
        for config in configs:
            worker = create_worker(list_models, self.engines, config)
            worker.returned.connect(lambda group, r=round_: self._listed(r, group))
            worker.failed.connect(
                lambda message, c=config, r=round_: self._listed(
                    r, RemoteGroup(c.name, c.host, error=message, loading=False)
                )
            )
            self._listing[config.name] = worker.start(self._pool)
        self.changed.emit()

    def _listed(self, round_: int, group: object) -> None:
        assert isinstance(group, RemoteGroup)
        if round_ != self._round or group.engine not in self._groups:
            return
        self._listing.pop(group.engine, None)
        self._groups[group.engine] = group
        self.changed.emit()

    def shutdown(self) -> None:
        stop_pool(self._pool, self._read, *self._listing.values())
        self._listing.clear()
