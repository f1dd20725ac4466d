"""`desktop-llm --smoke-test`: does this build work? (qutebrowser's habit, for the frozen build)

Opens the real main window (offscreen works) over a fresh, temporary data folder, so the
user's own data is never touched; sends one short message through the chat page's own path
(the engine queue, the inference process, the starter model); waits for the reply; and
checks it was stored complete, with its generation record. Exit status 0 and one line on
stdout when all of that worked; 1 and the reason on stderr otherwise. Everything a build
can get wrong shows up here: a missing Qt plugin or system library, llama.cpp's shared
libraries, the spawned worker re-entering the executable, the model, the migrations, the
bundled tables.
"""

from __future__ import annotations

import sys
import tempfile
import time
from typing import TextIO

import psutil
from PySide6.QtCore import QEventLoop, QTimer

from desktop_llm import display_libs
from desktop_llm.app import application, install_excepthook
from desktop_llm.core.chat.events import ReplyEnded, ReplyText
from desktop_llm.core.errors import UserError
from desktop_llm.core.paths import HOME_ENV
from desktop_llm.core.services import open_services
from desktop_llm.ui.chat.code_block import code_style, highlight_html
from desktop_llm.ui.common.translations import missing_translations
from desktop_llm.ui.main_window import MainWindow

PROMPT = "Say hello."
MAX_TOKENS = 8
# A cold start on a slow laptop: spawn the worker, load the model, answer eight tokens.
TIMEOUT_S = 180


def since_launch() -> float:
    """Seconds since this process started (what a user waits from double-click)."""
    return time.time() - psutil.Process().create_time()


def note_first_token(outcome: dict[str, object]) -> None:
    outcome.setdefault("first_token", since_launch())


def run_smoke_test(out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    with tempfile.TemporaryDirectory(prefix="desktop-llm-smoke-") as home:
        try:
            problem = _check(home, out)
        except UserError as exc:
            problem = str(exc)
        except Exception as exc:  # the point is to report what a broken build does
            problem = f"{type(exc).__name__}: {exc}"
    if problem is not None:
        err.write(f"desktop-llm: smoke test failed: {problem}\n")
        return 1
    return 0


def _check(home: str, out: TextIO) -> str | None:
    """None when the window answered and stored a reply; else what went wrong."""
    # Whatever platform this test runs on (offscreen in CI), the user's window will use X11
    # or fall back to it: a bundle or system that cannot load that plugin is not working.
    missing = display_libs.problem()
    if missing is not None:
        return missing
    application()
    missing = missing_translations()
    if missing:
        return "translations missing: " + ", ".join(missing)
    # Pygments finds its lexers and styles by name at run time: a build can lose them.
    for scheme in ("light", "dark"):
        shown = highlight_html("print('hi')", "python", code_style(scheme)).html
        if "<span" not in shown:
            return f"code highlighting does not work ({code_style(scheme)} style, Python lexer)"
    # A loop of its own, not the application's: quitting it leaves the application as it was
    # (app.quit() would also end the loops of whoever runs this in-process, like pytest-qt).
    loop = QEventLoop()
    services = open_services({HOME_ENV: home})
    services.settings.update({"generation.max_tokens": MAX_TOKENS, "generation.temperature": 0.0})
    outcome: dict[str, object] = {}

    def finish(key: str, value: object) -> None:
        outcome.setdefault(key, value)
        loop.quit()

    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(lambda: finish("timeout", TIMEOUT_S))
    # An exception in any slot ends the test with its words, rather than a wait for the timeout.
    previous_hook = install_excepthook(lambda message: finish("failed", message))
    window: MainWindow | None = None
    try:
        window = MainWindow(services)
        page = window.chat_page
        page.reply_finished.connect(lambda ended: finish("ended", ended))
        page.job_failed.connect(lambda message: finish("failed", message))
        window.engine.event.connect(
            lambda event: note_first_token(outcome) if isinstance(event, ReplyText) else None
        )
        window.show()
        application().processEvents()  # laid out and painted: what the user sees
        shown = since_launch()
        started = time.monotonic()
        QTimer.singleShot(0, lambda: page.send(PROMPT))
        deadline.start(TIMEOUT_S * 1000)
        loop.exec()
        if "failed" in outcome:
            return str(outcome["failed"])
        if "timeout" in outcome:
            return f"no reply within {TIMEOUT_S} s"
        ended = outcome.get("ended")
        assert isinstance(ended, ReplyEnded)
        if ended.status != "complete" or not ended.content.strip():
            return f"the reply ended {ended.status}: {ended.error or 'with no text'}"
        stored = services.store.messages(page.current_id or 0)
        reply = next((m for m in stored if m.id == ended.message_id), None)
        if reply is None or reply.status != "complete" or reply.content != ended.content:
            return "the reply was not stored as it was written"
        if services.store.generation_for(reply.id) is None:
            return "the reply has no generation record"
        tokens = ended.stats.completion_tokens if ended.stats is not None else 0
        out.write(
            f"smoke test passed: {ended.model_name} on {ended.device} wrote {tokens} tokens "
            f"in {time.monotonic() - started:.1f} s, stored as message {reply.id}; window shown "
            f"{shown:.2f} s and first token {outcome.get('first_token', 0.0):.2f} s after "
            "launch.\n"
        )
        return None
    finally:
        deadline.stop()
        if window is not None:
            window.close()
            window.shutdown()
        services.close()
        sys.excepthook = previous_hook
