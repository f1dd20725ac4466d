"""Screenshots of the window after real runs with the starter model.

    xvfb-run -a -s '-screen 0 1280x800x24' .venv/bin/python docs/screenshots/take_screenshots.py

Writes chat.png (with the cost line under each reply), translate.png, summarize.png,
sentiment.png, models-installed.png and models-discover.png next to this file, from a
private data directory (the user's own data is not touched). Discover shows the catalog
only: nothing here reaches the Hub.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent
ROOT = OUT.parent.parent

SUMMARY_TEXT = "\n\n".join(
    [
        "The harbour town of Westmere depends on fishing. Its fleet of forty boats leaves "
        "before dawn every day except Sunday, and the catch is sold at the quay by nine.",
        "A new bridge over the river opened in March. It cut the drive to the city from an "
        "hour to twenty minutes, and shops in the high street report more visitors.",
        "The school on the hill has three hundred pupils and a library that stays open late "
        "on Thursdays for adults who want to study.",
        "Every August the town holds a music festival in the market square, with bands from "
        "all over the region and stalls selling local food.",
        "Farmers in the valley grow apples, pears and barley. They sell them at the Saturday "
        "market near the church, where prices are set each morning.",
        "The old railway station became a museum of local history. Its photographs of the "
        "great flood of 1953 draw school classes from the whole county.",
    ]
    * 3
)
REVIEWS = [
    "I love this phone, the camera is amazing",
    "The battery died after one day, awful",
    "The box is blue",
    "Great service and very friendly staff",
    "Never buying from this shop again",
    "The parcel arrived on Monday",
    "Best purchase I made this year",
    "The manual has forty pages",
    "Terrible support, nobody answered my emails",
    "What a lovely surprise, thank you!",
]


def main() -> None:
    home = Path(tempfile.mkdtemp(prefix="desktop-llm-shots-"))
    os.environ["DESKTOP_LLM_HOME"] = str(home)
    (home / "config").mkdir(parents=True)
    settings = {
        "generation.max_tokens": 64,
        "summarize.max_tokens": 80,
        "engine.context_length": 768,
    }
    (home / "config" / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
    sys.path.insert(0, str(ROOT))

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from desktop_llm.core.services import open_services
    from desktop_llm.ui.main_window import MainWindow

    app = QApplication([])
    services = open_services()
    window = MainWindow(services)
    window.resize(1200, 760)
    window.show()

    def wait(signal: object, timeout_s: int = 300) -> None:
        loop = QEventLoop()
        signal.connect(loop.quit)  # type: ignore[attr-defined]
        QTimer.singleShot(timeout_s * 1000, loop.quit)
        loop.exec()

    def settle(seconds: float = 0.3) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    try:
        window.chat_page.send("What is a lighthouse for? Two sentences.")
        wait(window.chat_page.reply_finished)
        settle(0.5)
        window.grab().save(str(OUT / "chat.png"))

        translate = window.show_task("translate")
        translate.set_languages("auto", "zh-Hans")
        translate.input.setPlainText("The weather is nice today.")
        translate.run()
        wait(translate.run_finished)
        settle()
        window.grab().save(str(OUT / "translate.png"))

        summarize = window.show_task("summarize")
        path = home / "westmere.txt"
        path.write_text(SUMMARY_TEXT, encoding="utf-8")
        summarize.load_file(path)
        wait(summarize.file_loaded)
        summarize.set_length("bullets")
        summarize.run()
        wait(summarize.run_finished)
        settle()
        window.grab().save(str(OUT / "summarize.png"))

        sentiment = window.show_task("sentiment")
        sentiment.single_input.setPlainText("What a lovely little cafe, the staff are wonderful!")
        sentiment.run()
        wait(sentiment.run_finished)
        sentiment.set_mode("batch")
        sentiment.batch_input.setPlainText("\n".join(REVIEWS))
        sentiment.run()
        wait(sentiment.run_finished)
        settle()
        window.grab().save(str(OUT / "sentiment.png"))

        manager = window.open_model_manager()
        manager.resize(1100, 720)
        installed = manager.installed
        installed.select(installed.table_model.rows[0].model.name)
        deadline = time.monotonic() + 60
        while installed.details.rowCount() == 0 and time.monotonic() < deadline:
            settle(0.2)
        settle(1.0)  # the sha256
        manager.grab().save(str(OUT / "models-installed.png"))
        manager.show_tab(1)
        settle(0.5)
        manager.grab().save(str(OUT / "models-discover.png"))
    finally:
        window.close()
        window.shutdown()
        services.close()


if __name__ == "__main__":
    main()
    # PySide6 6.12 on CPython 3.11 returns None from void methods without a reference, so
    # the interpreter can abort while finalizing ("none_dealloc"); the files are written.
    sys.stdout.flush()
    os._exit(0)
