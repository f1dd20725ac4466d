"""Screenshots of every screen after real runs with the starter model, in both languages
and both themes.

    xvfb-run -a -s '-screen 0 1280x800x24' .venv/bin/python docs/screenshots/take_screenshots.py

writes docs/screenshots/<language>-<theme>/ (en-light, en-dark, zh_CN-light, zh_CN-dark),
one process each: welcome.png (the first-run page), chat.png (the cost line under each
reply), translate.png, summarize.png, sentiment.png, models-installed.png,
models-discover.png, energy.png and settings.png. `--only zh_CN-dark` makes one set. Each
set runs in a private data directory (the user's own data is not touched), with sample
data in the set's language. Discover shows the catalog only: nothing here reaches the Hub.
Chinese needs a CJK font (Debian: fonts-noto-cjk).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
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


SUMMARY_TEXT_ZH = "\n\n".join(
    [
        "西湖镇靠打鱼为生。镇上四十条渔船除星期天外每天天亮前出海，上午九点前渔获就在码头卖完。",
        "三月，河上的新桥通车了。去城里的车程从一小时缩短到二十分钟，主街上的商店说客人多了。",
        "山上的学校有三百名学生，图书馆每周四开到很晚，方便想学习的成年人。",
        "每年八月，镇上在集市广场举办音乐节，来自全省的乐队演出，还有卖本地小吃的摊位。",
        "山谷里的农民种苹果、梨和大麦，每周六在教堂旁的集市上出售，价格每天早上定。",
        "老火车站改成了地方历史博物馆，馆里一九五三年大洪水的照片吸引了全县的学生来参观。",
    ]
    * 3
)
REVIEWS_ZH = [
    "这款手机太好用了，拍照效果一流",
    "电池用一天就坏了，太差劲",
    "盒子是蓝色的",
    "服务很好，店员非常热情",
    "再也不在这家店买东西了",
    "包裹周一到的",
    "今年买得最值的东西",
    "说明书有四十页",
    "客服太糟糕，发邮件没人回",
    "惊喜满满，谢谢！",
]
SETS = ("en-light", "en-dark", "zh_CN-light", "zh_CN-dark")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=SETS)
    args = parser.parse_args()
    if args.only is None:
        for name in SETS:  # one process per set: a language is chosen before the window
            subprocess.run([sys.executable, __file__, "--only", name], check=True)
        return
    language, theme = args.only.split("-")
    take(language, theme, OUT / args.only)


def take(language: str, theme: str, out: Path) -> None:
    out.mkdir(exist_ok=True)
    chinese = language == "zh_CN"
    home = Path(tempfile.mkdtemp(prefix="desktop-llm-shots-"))
    os.environ["DESKTOP_LLM_HOME"] = str(home)
    (home / "config").mkdir(parents=True)
    settings = {
        "generation.max_tokens": 64,
        "summarize.max_tokens": 80,
        "engine.context_length": 768,
        "ui.language": language,
        "ui.theme": theme,
    }
    (home / "config" / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
    sys.path.insert(0, str(ROOT))

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from desktop_llm.app import application
    from desktop_llm.core.services import open_services
    from desktop_llm.ui.common.translations import install_translations
    from desktop_llm.ui.main_window import MainWindow

    app = application([])
    assert isinstance(app, QApplication)
    services = open_services()
    install_translations(services.settings["ui.language"])
    window = MainWindow(services)
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

    def save(widget: object, name: str) -> None:
        widget.grab().save(str(out / name))  # type: ignore[attr-defined]

    try:
        window.resize(1200, 760)
        welcome = window.welcome_if_new()
        if welcome is not None:
            settle(1.0)
            save(welcome, "welcome.png")
            welcome.close()

        question = (
            "灯塔有什么用？请用两句话回答。"
            if chinese
            else "What is a lighthouse for? Two sentences."
        )
        window.chat_page.send(question)
        wait(window.chat_page.reply_finished)
        settle(0.5)
        save(window, "chat.png")

        translate = window.show_task("translate")
        translate.set_languages("auto", "en" if chinese else "zh-Hans")
        translate.input.setPlainText("今天天气很好。" if chinese else "The weather is nice today.")
        translate.run()
        wait(translate.run_finished)
        settle()
        save(window, "translate.png")

        summarize = window.show_task("summarize")
        path = home / ("西湖镇.txt" if chinese else "westmere.txt")
        path.write_text(SUMMARY_TEXT_ZH if chinese else SUMMARY_TEXT, encoding="utf-8")
        summarize.load_file(path)
        wait(summarize.file_loaded)
        summarize.set_length("bullets")
        summarize.run()
        wait(summarize.run_finished)
        settle()
        save(window, "summarize.png")

        sentiment = window.show_task("sentiment")
        sentiment.single_input.setPlainText(
            "这家小咖啡馆真不错，店员都很好！"
            if chinese
            else "What a lovely little cafe, the staff are wonderful!"
        )
        sentiment.run()
        wait(sentiment.run_finished)
        sentiment.set_mode("batch")
        sentiment.batch_input.setPlainText("\n".join(REVIEWS_ZH if chinese else REVIEWS))
        sentiment.run()
        wait(sentiment.run_finished)
        settle()
        save(window, "sentiment.png")

        manager = window.open_model_manager()
        manager.resize(1100, 720)
        installed = manager.installed
        installed.select(installed.table_model.rows[0].model.name)
        installed.show_details(True)  # the metadata table is read when Details opens
        deadline = time.monotonic() + 60
        while installed.details.rowCount() == 0 and time.monotonic() < deadline:
            settle(0.2)
        settle(1.0)  # the sha256
        save(manager, "models-installed.png")
        manager.show_tab(1)
        settle(0.5)
        save(manager, "models-discover.png")
        manager.close()

        energy = window.open_energy_dashboard()
        energy.resize(1100, 760)
        settle(2.0)
        save(energy, "energy.png")
        energy.close()

        settings_dialog = window.open_settings()
        settle(0.5)
        save(settings_dialog, "settings.png")
        settings_dialog.close()
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
