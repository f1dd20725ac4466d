"""GUI responsiveness: the largest gap between ticks of a 10 ms timer on the GUI thread.

Phases, in one run of the real window over a scratch data directory:
  idle      nothing happening (the timer's own jitter: the baseline)
  load      the starter model loading in the inference process
  stream    a long reply streaming into the chat view (model already loaded)
  stream 2  a second reply in the same conversation (KV cache re-used)

  5 MB file a 5 MB text file loading into the Summarize panel
  summarize the first --summary-seconds of summarizing it (splitting and counting 5 MB,
            storing it, the first parts), then Stop
  sentiment a --items batch of sentiment items, table and chart filling in

  download  with --download: the starter model (98 MB) downloaded from the loopback Hub of
            tests/hub_server.py into the models folder, the model manager open on its
            progress row, then checked and installed

Usage: QT_QPA_PLATFORM=offscreen python bench/gui_stall.py [--tokens 300] [--items 1000]
       (or under xvfb-run for a real X server). Target: no gap over 50 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

PROBE_MS = 10


class Probe:
    def __init__(self) -> None:
        self.gaps: list[float] = []
        self._last = 0.0
        self.window: object | None = None
        self.timer = QTimer()
        self.timer.setInterval(PROBE_MS)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self._last) * 1000)
        self._last = now

    def measure(self, start: Callable[[], None], until: object | None, idle_s: float = 0.0) -> dict:
        self.gaps = []
        loop = QEventLoop()

        def finish() -> None:
            # A few more ticks, so that a stall right before the signal is measured too.
            QTimer.singleShot(3 * PROBE_MS, loop.quit)

        if until is not None:
            until.connect(finish)  # type: ignore[attr-defined]
        else:
            QTimer.singleShot(int(idle_s * 1000), loop.quit)
        self._last = time.perf_counter()
        self.timer.start()
        QTimer.singleShot(0, start)
        loop.exec()
        self.timer.stop()
        if until is not None:
            until.disconnect(finish)  # type: ignore[attr-defined]
        app = QApplication.instance()
        while getattr(self, "window", None) is not None and self.window.chat_page.reply_busy:
            app.processEvents()  # the job ends just after its last event: let it
        gaps = sorted(self.gaps)
        return {
            "ticks": len(gaps),
            "max_ms": round(gaps[-1], 1),
            "p99_ms": round(gaps[int(0.99 * (len(gaps) - 1))], 1),
            "median_ms": round(statistics.median(gaps), 1),
        }


def task_phases(window: object, probe: Probe, home: str, args: argparse.Namespace) -> dict:
    from pathlib import Path

    results = {}
    sentence = "The committee met on Tuesday and discussed the harbour, the budget and trees. "
    big = Path(home) / "big.txt"
    big.write_text(
        (sentence * 12 + "\n\n") * (5_000_000 // (len(sentence) * 12 + 2)), encoding="utf-8"
    )
    summarize = window.show_task("summarize")  # type: ignore[attr-defined]
    results["5 MB file"] = probe.measure(lambda: summarize.load_file(big), summarize.file_loaded)
    results["summarize"] = probe.measure(
        lambda: (
            summarize.run(),
            QTimer.singleShot(int(args.summary_seconds * 1000), summarize.stop),
        ),
        summarize.run_finished,
    )
    sentiment = window.show_task("sentiment")  # type: ignore[attr-defined]
    sentiment.set_mode("batch")
    lines = [
        f"Review {i}: the {['food', 'room', 'staff', 'view'][i % 4]} was "
        f"{['wonderful', 'awful', 'ordinary', 'great'][i % 4]}."
        for i in range(args.items)
    ]
    sentiment.batch_input.setPlainText("\n".join(lines))
    results[f"sentiment {args.items}"] = probe.measure(sentiment.run, sentiment.run_finished)
    window.show_mode(0)  # type: ignore[attr-defined]
    return results


def download_phase(window: object, probe: Probe) -> dict:
    """A real download over loopback, paced to about 20 MB/s so it lasts a few seconds."""
    import shutil
    from pathlib import Path

    from desktop_llm.core.models import starter_model_path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo, for tests/
    from tests.helpers.hub_server import FakeHub

    starter = starter_model_path()
    assert starter is not None, "the starter model is not installed"
    hub = FakeHub().start()
    os.environ["HF_ENDPOINT"] = hub.url
    os.environ.pop("HF_HUB_OFFLINE", None)
    served = Path(tempfile.mkdtemp(prefix="desktop-llm-hub-")) / "Bench-copy.Q4_1.gguf"
    shutil.copyfile(starter, served)
    hub.add_repo("bench/Bench-GGUF")
    hub.add_file("bench/Bench-GGUF", served, chunk_delay=0.003)
    manager = window.open_model_manager(1)  # type: ignore[attr-defined]
    try:
        return probe.measure(
            lambda: window.downloads.start("bench/Bench-GGUF", served.name),  # type: ignore[attr-defined]
            window.downloads.finished,  # type: ignore[attr-defined]
        )
    finally:
        manager.close()
        hub.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=300)
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--summary-seconds", type=float, default=45.0)
    parser.add_argument("--chat-only", action="store_true")
    parser.add_argument("--download", action="store_true", help="add the download phase")
    args = parser.parse_args()

    home = tempfile.mkdtemp(prefix="desktop-llm-bench-")
    os.environ["DESKTOP_LLM_HOME"] = home
    os.makedirs(f"{home}/config", exist_ok=True)
    with open(f"{home}/config/settings.json", "w") as f:
        json.dump({"generation.max_tokens": args.tokens, "generation.temperature": 0.8}, f)

    from desktop_llm.app import settle_heap
    from desktop_llm.core.services import open_services
    from desktop_llm.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    services = open_services()
    window = MainWindow(services)
    window.show()
    app.processEvents()
    settle_heap()  # as run_app does
    probe = Probe()
    probe.window = window

    results = {
        "idle": probe.measure(lambda: None, None, idle_s=3.0),
        "load": probe.measure(window.preload_model, window.model_ready),
        "stream": probe.measure(
            lambda: window.chat_page.send("Write a long story about a lighthouse keeper."),
            window.chat_page.reply_finished,
        ),
        "stream 2": probe.measure(
            lambda: window.chat_page.send("Continue the story, with a storm."),
            window.chat_page.reply_finished,
        ),
    }
    if not args.chat_only:
        results.update(task_phases(window, probe, home, args))
    if args.download:
        results["download 98 MB"] = download_phase(window, probe)
    stored = services.store.messages(window.chat_page.current_id)  # type: ignore[arg-type]
    tokens = [
        g.completion_tokens
        for g in services.store.generations(window.chat_page.current_id).values()  # type: ignore[arg-type]
    ]
    window.close()
    window.shutdown()
    services.close()
    # Qt objects go before the interpreter's final garbage collection does it in any order.
    probe.timer.deleteLater()
    window.deleteLater()
    app.processEvents()
    probe.window = None

    print(f"## GUI stall probe — platform {app.platformName()}, {PROBE_MS} ms timer\n")
    print("| phase | ticks | median gap ms | p99 gap ms | max gap ms |\n|---|---|---|---|---|")
    for phase, r in results.items():
        print(f"| {phase} | {r['ticks']} | {r['median_ms']} | {r['p99_ms']} | {r['max_ms']} |")
    worst = max(r["max_ms"] for phase, r in results.items() if phase != "idle")
    print(
        f"\nReplies: {[m.status for m in stored if m.role == 'assistant']}, "
        f"completion tokens {tokens}."
    )
    print(
        f"Worst gap while loading or streaming: **{worst} ms** (target ≤ 50 ms; "
        f"idle baseline {results['idle']['max_ms']} ms)."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
