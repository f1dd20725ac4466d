"""Open the core services over one data directory: the same for the window and the CLI."""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from desktop_llm.core.chat.service import ChatService
from desktop_llm.core.config import Settings
from desktop_llm.core.engine.client import EngineClient
from desktop_llm.core.errors import UserError
from desktop_llm.core.i18n import arg, translate
from desktop_llm.core.model_host import ModelHost
from desktop_llm.core.models.registry import ModelRegistry
from desktop_llm.core.paths import AppPaths
from desktop_llm.core.store import Store
from desktop_llm.core.store.db import access_for
from desktop_llm.core.store.recovery import Recovery, is_damage, recover
from desktop_llm.core.tasks.service import TaskService

if TYPE_CHECKING:
    from desktop_llm.core.models.hub import HubClient

log = logging.getLogger(__name__)


@dataclass
class Services:
    paths: AppPaths
    settings: Settings
    store: Store
    registry: ModelRegistry
    host: ModelHost  # the inference process and its loaded model, shared by chat and tasks
    chat: ChatService
    tasks: TaskService
    recovered_replies: int  # replies a crash left half-written, now marked interrupted
    # a damaged database set aside and what was read from it, to be told at start
    recovery: Recovery | None = None

    def hub(self) -> HubClient:
        """A Hub client for the endpoint the settings name (a mirror, or the Hub), made
        when asked: a setting changed in the dialog applies to the next search. Its calls
        are network I/O: make and use it off the GUI thread."""
        from desktop_llm.core.models.hub import HubClient  # huggingface_hub when needed

        return HubClient(
            self.hub_endpoint(),
            token_to_mirror=self.settings["hub.send_token_to_mirror"],
        )

    def hub_endpoint(self) -> str:
        """The endpoint hub() uses (HF_ENDPOINT, else the setting, else the Hub)."""
        from desktop_llm.core.models.hub import default_endpoint

        return default_endpoint(self.settings["hub.endpoint"])

    def close(self) -> None:
        self.host.close()
        self.store.close()


class _QuietFileHandler(logging.handlers.RotatingFileHandler):
    """The log file; when it cannot be written (a full disk, a file too large), one short
    line on stderr, once per process, instead of logging's traceback for every record: the
    app goes on without its log."""

    _told = False

    def handleError(self, record: logging.LogRecord) -> None:
        if _QuietFileHandler._told:
            return
        _QuietFileHandler._told = True
        reason = sys.exc_info()[1]
        with contextlib.suppress(Exception):
            sys.stderr.write(
                f"desktop-llm: the log file {self.baseFilename} cannot be written "
                f"({_os_reason(reason)}); the app goes on without it.\n"
            )


def _os_reason(exc: BaseException | None) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)


def folder_problem(folder: Path, exc: OSError) -> str:
    """One sentence: which folder the app cannot use, and why."""
    return arg(
        translate("Services", "The app cannot use the folder %1: %2."),
        str(folder),
        _os_reason(exc),
    )


def setup_logging(paths: AppPaths) -> None:
    """Details (tracebacks included) go to a rotating file; users see plain words.

    One log file per process: services opened over another data folder (the smoke test's
    temporary one, a test's) move it there, so no log goes to a folder that is gone.
    """
    root = logging.getLogger()
    log_file = str(paths.log_dir / "desktop-llm.log")
    for existing in [h for h in root.handlers if getattr(h, "_desktop_llm", False)]:
        if getattr(existing, "baseFilename", None) == log_file:
            return
        root.removeHandler(existing)
        existing.close()
    try:
        handler = _QuietFileHandler(log_file, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    except OSError as exc:
        raise UserError(
            arg(
                translate("Services", "The app cannot write its log file %1: %2."),
                log_file,
                _os_reason(exc),
            )
        ) from None
    handler._desktop_llm = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def open_services(env: Mapping[str, str] | None = None) -> Services:
    paths = AppPaths.from_env(env)
    for folder in paths.folders():
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # a file where a folder should be, no permission, a full disk
            raise UserError(folder_problem(folder, exc)) from None
    setup_logging(paths)
    settings = Settings(paths.settings_path)
    if settings.load_warning:
        log.warning(settings.load_warning)
    try:
        store, recovery = open_store(paths.db_path)
    except OSError as exc:  # e.g. a folder where the database file should be
        raise UserError(folder_problem(paths.db_path, exc)) from None
    except sa.exc.OperationalError as exc:
        if "unable to open" not in str(exc):
            raise
        raise UserError(
            arg(
                translate(
                    "Services",
                    "The app cannot open its database %1: SQLite cannot create or open the "
                    "file there.",
                ),
                str(paths.db_path),
            )
        ) from None
    recovered = store.mark_interrupted_replies()
    registry = ModelRegistry(paths.models_dir)
    # One inference process for the whole app: the chat and the tasks share its host.
    # What llama.cpp writes to stderr goes to engine.log, never to the terminal.
    engine = EngineClient(native_log=str(paths.log_dir / "engine.log"))
    host = ModelHost(settings, store, registry, engine)
    chat = ChatService(settings, store, host)
    tasks = TaskService(settings, store, host)
    return Services(paths, settings, store, registry, host, chat, tasks, recovered, recovery)


def damaged_read_only(db_path: Path) -> str:
    return arg(
        translate(
            "Store",
            "The history database %1 is damaged, and read-only, so it cannot be set aside "
            "and repaired. Copy it to a folder you can write to, or make this one writable, "
            "and start again.",
        ),
        db_path,
    )


def open_store(db_path: Path) -> tuple[Store, Recovery | None]:
    """The store on db_path; a damaged file is set aside and recovered first (recovery.py)."""
    try:
        store = Store(db_path)
    except sa.exc.DatabaseError as exc:
        if not is_damage(exc):
            raise
        log.warning("the database is damaged: %s", exc)
        if access_for(db_path) != "rw":
            raise UserError(damaged_read_only(db_path)) from None
    else:
        if store.quick_check() or store.read_only:
            # A read-only file cannot be set aside: it is shown as far as it can be read.
            return store, None
        store.close()
        log.warning("the database failed its quick check")
    recovery = recover(db_path)
    return Store(db_path), recovery
