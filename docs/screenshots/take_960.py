"""The main window's pages at 960x600, its smallest supported size, after real runs.

    xvfb-run -a -s '-screen 0 1280x800x24' .venv/bin/python docs/screenshots/take_960.py zh_CN dark

writes docs/screenshots/960x600/<language>-<theme>/*.png; each line printed gives the
window's size and its minimum size hint when the picture was taken (the window must stay
at 960x600, its minimum within it).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "docs" / "screenshots"))

SETTINGS = {
    "generation.max_tokens": 64,
    "summarize.max_tokens": 80,
    "engine.context_length": 768,
    "ui.show_welcome": False,
}
TEXTS = {
    "en": {
        "chat": "What is a lighthouse for? Two sentences.",
        "file": "westmere-harbour-town-annual-report-with-a-long-name.txt",
        "review": "What a lovely little cafe, the staff are wonderful!",
        "message": "Downloaded a-model-with-a-rather-long-name-Q4_K_M.gguf; it is in the list.",
    },
    "zh_CN": {
        "chat": "灯塔有什么用？请用两句话回答。",
        "file": "西湖镇的一份很长很长的文件名称报告.txt",
        "review": "这家小咖啡馆真不错，店员都很好！",
        "message": "已下载 a-model-with-a-rather-long-name-Q4_K_M.gguf，已在模型列表中。",
    },
}


def main() -> None:
    language, theme = sys.argv[1], sys.argv[2]
    out = ROOT / "docs" / "screenshots" / "960x600" / f"{language}-{theme}"
    out.mkdir(parents=True, exist_ok=True)
    import take_screenshots as ts

    chinese = language == "zh_CN"
    texts = TEXTS["zh_CN" if chinese else "en"]
    home = Path(tempfile.mkdtemp(prefix="shots960-"))
    os.environ["DESKTOP_LLM_HOME"] = str(home)
    (home / "config").mkdir(parents=True)
    settings = {**SETTINGS, "ui.language": language, "ui.theme": theme}
    (home / "config" / "settings.json").write_text(json.dumps(settings))
    from PySide6.QtCore import QEventLoop, QTimer

    from desktop_llm.app import application
    from desktop_llm.core.services import open_services
    from desktop_llm.ui.common.translations import install_translations
    from desktop_llm.ui.main_window import MainWindow

    app = application([])
    services = open_services()
    install_translations(language)
    window = MainWindow(services)
    window.show()
    window.resize(960, 600)

    def wait(signal: Any, timeout_s: int = 300) -> None:
        loop = QEventLoop()
        signal.connect(loop.quit)
        QTimer.singleShot(timeout_s * 1000, loop.quit)
        loop.exec()

    def save(name: str) -> None:
        end = time.monotonic() + 0.4
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)
        print(name, window.size().toTuple(), window.minimumSizeHint().toTuple(), flush=True)
        window.grab().save(str(out / name))

    summary_text = ts.SUMMARY_TEXT_ZH if chinese else ts.SUMMARY_TEXT
    try:
        save("chat-empty.png")
        window.chat_page.send(texts["chat"])
        wait(window.chat_page.reply_finished)
        save("chat.png")

        translate = window.show_task("translate")
        translate.set_languages("auto", "en" if chinese else "zh-Hans")
        translate.input.setPlainText(summary_text.split("\n\n")[0])
        translate.run()
        wait(translate.progress_seen)
        save("translate-running.png")
        wait(translate.run_finished)
        save("translate.png")

        summarize = window.show_task("summarize")
        path = home / texts["file"]
        path.write_text(summary_text, encoding="utf-8")
        summarize.load_file(path)
        wait(summarize.file_loaded)
        summarize.set_length("bullets")
        summarize.run()
        wait(summarize.progress_seen)
        save("summarize-running.png")
        wait(summarize.run_finished)
        save("summarize.png")

        sentiment = window.show_task("sentiment")
        sentiment.single_input.setPlainText(texts["review"])
        sentiment.run()
        wait(sentiment.run_finished)
        save("sentiment-single.png")
        sentiment.set_mode("batch")
        sentiment.batch_input.setPlainText("\n".join(ts.REVIEWS_ZH if chinese else ts.REVIEWS))
        sentiment.run()
        wait(sentiment.run_finished)
        save("sentiment.png")

        window.show_mode(0)
        window.status_line.showMessage(texts["message"], 60000)
        save("chat-after-message.png")
        window.status_line.clearMessage()
    finally:
        window.close()
        window.shutdown()
        services.close()


if __name__ == "__main__":
    main()
    sys.stdout.flush()
    os._exit(0)  # the engine's child process is gone; skip interpreter teardown
