"""Reading in the background for widgets: a one-thread pool whose results come back queued.

Used wherever the GUI thread must not wait on a disk or the database: task input files,
GGUF headers and hashes in the model manager, the energy dashboard's sums.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QThreadPool, Signal

from desktop_llm.core.errors import UserError

log = logging.getLogger(__name__)


class FileLoader(QObject):
    """Runs a reading function in a private one-thread pool; the result comes back queued.

    Only the latest request counts: a slower earlier read is dropped when it lands.
    """

    loaded = Signal(int, object)  # request id, the function's result
    failed = Signal(int, str)  # request id, plain-words message

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pool.setExpiryTimeout(2000)
        self._latest = 0
        self.loaded.connect(self._on_loaded)
        self.failed.connect(self._on_failed)
        self._on_result: Callable[[object], None] | None = None
        self._on_error: Callable[[str], None] | None = None

    @property
    def latest(self) -> int:
        return self._latest

    def load(
        self,
        read: Callable[[], object],
        on_result: Callable[[object], None],
        on_error: Callable[[str], None],
    ) -> int:
        """read() runs in the pool and must not touch widgets; the callbacks run here."""
        self._latest += 1
        request = self._latest
        self._on_result, self._on_error = on_result, on_error
        self._pool.start(lambda: self._work(request, read))
        return request

    def _work(self, request: int, read: Callable[[], object]) -> None:
        try:
            result = read()
        except UserError as exc:
            self.failed.emit(request, str(exc))
        except Exception as exc:
            log.exception("reading a file failed")
            self.failed.emit(request, f"The file could not be read ({type(exc).__name__}: {exc}).")
        else:
            self.loaded.emit(request, result)

    def _on_loaded(self, request: int, result: object) -> None:
        if request == self._latest and self._on_result is not None:
            self._on_result(result)

    def _on_failed(self, request: int, message: str) -> None:
        if request == self._latest and self._on_error is not None:
            self._on_error(message)

    def shutdown(self) -> None:
        self._latest += 1  # whatever is still being read is dropped
        self._pool.clear()
        self._pool.waitForDone()
