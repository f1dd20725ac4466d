"""Composition root of the window: QApplication, core services, MainWindow, event loop.

Only this module and desktop_llm.ui import Qt; the CLI imports this module lazily, so the
headless commands never load Qt.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop_llm import APP_NAME, __version__, display_libs
from desktop_llm.core.errors import UserError
from desktop_llm.core.i18n import arg, translate
from desktop_llm.core.resources import APP_ICON, resource_path
from desktop_llm.core.services import Services, open_services
from desktop_llm.input_method import NOTE_MARKER, choose_input_method
from desktop_llm.ui.common.translations import install_translations, uninstall_translations
from desktop_llm.ui.main_window import WINDOW_TITLE, MainWindow

log = logging.getLogger(__name__)

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


def app_icon() -> QIcon:
    path = resource_path(APP_ICON)
    return QIcon(str(path)) if path.is_file() else QIcon()


def plain_message(exc: BaseException) -> str:
    if isinstance(exc, UserError):
        return str(exc)
    return arg(
        translate(
            "App",
            "Something went wrong (%1). The app keeps running; details are in the log file.",
        ),
        f"{type(exc).__name__}: {exc}",
    )


class _ErrorRelay(QObject):
    """Carries a message from whichever thread failed to the GUI thread (queued signal)."""

    message = Signal(str)


def install_excepthook(show: Callable[[str], None]) -> ExceptHook:
    """Log unexpected exceptions with their traceback; show the user one plain sentence.

    Returns the previous hook so the caller can put it back.
    """
    previous = sys.excepthook
    relay = _ErrorRelay()
    relay.message.connect(show, Qt.ConnectionType.QueuedConnection)

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            previous(exc_type, exc, tb)
            return
        log.error("unexpected error", exc_info=(exc_type, exc, tb))
        relay.message.emit(plain_message(exc))

    hook._relay = relay  # type: ignore[attr-defined]  # keeps the relay alive with the hook
    sys.excepthook = hook
    return previous


def _show_message_box(parent: QWidget | None, text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, WINDOW_TITLE, text, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # the error's words may hold '<' from a file
    box.exec()


def _note_input_method_once(window: MainWindow, marker: Path) -> None:
    """Tell the user, once, that typing Chinese goes through Fcitx's IBus frontend."""
    if marker.exists():
        return
    window.show_error(
        translate(
            "App",
            "Your input method is Fcitx, and this build of Qt has no plugin for it, so the "
            "window talks to Fcitx through its IBus frontend. If you cannot type Chinese, "
            "turn on the IBus Frontend addon in Fcitx's configuration, or use IBus. "
            "This note is shown once.",
        )
    )
    with contextlib.suppress(OSError):
        marker.touch()


def settle_heap() -> None:
    """Collect once after start-up, then let later collections skip what start-up built.

    A full (generation 2) collection walks every tracked object with the GIL held. Over the
    hundreds of thousands that Qt's bindings, SQLAlchemy and Jinja leave behind, that took
    60-80 ms, whichever thread triggered it: a visible stall in the middle of a long task.
    Frozen objects are still freed by reference counting; only cycles among them wait.
    """
    gc.collect()
    gc.freeze()


def application(argv: Sequence[str] | None = None) -> QApplication:
    """The QApplication (made once), named and with the app's icon."""
    existing = QApplication.instance()
    app = (
        existing
        if isinstance(existing, QApplication)
        else QApplication(list(argv) if argv is not None else sys.argv)
    )
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(WINDOW_TITLE)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName(APP_NAME)
    app.setWindowIcon(app_icon())
    return app


def run_app(argv: Sequence[str] | None = None) -> int:
    # Qt would abort with a vague line; said here, before Qt picks its platform, in words.
    missing = display_libs.problem() if display_libs.uses_xcb() else None
    if missing is not None:
        print(missing, file=sys.stderr)
        return 1
    input_fallback = choose_input_method()  # before Qt reads QT_IM_MODULE
    app = application(argv)
    # The locale's language first, so that even a failure to open the data speaks it.
    install_translations("system")

    try:
        services: Services = open_services()
    except UserError as exc:
        _show_message_box(None, str(exc))
        return 1
    except Exception as exc:
        logging.getLogger(__name__).exception("the app could not start")
        _show_message_box(
            None, arg(translate("App", "The app could not start: %1"), plain_message(exc))
        )
        return 1
    install_translations(services.settings["ui.language"])

    window: MainWindow | None = None

    def show_error(text: str) -> None:
        if window is not None and not window.isHidden():
            window.show_error(text)
        else:
            _show_message_box(window, text)

    previous_hook = install_excepthook(show_error)
    # Ctrl+C in the terminal closes the window cleanly. Python runs signal handlers only
    # between bytecodes, so a slow timer lets the interpreter look while Qt's loop runs.
    previous_sigint = signal.signal(signal.SIGINT, lambda *_: window and window.close())
    wake = QTimer()
    wake.start(250)
    wake.timeout.connect(lambda: None)
    try:
        window = MainWindow(services, preload=True, welcome=True)
        window.setWindowIcon(app_icon())
        window.show()
        if input_fallback is not None:
            _note_input_method_once(window, services.paths.config_dir / NOTE_MARKER)
        settle_heap()
        return int(app.exec())
    finally:
        wake.stop()
        signal.signal(signal.SIGINT, previous_sigint)
        if window is not None:
            window.shutdown()
        services.close()
        sys.excepthook = previous_hook
        uninstall_translations()  # what run_app installed ends with it (tests run it in-process)
